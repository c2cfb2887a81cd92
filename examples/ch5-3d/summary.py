#!/usr/bin/python3
"""The summary and figures of one ch5-3d run (thesis Figs. 5.20-5.21).

  summary.py OUT

Reads, all written by committed commands (examples/ch5-3d/run.sh or
weights/make_weights.sh):
  OUT/results/summary.json   ch5 --system cuzr --stages evaluate (held-out
                             scores per method and strain, mean +- sd over
                             glasses x orientations; loading-direction numbers)
  OUT/cnn_history.json       examples/ch5/train_cnn.py (architecture, epochs)
  OUT/dataset/settings.json  the training set (SDM geometry, image counts)
  OUT/svm.json               the softness SVM (training accuracy)
  OUT/radial_probe.json      (optional) radial_probe.py: a linear probe on the
                             training maps' radial profiles
  OUT/lammps_check.json      (optional) lammps_check.sh: the shipped net on a
                             LAMMPS-made glass, its spread over the 24 K
Writes OUT/summary.json: `<method>_accuracy_by_strain` maps (strain -> mean
accuracy; cnn, svm, volume = Omega_a, soft_modes, vflex), the same for C_rank
and the standard deviations, the 3-6 % means, the loading-direction numbers,
the net and the dataset; and OUT/figures/accuracy_vs_strain.png and
c_rank_vs_strain.png.
"""
import json
import os
import sys

# results/summary.json method names -> summary key prefixes
METHODS = {"CNN": "cnn", "SVM": "svm", "Omega_a": "volume", "SM": "soft_modes", "v_flex": "vflex", "GNN": "gnn"}
LABELS = {"cnn": "CNN (SDM)", "svm": "SVM softness", "volume": "atomic volume", "soft_modes": "soft modes",
          "vflex": "flexibility volume", "gnn": "GNN"}


def load(path):
    with open(path) as f:
        return json.load(f)


def key(g):
    return "%g" % g


def summarize(out):
    res = load(os.path.join(out, "results", "summary.json"))
    hist = load(os.path.join(out, "cnn_history.json"))
    ds = load(os.path.join(out, "dataset", "settings.json"))
    svm = load(os.path.join(out, "svm.json"))
    s = {"system": res.get("system", "cuzr"), "atoms": res["atoms"], "train_samples": res["train_samples"],
         "test_samples": res["test_samples"], "fraction": res["fraction"], "dgamma": res["dgamma"],
         "t_quench_ps": res["t_quench"], "sdm": ds["sdm"], "image_shape": ds["image_shape"],
         "protocols": len(ds["protocols"]), "modes_fraction": res["modes_fraction"], "vflex_temp": res["vflex_temp"],
         "vflex_runs": res["vflex_runs"]}
    for r in res["scores"]:
        m = METHODS[r["method"]]
        for q in ("accuracy", "c_rank", "auc"):
            s.setdefault("%s_%s_by_strain" % (m, q), {})[key(r["gamma"])] = r[q]
            s.setdefault("%s_%s_sd_by_strain" % (m, q), {})[key(r["gamma"])] = r[q + "_sd"]
        s["scored_glass_orientations"] = r["n"]
    # the goal's range: mean accuracy over the strains in [3 %, 6 %]
    for m in METHODS.values():
        acc = s.get("%s_accuracy_by_strain" % m)
        if acc:
            v = [a for g, a in acc.items() if 0.03 - 1e-9 <= float(g) <= 0.06 + 1e-9]
            if v:
                s["%s_accuracy_3_6" % m] = sum(v) / len(v)
    s["direction"] = res.get("direction", {})
    s["cnn"] = {"architecture": hist["architecture"], "best_val_accuracy": hist["best_val_accuracy"],
                "epochs": len(hist["epochs"]), "train_seconds": sum(e["seconds"] for e in hist["epochs"])}
    s["dataset"] = {"images": ds["images"], "positives": ds["positives"],
                    "train_strains": ds.get("extra", {}).get("train_strains", [])}
    s["svm"] = {"train_accuracy": svm["training"]["train_score"], "features": svm["n_features"],
                "samples": svm["training"]["n_samples"], "C": svm["C"]}
    probe = os.path.join(out, "radial_probe.json")
    if os.path.exists(probe):
        s["radial_probe"] = load(probe)
    lc = os.path.join(out, "lammps_check.json")
    if os.path.exists(lc):
        s["lammps_check"] = load(lc)
    return s


def figures(out, s):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(os.path.join(out, "figures"), exist_ok=True)
    names = []
    for q, ylabel, fname in (("accuracy", "balanced accuracy", "accuracy_vs_strain.png"),
                             ("c_rank", "C_rank", "c_rank_vs_strain.png")):
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for m in METHODS.values():
            v = s.get("%s_%s_by_strain" % (m, q))
            if not v:
                continue
            sd = s["%s_%s_sd_by_strain" % (m, q)]
            g = sorted(v, key=float)
            ax.errorbar([100 * float(x) for x in g], [v[x] for x in g], yerr=[sd[x] for x in g], marker="o",
                        ms=3, capsize=2, label=LABELS[m])
        ax.set_xlabel("shear strain (%)")
        ax.set_ylabel(ylabel)
        if q == "accuracy":
            ax.axhline(0.5, color="0.6", lw=0.8, ls=":")
        ax.set_title("Cu50Zr50, %d atoms: %d held-out glasses x %d orientations" % (
            s["atoms"], s["test_samples"], s["protocols"]), fontsize=9)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(out, "figures", fname), dpi=120)
        plt.close(fig)
        names.append(fname)
    return names


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    s = summarize(out)
    s["figures"] = figures(out, s)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(s, f, indent=1)
    print("wrote %s: CNN accuracy at 3-6 %% %.3f, SVM %.3f, volume %.3f" % (
        os.path.join(out, "summary.json"), s.get("cnn_accuracy_3_6", float("nan")),
        s.get("svm_accuracy_3_6", float("nan")), s.get("volume_accuracy_3_6", float("nan"))))


if __name__ == "__main__":
    main()
