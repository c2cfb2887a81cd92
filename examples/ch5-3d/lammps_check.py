#!/usr/bin/python3
"""Summary of examples/ch5-3d/lammps_check.sh: what `amorph score` wrote for
the six LAMMPS-sheared orientations (score_{cnn,svm}_oKK.csv), and from the
24 per-atom CSVs of `amorph cnn predict --orientation K` how much the
probabilities depend on K: the mean over atoms of the standard deviation of p
over the 24 orientations, the share of atoms whose p > 0.5 holds for some K
and not for others, the Pearson r of p between opposite orientations
(o01/o02, ...), and the mean p per K.

Usage: lammps_check.py OUT --fraction F [--atoms N --strain S --dgamma G --t-quench T]
       -> OUT/summary.json (+ screen)
"""
import argparse
import csv
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ch5"))
from analyze_check import read_score  # noqa: E402  (examples/ch5/analyze_check.py: `amorph score --csv` rows)


def read_p(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    ids = np.array([int(float(r["id"])) for r in rows])
    p = np.array([float(r["p"]) for r in rows])
    return p[np.argsort(ids)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--fraction", type=float, required=True)
    ap.add_argument("--atoms", type=int)
    ap.add_argument("--strain", type=float)
    ap.add_argument("--dgamma", type=float)
    ap.add_argument("--t-quench", type=float)
    a = ap.parse_args()
    names = ["o%02d" % k for k in range(1, 25)]
    P = np.array([read_p(os.path.join(a.out, "p_%s.csv" % n)) for n in names])  # (24, atoms)
    if not np.all(np.isfinite(P)):
        raise SystemExit("lammps_check.py: non-finite probabilities")
    fertile = P > 0.5
    pair_r = [float(np.corrcoef(P[k], P[k + 1])[0, 1]) for k in range(0, 24, 2)]
    s = {"atoms": a.atoms, "strain": a.strain, "dgamma": a.dgamma, "t_quench_ps": a.t_quench, "fraction": a.fraction,
         "p_sd_over_orientations": float(np.mean(np.std(P, axis=0))),
         "p_range_over_orientations": float(np.mean(P.max(axis=0) - P.min(axis=0))),
         "fertile_depends_on_orientation": float(np.mean(fertile.any(axis=0) & ~fertile.all(axis=0))),
         "opposite_pearson_mean": float(np.mean(pair_r)),
         "mean_p_by_orientation": {n: float(P[k].mean()) for k, n in enumerate(names)},
         "scores": {}}
    for k in range(1, 7):
        n = "o%02d" % k
        row = {"cnn": read_score(os.path.join(a.out, "score_cnn_%s.csv" % n))}
        svm = os.path.join(a.out, "score_svm_%s.csv" % n)
        if os.path.exists(svm):
            row["svm"] = read_score(svm)
        s["scores"][n] = row
    for m in ("cnn", "svm"):
        for q in ("balanced_accuracy", "auc", "c_rank"):
            v = [r[m][q] for r in s["scores"].values() if m in r]
            if v:
                s["%s_%s_mean" % (m, q)] = float(np.mean(v))
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(s, f, indent=1)
    print("LAMMPS glass, %s atoms: p over the 24 orientations: sd %.3f per atom, %.1f %% of the atoms fertile under "
          "some K only; opposite-K Pearson r %.3f" % (a.atoms, s["p_sd_over_orientations"],
                                                       100 * s["fertile_depends_on_orientation"], s["opposite_pearson_mean"]))
    for m in ("cnn", "svm"):
        if "%s_auc_mean" % m in s:
            print("  %s on the six LAMMPS-sheared orientations: balanced accuracy %.3f, AUC %.3f, C_rank %.3f" % (
                m.upper(), s["%s_balanced_accuracy_mean" % m], s["%s_auc_mean" % m], s["%s_c_rank_mean" % m]))


if __name__ == "__main__":
    main()
