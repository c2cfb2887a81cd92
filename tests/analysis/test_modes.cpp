// Normal modes: the fcc Lennard-Jones crystal against analytic lattice
// dynamics, the sparse solvers against the dense one on a minimized 2D glass,
// participation and the density of states.
#include "../potential/helpers.hpp"
#include "../potential/potentials.hpp"

#include <amorph/analysis/modes.hpp>
#include <amorph/core/lattice.hpp>
#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/minimize.hpp>
#include <amorph/potential/hessian.hpp>

#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

using namespace amorph;
using namespace amorph::analysis;
using namespace amorph::test;

namespace {

template <int D>
std::vector<double> masses_of(const amorph::system<D>& s) {
    std::vector<double> m(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) m[i] = s.mass(i);
    return m;
}

/// A 2D binary LJ glass of n atoms: random positions minimized by CG.
amorph::system<2> glass2d(std::size_t n, std::uint64_t seed) {
    const double l = std::sqrt(static_cast<double>(n) / 1.0243);
    auto s = random_system<2>(box<2>(mat<2>::Identity() * l), n, {4.0, 1 + std::sqrt(5.0)}, 0.8, seed);
    auto ff = dynamics::make_force_field<2>(models::lj2d_shifted_force(), 0.3);
    dynamics::min_options mo;
    mo.ftol = 1e-10;
    mo.max_iterations = 20000;
    const auto r = dynamics::minimize(s, ff, dynamics::conjugate_gradient<2>{}, mo);
    REQUIRE(r.fnorm_inf < 1e-9);  // ~800 CG iterations
    return s;
}

}  // namespace

TEST_CASE("modes: an fcc LJ crystal has the phonons of analytic lattice dynamics", "[analysis][modes]") {
    // lj/cut 2.5 sigma, eps = sigma = m = 1, a = 1.55 sigma; 3 x 3 x 3 conventional cells
    const int nc = 3;
    const double a = 1.55, rc = 2.5;
    potential::pair_table<potential::lj_coeff> t(1);
    t.set(0, 0, {1.0, 1.0, rc});
    const auto pot = potential::make_pair_potential(potential::truncated(potential::lennard_jones(t)));
    auto s = make_crystal<3>(lattices::fcc(a), {nc, nc, nc}, species_list::numbered(1));
    s.species[0].mass = 1.0;
    const auto M = dynamical_matrix(potential::hessian<3>(pot, s), masses_of(s), 3);
    modes_options o;
    o.zero_modes = 3;
    o.lowest = 3 * s.size() - 3;
    o.solver = modes_solver::dense;
    const auto modes = lowest_modes(M, o);
    REQUIRE(modes.eigenvalues.size() == static_cast<Eigen::Index>(3 * s.size()));

    // D(q) = sum_R [phi'' R^ R^T + phi'/r (I - R^ R^T)] (1 - cos q.R) over the
    // lattice vectors R within rc, phi of lj/cut in closed form
    auto dphi = [](double r) { return 4.0 * (-12.0 * std::pow(r, -13) + 6.0 * std::pow(r, -7)); };
    auto d2phi = [](double r) { return 4.0 * (156.0 * std::pow(r, -14) - 42.0 * std::pow(r, -8)); };
    std::vector<Eigen::Vector3d> lat;
    const int span = static_cast<int>(std::ceil(rc / a)) + 1;
    for (int x = -2 * span; x <= 2 * span; ++x)
        for (int y = -2 * span; y <= 2 * span; ++y)
            for (int z = -2 * span; z <= 2 * span; ++z) {
                if ((x + y + z) % 2 != 0) continue;  // fcc: integer combinations of (1,1,0) a/2 ...
                const Eigen::Vector3d R = 0.5 * a * Eigen::Vector3d(x, y, z);
                const double r = R.norm();
                if (r > 0 && r < rc) lat.push_back(R);
            }
    std::vector<double> analytic;
    // q = 2 pi / (nc a) (h, k, l), h, k, l in [0, 2 nc): every distinct q twice
    for (int h = 0; h < 2 * nc; ++h)
        for (int k = 0; k < 2 * nc; ++k)
            for (int l = 0; l < 2 * nc; ++l) {
                const Eigen::Vector3d q = 2.0 * std::numbers::pi / (nc * a) * Eigen::Vector3d(h, k, l);
                Eigen::Matrix3d Dq = Eigen::Matrix3d::Zero();
                for (const auto& R : lat) {
                    const double r = R.norm();
                    const Eigen::Vector3d u = R / r;
                    const Eigen::Matrix3d K = d2phi(r) * u * u.transpose() +
                                              dphi(r) / r * (Eigen::Matrix3d::Identity() - u * u.transpose());
                    Dq += K * (1.0 - std::cos(q.dot(R)));
                }
                Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> es(Dq);
                for (int c = 0; c < 3; ++c) analytic.push_back(es.eigenvalues()(c));
            }
    std::sort(analytic.begin(), analytic.end());
    REQUIRE(analytic.size() == 2 * 3 * s.size());
    const double scale = analytic.back();
    double err = 0.0;
    for (std::size_t k = 0; k < 3 * s.size(); ++k) {
        CHECK(analytic[2 * k] == Approx(analytic[2 * k + 1]).margin(1e-9 * scale));
        err = std::max(err, std::abs(modes.eigenvalues(static_cast<Eigen::Index>(k)) - analytic[2 * k]) / scale);
    }
    INFO("largest |omega^2 - analytic| / max omega^2 = " << err);
    CHECK(err < 1e-10);
    // the three translations: zero, and evenly spread over the atoms (PR = 1)
    CHECK(modes.eigenvalues.head(3).cwiseAbs().maxCoeff() < 1e-10 * scale);
    const auto pr = participation_ratio(modes, 3);
    CHECK(pr.head(3).minCoeff() == Approx(1.0).epsilon(1e-10));
    // the density of states of the whole spectrum integrates to 1
    const auto [centre, g] = vibrational_dos(modes.eigenvalues, 50, 3 * s.size());
    CHECK(g.sum() * (centre(1) - centre(0)) == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("modes: shift-invert and Lanczos find the dense solver's lowest modes of a 2D glass", "[analysis][modes]") {
    static const auto s = glass2d(300, 41);
    const auto M = dynamical_matrix(potential::hessian<2>(models::lj2d_shifted_force(), s), masses_of(s), 2);
    modes_options o;
    o.zero_modes = 2;
    o.lowest = 12;
    o.solver = modes_solver::dense;
    const auto dense = lowest_modes(M, o);
    CHECK(dense.solver == "dense");
    CHECK(dense.eigenvalues.head(2).cwiseAbs().maxCoeff() < 1e-9);
    CHECK(dense.eigenvalues(2) > 1e-6);  // a minimum: no soft direction but translations
    for (auto how : {modes_solver::shift_invert, modes_solver::lanczos}) {
        o.solver = how;
        o.max_iterations = 100000;
        const auto sp = lowest_modes(M, o);
        INFO(sp.solver);
        REQUIRE(sp.eigenvalues.size() == dense.eigenvalues.size());
        const double scale = dense.eigenvalues.cwiseAbs().maxCoeff();
        CHECK((sp.eigenvalues - dense.eigenvalues).cwiseAbs().maxCoeff() < 1e-8 * scale);
        // orthonormal, and the non-degenerate modes equal the dense ones up to sign
        const Eigen::MatrixXd gram = sp.vectors.transpose() * sp.vectors;
        CHECK((gram - Eigen::MatrixXd::Identity(gram.rows(), gram.cols())).cwiseAbs().maxCoeff() < 1e-10);
        for (Eigen::Index k = 2; k < sp.eigenvalues.size(); ++k)
            CHECK(std::abs(sp.vectors.col(k).dot(dense.vectors.col(k))) == Approx(1.0).epsilon(1e-7));
        // participation in the 12 modes: per-atom, sums to 12, the same as the dense one's
        const auto p = participation_fraction(sp, 2), pd = participation_fraction(dense, 2);
        double sum = 0.0, diff = 0.0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            sum += p[i];
            diff = std::max(diff, std::abs(p[i] - pd[i]));
        }
        CHECK(sum == Approx(12.0).epsilon(1e-10));
        CHECK(diff < 1e-7);
    }
}

TEST_CASE("modes: the number of modes and the masses are checked", "[analysis][modes]") {
    const auto s = random_system<2>(box<2>(mat<2>::Identity() * 6.0), 30, {1.0, 1.0}, 0.8, 42);
    SECTION("the fraction of the non-zero modes, rounded up") {
        modes_options f;
        f.zero_modes = 2;
        f.fraction = 0.01;
        CHECK(modes_wanted(f, 600) == 6);
        f.fraction = 0.0;
        CHECK_THROWS_WITH(modes_wanted(f, 600), Catch::Contains("fraction in (0, 1]"));
        f.lowest = 599;
        CHECK_THROWS_WITH(modes_wanted(f, 600), Catch::Contains("599 modes asked of 598"));
    }
    SECTION("bad masses and sizes are refused") {
        auto m = masses_of(s);
        m[7] = 0.0;
        CHECK_THROWS_WITH(dynamical_matrix(potential::hessian<2>(models::lj2d_shifted_force(), s), m, 2),
                          Catch::Contains("atom 7 has no positive mass"));
        m.pop_back();
        CHECK_THROWS_WITH(dynamical_matrix(potential::hessian<2>(models::lj2d_shifted_force(), s), m, 2),
                          Catch::Contains("not D N"));
    }
}
