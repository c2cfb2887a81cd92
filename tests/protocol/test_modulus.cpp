// Shear modulus from small strains (protocol/modulus.hpp):
//  * athermal, LJ fcc (a Bravais lattice: no internal relaxation) against
//    the analytic lattice sum G = (1/V) sum_pairs [(phi'' - phi'/r) x^2 y^2 / r^2
//    + phi' y^2 / r] (d sigma_xy / d gamma of sigma_xy = (1/V) sum phi' x y / r);
//  * (test_modulus_lammps.cpp: SW diamond Si against LAMMPS);
//  * thermal (NVT, T = 0.005 epsilon) LJ fcc against the T = 0 lattice sum,
//    within the reported statistical error plus 2 % (thermal softening);
//  * Born route: the numerical Born term against the analytic pair sum on a
//    disordered configuration; the affine modulus of fcc against the lattice
//    sum and the strain route; the Born + stress-fluctuation G of hot fcc
//    (T = 0.25 epsilon, fixed volume) against the thermal strain route at the
//    same T, within the errors, with a fluctuation term that is many errors
//    large.
#include "vibration_common.hpp"

#include <amorph/dynamics/force_field.hpp>
#include <amorph/protocol/modulus.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace amorph;

namespace {

/// Lattice sums of shifted-force LJ for the xy plane (energy / volume):
/// born = (1/V) sum_pairs (phi'' - phi'/r) x^2 y^2 / r^2 and the
/// configurational stress sigma_yy = (1/V) sum_pairs phi' y^2 / r.
struct lattice_sums {
    double born = 0.0, sigma_yy = 0.0;
    double g() const { return born + sigma_yy; }  // d sigma_xy / d gamma of x += gamma y
};

lattice_sums lj_sf_sums(const amorph::system<3>& s, double rc) {
    auto dphi = [](double r) { return -48.0 * std::pow(r, -13) + 24.0 * std::pow(r, -7); };
    auto d2phi = [](double r) { return 624.0 * std::pow(r, -14) - 168.0 * std::pow(r, -8); };
    const double dphic = dphi(rc);
    const mat<3> h = s.box.h();
    lattice_sums t;
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
                        t.born += 0.5 * (p2 - p1 / r) * x * x * y * y / (r * r);  // 0.5: pairs twice
                        t.sigma_yy += 0.5 * p1 * y * y / r;
                    }
    t.born /= s.box.volume();
    t.sigma_yy /= s.box.volume();
    return t;
}

double lj_sf_lattice_g(const amorph::system<3>& s, double rc) { return lj_sf_sums(s, rc).g(); }

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
                   << ", T = " << r.temperature_mean << " +- " << r.temperature_error);
    CHECK(r.error > 0.0);
    CHECK(r.error < 0.03 * g0);
    CHECK(std::abs(r.modulus - g0) < 4 * r.error + 0.02 * g0);
    // Nose-Hoover NVT: the mean kinetic T is the target within its block error
    CHECK(r.temperature_error > 0.0);
    CHECK(r.temperature_error < 0.02 * 0.005);
    CHECK(std::abs(r.temperature_mean - 0.005) < 4 * r.temperature_error);
}

TEST_CASE("numerical Born term equals the analytic pair sum off the lattice", "[protocol][modulus]") {
    auto s = test::lj_fcc(4, 1.56);
    std::mt19937_64 rng(7);
    std::normal_distribution<double> jitter(0.0, 0.06);
    for (Eigen::Index i = 0; i < s.positions.size(); ++i) s.positions.data()[i] += jitter(rng);
    auto ff = dynamics::make_force_field<3>(test::lj_sf_1type(), 0.3);
    ff.options().virial = true;
    amorph::system<3> scratch = s;
    const double born = protocol::detail::born_term(s, ff, scratch, 0, 1, 1e-5);
    const auto t = lj_sf_sums(s, test::lj_cut);
    INFO("numerical " << born << " analytic " << t.born);
    CHECK(born == Approx(t.born).epsilon(1e-7));
    // the configurational stress of the same force field, for the record of the sign
    const auto& r = ff.compute(s);
    CHECK(-r.virial(1, 1) / s.box.volume() == Approx(t.sigma_yy).epsilon(1e-10));
}

TEST_CASE("affine G of LJ fcc equals the lattice sum and the strain route", "[protocol][modulus]") {
    auto s = test::lj_fcc(4, 1.50);  // compressed: sigma_yy != 0, so the stress term is checked too
    auto ff = dynamics::make_force_field<3>(test::lj_sf_1type(), 0.3);
    protocol::shear_modulus_options o;
    o.strain = 1e-4;
    const auto r = protocol::affine_shear_modulus(s, ff, o);
    const auto strain = protocol::athermal_shear_modulus(s, ff, o);
    const auto t = lj_sf_sums(s, test::lj_cut);
    INFO("affine " << r.modulus << " (Born " << r.planes[0].born << ", stress " << r.planes[0].stress
                   << "), strain route " << strain.modulus << ", lattice sum " << t.g() << " = " << t.born << " + "
                   << t.sigma_yy);
    REQUIRE(r.planes.size() == 3);
    CHECK(std::abs(t.sigma_yy) > 0.1 * t.g());
    for (const auto& p : r.planes) {
        CHECK(p.born == Approx(t.born).epsilon(1e-7));
        CHECK(p.stress == Approx(t.sigma_yy).epsilon(1e-9));
        CHECK(p.modulus == Approx(strain.modulus).epsilon(1e-6));
        CHECK(p.fluctuation == 0.0);
    }
}

TEST_CASE("Born + fluctuation G of hot LJ fcc equals the thermal strain route", "[protocol][modulus]") {
    auto s = test::lj_fcc(4, 1.56);
    auto ff = dynamics::make_force_field<3>(test::lj_sf_1type(), 0.3);
    protocol::shear_modulus_options o;
    o.temperature = 0.25;
    o.equilibration = 1000;
    o.steps = 10000;
    o.sample_every = 10;
    o.blocks = 10;
    const auto born = protocol::born_shear_modulus(s, ff, o);
    o.strain = 0.02;
    const auto strain = protocol::thermal_shear_modulus(s, ff, o);
    const double g0 = lj_sf_lattice_g(s, test::lj_cut);
    const auto& p = born.planes[0];
    INFO("Born route " << born.modulus << " +- " << born.error << " (xy: Born " << p.born << " - fluct "
                       << p.fluctuation << " + kin " << p.kinetic << " + stress " << p.stress << "), strain route "
                       << strain.modulus << " +- " << strain.error << ", G(T = 0) " << g0 << "; T = "
                       << born.temperature_mean << ", " << born.samples << " samples");
    CHECK(born.samples == 1000);
    CHECK(born.temperature_mean == Approx(0.25).epsilon(0.05));
    CHECK(born.error > 0.0);
    CHECK(born.error < 0.03 * g0);
    const double e = std::hypot(born.error, strain.error);
    CHECK(std::abs(born.modulus - strain.modulus) < 3 * e);
    for (const auto& q : born.planes) {
        CHECK(q.fluctuation > 10 * e);  // without it the routes disagree
        CHECK(q.modulus == Approx(q.born - q.fluctuation + q.kinetic + q.stress).epsilon(1e-12));
    }
}
