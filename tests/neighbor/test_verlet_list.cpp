#include "amorph/neighbor/brute_force.hpp"
#include "amorph/neighbor/verlet_list.hpp"
#include "random_cells.hpp"

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <map>
#include <sstream>
#include <tuple>

using namespace amorph;
using namespace amorph::neighbor;

namespace {

template <int D>
using key = std::tuple<std::size_t, std::size_t, std::array<int, D>>;

template <int D>
std::array<int, D> arr(const ivec<D>& n) {
    std::array<int, D> a;
    for (int k = 0; k < D; ++k) a[static_cast<std::size_t>(k)] = n(k);
    return a;
}

// Map (i, j, n) -> distance for every entry of the list.
template <int D, class Kind>
std::map<key<D>, double> list_pairs(const verlet_list<D, Kind>& nl, const coords<D>& x) {
    std::map<key<D>, double> m;
    for (std::size_t i = 0; i < nl.size(); ++i)
        for (const entry& e : nl.neighbors(i)) {
            const vec<D> d = x.col(e.j) - x.col(static_cast<Eigen::Index>(i)) + nl.shifts().col(e.image);
            const bool fresh = m.emplace(key<D>{i, e.j, arr<D>(nl.image_offsets().col(e.image))}, d.norm()).second;
            REQUIRE(fresh);  // no pair twice
        }
    return m;
}

template <int D>
std::map<key<D>, double> reference_pairs(const std::vector<pair_image<D>>& pairs, bool half) {
    std::map<key<D>, double> m;
    for (const auto& p : pairs) {
        if (half) {
            if (p.j < p.i) continue;
            if (p.i == p.j && !neighbor::detail::lex_positive<D>(p.n)) continue;
        }
        m.emplace(key<D>{p.i, p.j, arr<D>(p.n)}, std::sqrt(p.r2));
    }
    return m;
}

// Every pair in one set and not the other must sit on the sphere r to round-off.
template <int D>
void require_same(const std::map<key<D>, double>& got, const std::map<key<D>, double>& ref, double r,
                  const std::string& what) {
    std::size_t borderline = 0;
    for (const auto& [k, d] : ref)
        if (!got.count(k)) {
            INFO(what << ": missing pair at distance " << d << " (r = " << r << ")");
            REQUIRE(std::abs(d - r) < 1e-9 * r);
            ++borderline;
        }
    for (const auto& [k, d] : got)
        if (!ref.count(k)) {
            INFO(what << ": extra pair at distance " << d << " (r = " << r << ")");
            REQUIRE(std::abs(d - r) < 1e-9 * r);
            ++borderline;
        }
    REQUIRE(borderline <= 2);
}

template <int D>
void check_against_brute_force(std::uint64_t seed, double lmin, double lmax, double tilt, double rmin,
                               double rmax, int n, typename box<D>::flags_t periodic) {
    std::mt19937_64 rng(seed);
    const box<D> b = test::random_cell<D>(rng, lmin, lmax, tilt, seed % 2 == 0, periodic);
    const coords<D> x = test::random_positions<D>(rng, b, n);
    const double cutoff = std::uniform_real_distribution<double>(rmin, rmax)(rng);
    const double skin = std::uniform_real_distribution<double>(0.0, 0.3)(rng) * cutoff;
    std::ostringstream what;
    what << "D=" << D << " seed=" << seed << " cutoff+skin=" << cutoff + skin << " widths";
    for (int k = 0; k < D; ++k) what << " " << b.width(k);

    verlet_list<D, full_t> full_list(cutoff, skin);
    full_list.build(b, x);
    verlet_list<D, half_t> half_list(cutoff, skin);
    half_list.build(b, x);
    const double r = cutoff + skin;
    const auto pairs = brute_force_pairs(b, x, r);
    require_same<D>(list_pairs(full_list, x), reference_pairs(pairs, false), r, what.str() + " full");
    require_same<D>(list_pairs(half_list, x), reference_pairs(pairs, true), r, what.str() + " half");
    CHECK(2 * half_list.pair_count() == full_list.pair_count());
}

}  // namespace

TEMPLATE_TEST_CASE_SIG("Verlet lists equal brute force in random periodic cells", "[neighbor]",
                       ((int D), D), 2, 3) {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        // ordinary cells, tilts up to 45 degrees, cutoff below half the box
        check_against_brute_force<D>(seed, 6.0, 9.0, 1.0, 1.0, 2.5, D == 2 ? 150 : 200, box<D>::all_periodic());
    }
}

TEMPLATE_TEST_CASE_SIG("Verlet lists with cutoffs beyond half the cell find every image", "[neighbor]",
                       ((int D), D), 2, 3) {
    for (std::uint64_t seed = 100; seed <= 130; ++seed) {
        // tiny cells: the cutoff spans several periodic images
        check_against_brute_force<D>(seed, 1.0, 2.5, 1.0, 1.5, 3.5, 12, box<D>::all_periodic());
    }
    for (std::uint64_t seed = 200; seed <= 220; ++seed) {
        // strongly tilted (tilt factor up to 2.5, ~68 degrees) and elongated cells
        check_against_brute_force<D>(seed, 1.5, 12.0, 2.5, 1.0, 2.5, 60, box<D>::all_periodic());
    }
}

TEMPLATE_TEST_CASE_SIG("Verlet lists with free (non-periodic) axes", "[neighbor]", ((int D), D), 2, 3) {
    auto flags = box<D>::all_periodic();
    flags[1] = false;
    for (std::uint64_t seed = 300; seed <= 315; ++seed)
        check_against_brute_force<D>(seed, 3.0, 6.0, 0.8, 1.0, 2.5, 60, flags);
    typename box<D>::flags_t none{};
    for (std::uint64_t seed = 400; seed <= 405; ++seed)
        check_against_brute_force<D>(seed, 3.0, 6.0, 0.8, 1.0, 2.5, 60, none);
}

TEST_CASE("Verlet list does not depend on the thread count", "[neighbor]") {
    std::mt19937_64 rng(5);
    const box<3> b = test::random_cell<3>(rng, 14.0, 16.0, 0.5, true);
    const coords<3> x = test::random_positions<3>(rng, b, 4000);
    verlet_list<3, half_t> one(2.5, 0.3), two(2.5, 0.3);
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
        one.build(b, x);
    }
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
        two.build(b, x);
    }
    CHECK(one.offsets() == two.offsets());
    CHECK(one.entries() == two.entries());
    CHECK(one.image_offsets() == two.image_offsets());
    // sorted by (j, image)
    for (std::size_t i = 0; i < one.size(); ++i) {
        auto nb = one.neighbors(i);
        for (std::size_t k = 1; k < nb.size(); ++k)
            CHECK((nb[k - 1].j < nb[k].j || (nb[k - 1].j == nb[k].j && nb[k - 1].image < nb[k].image)));
    }
}

TEMPLATE_TEST_CASE_SIG("update() never misses a pair under motion and deformation", "[neighbor]",
                       ((int D), D), 2, 3) {
    std::mt19937_64 rng(11);
    box<D> b = test::random_cell<D>(rng, 7.0, 8.0, 0.3, false);
    coords<D> x = test::random_positions<D>(rng, b, 120);
    const double cutoff = 1.7, skin = 0.4;
    verlet_list<D, half_t> nl(cutoff, skin);
    nl.build(b, x);
    std::normal_distribution<double> step(0.0, 0.03);
    int rebuilds = 0;
    for (int it = 0; it < 150; ++it) {
        for (Eigen::Index i = 0; i < x.cols(); ++i)
            for (int k = 0; k < D; ++k) x(k, i) += step(rng);
        if (it % 3 == 0) {  // simple shear increment with remap, as in AQS
            mat<D> F = mat<D>::Identity();
            F(0, 1) = 0.01;
            const vec<D> c = b.center();
            x = (F * (x.colwise() - c)).colwise() + c;
            b = b.deformed(F);
        }
        rebuilds += nl.update(b, x);
        // every pair within the cutoff is in the list, at the right distance
        const auto got = list_pairs(nl, x);
        for (const auto& p : brute_force_pairs(b, x, cutoff)) {
            if (p.j < p.i || (p.i == p.j && !neighbor::detail::lex_positive<D>(p.n))) continue;
            auto it2 = got.find({p.i, p.j, arr<D>(p.n)});
            REQUIRE(it2 != got.end());
            REQUIRE(it2->second == Approx(std::sqrt(p.r2)).epsilon(1e-12));
        }
    }
    CHECK(rebuilds > 0);
    CHECK(rebuilds < 150);  // the skin is doing its job
}

TEST_CASE("Verlet list rejects bad input clearly", "[neighbor]") {
    CHECK_THROWS_AS((verlet_list<3, full_t>(0.0)), invalid_argument);
    CHECK_THROWS_AS((verlet_list<3, full_t>(1.0, -0.1)), invalid_argument);
    verlet_list<3, full_t> nl(1.0);
    coords<3> x = coords<3>::Zero(3, 2);
    x(0, 1) = std::nan("");
    CHECK_THROWS_AS(nl.build(box<3>(), x), invalid_argument);
    // A cutoff thousands of cells wide is refused, not attempted.
    const box<3> tiny = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(1e-3));
    CHECK_THROWS_AS(nl.build(tiny, coords<3>::Zero(3, 1)), invalid_argument);
}

TEST_CASE("Empty and single-atom systems", "[neighbor]") {
    verlet_list<2, half_t> nl(1.0);
    nl.build(box<2>(), coords<2>(2, 0));
    CHECK(nl.size() == 0);
    // one atom in a unit square with cutoff 1.0+: its 4 images at distance 1 are outside (< r strict)
    verlet_list<2, full_t> one(1.01);
    one.build(box<2>(), coords<2>::Zero(2, 1));
    CHECK(one.neighbors(0).size() == 4);
}

TEMPLATE_TEST_CASE_SIG("per type-pair radii keep exactly the list's entries within their radius, in order",
                       "[neighbor]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(7);
    for (const double lmax : {3.0, 9.0}) {  // a cell smaller than the radius (several images) and an ordinary one
        const box<D> b = test::random_cell<D>(rng, lmax * 0.7, lmax, 0.6, true);
        const coords<D> x = test::random_positions<D>(rng, b, lmax < 5 ? 10 : 150);
        std::vector<int> types(static_cast<std::size_t>(x.cols()));
        for (auto& t : types) t = static_cast<int>(rng() % 3);
        // radii below, at and (type pair 2-2) above the list radius 2.5 + 0.3
        const std::vector<double> r = {1.2, 2.0, 2.8, 2.0, 1.6, 2.2, 2.8, 2.2, 3.5};
        std::vector<double> r2(r.size());
        for (std::size_t k = 0; k < r.size(); ++k) r2[k] = r[k] * r[k];
        auto check = [&](auto kind) {
            using K = decltype(kind);
            verlet_list<D, K> all(2.5, 0.3), kept(2.5, 0.3);
            all.build(b, x);
            kept.build(b, x, pair_radii{types.data(), r2.data(), 3});
            std::size_t n_kept = 0;
            for (std::size_t i = 0; i < all.size(); ++i) {
                std::vector<std::pair<std::uint32_t, std::array<int, D>>> want, got;
                for (const auto& e : all.neighbors(i)) {
                    const vec<D> d = x.col(e.j) - x.col(static_cast<Eigen::Index>(i)) + all.shifts().col(e.image);
                    if (d.squaredNorm() < r2[static_cast<std::size_t>(types[i] * 3 + types[e.j])])
                        want.emplace_back(e.j, arr<D>(all.image_offsets().col(e.image)));
                }
                for (const auto& e : kept.neighbors(i)) got.emplace_back(e.j, arr<D>(kept.image_offsets().col(e.image)));
                CHECK(got == want);
                n_kept += got.size();
            }
            CHECK(kept.pair_count() == n_kept);
            CHECK(n_kept < all.pair_count());
        };
        check(half_t{});
        check(full_t{});
    }
    verlet_list<D, half_t> bad(2.5, 0.3);
    const std::vector<double> r2{1.0};
    CHECK_THROWS_AS(bad.build(box<D>::orthogonal(vec<D>::Zero(), vec<D>::Constant(5.0)), coords<D>(D, 0),
                              pair_radii{nullptr, r2.data(), 1}),
                    invalid_argument);
}
