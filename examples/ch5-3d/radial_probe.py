#!/usr/bin/python3
"""Do the training maps carry the label? A linear probe on the SDM dataset.

  radial_probe.py OUT [--val-glasses 2] [--width 0.5]

Reads OUT/dataset (the driver's dataset stage: shards of maps N x 2 x G^3,
labels, meta = sample, protocol, atom id; sample = glass x strains + strain)
and sums each map's two channels over spherical shells of --width pixels
about the centre (a radial density profile per species), then fits an
L2-regularized logistic regression (scikit-learn, C = 0.1, standardized
features) on the glasses before the last --val-glasses and scores it on
those (the same whole-glass split as train_cnn.py's validation with
--val-group = strains). Writes OUT/radial_probe.json: validation ROC AUC and
accuracy, training accuracy, the number of features and images. A CNN on the
same maps that scores below this probe has not learnt what the maps hold.
"""
import argparse
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--val-glasses", type=int, default=2)
    ap.add_argument("--width", type=float, default=0.5, help="shell width in pixels")
    a = ap.parse_args()
    d = os.path.join(a.out, "dataset")
    s = json.load(open(os.path.join(d, "settings.json")))
    strains = len(s["extra"]["train_strains"])
    feats, ys, glass = [], [], []
    for shard in s["shards"]:
        stem = os.path.join(d, shard["name"])
        x = np.load(stem + ".npy", mmap_mode="r")
        n = x.shape[-1]
        c = (n - 1) / 2
        r = np.sqrt(((np.indices((n,) * (x.ndim - 2)) - c) ** 2).sum(0))
        shells = np.digitize(r, np.arange(a.width, r.max() + a.width, a.width))
        ids = np.unique(shells)
        for i in range(0, len(x), 2048):
            b = np.asarray(x[i:i + 2048])
            feats.append(np.stack([b[:, ch][:, shells == k].sum(1) for ch in range(b.shape[1]) for k in ids], 1))
        ys.append(np.load(stem + "_labels.npy"))
        glass.append(np.load(stem + "_meta.npy")[:, 0] // strains)
    F, y, g = np.concatenate(feats), np.concatenate(ys), np.concatenate(glass)
    glasses = np.unique(g)
    if len(glasses) <= a.val_glasses:
        raise SystemExit("radial_probe.py: %d glasses, need more than --val-glasses %d" % (len(glasses), a.val_glasses))
    va = np.isin(g, glasses[-a.val_glasses:])
    tr = ~va
    sc = StandardScaler().fit(F[tr])
    lr = LogisticRegression(C=0.1, max_iter=5000).fit(sc.transform(F[tr]), y[tr])
    p = lr.predict_proba(sc.transform(F[va]))[:, 1]
    out = {"features": int(F.shape[1]), "train_images": int(tr.sum()), "val_images": int(va.sum()),
           "val_glasses": [int(v) for v in glasses[-a.val_glasses:]], "shell_width_pixels": a.width,
           "val_auc": float(roc_auc_score(y[va], p)), "val_accuracy": float(((p > 0.5) == y[va]).mean()),
           "train_accuracy": float(lr.score(sc.transform(F[tr]), y[tr]))}
    with open(os.path.join(a.out, "radial_probe.json"), "w") as f:
        json.dump(out, f, indent=1)
    print("radial probe: %d shell features, validation AUC %.3f, accuracy %.3f (training %.3f)" % (
        out["features"], out["val_auc"], out["val_accuracy"], out["train_accuracy"]))


if __name__ == "__main__":
    main()
