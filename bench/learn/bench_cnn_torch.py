#!/usr/bin/env python3
"""PyTorch (Debian python3-torch = LibTorch 1.13 underneath) inference speed of
the thesis networks, for comparison with bench_cnn / bench_cnn_native.

  bench_cnn_torch.py [--threads 1 2] [--images 256] [--dim 2]

Same architecture as amorph's thesis_architecture() (examples/ch5/cnn_model.py),
eval mode, torch.inference_mode, random inputs; prints images/s per thread count
(best of --repeat timed runs after one warm-up), by wall time and by process
CPU time (the fair 1-thread figure on a loaded machine).
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "ch5"))
import cnn_model  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
ap.add_argument("--images", type=int, default=256)
ap.add_argument("--dim", type=int, default=2)
ap.add_argument("--repeat", type=int, default=3)
a = ap.parse_args()
arch = cnn_model.thesis_defaults(a.dim)
model = cnn_model.build_model(**arch).eval()
x = torch.rand((a.images, arch["in_channels"]) + (arch["size"],) * a.dim)
for t in a.threads:
    torch.set_num_threads(t)
    with torch.inference_mode():
        model(x[:8])
        best, best_cpu = float("inf"), float("inf")
        for _ in range(a.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            model(x)
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
    print(f"torch {torch.__version__} dim {a.dim} threads {t}: {a.images / best:.1f} images/s wall, "
          f"{a.images / best_cpu:.1f} images per CPU-second ({best * 1e3:.1f} ms wall, {best_cpu * 1e3:.1f} ms CPU "
          f"for {a.images} images)", flush=True)
