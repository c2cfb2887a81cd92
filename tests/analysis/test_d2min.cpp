// Tests of analysis/d2min.hpp: homogeneous deformations (D2min ~ 0, F and the
// von Mises strain analytic), a planted rearrangement on a lattice (analytic
// D2min of the displaced atom and of its neighbors), a brute-force reference
// on glasses (2D LJ, 3D Cu-Zr, LAMMPS-made fixtures), cumulative D, invalid
// atoms, top-fraction labels with validity flags.
#include <amorph/analysis/d2min.hpp>
#include <amorph/analysis/labels.hpp>
#include <amorph/io/lammps_data.hpp>
#include <amorph/protocol/deformation.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace amorph;

namespace {

template <int D>
amorph::system<D> fixture(const char* name) {
    return io::read_lammps_data<D>(std::string(AMORPH_SOURCE_DIR "/tests/dynamics/data/") + name);
}

// Brute force: all pairs, minimum image in each cell, solve by full-pivot LU.
template <int D>
std::vector<double> brute_d2min(const amorph::system<D>& ref, const amorph::system<D>& cur, double rc) {
    const auto idx = cur.index_of_ids();
    std::vector<double> out(cur.size(), -1.0);
    for (std::size_t i = 0; i < ref.size(); ++i) {
        mat<D> V = mat<D>::Zero(), W = mat<D>::Zero();
        std::vector<std::pair<vec<D>, vec<D>>> b;
        const std::size_t ci = idx.at(ref.ids[i]);
        for (std::size_t j = 0; j < ref.size(); ++j) {
            if (j == i) continue;
            const vec<D> d0 = ref.box.minimum_image(ref.positions.col(static_cast<Eigen::Index>(j)) - ref.positions.col(static_cast<Eigen::Index>(i)));
            if (d0.norm() >= rc) continue;
            const std::size_t cj = idx.at(ref.ids[j]);
            const vec<D> d = cur.box.minimum_image(cur.positions.col(static_cast<Eigen::Index>(cj)) - cur.positions.col(static_cast<Eigen::Index>(ci)));
            b.push_back({d0, d});
        }
        for (auto& [d0, d] : b) {
            V += d0 * d0.transpose();
            W += d * d0.transpose();
        }
        const mat<D> F = V.fullPivLu().solve(W.transpose()).transpose();  // F V = W
        double s = 0;
        for (auto& [d0, d] : b) s += (d - F * d0).squaredNorm();
        out[ci] = s;
    }
    return out;
}

template <int D>
void jiggle(amorph::system<D>& s, double amp, unsigned seed) {
    std::mt19937_64 g(seed);
    std::uniform_real_distribution<double> u(-amp, amp);
    for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
        for (int k = 0; k < D; ++k) s.positions(k, i) += u(g);
}

}  // namespace

TEST_CASE("d2min: homogeneous deformations give D2min < 1e-12, F and the von Mises strain exactly (2D)", "[d2min]") {
    const auto ref = fixture<2>("lj2d_glass.data");
    const double th = 0.7;
    mat<2> R;
    R << std::cos(th), -std::sin(th), std::sin(th), std::cos(th);
    mat<2> shear = mat<2>::Identity();
    shear(0, 1) = 0.8;  // large simple shear
    const mat<2> tens = protocol::tension<2>(0, false).gradient(0.3);
    for (const mat<2>& F : {shear, R, tens, mat<2>(R * shear * tens)}) {
        auto cur = ref;
        cur.deform(F, true);
        cur.wrap_positions();
        // shuffle the storage order: matching is by id
        std::vector<std::size_t> order(cur.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = (k * 7919) % order.size();
        cur.permute(order);
        const auto r = analysis::atomic_strain(ref, cur, {2.0});
        REQUIRE(r.invalid_count() == 0);
        const mat<2> E = analysis::green_lagrange<2>(F);
        for (std::size_t k = 0; k < cur.size(); ++k) {
            CHECK(r.d2min[k] < 1e-12);
            CHECK((r.F[k] - F).cwiseAbs().maxCoeff() < 1e-12);
            CHECK(r.shear_strain[k] == Approx(analysis::von_mises_shear_strain<2>(E)).margin(1e-12));
        }
    }
    // analytic invariants: simple shear gamma -> gamma/2 at small strain; pure shear diag(e,-e) -> e
    mat<2> E = mat<2>::Zero();
    E(0, 1) = E(1, 0) = 0.05;
    CHECK(analysis::von_mises_shear_strain<2>(E) == Approx(0.05));
    E.setZero();
    E(0, 0) = 0.03;
    E(1, 1) = -0.03;
    CHECK(analysis::von_mises_shear_strain<2>(E) == Approx(0.03));
    E.setIdentity();  // pure dilation has no shear
    CHECK(analysis::von_mises_shear_strain<2>(mat<2>(0.1 * E)) == Approx(0.0).margin(1e-15));
}

TEST_CASE("d2min: homogeneous deformations in 3D (Cu-Zr glass, orientation 13 shear, rotation, tension)", "[d2min]") {
    const auto ref = fixture<3>("cuzr_glass.data");
    const mat<3> S = protocol::orientation(13).gradient(0.6);
    const mat<3> R = Eigen::AngleAxisd(0.9, vec<3>(1, 2, 3).normalized()).toRotationMatrix();
    const mat<3> T = protocol::tension<3>(2, false).gradient(0.25);
    for (const mat<3>& F : {S, R, T, mat<3>(R * S * T)}) {
        auto cur = ref;
        cur.deform(F, true);
        cur.wrap_positions();
        const auto r = analysis::atomic_strain(ref, cur, {3.8});
        REQUIRE(r.invalid_count() == 0);
        const double vm = analysis::von_mises_shear_strain<3>(analysis::green_lagrange<3>(F));
        for (std::size_t k = 0; k < cur.size(); ++k) {
            CHECK(r.d2min[k] < 1e-12);
            CHECK((r.F[k] - F).cwiseAbs().maxCoeff() < 1e-12);
            CHECK(r.shear_strain[k] == Approx(vm).margin(1e-12));
        }
    }
    mat<3> E = mat<3>::Zero();
    E(0, 2) = E(2, 0) = 0.04;
    CHECK(analysis::von_mises_shear_strain<3>(E) == Approx(0.04));
}

TEST_CASE("d2min: planted rearrangement on a lattice has the analytic value", "[d2min]") {
    // 2D triangular lattice (6 neighbors at a, V = 3 a^2 I): moving one atom by
    // delta gives D2min = 6 |delta|^2 for it and |delta|^2 (1 - 1/3) for each neighbor.
    const double a = 1.1;
    const int nx = 12, ny = 12;
    mat<2> h;
    h << nx * a, 0, 0, ny * a * std::sqrt(3.0) / 2;
    amorph::system<2> ref(box<2>(h), static_cast<std::size_t>(nx * ny));
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) ref.x(static_cast<std::size_t>(j * nx + i)) = vec<2>((i + 0.5 * (j % 2)) * a, j * a * std::sqrt(3.0) / 2);
    ref.species.add("A", 1.0);
    auto cur = ref;
    const std::size_t c = 5 * nx + 6;
    const vec<2> delta(0.07, -0.04);
    cur.x(c) += delta;
    const auto r = analysis::atomic_strain(ref, cur, {1.3 * a});
    CHECK(r.d2min[c] == Approx(6 * delta.squaredNorm()).epsilon(1e-12));
    int nb = 0;
    for (std::size_t k = 0; k < cur.size(); ++k) {
        if (k == c) continue;
        const double dist = ref.box.minimum_image(vec<2>(ref.x(k) - ref.x(c))).norm();
        if (dist < 1.3 * a) {
            ++nb;
            CHECK(r.d2min[k] == Approx(delta.squaredNorm() * 2.0 / 3.0).epsilon(1e-12));
        } else {
            CHECK(r.d2min[k] < 1e-25);
        }
    }
    CHECK(nb == 6);

    // 3D simple cubic (6 neighbors, V = 2 a^2 I): 6 |delta|^2 and |delta|^2 / 2.
    const int m = 6;
    amorph::system<3> ref3(box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(m * a)), static_cast<std::size_t>(m * m * m));
    for (int k = 0; k < m; ++k)
        for (int j = 0; j < m; ++j)
            for (int i = 0; i < m; ++i) ref3.x(static_cast<std::size_t>((k * m + j) * m + i)) = vec<3>(i, j, k) * a;
    ref3.species.add("A", 1.0);
    auto cur3 = ref3;
    const std::size_t c3 = (2 * m + 3) * m + 1;
    const vec<3> d3(0.03, 0.05, -0.02);
    cur3.x(c3) += d3;
    const auto r3 = analysis::atomic_strain(ref3, cur3, {1.2 * a});
    CHECK(r3.d2min[c3] == Approx(6 * d3.squaredNorm()).epsilon(1e-12));
    CHECK(r3.d2min[c3 + 1] == Approx(d3.squaredNorm() / 2).epsilon(1e-12));
    CHECK(r3.d2min[c3 + static_cast<std::size_t>(m * m)] == Approx(d3.squaredNorm() / 2).epsilon(1e-12));
}

TEST_CASE("d2min: agrees with a brute-force reference on glasses (2D LJ, 3D Cu-Zr)", "[d2min]") {
    {
        const auto ref = fixture<2>("lj2d_glass.data");
        auto cur = ref;
        cur.deform(protocol::simple_shear_xy<2>(-1).gradient(0.05));
        jiggle(cur, 0.05, 3);
        const auto r = analysis::atomic_strain(ref, cur, {2.2});
        const auto b = brute_d2min(ref, cur, 2.2);
        double big = 0;
        for (std::size_t k = 0; k < cur.size(); ++k) {
            REQUIRE(r.valid[k]);
            CHECK(r.d2min[k] == Approx(b[k]).epsilon(1e-10).margin(1e-14));
            big = std::max(big, r.d2min[k]);
        }
        CHECK(big > 1e-3);  // non-trivial
    }
    {
        const auto ref = fixture<3>("cuzr_glass.data");
        auto cur = ref;
        cur.deform(protocol::orientation(7).gradient(0.05));
        jiggle(cur, 0.1, 5);
        const auto r = analysis::atomic_strain(ref, cur, {3.6});
        const auto b = brute_d2min(ref, cur, 3.6);
        for (std::size_t k = 0; k < cur.size(); ++k) CHECK(r.d2min[k] == Approx(b[k]).epsilon(1e-10).margin(1e-14));
    }
}

TEST_CASE("d2min: invalid atoms, errors, cumulative D, labels", "[d2min]") {
    // an isolated pair: too few neighbors in 2D for one, a singular V for both
    amorph::system<2> s(box<2>::orthogonal(vec<2>::Zero(), vec<2>(20, 20)), 3);
    s.species.add("A", 1.0);
    s.x(0) = vec<2>(1, 1);
    s.x(1) = vec<2>(2, 1);
    s.x(2) = vec<2>(10, 10);
    auto r = analysis::atomic_strain(s, s, {1.5});
    CHECK(r.invalid_count() == 3);
    CHECK(r.d2min[0] == 0.0);
    CHECK(r.neighbors[0] == 1);
    CHECK_THROWS_AS(analysis::atomic_strain(s, s, {11.0}), amorph::invalid_argument);
    auto t = s;
    t.ids[2] = 99;
    CHECK_THROWS_AS(analysis::atomic_strain(s, t, {1.5}), amorph::invalid_argument);

    // cumulative D = sum of sqrt of the incremental D2min
    const auto g0 = fixture<2>("lj2d_glass.data");
    auto g1 = g0, g2 = g0;
    jiggle(g1, 0.02, 11);
    g2 = g1;
    jiggle(g2, 0.02, 12);
    analysis::cumulative_nonaffine<2> cd(2.0);
    cd.add(g0);
    cd.add(g1);
    cd.add(g2);
    const auto a = analysis::d2min(g0, g1, 2.0), b = analysis::d2min(g1, g2, 2.0);
    REQUIRE(cd.increments() == 2);
    for (std::size_t k = 0; k < g0.size(); ++k) CHECK(cd.values()[k] == Approx(std::sqrt(a[k]) + std::sqrt(b[k])).epsilon(1e-14));

    // labels over valid atoms only
    const std::vector<double> v{5, 1, 9, 3, 7, 2};
    const std::vector<char> ok{1, 1, 0, 1, 1, 1};
    const auto lab = analysis::top_fraction_labels(v, ok, 0.2, 1, 1.0);
    REQUIRE(lab.size() == 2);
    int pos = -1;
    for (const auto& l : lab)
        if (l.label == 1) pos = static_cast<int>(l.atom);
    CHECK(pos == 4);  // 9 is invalid: the top valid value is 7
    for (const auto& l : lab) CHECK(l.atom != 2);
    CHECK(analysis::top_label_agreement(lab, lab) == 1.0);
}
