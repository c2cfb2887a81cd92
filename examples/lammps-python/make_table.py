#!/usr/bin/env python3
"""The measured table of examples/lammps-python/README.md, from committed summaries.

    python3 make_table.py [RESULTS]   (default: results/ next to this file)

Reads RESULTS/*/summary.json (what measure.sh's runs wrote, copied there) and rewrites
the table between the <!-- table --> markers of README.md.
"""
import glob
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "results")
rows = [json.load(open(p)) for p in glob.glob(os.path.join(results, "*", "summary.json"))]
rows.sort(key=lambda r: (r["atoms"], r["ranks"]))
if not rows:
    raise SystemExit(f"no summaries under {results}")

lines = [
    "| atoms | MPI ranks | ftol | LAMMPS minimize per step, s (median after step 1) | gather on rank 0, s "
    "| D2min (step + cumulative), s | structure functions, s (centers) | amorph's share of the step | date |",
    "|---|---|---|---|---|---|---|---|---|",
]
for r in rows:
    m = r["mean_per_step"]
    lines.append(
        f"| {r['atoms']:,} | {r['ranks']} | {r['ftol']:g} | {m['lammps_s']:.1f} ({r['median_lammps_s_after_step_1']:.1f}) "
        f"| {m['gather_s']:.3f} | {m['d2min_step_s'] + m['d2min_total_s']:.3f} | {m['sf_s']:.2f} ({r['sf_centers_per_step']}) "
        f"| {100 * r['amorph_share']:.1f} % | {r['date']} |")
table = "\n".join(lines)

readme = os.path.join(here, "README.md")
text = open(readme).read()
begin, end = "<!-- table -->", "<!-- /table -->"
i, j = text.index(begin) + len(begin), text.index(end)
open(readme, "w").write(text[:i] + "\n" + table + "\n" + text[j:])
print(table)
