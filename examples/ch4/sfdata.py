#!/usr/bin/python3
"""examples/ch4/sfdata.py — the data plumbing of the ch4 SF regression (numpy only).

The regression itself is amorph's (`amorph softness train --task regression`,
learn/softness.hpp + learn/linear_svm.hpp); this script only moves rows
between .npy files and scores predictions:

  sfdata.py slowest RATE...        the smallest rate of the list
  sfdata.py rp RDF.csv             r_p = first-peak positions of the partial
                                   g(r) (amorph rdf --partial CSV) as
                                   "CuCu,CuZr,ZrCu,ZrZr" for amorph sf --rp
  sfdata.py split OUT TRAIN... -- TEST...
                                   per sample (RATE_sK) and species: the
                                   features (q_SAMPLE.sf_X.npy) and
                                   y = ln v_flex,i (q_SAMPLE.flex.xyz, matched
                                   by atom id) -> OUT/svr/SAMPLE_X.{X,y}.npy;
                                   training sets of the TRAIN samples per rate
                                   (RATE_X.train.*) and pooled (pooled_X.train.*)
  sfdata.py score OUT TRAIN... -- TEST...
                                   Pearson rho of every prediction
                                   OUT/svr/pred_MODEL_on_SAMPLE_X.npy: own
                                   training samples, held-out samples (own
                                   rate, pooled), transfer across rates,
                                   Omega_i baseline -> CSV
  sfdata.py transfer OUT DIR SAMPLE...  rho of DIR's models on every atom of
                                   this run's samples (OUT/svr/from_MODEL_X_on_SAMPLE.npy)
                                   -> CSV rows
  sfdata.py modes OUT SAMPLE...    thesis Figs. 4.14-4.15: per (held-out) sample
                                   and species, the participation p_i in the
                                   lowest 1 % of the normal modes
                                   (q_SAMPLE.modes.xyz, amorph modes) against
                                   SF_i (the pooled model's prediction) and
                                   Omega_i: mean p of the top and bottom 10 % SF
                                   (and Omega) atoms, their ratio, Spearman
                                   rho(p, SF) and rho(p, Omega), mean p per SF
                                   decile -> JSON on stdout
  sfdata.py summary OUT            OUT/summary.json from summary.csv, sf.csv,
                                   modes.json and the SVR CV tables: C fits,
                                   rho_heldout_cu/zr, rho_transfer_cu/zr, per
                                   rate, per sample

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


def rate_of(sample):
    """The quench rate of a sample name RATE_sK."""
    return sample.rsplit("_s", 1)[0]


def targets(out, sample, sp):
    """Features of the species' centers and y = ln v_flex, Omega_i in the same row order."""
    s = f"{out}/q_{sample}"
    X = np.load(f"{s}.sf_{sp}.npy")
    ids = np.load(f"{s}.ids_{sp}.npy").astype(np.int64)
    at = read_extxyz(f"{s}.flex.xyz")
    by_id = dict(zip(at["id"].astype(np.int64), range(len(at["id"]))))
    rows = np.array([by_id[i] for i in ids])
    assert np.all(at["species"][rows] == sp), "feature rows are not all " + sp
    return X, np.log(at["vflex"][rows]), at["volume"][rows]


def split_args(args):
    """TRAIN... -- TEST... -> (train samples, test samples)."""
    if "--" not in args:
        sys.exit("sfdata.py: expected TRAIN_SAMPLE... -- TEST_SAMPLE...")
    k = args.index("--")
    return args[:k], args[k + 1:]


def cmd_split(out, train, test):
    """Per sample and species: features and y; training sets per rate and pooled."""
    os.makedirs(f"{out}/svr", exist_ok=True)
    f64 = lambda a: np.ascontiguousarray(a, dtype=np.float64)  # noqa: E731
    for sp in ("Cu", "Zr"):
        per_rate = {}
        for smp in train + test:
            X, y, _ = targets(out, smp, sp)
            np.save(f"{out}/svr/{smp}_{sp}.X.npy", f64(X))
            np.save(f"{out}/svr/{smp}_{sp}.y.npy", y)
            if smp in train:
                per_rate.setdefault(rate_of(smp), []).append((X, y))
        for rate, xy in per_rate.items():
            np.save(f"{out}/svr/{rate}_{sp}.train.X.npy", f64(np.vstack([x for x, _ in xy])))
            np.save(f"{out}/svr/{rate}_{sp}.train.y.npy", np.concatenate([y for _, y in xy]))
        every = [xy for v in per_rate.values() for xy in v]
        if not every:   # a run that only receives another run's models (MODELS_FROM)
            continue
        np.save(f"{out}/svr/pooled_{sp}.train.X.npy", f64(np.vstack([x for x, _ in every])))
        np.save(f"{out}/svr/pooled_{sp}.train.y.npy", np.concatenate([y for _, y in every]))


def chosen_C(out, name):
    with open(f"{out}/svr/{name}.txt") as f:
        m = re.search(r"model at C = (\S+):", f.read())
    return float(m.group(1)) if m else float("nan")


def rho(a, b):
    return float(np.corrcoef(a, b)[0, 1])


def pooled_rho(out, model, samples, sp, pred="pred_{model}_on_{smp}_{sp}.npy"):
    """rho of a model's predictions on the atoms of several samples taken together, and their count."""
    p = np.concatenate([np.load(f"{out}/svr/" + pred.format(model=model, smp=smp, sp=sp)) for smp in samples])
    y = np.concatenate([np.load(f"{out}/svr/{smp}_{sp}.y.npy") for smp in samples])
    return rho(p, y), len(y)


def cmd_score(out, train, test):
    """Every rho of the regression as CSV rows: kind, species, model, data, C, n, rho."""
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["kind", "species", "model", "data", "C", "n", "rho"])
    rates = list(dict.fromkeys(rate_of(smp) for smp in train + test))
    def row(kind, sp, model, samples, label):
        r, n = pooled_rho(out, model, samples, sp)
        w.writerow([kind, sp, model, label, chosen_C(out, f"{model}_{sp}"), n, r])
    for sp in ("Cu", "Zr"):
        for a in rates:
            tr = [smp for smp in train if rate_of(smp) == a]
            te = [smp for smp in test if rate_of(smp) == a]
            row("train", sp, a, tr, f"{a} training samples")
            row("test", sp, a, te, f"{a} held-out samples")
            row("pooled_test", sp, "pooled", te, f"{a} held-out samples")
            for b in rates:
                if b != a:
                    row("transfer", sp, a, [smp for smp in test if rate_of(smp) == b], f"{b} held-out samples")
            vol = np.concatenate([targets(out, smp, sp)[2] for smp in te])
            y = np.concatenate([np.load(f"{out}/svr/{smp}_{sp}.y.npy") for smp in te])
            w.writerow(["volume", sp, "Omega_i", f"{a} held-out samples", "", len(y), rho(vol, y)])
        row("pooled_train", sp, "pooled", train, "all training samples")
        row("pooled_test", sp, "pooled", test, "all held-out samples")
        ytr = np.load(f"{out}/svr/pooled_{sp}.train.y.npy")
        w.writerow(["std_ln_vflex", sp, "", "all training samples", "", len(ytr), float(np.std(ytr))])


def cmd_transfer(out, other, samples):
    """rho of the other run's models (OUT/svr/from_MODEL_X_on_SAMPLE.npy) on every sample of this run."""
    w = csv.writer(sys.stdout, lineterminator="\n")
    models = sorted({m.group(1, 2) for f in os.listdir(f"{out}/svr")
                     for m in [re.match(r"from_(.+)_(Cu|Zr)_on_.+\.npy$", f)] if m})
    tag = os.path.basename(os.path.normpath(other))
    for name, sp in models:
        r, n = pooled_rho(out, name, samples, sp, pred="from_{model}_{sp}_on_{smp}.npy")
        w.writerow(["transfer_from", sp, f"{tag}:{name}", "all samples", chosen_C(other, f"{name}_{sp}"), n, r])


def ranks(a):
    r = np.empty(len(a))
    r[np.argsort(a, kind="stable")] = np.arange(len(a))
    return r


def spearman(a, b):
    return rho(ranks(a), ranks(b))


def cmd_modes(out, samples):
    """Participation in soft modes against SF and Omega (thesis Figs. 4.14, 4.15), per held-out sample."""
    import json
    res = {"samples": {}}
    for smp in samples:
        s = f"{out}/q_{smp}"
        at = read_extxyz(f"{s}.modes.xyz")
        by_id = dict(zip(at["id"].astype(np.int64), range(len(at["id"]))))
        with open(f"{s}.modes.txt") as f:
            rep = f.read()
        def report(key):
            return float(re.search(rf"^{re.escape(key)}\s+(\S+)", rep, re.M).group(1))
        per = {"rate": rate_of(smp), "modes": int(report("modes")), "degrees_of_freedom": int(report("degrees of freedom")),
               "solver": re.search(r"^solver\s+(\S+)", rep, re.M).group(1),
               "lowest_omega2": report("lowest omega^2")}
        for sp in ("Cu", "Zr"):
            ids = np.load(f"{s}.ids_{sp}.npy").astype(np.int64)
            rows = np.array([by_id[i] for i in ids])
            p = at["participation"][rows]
            sf = np.load(f"{out}/svr/pred_pooled_on_{smp}_{sp}.npy")
            vol = targets(out, smp, sp)[2]
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
        res["samples"][smp] = per
    json.dump(res, sys.stdout, indent=1)
    print()


def fit_origin(x, y):
    """Least squares through the origin, y = C x: C and its standard error."""
    m = np.isfinite(y)
    x, y = x[m], y[m]
    if len(x) == 0:
        return None, None
    c = float(np.sum(x * y) / np.sum(x * x))
    if len(x) < 2:
        return c, None
    s2 = float(np.sum((y - c * x) ** 2) / (len(x) - 1))
    return c, float(np.sqrt(s2 / np.sum(x * x)))


def cmd_summary(out):
    """OUT/summary.json from OUT/summary.csv, OUT/sf.csv and OUT/modes.json."""
    import json
    with open(f"{out}/summary.csv") as f:
        rows = list(csv.DictReader(f))
    num = lambda v: float(v) if v not in ("", "nan") else None  # noqa: E731
    samples = [{k: (v if k in ("sample", "rate_K_per_s", "role") else num(v)) for k, v in r.items()} for r in rows]
    for smp in samples:
        smp["seed"], smp["atoms"] = int(smp["seed"]), int(smp["atoms"])
    col = lambda k, sel: np.array([np.nan if s[k] is None else s[k] for s in sel])  # noqa: E731
    res = {"atoms": samples[0]["atoms"], "samples_count": len(samples), "C_thesis": 0.464, "by_rate": {}}
    def fits(sel, into):
        x = col("kT_over_vflex_GPa", sel)
        for kind, key in (("athermal", "G_athermal_GPa"), ("thermal", "G_thermal_GPa")):
            into[f"C_{kind}"], into[f"C_{kind}_err"] = fit_origin(x, col(key, sel))
    fits(samples, res)
    for smp in samples:
        x = smp["kT_over_vflex_GPa"]
        smp["C_athermal"] = smp["G_athermal_GPa"] / x
        smp["C_thermal"] = None if smp["G_thermal_GPa"] is None else smp["G_thermal_GPa"] / x
    with open(f"{out}/sf.csv") as f:
        sf = list(csv.DictReader(f))
    def pick(kind, sp, model=None, data=None):
        r = [x for x in sf if x["kind"] == kind and x["species"] == sp and (model is None or x["model"] == model)
             and (data is None or x["data"] == data)]
        return r
    for sp in ("Cu", "Zr"):
        low = sp.lower()
        r = pick("pooled_test", sp, "pooled", "all held-out samples")
        if r:
            res[f"rho_heldout_{low}"], res[f"heldout_atoms_{low}"] = float(r[0]["rho"]), int(r[0]["n"])
            res[f"rho_train_{low}"] = float(pick("pooled_train", sp)[0]["rho"])
            res[f"training_atoms_{low}"] = int(pick("pooled_train", sp)[0]["n"])
            res[f"std_ln_vflex_{low}"] = float(pick("std_ln_vflex", sp)[0]["rho"])
            res[f"svr_C_pooled_{low}"] = float(r[0]["C"])
            with open(f"{out}/svr/pooled_{sp}.txt") as f:   # amorph softness train's CV table
                cv = [ln.split() for ln in f if re.match(r"^\s*[0-9.eE+-]+\s+[0-9.eE+-]+\s+[0-9.eE+-]+", ln)]
            res[f"svr_cv_rho_pooled_{low}"] = {c[0]: float(c[2]) for c in cv}
            tr = [float(x["rho"]) for x in pick("transfer", sp)]
            res[f"rho_transfer_rates_{low}"] = [min(tr), max(tr)] if tr else None
        t = pick("transfer_from", sp)
        for x in t:
            if x["model"].endswith(":pooled"):
                res[f"rho_transfer_{low}"], res[f"transfer_atoms_{low}"] = float(x["rho"]), int(x["n"])
                res["transfer_models"] = x["model"].split(":")[0]
        if t:
            res[f"rho_transfer_per_rate_models_{low}"] = {x["model"]: float(x["rho"]) for x in t}
    rates = list(dict.fromkeys(s["rate_K_per_s"] for s in samples))
    for rate in rates:
        sel = [s for s in samples if s["rate_K_per_s"] == rate]
        b = {"samples": len(sel), "training_samples": sum(s["role"] == "train" for s in sel)}
        fits(sel, b)
        for k in ("energy_eV_per_atom", "vflex_A3", "omega_A3", "G_athermal_GPa", "G_thermal_GPa"):
            v = col(k, sel)
            b[f"{k}_mean"] = float(np.mean(v)) if np.all(np.isfinite(v)) else None
            b[f"{k}_std"] = float(np.std(v, ddof=1)) if len(v) > 1 and np.all(np.isfinite(v)) else None
        for sp in ("Cu", "Zr"):
            low = sp.lower()
            for kind, model, key in (("test", rate, "rho_heldout_own_model"), ("pooled_test", "pooled", "rho_heldout"),
                                     ("train", rate, "rho_train"), ("volume", "Omega_i", "rho_volume")):
                r = pick(kind, sp, model, f"{rate} held-out samples" if kind != "train" else f"{rate} training samples")
                if r:
                    b[f"{key}_{low}"] = float(r[0]["rho"])
        res["by_rate"][rate] = b
    res["samples"] = samples
    if os.path.exists(f"{out}/modes.json"):
        with open(f"{out}/modes.json") as f:
            modes = json.load(f)
        for per in modes["samples"].values():
            for sp in ("Cu", "Zr"):
                for k in [k for k in per[sp] if k.startswith("ln_p_")]:
                    del per[sp][k]
        res["soft_modes"] = modes
    with open(f"{out}/summary.json", "w") as f:
        json.dump(res, f, indent=1)
    print(f"wrote {out}/summary.json")


def main(argv):
    cmd = argv[1]
    if cmd == "slowest":
        print(min(argv[2:], key=float))
    elif cmd == "rp":
        cmd_rp(argv[2])
    elif cmd == "split":
        cmd_split(argv[2], *split_args(argv[3:]))
    elif cmd == "score":
        cmd_score(argv[2], *split_args(argv[3:]))
    elif cmd == "transfer":
        cmd_transfer(argv[2], argv[3], argv[4:])
    elif cmd == "summary":
        cmd_summary(argv[2])
    elif cmd == "modes":
        cmd_modes(argv[2], argv[3:])
    else:
        sys.exit(f"sfdata.py: unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
