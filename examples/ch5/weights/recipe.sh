# examples/ch5/weights/recipe.sh — sourced by make_weights.sh, make_gnn.sh and
# ../baselines.sh: the driver options of the shipped run (one definition) and
# its glass + AQS loop. Expects $ch5 (the driver) and $work (WORK_DIR); defines
# `args` and glasses_and_aqs.
#
# 396 training + 4 held-out glasses of N = 1,000, quench 20 t0 at 1.08 Tg + 100
# t0 ramp, AQS dgamma 5e-4 to 3 %, labels top 2 % D2min at gamma = 1, 2, 3 %,
# half of the negatives contrastive (top 2 % under another loading)
args=(-o "$work" --samples 396 --test-samples 4 --atoms 1000 --t-equil 20 --t-quench 100 --dgamma 5e-4
      --fraction 0.02 --train-strains 0.01,0.02,0.03 --hard-negatives 0.5 --threads 1)

# glasses_and_aqs FIRST END JOBS (shared with the other ch5 recipe)
# shellcheck source=/dev/null
source "$(dirname "${BASH_SOURCE[0]}")/glasses_and_aqs.sh"
