#!/usr/bin/env bash
# examples/ch6/run.sh — where shear bands start (thesis ch. 6): Cu50Zr50
# glasses sheared by AQS to 20 % in orientations of thesis Table 5.1, the band
# located from the D2min field, and the density of fertile sites (DFS) of the
# unsheared glass predicted by the ch5-3d CNN, the SVM softness and the atomic
# volume, scored by the figure of merit gamma against randomly shuffled
# predictions (examples/ch6/bands.py).
#
#   examples/ch6/run.sh [--smoke] [--paper] AMORPH_BINARY CH5_BINARY OUT_DIR
#
# AMORPH_BINARY is the CLI (build/apps/amorph/amorph), CH5_BINARY the study
# driver (build/examples/ch5) that makes the glasses (--system cuzr --stages
# glass: NPT 0 bar, 2000 K -> 50 K, 1000 -> 500 K over T_QUENCH ps, CG); the
# rest goes through the CLI a user would run on any glass:
#   amorph cnn predict GLASS --orientation K     (p; the net's own map size)
#   amorph softness predict GLASS                (the ch5-3d SVM)
#   amorph voronoi GLASS                         (atomic volume)
#   amorph aqs GLASS --orientation K --max-strain STRAIN (L-BFGS, checkpointed)
#   amorph d2min GLASS SHEARED --cutoff 5
# Environment (defaults: the reduced study, ~1.5 CPU-hours):
#   GLASSES (2), ATOMS (4096), ORIENTATIONS ("1 2 3 4 5 6": the Cartesian
#   ones), STRAIN (0.2), DGAMMA (2e-3), T_QUENCH (50 ps = 1e13 K/s), SEED (2:
#   glasses independent of the ch5-3d training glasses, which use seed 1),
#   NET (examples/ch5-3d/weights/cuzr_cnn.amcnn), SVM (.../cuzr_svm.json),
#   THREADS (1 per amorph call), BANDS_ARGS (options of bands.py).
# --paper: 20 glasses of 32,000 atoms, all 24 orientations, dgamma 1e-4,
# 1e10 K/s (thesis 6.4); --smoke: 1 glass of 1,024 atoms, 2 orientations to 4 %
# (about a minute; the numbers mean nothing). Every step resumes from its files.
# Writes OUT_DIR/summary.json and OUT_DIR/figures/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
usage() { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
GLASSES=${GLASSES:-2} ATOMS=${ATOMS:-4096} ORIENTATIONS=${ORIENTATIONS:-1 2 3 4 5 6} STRAIN=${STRAIN:-0.2}
DGAMMA=${DGAMMA:-2e-3} T_QUENCH=${T_QUENCH:-50} T_EQUIL=${T_EQUIL:-10} SEED=${SEED:-2} THREADS=${THREADS:-1}
NET=${NET:-$root/examples/ch5-3d/weights/cuzr_cnn.amcnn} SVM=${SVM:-$root/examples/ch5-3d/weights/cuzr_svm.json}
BANDS_ARGS=${BANDS_ARGS:-}
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --smoke) GLASSES=1 ATOMS=1024 ORIENTATIONS="1 5" STRAIN=0.04 DGAMMA=4e-3 T_QUENCH=5 T_EQUIL=2
             BANDS_ARGS="$BANDS_ARGS --shuffles 10" ;;
    --paper) GLASSES=20 ATOMS=32000 ORIENTATIONS=$(seq -s ' ' 1 24) DGAMMA=1e-4 T_QUENCH=50000 ;;
    *) usage ;;
  esac
  shift
done
[[ $# -eq 3 ]] || usage
amorph=$1 ch5=$2 out=$3
for x in "$amorph" "$ch5"; do [[ -x $x ]] || { echo "ch6: $x is not an executable" >&2; exit 2; }; done
[[ -f $NET ]] || { echo "ch6: no CNN $NET (examples/ch5-3d/weights)" >&2; exit 2; }
for k in $ORIENTATIONS; do [[ $k =~ ^[0-9]+$ ]] && ((k >= 1 && k <= 24)) || { echo "ch6: ORIENTATIONS: $k is not in 1..24" >&2; exit 2; }; done
[[ $GLASSES =~ ^[1-9][0-9]*$ ]] || { echo "ch6: GLASSES must be a positive integer" >&2; exit 2; }
py=${PYTHON:-/usr/bin/python3}
mkdir -p "$out"
sp=(--species Cu,Zr)
pot=(--preset cuzr-mendelev)

echo "== glasses: $GLASSES x $ATOMS atoms (seed $SEED)"
"$ch5" --system cuzr -o "$out" --stages glass --samples 0 --test-samples "$GLASSES" --atoms "$ATOMS" --seed "$SEED" \
  --t-equil "$T_EQUIL" --t-quench "$T_QUENCH" --threads "$THREADS"
for ((g = 0; g < GLASSES; ++g)); do
  G=$(printf 'glass_%03d' "$g") d=$out/$(printf 'glass_%03d' "$g")
  glass=$out/glasses/$G.data
  mkdir -p "$d"
  [[ -f $d/vor.xyz ]] || "$amorph" voronoi "$glass" "${sp[@]}" -o "$d/vor.xyz" --threads "$THREADS" --quiet > /dev/null
  [[ -z $SVM || -f $d/soft.xyz ]] || "$amorph" softness predict "$glass" "${sp[@]}" --model "$SVM" -o "$d/soft.xyz" --quiet > /dev/null
  for k in $ORIENTATIONS; do
    K=$(printf 'o%02d' "$k")
    [[ -f $d/p_$K.xyz ]] || "$amorph" cnn predict "$glass" "${sp[@]}" --model "$NET" --orientation "$k" -o "$d/p_$K.xyz" \
      --threads "$THREADS" --quiet > /dev/null
    if [[ ! -f $d/sheared_${K}_$STRAIN.data ]]; then
      echo "  $G $K: AQS to $STRAIN"
      "$amorph" aqs "$glass" "${sp[@]}" "${pot[@]}" --orientation "$k" --dgamma "$DGAMMA" --max-strain "$STRAIN" \
        --min-style lbfgs --extrapolate --ftol 1e-4 --save-at "$STRAIN" --save-prefix "$d/sheared_${K}_" \
        --checkpoint "$d/aqs_$K.ckpt" --resume --csv "$d/aqs_$K.csv" --threads "$THREADS" --quiet > "$d/aqs_$K.txt"
    fi
    [[ -f $d/d2min_$K.csv ]] || "$amorph" d2min "$glass" "$d/sheared_${K}_$STRAIN.data" "${sp[@]}" --cutoff 5 \
      --csv "$d/d2min_$K.csv" --quiet > /dev/null
  done
done
"$py" -c 'import json, sys
a = sys.argv
json.dump({"atoms": int(a[2]), "t_quench_ps": float(a[3]), "seed": int(a[4]), "orientations": [int(k) for k in a[5].split()],
           "dgamma": float(a[6]), "strain": float(a[7]), "net": a[8], "svm": a[9]}, open(a[1], "w"), indent=1)' \
  "$out/run.json" "$ATOMS" "$T_QUENCH" "$SEED" "$ORIENTATIONS" "$DGAMMA" "$STRAIN" "${NET#"$root/"}" "${SVM#"$root/"}"
# shellcheck disable=SC2086
"$py" "$here/bands.py" "$out" $BANDS_ARGS
