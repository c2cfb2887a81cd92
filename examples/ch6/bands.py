#!/usr/bin/python3
"""Where shear bands start, against the density of fertile sites (DFS) of the
unsheared glass (thesis ch. 6, sec. 6.2-6.4, Figs. 6.2-6.3).

  bands.py OUT [--top 0.01] [--w-band 10] [--w-dfs 16] [--step 1]
               [--shuffles 100] [--seed 1] [--volume-top 0.2]

Reads what examples/ch6/run.sh wrote for every glass G and orientation K
(OUT/G/...): p_oKK.xyz (`amorph cnn predict --orientation K`: positions of
the unsheared glass and the CNN probability p), soft.xyz (`amorph softness
predict`, optional), vor.xyz (`amorph voronoi`: atomic volume), d2min_oKK.csv
(`amorph d2min GLASS SHEARED`: D2min at the final strain).

Per glass and orientation (simple shear along iota on the plane with normal
eta, thesis Table 5.1):
  band   the "highly deformed atoms" are the top --top of D2min; along each
         of the two in-plane frame axes u = iota ("vertical" band, normal to
         the shear direction) and u = eta ("horizontal" band, parallel to the
         shear plane) their fraction is profiled in windows of width --w-band
         centred every --step along the periodic coordinate s = r . u mod P
         (P = L / |u| for the integer direction u of a cubic cell: the period
         of s); the band lies along the axis whose profile peaks higher
         above its mean, at the peak's centre.
  DFS    along that axis, the fraction of fertile atoms in windows of width
         --w-dfs at the same centres, positions r of the unsheared glass.
         Fertile: CNN p > 0.5; SVM softness > 0; atomic volume in the top
         --volume-top (the thesis's v_flex rule; atomic density rho_a is
         its inverse).
  gamma  learn::band_figure_of_merit: the fraction of centres whose DFS is
         <= the DFS at the band (1: the band starts where fertile sites are
         densest; ~0.5: no relation). "shuffled": the CNN's fertile flags
         permuted over the atoms (--shuffles draws; the mean over draws).
Writes OUT/summary.json (gamma_mean_cnn, gamma_mean_svm, gamma_mean_volume,
gamma_mean_shuffled, bands, per-case rows, run.sh's settings from OUT/run.json)
and OUT/figures/ (Fig. 6.2-like
profiles of the first case, Fig. 6.3-like C(gamma)).
"""
import argparse
import csv
import json
import math
import os
import re

import numpy as np


def read_extxyz(path):
    """(ids, positions (n, 3), cell (3x3, rows a b c), {column: values}) of an extended XYZ file."""
    with open(path) as f:
        n = int(f.readline())
        head = f.readline()
        rows = [f.readline().split() for _ in range(n)]
    lat = re.search(r'Lattice="([^"]*)"', head)
    props = re.search(r"Properties=(\S+)", head)
    if not lat or not props:
        raise SystemExit("%s: not an extended XYZ file with Lattice and Properties" % path)
    cell = np.array([float(x) for x in lat.group(1).split()]).reshape(3, 3)
    spec = props.group(1).split(":")
    cols, at = {}, 0
    for k in range(0, len(spec), 3):
        name, width = spec[k], int(spec[k + 2])
        if spec[k + 1] in ("R", "I"):
            cols[name] = np.array([[float(r[at + j]) for j in range(width)] for r in rows])
            if width == 1:
                cols[name] = cols[name][:, 0]
        at += width
    ids = cols["id"].astype(np.int64)
    return ids, cols["pos"], cell, cols


def by_id(ids, values, order):
    m = dict(zip(ids.tolist(), values.tolist()))
    return np.array([m[i] for i in order])


def read_csv_column(path, column):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return np.array([int(float(r["id"])) for r in rows]), np.array([float(r[column]) for r in rows])


def orientation(k):
    """(iota, eta) integer vectors of thesis Table 5.1 (protocol::orientation; rows 8 and 23 corrected)."""
    t = [((1, 0, 0), (0, 1, 0)), ((-1, 0, 0), (0, 1, 0)), ((1, 0, 0), (0, 0, 1)), ((-1, 0, 0), (0, 0, 1)),
         ((0, 1, 0), (0, 0, 1)), ((0, -1, 0), (0, 0, 1)), ((1, 1, 0), (-1, 1, 0)), ((-1, -1, 0), (-1, 1, 0)),
         ((1, 1, 0), (0, 0, 1)), ((-1, -1, 0), (0, 0, 1)), ((-1, 1, 0), (0, 0, 1)), ((1, -1, 0), (0, 0, 1)),
         ((1, 0, 1), (-1, 0, 1)), ((-1, 0, -1), (-1, 0, 1)), ((1, 0, 1), (0, 1, 0)), ((-1, 0, -1), (0, 1, 0)),
         ((-1, 0, 1), (0, 1, 0)), ((1, 0, -1), (0, 1, 0)), ((0, 1, 1), (0, -1, 1)), ((0, -1, -1), (0, -1, 1)),
         ((0, 1, 1), (1, 0, 0)), ((0, -1, -1), (1, 0, 0)), ((0, -1, 1), (1, 0, 0)), ((0, 1, -1), (1, 0, 0))]
    return t[k - 1]


def coordinate(pos, cell, u_int):
    """s = r . u mod P for the unit vector along the integer direction u_int in a cubic cell."""
    L = cell[0, 0]
    if not (np.allclose(cell, L * np.eye(3), rtol=0, atol=1e-6 * L)):
        raise SystemExit("bands.py: the unsheared glass must have a cubic, untilted cell")
    u = np.array(u_int, float)
    P = L / np.linalg.norm(u)
    return np.mod(pos @ (u / np.linalg.norm(u)), P), P


def window_fraction(s, flag, P, centres, width):
    """Fraction of flagged atoms among the atoms with periodic distance |s - c| < width / 2, per centre c."""
    out = np.empty(len(centres))
    for j, c in enumerate(centres):
        d = np.abs(np.mod(s - c + P / 2, P) - P / 2)
        inside = d < width / 2
        out[j] = flag[inside].mean() if inside.any() else 0.0
    return out


def figure_of_merit(profile, band):
    """learn::band_figure_of_merit: #{k : q_k <= q_band} / K."""
    return float(np.count_nonzero(profile <= profile[band])) / len(profile)


def case(d, k, a, rng):
    tag = "o%02d" % k
    ids, pos, cell, cols = read_extxyz(os.path.join(d, "p_%s.xyz" % tag))
    order = ids
    p = cols["p"]
    did, d2 = read_csv_column(os.path.join(d, "d2min_%s.csv" % tag), "d2min")
    d2 = by_id(did, d2, order)
    if not np.all(np.isfinite(d2)) or not np.all(np.isfinite(p)):
        raise SystemExit("bands.py: non-finite D2min or p in %s %s" % (d, tag))
    n = len(order)
    top = np.zeros(n, bool)
    top[np.argsort(-d2, kind="stable")[:max(1, int(round(a.top * n)))]] = True
    iota, eta = orientation(k)
    best = None
    for name, u in (("iota", iota), ("eta", eta)):
        s, P = coordinate(pos, cell, u)
        centres = np.arange(0.0, P, P / max(1, int(round(P / a.step))))
        prof = window_fraction(s, top, P, centres, a.w_band)
        contrast = prof.max() / max(prof.mean(), 1e-300)
        if best is None or contrast > best["contrast"]:
            best = {"axis": name, "s": s, "P": P, "centres": centres, "band_profile": prof, "contrast": contrast,
                    "band": int(np.argmax(prof))}
    fertile = {"cnn": p > 0.5}
    soft = os.path.join(d, "soft.xyz")
    if os.path.exists(soft):
        sid, _, _, sc = read_extxyz(soft)
        fertile["svm"] = by_id(sid, sc["softness"], order) > 0.0
    vid, _, _, vc = read_extxyz(os.path.join(d, "vor.xyz"))
    vol = by_id(vid, vc["volume"], order)
    fertile["volume"] = vol >= np.quantile(vol, 1.0 - a.volume_top)
    row = {"glass": os.path.basename(d), "orientation": tag, "axis": best["axis"], "period_A": best["P"],
           "band_centre_A": float(best["centres"][best["band"]]), "band_contrast": float(best["contrast"]),
           "positions": len(best["centres"])}
    dfs = {}
    for m, f in fertile.items():
        dfs[m] = window_fraction(best["s"], f.astype(float), best["P"], best["centres"], a.w_dfs)
        row["gamma_" + m] = figure_of_merit(dfs[m], best["band"])
        row["fertile_fraction_" + m] = float(f.mean())
    g = []
    for _ in range(a.shuffles):
        f = rng.permutation(fertile["cnn"]).astype(float)
        g.append(figure_of_merit(window_fraction(best["s"], f, best["P"], best["centres"], a.w_dfs), best["band"]))
    row["gamma_shuffled"] = float(np.mean(g))
    return row, best, dfs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--top", type=float, default=0.01, help="f_top: highly deformed atoms (thesis 1 %%)")
    ap.add_argument("--w-band", type=float, default=10.0, help="window of the band profile, A (thesis 10)")
    ap.add_argument("--w-dfs", type=float, default=16.0, help="window of the DFS profile, A (thesis 16)")
    ap.add_argument("--step", type=float, default=1.0, help="spacing of the window centres, A")
    ap.add_argument("--shuffles", type=int, default=100, help="random permutations of the CNN's fertile flags")
    ap.add_argument("--volume-top", type=float, default=0.2, help="fertile by atomic volume: the top fraction")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    for v, name in ((a.top, "--top"), (a.volume_top, "--volume-top")):
        if not 0 < v < 1:
            raise SystemExit("bands.py: %s must be in (0, 1)" % name)
    if min(a.w_band, a.w_dfs, a.step) <= 0 or a.shuffles < 1:
        raise SystemExit("bands.py: widths, --step and --shuffles must be positive")
    rng = np.random.default_rng(a.seed)
    rows, first = [], None
    for g in sorted(x for x in os.listdir(a.out) if re.fullmatch(r"glass_\d+", x)):
        d = os.path.join(a.out, g)
        for f in sorted(os.listdir(d)):
            m = re.fullmatch(r"d2min_o(\d\d)\.csv", f)
            if m:
                row, best, dfs = case(d, int(m.group(1)), a, rng)
                rows.append(row)
                first = first or (row, best, dfs)
    if not rows:
        raise SystemExit("bands.py: no glass_*/d2min_oKK.csv under %s" % a.out)
    s = {"bands": len(rows), "glasses": len({r["glass"] for r in rows}), "top": a.top, "w_band_A": a.w_band,
         "w_dfs_A": a.w_dfs, "step_A": a.step, "shuffles": a.shuffles, "volume_top": a.volume_top}
    for m in ("cnn", "svm", "volume", "shuffled"):
        v = [r["gamma_" + m] for r in rows if "gamma_" + m in r]
        if v:
            s["gamma_mean_" + m] = float(np.mean(v))
            s["gamma_sem_" + m] = float(np.std(v, ddof=1) / math.sqrt(len(v))) if len(v) > 1 else 0.0
    run = os.path.join(a.out, "run.json")  # run.sh's settings
    if os.path.exists(run):
        with open(run) as f:
            s["run"] = json.load(f)
    s["band_axis_counts"] = {ax: sum(r["axis"] == ax for r in rows) for ax in ("iota", "eta")}
    s["cases"] = rows
    figures(a.out, s, first)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(s, f, indent=1)
    print("%d bands in %d glasses: mean gamma CNN %.3f, SVM %s, volume %.3f, shuffled CNN %.3f" % (
        s["bands"], s["glasses"], s["gamma_mean_cnn"],
        "%.3f" % s["gamma_mean_svm"] if "gamma_mean_svm" in s else "-", s["gamma_mean_volume"], s["gamma_mean_shuffled"]))


def figures(out, s, first):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(os.path.join(out, "figures"), exist_ok=True)
    row, best, dfs = first
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    ax.plot(best["centres"], dfs["cnn"], color="tab:red", label="DFS (CNN p > 0.5), unsheared")
    ax.set_xlabel("position along %s (A)" % best["axis"])
    ax.set_ylabel("density of fertile sites")
    ax2 = ax.twinx()
    ax2.plot(best["centres"], best["band_profile"], color="tab:blue", label="top-%g %% D2min" % (100 * s["top"]))
    ax2.set_ylabel("fraction of highly deformed atoms")
    ax.axvline(row["band_centre_A"], color="0.5", ls=":")
    ax.set_title("%s %s: gamma = %.2f" % (row["glass"], row["orientation"], row["gamma_cnn"]), fontsize=9)
    fig.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "figures", "band_profile.png"), dpi=120)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    for m in ("cnn", "svm", "volume", "shuffled"):
        v = sorted(r["gamma_" + m] for r in s["cases"] if "gamma_" + m in r)
        if v:
            ax.step(v, np.arange(1, len(v) + 1) / len(v), where="post", label="%s (mean %.2f)" % (m, np.mean(v)))
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    ax.set_xlabel("gamma")
    ax.set_ylabel("C(gamma)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "figures", "gamma_cdf.png"), dpi=120)
    plt.close(fig)
    s["figures"] = ["band_profile.png", "gamma_cdf.png"]


if __name__ == "__main__":
    main()
