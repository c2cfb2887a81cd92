// The Hessian of every potential family against central differences of the
// forces (themselves equal to LAMMPS's to round-off, test_*_lammps.cpp), in
// 2D and 3D, tilted cells and cells narrower than twice the cutoff; symmetry,
// the acoustic sum rule and independence of the thread count.
#include "helpers.hpp"
#include "potentials.hpp"

#include <amorph/core/units.hpp>
#include <amorph/potential/factory.hpp>
#include <amorph/potential/hessian.hpp>

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <cmath>
#include <string>

using namespace amorph;
using namespace amorph::potential;
using namespace amorph::test;

namespace {

struct hessian_errors {
    double fd = 0, asym = 0, sum_rule = 0, scale = 0;
};

/// Max over all entries of |H - H_fd| / max|H|, with H_fd the central
/// difference of the forces with step delta; asymmetry and row sums likewise.
template <class P, int D>
hessian_errors errors_of(const P& p, const amorph::system<D>& s, double delta) {
    const sparse_hessian H = hessian<D>(p, s);
    const auto dim = static_cast<Eigen::Index>(D * s.size());
    REQUIRE(H.rows() == dim);
    REQUIRE(H.cols() == dim);
    const Eigen::MatrixXd Hd(H);
    hessian_errors e;
    e.scale = Hd.cwiseAbs().maxCoeff();
    e.asym = (Hd - Hd.transpose()).cwiseAbs().maxCoeff() / e.scale;
    for (int b = 0; b < D; ++b) {
        Eigen::VectorXd t = Eigen::VectorXd::Zero(dim);
        for (std::size_t i = 0; i < s.size(); ++i) t(static_cast<Eigen::Index>(D * i + b)) = 1.0;
        e.sum_rule = std::max(e.sum_rule, (Hd * t).cwiseAbs().maxCoeff() / e.scale);
    }
    compute_options o;
    o.virial = false;
    for (Eigen::Index c = 0; c < dim; ++c) {
        amorph::system<D> q = s;
        const Eigen::Index atom = c / D;
        const int a = static_cast<int>(c % D);
        q.positions(a, atom) += delta;
        const auto fp = compute(p, q, o).forces;
        q.positions(a, atom) -= 2 * delta;
        const auto fm = compute(p, q, o).forces;
        const Eigen::VectorXd col = -(Eigen::Map<const Eigen::VectorXd>(fp.data(), dim) -
                                      Eigen::Map<const Eigen::VectorXd>(fm.data(), dim)) /
                                    (2 * delta);
        e.fd = std::max(e.fd, (col - Hd.col(c)).cwiseAbs().maxCoeff() / e.scale);
    }
    return e;
}

template <class P, int D>
void check_hessian(const P& p, const amorph::system<D>& s, double delta, double tol = 1e-6) {
    const auto e = errors_of(p, s, delta);
    INFO("fd " << e.fd << " asym " << e.asym << " sum rule " << e.sum_rule << " scale " << e.scale);
    CHECK(e.scale > 0);
    CHECK(e.fd < tol);
    CHECK(e.asym < 1e-12);
    CHECK(e.sum_rule < 1e-10);
}

/// Matsui Al2O3 charges on a random cell: the first 2/5 of the atoms Al (+1.4175), the rest O.
amorph::system<3> alumina_cell(std::size_t n, double l, std::uint64_t seed) {
    mat<3> h = mat<3>::Identity() * l;
    h(0, 1) = 0.15 * l;
    auto s = random_system<3>(box<3>(h), n, {0.5, 0.5}, 1.6, seed);
    s.units = &units::metal;
    s.enable_charges();
    for (std::size_t i = 0; i < n; ++i) {
        s.types[i] = 5 * i < 2 * n ? 0 : 1;
        s.charges[i] = s.types[i] == 0 ? 1.4175 : -0.945;
    }
    s.species[0].mass = 26.98;
    s.species[1].mass = 16.00;
    return s;
}

any_potential alumina(const std::string& coul_lines) {
    return make_potential(parse_pair_commands(coul_lines +
                                                  "pair_coeff 1 1 3.1571e7 0.068 14.051\n"
                                                  "pair_coeff 1 2 28477.0 0.172 34.578\n"
                                                  "pair_coeff 2 2 6462.69 0.276 85.093\n",
                                              "test"),
                          2);
}

}  // namespace

TEST_CASE("hessian: pair potentials equal central differences of the forces", "[potential][hessian]") {
    SECTION("3D LJ, tilted cell, every cutoff treatment") {
        const auto s = ordinary_cell<3>(0.9, 80, 0.85, {0.7, 0.3}, 0.2, 21);
        check_hessian(models::lj3d_truncated(), s, 1e-6);
        check_hessian(models::lj3d_shifted(), s, 1e-6);
        check_hessian(models::lj3d_shifted_force(), s, 1e-6);
    }
    SECTION("3D LJ, cell narrower than twice the cutoff") {
        check_hessian(models::lj3d_shifted_force(), small_cell<3>(3.2, 25, 0.85, {0.5, 0.5}, 22), 1e-6);
    }
    SECTION("2D binary LJ (lj2d), tilted and small cells") {
        check_hessian(models::lj2d_shifted_force(), ordinary_cell<2>(1.0243, 120, 0.75, {4.0, 1 + std::sqrt(5.0)}, 0.3, 23), 1e-6);
        check_hessian(models::lj2d_shifted(), small_cell<2>(4.0, 16, 0.75, {1, 1}, 24), 1e-6);
    }
    SECTION("Buckingham (Matsui), 3D and 2D") {
        check_hessian(models::matsui_buck(), ordinary_cell<3>(0.09, 80, 1.6, {0.4, 0.6}, 0.1, 25), 1e-6);
        check_hessian(models::matsui_buck(), ordinary_cell<2>(0.2, 80, 1.6, {0.4, 0.6}, 0.1, 26), 1e-6);
    }
}

// The splines' second derivatives jump at the grid points (every 7.6e-4 A for
// CuZr_mm): a central difference that straddles one is off by O(delta), so
// the step is 1e-7 A (1e-6 gives 3e-6 on the 2D case, 1e-5 gives 3e-5).
TEST_CASE("hessian: EAM equals central differences of the forces", "[potential][hessian]") {
    static const auto cuzr = models::cuzr_fs();
    const double delta = 1e-7;
    SECTION("eam/fs Cu-Zr, tilted cell") { check_hessian(cuzr, ordinary_cell<3>(0.06, 70, 2.2, {0.5, 0.5}, 0.2, 27), delta); }
    SECTION("eam/fs Cu-Zr, small cell") { check_hessian(cuzr, small_cell<3>(9.0, 40, 2.2, {0.5, 0.5}, 28), delta); }
    SECTION("eam/alloy Cu-Ni") {
        check_hessian(models::cuni_alloy(), ordinary_cell<3>(0.08, 60, 2.0, {0.5, 0.5}, -0.3, 29), delta);
    }
    SECTION("eam/fs Cu-Zr in 2D") { check_hessian(cuzr, ordinary_cell<2>(0.1, 60, 2.2, {0.5, 0.5}, 0.2, 30), delta); }
}

TEST_CASE("hessian: Stillinger-Weber equals central differences of the forces", "[potential][hessian]") {
    static const auto si = models::si_sw();
    static const auto gan = models::gan_sw();
    SECTION("Si") { check_hessian(si, ordinary_cell<3>(0.05, 80, 2.0, {1.0}, 0.2, 31), 1e-6); }
    SECTION("GaN (three-body parameters per triplet)") {
        check_hessian(gan, ordinary_cell<3>(0.07, 80, 1.75, {0.5, 0.5}, -0.2, 32), 1e-6);
    }
    SECTION("Si small cell") { check_hessian(si, small_cell<3>(5.0, 8, 2.0, {1.0}, 33), 1e-6); }
    SECTION("Si 2D") { check_hessian(si, ordinary_cell<2>(0.12, 60, 2.0, {1.0}, 0.2, 34), 1e-6); }
}

TEST_CASE("hessian: Coulomb terms equal central differences of the forces", "[potential][hessian][coulomb]") {
    const auto s = alumina_cell(60, 9.5, 35);
    SECTION("buck/coul/cut") { check_hessian(alumina("pair_style buck/coul/cut 6.0 7.0\n"), s, 1e-6); }
    SECTION("buck + coul/dsf") {
        check_hessian(make_potential(parse_pair_commands("pair_style hybrid/overlay buck 6.0 coul/dsf 0.25 7.0\n"
                                                         "pair_coeff 1 1 buck 3.1571e7 0.068 14.051\n"
                                                         "pair_coeff 1 2 buck 28477.0 0.172 34.578\n"
                                                         "pair_coeff 2 2 buck 6462.69 0.276 85.093\n"
                                                         "pair_coeff * * coul/dsf\n",
                                                         "test"),
                                     2),
                      s, 1e-6);
    }
    SECTION("buck + coul/wolf") {
        check_hessian(make_potential(parse_pair_commands("pair_style hybrid/overlay buck 6.0 coul/wolf 0.25 7.0\n"
                                                         "pair_coeff 1 1 buck 3.1571e7 0.068 14.051\n"
                                                         "pair_coeff 1 2 buck 28477.0 0.172 34.578\n"
                                                         "pair_coeff 2 2 buck 6462.69 0.276 85.093\n"
                                                         "pair_coeff * * coul/wolf\n",
                                                         "test"),
                                     2),
                      s, 1e-6);
    }
    SECTION("buck/coul/long + ewald (LAMMPS's erfc)") {
        check_hessian(alumina("pair_style buck/coul/long 6.0 4.5\nkspace_style ewald 1.0e-6\n"), s, 1e-6);
    }
    SECTION("buck/coul/long + pppm: the Ewald sum's Hessian, to PPPM's accuracy") {
        const auto e = errors_of(alumina("pair_style buck/coul/long 6.0 4.5\nkspace_style pppm 1.0e-6\n"), s, 1e-6);
        INFO("fd " << e.fd << " asym " << e.asym << " sum rule " << e.sum_rule);
        CHECK(e.fd < 1e-4);
        CHECK(e.sum_rule < 1e-10);
    }
}

TEST_CASE("hessian: the same matrix for any number of threads", "[potential][hessian]") {
    static const auto cuzr = models::cuzr_fs();
    const auto s = ordinary_cell<3>(0.06, 150, 2.2, {0.5, 0.5}, 0.2, 36);
    sparse_hessian h1, h2;
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
        h1 = hessian<3>(cuzr, s);
    }
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
        h2 = hessian<3>(cuzr, s);
    }
    REQUIRE(h1.nonZeros() == h2.nonZeros());
    CHECK(std::equal(h1.valuePtr(), h1.valuePtr() + h1.nonZeros(), h2.valuePtr()));
    CHECK(std::equal(h1.innerIndexPtr(), h1.innerIndexPtr() + h1.nonZeros(), h2.innerIndexPtr()));
}

TEST_CASE("hessian: refuses what it cannot do with one clear error", "[potential][hessian]") {
    auto s = ordinary_cell<3>(0.9, 20, 0.85, {0.7, 0.3}, 0.0, 37);
    s.types[0] = 5;
    CHECK_THROWS_WITH(hessian<3>(models::lj3d_shifted_force(), s), Catch::Contains("atom type 5 has no parameters"));
    auto q = alumina_cell(60, 9.5, 38);
    hessian_options o;
    o.max_dense_atoms = 50;
    CHECK_THROWS_WITH(hessian<3>(alumina("pair_style buck/coul/long 6.0 4.5\nkspace_style ewald 1.0e-6\n"), q, o),
                      Catch::Contains("exceed the limit of 50"));
}
