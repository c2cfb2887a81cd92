#!/usr/bin/env bash
# examples/ch6/make_run.sh — the one recipe of docs/studies/ch6.md: the
# reduced ch6 run (examples/ch6/run.sh with its defaults and THREADS=2), its
# summary and figures copied to docs/studies/ch6/, the page's tables.
#
#   examples/ch6/make_run.sh BUILD_DIR WORK_DIR
#
# BUILD_DIR: a build with the CLI and the examples; WORK_DIR: the run (resumes).
# Cost on this project's 2-core machine (2026-12-08): ~8 min per 4,096-atom
# glass, ~2-4 min per AQS to 20 % on 2 threads; ~1 h in all.
set -euo pipefail
[[ $# -eq 2 ]] || { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
build=$1 work=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
THREADS=${THREADS:-2} "$here/run.sh" "$build/apps/amorph/amorph" "$build/examples/ch5" "$work"
dest=$root/docs/studies/ch6
mkdir -p "$dest/figures"
cp "$work/summary.json" "$dest/summary.json"
cp "$work"/figures/*.png "$dest/figures/"
/usr/bin/python3 "$here/make_doc.py"
