#!/usr/bin/env bash
# examples/ch5/run.sh — the whole ch5 2D study: driver stages, CNN training,
# evaluation and figures.
#
#   examples/ch5/run.sh CH5_BINARY OUT_DIR [driver options...]
#
# CH5_BINARY is the built driver (build/examples/ch5); driver options (e.g.
# --atoms, --samples, --paper) are passed to every driver call. Environment:
#   PYTHON        python with torch/numpy/matplotlib (default /usr/bin/python3)
#   TRAIN_ARGS    train_cnn.py options (default: the recipe of the shipped
#                 weights/lj2d_cnn.amcnn, examples/ch5/weights/train_args; set
#                 TRAIN_ARGS=" " for the thesis net). Whole glasses are held out
#                 for validation (--val-group = the number of label strains).
#   TORCH_THREADS torch threads (default 2)
# Every stage resumes from the files already in OUT_DIR.
set -euo pipefail
[[ $# -ge 2 ]] || { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
ch5=$1 out=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=${PYTHON:-/usr/bin/python3}
train_args=${TRAIN_ARGS:-$(cat "$here/weights/train_args")}

"$ch5" -o "$out" --stages glass,aqs,dataset,svm "$@"
if [[ ! -f "$out/cnn.amcnn" ]]; then
  strains=$("$py" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["extra"]["train_strains"]))' \
    "$out/dataset/settings.json")
  train_args="--val-group $strains $train_args"
  echo "== train the CNN (train_cnn.py $train_args)"
  # shellcheck disable=SC2086
  "$py" "$here/train_cnn.py" "$out/dataset" --out "$out/cnn.amcnn" --history "$out/cnn_history.json" \
    --threads "${TORCH_THREADS:-2}" $train_args
fi
"$ch5" -o "$out" --stages evaluate,orient "$@"
"$py" "$here/plots.py" "$out"
