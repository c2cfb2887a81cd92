// The 3D cell the Voronoi tessellation clips (analysis/detail/voronoi_cell.hpp):
// exact volumes of cuts through vertices, degenerate (degree > 3) vertices,
// and the graph invariants after many random cuts.
#include "amorph/analysis/detail/voronoi_cell.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

using amorph::analysis::detail::cell3;
using Eigen::Vector3d;

namespace {

constexpr double eps = 1e-12;

struct face_summary {
    double volume = 0;
    int faces = 0;                  // loops, degenerate ones included
    std::map<int, int> orders;      // edges longer than eps -> faces with that many
    std::map<int, double> area_of;  // tag -> face area
};

face_summary summarize(cell3& c) {
    face_summary f;
    amorph::analysis::detail::for_each_face(c, [&](int tag, const int* loop, int L) {
        ++f.faces;
        int edges = 0;
        Vector3d area = Vector3d::Zero();
        for (int k = 0; k < L; ++k) {
            const Vector3d a = c.vertex(loop[k]), b = c.vertex(loop[(k + 1) % L]);
            edges += (b - a).norm() > 1e-9;
            area += a.cross(b);
            if (k >= 1 && k + 1 < L) f.volume += c.vertex(loop[0]).dot(a.cross(b)) / 6.0;
        }
        if (edges >= 3) ++f.orders[edges];
        f.area_of[tag] += 0.5 * area.norm();
    });
    return f;
}

/// Every neighbor relation is mutual and the surface is a sphere (V - E + F = 2).
void check_graph(cell3& c, int faces) {
    for (int v = 0; v < c.size(); ++v)
        for (int k = 0; k < 3; ++k) {
            const int w = c.nb[static_cast<std::size_t>(v)][static_cast<std::size_t>(k)];
            REQUIRE(w >= 0);
            REQUIRE(w < c.size());
            REQUIRE(w != v);
            const auto& t = c.nb[static_cast<std::size_t>(w)];
            REQUIRE(std::count(t.begin(), t.end(), v) == 1);
        }
    CHECK(c.size() - 3 * c.size() / 2 + faces == 2);
}

void cube(cell3& c) { amorph::analysis::detail::init_cube(c, 1.0, {-1, -2, -3, -4, -5, -6}); }

}  // namespace

TEST_CASE("voronoi cell: the cube and a cut through four of its vertices", "[analysis][voronoi]") {
    cell3 c;
    cube(c);
    auto f = summarize(c);
    CHECK(f.volume == Approx(8.0).epsilon(1e-15));
    CHECK(f.orders == std::map<int, int>{{4, 6}});
    CHECK(c.r2max == 3.0);
    // x + y <= 0 passes through (1,-1,+-1) and (-1,1,+-1): half the cube
    REQUIRE(clip(c, Vector3d(1, 1, 0), 0.0, eps, 7));
    f = summarize(c);
    check_graph(c, f.faces);
    CHECK(f.volume == Approx(4.0).epsilon(1e-15));
    CHECK(f.orders == std::map<int, int>{{3, 2}, {4, 3}});  // a triangular prism
    CHECK(f.area_of.at(7) == Approx(2.0 * std::sqrt(8.0)).epsilon(1e-15));
    // the same plane again, and a plane that only touches: nothing to cut
    CHECK_FALSE(clip(c, Vector3d(1, 1, 0), 0.0, eps, 8));
    CHECK_FALSE(clip(c, Vector3d(0, 0, 1), 1.0, eps, 9));
    // the prism's four on-plane corners are each two vertices at one point
    // (joined by an edge of length zero), so 10 vertices, 6 distinct
    CHECK(c.size() == 10);
}

TEST_CASE("voronoi cell: the octahedron, whose vertices are of degree 4", "[analysis][voronoi]") {
    cell3 c;
    cube(c);
    int tag = 0;
    for (int sx : {-1, 1})
        for (int sy : {-1, 1})
            for (int sz : {-1, 1}) clip(c, Vector3d(sx, sy, sz), 1.0, eps, tag++);
    const auto f = summarize(c);
    check_graph(c, f.faces);
    CHECK(f.volume == Approx(4.0 / 3.0).epsilon(1e-14));
    CHECK(f.orders == std::map<int, int>{{3, 8}});  // the cube's faces shrank to points
    for (int t = 0; t < 8; ++t) CHECK(f.area_of.at(t) == Approx(std::sqrt(3.0) / 2.0).epsilon(1e-14));
    CHECK(c.r2max == Approx(1.0).epsilon(1e-15));
}

TEST_CASE("voronoi cell: random cuts keep a valid cell whose volume does not depend on their order",
          "[analysis][voronoi]") {
    std::mt19937_64 rng(5);
    std::normal_distribution<double> g;
    std::uniform_real_distribution<double> u(0.3, 1.0);
    for (int trial = 0; trial < 40; ++trial) {
        std::vector<std::pair<Vector3d, double>> planes;
        for (int k = 0; k < 60; ++k) {
            const Vector3d n = Vector3d(g(rng), g(rng), g(rng)).normalized();
            planes.emplace_back(n, u(rng));
        }
        // repeat some planes exactly, as cospherical sites do
        for (int k = 0; k < 10; ++k) planes.push_back(planes[static_cast<std::size_t>(k)]);
        double first = 0;
        for (int order = 0; order < 3; ++order) {
            cell3 c;
            cube(c);
            for (std::size_t k = 0; k < planes.size(); ++k) clip(c, planes[k].first, planes[k].second, eps, static_cast<int>(k));
            INFO("trial " << trial << " order " << order);
            double worst = -1;  // every vertex is inside every plane
            for (int v = 0; v < c.size(); ++v)
                for (const auto& [n, off] : planes) worst = std::max(worst, n.dot(c.vertex(v)) - off);
            CHECK(worst <= 1e-9);
            const auto f = summarize(c);
            check_graph(c, f.faces);
            if (order == 0) first = f.volume;
            else CHECK(f.volume == Approx(first).epsilon(1e-12));
            CHECK(f.volume > 0);
            std::shuffle(planes.begin(), planes.end(), rng);
        }
    }
}

TEST_CASE("voronoi cell: a plane beyond every vertex empties the cell", "[analysis][voronoi]") {
    cell3 c;
    cube(c);
    REQUIRE(clip(c, Vector3d(1, 0, 0), -2.0, eps, 1));
    CHECK(c.size() == 0);
    CHECK(c.r2max == 0);
    CHECK(summarize(c).volume == 0);
    CHECK_FALSE(clip(c, Vector3d(0, 1, 0), 0.0, eps, 2));
}
