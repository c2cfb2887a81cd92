#include "amorph/analysis/voronoi.hpp"
#include "amorph/core/lattice.hpp"
#include "../neighbor/random_cells.hpp"

#include <catch2/catch.hpp>

#include <numeric>
#include <random>

using namespace amorph;
using namespace amorph::analysis;

namespace {

template <int D>
double total(const voronoi_result<D>& r) {
    return std::accumulate(r.volume.begin(), r.volume.end(), 0.0);
}

template <int D>
coords<D> uniform(std::mt19937_64& rng, const box<D>& b, int n) {
    std::uniform_real_distribution<double> u(0, 1);
    coords<D> x(D, n);
    for (int i = 0; i < n; ++i) {
        vec<D> s;
        for (int k = 0; k < D; ++k) s(k) = u(rng);
        x.col(i) = b.to_cartesian(s);
    }
    return x;
}

}  // namespace

TEMPLATE_TEST_CASE_SIG("Voronoi volumes sum to the cell volume in random general cells", "[analysis][voronoi]",
                       ((int D), D), 2, 3) {
    std::mt19937_64 rng(17);
    for (int trial = 0; trial < 12; ++trial) {
        // duplicates, atoms on faces and unwrapped atoms included
        const box<D> b = test::random_cell<D>(rng, 4.0, 7.0, trial < 6 ? 0.5 : 1.5, trial % 2 == 0);
        const coords<D> x = test::random_positions<D>(rng, b, D == 2 ? 120 : 150);
        const auto r = voronoi(b, x);
        INFO("trial " << trial);
        CHECK(total(r) == Approx(b.volume()).epsilon(1e-10));
        for (double v : r.volume) CHECK(v > 0.0);
    }
}

TEMPLATE_TEST_CASE_SIG("Voronoi volumes do not depend on how the periodic cell is written", "[analysis][voronoi]",
                       ((int D), D), 2, 3) {
    std::mt19937_64 rng(5);
    const box<D> b = box<D>::orthogonal(vec<D>::Zero(), vec<D>::Constant(6.0));
    const coords<D> x = uniform<D>(rng, b, 100);
    const auto ref = voronoi(b, x);
    // Same lattice, strongly tilted basis (unimodular change of basis), and rotated.
    mat<D> U = mat<D>::Identity();
    U(0, 1) = 2;
    if constexpr (D == 3) U(1, 2) = -1;
    const box<D> tilted(b.h() * U, b.origin());
    const auto r1 = voronoi(tilted, x);
    mat<D> R;
    if constexpr (D == 2) R << std::cos(0.3), -std::sin(0.3), std::sin(0.3), std::cos(0.3);
    else R = Eigen::AngleAxisd(0.7, vec<3>(1, 2, 3).normalized()).toRotationMatrix();
    const box<D> rotated(R * tilted.h(), R * tilted.origin());
    const auto r2 = voronoi(rotated, coords<D>(R * x));
    for (std::size_t i = 0; i < ref.volume.size(); ++i) {
        CHECK(r1.volume[i] == Approx(ref.volume[i]).epsilon(1e-10));
        CHECK(r2.volume[i] == Approx(ref.volume[i]).epsilon(1e-10));
    }
}

TEST_CASE("Voronoi of crystals: FCC and BCC volumes and indices", "[analysis][voronoi]") {
    for (const bool fcc : {true, false}) {
        const double a = 3.6;
        const lattice<3> l = fcc ? lattices::fcc(a) : lattices::bcc(a);
        const auto s = make_crystal(l, {4, 4, 4}, species_list::from_names({"Cu"}));
        const auto r = voronoi(s.box, s.positions);
        const double v = a * a * a / static_cast<double>(l.basis.size());
        for (std::size_t i = 0; i < r.volume.size(); ++i) {
            CHECK(r.volume[i] == Approx(v).epsilon(1e-12));
            const auto idx = r.index(i);
            if (fcc) CHECK(idx == std::array<int, 4>{0, 12, 0, 0});
            else CHECK(idx == std::array<int, 4>{0, 6, 0, 8});
        }
    }
}

TEST_CASE("2D Voronoi of a triangular lattice is hexagons", "[analysis][voronoi]") {
    const double a = 1.1;
    const auto s = make_crystal(lattices::triangular(a), {6, 2}, species_list::from_names({"A"}));
    const auto r = voronoi(s.box, s.positions);
    for (std::size_t i = 0; i < r.volume.size(); ++i) {
        CHECK(r.volume[i] == Approx(a * a * std::sqrt(3.0) / 2).epsilon(1e-12));
        CHECK(r.faces[i].size() == 6);
    }
}

TEMPLATE_TEST_CASE_SIG("Voronoi with free axes fills the walled cell, duplicates share a cell",
                       "[analysis][voronoi]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(9);
    auto flags = box<D>::all_periodic();
    flags[0] = false;
    const box<D> b(box<D>::orthogonal(vec<D>::Zero(), vec<D>::Constant(5.0)).h(), vec<D>::Zero(), flags);
    coords<D> x = uniform<D>(rng, b, 60);
    x.col(7) = x.col(3);  // exact duplicate
    const auto r = voronoi(b, x);
    CHECK(total(r) == Approx(b.volume()).epsilon(1e-10));
    CHECK(r.volume[7] == r.volume[3]);
    bool wall = false;
    for (const auto& f : r.faces[0]) wall |= f.j < 0;
    for (const auto& fs : r.faces)
        for (const auto& f : fs) wall |= f.j < 0;
    CHECK(wall);
}

TEMPLATE_TEST_CASE_SIG("radical tessellation: equal radii give Voronoi, volumes sum to the cell", "[analysis][voronoi]",
                       ((int D), D), 2, 3) {
    std::mt19937_64 rng(3);
    const box<D> b = test::random_cell<D>(rng, 5.0, 6.0, 0.4, true);
    const coords<D> x = uniform<D>(rng, b, 80);
    voronoi_options eq;
    eq.radii.assign(80, 0.7);
    const auto plain = voronoi(b, x);
    const auto same = voronoi(b, x, eq);
    for (std::size_t i = 0; i < 80; ++i) CHECK(same.volume[i] == Approx(plain.volume[i]).epsilon(1e-10));
    voronoi_options mixed;
    std::uniform_real_distribution<double> rr(0.3, 0.9);
    for (int i = 0; i < 80; ++i) mixed.radii.push_back(rr(rng));
    const auto rad = voronoi(b, x, mixed);
    CHECK(total(rad) == Approx(b.volume()).epsilon(1e-10));
}

TEST_CASE("voronoi rejects bad input", "[analysis][voronoi]") {
    coords<3> x = coords<3>::Zero(3, 2);
    voronoi_options o;
    o.radii = {1.0};
    CHECK_THROWS_AS(voronoi(box<3>(), x, o), invalid_argument);
    x(0, 0) = std::nan("");
    CHECK_THROWS_AS(voronoi(box<3>(), x), invalid_argument);
}

TEST_CASE("Voronoi of nearly degenerate crystals: volumes sum to the cell at 1e-10", "[analysis][voronoi]") {
    // crystals whose cospherical vertices are split by jitter from 1e-15 a
    // (below the tolerance) through 1e-10 a (at it) to 1e-4 a
    std::mt19937_64 rng(3);
    const double a = 3.0;
    for (const auto& l : {lattices::sc(a), lattices::bcc(a), lattices::fcc(a), lattices::diamond(a)})
        for (double jitter : {0.0, 1e-15, 1e-13, 1e-11, 1e-10, 3e-10, 1e-9, 1e-8, 1e-6, 1e-4}) {
            auto s = make_crystal(l, {4, 4, 4}, species_list::from_names({"Cu"}));
            std::uniform_real_distribution<double> u(-jitter * a, jitter * a);
            for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
                for (int k = 0; k < 3; ++k) s.positions(k, i) += u(rng);
            const auto r = voronoi(s.box, s.positions);
            INFO(l.basis.size() << " atoms per cell, jitter " << jitter);
            CHECK(total(r) == Approx(s.box.volume()).epsilon(1e-10));
            const double v = a * a * a / static_cast<double>(l.basis.size());
            for (double vi : r.volume) CHECK(vi == Approx(v).epsilon(1e-3));
        }
}
