#!/usr/bin/env bash
# examples/ch2/run.sh — the thesis ch. 2 study (amorphous Si, flexibility
# volume, G = C kT / v_flex) driven through the amorph CLI, at a size one core
# allows (see docs/studies/ch2.md for the stages and the measured numbers).
#
#   examples/ch2/run.sh [--paper | --smoke] [OUT_DIR]   (OUT_DIR default: ch2-out)
#
# --smoke: every stage on 64 atoms in under a minute (numbers meaningless;
# ctest example_ch2_smoke): CELLS=2 RATES="1e15 5e14" SEEDS="1 2" RUNS=4
# MSD_TIME=1 G_STEPS=500 BORN_STEPS=500 HOLD=2 FAST=1e15 PLATEAU=5 unless set.
#
# Environment (defaults = the reduced run; --paper = the thesis's sizes):
#   AMORPH    amorph executable (default: build/release, build or build/demo's
#             apps/amorph/amorph, else amorph on PATH; target amorph-cli)
#   PYTHON    python3 with numpy + matplotlib (default /usr/bin/python3)
#   THREADS   amorph worker threads (default 1)
#   CELLS     diamond cells per edge: 8 CELLS^3 atoms   (4 -> 512;   paper 22 -> 85,184)
#   RATES     quench rates, K/s                (1e13 1e12 5e11; paper 5e13 5e12 5e11 5e10)
#   SEEDS     one independent sample per seed and rate: its own melt (1 2 3; paper 1)
#   WINDOW    "T_HI T_LO": the rate holds from T_HI down to T_LO K, FAST outside
#             (1500 800: the range where the SW liquid falls out of equilibrium;
#             "" = the whole 2500 -> 300 K ramp at the rate; paper "")
#   FAST      rate outside WINDOW, K/s                 (1e14)
#   RUNS      NVE runs per v_flex ensemble      (50;  paper 100)
#   MSD_TIME  length of one NVE run, ps         (2)
#   PLATEAU   largest MSD growth over the second half of a run (0.1)
#   G_STEPS   NVT sampling steps per strained copy for the thermal G (10000; paper 50000)
#   BORN_STEPS  NVT sampling steps of the Born + fluctuation G (40000)
#   REPLICA   N > 1: also the v_flex ensemble of the N x N x N replica of every
#             sample: the same structure with the longer-wavelength vibrations
#             a larger box has (v_flex of a harmonic solid grows with the box,
#             ~ 1 - a/L); summary.csv extrapolates v(L) to 1/L -> 0 (2; 0 = off)
#   REPLICA_RUNS  NVE runs of that ensemble (20)
#   HOLD      anneal at 300 K, 0 bar after the ramp, ps (20)
#   UNTIL     "melt": stop after every sample's melt (window_check.sh uses it)
# Samples: OUT/q_RATE_sSEED.*; the melt of a sample uses velocity seed
# SEED + 1000 k (k = position of RATE in RATES), so no two samples share a liquid.
# Stages (each skipped when its output exists, so an interrupted run resumes):
#   diamond   8 CELLS^3 Si atoms on the diamond lattice (a = 5.431 A), python
#   melt      per sample, NPT at 0 bar: 3500 K 10 ps (the crystal melts), to
#             2500 K in 5 ps, 2500 K 20 ps (equilibrium liquid; SW melts at ~1690 K)
#                                                           amorph quench --no-minimize
#   quench    from that liquid (its velocities), NPT 0 bar ramp 2500 K -> 300 K
#             (at the rate, or FAST outside WINDOW), HOLD ps at 300 K (without it
#             the fastest quenches still relax during the MSD runs and are
#             refused), then CG at fixed cell                   amorph quench
#   flex      v_flex ensemble at 300 K from the minimum (RUNS NVE runs,
#             velocities at 2T), MSD plateau curve, per-atom columns    amorph flex
#   cn, corr  coordination (Si-Si cutoff 2.9 A) and C_flex(r)           amorph coord, amorph corr
#   modulus   G by +-0.5 % simple shear on xy, xz, yz: athermal (CG)
#             and thermal (Nose-Hoover NVT 300 K, block errors)         amorph modulus
#   born      G at 300 K by the other thermal route: Born term + stress
#             fluctuations of one unstrained NVT run of BORN_STEPS steps
#                                                   amorph modulus --method born
#   summary   OUT/summary.csv (one row per sample), OUT/times.csv (wall/CPU s per stage)
#   plots     examples/ch2/plots.py OUT -> OUT/summary.json (C fits over every
#             sample, per-sample rows), OUT/figures/*.png
set -euo pipefail

main() {   # the whole script is read before it runs: editing it cannot break a running stage
PAPER=0
if [[ ${1:-} == --paper ]]; then PAPER=1; shift; fi
if [[ ${1:-} == --smoke ]]; then
    shift
    : "${CELLS:=2}" "${RATES:=1e15 5e14}" "${SEEDS:=1 2}" "${RUNS:=4}" "${MSD_TIME:=1}" "${G_STEPS:=500}" "${HOLD:=2}"
    : "${FAST:=1e15}" "${PLATEAU:=5}" "${BORN_STEPS:=500}"
fi
if [[ ${1:-} == -h || ${1:-} == --help ]]; then awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0; fi
OUT=${1:-ch2-out}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ $PAPER == 1 ]]; then
    : "${CELLS:=22}" "${RATES:=5e13 5e12 5e11 5e10}" "${RUNS:=100}" "${G_STEPS:=50000}" "${SEEDS:=1}"
    WINDOW=${WINDOW-}
fi
CELLS=${CELLS:-4}
RATES=${RATES:-"1e13 1e12 5e11"}
SEEDS=${SEEDS:-"1 2 3"}
WINDOW=${WINDOW-"1500 800"}
FAST=${FAST:-1e14}
RUNS=${RUNS:-50}
MSD_TIME=${MSD_TIME:-2}
PLATEAU=${PLATEAU:-0.1}
G_STEPS=${G_STEPS:-10000}
BORN_STEPS=${BORN_STEPS:-40000}
REPLICA=${REPLICA:-2}
REPLICA_RUNS=${REPLICA_RUNS:-20}
HOLD=${HOLD:-20}
THREADS=${THREADS:-1}
PY=${PYTHON:-/usr/bin/python3}
if [[ -z ${AMORPH:-} ]]; then
    for b in build/release/apps/amorph/amorph build/apps/amorph/amorph build/demo/apps/amorph/amorph; do
        [[ -x $b ]] && { AMORPH=$b; break; }
    done
    [[ -n ${AMORPH:-} ]] || AMORPH=$(command -v amorph) || { echo "set AMORPH to the amorph executable" >&2; exit 2; }
fi
if [[ -n $WINDOW ]]; then
    read -r T_HI T_LO <<< "$WINDOW"
    [[ $T_HI =~ ^[0-9.]+$ && $T_LO =~ ^[0-9.]+$ ]] && (( ${T_HI%.*} < 2500 && ${T_LO%.*} > 300 && ${T_LO%.*} < ${T_HI%.*} )) ||
        { echo "run.sh: WINDOW must be \"T_HI T_LO\" with 2500 > T_HI > T_LO > 300 (got \"$WINDOW\")" >&2; exit 2; }
fi
for R in $RATES; do [[ $R =~ ^[0-9.]+(e[0-9]+)?$ ]] || { echo "run.sh: RATES: $R is not a rate in K/s" >&2; exit 2; }; done
for SEED in $SEEDS; do [[ $SEED =~ ^[0-9]+$ ]] || { echo "run.sh: SEEDS: $SEED is not a non-negative integer" >&2; exit 2; }; done
[[ $REPLICA =~ ^[0-9]+$ && $REPLICA_RUNS =~ ^[0-9]+$ ]] || { echo "run.sh: REPLICA and REPLICA_RUNS must be integers" >&2; exit 2; }
[[ -z ${UNTIL:-} || $UNTIL == melt ]] || { echo "run.sh: UNTIL must be empty or melt (got $UNTIL)" >&2; exit 2; }
POT=(--preset si-sw --threads "$THREADS")   # /usr/share/lammps/potentials/Si.sw
mkdir -p "$OUT"
LOG=$OUT/log.txt
TIMES=$OUT/times.csv
[[ -f $TIMES ]] || echo "stage,wall_s,user_s,sys_s" > "$TIMES"

# run STAGE CMD...: run CMD (stderr to the log), append its wall/CPU seconds to times.csv.
run() {
    local stage=$1; shift
    echo "== $stage: $*" >> "$LOG"; echo "== $stage ($(date -u +%H:%M:%S))" >&2
    local TIMEFORMAT="$stage,%R,%U,%S"
    { time "$@" 2>>"$LOG"; } 2>>"$TIMES"
}

# diamond start (no LAMMPS needed)
if [[ ! -f $OUT/diamond.data ]]; then
    "$PY" - "$CELLS" "$OUT/diamond.data" <<'PY'
import sys
n, out, a = int(sys.argv[1]), sys.argv[2], 5.431
basis = [(0, 0, 0), (0, .5, .5), (.5, 0, .5), (.5, .5, 0),
         (.25, .25, .25), (.25, .75, .75), (.75, .25, .75), (.75, .75, .25)]
xs = [((i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a)
      for i in range(n) for j in range(n) for k in range(n) for b in basis]
with open(out, "w") as f:
    f.write(f"diamond Si, {n}^3 cubic cells, a = {a} A\n\n{len(xs)} atoms\n1 atom types\n\n")
    for ax in "xyz":
        f.write(f"0 {n * a:.10g} {ax}lo {ax}hi\n")
    f.write("\nMasses\n\n1 28.0855 # Si\n\nAtoms # atomic\n\n")
    for i, (x, y, z) in enumerate(xs, 1):
        f.write(f"{i} 1 {x:.10g} {y:.10g} {z:.10g}\n")
PY
fi

rmax=$("$PY" -c "print(round(0.5 * 5.431 * $CELLS, 2))")
SAMPLES=()
k=0
for R in $RATES; do
  for SEED in $SEEDS; do
    S=$OUT/q_${R}_s$SEED
    SAMPLES+=("${R}_s$SEED")
    if [[ ! -f $S.liquid.data && ! -f $S.data ]]; then   # this sample's own liquid
        printf 'temperature 3500\npressure 0\nhold 10\nramp 2500 time 5\nhold 20\n' > "$S.melt.schedule"
        run "melt $R s$SEED" "$AMORPH" quench "$OUT/diamond.data" "${POT[@]}" --schedule "$S.melt.schedule" \
            --seed $((SEED + 1000 * k)) --no-minimize --quiet --csv "$S.melt.csv" -o "$S.liquid.data" >> "$LOG"
    fi
    [[ ${UNTIL:-} == melt ]] && continue
    if [[ ! -f $S.data ]]; then
        if [[ -n $WINDOW ]]; then
            printf 'temperature 2500\npressure 0\nramp %s rate %s/s\nramp %s rate %s/s\nramp 300 rate %s/s\nhold %s\n' \
                "$T_HI" "$FAST" "$T_LO" "$R" "$FAST" "$HOLD"
        else
            printf 'temperature 2500\npressure 0\nramp 300 rate %s/s\nhold %s\n' "$R" "$HOLD"
        fi > "$S.schedule"
        run "quench $R s$SEED" "$AMORPH" quench "$S.liquid.data" "${POT[@]}" --schedule "$S.schedule" \
            --checkpoint "$S.ckpt" --every 20000 --resume --quiet --csv "$S.quench.csv" -o "$S.data" >> "$LOG"
    fi
    if [[ ! -f $S.flex.xyz ]]; then
        run "flex $R s$SEED" "$AMORPH" flex "$S.data" "${POT[@]}" --temp 300 --runs "$RUNS" --time "$MSD_TIME" \
            --plateau-tol "$PLATEAU" --start minimum --checkpoint "$S.msd.ckpt" --resume --corr-rmax "$rmax" --csv "$S.msd_curve.csv" \
            --quiet -o "$S.flex.xyz" > "$S.flex.txt"
    fi
    if [[ ! -f $S.cflex.csv ]]; then
        run "coord $R s$SEED" "$AMORPH" coord "$S.flex.xyz" --cutoff '*:2.9' -o "$S.cn.xyz" --csv "$S.cn.csv" >> "$LOG"
        run "corr $R s$SEED" "$AMORPH" corr "$S.flex.xyz" --property vflex --rmax "$rmax" --bins 50 \
            --csv "$S.cflex.csv" >> "$LOG"
    fi
    if [[ ! -f $S.modulus.csv ]]; then
        run "modulus $R s$SEED" "$AMORPH" modulus "$S.data" "${POT[@]}" --temp 300 --method both --strain 0.005 \
            --steps "$G_STEPS" --equil 1000 --csv "$S.modulus.csv" --quiet >> "$LOG"
    fi
    if [[ ! -f $S.born.csv ]]; then
        run "born $R s$SEED" "$AMORPH" modulus "$S.data" "${POT[@]}" --temp 300 --method born \
            --steps "$BORN_STEPS" --equil 1000 --csv "$S.born.csv" --quiet >> "$LOG"
    fi
    if (( REPLICA > 1 )) && [[ ! -f $S.replica.flex.xyz ]]; then
        run "replicate $R s$SEED" "$AMORPH" convert "$S.data" "$S.replica.data" --replicate "$REPLICA,$REPLICA,$REPLICA" \
            >> "$LOG"
        run "flex replica $R s$SEED" "$AMORPH" flex "$S.replica.data" "${POT[@]}" --temp 300 --runs "$REPLICA_RUNS" \
            --time "$MSD_TIME" --plateau-tol "$PLATEAU" --start minimum --checkpoint "$S.replica.msd.ckpt" --resume \
            --csv "$S.replica.msd_curve.csv" --quiet -o "$S.replica.flex.xyz" > "$S.replica.flex.txt"
    fi
  done
  k=$((k + 1))
done
[[ ${UNTIL:-} == melt ]] && exit 0

# summary: one row per sample
"$PY" - "$OUT" "$REPLICA" "${SAMPLES[@]}" > "$OUT/summary.csv" <<'PY'
import csv, os, re, sys
out, replica, samples = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
kT = 8.617333262e-5 * 300.0            # eV
eV_A3_GPa = 160.21766208               # 1 eV/A^3 in GPa

def report(path):                      # "name   value [unit]" lines of an amorph summary
    vals = {}
    for line in open(path):
        m = re.match(r"(.+?)\s{2,}(\S+)", line.rstrip())
        if m:
            try: vals[m.group(1).strip()] = float(m.group(2))
            except ValueError: pass
    return vals

def table(path):
    return {r["quantity"]: float(r["value"]) for r in csv.DictReader(open(path))
            if re.match(r"^[-+0-9.eE]+$|^nan$", r["value"])}

cols = ["sample", "rate_K_per_s", "seed", "atoms", "energy_eV_per_atom", "omega_A3", "msd_A2", "msd_err_A2", "vflex_A3",
        "vflex_err_A3", "eta", "T_msd_K", "kT_over_vflex_GPa", "G_pred_GPa", "G_thermal_GPa", "G_thermal_err_GPa",
        "G_athermal_GPa", "G_athermal_spread_GPa", "G_born_GPa", "G_born_err_GPa", "cn5_fraction", "corr_length_A", "plateau_begin_ps",
        "replica", "vflex_replica_A3", "vflex_replica_err_A3", "vflex_extrapolated_A3", "kT_over_vflex_extrapolated_GPa"]
print(",".join(cols))
for smp in samples:
    r, seed = smp.split("_s")
    s = f"{out}/q_{smp}"
    f, g, q = report(s + ".flex.txt"), table(s + ".modulus.csv"), table(s + ".quench.csv")
    b = table(s + ".born.csv")
    lines = open(s + ".cn.xyz").read().split("\n")
    n = int(lines[0])
    props = re.search(r"Properties=(\S+)", lines[1]).group(1).split(":")
    names, col = [], 0
    for k in range(0, len(props), 3):
        names.append((props[k], col, int(props[k + 2]))); col += int(props[k + 2])
    at = {nm: c for nm, c, w in names}
    rows = [l.split() for l in lines[2:2 + n]]
    omega = sum(float(x[at["volume"]]) for x in rows) / n
    cn5 = sum(1 for x in rows if round(float(x[at["cn"]])) == 5) / n
    v = f["mean v_flex"]
    rep = ["", "", "", "", ""]
    if replica > 1 and os.path.exists(s + ".replica.flex.txt"):
        fr = report(s + ".replica.flex.txt")
        vr = fr["mean v_flex"]
        vx = (replica * vr - v) / (replica - 1)       # v(L) = v_inf (1 - a/L) through L and replica L
        rep = [replica, vr, fr["mean v_flex error"], vx, kT / vx * eV_A3_GPa]
    print(",".join(str(x) for x in [
        smp, r, seed, n, q["energy per atom"], omega, f["mean MSD"], f["mean MSD error"], v, f["mean v_flex error"],
        f["mean eta"], f["mean temperature"], kT / v * eV_A3_GPa, f["predicted G = 0.464 kT/v_flex"], g["thermal G"],
        g.get("thermal G error", 0.0), g["athermal G"], g["athermal G spread over planes"], b["born G"], b["born G error"], cn5,
        f.get("v_flex correlation length", float("nan")), f["plateau begin"], *rep]))
PY
cat "$OUT/summary.csv"
"$PY" "$here/plots.py" "$OUT" || echo "plots.py failed (numpy/matplotlib missing?)" >&2
}

main "$@"
