#!/usr/bin/python3
"""examples/ch4/sfdata.py — the data plumbing of the ch4 SF regression (numpy only).

The regression itself is amorph's (`amorph softness train --task regression`,
learn/softness.hpp + learn/linear_svm.hpp); this script only moves rows
between .npy files and scores predictions:

  sfdata.py slowest RATE...        the smallest rate of the list
  sfdata.py rp RDF.csv             r_p = first-peak positions of the partial
                                   g(r) (amorph rdf --partial CSV) as
                                   "CuCu,CuZr,ZrCu,ZrZr" for amorph sf --rp
  sfdata.py split OUT SEED RATE... per rate and species: y = ln v_flex,i
                                   (q_RATE.flex.xyz, matched by atom id to the
                                   rows of q_RATE.sf_X.npy), a seeded 4:1
                                   train:test split of the atoms; writes
                                   OUT/svr/RATE_X.{all,train}.{X,y}.npy,
                                   RATE_X.test.npy (row mask), pooled_X.train.*
  sfdata.py score OUT RATE...      Pearson rho of every prediction
                                   OUT/svr/pred_*.npy against ln v_flex -> CSV
  sfdata.py transfer OUT DIR RATE...  rho of DIR's models on OUT's atoms
                                   (OUT/svr/from_MODEL_on_RATE.npy) -> CSV rows
  sfdata.py modes OUT RATE...      thesis Figs. 4.14-4.15: per rate and species,
                                   the participation p_i in the lowest 1 % of the
                                   normal modes (q_RATE.modes.xyz, amorph modes)
                                   against SF_i (the pooled model's prediction on
                                   every atom) and Omega_i: mean p of the top and
                                   bottom 10 % SF (and Omega) atoms, their ratio,
                                   Spearman rho(p, SF) and rho(p, Omega), mean p
                                   per SF decile -> JSON on stdout

The r_p peak: the largest value of the 3-bin running mean of g(r) below
4.5 A, refined by the vertex of the parabola through that bin and its two
neighbours.
"""
import csv
import os
import re
import sys

import numpy as np


def read_extxyz(path):
    """{name: array} of the per-atom columns of the first frame (species as str)."""
    with open(path) as f:
        n = int(f.readline())
        props = re.search(r"Properties=(\S+)", f.readline()).group(1).split(":")
        rows = [f.readline().split() for _ in range(n)]
    cols, c = {}, 0
    for k in range(0, len(props), 3):
        name, kind, width = props[k], props[k + 1], int(props[k + 2])
        if kind == "S":
            cols[name] = np.array([r[c] for r in rows])
        else:
            a = np.array([[float(r[c + j]) for j in range(width)] for r in rows])
            cols[name] = a[:, 0] if width == 1 else a
        c += width
    return cols


def first_peak(r, g):
    gs = np.convolve(g, np.ones(3) / 3, mode="same")
    m = r < 4.5
    k = int(np.argmax(np.where(m, gs, -np.inf)))
    y0, y1, y2 = gs[k - 1], gs[k], gs[k + 1]
    den = y0 - 2 * y1 + y2
    shift = 0.5 * (y0 - y2) / den if den != 0 else 0.0
    return float(r[k] + shift * (r[1] - r[0]))


def cmd_rp(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    r = np.array([float(x["r"]) for x in rows])
    p = {k: first_peak(r, np.array([float(x[k]) for x in rows])) for k in ("g_Cu_Cu", "g_Cu_Zr", "g_Zr_Zr")}
    print(f"{p['g_Cu_Cu']:.4f},{p['g_Cu_Zr']:.4f},{p['g_Cu_Zr']:.4f},{p['g_Zr_Zr']:.4f}")


def targets(out, rate, sp):
    """Features of the species' centers and y = ln v_flex in the same row order."""
    s = f"{out}/q_{rate}"
    X = np.load(f"{s}.sf_{sp}.npy")
    ids = np.load(f"{s}.ids_{sp}.npy").astype(np.int64)
    at = read_extxyz(f"{s}.flex.xyz")
    by_id = dict(zip(at["id"].astype(np.int64), range(len(at["id"]))))
    rows = np.array([by_id[i] for i in ids])
    assert np.all(at["species"][rows] == sp), "feature rows are not all " + sp
    return X, np.log(at["vflex"][rows]), at["volume"][rows]


def cmd_split(out, seed, rates):
    os.makedirs(f"{out}/svr", exist_ok=True)
    for sp in ("Cu", "Zr"):
        pooled_X, pooled_y = [], []
        for k, rate in enumerate(rates):
            X, y, _ = targets(out, rate, sp)
            rng = np.random.default_rng([seed, k, 0 if sp == "Cu" else 1])
            test = np.zeros(len(y), dtype=bool)
            test[rng.permutation(len(y))[: len(y) // 5]] = True
            b = f"{out}/svr/{rate}_{sp}"
            np.save(b + ".all.X.npy", np.ascontiguousarray(X, dtype=np.float64))
            np.save(b + ".all.y.npy", y)
            np.save(b + ".train.X.npy", np.ascontiguousarray(X[~test], dtype=np.float64))
            np.save(b + ".train.y.npy", y[~test])
            np.save(b + ".test.npy", test)
            pooled_X.append(X[~test]); pooled_y.append(y[~test])
        np.save(f"{out}/svr/pooled_{sp}.train.X.npy", np.ascontiguousarray(np.vstack(pooled_X), dtype=np.float64))
        np.save(f"{out}/svr/pooled_{sp}.train.y.npy", np.concatenate(pooled_y))


def chosen_C(out, name):
    with open(f"{out}/svr/{name}.txt") as f:
        m = re.search(r"model at C = (\S+):", f.read())
    return float(m.group(1)) if m else float("nan")


def rho(a, b):
    return float(np.corrcoef(a, b)[0, 1])


def cmd_score(out, rates):
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["kind", "species", "model", "data", "C", "n", "rho"])
    for sp in ("Cu", "Zr"):
        pooled_p, pooled_y = [], []
        for a in rates:
            X, y, vol = targets(out, a, sp)
            test = np.load(f"{out}/svr/{a}_{sp}.test.npy")
            p = np.load(f"{out}/svr/pred_{a}_on_{a}_{sp}.npy")
            ca = chosen_C(out, f"{a}_{sp}")
            w.writerow(["train", sp, a, f"{a} train atoms", ca, int((~test).sum()), rho(p[~test], y[~test])])
            w.writerow(["test", sp, a, f"{a} test atoms", ca, int(test.sum()), rho(p[test], y[test])])
            pp = np.load(f"{out}/svr/pred_pooled_on_{a}_{sp}.npy")
            cp = chosen_C(out, f"pooled_{sp}")
            w.writerow(["pooled_test", sp, "pooled", f"{a} test atoms", cp, int(test.sum()), rho(pp[test], y[test])])
            pooled_p.append(pp[test]); pooled_y.append(y[test])
            w.writerow(["volume", sp, "Omega_i", f"{a} all atoms", "", len(y), rho(vol, y)])
            for b in rates:
                if b == a:
                    continue
                yb = targets(out, b, sp)[1]
                pb = np.load(f"{out}/svr/pred_{a}_on_{b}_{sp}.npy")
                w.writerow(["transfer", sp, a, f"{b} all atoms", ca, len(yb), rho(pb, yb)])
        cp = chosen_C(out, f"pooled_{sp}")
        w.writerow(["pooled_test", sp, "pooled", "all test atoms", cp, sum(len(v) for v in pooled_y),
                    rho(np.concatenate(pooled_p), np.concatenate(pooled_y))])
        ytr = np.load(f"{out}/svr/pooled_{sp}.train.y.npy")
        w.writerow(["std_ln_vflex", sp, "", "pooled train atoms", "", len(ytr), float(np.std(ytr))])


def cmd_transfer(out, other, rates):
    w = csv.writer(sys.stdout, lineterminator="\n")
    for f in sorted(os.listdir(f"{out}/svr")):
        m = re.match(r"from_(.+)_(Cu|Zr)_on_(.+)\.npy$", f)
        if not m or m.group(3) not in rates:
            continue
        name, sp, rate = m.groups()
        y = targets(out, rate, sp)[1]
        p = np.load(f"{out}/svr/{f}")
        w.writerow(["transfer_from", sp, f"{os.path.basename(os.path.normpath(other))}:{name}", f"{rate} all atoms",
                    chosen_C(other, f"{name}_{sp}"), len(y), rho(p, y)])


def ranks(a):
    r = np.empty(len(a))
    r[np.argsort(a, kind="stable")] = np.arange(len(a))
    return r


def spearman(a, b):
    return rho(ranks(a), ranks(b))


def cmd_modes(out, rates):
    """Participation in soft modes against SF and Omega (thesis Figs. 4.14, 4.15)."""
    import json
    res = {"rates": {}}
    for rate in rates:
        s = f"{out}/q_{rate}"
        at = read_extxyz(f"{s}.modes.xyz")
        by_id = dict(zip(at["id"].astype(np.int64), range(len(at["id"]))))
        with open(f"{s}.modes.txt") as f:
            rep = f.read()
        def report(key):
            return float(re.search(rf"^{re.escape(key)}\s+(\S+)", rep, re.M).group(1))
        per = {"modes": int(report("modes")), "degrees_of_freedom": int(report("degrees of freedom")),
               "solver": re.search(r"^solver\s+(\S+)", rep, re.M).group(1),
               "lowest_omega2": report("lowest omega^2")}
        for sp in ("Cu", "Zr"):
            ids = np.load(f"{s}.ids_{sp}.npy").astype(np.int64)
            rows = np.array([by_id[i] for i in ids])
            p = at["participation"][rows]
            sf = np.load(f"{out}/svr/pred_pooled_on_{rate}_{sp}.npy")
            vol = targets(out, rate, sp)[2]
            n10 = max(1, len(p) // 10)
            def tails(x):
                order = np.argsort(x, kind="stable")
                return p[order[-n10:]], p[order[:n10]]
            top, bottom = tails(sf)
            vtop, vbottom = tails(vol)
            deciles = np.array_split(np.argsort(sf, kind="stable"), 10)
            per[sp] = {
                "atoms": len(p), "tail_atoms": n10,
                "p_mean_top10_sf": float(top.mean()), "p_mean_bottom10_sf": float(bottom.mean()),
                "p_ratio_top_bottom_sf": float(top.mean() / bottom.mean()),
                "p_mean_top10_omega": float(vtop.mean()), "p_mean_bottom10_omega": float(vbottom.mean()),
                "p_ratio_top_bottom_omega": float(vtop.mean() / vbottom.mean()),
                "spearman_p_sf": spearman(p, sf), "spearman_p_omega": spearman(p, vol),
                "p_mean_by_sf_decile": [float(p[d].mean()) for d in deciles],
                "sf_mean_by_decile": [float(sf[d].mean()) for d in deciles],
                "ln_p_top10_sf": np.log(top).tolist(), "ln_p_bottom10_sf": np.log(bottom).tolist(),
                "ln_p_top10_omega": np.log(vtop).tolist(), "ln_p_bottom10_omega": np.log(vbottom).tolist(),
            }
        res["rates"][rate] = per
    json.dump(res, sys.stdout, indent=1)
    print()


def main(argv):
    cmd = argv[1]
    if cmd == "slowest":
        print(min(argv[2:], key=float))
    elif cmd == "rp":
        cmd_rp(argv[2])
    elif cmd == "split":
        cmd_split(argv[2], int(argv[3]), argv[4:])
    elif cmd == "score":
        cmd_score(argv[2], argv[3:])
    elif cmd == "transfer":
        cmd_transfer(argv[2], argv[3], argv[4:])
    elif cmd == "modes":
        cmd_modes(argv[2], argv[3:])
    else:
        sys.exit(f"sfdata.py: unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
