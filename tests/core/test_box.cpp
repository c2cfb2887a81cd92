#include "amorph/core/box.hpp"
#include "amorph/core/lammps_cell.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <random>

using namespace amorph;

namespace {

// Shortest image by brute force over every lattice offset n that could beat d
// itself: |d + h n| < |d| needs |h n| < 2|d|, so |n_k| <= 2 |d| |row k of h^-1|.
template <int D>
vec<D> brute_minimum_image(const box<D>& b, const vec<D>& d) {
    std::array<int, 3> r{0, 0, 0};
    for (int k = 0; k < D; ++k)
        if (b.periodic(k)) r[k] = static_cast<int>(2.0 * d.norm() * b.h_inv().row(k).norm()) + 1;
    vec<D> best = d;
    ivec<D> n;
    for (int i = -r[0]; i <= r[0]; ++i)
        for (int j = -r[1]; j <= r[1]; ++j)
            for (int k = -r[2]; k <= r[2]; ++k) {
                n(0) = i;
                n(1) = j;
                if constexpr (D == 3) n(2) = k;
                const vec<D> c = d + b.h() * n.template cast<double>();
                if (c.squaredNorm() < best.squaredNorm()) best = c;
            }
    return best;
}

template <int D>
box<D> random_cell(std::mt19937_64& rng, double max_tilt) {
    std::uniform_real_distribution<double> len(0.5, 4.0), tilt(-max_tilt, max_tilt);
    mat<D> h = mat<D>::Zero();
    for (int k = 0; k < D; ++k) h(k, k) = len(rng);
    for (int c = 1; c < D; ++c)
        for (int r = 0; r < c; ++r) h(r, c) = tilt(rng) * h(c, c);
    // A random rotation makes the cell "general" (not LAMMPS's restricted form).
    Eigen::Matrix<double, D, D> q = Eigen::Matrix<double, D, D>::Random();
    Eigen::HouseholderQR<Eigen::Matrix<double, D, D>> qr(q);
    mat<D> R = qr.householderQ();
    if (R.determinant() < 0) R.col(0) *= -1;
    vec<D> o = vec<D>::Random();
    return box<D>(R * h, o);
}

}  // namespace

TEMPLATE_TEST_CASE_SIG("minimum image is exact for strongly tilted general cells", "[core][box]",
                       ((int D), D), 2, 3) {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(-6.0, 6.0);
    for (int trial = 0; trial < 200; ++trial) {
        const double max_tilt = trial < 100 ? 0.5 : 3.0;  // up to tilt factor 3 (~72 degrees)
        const box<D> b = random_cell<D>(rng, max_tilt);
        for (int s = 0; s < 20; ++s) {
            vec<D> d;
            for (int k = 0; k < D; ++k) d(k) = u(rng);
            const vec<D> got = b.minimum_image(d);
            const vec<D> ref = brute_minimum_image(b, d);
            REQUIRE(got.norm() == Approx(ref.norm()).margin(1e-12));
            // got must differ from d by a lattice vector
            const vec<D> n = b.h_inv() * (got - d);
            for (int k = 0; k < D; ++k) REQUIRE(n(k) == Approx(std::round(n(k))).margin(1e-9));
        }
    }
}

TEST_CASE("minimum image respects non-periodic axes", "[core][box]") {
    const box<3> b = box<3>::orthogonal(vec<3>(0, 0, 0), vec<3>(2, 2, 2), {true, false, true});
    const vec<3> d(1.9, 1.9, -1.9);
    const vec<3> m = b.minimum_image(d);
    CHECK(m(0) == Approx(-0.1));
    CHECK(m(1) == Approx(1.9));
    CHECK(m(2) == Approx(0.1));
}

TEMPLATE_TEST_CASE_SIG("fractional coordinates and wrapping", "[core][box]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 50; ++trial) {
        const box<D> b = random_cell<D>(rng, 1.0);
        const vec<D> x = 10.0 * vec<D>::Random();
        ivec<D> img;
        const vec<D> w = b.wrap(x, &img);
        const vec<D> s = b.to_fractional(w);
        for (int k = 0; k < D; ++k) {
            CHECK(s(k) >= 0.0);
            CHECK(s(k) < 1.0);
        }
        const vec<D> back = w + b.h() * img.template cast<double>();
        CHECK((back - x).norm() < 1e-12);
        CHECK((b.to_cartesian(b.to_fractional(x)) - x).norm() < 1e-12);
    }
    // A point a hair below a face wraps to 0, not to 1.
    const box<D> unit;
    vec<D> x = vec<D>::Zero();
    x(0) = -1e-18;
    CHECK(unit.to_fractional(unit.wrap(x))(0) == 0.0);
}

TEST_CASE("box rejects degenerate and left-handed cells", "[core][box]") {
    mat<3> h = mat<3>::Identity();
    h(2, 2) = 0.0;
    CHECK_THROWS_AS(box<3>(h), invalid_argument);
    h(2, 2) = -1.0;
    CHECK_THROWS_AS(box<3>(h), invalid_argument);
    mat<2> nan2 = mat<2>::Identity();
    nan2(0, 1) = std::nan("");
    CHECK_THROWS_AS(box<2>(nan2), invalid_argument);
}

TEMPLATE_TEST_CASE_SIG("LAMMPS form round trip with rotation", "[core][box]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(3);
    for (int trial = 0; trial < 50; ++trial) {
        const box<D> b = random_cell<D>(rng, 0.8);
        const auto lf = to_lammps(b);
        const mat<D> R = lf.rotation;
        CHECK((R * R.transpose() - mat<D>::Identity()).norm() < 1e-12);
        CHECK(R.determinant() == Approx(1.0));
        const box<D> lb = from_lammps<D>(lf.bounds);
        // The LAMMPS cell is the rotated general cell.
        CHECK((lb.h() - R * b.h()).norm() < 1e-12 * b.h().norm());
        CHECK(lb.volume() == Approx(b.volume()));
        // Restricted form: lower-triangular entries are zero.
        for (int r = 0; r < D; ++r)
            for (int c = 0; c < r; ++c) CHECK(std::abs(lb.h()(r, c)) < 1e-15);
    }
}

TEST_CASE("reduced tilt gives an equivalent cell within LAMMPS bounds", "[core][box]") {
    mat<3> h;
    h << 3.0, 7.4, -5.2,  //
        0.0, 2.0, 4.9,    //
        0.0, 0.0, 1.5;
    const box<3> b(h);
    const box<3> r = with_reduced_tilt(b);
    const auto L = to_lammps(r).bounds;
    CHECK(std::abs(L.xy) <= 0.5 * (L.xhi - L.xlo) + 1e-12);
    CHECK(std::abs(L.xz) <= 0.5 * (L.xhi - L.xlo) + 1e-12);
    CHECK(std::abs(L.yz) <= 0.5 * (L.yhi - L.ylo) + 1e-12);
    CHECK(r.volume() == Approx(b.volume()));
    // Same lattice: each new cell vector is an integer combination of the old.
    const mat<3> n = b.h_inv() * r.h();
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) CHECK(n(i, j) == Approx(std::round(n(i, j))).margin(1e-9));
}

TEST_CASE("deformation about the cell center", "[core][box]") {
    const box<2> b = box<2>::orthogonal(vec<2>(1, 2), vec<2>(5, 4));
    mat<2> F = mat<2>::Identity();
    F(0, 1) = 0.1;  // simple shear xy
    const box<2> d = b.deformed(F);
    CHECK((d.center() - b.center()).norm() < 1e-14);
    CHECK(d.h()(0, 1) == Approx(0.2));
    CHECK(d.volume() == Approx(b.volume()));
}

TEST_CASE("perpendicular widths", "[core][box]") {
    mat<3> h;
    h << 2.0, 1.0, 0.0,  //
        0.0, 2.0, 0.0,   //
        0.0, 0.0, 3.0;
    const box<3> b(h);
    CHECK(b.width(0) == Approx(2.0 * 2.0 / std::sqrt(5.0)));  // area / |b| for the a-face pair
    CHECK(b.width(1) == Approx(2.0));
    CHECK(b.width(2) == Approx(3.0));
}
