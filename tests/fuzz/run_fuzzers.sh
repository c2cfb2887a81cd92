#!/usr/bin/env bash
# Build the amorph libFuzzer targets with clang++ and run each for SECONDS on a
# copy of its seed corpus. Exits non-zero on any finding (crash, sanitizer
# report, uncaught exception, timeout, out-of-memory).
#   usage: tests/fuzz/run_fuzzers.sh SECONDS [BUILD_DIR] [TARGET...]
set -euo pipefail
secs=${1:?usage: run_fuzzers.sh SECONDS [BUILD_DIR] [TARGET...]}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${2:-$src/build-fuzz}
shift $(( $# >= 2 ? 2 : $# ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(lammps_data lammps_dump extxyz gzip poscar own_formats checkpoint inputs)
mkdir -p "$build"
build=$(cd "$build" && pwd)

cmake -S "$src" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DAMORPH_BUILD_FUZZERS=ON -DAMORPH_BUILD_TESTS=OFF -DAMORPH_BUILD_APPS=OFF -DAMORPH_BUILD_EXAMPLES=OFF -DAMORPH_COMPILED=OFF >/dev/null
cmake --build "$build" -j"${AMORPH_JOBS:-2}" --target $(printf 'fuzz_%s ' "${targets[@]}")

# The targets run side by side (each is one process on one core; -max_total_time
# is wall time), then each is reported in turn.
run_one() {  # run_one TARGET: fuzz it into $build/fuzz-work/TARGET, exit status to rc
  local t=$1 work="$build/fuzz-work/$1" dict=()
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$here/corpus/$t/"* "$work/corpus/"
  [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
  local rc=0
  "$build/tests/fuzz/fuzz_$t" "$work/corpus" "${dict[@]}" \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1 || rc=$?
  echo "$rc" >"$work/rc"
}
echo "== ${targets[*]}: ${secs}s each, side by side"
for t in "${targets[@]}"; do run_one "$t" & done
wait

status=0
for t in "${targets[@]}"; do
  work="$build/fuzz-work/$t"
  echo "== fuzz_$t for ${secs}s"
  if [ "$(cat "$work/rc" 2>/dev/null)" = 0 ]; then
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$work/log" | tr '\n' ' '
    grep -E "cov: [0-9]+" -o "$work/log" | tail -1
  else
    echo "FINDING in fuzz_$t (log: $work/log, artifacts: $work/artifacts/)"
    grep -E "ERROR|FINDING|SUMMARY|what\(\)" "$work/log" | head -5 || true
    status=1
  fi
  if ls "$work/artifacts/"* >/dev/null 2>&1; then
    echo "artifacts left in $work/artifacts/"; status=1
  fi
done
exit $status
