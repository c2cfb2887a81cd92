#!/usr/bin/env python3
"""D2min and softness of a sheared glass, from a LAMMPS dump, with amorph's Python package.

Notebook-style: each step below is a cell you can run on its own.

    python3 examples/python/d2min_softness.py OUT [--dump FILE] [--species A,B]

Without --dump the script makes its own trajectory with LAMMPS (`lmp`): the shipped 2D
binary LJ glass (tests/dynamics/data/lj2d_glass.data, N = 500) sheared by AQS to 4 %
(change_box xy + CG minimization, one dump frame per 0.5 % step). With --dump, frame 0
is the reference and the last frame the deformed state. Writes OUT/summary.json and
OUT/d2min_softness.png.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

import amorph

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def make_trajectory(out):
    """A LAMMPS AQS run of the shipped 2D glass, dumped every step (custom dump, %.17g)."""
    glass = os.path.join(SOURCE, "tests", "dynamics", "data", "lj2d_glass.data")
    ff = amorph.ForceField.preset("lj2d-binary")
    script = f"""units lj
dimension 2
atom_style atomic
boundary p p p
read_data {glass}
change_box all triclinic
{ff.lines}
neighbor 0.3 bin
neigh_modify delay 0 every 1 check yes
fix 2d all enforce2d
velocity all set 0 0 0
min_style cg
minimize 0 1e-8 10000 100000
dump d all custom 1 aqs.dump id type x y z
dump_modify d sort id format float %.17g
run 0
variable dxy equal 5e-3*ly
variable i loop 8
label aqs
change_box all xy delta ${{dxy}} remap units box
minimize 0 1e-8 10000 100000
run 0
next i
jump SELF aqs
"""
    with open(os.path.join(out, "in.aqs"), "w") as f:
        f.write(script)
    subprocess.run(["lmp", "-in", "in.aqs", "-log", "log.lammps", "-screen", "none"], cwd=out, check=True)
    return os.path.join(out, "aqs.dump")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--dump", help="LAMMPS dump trajectory (frame 0: reference)")
    p.add_argument("--species", default="S,L", help="names of LAMMPS types 1, 2, ... (default S,L)")
    p.add_argument("--cutoff", type=float, default=2.5, help="D2min neighbor cutoff (default 2.5 sigma)")
    p.add_argument("--top", type=float, default=0.05, help="fraction of atoms labelled soft by D2min (default 0.05)")
    a = p.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    species = a.species.split(",")

    # --- 1. the trajectory: reference and deformed configurations
    dump = a.dump or make_trajectory(a.out)
    ref = amorph.read(dump, frame=0, species=species)
    cur = amorph.read(dump, frame=-1, species=species)
    print(f"read {dump}: {ref} -> {cur}")

    # --- 2. D2min (Falk-Langer) of every atom between the two
    d = amorph.d2min(ref, cur, a.cutoff)
    d2 = d["d2min"]
    soft = (d2 >= np.quantile(d2, 1 - a.top)).astype(np.int32)
    print(f"D2min: mean {d2.mean():.4g}, max {d2.max():.4g}; {soft.sum()} atoms labelled soft")

    # --- 3. structure functions of the undeformed glass, and a softness model fitted on
    #        half of the atoms (even ids) and scored on the other half
    X = amorph.structure_functions(ref, "fan2020-2d" if ref.dim == 2 else "fan2020-3d")
    train = ref.ids % 2 == 0
    model = amorph.Softness(C=1.0).fit(X[train], soft[train])
    S = model.softness(X)
    acc = model.score(X[train], soft[train])
    test_acc = model.score(X[~train], soft[~train])
    held = S[~train]
    order = np.argsort(-held)[: max(1, int(soft[~train].sum()))]
    hit = float(soft[~train][order].mean())  # precision of the top-softness held-out atoms
    print(f"softness: accuracy {acc:.3f} on the training half, {test_acc:.3f} on the held-out half; "
          f"{hit:.2f} of the held-out top-softness atoms are soft")
    model.save(os.path.join(a.out, "softness.json"))
    amorph.write(os.path.join(a.out, "result.xyz"), ref, d2min=d2, softness=S)

    # --- 4. figures
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = ref.positions
    fig, ax = plt.subplots(1, 2, figsize=(10, 4.6))
    for k, (v, name) in enumerate(((np.log10(d2 + 1e-12), "log10 D2min"), (S, "softness"))):
        sc = ax[k].scatter(x[:, 0], x[:, 1], c=v, s=12, cmap="viridis")
        ax[k].set_aspect("equal")
        ax[k].set_title(name)
        fig.colorbar(sc, ax=ax[k], shrink=0.8)
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, "d2min_softness.png"), dpi=120)

    summary = {"dump": os.path.relpath(dump, a.out) if a.dump is None else dump, "atoms": len(ref),
               "d2min_mean": float(d2.mean()), "d2min_max": float(d2.max()), "soft_atoms": int(soft.sum()),
               "train_accuracy": acc, "heldout_accuracy": test_acc, "heldout_top_softness_precision": hit}
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
