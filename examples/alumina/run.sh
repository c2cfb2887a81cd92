#!/usr/bin/env bash
# examples/alumina/run.sh — the amorphous Al2O3 fracture study (Du et al., ACS
# Nano 15, 17705 (2021)) end to end through the amorph CLI: pressure-quenched
# glasses, p_hop softness, plane-strain and plane-stress tension, bond
# switching, cumulative nonaffine displacement, atomic stress, high-softness
# clusters, figures and OUT/summary.json (docs/studies/alumina.md).
#
#   examples/alumina/run.sh [--smoke|--paper] [--build BUILD_DIR] OUT
#
# Sizes (environment variables override each):
#                      --smoke     default     --paper
#   ATOMS              540         1620        8100      atoms of one glass (multiple of 5)
#   PRESSURES (GPa)    "0 4"       "0 2 4"     "0 1 2 3 4"  quench pressures
#   MELT (ps)          2           10          45        5000 K NVT (then 3000 K in COOL1, HOLD1 at 3000 K)
#   COOL1, HOLD1 (ps)  1, 2        5, 10       10, 45
#   DENSE (ps)         2           10          45        NVT 3000 K at 3.175 g/cm^3
#   QUENCH (ps)        5           40          650       NPT 3000 -> 300 K at the pressure
#   RELAX_NVT, RELAX_NPT (ps)  1, 1   5, 10    15, 20    300 K NVT, then NPT at 0 GPa
#   THERMAL (ps)       14          80          200       NVT 300 K trajectory for p_hop (t_R = 6 ps)
#   THERMAL_RUNS       1           2           1         independent trajectories per glass (new velocities)
#   DUMP_EVERY (steps) 50          100         100       trajectory frame interval
#   REPLICATE          2           2           2         copies along x for the tension runs
#   DSTRAIN, MAX_STRAIN 0.05, 0.3  0.02, 0.4   0.01, 0.5 plane-strain strain steps
#   HOLD (steps)       200         1000        10000     NVT 300 K after each step's minimization
#   MINITER            200         500         2000      CG iterations per step (PPPM forces: CG
#                                                        stops at "linesearch alpha is zero")
#   RATE (1/s), RATE_STRAIN  5e10, 0.1  5e10, 0.5  5e10, 0.5  plane-stress loading
#   SEED               1                                 melt velocities; another SEED = new glasses
#   FOLDS              5                                 cross-validation folds of the softness SVMs
#   MIN_STD            1e-6                              features with a smaller training std are not
#                                                        standardized (softness train --min-std): the
#                                                        angular functions with xi = 0.695 A are ~1e-12
#   JOBS               2 (cores)                         pressures run side by side, 1 thread each
#   AMORPH             the amorph executable (default BUILD_DIR/apps/amorph/amorph)
#   PYTHON             python3 with numpy, matplotlib (default /usr/bin/python3)
#
# Stages (each skipped when its output exists; the melt and the quenches
# checkpoint, so an interrupted run resumes where it stopped):
#   prepare   sample (2.75 g/cm^3, random sequential addition), melt 5000 K,
#             cool to 3000 K, hold, densify to 3.175 g/cm^3, hold       amorph sample, quench, convert
#   glass P   NPT quench to 300 K at P GPa (fresh velocities per P), NVT
#             then NPT relaxation at 300 K, 0 GPa                        amorph quench
#   thermal   NVT 300 K trajectory; p_hop of the Al (t_R = 6 ps), balanced
#             rearranging (> 0.2 A^2) / quiet (< 0.05 A^2) samples; radial +
#             angular structure functions and Voronoi volumes of them    amorph md, phop, sf, voronoi
#   tension   replicate along x; loading 2 (plane strain): strain steps,
#             CG, NVT hold, configuration saved per step; loading 1 (plane
#             stress): constant rate, lateral stress zero                amorph convert, deform
#   softness  linear SVMs (C = 1) on all pressures' samples: radial + angular,
#             radial only, Voronoi volume only; accuracies by FOLDS-fold
#             cross-validation by atom, then each model on every sample  amorph softness train/predict
#   analysis  per pressure and strain: cumulative D (4 A), bond switching of
#             Al (Al-O 2.25 A), atomic stress, softness of every Al, clusters
#             of the top 10 % softness Al (3.7 A)                        amorph d2min, bonds, stress,
#                                                                       softness predict, clusters
#   summary   OUT/summary.json, OUT/figures/*.png                        analyze.py, plots.py
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '2,50p' "$0" | sed 's/^# \{0,1\}//'; }
MODE=reduced BUILD= OUT=
while [[ $# -gt 0 ]]; do
    case $1 in
        --smoke) MODE=smoke ;;
        --paper) MODE=paper ;;
        --build) BUILD=${2:?--build needs a directory}; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) [[ -z $OUT ]] || { echo "run.sh: one OUT directory" >&2; exit 2; }; OUT=$1 ;;
    esac
    shift
done
[[ -n $OUT ]] || { usage >&2; exit 2; }

# defaults per mode: smoke / reduced / paper
pick() { case $MODE in smoke) echo "$1" ;; reduced) echo "$2" ;; paper) echo "$3" ;; esac; }
: "${ATOMS:=$(pick 540 1620 8100)}" "${PRESSURES:=$(pick '0 4' '0 2 4' '0 1 2 3 4')}"
: "${MELT:=$(pick 2 10 45)}" "${COOL1:=$(pick 1 5 10)}" "${HOLD1:=$(pick 2 10 45)}" "${DENSE:=$(pick 2 10 45)}"
: "${QUENCH:=$(pick 5 40 650)}" "${RELAX_NVT:=$(pick 1 5 15)}" "${RELAX_NPT:=$(pick 1 10 20)}"
: "${THERMAL:=$(pick 14 80 200)}" "${THERMAL_RUNS:=$(pick 1 2 1)}" "${DUMP_EVERY:=$(pick 50 100 100)}" "${REPLICATE:=2}"
: "${DSTRAIN:=$(pick 0.05 0.02 0.01)}" "${MAX_STRAIN:=$(pick 0.3 0.4 0.5)}" "${HOLD:=$(pick 200 1000 10000)}"
: "${MINITER:=$(pick 200 500 2000)}" "${RATE:=5e10}" "${RATE_STRAIN:=$(pick 0.1 0.5 0.5)}"
: "${SEED:=1}" "${JOBS:=$(nproc 2>/dev/null || echo 2)}" "${FOLDS:=5}" "${MIN_STD:=1e-6}"
PY=${PYTHON:-/usr/bin/python3}
if [[ -z ${AMORPH:-} ]]; then
    for b in ${BUILD:+$BUILD/apps/amorph/amorph} build/release/apps/amorph/amorph build/apps/amorph/amorph \
             build/demo/apps/amorph/amorph; do
        [[ -x $b ]] && { AMORPH=$b; break; }
    done
    [[ -n ${AMORPH:-} ]] || AMORPH=$(command -v amorph) || { echo "run.sh: build amorph first (--build DIR)" >&2; exit 2; }
fi
AMORPH=$(cd "$(dirname "$AMORPH")" && pwd)/$(basename "$AMORPH")
POT=(--preset alox-matsui --species Al,O --charge Al=1.4175,O=-0.945)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TIMES=$OUT/times.csv
[[ -f $TIMES ]] || echo "stage,wall_s,user_s,sys_s" > "$TIMES"
cat > "$OUT/settings.json" <<EOF
{"mode": "$MODE", "atoms": $ATOMS, "pressures_GPa": [$(echo "$PRESSURES" | sed 's/ /, /g')],
 "melt_ps": $MELT, "cool1_ps": $COOL1, "hold1_ps": $HOLD1, "dense_ps": $DENSE, "quench_ps": $QUENCH,
 "relax_nvt_ps": $RELAX_NVT, "relax_npt_ps": $RELAX_NPT, "thermal_ps": $THERMAL, "thermal_runs": $THERMAL_RUNS,
 "dump_every": $DUMP_EVERY,
 "replicate_x": $REPLICATE, "dstrain": $DSTRAIN, "max_strain": $MAX_STRAIN, "hold_steps": $HOLD,
 "min_iterations": $MINITER, "rate_per_s": $RATE, "rate_strain": $RATE_STRAIN, "seed": $SEED, "jobs": $JOBS,
 "folds": $FOLDS, "min_std": $MIN_STD,
 "amorph_version": "$("$AMORPH" --version | tr -d '\n')"}
EOF

# run LOG STAGE CMD...: run CMD (output to LOG), append its wall/CPU seconds to times.csv.
run() {
    local log=$1 stage=$2; shift 2
    echo "== $stage: $*" >> "$log"; echo "== $stage ($(date -u +%H:%M:%S))" >&2
    local TIMEFORMAT="$stage,%R,%U,%S"
    { time "$@" >> "$log" 2>&1; } 2>> "$TIMES" || { echo "run.sh: $stage failed; see $log" >&2; return 1; }
}
# schedule FILE LINES...: write a quench schedule
schedule() { local f=$1; shift; printf '%s\n' "$@" > "$f"; }
steps_of() { "$PY" -c "print(max(1, round($1 * 1000)))"; }   # ps -> steps at dt = 1 fs

# ---- prepare: the dense 3000 K liquid all pressures start from ----
P0=$OUT/prepare
mkdir -p "$P0"
if [[ ! -f $P0/liquid.data ]]; then
    LOG=$P0/log.txt
    [[ -f $P0/start.data ]] || run "$LOG" sample "$AMORPH" sample alox -n "$ATOMS" --mass-density 2.75 --seed "$SEED" -o "$P0/start.data"
    if [[ ! -f $P0/melt.data ]]; then
        schedule "$P0/melt.schedule" "temperature 5000" "hold $MELT" "ramp 3000 time $COOL1" "hold $HOLD1"
        run "$LOG" melt "$AMORPH" quench "$P0/start.data" "${POT[@]}" --schedule "$P0/melt.schedule" --seed "$SEED" \
            --no-minimize --threads "$JOBS" --quiet --checkpoint "$P0/melt.ckpt" --every 2000 --resume \
            --csv "$P0/melt.csv" -o "$P0/melt.data"
    fi
    [[ -f $P0/dense0.data ]] || run "$LOG" densify "$AMORPH" convert "$P0/melt.data" "$P0/dense0.data" --mass-density 3.175
    schedule "$P0/dense.schedule" "temperature 3000" "hold $DENSE"
    run "$LOG" dense "$AMORPH" quench "$P0/dense0.data" "${POT[@]}" --schedule "$P0/dense.schedule" --no-minimize \
        --threads "$JOBS" --quiet --checkpoint "$P0/dense.ckpt" --every 2000 --resume --csv "$P0/dense.csv" \
        -o "$P0/liquid.data"
fi

# ---- per pressure: glass, thermal samples, tension (independent: JOBS side by side) ----
branch() {
    local P=$1 k=$2 D=$OUT/p$1
    local LOG=$D/log.txt bar
    mkdir -p "$D"
    bar=$("$PY" -c "print($P * 1e4)")   # GPa -> bar
    if [[ ! -f $D/glass.data ]]; then
        schedule "$D/quench.schedule" "temperature 3000" "pressure $bar" "ramp 300 time $QUENCH"
        run "$LOG" "quench $P GPa" "$AMORPH" quench "$P0/liquid.data" "${POT[@]}" --schedule "$D/quench.schedule" \
            --seed $((SEED * 100 + k)) --no-minimize --threads 1 --quiet --checkpoint "$D/quench.ckpt" --every 2000 \
            --resume --csv "$D/quench.csv" -o "$D/quenched.data"
        schedule "$D/relax_nvt.schedule" "temperature 300" "hold $RELAX_NVT"
        run "$LOG" "relax nvt $P GPa" "$AMORPH" quench "$D/quenched.data" "${POT[@]}" --schedule "$D/relax_nvt.schedule" \
            --no-minimize --threads 1 --quiet -o "$D/relaxed_nvt.data"
        schedule "$D/relax_npt.schedule" "temperature 300" "pressure 0" "hold $RELAX_NPT"
        run "$LOG" "relax npt $P GPa" "$AMORPH" quench "$D/relaxed_nvt.data" "${POT[@]}" --schedule "$D/relax_npt.schedule" \
            --no-minimize --threads 1 --quiet --csv "$D/relax_npt.csv" -o "$D/glass.part.data"
        mv "$D/glass.part.data" "$D/glass.data"
    fi
    # THERMAL_RUNS trajectories: the first continues the glass's velocities, the others start
    # from new ones; files thermal.dump, samples.csv, ... then thermal2.dump, samples2.csv, ...
    local r t seed
    for r in $(seq 1 "$THERMAL_RUNS"); do
        t=$([[ $r == 1 ]] || echo "$r")
        [[ -f $D/samples${t}_vor.npy ]] && continue
        if [[ ! -f $D/thermal$t.data ]]; then
            rm -f "$D/thermal$t.dump"
            seed=(); [[ $r == 1 ]] || seed=(--seed $((SEED * 100 + k + 1000 * r)))
            run "$LOG" "thermal$t $P GPa" "$AMORPH" md "$D/glass.data" "${POT[@]}" --ensemble nvt --temp 300 "${seed[@]}" \
                --steps "$(steps_of "$THERMAL")" --dump "$DUMP_EVERY" "$D/thermal$t.dump" --threads 1 --quiet \
                -o "$D/thermal$t.data"
        fi
        run "$LOG" "phop$t $P GPa" "$AMORPH" phop "$D/thermal$t.dump" --species Al,O --centers Al --window 6 --dt 0.001 \
            --seed $((SEED * 100 + k + 1000 * (r - 1))) --samples "$D/samples$t.csv" --quiet
        run "$LOG" "sf$t $P GPa" "$AMORPH" sf "$D/thermal$t.dump" --species Al,O --samples "$D/samples$t.csv" \
            --descriptor alumina --save-settings "$OUT/sf_settings.json" --labels-out "$D/samples${t}_labels.npy" \
            --groups-out "$D/samples${t}_ids.npy" --quiet -o "$D/samples${t}_sf.npy"
        run "$LOG" "voronoi$t $P GPa" "$AMORPH" voronoi "$D/thermal$t.dump" --species Al,O --samples "$D/samples$t.csv" \
            -o "$D/samples${t}_vor.part.npy"
        mv "$D/samples${t}_vor.part.npy" "$D/samples${t}_vor.npy"
    done
    # tension on the replicated glass (its velocities kept)
    [[ -f $D/tension_start.data ]] || "$AMORPH" convert "$D/glass.data" "$D/tension_start.data" --replicate "$REPLICATE,1,1" --quiet
    if [[ ! -f $D/plane_strain.csv ]]; then
        rm -rf "$D/plane_strain"; mkdir -p "$D/plane_strain"
        run "$LOG" "plane strain $P GPa" "$AMORPH" deform "$D/tension_start.data" "${POT[@]}" --loading steps \
            --direction x --lateral strain --dstrain "$DSTRAIN" --max-strain "$MAX_STRAIN" --hold "$HOLD" \
            --sample "$(( HOLD / 5 ))" --temp 300 --ftol 1e-3 --maxiter "$MINITER" --threads 1 --quiet \
            --save-prefix "$D/plane_strain/e" --csv "$D/plane_strain.part.csv" -o "$D/plane_strain_final.data"
        mv "$D/plane_strain.part.csv" "$D/plane_strain.csv"
    fi
    if [[ ! -f $D/plane_stress.csv ]]; then
        local rsteps
        rsteps=$("$PY" -c "print(round($RATE_STRAIN / ($RATE * 1e-15)))")
        run "$LOG" "plane stress $P GPa" "$AMORPH" deform "$D/tension_start.data" "${POT[@]}" --loading rate \
            --direction x --lateral stress --rate "$("$PY" -c "print($RATE * 1e-12)")" --steps "$rsteps" \
            --thermo "$(( rsteps / 50 > 0 ? rsteps / 50 : 1 ))" --temp 300 --threads 1 --quiet \
            --checkpoint "$D/plane_stress.ckpt" --every 2000 $([[ -f $D/plane_stress.ckpt ]] && echo --resume "$D/plane_stress.ckpt") \
            --csv "$D/plane_stress.part.csv" -o "$D/plane_stress_final.data"
        mv "$D/plane_stress.part.csv" "$D/plane_stress.csv"
    fi
}

pids=() k=0
for P in $PRESSURES; do
    k=$((k + 1))
    branch "$P" "$k" &
    pids+=($!)
    while (( $(jobs -rp | wc -l) >= JOBS )); do wait -n || { kill "${pids[@]}" 2>/dev/null; exit 1; }; done
done
for pid in "${pids[@]}"; do wait "$pid" || { kill "${pids[@]}" 2>/dev/null; exit 1; }; done

# ---- softness: SVMs on every pressure's samples ----
# FOLDS-fold cross-validation by atom (the accuracies), then each model on all samples
# (softness/full.json predicts the softness of the configurations below).
S=$OUT/softness
mkdir -p "$S"
if [[ ! -f $S/scores.json ]]; then
    set -- $PRESSURES
    "$AMORPH" sf "$OUT/p$1/glass.data" --descriptor alumina --describe > "$S/columns.txt"
    "$PY" "$here/analyze.py" split "$OUT"   # fold/all .npy matrices: radial+angular, radial only, Voronoi volume only
    for m in full radial voronoi; do
        desc=(); [[ $m == full ]] && desc=(--descriptor "$OUT/sf_settings.json" --species Al,O --center-species Al)
        for part in $(seq 0 $((FOLDS - 1))) all; do
            run "$S/log.txt" "svm $m $part" "$AMORPH" softness train --features "$S/${m}_${part}_train_X.npy" \
                --labels "$S/${m}_${part}_train_y.npy" --C 1 --min-std "$MIN_STD" --seed "$SEED" "${desc[@]}" --quiet \
                -o "$S/${m}_${part}.json"
            for set in train test; do
                [[ -f $S/${m}_${part}_${set}_X.npy ]] || continue
                "$AMORPH" softness predict --model "$S/${m}_${part}.json" --features "$S/${m}_${part}_${set}_X.npy" \
                    --quiet -o "$S/${m}_${part}_${set}_S.npy"
            done
        done
        cp "$S/${m}_all.json" "$S/${m}.json"
    done
    for lc in "$S"/lc*_train_X.npy; do   # learning curve (analyze.py LEARNING_FRACTIONS)
        [[ -f $lc ]] || continue
        lc=${lc%_train_X.npy}
        "$AMORPH" softness train --features "${lc}_train_X.npy" --labels "${lc}_train_y.npy" --C 1 --min-std "$MIN_STD" \
            --seed "$SEED" --quiet -o "$lc.json" >> "$S/log.txt"
        "$AMORPH" softness predict --model "$lc.json" --features "${lc}_test_X.npy" --quiet -o "${lc}_test_S.npy"
    done
    "$PY" "$here/analyze.py" scores "$OUT"
fi

# ---- analysis of every saved configuration ----
for P in $PRESSURES; do
    D=$OUT/p$P A=$OUT/p$P/analysis
    [[ -f $A/done ]] && continue
    mkdir -p "$A"
    LOG=$A/log.txt
    REF=$D/tension_start.data
    mapfile -t frames < <(ls "$D"/plane_strain/e*.data | sort -t e -k2 -g)
    run "$LOG" "D $P GPa" "$AMORPH" d2min "$REF" "${frames[@]}" --cumulative --cutoff 4 --quiet -o "$A/D.dump"
    for f in "$REF" "${frames[@]}" "$D/plane_stress_final.data"; do
        name=$(basename "$f" .data)
        "$AMORPH" bonds "$REF" "$f" --center Al --neighbor O --cutoff 2.25 -o "$A/$name.bonds.dump" >> "$LOG"
        if [[ $f != "$D/plane_stress_final.data" ]]; then
            "$AMORPH" stress "$A/$name.bonds.dump" "${POT[@]}" -o "$A/$name.stress.dump" >> "$LOG"
            "$AMORPH" softness predict "$A/$name.stress.dump" --species Al,O --model "$S/full.json" --quiet \
                -o "$A/$name.soft.dump"
            "$AMORPH" clusters "$A/$name.soft.dump" --select species=Al --select top:softness:0.1 --cutoff 3.7 \
                --csv "$A/$name.clusters.csv" >> "$LOG"
        fi
    done
    touch "$A/done"
done

"$PY" "$here/analyze.py" summary "$OUT"
"$PY" "$here/plots.py" "$OUT"
"$PY" "$here/analyze.py" check "$OUT"
