#!/usr/bin/env bash
# examples/ch2/window_check.sh [OUT_DIR] — how much of the a-Si relaxation the
# ch2 driver's rate window (WINDOW="1500 800", 1e14 K/s outside) leaves out.
#
# From one liquid (the driver's melt of the first sample: 512 atoms, velocity
# seed 1, so OUT/liquid.data equals run.sh's q_RATE_s1.liquid.data for the
# first rate), four quenches at RATE (1e13 K/s) to 300 K + 20 ps at 300 K + CG,
# NPT 0 bar, differing only in where the rate applies (1e14 K/s elsewhere):
#   full     2500 -> 300 K   (the thesis's schedule)
#   window   1500 -> 800 K   (the driver's default)
#   upper    2500 -> 800 K   (window + the liquid above it)
#   lower    1500 -> 300 K   (window + the solid below it)
# and writes OUT/window_check.json: the inherent-structure energy per atom of
# each, and the energy each leg outside the window still releases.
#
# Environment: AMORPH, PYTHON, THREADS as examples/ch2/run.sh; RATE (1e13),
# CELLS (4 -> 512 atoms). About 10 CPU-min at the defaults.
set -euo pipefail

main() {   # read whole before it runs
OUT=${1:-ch2-window}
RATE=${RATE:-1e13}
CELLS=${CELLS:-4}
THREADS=${THREADS:-1}
PY=${PYTHON:-/usr/bin/python3}
[[ $RATE =~ ^[0-9.]+(e[0-9]+)?$ ]] || { echo "window_check.sh: RATE: $RATE is not a rate in K/s" >&2; exit 2; }
if [[ -z ${AMORPH:-} ]]; then
    for b in build/release/apps/amorph/amorph build/apps/amorph/amorph build/demo/apps/amorph/amorph; do
        [[ -x $b ]] && { AMORPH=$b; break; }
    done
    [[ -n ${AMORPH:-} ]] || AMORPH=$(command -v amorph) || { echo "set AMORPH to the amorph executable" >&2; exit 2; }
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$OUT"
if [[ ! -f $OUT/liquid.data ]]; then   # run.sh's diamond + melt stages, one sample
    CELLS=$CELLS RATES=$RATE SEEDS=1 UNTIL=melt AMORPH=$AMORPH THREADS=$THREADS PYTHON=$PY \
        "$here/run.sh" "$OUT/run" > "$OUT/melt.log" 2>&1
    cp "$OUT/run/q_${RATE}_s1.liquid.data" "$OUT/liquid.data"
fi
declare -A LEGS=([full]="2500 300" [window]="1500 800" [upper]="2500 800" [lower]="1500 300")
for k in full window upper lower; do
    [[ -f $OUT/$k.csv ]] && continue
    read -r hi lo <<< "${LEGS[$k]}"
    {
        echo "temperature 2500"; echo "pressure 0"
        (( hi < 2500 )) && echo "ramp $hi rate 1e14/s"
        echo "ramp $lo rate $RATE/s"
        (( lo > 300 )) && echo "ramp 300 rate 1e14/s"
        echo "hold 20"
    } > "$OUT/$k.schedule"
    echo "== $k ($(date -u +%H:%M:%S))" >&2
    "$AMORPH" quench "$OUT/liquid.data" --preset si-sw --threads "$THREADS" --schedule "$OUT/$k.schedule" \
        --quiet --csv "$OUT/$k.tmp.csv" -o "$OUT/$k.data" > /dev/null
    mv "$OUT/$k.tmp.csv" "$OUT/$k.csv"
done
"$PY" - "$OUT" "$RATE" <<'PY'
import csv, json, sys
out, rate = sys.argv[1], sys.argv[2]
e = {}
for k in ("full", "window", "upper", "lower"):
    with open(f"{out}/{k}.csv") as f:
        e[k] = float(next(r["value"] for r in csv.DictReader(f) if r["quantity"] == "energy per atom"))
res = {"rate_K_per_s": rate, "energy_eV_per_atom": e,
       "released_above_window_eV_per_atom": e["window"] - e["upper"],
       "released_below_window_eV_per_atom": e["window"] - e["lower"],
       "window_minus_full_eV_per_atom": e["window"] - e["full"],
       "command": "examples/ch2/window_check.sh OUT"}
json.dump(res, open(f"{out}/window_check.json", "w"), indent=1)
print(json.dumps(res, indent=1))
PY
}

main "$@"
