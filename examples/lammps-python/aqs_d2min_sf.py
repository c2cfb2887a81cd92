#!/usr/bin/env python3
"""LAMMPS drives the AQS of a glass from Python; amorph analyses LAMMPS's arrays in memory.

    python3 aqs_d2min_sf.py OUT [--atoms N] [--strain-steps K] ...
    mpirun -np 2 --mca pml ob1 --mca btl self,vader --mca btl_vader_single_copy_mechanism none \\
        python3 aqs_d2min_sf.py OUT ...

LAMMPS (Debian python3-lammps, `from lammps import lammps`) makes a 2D binary
Lennard-Jones glass (the thesis's model, amorph's preset lj2d-binary: the pair
lines come from amorph.ForceField.preset(...).lines) or reads one (--data), and
shears it athermally: `change_box xy delta` + `minimize 0 ftol` per strain step,
on as many MPI ranks as mpirun starts. After every step the ranks' local atoms
(x, id, type: LAMMPS's own arrays, numpy views through lmp.numpy) are gathered
on rank 0 with mpi4py, and amorph, on rank 0, computes in memory:
  * D2min of the step (previous configuration -> this one, cutoff 2.5 sigma) and
    cumulative (unsheared glass -> this one);
  * (first and last step) the energy of the gathered atoms, which must equal
    LAMMPS's pe to 1e-10: the check that the gather, ids, cell and origin hold;
  * the structure functions (fan2020-2d) of the configuration *before* the step
    for the K atoms of largest step-D2min (rearranging, label 1) and K atoms drawn
    from the rest (label 0): the training data of a softness model, collected
    without a file.
While rank 0 analyses, the other ranks wait without spinning (a non-blocking
barrier polled with sleeps), so amorph's threads get the cores.

Writes OUT/glass.data (the generated glass, minimized), OUT/summary.json (per-step
times of each part, the curve, the samples' softness accuracy), OUT/samples.npz (X,
y, step, id) and OUT/log.lammps (where LAMMPS's errors go: Debian's library ends the
process on one). Measured figures: README.md next to this file.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from mpi4py import MPI
from lammps import lammps

import amorph


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", help="output folder (rank 0 writes summary.json and samples.npz)")
    p.add_argument("--atoms", type=int, default=10000, help="atoms of the generated glass (default 10000)")
    p.add_argument("--data", help="read this LAMMPS data file (2D, 2 types) instead of generating a glass")
    p.add_argument("--seed", type=int, default=12345, help="seed of the generated glass (default 12345)")
    p.add_argument("--anneal-steps", type=int, default=2000,
                   help="NVT steps at T = 0.3 before the minimization of the generated glass (default 2000)")
    p.add_argument("--prep-max-iterations", type=int, default=100000,
                   help="iteration cap of the glass's first minimization (default 100000)")
    p.add_argument("--strain-steps", type=int, default=10, help="AQS steps (default 10)")
    p.add_argument("--dgamma", type=float, default=1e-3, help="shear strain per step (default 1e-3)")
    p.add_argument("--ftol", type=float, default=1e-8, help="LAMMPS minimize force tolerance (default 1e-8)")
    p.add_argument("--max-iterations", type=int, default=10000,
                   help="iteration cap of each strain step's minimization (default 10000)")
    p.add_argument("--d2min-cutoff", type=float, default=2.5, help="D2min neighbor cutoff, sigma (default 2.5)")
    p.add_argument("--sf-centers", type=int, default=1000,
                   help="K: structure functions of the K largest-D2min atoms and K others per step (default 1000)")
    p.add_argument("--threads", type=int, default=0, help="amorph threads on rank 0 (default 0: all cores)")
    return p.parse_args()


def wait_for_root(comm):
    """Non-root ranks: wait for rank 0 without spinning on a core."""
    req = comm.Ibarrier()
    if comm.Get_rank() == 0:
        req.Wait()
        return
    while not req.Test():
        time.sleep(0.002)


def gather_system(lmp, comm, species):
    """LAMMPS's distributed atoms as one amorph.System on rank 0 (None elsewhere)."""
    n = lmp.extract_global("nlocal")
    x = np.ascontiguousarray(lmp.numpy.extract_atom("x")[:n, :2])  # LAMMPS keeps z; the model is 2D
    ids = np.ascontiguousarray(lmp.numpy.extract_atom("id")[:n], dtype=np.int64)
    types = np.ascontiguousarray(lmp.numpy.extract_atom("type")[:n], dtype=np.int32)
    counts = comm.gather(n, root=0)
    root = comm.Get_rank() == 0
    if root:
        total = sum(counts)
        X, I, T = np.empty((total, 2)), np.empty(total, np.int64), np.empty(total, np.int32)
    else:
        X = I = T = None
    comm.Gatherv(x, (X, [2 * c for c in counts]) if root else None, root=0)
    comm.Gatherv(ids, (I, counts) if root else None, root=0)
    comm.Gatherv(types, (T, counts) if root else None, root=0)
    if not root:
        return None
    lo, hi, xy, _yz, _xz, _periodic, _changed = lmp.extract_box()
    cell = np.array([[hi[0] - lo[0], xy], [0.0, hi[1] - lo[1]]])
    return amorph.System(cell, X, T - 1, species=species, ids=I, origin=np.array(lo[:2]))


def make_glass(lmp, args, pair_lines):
    if args.data:
        lmp.commands_string(f"""
units lj
dimension 2
atom_style atomic
boundary p p p
read_data {args.data}
""")
    else:
        # The thesis's composition (N_S : N_L = 0.5528 : 0.4472) at number density 1.0244.
        n_small = int(round(0.5528 * args.atoms))
        side = (args.atoms / 1.0244) ** 0.5
        lmp.commands_string(f"""
units lj
dimension 2
atom_style atomic
boundary p p p
region box block 0 {side} 0 {side} -0.5 0.5
create_box 2 box
create_atoms 1 random {n_small} {args.seed} NULL
create_atoms 2 random {args.atoms - n_small} {args.seed + 1} NULL
mass * 1.0
neighbor 0.3 bin
neigh_modify delay 0 every 1 check yes
pair_style soft 1.12
pair_coeff * * 0.0
variable A equal ramp(0.0,50.0)
fix push all adapt 1 pair soft a * * v_A
fix lang all langevin 1.0 1.0 0.1 {args.seed + 2}
fix nve all nve/limit 0.05
fix 2d all enforce2d
thermo 0
run 1000
unfix push
unfix lang
unfix nve
""")
    lmp.commands_string(pair_lines + """
mass * 1.0
neighbor 0.3 bin
neigh_modify delay 0 every 1 check yes
thermo_style custom step pe pxy fnorm
thermo 0
""")  # thermo at the end of each minimize: pe and pxy are current for get_thermo
    if not args.data:  # overlaps the soft push left (more of them in larger boxes) relaxed before MD
        lmp.commands_string(f"""
fix 2d all enforce2d
minimize 0 1e-3 500 5000
velocity all create 0.3 {args.seed + 3} dist gaussian mom yes
fix nvt all nvt temp 0.3 0.3 0.5
run {args.anneal_steps}
unfix nvt
""")
    lmp.commands_string(f"""
fix 2d all enforce2d
min_style cg
minimize 0 {args.ftol} {args.prep_max_iterations} {10 * args.prep_max_iterations}
reset_timestep 0
change_box all triclinic
""")
    if not args.data:  # the glass the AQS starts from, for another run (--data) to start from too
        lmp.command(f"write_data {os.path.join(args.out, 'glass.data')} nocoeff")


def main():
    args = parse_args()
    comm = MPI.COMM_WORLD
    rank, ranks = comm.Get_rank(), comm.Get_size()
    root = rank == 0
    if root:
        os.makedirs(args.out, exist_ok=True)
        amorph.set_num_threads(args.threads)
    ff = amorph.ForceField.preset("lj2d-binary")
    species = ["S", "L"]
    # Debian's LAMMPS has no C++ exceptions: an input error ends the process, with its message in the log
    comm.Barrier()  # OUT exists
    lmp = lammps(cmdargs=["-log", os.path.join(args.out, "log.lammps"), "-screen", "none", "-nocite"], comm=comm)
    t0 = time.perf_counter()
    make_glass(lmp, args, ff.lines)
    prep_s = time.perf_counter() - t0
    natoms = lmp.get_natoms()

    glass = gather_system(lmp, comm, species)
    prev = glass
    rng = np.random.default_rng(args.seed)
    steps, samples = [], {"X": [], "y": [], "step": [], "id": []}
    for k in range(1, args.strain_steps + 1):
        t = time.perf_counter()
        lo, hi = lmp.extract_box()[:2]
        lmp.commands_string(f"""
change_box all xy delta {args.dgamma * (hi[1] - lo[1])!r} remap units box
minimize 0 {args.ftol} {args.max_iterations} {10 * args.max_iterations}
""")
        t_lammps = time.perf_counter() - t
        pe, pxy = lmp.get_thermo("pe"), lmp.get_thermo("pxy")
        t = time.perf_counter()
        cur = gather_system(lmp, comm, species)
        t_gather = time.perf_counter() - t
        if root:
            t = time.perf_counter()
            step = amorph.d2min(prev, cur, args.d2min_cutoff)
            t_d2min_step = time.perf_counter() - t
            t = time.perf_counter()
            total = amorph.d2min(glass, cur, args.d2min_cutoff)
            t_d2min_total = time.perf_counter() - t
            # the samples: K largest step-D2min atoms (label 1) and K others (label 0), in prev's order
            d = step["d2min"]
            order = np.argsort(-d)
            kk = min(args.sf_centers, len(d) // 2)
            soft, rest = order[:kk], order[kk:]
            hard = rng.choice(rest, size=kk, replace=False)
            row_of = {int(i): r for r, i in enumerate(prev.ids)}
            centers = [row_of[int(i)] for i in np.concatenate([step["ids"][soft], step["ids"][hard]])]
            t = time.perf_counter()
            X = amorph.structure_functions(prev, "fan2020-2d", centers=centers)
            t_sf = time.perf_counter() - t
            if k in (1, args.strain_steps):  # the gathered system is LAMMPS's: same energy per atom
                e = ff.compute(cur).energy / len(cur)
                if not abs(e - pe) <= 1e-10 * abs(pe):
                    raise SystemExit(f"step {k}: amorph's energy of the gathered atoms {e!r} is not LAMMPS's pe {pe!r}")
            samples["X"].append(X)
            samples["y"].append(np.r_[np.ones(kk, np.int32), np.zeros(kk, np.int32)])
            samples["step"].append(np.full(2 * kk, k, np.int32))
            samples["id"].append(prev.ids[centers])
            steps.append({"step": k, "strain": k * args.dgamma, "pe": pe, "pxy": pxy,
                          "lammps_s": t_lammps, "gather_s": t_gather, "d2min_step_s": t_d2min_step,
                          "d2min_total_s": t_d2min_total, "sf_s": t_sf, "sf_centers": 2 * kk,
                          "d2min_step_max": float(d.max()), "d2min_total_mean": float(np.mean(total["d2min"]))})
            print(f"step {k:4d}  strain {k * args.dgamma:.4f}  pe {pe:.8f}  pxy {pxy:+.6f}  "
                  f"LAMMPS {t_lammps:7.2f} s  gather {t_gather:6.3f} s  D2min {t_d2min_step + t_d2min_total:6.3f} s  "
                  f"SF {t_sf:6.2f} s", flush=True)
            prev = cur
        wait_for_root(comm)
    lmp.close()
    if not root:
        return 0

    X, y = np.concatenate(samples["X"]), np.concatenate(samples["y"])
    np.savez_compressed(os.path.join(args.out, "samples.npz"), X=X, y=y, step=np.concatenate(samples["step"]),
                        id=np.concatenate(samples["id"]))
    # softness from the collected samples: fitted on the first half of the steps, scored on the rest
    st = np.concatenate(samples["step"])
    split = (args.strain_steps + 1) // 2
    accuracy = None
    if args.strain_steps >= 2:
        model = amorph.Softness(C=0.1).fit(X[st <= split], y[st <= split])
        accuracy = model.score(X[st > split], y[st > split])
    mean = {key: float(np.mean([s[key] for s in steps])) for key in
            ("lammps_s", "gather_s", "d2min_step_s", "d2min_total_s", "sf_s")}
    later = steps[1:] or steps
    summary = {
        "atoms": int(natoms), "ranks": ranks, "amorph_threads": args.threads or os.cpu_count(),
        "strain_steps": args.strain_steps, "dgamma": args.dgamma, "ftol": args.ftol,
        "max_iterations": args.max_iterations, "prep_max_iterations": args.prep_max_iterations,
        "glass": args.data or f"generated (seed {args.seed}, {args.anneal_steps} NVT steps at T = 0.3, minimized)",
        "prep_s": prep_s, "anneal_steps": args.anneal_steps, "sf_centers_per_step": 2 * min(args.sf_centers, natoms // 2), "mean_per_step": mean,
        "median_lammps_s_after_step_1": float(np.median([s["lammps_s"] for s in later])),
        "amorph_share": (mean["gather_s"] + mean["d2min_step_s"] + mean["d2min_total_s"] + mean["sf_s"]) /
                        (mean["lammps_s"] + mean["gather_s"] + mean["d2min_step_s"] + mean["d2min_total_s"] + mean["sf_s"]),
        "softness_heldout_accuracy": accuracy, "samples": int(len(y)), "features": int(X.shape[1]),
        "steps": steps,
        "lammps_version": lammps_version(),
        "date": time.strftime("%Y-%m-%d"),
    }
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(f"{natoms} atoms, {ranks} rank(s): per step LAMMPS {mean['lammps_s']:.2f} s, gather {mean['gather_s']:.3f} s, "
          f"D2min {mean['d2min_step_s'] + mean['d2min_total_s']:.3f} s, SF {mean['sf_s']:.2f} s; "
          f"softness held-out accuracy {accuracy}")
    return 0


def lammps_version():
    from lammps import __version__
    return str(__version__)


if __name__ == "__main__":
    sys.exit(main())
