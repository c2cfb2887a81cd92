// make_potential / parse_pair_commands / presets: every style from LAMMPS
// lines gives bitwise the same results as the directly built potential, type
// ranges and mixing follow LAMMPS, errors name the command; the preset lines
// reproduce LAMMPS.
#include "helpers.hpp"
#include "lammps_peer.hpp"
#include "potentials.hpp"

#include <amorph/potential/factory.hpp>
#include <amorph/potential/presets.hpp>

#include <catch2/catch.hpp>

using namespace amorph;
using namespace amorph::potential;
using namespace amorph::test;

namespace {

template <int D>
amorph::system<D> cell(double density, std::size_t n, double rmin, std::vector<double> fr, std::uint64_t seed) {
    const double l = std::pow(static_cast<double>(n) / density, 1.0 / D);
    mat<D> h = mat<D>::Identity() * l;
    h(0, 1) = 0.2 * l;
    return random_system<D>(box<D>(h), n, fr, rmin, seed);
}

template <int D, class P>
void same_result(const any_potential& a, const P& p, const amorph::system<D>& s) {
    const auto ra = compute(a, s, compute_options::all());
    const auto rp = compute(p, s, compute_options::all());
    CHECK(ra.energy == rp.energy);
    CHECK(ra.forces == rp.forces);
    CHECK(ra.virial == rp.virial);
    CHECK(ra.energy_per_atom == rp.energy_per_atom);
    CHECK(ra.virial_per_atom == rp.virial_per_atom);
}

}  // namespace

TEST_CASE("parse_pair_commands", "[potential]") {
    const auto s = parse_pair_commands("# comment\npair_style lj/cut 2.5   # trailing\n\npair_coeff 1 1 1.0 1.0\n"
                                       "pair_coeff 1*2 2 0.5 0.9 2.0\npair_modify shift yes mix arithmetic\n");
    CHECK(s.pair_style == std::vector<std::string>{"lj/cut", "2.5"});
    REQUIRE(s.pair_coeff.size() == 2);
    CHECK(s.pair_coeff[1] == std::vector<std::string>{"1*2", "2", "0.5", "0.9", "2.0"});
    CHECK(s.pair_modify.front() == std::vector<std::string>{"shift", "yes", "mix", "arithmetic"});
    const auto k = parse_pair_commands("pair_style coul/long 8\npair_coeff * *\nkspace_style pppm 1e-5\n"
                                       "kspace_modify mesh 8 8 8 order 4\n");
    CHECK(k.kspace_style == std::vector<std::string>{"pppm", "1e-5"});
    CHECK(k.kspace_modify.front() == std::vector<std::string>{"mesh", "8", "8", "8", "order", "4"});
    try {
        parse_pair_commands("pair_style lj/cut 2.5\nread_data x.data\n", "pot.in");
        FAIL("no exception");
    } catch (const parse_error& e) {
        CHECK(e.file() == "pot.in");
        CHECK(e.line() == 2);
        CHECK(e.field() == "read_data");
    }
    CHECK_THROWS_AS(parse_pair_commands("pair_style lj/cut 2.5\npair_style buck 3\n"), parse_error);
}

TEST_CASE("make_potential: pair styles equal the directly built potentials", "[potential]") {
    const auto s3 = cell<3>(0.9, 80, 0.85, {0.7, 0.3}, 1);
    const std::string lj = "pair_coeff 1 1 1.0 1.0 2.5\npair_coeff 2 2 0.5 0.88 2.2\npair_coeff 1 2 1.5 0.8 2.0\n";
    SECTION("lj/cut") {
        const auto a = make_potential("pair_style lj/cut 2.5\n" + lj, 2);
        CHECK(a.style() == "lj/cut");
        CHECK_FALSE(a.needs_full_list());
        CHECK(a.cutoff() == 2.5);
        same_result(a, models::lj3d_truncated(), s3);
    }
    SECTION("lj/cut shift yes") {
        same_result(make_potential("pair_style lj/cut 2.5\n" + lj + "pair_modify shift yes\n", 2), models::lj3d_shifted(), s3);
    }
    SECTION("lj/smooth/linear") {
        same_result(make_potential("pair_style lj/smooth/linear 2.5\n" + lj, 2), models::lj3d_shifted_force(), s3);
    }
    SECTION("global cutoff, type ranges, later lines override, arithmetic mixing") {
        const auto a = make_potential("pair_style lj/cut 2.2\npair_coeff * * 9 9\npair_coeff 1 1 1.0 1.0 2.5\n"
                                      "pair_coeff 2*2 2* 0.5 0.88\npair_modify mix arithmetic shift yes\n",
                                      2);
        pair_table<lj_coeff> t(2);
        t.set(0, 0, {1.0, 1.0, 2.5});
        t.set(1, 1, {0.5, 0.88, 2.2});
        t.set(0, 1, {9, 9, 2.2});  // set by "* *" and never overridden
        same_result(a, make_pair_potential(shifted(lennard_jones(t))), s3);
        const auto b = make_potential("pair_style lj/cut 2.2\npair_coeff 1 1 1.0 1.0 2.5\npair_coeff 2 2 0.5 0.88\n"
                                      "pair_modify mix arithmetic\n",
                                      2);
        pair_table<lj_coeff> u(2);
        u.set(0, 0, {1.0, 1.0, 2.5});
        u.set(1, 1, {0.5, 0.88, 2.2});
        u.set(0, 1, {std::sqrt(0.5), 0.94, 2.35});
        same_result(b, make_pair_potential(truncated(lennard_jones(u))), s3);
    }
    SECTION("buck") {
        pair_table<buck_coeff> t(2);
        t.set(0, 0, {3.1571e7, 0.068, 14.051, 6.0});
        t.set(0, 1, {28477.0, 0.172, 34.578, 6.0});
        t.set(1, 1, {6462.69, 0.276, 85.093, 5.0});
        const auto a = make_potential("pair_style buck 6.0\npair_coeff 1 1 3.1571e7 0.068 14.051\n"
                                      "pair_coeff 1 2 28477.0 0.172 34.578\npair_coeff 2 2 6462.69 0.276 85.093 5.0\n"
                                      "pair_modify shift yes\n",
                                      2);
        same_result(a, make_pair_potential(shifted(buckingham(t))), cell<3>(0.09, 80, 1.6, {0.4, 0.6}, 2));
    }
    SECTION("2D") {
        same_result(make_potential(presets::lj2d_binary_lammps("sf"), 2), presets::lj2d_binary(),
                    cell<2>(1.0243, 100, 0.75, {4, 3.236}, 3));
        same_result(make_potential(presets::lj2d_binary_lammps("shift"), 2), presets::lj2d_binary<shifted>(),
                    cell<2>(1.0243, 100, 0.75, {4, 3.236}, 3));
        same_result(make_potential(presets::lj2d_binary_lammps("cut"), 2), presets::lj2d_binary<truncated>(),
                    cell<2>(1.0243, 100, 0.75, {4, 3.236}, 3));
    }
}

TEST_CASE("the alox-matsui preset is Matsui's parameters converted", "[potential]") {
    // the preset's Buckingham lines (and shared/peers/lammps/alox) print 5 significant digits
    const auto& m = presets::find_model("alox-matsui");
    const auto spec = parse_pair_commands(m.lammps);
    REQUIRE(spec.pair_coeff.size() == 3);
    const presets::matsui_parameters* sp[2] = {&presets::matsui_al, &presets::matsui_o};
    for (const auto& c : spec.pair_coeff) {
        const int i = std::stoi(c[0]) - 1, j = std::stoi(c[1]) - 1;
        const auto d = presets::matsui_buckingham(*sp[i], *sp[j], 10.0);
        INFO("pair " << i + 1 << " " << j + 1 << ": derived A " << d.a << " rho " << d.rho << " C " << d.c);
        CHECK(std::stod(c[2]) == Approx(d.a).epsilon(5e-5));
        CHECK(std::stod(c[3]) == Approx(d.rho).epsilon(1e-12));
        CHECK(std::stod(c[4]) == Approx(d.c).epsilon(5e-5));
    }
    const auto species = presets::alox_matsui_species();
    CHECK(2 * species[0].charge + 3 * species[1].charge == Approx(0.0).margin(1e-12));  // Al2O3 is neutral
}

TEST_CASE("make_potential: many-body styles", "[potential]") {
    const std::string dir = models::lammps_potentials;
    const auto cuzr = cell<3>(0.058, 60, 2.2, {0.5, 0.5}, 4);
    SECTION("eam/fs") {
        const auto a = make_potential("pair_style eam/fs\npair_coeff * * " + dir + "CuZr_mm.eam.fs Cu Zr\n", 2);
        CHECK(a.masses() == std::vector<double>{63.546, 91.224});
        same_result(a, models::cuzr_fs(), cuzr);
    }
    SECTION("eam/alloy") {
        same_result(make_potential("pair_style eam/alloy\npair_coeff * * " + dir + "CuNi.eam.alloy Cu Ni\n", 2),
                    models::cuni_alloy(), cell<3>(0.08, 60, 2.0, {0.5, 0.5}, 5));
    }
    SECTION("eam funcfl") {
        same_result(make_potential("pair_style eam\npair_coeff 1 1 " + dir + "Cu_u3.eam\npair_coeff 2 2 " + dir +
                                       "Ni_u3.eam\n",
                                   2),
                    models::cuni_funcfl(), cell<3>(0.08, 60, 2.0, {0.5, 0.5}, 6));
        // "* *" maps every type to the file
        const auto a = make_potential("pair_style eam\npair_coeff * * " + dir + "Cu_u3.eam\n", 3);
        CHECK(a.masses().size() == 3);
    }
    SECTION("sw") {
        const auto a = make_potential("pair_style sw\npair_coeff * * " + dir + "GaN.sw Ga N\n", 2);
        CHECK(a.needs_full_list());
        same_result(a, models::gan_sw(), cell<3>(0.07, 60, 1.75, {0.5, 0.5}, 7));
    }
}

TEST_CASE("make_potential: errors", "[potential]") {
    const std::string dir = models::lammps_potentials;
    CHECK_THROWS_AS(make_potential("pair_style lj/cut/coul/msm 2.5\n", 1), unsupported);
    CHECK_THROWS_AS(make_potential("pair_style lj/cut/coul/long 2.5\n", 1), invalid_argument);  // no pair_coeff
    CHECK_THROWS_AS(make_potential("pair_style coul/long 8\npair_coeff * *\nkspace_style pppm 1e-5\n"
                                   "kspace_modify mesh 8 8\n", 1), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style coul/long 8\npair_coeff * *\nkspace_style pppm 1e-5\n"
                                   "kspace_modify order 9\n", 1), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style coul/long 8\npair_coeff * *\nkspace_style ewald 1e-5\n"
                                   "kspace_modify slab 3.0\n", 1), unsupported);
    CHECK_THROWS_AS(make_potential("pair_style hybrid/overlay buck 6 coul/dsf 0.2 8\npair_coeff 1 1 buck 1 0.1 1\n", 1),
                    invalid_argument);  // no pair_coeff for coul/dsf
    CHECK_THROWS_AS(make_potential("pair_style hybrid/overlay eam coul/dsf 0.2 8\n", 1), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style coul/dsf 0.2\npair_coeff * *\n", 1), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_coeff 1 1 1 1\n", 1), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style lj/cut\npair_coeff 1 1 1 1\n", 1), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style lj/cut 2.5\npair_coeff 1 3 1 1\n", 2), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style lj/cut 2.5\npair_coeff 1 1 one 1\n", 1), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style lj/cut 2.5\npair_coeff 1 1 1 1\n", 2), invalid_argument);  // 2 2 unset
    CHECK_THROWS_AS(make_potential("pair_style lj/cut 2.5\npair_coeff 1 1 1 1\npair_modify tail yes\n", 1), unsupported);
    CHECK_THROWS_AS(make_potential("pair_style buck 5\npair_coeff 1 1 1 0.1 1\npair_coeff 2 2 1 0.1 1\n", 2),
                    invalid_argument);  // buck does not mix
    CHECK_THROWS_AS(make_potential("pair_style eam/fs\npair_coeff * * " + dir + "CuZr_mm.eam.fs Cu\n", 2), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style eam/fs\npair_coeff * * " + dir + "CuZr_mm.eam.fs Cu Al\n", 2),
                    invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style eam/fs\npair_coeff * * " + dir + "CuZr_mm.eam.fs Cu NULL\n", 2), unsupported);
    CHECK_THROWS_AS(make_potential("pair_style eam/alloy\npair_coeff * * /nonexistent.eam.alloy Cu\n", 1), io_error);
    CHECK_THROWS_AS(make_potential("pair_style sw\npair_coeff * * " + dir + "Si.sw Ge\n", 1), invalid_argument);
    CHECK_THROWS_AS(make_potential("pair_style eam\npair_coeff 1 1 " + dir + "Cu_u3.eam\n", 2), invalid_argument);
    try {
        make_potential("pair_style lj/cut 2.5\npair_coeff 1 1 1.0 x\n", 1);
        FAIL("no exception");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()).find("pair_coeff 1 1 1.0 x") != std::string::npos);
    }
}

TEST_CASE("potential file errors name the file and line", "[potential]") {
    const auto dir = lammps_workdir("badfiles");
    {
        std::ofstream f(dir / "bad.eam.alloy");
        f << "c1\nc2\nc3\n1 Cu\n10 0.1 10 0.1 2.0\n29 63.5 3.6 fcc\n1 2 3 4 5\n6 7 8 oops 10\n";
    }
    try {
        eam::alloy((dir / "bad.eam.alloy").string(), {"Cu"});
        FAIL("no exception");
    } catch (const parse_error& e) {
        CHECK(e.line() == 8);
        CHECK(e.field() == "Cu F(rho)");
    }
    {
        std::ofstream f(dir / "short.sw");
        f << "Si Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.333333333333\n 7.049556277 0.6022245584 4.0\n";
    }
    CHECK_THROWS_AS(stillinger_weber::from_file((dir / "short.sw").string(), {"Si"}), parse_error);
    std::filesystem::remove_all(dir);
}
