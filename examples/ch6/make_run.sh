#!/usr/bin/env bash
# examples/ch6/make_run.sh — the one recipe of docs/studies/ch6.md: the
# reduced ch6 run (examples/ch6/run.sh, settings below), its
# summary and figures copied to docs/studies/ch6/, the page's tables.
#
#   examples/ch6/make_run.sh BUILD_DIR WORK_DIR
#
# BUILD_DIR: a build with the CLI and the examples; WORK_DIR: the run (resumes).
# Cost on this project's 2-core machine (2026-12-08, sharing the cores with
# other runs): ~20-40 min per 4,096-atom glass, ~10 min per AQS to 20 %.
set -euo pipefail
[[ $# -eq 2 ]] || { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
build=$1 work=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# this page's run: one glass, the three Cartesian orientations o01, o03, o05
# (what one session's CPU allowed); run.sh's defaults are 2 glasses x 6
GLASSES=${GLASSES:-1} ORIENTATIONS=${ORIENTATIONS:-1 3 5} THREADS=${THREADS:-1} \
  "$here/run.sh" "$build/apps/amorph/amorph" "$build/examples/ch5" "$work"
dest=$root/docs/studies/ch6
mkdir -p "$dest/figures"
cp "$work/summary.json" "$dest/summary.json"
cp "$work"/figures/*.png "$dest/figures/"
/usr/bin/python3 "$here/make_doc.py"
