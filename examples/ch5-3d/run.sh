#!/usr/bin/env bash
# examples/ch5-3d/run.sh — the 3D study of thesis ch. 5 (Cu50Zr50, the 24
# loading orientations of Table 5.1) end to end: glasses, AQS, D2min labels,
# SDM dataset, SVM softness, CNN training, evaluation on held-out glasses
# against the SVM, the atomic volume, soft modes and v_flex, the summary and
# Figs. 5.20-5.21.
#
#   examples/ch5-3d/run.sh [--smoke] CH5_BINARY OUT_DIR [driver options...]
#
# CH5_BINARY is the built study driver (build/examples/ch5; this script runs
# it with --system cuzr, whose defaults are the reduced study: 8 + 2 glasses
# of 1,024 atoms, AQS dgamma 1e-3 to 8 %, SDM 16^3 x 2; `ch5 --help` lists
# them and --paper sets the thesis sizes). Driver options are passed to every
# driver call. --smoke: 3 glasses of 512 atoms, 4 orientations, 2 epochs
# (under 5 minutes; the numbers mean nothing).
# Environment:
#   PYTHON        python with torch/numpy/matplotlib (default /usr/bin/python3)
#   TRAIN_ARGS    train_cnn.py options (default: the recipe of the shipped net,
#                 examples/ch5-3d/weights/train_args; TRAIN_ARGS=" " for the
#                 thesis net: 4 blocks x 5 conv, 60 filters). Whole glasses are
#                 held out for validation.
#   TORCH_THREADS torch threads (default 2)
# Every stage resumes from the files already in OUT_DIR. Writes
# OUT_DIR/summary.json (summary.py) and OUT_DIR/figures/.
set -euo pipefail
usage() { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
smoke=0
if [[ ${1:-} == --smoke ]]; then smoke=1; shift; fi
[[ $# -ge 2 ]] || usage
ch5=$1 out=$2
shift 2
[[ -x $ch5 ]] || { echo "run.sh: $ch5 is not an executable (the ch5 driver, build/examples/ch5)" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=${PYTHON:-/usr/bin/python3}
train_args=${TRAIN_ARGS:-$(cat "$here/weights/train_args")}
args=(--system cuzr -o "$out")
if ((smoke)); then
  args+=(--atoms 512 --samples 2 --test-samples 1 --t-equil 2 --t-quench 5 --max-strain 0.04 --save-strains 0.02,0.04
         --train-strains 0.04 --dgamma 2e-3 --fraction 0.05 --loadings o01,o02,o07,o08)
  train_args="$train_args --epochs 2"
fi
args+=("$@")

"$ch5" "${args[@]}" --stages glass,aqs,dataset,svm
if [[ ! -f "$out/cnn.amcnn" ]]; then
  strains=$("$py" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["extra"]["train_strains"]))' \
    "$out/dataset/settings.json")
  echo "== train the CNN (train_cnn.py --val-group $strains $train_args)"
  # shellcheck disable=SC2086
  "$py" "$here/../ch5/train_cnn.py" "$out/dataset" --out "$out/cnn.amcnn" --history "$out/cnn_history.json" \
    --threads "${TORCH_THREADS:-2}" --val-group "$strains" $train_args
fi
"$ch5" "${args[@]}" --stages evaluate
"$py" "$here/summary.py" "$out"
