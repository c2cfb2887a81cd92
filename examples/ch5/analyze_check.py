#!/usr/bin/python3
"""Summary of examples/ch5/lammps_check.sh: collects what `amorph score`
wrote (score_{cnn,svm}_L.csv) and, from the per-atom CSVs of `amorph cnn
predict` and `amorph d2min`, the Pearson r of the CNN probabilities between
opposite loadings (ss+/ss-, ps+/ps-) and the share of the top-f D2min atoms
of one loading that are also top f under the opposite one.

Usage: analyze_check.py OUT --fraction F --recipes quench,anneal --glasses K
       [--atoms N --dgamma G --strain S]      -> OUT/summary.json (+ screen)
"""
import argparse
import csv
import json
import math
import os

import numpy as np

LOADINGS = ["ss+", "ss-", "ps+", "ps-"]
PAIRS = [("ss+", "ss-"), ("ps+", "ps-")]
METRICS = {"ROC AUC": "auc", "balanced accuracy": "balanced_accuracy", "C_rank": "c_rank", "overlap R": "overlap"}


def read_score(path):
    out = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["quantity"] in METRICS:
                out[METRICS[row["quantity"]]] = float(row["value"])
    return out


def read_column(path, column):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    ids = np.array([int(float(r["id"])) for r in rows])
    v = np.array([float(r[column]) for r in rows])
    o = np.argsort(ids)
    return ids[o], v[o]


def top_set(v, fraction):
    n = max(1, int(round(fraction * len(v))))
    return set(np.argsort(-v, kind="stable")[:n].tolist())


def mean_sd(v):
    v = [x for x in v if math.isfinite(x)]
    if not v:
        return None, None
    m = sum(v) / len(v)
    sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0.0
    return m, sd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--fraction", type=float, required=True)
    ap.add_argument("--recipes", required=True)
    ap.add_argument("--glasses", type=int, required=True)
    ap.add_argument("--atoms", type=int, default=0)
    ap.add_argument("--dgamma", type=float, default=0)
    ap.add_argument("--strain", type=float, default=0)
    a = ap.parse_args()
    per_glass = []
    for recipe in a.recipes.split(","):
        for g in range(a.glasses):
            d = os.path.join(a.out, f"{recipe}_{g}")
            rec = {"recipe": recipe, "glass": g, "loadings": {}}
            p, d2 = {}, {}
            for L in LOADINGS:
                rec["loadings"][L] = {m: read_score(os.path.join(d, f"score_{m}_{L}.csv")) for m in ("cnn", "svm")}
                ids, p[L] = read_column(os.path.join(d, f"p_{L}.csv"), "p")
                ids2, d2[L] = read_column(os.path.join(d, f"d2min_{L}.csv"), "d2min")
                if not np.array_equal(ids, ids2):
                    raise SystemExit(f"{d}: p and d2min list different atoms for {L}")
            rec["cnn_correlation"] = {f"{x}/{y}": float(np.corrcoef(p[x], p[y])[0, 1]) for x, y in PAIRS}
            rec["label_overlap"] = {
                f"{x}/{y}": len(top_set(d2[x], a.fraction) & top_set(d2[y], a.fraction)) / len(top_set(d2[x], a.fraction))
                for x, y in PAIRS}
            per_glass.append(rec)

    def agg(select):
        vals = [v for r in per_glass for v in select(r)]
        m, sd = mean_sd(vals)
        return {"mean": m, "sd": sd, "n": len(vals)}

    summary = {"fraction": a.fraction, "atoms": a.atoms, "dgamma": a.dgamma, "strain": a.strain,
               "glasses_per_recipe": a.glasses, "recipes": {}, "all": {}}
    groups = {r: (lambda rec, r=r: rec["recipe"] == r) for r in a.recipes.split(",")}
    groups["all"] = lambda rec: True
    for name, keep in groups.items():
        recs = [r for r in per_glass if keep(r)]
        s = {}
        for method in ("cnn", "svm"):
            for key in METRICS.values():
                s[f"{method}_{key}"] = agg(lambda r: [r["loadings"][L][method][key] for L in LOADINGS] if keep(r) else [])
        s["cnn_correlation_opposite"] = agg(lambda r: list(r["cnn_correlation"].values()) if keep(r) else [])
        s["label_overlap_opposite"] = agg(lambda r: list(r["label_overlap"].values()) if keep(r) else [])
        s["glasses"] = len(recs)
        if name == "all":
            summary["all"] = s
        else:
            summary["recipes"][name] = s
    summary["per_glass"] = per_glass
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(f"LAMMPS-made glasses: {len(per_glass)} x 4 loadings, top {100 * a.fraction:g} % D2min at {a.strain:g}")
    for name in list(summary["recipes"]) + ["all"]:
        s = summary["all"] if name == "all" else summary["recipes"][name]
        def f(k):
            return f"{s[k]['mean']:.3f} +- {s[k]['sd']:.3f}"
        print(f"  {name:7s} AUC CNN {f('cnn_auc')}  SVM {f('svm_auc')} | bal. acc. CNN {f('cnn_balanced_accuracy')}"
              f"  SVM {f('svm_balanced_accuracy')} | r(p, opposite) {f('cnn_correlation_opposite')}"
              f" | label overlap {f('label_overlap_opposite')}")


if __name__ == "__main__":
    main()
