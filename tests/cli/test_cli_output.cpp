// What the CLI writes, read by others (issue 24): extxyz that ASE loads (the
// Debian python3-ase; a missing ASE is a failure unless
// AMORPH_ALLOW_MISSING_PEERS=1, tests/peer.hpp) with integer
// columns as integers and the 2D cell size named `area`; `md --dump N FILE`
// in the format of FILE's extension.
#include "cli_run.hpp"

#include "../peer.hpp"

#include "amorph/io/io.hpp"

#include <catch2/catch.hpp>

using namespace cli_test;

namespace {

/// Run /usr/bin/python3 with `code` in `dir`; its stdout.
std::string python(const fs::path& dir, const std::string& code) {
    std::ofstream(dir / "check.py") << code;
    const std::string cmd = "cd \"" + dir.string() + "\" && /usr/bin/python3 check.py > py.out 2> py.err";
    const int rc = std::system(cmd.c_str());
    INFO(slurp(dir / "py.err"));
    REQUIRE(rc == 0);
    return slurp(dir / "py.out");
}

}  // namespace

TEST_CASE("cli output: ASE reads amorph's extxyz, integer columns as integers, 2D area", "[cli][output][peer]") {
    if (!amorph_test::peer_available(std::system("/usr/bin/python3 -c 'import ase' >/dev/null 2>&1") == 0,
                                     "ASE (Debian python3-ase) is not installed"))
        return;
    const auto dir = workdir("output_ase");
    REQUIRE(run_amorph(dir, "sample lj2d -n 300 --seed 3 -o g.data --quiet").code == 0);
    // ASE needs element symbols: the 2D LJ types named for it
    REQUIRE(run_amorph(dir, "voronoi g.data --species Ni,P -o v.xyz --quiet --threads 1").code == 0);
    REQUIRE(run_amorph(dir, "coord g.data --species Ni,P --cutoff '*:1.5' -o c.xyz").code == 0);
    const auto mine = amorph::io::read_system<2>(dir / "v.xyz");
    REQUIRE(mine.find_property("area"));
    REQUIRE(mine.find_property("faces"));
    CHECK(mine.find_property("faces")->integer);
    CHECK_FALSE(mine.find_property("area")->integer);
    const std::string out = python(dir, R"PY(
import ase.io, numpy as np
a = ase.io.read("v.xyz", index=-1)
c = ase.io.read("c.xyz", index=-1)
print(len(a), a.arrays["faces"].dtype.kind, a.arrays["area"].dtype.kind, c.arrays["cn"].dtype.kind)
print(sum(a.get_chemical_symbols().count(s) for s in ("Ni",)), sum(a.get_chemical_symbols().count(s) for s in ("P",)))
np.savetxt("ase_pos.txt", a.positions, fmt="%.17g")
np.savetxt("ase_area.txt", a.arrays["area"], fmt="%.17g")
np.savetxt("ase_faces.txt", a.arrays["faces"], fmt="%d")
print(a.cell.array[0, 0], a.cell.array[1, 1], list(a.pbc))
)PY");
    std::istringstream in(out);
    std::size_t n = 0;
    std::string kind_faces, kind_area, kind_cn;
    in >> n >> kind_faces >> kind_area >> kind_cn;
    CHECK(n == 300);
    CHECK(kind_faces == "i");
    CHECK(kind_area == "f");
    CHECK(kind_cn == "i");
    std::size_t ni = 0, p = 0;
    in >> ni >> p;
    const auto counts = mine.type_counts();
    CHECK(ni == counts[0]);
    CHECK(p == counts[1]);
    double lx = 0, ly = 0;
    in >> lx >> ly;
    CHECK(lx == mine.box.h()(0, 0));
    CHECK(ly == mine.box.h()(1, 1));
    std::istringstream pos(slurp(dir / "ase_pos.txt")), area(slurp(dir / "ase_area.txt")), faces(slurp(dir / "ase_faces.txt"));
    for (std::size_t i = 0; i < mine.size(); ++i) {
        double x, y, z, A;
        long f;
        pos >> x >> y >> z;
        area >> A;
        faces >> f;
        const auto I = static_cast<Eigen::Index>(i);
        CHECK(x == mine.positions(0, I));
        CHECK(y == mine.positions(1, I));
        CHECK(z == 0.0);
        CHECK(A == mine.find_property("area")->values[i]);
        CHECK(f == std::lround(mine.find_property("faces")->values[i]));
    }
}

TEST_CASE("cli output: md --dump writes the format of the file's extension", "[cli][output]") {
    const auto dir = workdir("output_dump");
    REQUIRE(run_amorph(dir, "sample lj2d -n 200 --seed 5 -o g.data --quiet").code == 0);
    const std::string md = "md g.data --preset lj2d-sf --ensemble nve --temp 0.3 --seed 1 --steps 40 --quiet ";
    REQUIRE(run_amorph(dir, md + "--dump 10 t.xyz").code == 0);
    REQUIRE(run_amorph(dir, md + "--dump 10 t.lammpstrj").code == 0);
    CHECK(amorph::io::detect_format(dir / "t.xyz") == amorph::io::file_format::extxyz);
    CHECK(amorph::io::detect_format(dir / "t.lammpstrj") == amorph::io::file_format::lammps_dump);
    CHECK(amorph::io::count_extxyz_frames(dir / "t.xyz") == 5);
    CHECK(amorph::io::count_dump_frames(dir / "t.lammpstrj") == 5);
    for (int k = 0; k < 5; ++k) {
        amorph::io::read_options o;
        o.frame = k;
        const auto a = amorph::io::read_system<2>(dir / "t.xyz", o);
        const auto b = amorph::io::read_system<2>(dir / "t.lammpstrj", o);
        CHECK(a.positions == b.positions);
    }
    const auto bad = run_amorph(dir, md + "--dump 10 t.data");
    CHECK(bad.code == 1);
    CHECK_THAT(bad.err, Catch::Contains("not a data file"));
    CHECK(run_amorph(dir, md + "--dump 10 t.txt").code == 1);
}
