#!/usr/bin/env bash
# examples/ch5-3d/weights/make_weights.sh — the one recipe of the 3D CNN and
# SVM shipped in this directory (cuzr_cnn.amcnn, cuzr_svm.json) and of every
# number in docs/studies/ch5-3d.md: glasses and AQS (recipe.sh), dataset, SVM,
# CNN (train_args), a linear probe on the maps (../radial_probe.py), held-out
# evaluation, the check on a LAMMPS-made glass
# (../lammps_check.sh), the summary and figures, docs/studies/ch5-3d/ and the
# tables of docs/studies/ch5-3d.md.
#
#   examples/ch5-3d/weights/make_weights.sh BUILD_DIR WORK_DIR [JOBS]
#
# BUILD_DIR: a build with the examples and the CLI (build/examples/ch5 and
# build/apps/amorph/amorph). WORK_DIR receives the glasses, AQS runs, dataset
# and logs (~1 GB); every step resumes from the files already there. JOBS
# parallel driver processes for the glass + AQS stage (default 2).
# TORCH_THREADS torch threads (default 2).
# Cost on this project's 2-core machine (2026-12-08): glass ~2.5 min and AQS
# in 24 orientations ~10 min per glass of 1,024 atoms (one core each),
# dataset + SVM ~1 min, CNN training ~1 min per epoch, evaluation ~10 min.
set -euo pipefail
[[ $# -ge 2 ]] || { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
build=$1 work=$2 jobs=${3:-2}
ch5=$build/examples/ch5 amorph=$build/apps/amorph/amorph
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
py=/usr/bin/python3
for x in "$ch5" "$amorph"; do [[ -x $x ]] || { echo "make_weights.sh: no $x (build the examples and the CLI)" >&2; exit 2; }; done
mkdir -p "$work"
# shellcheck source=recipe.sh
source "$here/recipe.sh"

echo "== glasses + AQS ($jobs processes)"
glasses_and_aqs 0 10 "$jobs"
"$ch5" "${args[@]}" --stages dataset,svm
if [[ ! -f $work/cnn.amcnn ]]; then
  # shellcheck disable=SC2046
  "$py" "$root/examples/ch5/train_cnn.py" "$work/dataset" --out "$work/cnn.amcnn" --history "$work/cnn_history.json" \
    --threads "${TORCH_THREADS:-2}" --val-group 4 $(cat "$here/train_args")
fi
"$py" "$root/examples/ch5-3d/radial_probe.py" "$work"
"$ch5" "${args[@]}" --stages evaluate
cp "$work/cnn.amcnn" "$here/cuzr_cnn.amcnn"
cp "$work/cnn_history.json" "$here/cuzr_cnn_history.json"
cp "$work/svm.json" "$here/cuzr_svm.json"
"$root/examples/ch5-3d/lammps_check.sh" "$amorph" "$here/cuzr_cnn.amcnn" "$work/lammps_check"
cp "$work/lammps_check/summary.json" "$work/lammps_check.json"
"$py" "$root/examples/ch5-3d/summary.py" "$work"
dest=$root/docs/studies/ch5-3d
mkdir -p "$dest/figures"
cp "$work/summary.json" "$dest/summary.json"
cp "$work"/figures/*.png "$dest/figures/"
"$py" "$root/examples/ch5-3d/make_doc.py"
