#include "amorph/neighbor/brute_force.hpp"
#include "amorph/neighbor/cell_list.hpp"
#include "random_cells.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace amorph;
using namespace amorph::neighbor;

TEMPLATE_TEST_CASE_SIG("cell_list point queries equal brute force", "[neighbor][cell_list]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(21);
    for (int trial = 0; trial < 30; ++trial) {
        const box<D> b = test::random_cell<D>(rng, 1.5, 8.0, 1.2, trial % 2 == 0);
        const coords<D> x = test::random_positions<D>(rng, b, 80);
        const double r = std::uniform_real_distribution<double>(0.5, 3.0)(rng);
        const cell_list<D> cl(b, x, r);
        for (int q = 0; q < 10; ++q) {
            // a query point anywhere, even far outside the primary cell
            const vec<D> p = b.to_cartesian(vec<D>::Random() * 3.0);
            std::vector<std::pair<std::size_t, double>> got, ref;
            cl.for_each_within(p, r * r, [&](std::uint32_t j, const ivec<D>& n, const vec<D>& d, double r2) {
                REQUIRE((x.col(j) + b.h() * n.template cast<double>() - p - d).norm() < 1e-9);
                got.emplace_back(j, r2);
            });
            // brute force: all images of all atoms
            for (const auto& pr : brute_force_within(b, x, p, r)) ref.emplace_back(pr.j, pr.r2);
            std::sort(got.begin(), got.end());
            std::sort(ref.begin(), ref.end());
            REQUIRE(got.size() == ref.size());
            for (std::size_t k = 0; k < got.size(); ++k) {
                REQUIRE(got[k].first == ref[k].first);
                REQUIRE(got[k].second == Approx(ref[k].second).margin(1e-12));
            }
        }
    }
}
