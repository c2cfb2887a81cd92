# examples/ch5/weights/glasses_and_aqs.sh — sourced by the recipes of the 2D
# and 3D ch5 runs (examples/ch5/weights/recipe.sh, examples/ch5-3d/weights/
# recipe.sh), which define $ch5 (the driver), $work and `args`.
#
# glasses_and_aqs FIRST END JOBS: the glass and aqs stages of glasses FIRST ..
# END-1 in JOBS driver processes (each skips the glasses already made)
glasses_and_aqs() {
  local first=$1 end=$2 jobs=$3 j
  for ((j = 0; j < jobs; ++j)); do
    ( for ((k = first + j; k < end; k += jobs)); do "$ch5" "${args[@]}" --stages glass,aqs --only-glass "$k"; done ) \
      > "$work/glass_aqs_$j.log" 2>&1 &
  done
  wait
}
