// 2D Voronoi and radical (power) cells against an independent oracle built on
// Boost.Geometry (Debian libboost-dev): each cell is a large square around the
// atom intersected, one polygon at a time, with the half-plane of every
// neighbor image within reach,
//     Voronoi:  |x - x_i|^2 <= |x - x_j'|^2
//     radical:  |x - x_i|^2 - R_i^2 <= |x - x_j'|^2 - R_j^2,
// by boost::geometry::intersection, and its area taken by
// boost::geometry::area. No code is shared with amorph's polygon clip
// (analysis/voronoi.hpp), so agreement to 1e-10 is a check of both.
#include "amorph/analysis/voronoi.hpp"

// Boost.Geometry rescales set operations to integers for robustness by
// default (relative error ~1e-6); the oracle needs plain double arithmetic.
#define BOOST_GEOMETRY_NO_ROBUSTNESS
#include <boost/geometry.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

using namespace amorph;

namespace {

namespace bg = boost::geometry;
using point = bg::model::d2::point_xy<double>;
using polygon = bg::model::polygon<point>;  // clockwise, closed

polygon square(const vec<2>& c, double half) {
    polygon p;
    bg::append(p.outer(), point(c(0) - half, c(1) - half));
    bg::append(p.outer(), point(c(0) - half, c(1) + half));
    bg::append(p.outer(), point(c(0) + half, c(1) + half));
    bg::append(p.outer(), point(c(0) + half, c(1) - half));
    bg::append(p.outer(), point(c(0) - half, c(1) - half));
    bg::correct(p);
    return p;
}

/// The half-plane {x : (x - m).n <= 0} inside a square of half-width `big` around m.
polygon half_plane(const vec<2>& m, const vec<2>& n, double big) {
    const vec<2> t(-n(1), n(0));
    const vec<2> a = m + big * t, b = m - big * t, c = b - 2 * big * n, d = a - 2 * big * n;
    polygon p;
    for (const vec<2>& q : {a, b, c, d, a}) bg::append(p.outer(), point(q(0), q(1)));
    bg::correct(p);
    return p;
}

/// Cell areas by the oracle; radii empty for Voronoi.
std::vector<double> oracle_areas(const box<2>& b, const coords<2>& x, const std::vector<double>& radii, double reach) {
    const auto n = static_cast<std::size_t>(x.cols());
    std::vector<double> out(n);
    const int span = 3;  // images up to 3 cells away: reach is below 3 cell widths here
    for (std::size_t i = 0; i < n; ++i) {
        const vec<2> xi = x.col(static_cast<Eigen::Index>(i));
        polygon cell = square(xi, reach);
        bool empty = false;  // a radical cell can vanish (an atom inside its neighbors' power disks)
        for (std::size_t j = 0; j < n && !empty; ++j)
            for (int a = -span; a <= span && !empty; ++a)
                for (int c = -span; c <= span; ++c) {
                    if (j == i && a == 0 && c == 0) continue;
                    const vec<2> xj = x.col(static_cast<Eigen::Index>(j)) + b.h() * vec<2>(a, c);
                    const vec<2> d = xj - xi;
                    const double r = d.norm();
                    if (r > 2 * reach) continue;
                    const vec<2> nrm = d / r;
                    // the boundary point along d: |x - xi|^2 - Ri^2 = |x - xj|^2 - Rj^2
                    const double shift = radii.empty() ? 0.0 : (radii[i] * radii[i] - radii[j] * radii[j]) / (2 * r);
                    const vec<2> m = xi + (0.5 * r + shift) * nrm;
                    std::vector<polygon> clipped;
                    bg::intersection(cell, half_plane(m, nrm, 4 * reach), clipped);
                    REQUIRE(clipped.size() <= 1);  // convex cut of a convex cell
                    if (clipped.empty()) {
                        empty = true;
                        break;
                    }
                    cell = clipped.front();
                }
        out[i] = empty ? 0.0 : bg::area(cell);
    }
    return out;
}

coords<2> random_points(const box<2>& b, std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    coords<2> x(2, static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i)
        x.col(static_cast<Eigen::Index>(i)) = b.origin() + b.h() * vec<2>(u(rng), u(rng));
    return x;
}

}  // namespace

TEST_CASE("2D Voronoi and radical cells equal Boost.Geometry half-plane intersections", "[analysis][voronoi][peer]") {
    const std::size_t n = 120;
    for (const double tilt : {0.0, 2.5, -4.0}) {
        INFO("tilt " << tilt);
        mat<2> h;
        h << 10.0, tilt, 0.0, 9.0;
        const box<2> b(h, vec<2>(-1.0, 2.0));
        const coords<2> x = random_points(b, n, 11 + static_cast<std::uint64_t>(tilt + 10));
        const double reach = 4.0;  // far beyond any cell of 120 points in 90 area units

        const auto ours = analysis::voronoi<2>(b, x);
        const auto ref = oracle_areas(b, x, {}, reach);
        double total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            CHECK(ours.volume[i] == Approx(ref[i]).epsilon(1e-10));
            total += ours.volume[i];
        }
        CHECK(total == Approx(b.volume()).epsilon(1e-12));

        std::vector<double> radii(n);
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> u(0.3, 0.6);
        for (auto& r : radii) r = u(rng);
        analysis::voronoi_options opt;
        opt.radii = radii;
        const auto ours_r = analysis::voronoi<2>(b, x, opt);
        const auto ref_r = oracle_areas(b, x, radii, reach);
        for (std::size_t i = 0; i < n; ++i) CHECK(ours_r.volume[i] == Approx(ref_r[i]).epsilon(1e-10).margin(1e-12));
    }
}
