#!/usr/bin/env bash
# examples/ch2/run.sh — the thesis ch. 2 study (amorphous Si, flexibility
# volume, G = C kT / v_flex) driven through the amorph CLI, at a size one core
# allows (see docs/studies/ch2.md for the stages and the measured numbers).
#
#   examples/ch2/run.sh [--paper] [OUT_DIR]        (OUT_DIR default: ch2-out)
#
# Environment (defaults = the reduced run; --paper = the thesis's sizes):
#   AMORPH    amorph executable (default: build/release, build or build/demo's
#             apps/amorph/amorph, else amorph on PATH; target amorph-cli)
#   PYTHON    python3 with numpy + matplotlib (default /usr/bin/python3)
#   THREADS   amorph worker threads (default 1)
#   CELLS     diamond cells per edge: 8 CELLS^3 atoms   (4 -> 512;   paper 22 -> 85,184)
#   RATES     quench rates, K/s                (1e14 5e13 1e13 5e12; paper 5e13 5e12 5e11 5e10)
#   RUNS      NVE runs per v_flex ensemble      (50;  paper 100)
#   MSD_TIME  length of one NVE run, ps         (2)
#   G_STEPS   NVT sampling steps per strained copy for the thermal G (10000; paper 50000)
#   HOLD      anneal at 300 K, 0 bar after the ramp, ps (20)
#   SEED      velocity seed of the melt (1): another SEED = independent samples
# Stages (each skipped when its output exists, so an interrupted run resumes):
#   diamond   8 CELLS^3 Si atoms on the diamond lattice (a = 5.431 A), python
#   melt      NPT at 0 bar: 3500 K 10 ps (the crystal melts), to 2500 K in 5 ps,
#             2500 K 20 ps (equilibrium liquid; SW melts at ~1690 K)   amorph quench --no-minimize
#   quench    per rate: from that liquid (its velocities), NPT 0 bar ramp
#             2500 K -> 300 K at the rate, HOLD ps at 300 K (without it the
#             fastest quenches still relax during the MSD runs and are refused),
#             then CG at fixed cell                                     amorph quench
#   flex      v_flex ensemble at 300 K from the minimum (RUNS NVE runs,
#             velocities at 2T), MSD plateau curve, per-atom columns    amorph flex
#   cn, corr  coordination (Si-Si cutoff 2.9 A) and C_flex(r)           amorph coord, amorph corr
#   modulus   G by +-0.5 % simple shear on xy, xz, yz: athermal (CG)
#             and thermal (Nose-Hoover NVT 300 K, block errors)         amorph modulus
#   summary   OUT/summary.csv (one row per rate), OUT/times.csv (wall/CPU s per stage)
#   plots     examples/ch2/plots.py OUT -> OUT/figures/*.png, OUT/fit.json (C fit)
set -euo pipefail
PAPER=0
if [[ ${1:-} == --paper ]]; then PAPER=1; shift; fi
if [[ ${1:-} == -h || ${1:-} == --help ]]; then sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
OUT=${1:-ch2-out}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ $PAPER == 1 ]]; then
    : "${CELLS:=22}" "${RATES:=5e13 5e12 5e11 5e10}" "${RUNS:=100}" "${G_STEPS:=50000}"
fi
CELLS=${CELLS:-4}
RATES=${RATES:-"1e14 5e13 1e13 5e12"}
RUNS=${RUNS:-50}
MSD_TIME=${MSD_TIME:-2}
G_STEPS=${G_STEPS:-10000}
HOLD=${HOLD:-20}
SEED=${SEED:-1}
THREADS=${THREADS:-1}
PY=${PYTHON:-/usr/bin/python3}
if [[ -z ${AMORPH:-} ]]; then
    for b in build/release/apps/amorph/amorph build/apps/amorph/amorph build/demo/apps/amorph/amorph; do
        [[ -x $b ]] && { AMORPH=$b; break; }
    done
    [[ -n ${AMORPH:-} ]] || AMORPH=$(command -v amorph) || { echo "set AMORPH to the amorph executable" >&2; exit 2; }
fi
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

# melt once; every rate starts from this liquid
if [[ ! -f $OUT/liquid.data ]]; then
    printf 'temperature 3500\npressure 0\nhold 10\nramp 2500 time 5\nhold 20\n' > "$OUT/melt.schedule"
    run melt "$AMORPH" quench "$OUT/diamond.data" "${POT[@]}" --schedule "$OUT/melt.schedule" --seed "$SEED" \
        --no-minimize --quiet --csv "$OUT/melt.csv" -o "$OUT/liquid.data" >> "$LOG"
fi

for R in $RATES; do
    S=$OUT/q_$R
    if [[ ! -f $S.data ]]; then
        printf 'temperature 2500\npressure 0\nramp 300 rate %s/s\nhold %s\n' "$R" "$HOLD" > "$S.schedule"
        run "quench $R" "$AMORPH" quench "$OUT/liquid.data" "${POT[@]}" --schedule "$S.schedule" \
            --checkpoint "$S.ckpt" --every 20000 --resume --quiet --csv "$S.quench.csv" -o "$S.data" >> "$LOG"
    fi
    if [[ ! -f $S.flex.xyz ]]; then
        rmax=$("$PY" -c "print(round(0.5 * 5.431 * $CELLS, 2))")
        run "flex $R" "$AMORPH" flex "$S.data" "${POT[@]}" --temp 300 --runs "$RUNS" --time "$MSD_TIME" \
            --start minimum --checkpoint "$S.msd.ckpt" --resume --corr-rmax "$rmax" --csv "$S.msd_curve.csv" \
            --quiet -o "$S.flex.xyz" > "$S.flex.txt"
    fi
    if [[ ! -f $S.cflex.csv ]]; then
        rmax=$("$PY" -c "print(round(0.5 * 5.431 * $CELLS, 2))")
        run "coord $R" "$AMORPH" coord "$S.flex.xyz" --cutoff '*:2.9' -o "$S.cn.xyz" --csv "$S.cn.csv" >> "$LOG"
        run "corr $R" "$AMORPH" corr "$S.flex.xyz" --property vflex --rmax "$rmax" --bins 50 \
            --csv "$S.cflex.csv" >> "$LOG"
    fi
    if [[ ! -f $S.modulus.csv ]]; then
        run "modulus $R" "$AMORPH" modulus "$S.data" "${POT[@]}" --temp 300 --method both --strain 0.005 \
            --steps "$G_STEPS" --equil 1000 --csv "$S.modulus.csv" --quiet >> "$LOG"
    fi
done

# summary: one row per rate
"$PY" - "$OUT" $RATES > "$OUT/summary.csv" <<'PY'
import csv, re, sys
out, rates = sys.argv[1], sys.argv[2:]
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

cols = ["rate_K_per_s", "atoms", "energy_eV_per_atom", "omega_A3", "msd_A2", "msd_err_A2", "vflex_A3",
        "vflex_err_A3", "eta", "T_msd_K", "kT_over_vflex_GPa", "G_pred_GPa", "G_thermal_GPa", "G_thermal_err_GPa",
        "G_athermal_GPa", "G_athermal_spread_GPa", "cn5_fraction", "corr_length_A", "plateau_begin_ps"]
print(",".join(cols))
for r in rates:
    s = f"{out}/q_{r}"
    f, g, q = report(s + ".flex.txt"), table(s + ".modulus.csv"), table(s + ".quench.csv")
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
    print(",".join(str(x) for x in [
        r, n, q["energy per atom"], omega, f["mean MSD"], f["mean MSD error"], v, f["mean v_flex error"],
        f["mean eta"], f["mean temperature"], kT / v * eV_A3_GPa, f["predicted G = 0.464 kT/v_flex"], g["thermal G"],
        g.get("thermal G error", 0.0), g["athermal G"], g["athermal G spread over planes"], cn5,
        f.get("v_flex correlation length", float("nan")), f["plateau begin"]]))
PY
cat "$OUT/summary.csv"
"$PY" "$here/plots.py" "$OUT" || echo "plots.py failed (numpy/matplotlib missing?)" >&2
