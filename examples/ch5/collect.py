#!/usr/bin/python3
"""Gather the result files of examples/ch5/weights/make_weights.sh into the
committed summary of the study (docs/studies/ch5/summary.json) and copy the
figures next to it.

  collect.py WORK DEST K [K ...]

WORK: the work directory of make_weights.sh; DEST: docs/studies/ch5; K: the
training-glass counts of the learning curve (WORK/curve/K/). Reads, all
written by committed commands:
  WORK/results/summary.json          ch5 --stages evaluate (held-out scores per
                                     strain, loading-direction correlations)
  WORK/results/orientation.json/.csv ch5 --stages orient (Fig. 5.19)
  WORK/results/upper_bound.json      ch5 --stages upper
  WORK/cnn_history.json              train_cnn.py (architecture, epochs)
  WORK/gnn_history.json              gnn.py train (the GNN baseline; optional)
  WORK/dataset/settings.json         the training set
  WORK/svm.json                      the SVM (training accuracy)
  WORK/curve/K/results/summary.json  evaluate with the nets / SVMs of K glasses
  WORK/lammps_check/summary.json     lammps_check.sh (LAMMPS-made glasses)
  WORK/times.json                    (optional) wall time of each step
"""
import csv
import json
import os
import shutil
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def read_csv(path):
    """A numeric CSV as {column: [values]}."""
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in rows[0]}


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    work, dest = sys.argv[1], sys.argv[2]
    curve = [int(k) for k in sys.argv[3:]]
    res = os.path.join(work, "results")
    summary = load(os.path.join(res, "summary.json"))
    hist = load(os.path.join(work, "cnn_history.json"))
    dataset = load(os.path.join(work, "dataset", "settings.json"))
    svm = load(os.path.join(work, "svm.json"))
    def rel(doc):  # paths of the work directory, not of this machine
        for key in ("cnn", "svm", "gnn"):
            if doc.get(key):
                doc[key] = os.path.relpath(doc[key], work)
        return doc

    rel(summary)
    out = {
        "held_out": summary,
        "orientation": dict(rel(load(os.path.join(res, "orientation.json"))),
                            curve=read_csv(os.path.join(res, "orientation.csv"))),
        "upper_bound": load(os.path.join(res, "upper_bound.json")),
        "cnn": {"architecture": hist["architecture"], "best_val_accuracy": hist["best_val_accuracy"],
                "epochs": hist["epochs"]},
        "dataset": {"images": dataset["images"], "positives": dataset["positives"], "extra": dataset.get("extra", {}),
                    "selection": dataset.get("selection", {})},
        "svm": {"train_accuracy": svm["training"]["train_score"], "features": svm["n_features"],
                "samples": svm["training"]["n_samples"], "C": svm["C"]},
        "learning_curve": [],
        "lammps_check": load(os.path.join(work, "lammps_check", "summary.json")),
    }
    for k in curve + [summary["train_samples"]]:
        path = os.path.join(res, "summary.json") if k == summary["train_samples"] else \
            os.path.join(work, "curve", str(k), "results", "summary.json")
        s = load(path)
        h = hist if k == summary["train_samples"] else load(os.path.join(work, "curve", str(k), "cnn_history.json"))
        out["learning_curve"].append({"train_glasses": k, "best_val_accuracy": h["best_val_accuracy"],
                                      "scores": s["scores"], "direction": s.get("direction", {})})
    gnn = os.path.join(work, "gnn_history.json")
    if os.path.exists(gnn):
        out["gnn"] = load(gnn)
    times = os.path.join(work, "times.json")
    if os.path.exists(times):
        out["times"] = load(times)
    os.makedirs(os.path.join(dest, "figures"), exist_ok=True)
    figs = os.path.join(work, "figures")
    for f in sorted(os.listdir(figs)):
        if f.endswith(".png"):
            shutil.copy(os.path.join(figs, f), os.path.join(dest, "figures", f))
    out["figures"] = sorted(f for f in os.listdir(os.path.join(dest, "figures")) if f.endswith(".png"))
    with open(os.path.join(dest, "summary.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {os.path.join(dest, 'summary.json')} and {len(out['figures'])} figures")


if __name__ == "__main__":
    main()
