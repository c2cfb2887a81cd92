#!/usr/bin/env python3
"""Figures of thesis ch. 5 (2D LJ) from the outputs of examples/ch5/ch5.cpp.

  plots.py OUT_DIR [--figures DIR]

Reads OUT_DIR/results/summary.json (mean and standard deviation over held-out
glasses x loading protocols, per strain) and OUT_DIR/results/map_<protocol>.csv
(first held-out glass), and writes into DIR (default OUT_DIR/figures):

  fig5_14a_accuracy.png   accuracy on balanced sets versus shear strain for
                          CNN, SVM, Omega_a and, when evaluated, the GNN, the
                          soft-mode participation (SM) and v_flex (thesis
                          Fig. 5.14a)
  fig5_14c_crank.png      C_rank (thesis eq 5.5) versus strain (Fig. 5.14c)
  fig5_14eh_maps.png      CNN class probability of every particle of one glass
                          under ss+, ss-, ps+, ps- (Fig. 5.14e-h) with the top
                          f_thres D2min particles at the map strain circled red
                          when p > 0.5 (found) and blue otherwise (missed); green
                          circles: particles in the top f_thres of p that are not
                          in the top f_thres of D2min (false alarms)
  fig5_14_auc.png         ROC AUC (top f_thres D2min against all) versus strain
  fig5_18_gnn_maps.png    (when the evaluation had --gnn) the same maps for the
                          GNN's probability (thesis Fig. 5.18, middle row)
  fig5_16a_learning_curve.png (when OUT/curve/K/results/summary.json exist:
                          make_weights.sh) CNN and SVM accuracy and AUC at
                          gamma = 2 % versus the number of training glasses
                          (thesis Fig. 5.16a), on the same held-out glasses
  fig5_19_orientation.png (when results/orientation.csv exists: the orient
                          stage) polar plot of one particle's CNN class
                          probability versus the loading direction theta,
                          with its D2min percentile after AQS along theta
                          (thesis Fig. 5.19)

Only Debian packages: python3-matplotlib, python3-numpy.
"""
import argparse
import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

COLORS = {"CNN": "tab:red", "GNN": "tab:orange", "SVM": "tab:blue", "Omega_a": "tab:gray", "SM": "tab:green",
          "v_flex": "tab:purple"}
MARKERS = {"CNN": "o", "GNN": "p", "SVM": "s", "Omega_a": "^", "SM": "v", "v_flex": "D"}
LABELS = {"CNN": "CNN", "GNN": "GNN", "SVM": "SVM", "Omega_a": r"$\Omega_a$", "SM": "soft modes",
          "v_flex": r"$v_{flex}$"}
PROTOCOLS = [("ss+", "positive simple shear"), ("ss-", "negative simple shear"),
             ("ps+", "positive pure shear"), ("ps-", "negative pure shear")]


def by_method(scores, key):
    out = {}
    for s in scores:
        out.setdefault(s["method"], []).append((s["gamma"], s[key], s[key + "_sd"]))
    return {m: sorted(v) for m, v in out.items()}


def curve_plot(summary, key, ylabel, path, ylim=None, methods=("CNN", "GNN", "SVM", "Omega_a", "SM", "v_flex")):
    fig, ax = plt.subplots(figsize=(4.2, 3.4))
    data = by_method(summary["scores"], key)
    for m in methods:
        if m not in data:
            continue
        g, v, sd = (np.array(c) for c in zip(*data[m]))
        ax.errorbar(100 * g, v, yerr=sd, color=COLORS[m], marker=MARKERS[m], capsize=3, label=LABELS[m])
    if key in ("accuracy", "auc"):
        ax.axhline(0.5, color="k", lw=0.6, ls=":")
    else:
        ax.axhline(0.0, color="k", lw=0.6, ls=":")
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_xlabel(r"shear strain $\gamma$ (%)")
    ax.set_ylabel(ylabel)
    ax.set_title(f"N = {summary['atoms']}, {summary['test_samples']} held-out glasses x 4 loadings, "
                 f"$f$ = {100 * summary['fraction']:g} %", fontsize=7)
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def read_map(path):
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def top(values, fraction):
    n = max(1, int(round(fraction * len(values))))
    idx = np.argsort(-values, kind="stable")[:n]
    mask = np.zeros(len(values), bool)
    mask[idx] = True
    return mask


def maps_plot(results, summary, path, column="p_cnn", model="CNN"):
    fraction = summary["fraction"]
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.9))
    sc = None
    for ax, (name, title) in zip(axes, PROTOCOLS):
        f = os.path.join(results, f"map_{name}.csv")
        if not os.path.exists(f):
            ax.set_axis_off()
            continue
        m = read_map(f)
        p = m.get(column, np.full(len(m["x"]), -1.0))
        if np.all(p < 0):
            ax.text(0.5, 0.5, "no " + model, transform=ax.transAxes, ha="center")
            continue
        size = np.where(m["type"] > 0.5, 9.0, 4.0)
        sc = ax.scatter(m["x"], m["y"], c=p, s=size, cmap="viridis", vmin=0, vmax=1, linewidths=0)
        t_d2 = top(m["d2min"], fraction)
        t_p = top(p, fraction)
        found = t_d2 & (p > 0.5)
        missed = t_d2 & ~(p > 0.5)
        false_alarm = t_p & ~t_d2
        for mask, color in ((found, "red"), (missed, "blue"), (false_alarm, "lime")):
            ax.scatter(m["x"][mask], m["y"][mask], s=60, facecolors="none", edgecolors=color, linewidths=1.2)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{title}\nfound {found.sum()}/{t_d2.sum()}, false alarms {false_alarm.sum()}", fontsize=8)
    if sc is not None:
        fig.colorbar(sc, ax=axes, fraction=0.015, pad=0.01, label=model + " class probability")
    fig.suptitle(rf"{model} prediction maps, top {100 * fraction:g} % $D^2_{{min}}$ at "
                 rf"$\gamma$ = {100 * summary['map_strain']:g} %: red found, blue missed, green false alarm",
                 fontsize=9)
    fig.savefig(path, dpi=150)
    plt.close(fig)


def orientation_plot(results, path):
    with open(os.path.join(results, "orientation.csv")) as fh:
        rows = list(csv.DictReader(fh))
    with open(os.path.join(results, "orientation.json")) as fh:
        meta = json.load(fh)
    th = np.radians([float(r["theta_deg"]) for r in rows])
    p = np.array([float(r["p_cnn"]) for r in rows])
    q = np.array([float(r["d2min_percentile"]) for r in rows])
    th, p, q = np.append(th, th[0]), np.append(p, p[0]), np.append(q, q[0])  # close the curves
    fig = plt.figure(figsize=(4.4, 4.4))
    ax = fig.add_subplot(projection="polar")
    ax.plot(th, p, color="tab:red", lw=1.8, label="CNN class probability")
    ax.plot(th, q, color="tab:blue", ls=":", lw=1.8, label=r"$D^2_{min}$ percentile (AQS)")
    ax.set_ylim(0, 1)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0])
    ax.tick_params(labelsize=7)
    ax.set_title(f"particle {int(meta['id'])} (type {'L' if int(meta['type']) else 'S'}), simple shear along "
                 rf"$\theta$ to $\gamma$ = {100 * meta['strain']:g} %" + "\n"
                 rf"Pearson r = {meta['pearson_p_d2min_percentile']:.2f}", fontsize=8)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.22), frameon=False, fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def learning_curve_plot(out, summary, path, gamma=0.02):
    points = []
    curve = os.path.join(out, "curve")
    for k in sorted(os.listdir(curve), key=lambda v: int(v) if v.isdigit() else -1):
        f = os.path.join(curve, k, "results", "summary.json")
        if k.isdigit() and os.path.exists(f):
            with open(f) as fh:
                points.append((int(k), json.load(fh)))
    points.append((summary["train_samples"], summary))
    fig, axes = plt.subplots(1, 2, figsize=(7.6, 3.2))
    for ax, key, label in ((axes[0], "accuracy", "accuracy (balanced sets)"), (axes[1], "auc", "ROC AUC")):
        for m in ("CNN", "SVM"):
            xs, ys, es = [], [], []
            for k, s in points:
                for r in s["scores"]:
                    if r["method"] == m and abs(r["gamma"] - gamma) < 1e-9:
                        xs.append(k), ys.append(r[key]), es.append(r[key + "_sd"])
            ax.errorbar(xs, ys, yerr=es, color=COLORS[m], marker=MARKERS[m], capsize=3, label=LABELS[m])
        ax.set_xscale("log")
        ax.set_xlabel("training glasses (x 4 loadings x 3 label strains)")
        ax.set_ylabel(label)
        ax.axhline(0.5, color="k", lw=0.6, ls=":")
        ax.legend(frameon=False)
    fig.suptitle(rf"held-out glasses at $\gamma$ = {100 * gamma:g} %, $f$ = {100 * summary['fraction']:g} %", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output directory of ch5 (holds results/)")
    ap.add_argument("--figures", help="directory for the figures (default OUT/figures)")
    a = ap.parse_args()
    results = os.path.join(a.out, "results")
    figs = a.figures or os.path.join(a.out, "figures")
    os.makedirs(figs, exist_ok=True)
    with open(os.path.join(results, "summary.json")) as fh:
        summary = json.load(fh)
    curve_plot(summary, "accuracy", "accuracy (balanced sets)", os.path.join(figs, "fig5_14a_accuracy.png"),
               ylim=(0.3, 1.0))
    curve_plot(summary, "c_rank", r"$C_{rank}$", os.path.join(figs, "fig5_14c_crank.png"), ylim=(-0.6, 1.0))
    if any("auc" in r for r in summary["scores"]):
        curve_plot(summary, "auc", "ROC AUC (top $f$ against all)", os.path.join(figs, "fig5_14_auc.png"), ylim=(0.3, 1.0))
    maps_plot(results, summary, os.path.join(figs, "fig5_14eh_maps.png"))
    if any(r["method"] == "GNN" for r in summary["scores"]):
        maps_plot(results, summary, os.path.join(figs, "fig5_18_gnn_maps.png"), "p_gnn", "GNN")
    if os.path.isdir(os.path.join(a.out, "curve")):
        learning_curve_plot(a.out, summary, os.path.join(figs, "fig5_16a_learning_curve.png"))
    if os.path.exists(os.path.join(results, "orientation.csv")):
        orientation_plot(results, os.path.join(figs, "fig5_19_orientation.png"))
    print("wrote " + ", ".join(os.path.join(figs, f) for f in sorted(os.listdir(figs))))


if __name__ == "__main__":
    main()
