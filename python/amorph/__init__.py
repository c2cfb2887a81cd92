"""amorph: analysis and simulation of amorphous solids, on numpy arrays.

The C++ library (header-only, C++20) through a pybind11 extension:

    import amorph
    s = amorph.read("glass.data", species=["Cu", "Zr"])
    ff = amorph.ForceField.preset("cuzr-mendelev")
    r = ff.compute(s)                      # r.energy, r.forces (N, 3), r.virial
    vol, idx = amorph.voronoi(s, indices=True)
    d = amorph.d2min(ref, cur, cutoff=3.8)["d2min"]

Arrays follow the library's layout: positions (N, D) views of the system's
storage, cell (D, D) with the cell vectors as columns (LAMMPS's h matrix),
types 0-based indices into species. Errors raise ValueError / OSError /
NotImplementedError / RuntimeError with the CLI's one-line messages.
"""

from ._amorph import (  # noqa: F401
    ComputeResult,
    ForceField,
    Softness,
    System,
    aqs,
    bond_switching,
    cnn,
    coordination,
    create_velocities,
    d2min,
    flexibility_volume,
    hessian,
    md,
    minimize,
    msd_ensemble,
    normal_modes,
    rdf,
    read,
    sdm,
    set_num_threads,
    structure_function_names,
    structure_function_settings,
    structure_functions,
    units,
    voronoi,
    write,
)

__all__ = [
    "ComputeResult", "ForceField", "Softness", "System", "aqs", "bond_switching", "cnn", "coordination",
    "create_velocities", "d2min", "flexibility_volume", "hessian", "md", "minimize", "msd_ensemble", "normal_modes",
    "rdf", "read", "sdm",
    "set_num_threads", "structure_function_names", "structure_function_settings", "structure_functions", "units",
    "voronoi", "write", "from_ase", "to_ase",
]

# ASE's velocity unit is sqrt(eV/u); amorph's metal units use Angstrom/ps.
def _ase_velocity_per_metal():
    from ase import units
    return 1.0 / (1000.0 * units.fs)


def from_ase(atoms):
    """An amorph.System from an ase.Atoms (periodic cell; species by chemical symbol,
    in order of first appearance; charges, and velocities in metal units (Angstrom/ps),
    when ASE holds them)."""
    import numpy as np

    symbols = atoms.get_chemical_symbols()
    species = list(dict.fromkeys(symbols))
    types = np.array([species.index(x) for x in symbols], dtype=np.int32)
    cell = np.array(atoms.get_cell(), dtype=float).T  # ASE rows -> amorph columns
    charges = atoms.get_initial_charges() if atoms.has("initial_charges") else None
    velocities = atoms.get_velocities() / _ase_velocity_per_metal() if atoms.has("momenta") else None
    return System(cell, np.asarray(atoms.get_positions(), dtype=float), types, species=species,
                  charges=charges, pbc=bool(np.all(atoms.get_pbc())), velocities=velocities)


def to_ase(system):
    """An ase.Atoms from an amorph.System (3D; 2D systems get a unit c axis); velocities,
    taken as metal units (Angstrom/ps), and charges when the system has them."""
    import ase
    import numpy as np

    names = system.species
    symbols = [names[t] for t in system.types]
    pos = np.array(system.positions, dtype=float)
    cell = np.array(system.cell, dtype=float)
    if system.dim == 2:
        pos = np.hstack([pos, np.zeros((len(pos), 1))])
        c3 = np.eye(3)
        c3[:2, :2] = cell
        cell = c3
    atoms = ase.Atoms(symbols=symbols, positions=pos, cell=cell.T, pbc=True)
    if system.charges is not None:
        atoms.set_initial_charges(system.charges)
    if system.velocities is not None:
        v = np.array(system.velocities, dtype=float)
        if system.dim == 2:
            v = np.hstack([v, np.zeros((len(v), 1))])
        atoms.set_velocities(v * _ase_velocity_per_metal())
    return atoms
