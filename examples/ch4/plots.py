#!/usr/bin/python3
"""examples/ch4/plots.py OUT — figures of the ch3/ch4 Cu-Zr study.

Reads what examples/ch4/run.sh wrote to OUT (summary.json and summary.csv:
one row per sample RATE_sK; sf.csv, modes.json, q_SAMPLE.flex.xyz,
q_SAMPLE.msd_curve.csv, svr/*.npy) and writes OUT/figures/:
  fig3_5_G_vs_kT_over_vflex.png  G (athermal CG, and the NVT 50 K G when run)
      of every sample against k_B T / <v_flex> (T = 50 K), the thesis line
      G = 0.464 kT/v_flex and the least-squares lines through the origin
      (summary.json's C fits)
  fig3_8_vflex_distribution.png  distribution of v_flex,i per rate (all its
      samples), Cu and Zr (Fig. 3.8), and the MSD plateau curves (Fig. 3.4)
  fig4_4_5_sf_vs_vflex.png       SF_i (pooled model) against ln v_flex,i of the
      held-out samples' atoms, Cu and Zr (Figs. 4.4/4.5), with Pearson rho
  fig4_6_rho.png                 Pearson rho per rate: training samples,
      held-out samples (own-rate model and pooled model), transfer (model of
      another rate), and Omega_i (Figs. 4.6, 4.7/4.8)
  fig4_14_soft_modes_cu.png, fig4_15_soft_modes_zr.png  (with OUT/modes.json)
      participation p in the lowest 1 % of the normal modes: ln p of the atoms
      with the highest / lowest 10 % SF and Omega_a (slowest rate's held-out
      sample), and mean p per SF decile for every held-out sample (Figs. 4.14, 4.15)
"""
import csv
import json
import os
import sys

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sfdata import read_extxyz, targets  # noqa: E402

C_THESIS = 0.464


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([float(r[k]) if r[k] != "" else np.nan for r in rows])
            for k in rows[0] if k not in ("sample", "role")}


def soft_modes_figure(modes, sp, path):
    """Thesis Fig. 4.14 (Cu) / 4.15 (Zr): ln p of the top and bottom 10 % SF atoms
    (a) and Omega atoms (b) of the slowest rate; mean p per SF decile per rate (c)."""
    samples = sorted(modes["samples"], key=lambda k: float(modes["samples"][k]["rate"]))
    slow = samples[0]
    d = modes["samples"][slow][sp]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    for a, key, label in ((axes[0], "sf", "SF"), (axes[1], "omega", r"$\Omega_a$")):
        top, bottom = np.array(d[f"ln_p_top10_{key}"]), np.array(d[f"ln_p_bottom10_{key}"])
        bins = np.linspace(min(top.min(), bottom.min()), max(top.max(), bottom.max()), 25)
        a.hist(top, bins=bins, alpha=0.6, color="tab:red", label=f"highest 10 % {label}")
        a.hist(bottom, bins=bins, alpha=0.6, color="tab:blue", label=f"lowest 10 % {label}")
        a.set_xlabel("ln p (participation in the lowest 1 % of modes)")
        a.set_ylabel("atoms")
        a.set_title(f"{sp}, {slow}: <p> ratio {d[f'p_ratio_top_bottom_{key}']:.2f}, "
                    f"Spearman {d[f'spearman_p_{key}']:.2f}", fontsize=8)
        a.legend(fontsize=7)
    for smp in samples:
        e = modes["samples"][smp][sp]
        axes[2].plot(range(1, 11), e["p_mean_by_sf_decile"], "o-", ms=4, label=smp)
    axes[2].set_xlabel("SF decile (10 % of the atoms each, increasing SF)")
    axes[2].set_ylabel("mean p")
    axes[2].set_title(f"{sp}: participation against SF (Fig. 4.1{4 if sp == 'Cu' else 5}c)", fontsize=8)
    axes[2].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def main(out):
    with open(os.path.join(out, "summary.json")) as f:
        res = json.load(f)
    summ = read_csv(os.path.join(out, "summary.csv"))
    with open(os.path.join(out, "summary.csv")) as f:
        rows = list(csv.DictReader(f))
    names = [r["sample"] for r in rows]
    held = [r["sample"] for r in rows if r["role"] == "test"]
    rates = list(dict.fromkeys(r["rate_K_per_s"] for r in rows))
    of_rate = {r: [n for n, row in zip(names, rows) if row["rate_K_per_s"] == r] for r in rates}
    with open(os.path.join(out, "sf.csv")) as f:
        sf = list(csv.DictReader(f))
    figs = os.path.join(out, "figures")
    os.makedirs(figs, exist_ok=True)
    x = summ["kT_over_vflex_GPa"]
    gt, gte, ga = summ["G_thermal_GPa"], summ["G_thermal_err_GPa"], summ["G_athermal_GPa"]
    ca, cae = res["C_athermal"], res["C_athermal_err"] or 0.0
    ct, cte = res["C_thermal"], res["C_thermal_err"] or 0.0

    # Fig 3.5
    fig, ax = plt.subplots(figsize=(5, 4))
    xs = np.linspace(0, 1.1 * x.max(), 50)
    ax.plot(xs, C_THESIS * xs, "r--", label=f"thesis: C = {C_THESIS}")
    ax.plot(xs, ca * xs, "k-", lw=0.8, label=f"fit (athermal): C = {ca:.3f} ± {cae:.3f}")
    if ct is not None:
        ax.plot(xs, ct * xs, "C1-", lw=0.8, label=f"fit (NVT 50 K): C = {ct:.3f} ± {cte:.3f}")
    for k, r in enumerate(rates):
        m = np.array([row["rate_K_per_s"] == r for row in rows])
        ax.plot(x[m], ga[m], "s", color=f"C{k + 2}", ms=5, label=f"{r} K/s: G athermal (CG)")
        if np.all(np.isfinite(gt[m])):
            ax.errorbar(x[m], gt[m], yerr=gte[m], fmt="o", color=f"C{k + 2}", mfc="none", ms=5, capsize=2)
    if np.any(np.isfinite(gt)):
        ax.plot([], [], "o", color="gray", mfc="none", label="G, NVT 50 K")
    ys = np.concatenate([ga[np.isfinite(ga)], gt[np.isfinite(gt)], C_THESIS * x, ca * x])
    ax.set_xlim(0.95 * x.min(), 1.05 * x.max())
    ax.set_ylim(0.9 * ys.min(), 1.1 * ys.max())
    ax.set_xlabel(r"$k_BT/\langle v_{flex}\rangle$ (GPa), T = 50 K")
    ax.set_ylabel("G (GPa)")
    ax.set_title(f"Cu-Zr (Mendelev EAM), {res['atoms']} atoms, {len(rows)} samples (Fig. 3.5)", fontsize=9)
    ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig3_5_G_vs_kT_over_vflex.png"), dpi=150)
    plt.close(fig)

    # Fig 3.8 + 3.4
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(12, 3.6))
    for r in rates:
        ds = [read_extxyz(os.path.join(out, f"q_{n}.flex.xyz")) for n in of_rate[r]]
        for a, sp in ((a1, "Cu"), (a2, "Zr")):
            v = np.concatenate([d["vflex"][d["species"] == sp] for d in ds])
            a.hist(v, bins=30, histtype="step", density=True, label=f"{r} K/s, mean {v.mean():.4f}")
        c = read_csv(os.path.join(out, f"q_{of_rate[r][0]}.msd_curve.csv"))
        a3.plot(c["time"], c["msd"], label=of_rate[r][0])
    for a, sp in ((a1, "Cu"), (a2, "Zr")):
        a.set_xlabel(r"$v_{flex,i}$ (Å$^3$), 50 K")
        a.set_ylabel("probability density")
        a.set_title(f"{sp} (Fig. 3.8)", fontsize=9)
        a.legend(fontsize=7)
    a3.set_xlabel("window (ps)")
    a3.set_ylabel(r"$\langle r^2\rangle$ (Å$^2$)")
    a3.set_title("MSD about the window mean (Fig. 3.4)", fontsize=9)
    a3.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig3_8_vflex_distribution.png"), dpi=150)
    plt.close(fig)

    if not os.path.exists(os.path.join(out, "svr", "pooled_Cu.json")):   # MODELS_FROM only: no own models
        print(f"C fit over {len(rows)} samples (athermal G): {ca:.4f} +- {cae:.4f}; thesis {C_THESIS}")
        return
    # Figs 4.4 / 4.5: pooled model on the held-out atoms
    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for a, sp in zip(axes, ("Cu", "Zr")):
        ys, ps = [], []
        for k, smp in enumerate(held):
            y = targets(out, smp, sp)[1]
            p = np.load(os.path.join(out, "svr", f"pred_pooled_on_{smp}_{sp}.npy"))
            a.plot(y, p, ".", ms=2, color=f"C{k}", label=smp)
            ys.append(y); ps.append(p)
        y, p = np.concatenate(ys), np.concatenate(ps)
        rho = float(np.corrcoef(y, p)[0, 1])
        lo, hi = min(y.min(), p.min()), max(y.max(), p.max())
        a.plot([lo, hi], [lo, hi], "k:", lw=0.8)
        a.set_xlabel(r"$\ln v_{flex,i}$ (Å$^3$)")
        a.set_ylabel(r"$SF_i$ (pooled SVR)")
        a.set_title(f"{sp}, held-out samples: ρ = {rho:.3f} (thesis {0.84 if sp == 'Cu' else 0.82})", fontsize=9)
        a.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig4_4_5_sf_vs_vflex.png"), dpi=150)
    plt.close(fig)

    # Fig 4.6 analogue
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    kinds = [("train", "training samples", "o"), ("test", "held-out samples", "*"),
             ("pooled_test", "pooled model, held-out", "s"), ("transfer", "model of another rate", "^"),
             ("volume", r"$\Omega_i$ vs ln $v_{flex,i}$", "x")]
    for a, sp in zip(axes, ("Cu", "Zr")):
        for kind, label, mk in kinds:
            xs_, ys_ = [], []
            for r in sf:
                if r["species"] != sp or r["kind"] != kind:
                    continue
                data_rate = r["data"].split()[0]
                if data_rate not in rates:
                    continue
                xs_.append(rates.index(data_rate) + {"train": -0.2, "test": -0.1, "pooled_test": 0.0,
                                                     "transfer": 0.1, "volume": 0.2}[kind])
                ys_.append(float(r["rho"]))
            a.plot(xs_, ys_, mk, ms=7, label=label)
        a.axhline(0.84 if sp == "Cu" else 0.82, color="r", ls="--", lw=0.8, label="thesis (test)")
        a.set_xticks(range(len(rates)))
        a.set_xticklabels([f"{r} K/s" for r in rates])
        a.set_xlabel("samples quenched at")
        a.set_title(f"{sp}: Pearson ρ(prediction, ln v_flex) (Fig. 4.6)", fontsize=9)
        a.legend(fontsize=7)
    axes[0].set_ylabel("Pearson ρ")
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig4_6_rho.png"), dpi=150)
    plt.close(fig)

    modes_path = os.path.join(out, "modes.json")
    if os.path.exists(modes_path):
        with open(modes_path) as f:
            modes = json.load(f)
        for sp, name in (("Cu", "fig4_14_soft_modes_cu.png"), ("Zr", "fig4_15_soft_modes_zr.png")):
            soft_modes_figure(modes, sp, os.path.join(figs, name))

    print(f"C fit over {len(rows)} samples (athermal G): {ca:.4f} +- {cae:.4f}; (thermal G): {ct} +- {cte}; "
          f"thesis {C_THESIS}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
