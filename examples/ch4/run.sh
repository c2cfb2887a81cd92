#!/usr/bin/env bash
# examples/ch4/run.sh — the thesis ch. 3/4 study (Cu-Zr metallic glass:
# flexibility volume at 50 K, G against k_B T / v_flex, and the structural
# flexibility SF learned by linear SVR from reduced partial-PDF features)
# driven through the amorph CLI, at a size one core allows (see
# docs/studies/ch4.md for the stages and the measured numbers).
#
#   examples/ch4/run.sh [--paper | --smoke] [OUT_DIR]   (OUT_DIR default: ch4-out)
#
# --smoke: every stage on 160-atom samples in about a minute (numbers
# meaningless; ctest example_ch4_smoke): ATOMS=160 RATES="1e15 5e14" SAMPLES=2
# RUNS=4 MSD_TIME=1 HOLD=2 FAST=1e15 G_STEPS=200 PLATEAU=5 unless set.
#
# Environment (defaults = the reduced run; --paper = the thesis's sizes):
#   AMORPH    amorph executable (default: build/release, build or build/demo's
#             apps/amorph/amorph, else amorph on PATH; target amorph-cli)
#   PYTHON    python3 with numpy + matplotlib (default /usr/bin/python3)
#   THREADS   amorph worker threads (default 1)
#   ATOMS     atoms                              (1024;  paper 32000)
#   CU        Cu fraction x of Cu_x Zr_(1-x)     (0.5)
#   RATES     effective rates 1000 -> 500 K, K/s (1e14 1e13 2e12; paper 1e13 1e11 1e9)
#   SAMPLES   independent samples per rate, each from its own random start and
#             melt                                (4; paper 2)
#   TEST      of those, held out (never trained on): the last TEST (1; paper 1)
#   FAST      rate of the other legs: 2000 -> 1000 K and 500 -> 50 K, K/s (1e14;
#             paper: thesis schedule, 1e13 to 1500 K, 1e12 to 1000 K, 1e13 to 50 K)
#   RUNS      NVE runs per v_flex ensemble       (20;    paper 100)
#   MSD_TIME  length of one NVE run, ps          (3; the 50 K plateau is reached after ~1.5 ps)
#   PLATEAU   largest MSD growth over the second half of a run (0.1)
#   HOLD      hold at 50 K, 0 bar after the quench, ps (40; paper 2000)
#   G_METHOD  athermal | thermal | both           (both)
#   G_STEPS   NVT sampling steps per strained copy, thermal G (2500; paper 25000)
#   DT        timestep, ps                       (0.002: the thesis's largest)
#   SVR_C     values of C cross-validated (5-fold) on each training set (0.01 0.1 1)
#   SVR_EPS   SVR tube half-width epsilon        (0.1, LIBLINEAR's default)
#   SEED      run seed (1): sample k (1..SAMPLES) of the i-th rate (i = 0, 1, ..)
#             has seed 1000 SEED + 100 i + k for its random start and melt
#             velocities, so runs with different SEED share no sample
#   MODELS_FROM  another run's OUT: its SVR models (every rate's and the pooled one)
#             are also applied to every atom of this run -> rows "transfer_from"
#             of sf.csv (e.g. CU=0.64 SEED=2 with the Cu50Zr50 models: the
#             thesis's transfer to another composition; each run uses its own r_p)
# Samples: OUT/q_RATE_sK.* (K = 1..SAMPLES).
# Stages (each skipped when its output exists, so an interrupted run resumes):
#   start     per sample, ATOMS random positions (>= 2.2 A apart, 18.5 A^3/atom),
#             a fraction CU of them Cu, python
#   melt      per sample, NPT 0 bar: 2000 K 6 ps, then to 1000 K at FAST
#             (--paper: 2000 K 20 ps, 1e13 K/s to 1500 K, 1e12 K/s to 1000 K)
#                                                         amorph quench --no-minimize
#   quench    from that liquid and its velocities: NPT 0 bar, the rate from
#             1000 to 500 K, FAST to 50 K, HOLD ps at 50 K, CG at fixed cell
#             (inherent structure)                        amorph quench
#   flex      v_flex ensemble at 50 K from the minimum (RUNS NVE runs, velocities
#             at 2T), MSD plateau check, per-atom v_flex  amorph flex
#   modulus   G by +-0.5 % simple shear on xy, xz, yz: athermal (CG of every
#             strained copy) and/or thermal (NVT 50 K, block errors)   amorph modulus
#   modes     held-out samples: normal modes of the inherent structure,
#             participation p_i in the lowest 1 % (thesis 4.5.4)
#                                                   amorph modes --fraction 0.01
#   rdf       partial g(r) of every sample; r_p = first peaks of the slowest
#             rate's first sample (reduced distance r~ = r / r_p)  amorph rdf
#   sf        reduced partial-PDF features, thesis eq 4.5/4.6 (r~ 0.6..3.0 step
#             0.05, Gaussian sigma 0.05, per neighbor species, + bias), Cu and Zr
#             centers separately                          amorph sf --descriptor reduced-pdf
#   svr       y = ln v_flex; models trained on every atom of the training samples
#             (per rate, and pooled over the rates), features standardized on the
#             training rows (thesis 4.6.2), linear L2-regularized L2-loss SVR
#             (eq 4.7) whose intercept is the weight of the bias column (no extra
#             one), C by 5-fold CV on the training rows; tests on the held-out
#             samples: the rate's own model, the pooled model, and transfer
#             (model of one rate on the held-out samples of another)
#                   amorph softness train --task regression / softness predict;
#                   rows between .npy files and Pearson rho: examples/ch4/sfdata.py
#   summary   OUT/summary.csv (one row per sample), OUT/sf.csv (every rho),
#             OUT/modes.json (p against SF and Omega, Figs. 4.14-4.15),
#             OUT/summary.json (C fits, rho_heldout_cu/zr, per-rate rows, and
#             rho_transfer_cu/zr with MODELS_FROM), OUT/times.csv (wall/CPU s per stage)
#   plots     examples/ch4/plots.py OUT -> OUT/figures/*.png
set -euo pipefail

main() {
PAPER=0
if [[ ${1:-} == --paper ]]; then PAPER=1; shift; fi
if [[ ${1:-} == --smoke ]]; then
    shift
    : "${ATOMS:=160}" "${RATES:=1e15 5e14}" "${SAMPLES:=2}" "${RUNS:=4}" "${MSD_TIME:=1}" "${HOLD:=2}" "${FAST:=1e15}"
    : "${G_STEPS:=200}" "${PLATEAU:=5}"
fi
if [[ ${1:-} == -h || ${1:-} == --help ]]; then awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0; fi
OUT=${1:-ch4-out}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ $PAPER == 1 ]]; then
    : "${ATOMS:=32000}" "${RATES:=1e13 1e11 1e9}" "${RUNS:=100}" "${HOLD:=2000}" "${G_STEPS:=25000}"
    : "${SAMPLES:=2}"
fi
ATOMS=${ATOMS:-1024}
RATES=${RATES:-"1e14 1e13 2e12"}
SAMPLES=${SAMPLES:-4}
TEST=${TEST:-1}
FAST=${FAST:-1e14}
RUNS=${RUNS:-20}
MSD_TIME=${MSD_TIME:-3}
PLATEAU=${PLATEAU:-0.1}
HOLD=${HOLD:-40}
G_METHOD=${G_METHOD:-both}
G_STEPS=${G_STEPS:-2500}
DT=${DT:-0.002}
SVR_C=${SVR_C:-"0.01 0.1 1"}
SVR_EPS=${SVR_EPS:-0.1}
SEED=${SEED:-1}
CU=${CU:-0.5}
THREADS=${THREADS:-1}
PY=${PYTHON:-/usr/bin/python3}
if [[ -z ${AMORPH:-} ]]; then
    for b in build/release/apps/amorph/amorph build/apps/amorph/amorph build/demo/apps/amorph/amorph; do
        [[ -x $b ]] && { AMORPH=$b; break; }
    done
    [[ -n ${AMORPH:-} ]] || AMORPH=$(command -v amorph) || { echo "set AMORPH to the amorph executable" >&2; exit 2; }
fi
[[ $SAMPLES =~ ^[0-9]+$ && $TEST =~ ^[0-9]+$ ]] && (( TEST >= 1 && SAMPLES <= 99 )) ||
    { echo "run.sh: SAMPLES ($SAMPLES) and TEST ($TEST) must be integers, 1 <= TEST, SAMPLES <= 99" >&2; exit 2; }
(( TEST < SAMPLES )) || [[ -n ${MODELS_FROM:-} ]] ||
    { echo "run.sh: TEST ($TEST) must be below SAMPLES ($SAMPLES): nothing left to train on" >&2; exit 2; }
[[ -z ${MODELS_FROM:-} || -f ${MODELS_FROM:-}/svr/pooled_Cu.json ]] ||
    { echo "run.sh: MODELS_FROM: $MODELS_FROM/svr/pooled_Cu.json does not exist (not a finished run)" >&2; exit 2; }
for R in $RATES; do [[ $R =~ ^[0-9.]+(e[0-9]+)?$ ]] || { echo "run.sh: RATES: $R is not a rate in K/s" >&2; exit 2; }; done
POT=(--preset cuzr-mendelev --threads "$THREADS")   # /usr/share/lammps/potentials/CuZr_mm.eam.fs
SFD=("$PY" "$here/sfdata.py")
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

# start FILE SEED: liquid-like random positions, a fraction CU Cu (type 1), the rest Zr (type 2)
start() {
    "$PY" - "$ATOMS" 18.5 "$2" "$1" "$CU" <<'PY'
import random, sys
n, omega, seed, out, cu = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
L, dmin = (n * omega) ** (1 / 3), 2.2
rnd = random.Random(seed)
m = max(3, int(L / dmin))
cell, grid, pts = L / m, {}, []
while len(pts) < n:                     # random sequential addition on a cell grid
    p = tuple(rnd.random() * L for _ in range(3))
    c = tuple(int(x / cell) % m for x in p)
    ok = True
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for dz in (-1, 0, 1):
                for q in grid.get(((c[0] + dx) % m, (c[1] + dy) % m, (c[2] + dz) % m), ()):
                    d = [(a - b) - L * round((a - b) / L) for a, b in zip(p, q)]
                    ok = ok and d[0] ** 2 + d[1] ** 2 + d[2] ** 2 >= dmin ** 2
    if ok:
        grid.setdefault(c, []).append(p)
        pts.append(p)
ncu = round(cu * n)
types = [1] * ncu + [2] * (n - ncu)
rnd.shuffle(types)
with open(out, "w") as f:
    f.write(f"random Cu{ncu} Zr{n - ncu}, {omega} A^3/atom\n\n{n} atoms\n2 atom types\n\n")
    for ax in "xyz":
        f.write(f"0 {L:.10g} {ax}lo {ax}hi\n")
    f.write("\nMasses\n\n1 63.546 # Cu\n2 91.224 # Zr\n\nAtoms # atomic\n\n")
    for i, (t, p) in enumerate(zip(types, pts), 1):
        f.write(f"{i} {t} {p[0]:.10g} {p[1]:.10g} {p[2]:.10g}\n")
PY
}

TRAIN=(); HELD=(); i=0
for R in $RATES; do
  for K in $(seq 1 "$SAMPLES"); do
    SMP=${R}_s$K; S=$OUT/q_$SMP; SEED_K=$((1000 * SEED + 100 * i + K))
    if (( K > SAMPLES - TEST )); then HELD+=("$SMP"); else TRAIN+=("$SMP"); fi
    [[ -f $S.start.data || -f $S.data ]] || start "$S.start.data" "$SEED_K"
    echo "$SEED_K" > "$S.seed"
    if [[ ! -f $S.liquid.data && ! -f $S.data ]]; then   # this sample's own melt, down to 1000 K
        if [[ $PAPER == 1 ]]; then
            printf 'temperature 2000\npressure 0\nhold 20\nramp 1500 rate 1e13/s\nramp 1000 rate 1e12/s\n'
        else
            printf 'temperature 2000\npressure 0\nhold 6\nramp 1000 rate %s/s\n' "$FAST"
        fi > "$S.melt.schedule"
        run "melt $SMP" "$AMORPH" quench "$S.start.data" "${POT[@]}" --schedule "$S.melt.schedule" --seed "$SEED_K" \
            --dt "$DT" --no-minimize --checkpoint "$S.liquid.ckpt" --every 25000 --resume --quiet \
            --csv "$S.melt.csv" -o "$S.liquid.data" >> "$LOG"
    fi
    if [[ ! -f $S.data ]]; then
        LAST=$FAST; [[ $PAPER == 1 ]] && LAST=1e13
        printf 'temperature 1000\npressure 0\nramp 500 rate %s/s\nramp 50 rate %s/s\nhold %s\n' "$R" "$LAST" "$HOLD" \
            > "$S.schedule"
        run "quench $SMP" "$AMORPH" quench "$S.liquid.data" "${POT[@]}" --schedule "$S.schedule" --dt "$DT" \
            --checkpoint "$S.ckpt" --every 25000 --resume --quiet --csv "$S.quench.csv" -o "$S.data" >> "$LOG"
    fi
    if [[ ! -f $S.flex.xyz ]]; then
        run "flex $SMP" "$AMORPH" flex "$S.data" "${POT[@]}" --temp 50 --runs "$RUNS" --time "$MSD_TIME" --dt "$DT" \
            --start minimum --plateau-tol "$PLATEAU" --checkpoint "$S.msd.ckpt" --resume --csv "$S.msd_curve.csv" \
            --quiet -o "$S.flex.xyz" > "$S.flex.txt"
    fi
    if [[ ! -f $S.modulus.csv ]]; then
        run "modulus $SMP" "$AMORPH" modulus "$S.data" "${POT[@]}" --temp 50 --method "$G_METHOD" --strain 0.005 \
            --steps "$G_STEPS" --equil 500 --dt "$DT" --csv "$S.modulus.csv" --quiet >> "$LOG"
    fi
    if (( K > SAMPLES - TEST )) && [[ ! -f $S.modes.xyz ]]; then
        run "modes $SMP" "$AMORPH" modes "$S.data" "${POT[@]}" --fraction 0.01 --eigenvalues "$S.modes_ev.npy" \
            --ratio "$S.modes_ratio.npy" --quiet -o "$S.modes.xyz" > "$S.modes.txt"
    fi
    if [[ ! -f $S.rdf.csv ]]; then
        run "rdf $SMP" "$AMORPH" rdf "$S.data" --rmax 8 --bins 320 --partial --csv "$S.rdf.csv" >> "$LOG"
    fi
  done
  i=$((i + 1))
done

# r_p (first-peak positions, Cu-Cu, Cu-Zr, Zr-Cu, Zr-Zr) from the slowest rate's first sample
SLOW=$("${SFD[@]}" slowest $RATES)
[[ -f $OUT/rp.txt ]] || "${SFD[@]}" rp "$OUT/q_${SLOW}_s1.rdf.csv" > "$OUT/rp.txt"
RP=$(cat "$OUT/rp.txt")
for SMP in "${TRAIN[@]}" "${HELD[@]}"; do
    S=$OUT/q_$SMP
    for X in Cu Zr; do
        if [[ ! -f $S.sf_$X.npy ]]; then
            run "sf $SMP $X" "$AMORPH" sf "$S.flex.xyz" --descriptor reduced-pdf --rp "$RP" --centers "$X" \
                --save-settings "$OUT/sf_settings.json" --ids-out "$S.ids_$X.npy" -o "$S.sf_$X.npy" --quiet >> "$LOG"
        fi
    done
done

# SVR: y = ln v_flex; models per rate and pooled, trained on the training samples only
mkdir -p "$OUT/svr"
"${SFD[@]}" split "$OUT" "${TRAIN[@]}" -- "${HELD[@]}"
CS=$(echo $SVR_C | tr ' ' ',')
train() {   # train NAME FEATURES LABELS
    [[ -f $OUT/svr/$1.json ]] || run "svr $1" "$AMORPH" softness train --task regression \
        --bias none --epsilon "$SVR_EPS" --cv "$CS" --folds 5 --seed "$SEED" --features "$2" --labels "$3" \
        -o "$OUT/svr/$1.json" > "$OUT/svr/$1.txt"
}
predict() { # predict MODEL FEATURES OUT
    [[ -f $3 ]] || "$AMORPH" softness predict --model "$1" --features "$2" -o "$3" --quiet
}
MODELS=()
if (( ${#TRAIN[@]} > 0 )); then
    MODELS=(pooled $RATES)
    for X in Cu Zr; do
        for M in "${MODELS[@]}"; do
            train "${M}_$X" "$OUT/svr/${M}_$X.train.X.npy" "$OUT/svr/${M}_$X.train.y.npy"
            for SMP in "${TRAIN[@]}" "${HELD[@]}"; do
                predict "$OUT/svr/${M}_$X.json" "$OUT/svr/${SMP}_$X.X.npy" "$OUT/svr/pred_${M}_on_${SMP}_$X.npy"
            done
        done
    done
    "${SFD[@]}" score "$OUT" "${TRAIN[@]}" -- "${HELD[@]}" > "$OUT/sf.csv"
else
    echo "kind,species,model,data,C,n,rho" > "$OUT/sf.csv"
fi
if [[ -n ${MODELS_FROM:-} ]]; then   # the other run's models on every atom of this one
    for M in "$MODELS_FROM"/svr/*_Cu.json "$MODELS_FROM"/svr/*_Zr.json; do
        X=$(basename "$M" .json); X=${X##*_}
        for SMP in "${TRAIN[@]}" "${HELD[@]}"; do
            predict "$M" "$OUT/svr/${SMP}_$X.X.npy" "$OUT/svr/from_$(basename "$M" .json)_on_$SMP.npy"
        done
    done
    "${SFD[@]}" transfer "$OUT" "$MODELS_FROM" "${TRAIN[@]}" "${HELD[@]}" >> "$OUT/sf.csv"
fi
cat "$OUT/sf.csv"
# participation in soft modes against SF and Omega (thesis Figs. 4.14, 4.15), held-out samples
(( ${#TRAIN[@]} == 0 )) || "${SFD[@]}" modes "$OUT" "${HELD[@]}" > "$OUT/modes.json"

# summary: one row per sample
"$PY" - "$OUT" "${TRAIN[@]}" -- "${HELD[@]}" > "$OUT/summary.csv" <<'PY'
import csv, re, sys
out, args = sys.argv[1], sys.argv[2:]
train, held = args[:args.index("--")], args[args.index("--") + 1:]
kT = 8.617333262e-5 * 50.0             # eV
nan = float("nan")
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

def xyz(path):
    lines = open(path).read().split("\n")
    n = int(lines[0])
    props = re.search(r"Properties=(\S+)", lines[1]).group(1).split(":")
    at, col = {}, 0
    for k in range(0, len(props), 3):
        at[props[k]] = col; col += int(props[k + 2])
    return n, at, [l.split() for l in lines[2:2 + n]]

cols = ["sample", "rate_K_per_s", "seed", "role", "atoms", "energy_eV_per_atom", "omega_A3", "omega_Cu_A3", "omega_Zr_A3", "msd_A2",
        "msd_err_A2", "vflex_A3", "vflex_err_A3", "vflex_Cu_A3", "vflex_Zr_A3", "eta", "T_msd_K",
        "kT_over_vflex_GPa", "G_pred_GPa", "G_thermal_GPa", "G_thermal_err_GPa", "G_athermal_GPa",
        "G_athermal_spread_GPa", "plateau_begin_ps", "plateau_growth"]
print(",".join(cols))
for smp in train + held:
    r = smp.rsplit("_s", 1)[0]
    s = f"{out}/q_{smp}"
    seed = open(s + ".seed").read().strip()
    f, g, q = report(s + ".flex.txt"), table(s + ".modulus.csv"), table(s + ".quench.csv")
    n, at, rows = xyz(s + ".flex.xyz")
    def mean(col, sp=None):
        v = [float(x[at[col]]) for x in rows if sp is None or x[at["species"]] == sp]
        return sum(v) / len(v)
    v = f["mean v_flex"]
    print(",".join(str(x) for x in [
        smp, r, seed, "train" if smp in train else "test", n, q["energy per atom"], mean("volume"), mean("volume", "Cu"), mean("volume", "Zr"), f["mean MSD"],
        f["mean MSD error"], v, f["mean v_flex error"], mean("vflex", "Cu"), mean("vflex", "Zr"), f["mean eta"],
        f["mean temperature"], kT / v * eV_A3_GPa, f["predicted G = 0.464 kT/v_flex"], g.get("thermal G", nan),
        g.get("thermal G error", nan), g.get("athermal G", nan), g.get("athermal G spread over planes", nan), f["plateau begin"],
        f["plateau growth"]]))
PY
cat "$OUT/summary.csv"
"${SFD[@]}" summary "$OUT"
"$PY" "$here/plots.py" "$OUT" || echo "plots.py failed (numpy/matplotlib missing?)" >&2
}

main "$@"
