#!/usr/bin/env bash
# examples/ch5/weights/make_weights.sh — the one recipe of the CNN and the SVM
# shipped in this directory (lj2d_cnn.amcnn, lj2d_svm.json) and of every
# number in docs/studies/ch5.md: glasses, AQS, dataset, SVM, CNN, held-out
# evaluation, orientation test, upper bound, learning curves and the check on
# LAMMPS-made glasses; then the figures, docs/studies/ch5/summary.json and the
# tables of docs/studies/ch5.md.
#
#   examples/ch5/weights/make_weights.sh BUILD_DIR WORK_DIR [JOBS]
#
# BUILD_DIR: a build with the examples and the CLI (build/examples/ch5 and
# build/apps/amorph/amorph, e.g. build/demo after scripts/demo). WORK_DIR
# receives the glasses, AQS runs, dataset and logs (~1 GB); every step resumes
# from the files already there. JOBS parallel driver processes for the glass +
# AQS stage (default 2). TORCH_THREADS torch threads (default 2).
# Cost on this project's 2-core machine (2026-12-06/07): glass + AQS ~12 CPU-s
# per glass (400 glasses: ~40 min with 2 processes), dataset + SVM ~2 min,
# CNN training ~90 s per epoch of 190k images at 2 torch threads on an idle
# machine (24 epochs: ~35 min), GNN baseline ~45 s per epoch on one thread
# (55 epochs: ~45 min; weights/make_gnn.sh), learning-curve nets (376 glasses
# in all) ~30 min, evaluation + orientation + upper bound ~3 min, LAMMPS check
# ~4 min per glass of 2,000 atoms (8 glasses): ~3.3 h in all. The driver's results
# are deterministic (same binary and thread count); the training uses fixed
# seeds (not checked bit for bit across torch versions or thread counts).
set -euo pipefail
[[ $# -ge 2 ]] || { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
build=$1 work=$2 jobs=${3:-2}
ch5=$build/examples/ch5 amorph=$build/apps/amorph/amorph
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
py=${PYTHON:-/usr/bin/python3}
threads=${TORCH_THREADS:-2}
source "$here/recipe.sh"  # the driver options (args: 396 + 4 glasses of 1,000), glasses_and_aqs
# the training options of the shipped net: weights/train_args (run.sh and the
# command the driver prints use the same file); whole glasses validate
read -r -a train < "$here/train_args"
train+=(--val-group 3 --threads "$threads")
curve=(12 24 48 96 196)  # learning curve: training glasses (396 = the shipped models)

mkdir -p "$work"
echo "== glasses + AQS (400 glasses x 4 loadings, $jobs processes)"
glasses_and_aqs 0 400 "$jobs"
echo "== dataset + SVM"
"$ch5" "${args[@]}" --stages dataset,svm
echo "== CNN (train_cnn.py ${train[*]})"
[[ -f "$work/cnn.amcnn" ]] || "$py" "$here/../train_cnn.py" "$work/dataset" --out "$work/cnn.amcnn" \
  --history "$work/cnn_history.json" "${train[@]}" > "$work/train.log"
echo "== GNN baseline (gnn.py train $(cat "$here/gnn_args"))"
read -r -a gnn_train < "$here/gnn_args"
[[ -f "$work/gnn.pt" ]] || "$py" "$here/../gnn.py" train "$work" --out "$work/gnn.pt" \
  --history "$work/gnn_history.json" "${gnn_train[@]}" --threads 1 > "$work/gnn_train.log"
"$py" "$here/../gnn.py" predict "$work" --model "$work/gnn.pt" --glasses 396-399 --out "$work/gnn" --threads 1
echo "== evaluation on the 4 held-out glasses, orientation test, upper bound"
"$ch5" "${args[@]}" --stages evaluate,orient,upper --gnn "$work/gnn" > "$work/evaluate.log"
echo "== learning curve (${curve[*]} training glasses; the same held-out glasses)"
for k in "${curve[@]}"; do
  lc=$work/curve/$k
  mkdir -p "$lc"
  [[ -f "$lc/cnn.amcnn" ]] || "$py" "$here/../train_cnn.py" "$work/dataset" --max-sample $((3 * k)) \
    --out "$lc/cnn.amcnn" --history "$lc/cnn_history.json" "${train[@]}" > "$lc/train.log"
  "$ch5" "${args[@]}" --stages svm,evaluate --train-subset "$k" --svm "$lc/svm.json" --cnn "$lc/cnn.amcnn" \
    --results "$lc/results" > "$lc/evaluate.log"
done
echo "== LAMMPS-made glasses (examples/ch5/lammps_check.sh)"
"$here/../lammps_check.sh" --glasses 4 --atoms 2000 --cnn "$work/cnn.amcnn" --svm "$work/svm.json" \
  "$amorph" "$work/lammps_check"
"$py" "$here/../plots.py" "$work"
cp "$work/cnn.amcnn" "$here/lj2d_cnn.amcnn"
cp "$work/cnn_history.json" "$here/lj2d_cnn_history.json"
cp "$work/svm.json" "$here/lj2d_svm.json"
cp "$work/gnn.pt" "$here/lj2d_gnn.pt"
cp "$work/gnn_history.json" "$here/lj2d_gnn_history.json"
"$py" "$here/../collect.py" "$work" "$root/docs/studies/ch5" "${curve[@]}"
"$py" "$here/../make_doc.py"
echo "wrote $here/lj2d_cnn.amcnn, $here/lj2d_svm.json, docs/studies/ch5/ and the tables of docs/studies/ch5.md"
