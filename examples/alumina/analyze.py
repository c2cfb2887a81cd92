#!/usr/bin/env python3
"""examples/alumina/analyze.py — the numeric side of the alumina driver (run.sh).

    analyze.py split OUT     train/test matrices of the softness SVMs
    analyze.py scores OUT    accuracies of the trained SVMs -> OUT/softness/scores.json
    analyze.py summary OUT   every per-strain quantity -> OUT/summary.json (+ OUT/curves.json)
    analyze.py check OUT     OUT/summary.json holds every key the study promises, finite, and its figures

Everything here reads files the amorph CLI wrote (samples .npy from `amorph sf
--samples` / `amorph voronoi --samples`, decision values from `amorph softness
predict`, dumps from `amorph bonds`, `stress`, `softness predict`, `d2min`,
CSVs from `amorph deform` and `amorph clusters`); it only splits, counts and
averages. numpy only.

Conventions (docs/studies/alumina.md):
  * split: settings.folds folds by atom (an atom's samples of one glass never
    sit on both sides), the same folds for the three feature sets; seeded by
    settings.seed; test accuracy pooled over the folds;
  * accuracy: sign of the SVM decision value against the p_hop label;
  * bond switching of Al against the unstrained replicated glass (Al-O 2.25 A):
    fractions of all Al that are DC / IC / SC at each strain;
  * atomic stress: the hydrostatic stress of `amorph stress` (trace / 3 of
    virial / Voronoi volume, positive = tension) of Al, averaged per current CN;
  * P_R: the Al5 (CN 5 unstrained) binned by the softness of the unstrained
    glass (equal-count bins); P_R = fraction of the bin that is DC at the last
    plane-strain step.
"""
import json
import os
import sys

import numpy as np

BAR_TO_GPA = 1e-4
LEARNING_FRACTIONS = (0.25, 0.5)   # run.sh trains lc<f>_<fold> models for these
LEARNING_MIN = 20
BOND_CODES = {"UC": 0, "SC": 1, "DC": 2, "IC": 3}


def settings(out):
    with open(os.path.join(out, "settings.json")) as f:
        return json.load(f)


def pressures(out):
    return [p for p in settings(out)["pressures_GPa"]]


def pdir(out, p):
    return os.path.join(out, "p%s" % fmt_p(p))


def fmt_p(p):
    return ("%g" % p)


# ---------------------------------------------------------------- readers
def read_dump(path):
    """Last frame of a LAMMPS dump written by amorph: dict column -> array."""
    with open(path) as f:
        lines = f.read().splitlines()
    start = max(i for i, l in enumerate(lines) if l.startswith("ITEM: ATOMS"))
    cols = lines[start].split()[2:]
    n = int(lines[max(i for i, l in enumerate(lines[:start]) if l.startswith("ITEM: NUMBER OF ATOMS")) + 1])
    rows = [l.split() for l in lines[start + 1:start + 1 + n]]
    out = {}
    for k, c in enumerate(cols):
        vals = [r[k] for r in rows]
        if c == "element":
            out[c] = np.array(vals)
        else:
            out[c] = np.array(vals, dtype=float)
    order = np.argsort(out["id"])
    return {c: v[order] for c, v in out.items()}


def read_csv(path):
    """CSV with a header row (amorph --csv): dict column -> float array."""
    with open(path) as f:
        rows = [l.rstrip("\n").split(",") for l in f if l.strip() and not l.startswith("#")]
    head, body = rows[0], rows[1:]
    return {h: np.array([float(r[k]) for r in body]) for k, h in enumerate(head)}


def mass_density(data_path):
    """g/cm^3 of a LAMMPS data file written by amorph (orthogonal or triclinic)."""
    masses, lo_hi, n_type = {}, {}, {}
    with open(data_path) as f:
        lines = f.read().splitlines()
    tilt = [0.0, 0.0, 0.0]
    for l in lines[:40]:
        w = l.split()
        if len(w) >= 4 and w[2] in ("xlo", "ylo", "zlo"):
            lo_hi[w[2][0]] = float(w[1]) - float(w[0])
    i = lines.index("Masses")
    for l in lines[i + 2:]:
        if not l.strip():
            break
        w = l.split()
        masses[int(w[0])] = float(w[1])
    i = next(k for k, l in enumerate(lines) if l.startswith("Atoms"))
    for l in lines[i + 2:]:
        if not l.strip():
            break
        t = int(l.split()[1])
        n_type[t] = n_type.get(t, 0) + 1
    m = sum(masses[t] * c for t, c in n_type.items())
    return m / (lo_hi["x"] * lo_hi["y"] * lo_hi["z"]) * 1.66053906660


def strain_frames(out, p):
    """(strain, basename) of the saved plane-strain configurations, in strain order."""
    d = os.path.join(pdir(out, p), "plane_strain")
    frames = []
    for name in os.listdir(d):
        if name.startswith("e") and name.endswith(".data"):
            frames.append((float(name[1:-5]), name[:-5]))
    return sorted(frames)


# ---------------------------------------------------------------- split / scores
def split(out):
    """FOLDS folds by atom (an atom's samples of one glass are never on both sides;
    groups shuffled with the seed), the same folds for the three feature sets;
    and "all": every sample for training."""
    s = settings(out)
    folds = s["folds"]
    rng = np.random.default_rng(s["seed"])
    soft = os.path.join(out, "softness")
    columns = [l.split(None, 1)[1].strip() for l in open(os.path.join(soft, "columns.txt")) if l.strip()]
    radial = np.array([c.startswith("G[") for c in columns])
    X, V, y, groups = [], [], [], []
    for k, p in enumerate(pressures(out)):
        d = pdir(out, p)
        for r in range(1, s.get("thermal_runs", 1) + 1):   # samples.. of run 1, samples2.. of run 2, ...
            t = "" if r == 1 else str(r)
            X.append(np.load(os.path.join(d, "samples%s_sf.npy" % t)))
            V.append(np.load(os.path.join(d, "samples%s_vor.npy" % t)).reshape(-1, 1))
            y.append(np.load(os.path.join(d, "samples%s_labels.npy" % t)))
            groups.append(np.load(os.path.join(d, "samples%s_ids.npy" % t)) + (k + 1) * 10**9)  # an atom of one glass
    X, V, y, groups = np.vstack(X), np.vstack(V), np.concatenate(y), np.concatenate(groups)
    if X.shape[1] != len(columns):
        sys.exit("analyze.py: %d feature columns, %d names" % (X.shape[1], len(columns)))
    if len(np.unique(y)) < 2 or min(np.sum(y == 0), np.sum(y == 1)) < folds:
        sys.exit("analyze.py: too few samples of one class (%d rearranging): the thermal run found too few "
                 "rearrangements (make THERMAL longer)" % int(y.sum()))
    atoms = rng.permutation(np.unique(groups))
    fold_of_atom = {a: k % folds for k, a in enumerate(atoms)}
    fold = np.array([fold_of_atom[g] for g in groups])
    sets = {"full": X, "radial": X[:, radial], "voronoi": V}
    for name, M in sets.items():
        for k in range(folds):
            for part, mask in (("train", fold != k), ("test", fold == k)):
                np.save(os.path.join(soft, "%s_%d_%s_X.npy" % (name, k, part)), np.ascontiguousarray(M[mask]))
                np.save(os.path.join(soft, "%s_%d_%s_y.npy" % (name, k, part)), y[mask].astype(np.int32))
        np.save(os.path.join(soft, "%s_all_train_X.npy" % name), np.ascontiguousarray(M))
        np.save(os.path.join(soft, "%s_all_train_y.npy" % name), y.astype(np.int32))
    # learning curve of the radial + angular model: each fold's training atoms
    # subsampled to a fraction, tested on the same held-out fold
    # (a fraction is left out when one of its subsets has fewer than LEARNING_MIN samples of a class,
    # as at smoke size: `softness train` cross-validates internally and needs a few of each)
    for frac in LEARNING_FRACTIONS:
        subsets = []
        for k in range(folds):
            train_atoms = np.array([a for a in atoms if fold_of_atom[a] != k])
            keep = rng.choice(train_atoms, size=max(1, int(round(frac * len(train_atoms)))), replace=False)
            subsets.append(np.isin(groups, keep))
        if min(min(np.sum(y[m] == 0), np.sum(y[m] == 1)) for m in subsets) < LEARNING_MIN:
            continue
        for k, mask in enumerate(subsets):
            np.save(os.path.join(soft, "lc%g_%d_train_X.npy" % (frac, k)), np.ascontiguousarray(X[mask]))
            np.save(os.path.join(soft, "lc%g_%d_train_y.npy" % (frac, k)), y[mask].astype(np.int32))
            np.save(os.path.join(soft, "lc%g_%d_test_X.npy" % (frac, k)), np.ascontiguousarray(X[fold == k]))
            np.save(os.path.join(soft, "lc%g_%d_test_y.npy" % (frac, k)), y[fold == k].astype(np.int32))
    info = {"samples": int(len(y)), "rearranging": int(y.sum()), "atoms": int(len(atoms)), "folds": folds,
            "samples_per_pressure": {fmt_p(p): int(np.sum(groups // 10**9 == k + 1)) for k, p in enumerate(pressures(out))},
            "features_full": int(X.shape[1]), "features_radial": int(radial.sum())}
    with open(os.path.join(soft, "split.json"), "w") as f:
        json.dump(info, f, indent=1)


def scores(out):
    """Per feature set: test accuracy pooled over the folds (every sample tested
    once), its binomial standard error, the spread over folds, the mean train
    accuracy of the fold models, and the accuracy of the all-sample model on
    its own training set."""
    soft = os.path.join(out, "softness")
    res = json.load(open(os.path.join(soft, "split.json")))

    def acc(name, part, which):
        S = np.load(os.path.join(soft, "%s_%s_%s_S.npy" % (name, part, which))).ravel()
        y = np.load(os.path.join(soft, "%s_%s_%s_y.npy" % (name, part, which)))
        return (S > 0) == (y == 1)

    for name in ("full", "radial", "voronoi"):
        hits = [acc(name, k, "test") for k in range(res["folds"])]
        pooled = np.concatenate(hits)
        res["%s_test_accuracy" % name] = float(pooled.mean())
        res["%s_test_accuracy_stderr" % name] = float(np.sqrt(pooled.mean() * (1 - pooled.mean()) / len(pooled)))
        res["%s_test_accuracy_fold_std" % name] = float(np.std([h.mean() for h in hits], ddof=1))
        res["%s_train_accuracy" % name] = float(np.mean([acc(name, k, "train").mean() for k in range(res["folds"])]))
        res["%s_all_train_accuracy" % name] = float(acc(name, "all", "train").mean())
    # learning curve: pooled test accuracy against the number of training samples
    curve = []
    for frac in LEARNING_FRACTIONS:
        if not os.path.isfile(os.path.join(soft, "lc%g_0_test_S.npy" % frac)):
            continue   # left out by split()
        hits = [acc("lc%g" % frac, k, "test") for k in range(res["folds"])]
        n = np.mean([len(np.load(os.path.join(soft, "lc%g_%d_train_y.npy" % (frac, k)))) for k in range(res["folds"])])
        curve.append({"fraction": frac, "train_samples": float(n), "test_accuracy": float(np.concatenate(hits).mean())})
    n = np.mean([len(np.load(os.path.join(soft, "full_%d_train_y.npy" % k))) for k in range(res["folds"])])
    curve.append({"fraction": 1.0, "train_samples": float(n), "test_accuracy": res["full_test_accuracy"]})
    res["learning_curve"] = curve
    with open(os.path.join(soft, "scores.json"), "w") as f:
        json.dump(res, f, indent=1)


# ---------------------------------------------------------------- summary
def al_mask(d):
    return d["element"] == "Al"


def per_pressure(out, p):
    d = pdir(out, p)
    a = os.path.join(d, "analysis")
    r = {"density_g_cm3": mass_density(os.path.join(d, "glass.data"))}
    ps = read_csv(os.path.join(d, "plane_strain.csv"))
    r["plane_strain"] = {"strain": ps["strain"].tolist(), "stress_GPa": (ps["stress"] * BAR_TO_GPA).tolist()}
    pr = read_csv(os.path.join(d, "plane_stress.csv"))
    r["plane_stress"] = {"strain": pr["strain"].tolist(), "stress_GPa": (pr["stress"] * BAR_TO_GPA).tolist()}

    frames = [(0.0, "tension_start")] + [(e, n) for e, n in strain_frames(out, p) if e > 0]
    curves = {k: [] for k in ("strain", "DC", "IC", "SC", "mean_S", "median_S", "clusters", "largest_cluster")}
    by_species = {cn: {"DC": [], "IC": [], "SC": []} for cn in (4, 5, 6)}
    stress_by_cn = {cn: [] for cn in (4, 5, 6)}
    for e, name in frames:
        b = read_dump(os.path.join(a, name + ".bonds.dump"))
        al = al_mask(b)
        code = b["bond_change"][al]
        curves["strain"].append(e)
        for k in ("DC", "IC", "SC"):
            curves[k].append(float(np.mean(code == BOND_CODES[k])))
        for cn in by_species:
            sel = b["cn_ref"][al] == cn
            for k in ("DC", "IC", "SC"):
                by_species[cn][k].append(float(np.mean(code[sel] == BOND_CODES[k])) if sel.any() else None)
        st = read_dump(os.path.join(a, name + ".stress.dump"))
        hyd = st["hydrostatic"][al]
        for cn in stress_by_cn:
            sel = st["cn_cur"][al] == cn
            stress_by_cn[cn].append(float(np.mean(hyd[sel]) * BAR_TO_GPA) if sel.any() else None)
        s = read_dump(os.path.join(a, name + ".soft.dump"))
        curves["mean_S"].append(float(np.mean(s["softness"][al_mask(s)])))
        curves["median_S"].append(float(np.median(s["softness"][al_mask(s)])))
        c = read_csv(os.path.join(a, name + ".clusters.csv"))   # size histogram: size,clusters
        curves["clusters"].append(int(c["clusters"].sum()))
        curves["largest_cluster"].append(int(c["size"].max()))
    r["curves"] = curves
    r["switching_by_cn_ref"] = {str(k): v for k, v in by_species.items()}
    r["stress_by_cn_GPa"] = {str(k): v for k, v in stress_by_cn.items()}

    # cumulative D of the Al up to the last plane-strain step
    D = read_dump(os.path.join(a, "D.dump"))
    Dal = D["D"][al_mask(D)]
    r["D_Al"] = {"mean": float(Dal.mean()), "median": float(np.median(Dal)),
                 "hist_edges": np.linspace(0, np.percentile(Dal, 99.5), 41).tolist()}
    r["D_Al"]["hist"] = np.histogram(Dal, bins=r["D_Al"]["hist_edges"], density=True)[0].tolist()

    # P_R of Al5 against the softness of the unstrained glass
    s0 = read_dump(os.path.join(a, "tension_start.soft.dump"))
    bl = read_dump(os.path.join(a, frames[-1][1] + ".bonds.dump"))
    al = al_mask(bl)
    al5 = al & (bl["cn_ref"] == 5)
    S5, dc5 = s0["softness"][al5], bl["bond_change"][al5] == BOND_CODES["DC"]
    bins = np.quantile(S5, np.linspace(0, 1, 7)) if len(S5) >= 30 else np.quantile(S5, [0, 0.5, 1])
    which = np.clip(np.searchsorted(bins, S5, side="right") - 1, 0, len(bins) - 2)
    r["P_R_Al5"] = {"mean_S": [float(S5[which == b].mean()) for b in range(len(bins) - 1)],
                    "P_R": [float(dc5[which == b].mean()) for b in range(len(bins) - 1)],
                    "count": [int((which == b).sum()) for b in range(len(bins) - 1)]}
    r["mean_S_unstrained"] = float(np.mean(s0["softness"][al_mask(s0)]))
    cn0 = bl["cn_ref"][al]
    r["al_cn_fractions_unstrained"] = {str(cn): float(np.mean(cn0 == cn)) for cn in (3, 4, 5, 6)}

    bf = read_dump(os.path.join(a, "plane_stress_final.bonds.dump"))
    code = bf["bond_change"][al_mask(bf)]
    r["plane_stress_final"] = {k: float(np.mean(code == BOND_CODES[k])) for k in ("DC", "IC", "SC")}
    return r


def summary(out):
    s = settings(out)
    sc = json.load(open(os.path.join(out, "softness", "scores.json")))
    per = {fmt_p(p): per_pressure(out, p) for p in pressures(out)}
    times = read_csv_times(os.path.join(out, "times.csv"))
    summ = {
        "mode": s["mode"], "atoms": s["atoms"], "atoms_tension": s["atoms"] * s["replicate_x"],
        "pressures_GPa": s["pressures_GPa"],
        "density_g_cm3": {p: v["density_g_cm3"] for p, v in per.items()},
        "svm_samples": sc["samples"], "svm_rearranging": sc["rearranging"], "svm_folds": sc["folds"],
        "svm_samples_per_pressure": sc["samples_per_pressure"],
        "svm_test_accuracy_stderr": sc["full_test_accuracy_stderr"],
        "svm_test_accuracy_fold_std": sc["full_test_accuracy_fold_std"],
        "radial_only_accuracy_stderr": sc["radial_test_accuracy_stderr"],
        "voronoi_only_accuracy_stderr": sc["voronoi_test_accuracy_stderr"],
        "svm_learning_curve": sc["learning_curve"],
        "svm_train_accuracy": sc["full_train_accuracy"], "svm_test_accuracy": sc["full_test_accuracy"],
        "radial_only_accuracy": sc["radial_test_accuracy"], "voronoi_only_accuracy": sc["voronoi_test_accuracy"],
        "radial_only_train_accuracy": sc["radial_train_accuracy"],
        "voronoi_only_train_accuracy": sc["voronoi_train_accuracy"],
        "dc_fraction_final": {p: v["curves"]["DC"][-1] for p, v in per.items()},
        "ic_fraction_final": {p: v["curves"]["IC"][-1] for p, v in per.items()},
        "sc_fraction_final": {p: v["curves"]["SC"][-1] for p, v in per.items()},
        "final_strain": {p: v["curves"]["strain"][-1] for p, v in per.items()},
        "plane_strain_curve": {p: v["plane_strain"] for p, v in per.items()},
        "peak_stress_GPa": {p: max(v["plane_strain"]["stress_GPa"]) for p, v in per.items()},
        "strain_at_peak_stress": {p: v["plane_strain"]["strain"][int(np.argmax(v["plane_strain"]["stress_GPa"]))]
                                  for p, v in per.items()},
        "mean_D_Al": {p: v["D_Al"]["mean"] for p, v in per.items()},
        "max_softness_cluster": {p: {"strain": v["curves"]["strain"], "size": v["curves"]["largest_cluster"]}
                                 for p, v in per.items()},
        "softness_clusters": {p: {"strain": v["curves"]["strain"], "count": v["curves"]["clusters"]}
                              for p, v in per.items()},
        "mean_softness": {p: {"strain": v["curves"]["strain"], "S": v["curves"]["mean_S"],
                              "median_S": v["curves"]["median_S"]} for p, v in per.items()},
        "plane_stress_final_switching": {p: v["plane_stress_final"] for p, v in per.items()},
        "al_cn_fractions_unstrained": {p: v["al_cn_fractions_unstrained"] for p, v in per.items()},
        "al_stress_by_cn_unstrained_GPa": {p: {cn: v["stress_by_cn_GPa"][cn][0] for cn in ("4", "5", "6")}
                                           for p, v in per.items()},
        "cpu_hours": times["cpu_h"], "wall_hours_sum_of_stages": times["wall_h"],
    }
    with open(os.path.join(out, "curves.json"), "w") as f:
        json.dump(per, f, indent=1)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summ, f, indent=1)


def read_csv_times(path):
    """times.csv of run.sh: stage,wall_s,user_s,sys_s -> summed CPU and wall hours."""
    rows = [l.rstrip("\n").rsplit(",", 3) for l in open(path)][1:]
    cpu = sum(float(r[2]) + float(r[3]) for r in rows)
    return {"cpu_h": cpu / 3600, "wall_h": sum(float(r[1]) for r in rows) / 3600}


REQUIRED = ("pressures_GPa", "density_g_cm3", "svm_train_accuracy", "svm_test_accuracy", "radial_only_accuracy",
            "voronoi_only_accuracy", "dc_fraction_final", "ic_fraction_final", "sc_fraction_final",
            "max_softness_cluster", "figures")


def check(out):
    summ = json.load(open(os.path.join(out, "summary.json")))
    missing = [k for k in REQUIRED if k not in summ]
    if missing:
        sys.exit("analyze.py check: summary.json lacks %s" % ", ".join(missing))

    def finite(x, where):
        if isinstance(x, dict):
            for k, v in x.items():
                finite(v, where + "." + k)
        elif isinstance(x, list):
            for k, v in enumerate(x):
                finite(v, "%s[%d]" % (where, k))
        elif isinstance(x, float) and not np.isfinite(x):
            sys.exit("analyze.py check: %s is %r" % (where, x))

    finite(summ, "summary")
    ps = ["%g" % p for p in summ["pressures_GPa"]]
    for k in ("density_g_cm3", "dc_fraction_final", "ic_fraction_final", "sc_fraction_final", "max_softness_cluster"):
        if sorted(summ[k]) != sorted(ps):
            sys.exit("analyze.py check: %s has pressures %s, not %s" % (k, sorted(summ[k]), ps))
    absent = [fig for fig in summ["figures"] if not os.path.isfile(os.path.join(out, fig))]
    if len(summ["figures"]) < 6 or absent:
        sys.exit("analyze.py check: figures missing: %s" % (absent or "fewer than 6"))
    print("alumina: %s is complete (%d pressures, %d figures)" % (os.path.join(out, "summary.json"), len(ps),
                                                                   len(summ["figures"])))


if __name__ == "__main__":
    commands = {"split": split, "scores": scores, "summary": summary, "check": check}
    if len(sys.argv) != 3 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2])
