#!/usr/bin/python3
"""examples/ch2/plots.py OUT — figures and the C fit of the ch2 a-Si study.

Reads what examples/ch2/run.sh wrote to OUT (summary.csv, q_RATE.cn.xyz,
q_RATE.cflex.csv, q_RATE.msd_curve.csv) and writes OUT/fit.json and
OUT/figures/:
  fig2_4_G_vs_kT_over_vflex.png  G (thermal NVT 300 K, with error bars, and
      athermal) against k_B T / <v_flex>, the thesis line G = 0.464 kT/v_flex
      and the least-squares line through the origin fitted to the thermal G
  fig2_3b_cflex.png              C_flex(r) / C_flex(0) of every rate (eq 2.1);
      fit.json: where its 3-bin running mean first reaches 0 (the thesis's
      "distance where the correlation vanishes"; the CLI's length is the 1/e one)
  fig2_5b_cn_vs_vflex.png        atoms sorted by v_flex,i into 10 equal bins:
      fraction with CN = 3, 4, 5, 6 (Si-Si cutoff 2.9 A) per bin (middle
      rate, as the thesis's 5e11 K/s panel) and CN = 5 per bin for every rate;
      fit.json also holds <eta> of CN = 4 and CN > 4 atoms (thesis: 0.151, 0.218)
  fig2_1_2a_rates.png            <v_flex>, Omega_a against the rate (Fig 2.1),
      the MSD plateau curves (Fig 2.2a) and <eta> against <v_flex> (Fig 2.3a)
Fit through the origin: C = sum(x y) / sum(x^2), x = kT/<v_flex>, y = G;
standard error s / sqrt(sum x^2), s^2 = sum (y - C x)^2 / (n - 1); T = 300 K
(the thesis's), and in fit.json also with T = the measured mean kinetic
temperature of the MSD runs (T_msd: a few K below 300 from anharmonicity).
"""
import csv
import json
import os
import re
import sys

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

C_THESIS = 0.464


def read_extxyz(path):
    """Columns of the first frame of an extxyz file as {name: array}."""
    with open(path) as f:
        n = int(f.readline())
        props = re.search(r"Properties=(\S+)", f.readline()).group(1).split(":")
        rows = [f.readline().split() for _ in range(n)]
    cols, c = {}, 0
    for k in range(0, len(props), 3):
        name, kind, width = props[k], props[k + 1], int(props[k + 2])
        if kind in ("R", "I"):
            a = np.array([[float(r[c + j]) for j in range(width)] for r in rows])
            cols[name] = a[:, 0] if width == 1 else a
        c += width
    return cols


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def fit_origin(x, y):
    c = float(np.sum(x * y) / np.sum(x * x))
    n = len(x)
    s2 = float(np.sum((y - c * x) ** 2) / (n - 1)) if n > 1 else float("nan")
    return c, float(np.sqrt(s2 / np.sum(x * x)))


def main(out):
    summ = read_csv(os.path.join(out, "summary.csv"))
    with open(os.path.join(out, "summary.csv")) as f:
        rates = [r["rate_K_per_s"] for r in csv.DictReader(f)]
    figs = os.path.join(out, "figures")
    os.makedirs(figs, exist_ok=True)
    x = summ["kT_over_vflex_GPa"]
    gt, gte, ga = summ["G_thermal_GPa"], summ["G_thermal_err_GPa"], summ["G_athermal_GPa"]
    ct, cte = fit_origin(x, gt)
    ca, cae = fit_origin(x, ga)
    ctm, ctme = fit_origin(x * summ["T_msd_K"] / 300.0, gt)
    fit = {
        "C_fit_thermal_with_T_msd": ctm, "C_fit_thermal_with_T_msd_err": ctme,
        "rates_K_per_s": rates,
        "atoms": int(summ["atoms"][0]),
        "C_fit_thermal": ct, "C_fit_thermal_err": cte,
        "C_fit_athermal": ca, "C_fit_athermal_err": cae,
        "C_per_rate_thermal": list(gt / x), "C_per_rate_athermal": list(ga / x),
        "G_thermal_over_thesis_line": list(gt / (C_THESIS * x)),
        "max_abs_dev_thermal_from_thesis_line": float(np.max(np.abs(gt / (C_THESIS * x) - 1))),
        "C_thesis": C_THESIS,
    }

    # Fig 2.4
    fig, ax = plt.subplots(figsize=(5, 4))
    xs = np.linspace(0, 1.1 * x.max(), 50)
    ax.plot(xs, C_THESIS * xs, "r--", label=f"thesis: C = {C_THESIS}")
    ax.plot(xs, ct * xs, "k-", lw=0.8, label=f"fit (thermal): C = {ct:.3f} ± {cte:.3f}")
    ax.errorbar(x, gt, yerr=gte, fmt="o", ms=5, capsize=2, label="G, NVT 300 K, ±0.5 % shear")
    ax.plot(x, ga, "s", mfc="none", ms=5, label="G athermal (CG)")
    for xi, yi, r in zip(x, gt, rates):
        ax.annotate(r, (xi, yi), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlim(0.95 * x.min(), 1.05 * x.max())
    ylo = min(gt.min(), ga.min(), C_THESIS * x.min(), ct * x.min())
    yhi = max(gt.max(), ga.max(), C_THESIS * x.max(), ct * x.max())
    ax.set_ylim(0.95 * ylo, 1.05 * yhi)
    ax.set_xlabel(r"$k_BT/\langle v_{flex}\rangle$ (GPa)")
    ax.set_ylabel("G (GPa)")
    ax.set_title(f"SW a-Si, {fit['atoms']} atoms (Fig. 2.4)", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig2_4_G_vs_kT_over_vflex.png"), dpi=150)
    plt.close(fig)

    # Fig 2.3b
    fig, ax = plt.subplots(figsize=(5, 4))
    for r in rates:
        c = read_csv(os.path.join(out, f"q_{r}.cflex.csv"))
        m = c["pairs"] > 0
        rr, cc = c["r"][m], c["C_over_C0"][m]
        smooth = np.convolve(cc, np.ones(3) / 3, mode="same")
        zero = rr[1:-1][smooth[1:-1] <= 0]
        fit.setdefault("cflex_zero_crossing_A", {})[r] = float(zero[0]) if len(zero) else float("nan")
        ax.plot(rr, cc, "-o", ms=2, label=f"{r} K/s")
    ax.axhline(0, color="gray", lw=0.5)
    ax.set_xlabel("r (Å)")
    ax.set_ylabel(r"$C_{flex}(r)/C_{flex}(0)$")
    ax.set_title("spatial correlation of v_flex,i (Fig. 2.3b)", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig2_3b_cflex.png"), dpi=150)
    plt.close(fig)

    # Fig 2.5b
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.8))
    mid = rates[len(rates) // 2]
    cn5_bins = {}
    for r in rates:
        d = read_extxyz(os.path.join(out, f"q_{r}.cn.xyz"))
        order = np.argsort(d["vflex"], kind="stable")
        cn = np.rint(d["cn"][order]).astype(int)
        bins = np.array_split(np.arange(len(cn)), 10)
        frac = {k: np.array([np.mean(cn[b] == k) for b in bins]) for k in (3, 4, 5, 6)}
        cn5_bins[r] = list(frac[5])
        cn_all = np.rint(d["cn"]).astype(int)
        fit.setdefault("eta_cn4_vs_cn_gt4", {})[r] = [float(np.mean(d["eta"][cn_all == 4])),
                                                     float(np.mean(d["eta"][cn_all > 4]))]
        a2.plot(np.arange(1, 11), frac[5], "-o", ms=3, label=f"{r} K/s")
        if r == mid:
            for k in (3, 4, 5, 6):
                a1.plot(np.arange(1, 11), frac[k], "-o", ms=3, label=f"CN = {k}")
            fit["cn_fractions_by_vflex_decile_" + r] = {str(k): list(v) for k, v in frac.items()}
    fit["cn5_fraction_by_vflex_decile"] = cn5_bins
    a1.set_title(f"{mid} K/s: CN fractions per v_flex decile", fontsize=9)
    a2.set_title("CN = 5 fraction per v_flex decile", fontsize=9)
    for a in (a1, a2):
        a.set_xlabel(r"$v_{flex,i}$ decile (1 = smallest)")
        a.set_ylabel("fraction of atoms")
        a.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig2_5b_cn_vs_vflex.png"), dpi=150)
    plt.close(fig)

    # Fig 2.1 / 2.2a / 2.3a
    rate_f = np.array([float(r) for r in rates])
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(12, 3.6))
    a1.errorbar(rate_f, summ["vflex_A3"], yerr=summ["vflex_err_A3"], fmt="o-", label=r"$v_{flex}$")
    a1.set_xscale("log")
    a1.set_xlabel("cooling rate (K/s)")
    a1.set_ylabel(r"$\langle v_{flex}\rangle$ (Å$^3$)")
    t = a1.twinx()
    t.plot(rate_f, summ["omega_A3"], "s--", color="C1", label=r"$\Omega_a$")
    t.set_ylabel(r"$\Omega_a$ (Å$^3$)", color="C1")
    a1.set_title("Fig. 2.1", fontsize=9)
    for r in rates:
        c = read_csv(os.path.join(out, f"q_{r}.msd_curve.csv"))
        a2.plot(c["time"], c["msd"], label=f"{r} K/s")
    a2.set_xlabel("window (ps)")
    a2.set_ylabel(r"$\langle r^2\rangle$ (Å$^2$)")
    a2.set_title("MSD about the window mean (Fig. 2.2a)", fontsize=9)
    a2.legend(fontsize=7)
    a3.plot(summ["vflex_A3"], summ["eta"], "o")
    a3.set_xlabel(r"$\langle v_{flex}\rangle$ (Å$^3$)")
    a3.set_ylabel(r"$\langle\eta\rangle$")
    a3.set_title("Fig. 2.3a", fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig2_1_2a_rates.png"), dpi=150)
    plt.close(fig)

    with open(os.path.join(out, "fit.json"), "w") as f:
        json.dump(fit, f, indent=1)
    print(f"C fit (thermal G): {ct:.4f} +- {cte:.4f}; (athermal G): {ca:.4f} +- {cae:.4f}; thesis {C_THESIS}")
    print("G_thermal / (0.464 kT/v_flex) per rate:", " ".join(f"{v:.3f}" for v in gt / (C_THESIS * x)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
