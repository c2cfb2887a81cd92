#!/usr/bin/env bash
# examples/ch5/weights/make_gnn.sh — the one recipe of the shipped GNN
# baseline (lj2d_gnn.pt, lj2d_gnn_history.json; thesis 5.7.8) on the training
# set of make_weights.sh, and of the GNN numbers in docs/studies/ch5.md.
#
#   examples/ch5/weights/make_gnn.sh BUILD_DIR WORK_DIR [JOBS]
#
# Rebuilds (or reuses, in a make_weights.sh WORK_DIR) the 400 glasses and their
# AQS runs with JOBS driver processes (default 2), the dataset stage (its
# labels and meta name the training atoms; the images are not used), trains
# examples/ch5/gnn.py with the options in gnn_args on one thread (its layers
# are too small for two: an epoch took twice as long), copies the net here, then runs ../baselines.sh, which
# predicts the held-out glasses with it and merges the scores into
# docs/studies/ch5/summary.json. Every step resumes from the files already in
# WORK_DIR. Cost on this project's 2-core machine (2026-12-07): glasses + AQS
# ~19 CPU-s each (400: ~65 min with 2 processes), dataset ~20 s, training
# ~45 s per epoch (55 epochs: ~45 min; lj2d_gnn_history.json), baselines ~3 min.
set -euo pipefail
[[ $# -ge 2 ]] || { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
build=$1 work=$2 jobs=${3:-2}
ch5=$build/examples/ch5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=${PYTHON:-/usr/bin/python3}
# make_weights.sh's driver options (the same glasses, AQS runs and training atoms)
source "$here/recipe.sh"  # args, glasses_and_aqs
read -r -a train < "$here/gnn_args"
mkdir -p "$work"
echo "== glasses + AQS (400 glasses x 4 loadings, $jobs processes)"
glasses_and_aqs 0 400 "$jobs"
echo "== dataset (the training atoms)"
"$ch5" "${args[@]}" --stages dataset
echo "== GNN (gnn.py train ${train[*]})"
[[ -f "$work/gnn.pt" && -f "$work/gnn_history.json" ]] ||
  "$py" "$here/../gnn.py" train "$work" --out "$work/gnn.pt" --history "$work/gnn_history.json" "${train[@]}" \
    --threads 1 > "$work/gnn_train.log"
tail -n 3 "$work/gnn_train.log"
cp "$work/gnn.pt" "$here/lj2d_gnn.pt"
cp "$work/gnn_history.json" "$here/lj2d_gnn_history.json"
echo "== baselines on the held-out glasses (../baselines.sh)"
"$here/../baselines.sh" "$build" "$work" "$jobs"
