// Shear modulus from small strains (protocol/modulus.hpp):
//  * athermal, LJ fcc (a Bravais lattice: no internal relaxation) against
//    the analytic lattice sum G = (1/V) sum_pairs [(phi'' - phi'/r) x^2 y^2 / r^2
//    + phi' y^2 / r] (d sigma_xy / d gamma of sigma_xy = (1/V) sum phi' x y / r);
//  * (test_modulus_lammps.cpp: SW diamond Si against LAMMPS);
//  * thermal (NVT, T = 0.005 epsilon) LJ fcc against the T = 0 lattice sum,
//    within the reported statistical error plus 2 % (thermal softening).
#include "vibration_common.hpp"

#include <amorph/dynamics/force_field.hpp>
#include <amorph/protocol/modulus.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace amorph;

namespace {

double lj_sf_lattice_g(const amorph::system<3>& s, double rc) {
    auto dphi = [](double r) { return -48.0 * std::pow(r, -13) + 24.0 * std::pow(r, -7); };
    auto d2phi = [](double r) { return 624.0 * std::pow(r, -14) - 168.0 * std::pow(r, -8); };
    const double dphic = dphi(rc);
    const mat<3> h = s.box.h();
    double g = 0.0;
    const auto n = static_cast<Eigen::Index>(s.size());
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j)
            for (int a = -2; a <= 2; ++a)
                for (int b = -2; b <= 2; ++b)
                    for (int c = -2; c <= 2; ++c) {
                        const vec<3> d = s.positions.col(j) - s.positions.col(i) + h * vec<3>(a, b, c);
                        const double r = d.norm();
                        if (r >= rc || r < 1e-9) continue;
                        const double p1 = dphi(r) - dphic, p2 = d2phi(r);
                        const double x = d(0), y = d(1);
                        g += 0.5 * ((p2 - p1 / r) * x * x * y * y / (r * r) + p1 * y * y / r);  // 0.5: pairs twice
                    }
    return g / s.box.volume();
}

}  // namespace

TEST_CASE("athermal G of LJ fcc equals the analytic lattice sum", "[protocol][modulus]") {
    auto s = test::lj_fcc(4, 1.56);
    auto ff = dynamics::make_force_field<3>(test::lj_sf_1type(), 0.3);
    protocol::shear_modulus_options o;
    o.strain = 1e-4;
    const auto r = protocol::athermal_shear_modulus(s, ff, o);
    const double g = lj_sf_lattice_g(s, test::lj_cut);
    INFO("G = " << r.modulus << " analytic " << g);
    REQUIRE(r.planes.size() == 3);
    for (const auto& p : r.planes) CHECK(p.modulus == Approx(g).epsilon(1e-6));  // cubic: C44 on every plane
    CHECK(r.spread < 1e-6 * g);
}

TEST_CASE("thermal G of LJ fcc at low T agrees with the T = 0 value", "[protocol][modulus]") {
    auto s = test::lj_fcc(4, 1.56);
    auto ff = dynamics::make_force_field<3>(test::lj_sf_1type(), 0.3);
    protocol::shear_modulus_options o;
    o.strain = 0.01;
    o.temperature = 0.005;
    o.equilibration = 400;
    o.steps = 2000;
    o.sample_every = 5;
    o.blocks = 5;
    const auto r = protocol::thermal_shear_modulus(s, ff, o);
    const double g0 = lj_sf_lattice_g(s, test::lj_cut);
    INFO("G(T) = " << r.modulus << " +- " << r.error << " (spread " << r.spread << "), G(0) = " << g0
                   << ", T = " << r.temperature_mean);
    CHECK(r.error > 0.0);
    CHECK(r.error < 0.03 * g0);
    CHECK(std::abs(r.modulus - g0) < 4 * r.error + 0.02 * g0);
    CHECK(r.temperature_mean == Approx(0.005).epsilon(0.15));
}
