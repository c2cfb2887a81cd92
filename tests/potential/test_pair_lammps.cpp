// Peer test: pair potentials (lj/cut, lj/cut + shift, lj/smooth/linear, buck)
// against LAMMPS `run 0`, in 2D and 3D, on the configurations of configs.hpp.
#include "configs.hpp"

#include <amorph/neighbor/verlet_list.hpp>
#include <amorph/potential/buckingham.hpp>
#include <amorph/potential/compute.hpp>
#include <amorph/potential/cutoff.hpp>
#include <amorph/potential/lennard_jones.hpp>
#include <amorph/potential/factory.hpp>
#include <amorph/potential/pair.hpp>
#include <amorph/potential/presets.hpp>

#include <catch2/catch.hpp>

#include <iostream>

using namespace amorph;
using namespace amorph::potential;
using namespace amorph::test;

namespace {

constexpr double tolerance = 1e-10;

template <int D, class P>
void run_all(const P& pot, const std::string& pair_lines, const model_scale& m, const std::string& label) {
    const auto cfgs = standard_configs<D>(m);
    std::vector<lammps_case> cases;
    for (const auto& cfg : cfgs) {
        cases.push_back(cfg.base);
        cases.back().pair_lines = pair_lines;
    }
    const auto refs = run_lammps(cases, label);
    for (std::size_t k = 0; k < cfgs.size(); ++k) {
        const auto sys = system_from<D>(cases[k], refs[k]);
        neighbor::verlet_list<D, neighbor::half_t> nl(pot.cutoff(), 0.3);
        nl.build(sys.box, sys.positions);
        const auto r = compute(pot, sys, nl, compute_options::all());
        const auto e = compare(sys, r, refs[k]);
        std::cout << label << " " << D << "D " << cfgs[k].name << " (N=" << sys.size() << "): " << e << "\n";
        INFO(label << " " << cfgs[k].name << ": " << e);
        CHECK(e.worst() <= tolerance);
    }
}

// 3D binary LJ with distinct per-pair eps, sigma and cutoffs (1-2 given explicitly).
pair_table<lj_coeff> lj3d_table() {
    pair_table<lj_coeff> t(2);
    t.set(0, 0, {1.0, 1.0, 2.5});
    t.set(1, 1, {0.5, 0.88, 2.2});
    t.set(0, 1, {1.5, 0.8, 2.0});
    return t;
}
const std::string lj3d_coeffs =
    "pair_coeff 1 1 1.0 1.0 2.5\npair_coeff 2 2 0.5 0.88 2.2\npair_coeff 1 2 1.5 0.8 2.0\n";

model_scale lj3d_scale() {
    return {"lj", 0.9, 0.85, 2.5, {0.8, 0.2}, {1.0, 1.0}, 1.5, 0.2, 0.004, 200};
}

// The Lancon / Falk-Langer 2D mixture at full precision.
pair_table<lj_coeff> lj2d_table() {
    const double pi = std::acos(-1.0);
    const double sss = 2 * std::sin(pi / 10), sll = 2 * std::sin(pi / 5);
    pair_table<lj_coeff> t(2);
    t.set(0, 0, {0.5, sss, 2.5 * sss});
    t.set(1, 1, {0.5, sll, 2.5 * sll});
    t.set(0, 1, {1.0, 1.0, 2.5});
    return t;
}
std::string lj2d_coeffs() {
    const auto t = lj2d_table();
    std::string s;
    for (auto [i, j] : {std::pair{0, 0}, std::pair{1, 1}, std::pair{0, 1}})
        s += "pair_coeff " + std::to_string(i + 1) + " " + std::to_string(j + 1) + " " + fmt17(t(i, j).epsilon) + " " +
             fmt17(t(i, j).sigma) + " " + fmt17(t(i, j).cutoff) + "\n";
    return s;
}
model_scale lj2d_scale() {
    // N_L : N_S = (1 + sqrt 5) : 4, number density 1.0243
    const double nl = 1 + std::sqrt(5.0), ns = 4;
    return {"lj", 1.0243, 0.75, 2.5 * 2 * std::sin(std::acos(-1.0) / 5), {ns, nl}, {1.0, 1.0}, 0.5, 0.05, 0.004, 250};
}

}  // namespace

TEST_CASE("lj/cut 3D matches LAMMPS", "[potential][peer]") {
    run_all<3>(make_pair_potential(truncated(lennard_jones(lj3d_table()))), "pair_style lj/cut 2.5\n" + lj3d_coeffs,
               lj3d_scale(), "ljcut");
}

TEST_CASE("lj/cut shift yes 3D matches LAMMPS", "[potential][peer]") {
    run_all<3>(make_pair_potential(shifted(lennard_jones(lj3d_table()))),
               "pair_style lj/cut 2.5\n" + lj3d_coeffs + "pair_modify shift yes\n", lj3d_scale(), "ljshift");
}

TEST_CASE("lj/smooth/linear 3D matches LAMMPS", "[potential][peer]") {
    run_all<3>(make_pair_potential(shifted_force(lennard_jones(lj3d_table()))),
               "pair_style lj/smooth/linear 2.5\n" + lj3d_coeffs, lj3d_scale(), "ljsf");
}

TEST_CASE("lj/cut 2D binary glass matches LAMMPS", "[potential][peer]") {
    run_all<2>(make_pair_potential(truncated(lennard_jones(lj2d_table()))), "pair_style lj/cut 2.5\n" + lj2d_coeffs(),
               lj2d_scale(), "lj2dcut");
}

TEST_CASE("lj/cut shift yes 2D binary glass matches LAMMPS", "[potential][peer]") {
    run_all<2>(make_pair_potential(shifted(lennard_jones(lj2d_table()))),
               "pair_style lj/cut 2.5\n" + lj2d_coeffs() + "pair_modify shift yes\n", lj2d_scale(), "lj2dshift");
}

TEST_CASE("lj/smooth/linear 2D binary glass matches LAMMPS", "[potential][peer]") {
    run_all<2>(make_pair_potential(shifted_force(lennard_jones(lj2d_table()))),
               "pair_style lj/smooth/linear 2.5\n" + lj2d_coeffs(), lj2d_scale(), "lj2dsf");
}

TEST_CASE("lj/cut with geometric mixing matches LAMMPS", "[potential][peer]") {
    pair_table<lj_coeff> t(2);
    t.set(0, 0, {1.0, 1.0, 2.5});
    t.set(1, 1, {0.6, 1.2, 3.0});
    run_all<3>(make_pair_potential(shifted(lennard_jones(t))),
               "pair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\npair_coeff 2 2 0.6 1.2 3.0\npair_modify shift yes\n",
               lj3d_scale(), "ljmix");
}

namespace {
// The short-range part of the Matsui (1994) Al2O3 model in Buckingham form (eV, A).
pair_table<buck_coeff> matsui_table(double rc) {
    pair_table<buck_coeff> t(2);
    t.set(0, 0, {3.1571e7, 0.068, 14.051, rc});
    t.set(0, 1, {28477.0, 0.172, 34.578, rc});
    t.set(1, 1, {6462.69, 0.276, 85.093, rc});
    return t;
}
const std::string matsui_coeffs =
    "pair_coeff 1 1 3.1571e7 0.068 14.051\npair_coeff 1 2 28477.0 0.172 34.578\npair_coeff 2 2 6462.69 0.276 85.093\n";
model_scale alox_scale() {
    return {"metal", 0.0965, 1.6, 8.0, {0.4, 0.6}, {26.9815385, 15.999}, 1500, 300, 0.001, 200, 200, 200};
}
}  // namespace

TEST_CASE("buck (Matsui Al2O3 short range) matches LAMMPS", "[potential][peer]") {
    run_all<3>(make_pair_potential(truncated(buckingham(matsui_table(8.0)))), "pair_style buck 8.0\n" + matsui_coeffs,
               alox_scale(), "buck");
}

TEST_CASE("buck shift yes, per-pair cutoffs, matches LAMMPS", "[potential][peer]") {
    auto t = matsui_table(8.0);
    t.set(0, 0, {3.1571e7, 0.068, 14.051, 5.5});
    run_all<3>(make_pair_potential(shifted(buckingham(t))),
               "pair_style buck 8.0\n" + matsui_coeffs + "pair_coeff 1 1 3.1571e7 0.068 14.051 5.5\npair_modify shift yes\n",
               alox_scale(), "buckshift");
}

TEST_CASE("buck in 2D matches LAMMPS", "[potential][peer]") {
    model_scale m = alox_scale();
    m.density = 0.2;
    m.cutoff = 6.0;
    run_all<2>(make_pair_potential(shifted(buckingham(matsui_table(6.0)))),
               "pair_style buck 6.0\n" + matsui_coeffs + "pair_modify shift yes\n", m, "buck2d");
}

TEST_CASE("preset lj2d-binary matches LAMMPS and the peers' input files", "[potential][peer]") {
    // one random 2D configuration of the preset's composition and density
    const double ns = 4, nl = 1 + std::sqrt(5.0);
    const double rho = presets::lj2d_number_density();
    const double l = std::sqrt(300 / rho);
    auto s = random_system<2>(box<2>(mat<2>::Identity() * l), 300, {ns, nl}, 0.75, 21);
    s.species = presets::lj2d_binary_species();
    CHECK(s.species[0].name == "S");
    CHECK(s.species[1].name == "L");
    // the peers' pot_sf.in (10-digit sigmas) through the factory
    const std::string peer_sf = "pair_style      lj/smooth/linear 2.5\n"
                                "pair_coeff      1 1 0.5 0.6180339887 1.5450849719\n"
                                "pair_coeff      2 2 0.5 1.1755705046 2.9389262615\n"
                                "pair_coeff      1 2 1.0 1.0          2.5\n";
    std::vector<lammps_case> cases{case_from(s, "lj", presets::lj2d_binary_lammps("sf")), case_from(s, "lj", peer_sf)};
    const auto refs = run_lammps(cases, "preset");
    const auto sys0 = system_from<2>(cases[0], refs[0]);
    const auto e0 = compare(sys0, compute(presets::lj2d_binary(), sys0, compute_options::all()), refs[0]);
    INFO("preset: " << e0);
    CHECK(e0.worst() <= 1e-10);
    const auto sys1 = system_from<2>(cases[1], refs[1]);
    const auto e1 = compare(sys1, compute(make_potential(peer_sf, 2), sys1, compute_options::all()), refs[1]);
    INFO("peer pot_sf.in: " << e1);
    CHECK(e1.worst() <= 1e-10);
    // and the 10-digit file differs from the exact model by ~1e-10 relative only
    const auto exact = compute(presets::lj2d_binary(), sys1);
    CHECK(std::abs(exact.energy - refs[1].pe) / std::abs(refs[1].pe) < 1e-8);
}

TEST_CASE("pair_sum (LJ + Buckingham in one loop) matches LAMMPS hybrid/overlay", "[potential][peer]") {
    pair_table<buck_coeff> b(2);
    b.set(0, 0, {100.0, 0.3, 1.0, 2.0});
    b.set(0, 1, {80.0, 0.25, 0.5, 1.8});
    b.set(1, 1, {60.0, 0.3, 0.8, 2.0});
    const auto pot = make_pair_potential(pair_sum(shifted(lennard_jones(lj3d_table())), truncated(buckingham(b))));
    run_all<3>(pot,
               "pair_style hybrid/overlay lj/cut 2.5 buck 2.0\n"
               "pair_coeff 1 1 lj/cut 1.0 1.0 2.5\npair_coeff 2 2 lj/cut 0.5 0.88 2.2\npair_coeff 1 2 lj/cut 1.5 0.8 2.0\n"
               "pair_coeff 1 1 buck 100.0 0.3 1.0\npair_coeff 1 2 buck 80.0 0.25 0.5 1.8\npair_coeff 2 2 buck 60.0 0.3 0.8\n"
               "pair_modify pair lj/cut shift yes\n",
               lj3d_scale(), "hybrid");
}
