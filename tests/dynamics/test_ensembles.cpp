// Long statistical validation of the integrators (LABELS long):
//   NVE energy drift (2D LJ shifted force dt = 0.005 over 1e5 steps; Cu-Zr
//   EAM dt = 2 fs over 1e4 steps), NVT canonical mean and variance of the
//   kinetic temperature (Var T / T^2 = 2 / dof), NPT mean pressure at the
//   target and sane volume fluctuations.
#include "ensemble_stats.hpp"
#include "lammps_md.hpp"

#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/nose_hoover.hpp>
#include <amorph/dynamics/run.hpp>
#include <amorph/dynamics/velocity.hpp>
#include <amorph/dynamics/verlet.hpp>

#include <catch2/catch.hpp>

#include <iostream>
#include <numeric>

using namespace amorph;
using namespace amorph::dynamics;
using namespace amorph::test;


TEST_CASE("NVE energy drift: 2D LJ shifted force, dt = 0.005, 1e5 steps", "[dynamics][nve][long]") {
    auto sys = test::read_fixture<2>("lj2d_glass.data", units::lj);
    // re-thermalize the glass at T = 0.2 (below T_g = 0.325)
    create_velocities(sys, 0.2, 11);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    velocity_verlet<2> nve;
    md_state<velocity_verlet<2>> st;
    recorder<2> rec;
    rec.every = 100;
    run(sys, ff, nve, st, {.steps = 100000, .dt = 0.005}, rec);
    double drift = 0;
    for (double e : rec.e) drift = std::max(drift, std::abs(e - rec.e.front()) / std::abs(rec.e.front()));
    const double slope = (blocks(std::vector<double>(rec.e.end() - 100, rec.e.end()), 100).mean -
                          blocks(std::vector<double>(rec.e.begin(), rec.e.begin() + 100), 100).mean) /
                         std::abs(rec.e.front());
    std::cout << "[NVE 2D LJ, 1e5 steps] max |E(t) - E(0)| / |E(0)| = " << drift
              << "  (mean of the last 1% - first 1%) / |E| = " << slope << "\n";
    CHECK(drift < 1e-4);
    // no systematic drift: the block means at the start and the end agree
    // (8.3e-7 seen; a force that is not the gradient of the energy drifts by far more)
    CHECK(std::abs(slope) < 1e-5);
}

TEST_CASE("NVE energy drift: Cu-Zr EAM, dt = 2 fs, 1e4 steps", "[dynamics][nve][long]") {
    auto sys = test::read_fixture<3>("cuzr_liquid.data", units::metal);
    auto ff = make_force_field<3>(test::cuzr_eam(), 2.0);
    velocity_verlet<3> nve;
    md_state<velocity_verlet<3>> st;
    recorder<3> rec;
    rec.every = 10;
    run(sys, ff, nve, st, {.steps = 10000, .dt = 0.002}, rec);
    double drift = 0;
    for (double e : rec.e) drift = std::max(drift, std::abs(e - rec.e.front()) / std::abs(rec.e.front()));
    std::cout << "[NVE CuZr 2000 K, 1e4 steps] max |E(t) - E(0)| / |E(0)| = " << drift << "\n";
    CHECK(drift < 1e-4);
}

TEST_CASE("NVT: canonical mean and variance of the kinetic temperature", "[dynamics][nvt][long]") {
    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    const double T = 0.4;
    nose_hoover<2> nh(nvt(T, T, 0.5));
    md_state<nose_hoover<2>> st;
    recorder<2> rec;
    rec.every = 5;
    rec.skip = 10000;
    run(sys, ff, nh, st, {.steps = 210000, .dt = 0.005}, rec);
    const double dof = degrees_of_freedom(sys);
    const auto [m, v] = temperature_moments(rec.t, T, 1000);
    std::cout << "[NVT 2D LJ N=500 T=0.4] <T> = " << m.mean << " +- " << m.err << "   Var(T)/T^2 = " << v.mean
              << " +- " << v.err << "  (canonical 2/dof = " << 2.0 / dof << ")\n";
    CHECK(std::abs(m.mean - T) < 4 * m.err + 1e-4 * T);
    CHECK(std::abs(v.mean - 2.0 / dof) < 4 * v.err + 0.02 * 2.0 / dof);
}

TEST_CASE("NPT: mean pressure at the target, sane volume fluctuations", "[dynamics][npt][long]") {
    SECTION("2D LJ iso") {
        auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
        auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
        const double P = 3.0;
        nose_hoover<2> nh(npt(0.4, 0.4, 0.5, barostat_params::iso(P, P, 2.0)));
        md_state<nose_hoover<2>> st;
        recorder<2> rec;
        rec.every = 5;
        rec.skip = 20000;
        run(sys, ff, nh, st, {.steps = 220000, .dt = 0.005}, rec);
        const auto p = blocks(rec.p, 2000);
        const auto v = blocks(rec.vol, 2000);
        double var = 0;
        for (double x : rec.vol) var += (x - v.mean) * (x - v.mean);
        const double sd = std::sqrt(var / static_cast<double>(rec.vol.size()));
        std::cout << "[NPT 2D LJ iso P=3] <P> = " << p.mean << " +- " << p.err << "  <A> = " << v.mean << " +- "
                  << v.err << "  sd(A)/<A> = " << sd / v.mean << "\n";
        CHECK(std::abs(p.mean - P) < 4 * p.err + 0.005 * P);
        CHECK(sd / v.mean > 1e-3);
        CHECK(sd / v.mean < 0.05);
    }
    SECTION("Cu-Zr EAM aniso, 2000 K, 0 bar") {
        auto sys = test::read_fixture<3>("cuzr_liquid.data", units::metal);
        auto ff = make_force_field<3>(test::cuzr_eam(), 2.0);
        nose_hoover<3> nh(npt(2000, 2000, 0.1, barostat_params::aniso(0.0, 0.0, 1.0)));
        md_state<nose_hoover<3>> st;
        recorder<3> rec;
        rec.every = 2;
        rec.skip = 2000;
        run(sys, ff, nh, st, {.steps = 22000, .dt = 0.002}, rec);
        const auto p = blocks(rec.p, 1000);
        const auto v = blocks(rec.vol, 1000);
        std::cout << "[NPT CuZr aniso 0 bar] <P> = " << p.mean << " +- " << p.err << " bar  <V> = " << v.mean
                  << " +- " << v.err << "\n";
        CHECK(std::abs(p.mean) < 4 * p.err + 50.0);
    }
}
