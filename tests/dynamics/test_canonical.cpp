// A short check of the canonical ensemble (label numeric, a few seconds; the
// long versions are in test_ensembles.cpp): Nose-Hoover NVT of the 2D LJ
// liquid fixture (N = 500, T = 0.4, Tdamp 0.5, 40,000 steps sampled): the
// mean kinetic temperature is T and its relative variance is the canonical
// 2 / dof, each within four standard errors of block averages (blocks of
// 2,000 steps, about 40 thermostat periods).
#include "ensemble_stats.hpp"
#include "lammps_md.hpp"

#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/nose_hoover.hpp>
#include <amorph/dynamics/run.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>

using namespace amorph;
using namespace amorph::dynamics;
using namespace amorph::test;

TEST_CASE("NVT: canonical mean and variance of the kinetic temperature (short)", "[dynamics][nvt]") {
    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    const double T = 0.4;
    const nose_hoover<2> nh(nvt(T, T, 0.5));
    md_state<nose_hoover<2>> st;
    recorder<2> rec;
    rec.every = 5;
    rec.skip = 2000;
    run(sys, ff, nh, st, {.steps = 42000, .dt = 0.005}, rec);
    REQUIRE(rec.t.size() == 8001);
    rec.t.pop_back();
    const double dof = degrees_of_freedom(sys);
    const auto [m, v] = temperature_moments(rec.t, T, 400);
    std::cout << "[NVT 2D LJ N=500 T=0.4, 40k steps] <T> = " << m.mean << " +- " << m.err << "   Var(T)/T^2 = " << v.mean
              << " +- " << v.err << "  (canonical 2/dof = " << 2.0 / dof << ")\n";
    CHECK(std::abs(m.mean - T) < 4 * m.err);
    CHECK(std::abs(v.mean - 2.0 / dof) < 4 * v.err);
    CHECK(v.err < 0.15 * 2.0 / dof);  // the check has teeth: the error bar is small against the value
}
