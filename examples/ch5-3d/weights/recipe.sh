# examples/ch5-3d/weights/recipe.sh — sourced by make_weights.sh: the driver
# options of the shipped 3D run (one definition) and its glass + AQS loop.
# Expects $ch5 (the driver, build/examples/ch5) and $work (WORK_DIR); defines
# `args` and glasses_and_aqs.
#
# 8 training + 2 held-out Cu50Zr50 glasses of N = 1,024 (NPT 0 bar, 1000 ->
# 500 K at 1e13 K/s), AQS simple shear dgamma 1e-3 to 8 % in the 24
# orientations of thesis Table 5.1, labels top 2 % D2min (cutoff 5 A) at
# gamma = 3, 4, 5 and 6 % with as many random negatives, SDM 16^3 x 2 (r_c
# 9.6 A): the --system cuzr defaults of examples/ch5/ch5.cpp.
args=(--system cuzr -o "$work" --samples 8 --test-samples 2 --threads 1)

# glasses_and_aqs FIRST END JOBS (shared with the other ch5 recipe)
# shellcheck source=/dev/null
source "$(dirname "${BASH_SOURCE[0]}")/../../ch5/weights/glasses_and_aqs.sh"
