// Peer test against ASE (Debian python3-ase; a missing ASE fails the test
// unless AMORPH_ALLOW_MISSING_PEERS=1, tests/peer.hpp):
// the POSCAR files ASE writes (Direct and Cartesian, sorted and in runs of
// unsorted atoms, a triclinic cell) read as the positions, cell and species
// ASE holds, printed with 17 digits; and ASE reads the POSCAR amorph writes.
#include "amorph/io/io.hpp"
#include "../peer.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;

namespace {

void run_python(const fs::path& dir, const std::string& code) {
    std::ofstream(dir / "peer.py") << code;
    const std::string cmd = "cd '" + dir.string() + "' && /usr/bin/python3 peer.py > peer.out 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        std::ifstream in(dir / "peer.out");
        std::stringstream ss;
        ss << in.rdbuf();
        FAIL("python3 with ASE failed (is the Debian package python3-ase installed?):\n" << ss.str());
    }
}

std::vector<double> numbers(const fs::path& p) {
    std::ifstream in(p);
    std::vector<double> v;
    double x;
    while (in >> x) v.push_back(x);
    return v;
}

}  // namespace

TEST_CASE("ASE's POSCARs read as ASE holds them, ASE reads amorph's", "[io][peer][poscar]") {
    if (!amorph_test::peer_available(std::system("/usr/bin/python3 -c 'import ase' >/dev/null 2>&1") == 0,
                                     "ASE (Debian python3-ase) is not installed"))
        return;
    const fs::path dir = fs::temp_directory_path() / ("amorph_ase_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    run_python(dir, R"PY(
import numpy as np
from ase import Atoms
import ase.io
rng = np.random.default_rng(4)
cell = [[11.3, 0, 0], [2.1, 10.7, 0], [-1.3, 0.9, 12.2]]
symbols = rng.choice(["Cu", "Zr", "Al"], size=50)
atoms = Atoms(symbols=symbols, scaled_positions=rng.random((50, 3)), cell=cell, pbc=True)
ase.io.write("direct.vasp", atoms, format="vasp", direct=True, vasp5=True, sort=True)
ase.io.write("cart.vasp", atoms, format="vasp", direct=False, vasp5=True)   # unsorted: runs of names
for name in ("direct.vasp", "cart.vasp"):
    a = ase.io.read(name, format="vasp")
    np.savetxt(name + ".pos", a.positions, fmt="%.17g")
    np.savetxt(name + ".cell", a.cell.array, fmt="%.17g")
    with open(name + ".sym", "w") as f:
        f.write(" ".join(a.get_chemical_symbols()))
)PY");
    for (const std::string name : {"direct.vasp", "cart.vasp"}) {
        INFO(name);
        CHECK(amorph::io::detect_format(dir / name) == amorph::io::file_format::poscar);
        const auto s = amorph::io::read_system<3>(dir / name);
        const auto pos = numbers(dir / (name + ".pos")), cell = numbers(dir / (name + ".cell"));
        REQUIRE(pos.size() == 150);
        REQUIRE(s.size() == 50);
        std::ifstream sym(dir / (name + ".sym"));
        double worst = 0;
        for (std::size_t i = 0; i < 50; ++i) {
            std::string e;
            sym >> e;
            CHECK(s.species[static_cast<std::size_t>(s.types[i])].name == e);
            for (int c = 0; c < 3; ++c)
                worst = std::max(worst, std::abs(s.positions(c, static_cast<Eigen::Index>(i)) - pos[3 * i + static_cast<std::size_t>(c)]));
        }
        CHECK(worst <= 1e-12);  // ASE parses the same decimal text; x = h f in either order of sums
        for (int k = 0; k < 3; ++k)
            for (int c = 0; c < 3; ++c) CHECK(s.box.h()(c, k) == cell[3 * static_cast<std::size_t>(k) + static_cast<std::size_t>(c)]);
    }
    // amorph writes, ASE reads
    const auto s = amorph::io::read_system<3>(dir / "cart.vasp");
    amorph::io::write_system(dir / "POSCAR_amorph", s);
    run_python(dir, R"PY(
import numpy as np, ase.io
a = ase.io.read("POSCAR_amorph", format="vasp")
np.savetxt("back.pos", a.positions, fmt="%.17g")
print(len(a))
)PY");
    const auto back = numbers(dir / "back.pos");
    REQUIRE(back.size() == 150);
    const auto mine = amorph::io::read_system<3>(dir / "POSCAR_amorph");
    for (std::size_t i = 0; i < 50; ++i)
        for (int c = 0; c < 3; ++c) CHECK(back[3 * i + static_cast<std::size_t>(c)] == mine.positions(c, static_cast<Eigen::Index>(i)));
    fs::remove_all(dir);
}
