#!/usr/bin/env bash
# examples/ch5/run.sh — the whole ch5 2D study: driver stages, CNN training,
# evaluation and figures.
#
#   examples/ch5/run.sh CH5_BINARY OUT_DIR [driver options...]
#
# CH5_BINARY is the built driver (build/examples/ch5); driver options (e.g.
# --atoms, --samples, --paper) are passed to every driver call. Environment:
#   PYTHON        python with torch/numpy/matplotlib (default /usr/bin/python3)
#   TRAIN_ARGS    extra train_cnn.py options (default: the reduced network
#                 --blocks 4 --convs-per-block 2 --filters 8, no unpadded conv,
#                 batch 64, 40 epochs; set TRAIN_ARGS=" " for the thesis net)
#   TORCH_THREADS torch threads (default 2)
# Every stage resumes from the files already in OUT_DIR.
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
ch5=$1 out=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=${PYTHON:-/usr/bin/python3}
train_args=${TRAIN_ARGS:---blocks 4 --convs-per-block 2 --filters 8 --unpadded= --batch-size 64 --epochs 40 --patience 8}

"$ch5" -o "$out" --stages glass,aqs,dataset,svm "$@"
if [[ ! -f "$out/cnn.amcnn" ]]; then
  echo "== train the CNN (train_cnn.py $train_args)"
  # shellcheck disable=SC2086
  "$py" "$here/train_cnn.py" "$out/dataset" --out "$out/cnn.amcnn" --history "$out/cnn_history.json" \
    --threads "${TORCH_THREADS:-2}" $train_args
fi
"$ch5" -o "$out" --stages evaluate "$@"
"$py" "$here/plots.py" "$out"
