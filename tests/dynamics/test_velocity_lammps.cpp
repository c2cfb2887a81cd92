// Velocity initialization: same Maxwell-Boltzmann statistics as LAMMPS
// `velocity create ... dist gaussian mom yes` (LAMMPS's random numbers differ).
#include "lammps_md.hpp"

#include <amorph/dynamics/kinetic.hpp>
#include <amorph/dynamics/velocity.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>

using namespace amorph;
using namespace amorph::dynamics;
#include "velocity_common.hpp"
using namespace amorph::test;

TEST_CASE("create_velocities: same statistics as LAMMPS velocity create", "[dynamics][velocity][peer]") {
    // LAMMPS draws its own random numbers: compare the per-species moments of
    // both samples (each within statistical error of the other).
    const std::size_t n = 30000;
    auto s = two_species<3>(n, 1.0, 4.0);
    s.units = &units::metal;
    std::string data;
    {
        std::ostringstream d;
        d << "vel test\n\n" << n << " atoms\n2 atom types\n0 50 xlo xhi\n0 50 ylo yhi\n0 50 zlo zhi\n\nMasses\n\n1 1.0\n2 4.0\n\nAtoms # atomic\n\n";
        for (std::size_t i = 0; i < n; ++i)
            d << i + 1 << ' ' << s.types[i] + 1 << ' ' << (i % 50) + 0.5 << ' ' << ((i / 50) % 50) + 0.5 << ' '
              << (i / 2500) * 4.0 + 0.5 << '\n';
        data = d.str();
    }
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_vel_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "v.data") << data;
    const auto lmp = test::run_lammps_script(
        "units metal\natom_style atomic\nread_data " + (dir / "v.data").string() +
            "\nvelocity all create 500.0 87287 dist gaussian mom yes\n"
            "write_dump all custom " + (dir / "v.dump").string() + " id type vx vy vz modify sort id format float %.17g\n",
        "vel");
    amorph::system<3> ls = s;
    ls.enable_velocities();
    {
        std::ifstream du(dir / "v.dump");
        std::string line;
        while (std::getline(du, line) && line.rfind("ITEM: ATOMS", 0) != 0) {
        }
        for (std::size_t i = 0; i < n; ++i) {
            long id;
            int t;
            du >> id >> t;
            for (int a = 0; a < 3; ++a) du >> ls.velocities(a, static_cast<Eigen::Index>(id - 1));
        }
        REQUIRE(du);
    }
    create_velocities(s, 500.0, 87287);
    // amorph's velocities: exactly at T, no net momentum (as LAMMPS's `mom yes`, read back here too)
    CHECK(temperature(s) == Approx(500.0).epsilon(1e-12));
    CHECK(momentum(s).norm() < 1e-9);
    CHECK(temperature(ls) == Approx(500.0).epsilon(1e-12));
    CHECK(momentum(ls).norm() < 1e-9);
    const auto a = per_species(s, 500.0), b = per_species(ls, 500.0);
    for (int t = 0; t < 2; ++t) {
        const double se = std::sqrt(2.0 / static_cast<double>(a[t].n));
        std::cout << "[velocity] species " << t << "  <m v^2>/kT amorph " << a[t].m2 << " LAMMPS " << b[t].m2
                  << "  kurtosis amorph " << a[t].m4 << " LAMMPS " << b[t].m4 << "\n";
        CHECK(std::abs(a[t].m2 - b[t].m2) < 5 * std::sqrt(2.0) * se);
        CHECK(std::abs(a[t].m4 - b[t].m4) < 5 * std::sqrt(2.0 * 96.0 / static_cast<double>(a[t].n)));
    }
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(lmp.dir);
}
