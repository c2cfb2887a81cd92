#!/usr/bin/env python3
"""examples/alumina/plots.py OUT — the figures of the alumina study from
OUT/curves.json and OUT/summary.json (written by analyze.py summary), into
OUT/figures/; the list of figures is added to OUT/summary.json.

    fig1_stress_D.png        Fig. 1A (plane-strain stress-strain), 1D (distribution of D of Al),
                             S1 (plane-stress stress-strain)
    fig2_switching.png       Fig. 2A-C: DC, IC, SC fraction of Al against strain (plane strain)
    fig3_species_stress.png  Fig. 3A: switching at the last strain per unstrained Al species
                             (Al4, Al5, Al6); 3C-E: mean hydrostatic atomic stress of Al by current CN
    fig4_softness.png        Fig. 4A: SVM accuracies; 4B: <S> of Al against strain; 4C: P_R of Al5
    fig5_clusters.png        Fig. 5C-D: number and largest size of the top-10 % softness Al clusters
    figS19_density.png       Fig. S19B: density against quench pressure
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out = sys.argv[1] if len(sys.argv) == 2 else sys.exit(__doc__)
per = json.load(open(os.path.join(out, "curves.json")))
summ = json.load(open(os.path.join(out, "summary.json")))
figdir = os.path.join(out, "figures")
os.makedirs(figdir, exist_ok=True)
ps = list(per)
colors = {p: plt.cm.viridis(k / max(1, len(ps) - 1)) for k, p in enumerate(ps)}
label = {p: "%s GPa" % p for p in ps}
written = []


def save(fig, name):
    fig.tight_layout()
    fig.savefig(os.path.join(figdir, name), dpi=110)
    plt.close(fig)
    written.append("figures/" + name)


# Fig. 1
fig, ax = plt.subplots(1, 3, figsize=(13, 3.8))
for p in ps:
    c = per[p]
    ax[0].plot(c["plane_strain"]["strain"], c["plane_strain"]["stress_GPa"], "o-", ms=3, color=colors[p], label=label[p])
    e = c["D_Al"]["hist_edges"]
    ax[1].plot([(a + b) / 2 for a, b in zip(e[:-1], e[1:])], c["D_Al"]["hist"], color=colors[p], label=label[p])
    ax[2].plot(c["plane_stress"]["strain"], c["plane_stress"]["stress_GPa"], color=colors[p], label=label[p])
ax[0].set(xlabel="strain", ylabel="stress xx (GPa)", title="A: plane strain (loading 2)")
ax[1].set(xlabel="cumulative nonaffine displacement D of Al (A)", ylabel="probability density",
          title="D: D at the last plane-strain step")
ax[2].set(xlabel="strain", ylabel="stress xx (GPa)", title="S1: plane stress (loading 1)")
for a in ax:
    a.legend(fontsize=8)
save(fig, "fig1_stress_D.png")

# Fig. 2
fig, ax = plt.subplots(1, 3, figsize=(13, 3.8))
for k, (key, name) in enumerate((("DC", "decreased CN"), ("IC", "increased CN"), ("SC", "swapped CN"))):
    for p in ps:
        ax[k].plot(per[p]["curves"]["strain"], per[p]["curves"][key], "o-", ms=3, color=colors[p], label=label[p])
    ax[k].set(xlabel="strain", ylabel="fraction of Al", title="%s: %s (%s)" % ("ABC"[k], name, key))
    ax[k].legend(fontsize=8)
save(fig, "fig2_switching.png")

# Fig. 3
fig, ax = plt.subplots(1, 4, figsize=(16, 3.8))
width = 0.8 / len(ps)
for j, p in enumerate(ps):
    sw = per[p]["switching_by_cn_ref"]
    for k, key in enumerate(("DC", "IC", "SC")):
        vals = [sw[cn][key][-1] if sw[cn][key][-1] is not None else 0 for cn in ("4", "5", "6")]
        ax[0].bar([x + 4 * k + j * width for x in range(3)], vals, width, color=colors[p],
                  label=label[p] if k == 0 else None)
ax[0].set_xticks([x + 4 * k + 0.4 for k in range(3) for x in range(3)])
ax[0].set_xticklabels(["%s\nAl%s" % (key if x == 1 else "", cn) for key in ("DC", "IC", "SC")
                       for x, cn in enumerate(("4", "5", "6"))], fontsize=7)
ax[0].set(ylabel="fraction at the last strain", title="A: switching per unstrained Al species")
ax[0].legend(fontsize=8)
for k, cn in enumerate(("4", "5", "6")):
    for p in ps:
        s = per[p]["stress_by_cn_GPa"][cn]
        pts = [(e, v) for e, v in zip(per[p]["curves"]["strain"], s) if v is not None]
        ax[k + 1].plot([a for a, _ in pts], [b for _, b in pts], "o-", ms=3, color=colors[p], label=label[p])
    ax[k + 1].set(xlabel="strain", ylabel="mean hydrostatic atomic stress (GPa)", title="%s: Al%s" % ("CDE"[k], cn))
    ax[k + 1].legend(fontsize=8)
save(fig, "fig3_species_stress.png")

# Fig. 4
fig, ax = plt.subplots(1, 3, figsize=(13, 3.8))
bars = [("radial+ang.\ntrain", summ["svm_train_accuracy"]), ("radial+ang.\ntest", summ["svm_test_accuracy"]),
        ("radial only\ntest", summ["radial_only_accuracy"]), ("Voronoi volume\nonly, test", summ["voronoi_only_accuracy"])]
ax[0].bar(range(len(bars)), [b for _, b in bars], color=["C0", "C0", "C1", "C2"])
ax[0].set_xticks(range(len(bars)))
ax[0].set_xticklabels([a for a, _ in bars], fontsize=7)
ax[0].axhline(0.5, color="k", lw=0.8, ls="--")
ax[0].set(ylim=(0.4, 1.0), ylabel="accuracy", title="A: softness SVM (%d samples)" % summ["svm_samples"])
for p in ps:
    ax[1].plot(per[p]["curves"]["strain"], per[p]["curves"]["mean_S"], "o-", ms=3, color=colors[p], label=label[p])
    ax[1].plot(per[p]["curves"]["strain"], per[p]["curves"]["median_S"], "--", color=colors[p])
    pr = per[p]["P_R_Al5"]
    ax[2].semilogy(pr["mean_S"], [max(v, 1e-3) for v in pr["P_R"]], "o-", color=colors[p], label=label[p])
ax[1].set(xlabel="strain", ylabel="<S> of Al (dashed: median)", title="B: mean softness")
ax[2].set(xlabel="softness S of Al5 (unstrained)", ylabel="P_R (Al5 -> DC at the last strain)", title="C: P_R of Al5")
for a in ax[1:]:
    a.legend(fontsize=8)
save(fig, "fig4_softness.png")

# Fig. 5
fig, ax = plt.subplots(1, 2, figsize=(9, 3.8))
for p in ps:
    ax[0].plot(per[p]["curves"]["strain"], per[p]["curves"]["clusters"], "o-", ms=3, color=colors[p], label=label[p])
    ax[1].plot(per[p]["curves"]["strain"], per[p]["curves"]["largest_cluster"], "o-", ms=3, color=colors[p],
               label=label[p])
ax[0].set(xlabel="strain", ylabel="number of clusters", title="C: top-10 % softness Al clusters (3.7 A)")
ax[1].set(xlabel="strain", ylabel="largest cluster (Al atoms)", title="D: largest high-softness cluster")
for a in ax:
    a.legend(fontsize=8)
save(fig, "fig5_clusters.png")

# Fig. S19B
fig, ax = plt.subplots(figsize=(4.5, 3.6))
ax.plot([float(p) for p in ps], [summ["density_g_cm3"][p] for p in ps], "o-")
ax.set(xlabel="quench pressure (GPa)", ylabel="density at 300 K, 0 GPa (g/cm^3)", title="S19B: densification")
save(fig, "figS19_density.png")

summ["figures"] = written
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump(summ, f, indent=1)
print("wrote %d figures to %s" % (len(written), figdir))
