#!/usr/bin/env bash
# examples/ch5/baselines.sh — the baselines of thesis 5.7.8 on the held-out
# glasses of the shipped run, with the shipped models: the soft-mode
# participation, v_flex and the GNN (Figs. 5.14a/c, 5.18), next to the CNN,
# the SVM and Omega_a.
#
#   examples/ch5/baselines.sh BUILD WORK [JOBS]
#
# Rebuilds the 4 held-out glasses of examples/ch5/weights/make_weights.sh
# (glasses 396-399: same driver options, so the same glasses and AQS runs),
# predicts them with the shipped GNN (examples/ch5/gnn.py predict with
# weights/lj2d_gnn.pt; trained by weights/make_gnn.sh), evaluates the shipped
# CNN and SVM with the SM, v_flex and GNN baselines (ch5 --stages evaluate
# --gnn), draws the Fig. 5.14 / 5.18 figures, and merges the new held-out
# scores into docs/studies/ch5/summary.json after checking that the CNN, SVM
# and Omega_a rows equal the committed ones (the reproduction check;
# examples/ch5/merge_held_out.py). ~2 CPU-min for the glasses, ~1 min for the
# evaluation.
set -euo pipefail
[[ $# -ge 2 ]] || { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
build=$1 work=$2 jobs=${3:-2}
ch5=$build/examples/ch5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-/usr/bin/python3}
# make_weights.sh's driver options: the held-out glasses are indices 396..399
source "$here/weights/recipe.sh"  # args, glasses_and_aqs
mkdir -p "$work"
echo "== held-out glasses + AQS (396-399, $jobs processes)"
glasses_and_aqs 396 400 "$jobs"
echo "== GNN: the shipped net's probabilities of the held-out glasses"
"$py" "$here/gnn.py" predict "$work" --model "$here/weights/lj2d_gnn.pt" --glasses 396-399 --out "$work/gnn" \
  --threads 1
echo "== evaluate: shipped CNN, SVM and GNN, Omega_a, soft modes, v_flex"
"$ch5" "${args[@]}" --stages evaluate --cnn "$here/weights/lj2d_cnn.amcnn" \
  --svm "$here/weights/lj2d_svm.json" --gnn "$work/gnn" > "$work/evaluate.log"
tail -n 40 "$work/evaluate.log"
"$py" "$here/plots.py" "$work" > /dev/null
"$py" "$here/merge_held_out.py" "$work" "$root/docs/studies/ch5" --check CNN,SVM,Omega_a \
  --command "held_out_baselines_command=examples/ch5/baselines.sh BUILD WORK" \
  --set gnn=examples/ch5/weights/lj2d_gnn.pt --attach gnn="$here/weights/lj2d_gnn_history.json" \
  --figure fig5_14a_accuracy.png --figure fig5_14c_crank.png --figure fig5_14_auc.png \
  --figure fig5_18_gnn_maps.png
