// Velocity initialization: exact temperature, zero momentum, determinism,
// Maxwell-Boltzmann statistics (against the analytic distribution and against
// LAMMPS `velocity create ... dist gaussian mom yes`).
#include <amorph/dynamics/kinetic.hpp>
#include <amorph/dynamics/velocity.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>

using namespace amorph;
using namespace amorph::dynamics;
#include "velocity_common.hpp"
using namespace amorph::test;

TEMPLATE_TEST_CASE_SIG("create_velocities: exact T, zero momentum, deterministic", "[dynamics][velocity]", ((int D), D),
                       2, 3) {
    auto s = two_species<D>(1000, 63.546, 91.224);
    create_velocities(s, 300.0, 42);
    CHECK(temperature(s) == Approx(300.0).epsilon(1e-14));
    CHECK(momentum(s).norm() < 1e-12 * std::sqrt(sum_mv2(s) * 100.0));
    auto s2 = two_species<D>(1000, 63.546, 91.224);
    create_velocities(s2, 300.0, 42);
    CHECK(s2.velocities == s.velocities);
    auto s3 = two_species<D>(1000, 63.546, 91.224);
    create_velocities(s3, 300.0, 43);
    CHECK(s3.velocities != s.velocities);
    // storage order does not matter: velocities follow ids
    auto s4 = two_species<D>(1000, 63.546, 91.224);
    std::vector<std::size_t> order(1000);
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = (k * 7919) % 1000;
    s4.permute(order);
    create_velocities(s4, 300.0, 42);
    s4.sort_by_id();
    CHECK((s4.velocities - s.velocities).cwiseAbs().maxCoeff() < 1e-13 * s.velocities.cwiseAbs().maxCoeff());
    // T = 0
    create_velocities(s4, 0.0, 1);
    CHECK(s4.velocities.isZero());
    // dof with nothing removed
    create_velocities(s4, 10.0, 1, {.zero_momentum = false, .dof_removed = 0});
    CHECK(temperature(s4, D * 1000.0) == Approx(10.0).epsilon(1e-14));
}

TEST_CASE("create_velocities: Maxwell-Boltzmann per species", "[dynamics][velocity]") {
    auto s = two_species<3>(60000, 1.0, 4.0);
    create_velocities(s, 500.0, 2024);
    const auto m = per_species(s, 500.0);
    for (int t = 0; t < 2; ++t) {
        // <m v_a^2> / kT = 1 (equipartition) up to the dof correction (N D - D)/(N D);
        // standard error of the mean of chi^2_1 samples sqrt(2/n)
        const double se = std::sqrt(2.0 / static_cast<double>(m[t].n));
        CHECK(std::abs(m[t].m2 - 1.0) < 5 * se);
        // Gaussian kurtosis 3, standard error ~ sqrt(96/n)
        CHECK(std::abs(m[t].m4 - 3.0) < 5 * std::sqrt(96.0 / static_cast<double>(m[t].n)));
    }
}

