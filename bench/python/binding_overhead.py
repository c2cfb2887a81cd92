#!/usr/bin/env python3
"""Overhead of the Python binding against the same C++ call (issue 23).

    PYTHONPATH=BUILD/python /usr/bin/python3 bench/python/binding_overhead.py \\
        BENCH_BUILD/bench_binding_reference [--atoms 32000] [--centers 2000] [--repeats 5]

Writes a 32,000-atom random Cu-Zr-like configuration (number density 0.0587 / A^3,
half Cu, half Zr) to a temporary extxyz file, runs bench_binding_reference on it
(the C++ calls: voronoi of every atom, fan2020-3d structure functions of the first
CENTERS atoms, median of REPEATS after a warm-up) and times the same calls through
`amorph` from Python on the same file, on 1 and 2 threads. Prints a table and the
ratio Python / C++ - 1 (the overhead; the goal is below 5 %), the C++ and Python
timings alternating over --rounds; --json writes the figures. Both results are compared too: the binding must return the C++ numbers.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np

import amorph


def median_seconds(repeats, f):
    f()
    t = []
    for _ in range(repeats):
        a = time.perf_counter()
        f()
        t.append(time.perf_counter() - a)
    return float(np.median(t))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("reference", help="the bench_binding_reference executable")
    p.add_argument("--atoms", type=int, default=32000)
    p.add_argument("--centers", type=int, default=2000, help="structure-function centers (default 2000)")
    p.add_argument("--repeats", type=int, default=5, help="calls per timing, the median taken (default 5)")
    p.add_argument("--rounds", type=int, default=3, help="alternating C++ / Python timings, the median taken (default 3)")
    p.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    p.add_argument("--json", help="write the figures to this file")
    a = p.parse_args()

    rng = np.random.default_rng(2026)
    side = (a.atoms / 0.0587) ** (1 / 3)
    s = amorph.System(np.eye(3) * side, rng.uniform(0, side, (a.atoms, 3)), (np.arange(a.atoms) % 2).astype(np.int32),
                      species=["Cu", "Zr"])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "random.xyz")
        amorph.write(path, s)
        s = amorph.read(path)  # what the C++ side reads, bit for bit
        centers = list(range(min(a.centers, a.atoms)))
        for threads in [int(t) for t in a.threads.split(",")]:
            amorph.set_num_threads(threads)
            vol = amorph.voronoi(s)
            X = amorph.structure_functions(s, "fan2020-3d", centers=centers)
            t = {"voronoi_cpp_s": [], "voronoi_python_s": [], "sf_cpp_s": [], "sf_python_s": []}
            for _ in range(a.rounds):  # C++ and Python alternate: drift of the machine hits both
                out = subprocess.run([a.reference, path, str(threads), str(a.repeats), str(len(centers))], check=True,
                                     capture_output=True, text=True).stdout
                cpp = json.loads(out)
                t["voronoi_cpp_s"].append(cpp["voronoi_s"])
                t["sf_cpp_s"].append(cpp["sf_s"])
                t["voronoi_python_s"].append(median_seconds(a.repeats, lambda: amorph.voronoi(s)))
                t["sf_python_s"].append(median_seconds(
                    a.repeats, lambda: amorph.structure_functions(s, "fan2020-3d", centers=centers)))
            row = {"threads": threads, "atoms": a.atoms, "sf_centers": len(centers), "rounds": a.rounds}
            row.update({k: float(np.median(v)) for k, v in t.items()})
            row["voronoi_overhead"] = row["voronoi_python_s"] / row["voronoi_cpp_s"] - 1
            row["sf_overhead"] = row["sf_python_s"] / row["sf_cpp_s"] - 1
            row["voronoi_overhead_range"] = [min(p / c - 1 for p, c in zip(t["voronoi_python_s"], t["voronoi_cpp_s"])),
                                             max(p / c - 1 for p, c in zip(t["voronoi_python_s"], t["voronoi_cpp_s"]))]
            row["sf_overhead_range"] = [min(p / c - 1 for p, c in zip(t["sf_python_s"], t["sf_cpp_s"])),
                                        max(p / c - 1 for p, c in zip(t["sf_python_s"], t["sf_cpp_s"]))]
            row["same_first_values"] = bool(vol[0] == cpp["first_volume"] and X[0, 0] == cpp["first_sf"])
            rows.append(row)
    amorph.set_num_threads(0)
    print(f"# binding overhead, {a.atoms} random atoms, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    print("| threads | voronoi C++ s | voronoi Python s | overhead (range over rounds) "
          "| SF C++ s | SF Python s | overhead (range) |")
    print("|---|---|---|---|---|---|---|")
    pct = lambda x: f"{100 * x:+.1f} %"  # noqa: E731
    for r in rows:
        print(f"| {r['threads']} | {r['voronoi_cpp_s']:.4f} | {r['voronoi_python_s']:.4f} | {pct(r['voronoi_overhead'])} "
              f"({pct(r['voronoi_overhead_range'][0])} .. {pct(r['voronoi_overhead_range'][1])}) "
              f"| {r['sf_cpp_s']:.3f} | {r['sf_python_s']:.3f} | {pct(r['sf_overhead'])} "
              f"({pct(r['sf_overhead_range'][0])} .. {pct(r['sf_overhead_range'][1])}) |")
    if not all(r["same_first_values"] for r in rows):
        raise SystemExit("the binding's results differ from the C++ call's")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"date": time.strftime("%Y-%m-%d"), "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
