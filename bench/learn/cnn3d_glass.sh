#!/usr/bin/env bash
# bench/learn/cnn3d_glass.sh — issue 22's performance row: the 3D SDM + CNN of
# a whole Cu-Zr glass (fused: maps drawn batch by batch and fed to the net,
# never all in memory) through `amorph cnn predict --orientation K`, time and
# peak memory, against PyTorch running the same architecture on the same
# number of images (the net alone: PyTorch has no map of its own).
#
#   bench/learn/cnn3d_glass.sh AMORPH_BINARY [NET] [ATOMS] [ORIENTATIONS]
#
# NET: default examples/ch5-3d/weights/cuzr_cnn.amcnn (its architecture for
# PyTorch from cuzr_cnn_history.json next to it); ATOMS: default 32000 (a
# random `amorph sample cuzr` start at the glass density: the cost of a map
# depends on the density, not on the order); ORIENTATIONS: default "1" (the
# 24 of a full evaluation cost 24 times one). Threads 1 and 2, mirror
# averaging on (8 images per atom) and off. Prints one line per run.
set -euo pipefail
[[ $# -ge 1 ]] || { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
amorph=$1 net=${2:-$root/examples/ch5-3d/weights/cuzr_cnn.amcnn} atoms=${3:-32000} orientations=${4:-1}
hist=${net%.amcnn}_history.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$amorph" sample cuzr -n "$atoms" --volume 16.9 --min-sep 2.0 --seed 1 -o "$work/glass.data" --quiet
echo "# $(date -u +%F), $(nproc) cores, $atoms atoms, net $net"
for t in 1 2; do
  for mirror in "" --no-mirror-average; do
    for k in $orientations; do
      /usr/bin/time -f "%e %M" -o "$work/time" "$amorph" cnn predict "$work/glass.data" --species Cu,Zr --model "$net" \
        --orientation "$k" $mirror --threads "$t" --quiet > /dev/null
      read -r wall rss < "$work/time"
      echo "amorph cnn predict: threads $t orientation $k ${mirror:-(8 mirror images)}: $wall s wall, peak RSS $((rss / 1024)) MiB"
    done
  done
done
[[ -f $hist ]] || { echo "no $hist: PyTorch comparison skipped"; exit 0; }
ROOT=$root /usr/bin/python3 - "$hist" "$atoms" <<'EOF'
import json, os, sys, time
import torch
sys.path.insert(0, os.path.join(os.environ["ROOT"], "examples", "ch5"))
import cnn_model
arch = json.load(open(sys.argv[1]))["architecture"]
atoms = int(sys.argv[2])
model = cnn_model.build_model(**arch).eval()
shape = (arch["in_channels"],) + (arch["size"],) * arch["dim"]
batch = 1024
x = torch.rand((batch,) + shape)
for t in (1, 2):
    torch.set_num_threads(t)
    with torch.inference_mode():
        model(x[:8])
        t0 = time.perf_counter()
        for _ in range(3):
            model(x)
        per = (time.perf_counter() - t0) / (3 * batch)
    print("torch %s (net only, random maps): threads %d: %.1f s for %d images (one orientation, 8 mirror images), "
          "%.1f s for %d (no mirrors)" % (torch.__version__, t, per * 8 * atoms, 8 * atoms, per * atoms, atoms), flush=True)
EOF
