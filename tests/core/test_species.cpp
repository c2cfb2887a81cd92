#include "amorph/core/species.hpp"
#include "amorph/core/units.hpp"

#include <catch2/catch.hpp>

using namespace amorph;

TEST_CASE("element masses fill species named by symbol", "[core][species]") {
    auto s = species_list::from_names({"Cu", "Zr", "S"});
    CHECK(s[0].mass == Approx(63.546));
    CHECK(s[1].mass == Approx(91.224));
    CHECK(s.index("Zr") == 1);
    CHECK(atomic_number("Al") == 13);
    CHECK_FALSE(element_mass("L").has_value());
    CHECK_THROWS_AS(s.add("Cu"), invalid_argument);
}

TEST_CASE("rename keeps masses read from a file", "[core][species]") {
    auto s = species_list::numbered(2);
    s[0].mass = 1.0;
    s.rename({"S", "L"});  // 2D LJ glass names: S is not sulfur here, its mass came from the file
    CHECK(s[0].name == "S");
    CHECK(s[0].mass == 1.0);
    CHECK_FALSE(s[1].has_mass());
    CHECK_THROWS_AS(s.rename({"A"}), invalid_argument);
}

TEST_CASE("unit constants are LAMMPS's", "[core][units]") {
    CHECK(units::metal.boltz == 8.617343e-5);
    CHECK(units::metal.mvv2e * units::metal.ftm2v == Approx(1.0));
    CHECK(units::by_name("lj").boltz == 1.0);
    // real: LAMMPS's update.cpp (kcal/mol, A, fs, atm); checked against lmp in tests/cli [units]
    const auto& r = units::by_name("real");
    CHECK(r.boltz == 0.0019872067);
    CHECK(r.mvv2e == 48.88821291 * 48.88821291);
    CHECK(r.mvv2e * r.ftm2v == Approx(1.0));
    CHECK(r.nktv2p == 68568.415);
    CHECK(r.qqr2e == 332.06371);
    CHECK(r.dt == 1.0);
    CHECK(units::pressure_unit(r, 3) == "atm");
    CHECK(units::pressure_unit(units::lj, 2) == "epsilon/sigma^2");
    CHECK(units::force_unit(units::metal) == "eV/A");
    CHECK(units::lj.reduced());
    CHECK_FALSE(r.reduced());
    CHECK_THROWS_AS(units::by_name("si"), invalid_argument);
}
