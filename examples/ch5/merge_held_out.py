#!/usr/bin/python3
"""examples/ch5/merge_held_out.py WORK DEST --check M,... --command KEY=CMD [--set KEY=VALUE ...]
                                  [--attach KEY=FILE.json ...] [--figure F ...]

Merges a re-run evaluation of the shipped run's held-out glasses
(WORK/results/summary.json, written by `ch5 --stages evaluate`) into the
committed DEST/summary.json, for the scripts that add a baseline to the
committed run without retraining it (baselines.sh, which weights/make_gnn.sh runs):

  * the rows of every method named in --check must equal the committed ones
    (accuracy, C_rank, R, AUC to 1e-9): the same glasses, the same models;
    otherwise nothing is written;
  * the rows of the methods the new evaluation has replace the committed
    ones; committed methods it lacks are kept (so adding one baseline keeps
    the others);
  * the new "direction" entries are added, the committed ones kept;
  * DEST's KEY = CMD records the command, each --set KEY=VALUE sets
    held_out[KEY] (e.g. the shipped model's path in the repository), and each
    --figure is copied from WORK/figures to DEST/figures.
"""
import argparse
import json
import os
import shutil


def key(r):
    return (r["method"], round(r["gamma"], 9))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("work")
    ap.add_argument("dest")
    ap.add_argument("--check", required=True, help="comma-separated methods that must reproduce")
    ap.add_argument("--command", required=True, help="KEY=CMD stored at the top level of DEST/summary.json")
    ap.add_argument("--set", action="append", default=[], help="KEY=VALUE stored in held_out")
    ap.add_argument("--attach", action="append", default=[], help="KEY=FILE.json stored at the top level")
    ap.add_argument("--figure", action="append", default=[])
    a = ap.parse_args()
    new = json.load(open(os.path.join(a.work, "results", "summary.json")))
    path = os.path.join(a.dest, "summary.json")
    doc = json.load(open(path))
    old = doc["held_out"]
    ref = {key(r): r for r in old["scores"]}
    check = [m for m in a.check.split(",") if m]
    worst, compared = 0.0, 0
    for r in new["scores"]:
        if r["method"] in check and key(r) in ref:
            compared += 1
            for q in ("accuracy", "c_rank", "overlap", "auc"):
                worst = max(worst, abs(r[q] - ref[key(r)][q]))
    if compared == 0:
        raise SystemExit("no committed row to compare: not merged")
    print(f"largest change of a committed {'/'.join(check)} score ({compared} rows): {worst:.3g}")
    if worst > 1e-9:
        raise SystemExit("the held-out glasses or the models differ from the committed run; not merged")
    fresh = {r["method"] for r in new["scores"]}
    merged = dict(old)
    for k, v in new.items():
        if k not in ("scores", "direction", "cnn", "svm", "gnn"):
            merged[k] = v
    merged["scores"] = sorted([r for r in old["scores"] if r["method"] not in fresh] + new["scores"],
                              key=lambda r: (r["method"], r["gamma"]))
    merged["direction"] = dict(old["direction"], **new["direction"])
    for kv in a.set:
        k, _, v = kv.partition("=")
        merged[k] = v
    doc["held_out"] = merged
    k, _, cmd = a.command.partition("=")
    doc[k] = cmd
    for kv in a.attach:
        k, _, f = kv.partition("=")
        doc[k] = json.load(open(f))
    os.makedirs(os.path.join(a.dest, "figures"), exist_ok=True)
    for f in a.figure:
        shutil.copy(os.path.join(a.work, "figures", f), os.path.join(a.dest, "figures", f))
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1)
    print(f"merged the {', '.join(sorted(fresh - set(check)))} rows into {path}")


if __name__ == "__main__":
    main()
