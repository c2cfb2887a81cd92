#!/usr/bin/python3
"""examples/ch2/plots.py OUT — the C fit, OUT/summary.json and the figures of
the ch2 a-Si study.

Reads what examples/ch2/run.sh wrote to OUT (summary.csv: one row per sample
RATE_sSEED; q_SAMPLE.cn.xyz, q_SAMPLE.cflex.csv, q_SAMPLE.msd_curve.csv) and
writes OUT/summary.json:
  C_thermal, C_thermal_err     fit of G (NVT 300 K) over every sample
  C_athermal, C_athermal_err   the same with the athermal (CG) G
  C_born, C_born_err           the same with G at 300 K from the Born term +
                               stress fluctuations (the second thermal route)
  C_*_extrapolated(_err)       (REPLICA runs) the same fits with v_flex
                               extrapolated to an infinite box from the sample
                               and its replica, v(L) = v_inf (1 - a/L)
  C_thermal_with_T_msd(_err)   thermal fit with T = the measured mean kinetic
                               temperature of the MSD runs (a few K below 300)
  by_rate                      per rate: samples, the fits over its samples,
                               mean and standard deviation of <v_flex>, E_IS, G
  samples                      one row per sample (summary.csv's columns, and
                               G / (0.464 kT/<v_flex>)), C_flex zero crossing,
                               <eta> of CN = 4 / CN > 4 atoms
and OUT/figures/:
  fig2_4_G_vs_kT_over_vflex.png  G (thermal NVT 300 K, with error bars, and
      athermal) of every sample against k_B T / <v_flex>, the thesis line
      G = 0.464 kT/v_flex and the least-squares line through the origin
      fitted to the thermal G
  fig2_3b_cflex.png              C_flex(r) / C_flex(0) (eq 2.1) of the first
      seed of every rate; summary.json: where each sample's 3-bin running mean
      first reaches 0 (the thesis's "distance where the correlation
      vanishes"; the CLI's length is the 1/e one)
  fig2_5b_cn_vs_vflex.png        atoms sorted by v_flex,i into 10 equal bins:
      fraction with CN = 3, 4, 5, 6 (Si-Si cutoff 2.9 A) per bin (all samples
      of the middle rate, as the thesis's 5e11 K/s panel) and CN = 5 per bin
      for every rate (thesis: <eta> of CN = 4 and CN > 4 atoms 0.151, 0.218)
  fig2_1_2a_rates.png            <v_flex>, Omega_a of every sample against the
      rate (Fig 2.1), the MSD plateau curves (Fig 2.2a) and <eta> against
      <v_flex> (Fig 2.3a)
Fit through the origin: C = sum(x y) / sum(x^2), x = kT/<v_flex>, y = G;
standard error s / sqrt(sum x^2), s^2 = sum (y - C x)^2 / (n - 1); T = 300 K
(the thesis's). The samples are independent (each has its own melt), so
the scatter between them enters the error.
"""
import csv
import json
import os
import re
import sys

import numpy as np

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
    return {k: np.array([float(r[k]) if r[k] != "" else np.nan for r in rows]) for k in rows[0] if k != "sample"}


def fit_origin(x, y):
    """y = C x by least squares through the origin: C and its standard error (None from one point)."""
    c = float(np.sum(x * y) / np.sum(x * x))
    n = len(x)
    if n < 2:
        return c, None
    s2 = float(np.sum((y - c * x) ** 2) / (n - 1))
    return c, float(np.sqrt(s2 / np.sum(x * x)))


def cflex_zero(out, smp):
    """C_flex(r)/C_flex(0) of a sample and where its 3-bin running mean first reaches 0."""
    c = read_csv(os.path.join(out, f"q_{smp}.cflex.csv"))
    m = c["pairs"] > 0
    rr, cc = c["r"][m], c["C_over_C0"][m]
    smooth = np.convolve(cc, np.ones(3) / 3, mode="same")
    zero = rr[1:-1][smooth[1:-1] <= 0]
    return rr, cc, (float(zero[0]) if len(zero) else None)


def cn_by_vflex_decile(d):
    """Fraction of CN = 3..6 atoms in each tenth of the atoms sorted by v_flex,i."""
    order = np.argsort(d["vflex"], kind="stable")
    cn = np.rint(d["cn"][order]).astype(int)
    bins = np.array_split(np.arange(len(cn)), 10)
    return {k: np.array([np.mean(cn[b] == k) for b in bins]) for k in (3, 4, 5, 6)}


def summarize(out):
    """OUT/summary.json: the fits over every sample, per rate, and the per-sample rows."""
    with open(os.path.join(out, "summary.csv")) as f:
        rows = list(csv.DictReader(f))
    summ = read_csv(os.path.join(out, "summary.csv"))
    x = summ["kT_over_vflex_GPa"]
    gt, ga = summ["G_thermal_GPa"], summ["G_athermal_GPa"]
    if not all(np.all(np.isfinite(v)) for v in (x, gt, ga, summ["G_born_GPa"])):
        sys.exit(f"plots.py: {out}/summary.csv has a non-finite v_flex or G")
    ct, cte = fit_origin(x, gt)
    ca, cae = fit_origin(x, ga)
    ctm, ctme = fit_origin(x * summ["T_msd_K"] / 300.0, gt)
    cb, cbe = fit_origin(x, summ["G_born_GPa"])
    xe = summ.get("kT_over_vflex_extrapolated_GPa", np.full(len(x), np.nan))
    extrap = {}
    if np.all(np.isfinite(xe)):   # v_flex extrapolated to an infinite box (REPLICA)
        for kind, g in (("thermal", gt), ("born", summ["G_born_GPa"]), ("athermal", ga)):
            extrap[f"C_{kind}_extrapolated"], extrap[f"C_{kind}_extrapolated_err"] = fit_origin(xe, g)
        extrap["replica"] = int(summ["replica"][0])
    res = {"atoms": int(summ["atoms"][0]), "samples_count": len(rows), "C_thesis": C_THESIS,
           "C_thermal": ct, "C_thermal_err": cte, "C_athermal": ca, "C_athermal_err": cae,
           "C_thermal_with_T_msd": ctm, "C_thermal_with_T_msd_err": ctme, "C_born": cb, "C_born_err": cbe,
           "max_abs_dev_thermal_from_thesis_line": float(np.max(np.abs(gt / (C_THESIS * x) - 1))),
           **extrap, "by_rate": {}, "samples": []}
    rates = list(dict.fromkeys(r["rate_K_per_s"] for r in rows))
    for r in rates:
        m = np.array([row["rate_K_per_s"] == r for row in rows])
        t, te = fit_origin(x[m], gt[m])
        a, ae = fit_origin(x[m], ga[m])
        b, be = fit_origin(x[m], summ["G_born_GPa"][m])
        res["by_rate"][r] = {
            "samples": int(m.sum()), "C_thermal": t, "C_thermal_err": te, "C_athermal": a, "C_athermal_err": ae,
            "C_born": b, "C_born_err": be,
            **{f"{k}_mean": float(np.mean(summ[k][m])) for k in ("energy_eV_per_atom", "vflex_A3", "G_thermal_GPa",
                                                               "G_athermal_GPa", "G_born_GPa", "cn5_fraction",
                                                               "omega_A3")},
            **{f"{k}_std": float(np.std(summ[k][m], ddof=1)) if m.sum() > 1 else None
               for k in ("energy_eV_per_atom", "vflex_A3", "G_thermal_GPa", "G_athermal_GPa", "G_born_GPa")}}
    for k, row in enumerate(rows):
        d = read_extxyz(os.path.join(out, f"q_{row['sample']}.cn.xyz"))
        cn = np.rint(d["cn"]).astype(int)
        rec = {c: (row[c] if c in ("sample", "rate_K_per_s") else float(row[c]) if row[c] != "" else None) for c in row}
        rec.update({"seed": int(float(row["seed"])), "atoms": int(float(row["atoms"])),
                    "G_thermal_over_thesis_line": float(gt[k] / (C_THESIS * x[k])),
                    "G_athermal_over_thesis_line": float(ga[k] / (C_THESIS * x[k])),
                    "cflex_zero_crossing_A": cflex_zero(out, row["sample"])[2],
                    "eta_cn4": float(np.mean(d["eta"][cn == 4])), "eta_cn_gt4": float(np.mean(d["eta"][cn > 4])),
                    "cn5_fraction_by_vflex_decile": [float(v) for v in cn_by_vflex_decile(d)[5]]})
        res["samples"].append(rec)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(res, f, indent=1)
    return res


def main(out):
    res = summarize(out)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    smp = res["samples"]
    rates = list(res["by_rate"])
    figs = os.path.join(out, "figures")
    os.makedirs(figs, exist_ok=True)
    x = np.array([s["kT_over_vflex_GPa"] for s in smp])
    gt = np.array([s["G_thermal_GPa"] for s in smp])
    gte = np.array([s["G_thermal_err_GPa"] for s in smp])
    ga = np.array([s["G_athermal_GPa"] for s in smp])
    ct, cte = res["C_thermal"], res["C_thermal_err"]

    # Fig 2.4
    fig, ax = plt.subplots(figsize=(5, 4))
    xs = np.linspace(0, 1.1 * x.max(), 50)
    ax.plot(xs, C_THESIS * xs, "r--", label=f"thesis: C = {C_THESIS}")
    ax.plot(xs, ct * xs, "k-", lw=0.8, label=f"fit (thermal): C = {ct:.3f}" + (f" ± {cte:.3f}" if cte else ""))
    for k, r in enumerate(rates):
        m = np.array([s["rate_K_per_s"] == r for s in smp])
        ax.errorbar(x[m], gt[m], yerr=gte[m], fmt="o", color=f"C{k}", ms=5, capsize=2,
                    label=f"{r} K/s: G NVT 300 K")
        ax.plot(x[m], ga[m], "s", color=f"C{k}", mfc="none", ms=5)
        ax.plot(x[m], [s["G_born_GPa"] for s, mm in zip(smp, m) if mm], "^", color=f"C{k}", mfc="none", ms=4)
    if "C_thermal_extrapolated" in res:
        xe = np.array([s["kT_over_vflex_extrapolated_GPa"] for s in smp])
        ax.plot(xe, gt, "D", color="k", ms=4, label="G NVT against v_flex extrapolated (replica)")
        ce = res["C_thermal_extrapolated"]
        cee = res["C_thermal_extrapolated_err"]
        ax.plot(xs, ce * xs, "k:", lw=0.8, label=f"fit (thermal, extrapolated): C = {ce:.3f}" + (f" ± {cee:.3f}" if cee else ""))
        x = np.concatenate([x, xe])
    ax.plot([], [], "s", color="gray", mfc="none", label="G athermal (CG)")
    ax.plot([], [], "^", color="gray", mfc="none", label="G Born + fluctuations, 300 K")
    ax.set_xlim(0.95 * x.min(), 1.05 * x.max())
    gb = np.array([s["G_born_GPa"] for s in smp])
    ylo = min(gt.min(), ga.min(), gb.min(), C_THESIS * x.min(), ct * x.min())
    yhi = max(gt.max(), ga.max(), gb.max(), C_THESIS * x.max(), ct * x.max())
    ax.set_ylim(0.95 * ylo, 1.05 * yhi)
    ax.set_xlabel(r"$k_BT/\langle v_{flex}\rangle$ (GPa)")
    ax.set_ylabel("G (GPa)")
    ax.set_title(f"SW a-Si, {res['atoms']} atoms, {len(smp)} samples (Fig. 2.4)", fontsize=9)
    ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig2_4_G_vs_kT_over_vflex.png"), dpi=150)
    plt.close(fig)

    # Fig 2.3b
    fig, ax = plt.subplots(figsize=(5, 4))
    for r in rates:
        first = next(s["sample"] for s in smp if s["rate_K_per_s"] == r)
        rr, cc, _ = cflex_zero(out, first)
        ax.plot(rr, cc, "-o", ms=2, label=f"{first}")
    ax.axhline(0, color="gray", lw=0.5)
    ax.set_xlabel("r (Å)")
    ax.set_ylabel(r"$C_{flex}(r)/C_{flex}(0)$")
    ax.set_title("spatial correlation of v_flex,i (Fig. 2.3b)", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig2_3b_cflex.png"), dpi=150)
    plt.close(fig)

    # Fig 2.5b: per rate, the deciles of every sample averaged
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.8))
    mid = rates[len(rates) // 2]
    for r in rates:
        fr = [cn_by_vflex_decile(read_extxyz(os.path.join(out, f"q_{s['sample']}.cn.xyz")))
              for s in smp if s["rate_K_per_s"] == r]
        frac = {k: np.mean([f[k] for f in fr], axis=0) for k in (3, 4, 5, 6)}
        a2.plot(np.arange(1, 11), frac[5], "-o", ms=3, label=f"{r} K/s")
        if r == mid:
            for k in (3, 4, 5, 6):
                a1.plot(np.arange(1, 11), frac[k], "-o", ms=3, label=f"CN = {k}")
    a1.set_title(f"{mid} K/s ({len(fr)} samples): CN fractions per v_flex decile", fontsize=9)
    a2.set_title("CN = 5 fraction per v_flex decile", fontsize=9)
    for a in (a1, a2):
        a.set_xlabel(r"$v_{flex,i}$ decile (1 = smallest)")
        a.set_ylabel("fraction of atoms")
        a.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig2_5b_cn_vs_vflex.png"), dpi=150)
    plt.close(fig)

    # Fig 2.1 / 2.2a / 2.3a
    rate_f = np.array([float(s["rate_K_per_s"]) for s in smp])
    vf = np.array([s["vflex_A3"] for s in smp])
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(12, 3.6))
    a1.errorbar(rate_f, vf, yerr=[s["vflex_err_A3"] for s in smp], fmt="o", label=r"$v_{flex}$")
    a1.set_xscale("log")
    a1.set_xlabel("cooling rate (K/s)")
    a1.set_ylabel(r"$\langle v_{flex}\rangle$ (Å$^3$)")
    t = a1.twinx()
    t.plot(rate_f * 1.08, [s["omega_A3"] for s in smp], "s", color="C1", mfc="none", label=r"$\Omega_a$")
    t.set_ylabel(r"$\Omega_a$ (Å$^3$)", color="C1")
    a1.set_title("Fig. 2.1 (every sample)", fontsize=9)
    for r in rates:
        first = next(s["sample"] for s in smp if s["rate_K_per_s"] == r)
        c = read_csv(os.path.join(out, f"q_{first}.msd_curve.csv"))
        a2.plot(c["time"], c["msd"], label=first)
    a2.set_xlabel("window (ps)")
    a2.set_ylabel(r"$\langle r^2\rangle$ (Å$^2$)")
    a2.set_title("MSD about the window mean (Fig. 2.2a)", fontsize=9)
    a2.legend(fontsize=7)
    a3.plot(vf, [s["eta"] for s in smp], "o")
    a3.set_xlabel(r"$\langle v_{flex}\rangle$ (Å$^3$)")
    a3.set_ylabel(r"$\langle\eta\rangle$")
    a3.set_title("Fig. 2.3a", fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(figs, "fig2_1_2a_rates.png"), dpi=150)
    plt.close(fig)

    print(f"C fit over {len(smp)} samples (thermal G): {ct:.4f} +- {cte}; "
          f"(athermal G): {res['C_athermal']:.4f} +- {res['C_athermal_err']}; thesis {C_THESIS}")
    for r, b in res["by_rate"].items():
        print(f"  {r} K/s, {b['samples']} samples: C thermal {b['C_thermal']:.4f} +- {b['C_thermal_err']}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
