// amorph/neighbor/brute_force.hpp — O(N^2) reference pair search, for tests.
//
// Enumerates every (i, j, n) with |x_j + h n - x_i| < r directly: for each
// pair the displacement is first reduced by rounding in fractional
// coordinates, d1 = d0 - h t, and then every offset m with
// |m_k| <= (r + |d1|) |(h^{-1})_k| on periodic axes is tried (any image within
// r needs |h m| < r + |d1|), giving n = m - t. Slow and obviously complete:
// the yardstick the cell and Verlet lists are tested against.
// brute_force_within does the same for one point against every atom.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/vec.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <vector>

namespace amorph::neighbor {

template <int D>
struct pair_image {
    std::size_t i, j;
    ivec<D> n;
    double r2;
};

/// Calls fn(n, r2) for every lattice offset n with |d0 + h n|^2 = r2 < r^2.
template <int D, class Fn>
void for_each_image_within(const box<D>& b, const vec<D>& d0, double r, Fn&& fn) {
    const mat<D>& h = b.h();
    const mat<D>& hinv = b.h_inv();
    const vec<D> s = hinv * d0;
    ivec<D> t = ivec<D>::Zero();
    for (int k = 0; k < D; ++k)
        if (b.periodic(k)) t(k) = static_cast<int>(std::round(s(k)));
    const vec<D> d1 = d0 - h * t.template cast<double>();
    std::array<int, 3> lim{0, 0, 0};
    for (int k = 0; k < D; ++k)
        if (b.periodic(k)) lim[static_cast<std::size_t>(k)] = static_cast<int>(std::ceil((r + d1.norm()) * hinv.row(k).norm()));
    // h m = h_0 a + (h_1 c + h_2 e), its column products hoisted out of the
    // inner loops
    ivec<D> m;
    for (int a = -lim[0]; a <= lim[0]; ++a) {
        const vec<D> ha = h.col(0) * static_cast<double>(a);
        for (int c = -lim[1]; c <= lim[1]; ++c) {
            const vec<D> hc = h.col(1) * static_cast<double>(c);
            for (int e = -lim[2]; e <= lim[2]; ++e) {
                double r2;
                if constexpr (D == 3) r2 = (d1 + (ha + (hc + h.col(2) * static_cast<double>(e)))).squaredNorm();
                else r2 = (d1 + (ha + hc)).squaredNorm();
                if (r2 >= r * r) continue;
                m(0) = a;
                m(1) = c;
                if constexpr (D == 3) m(2) = e;
                fn(ivec<D>(m - t), r2);
            }
        }
    }
}

/// Every ordered pair (i, j, n), i == j included for n != 0, with distance < r.
template <int D>
std::vector<pair_image<D>> brute_force_pairs(const box<D>& b, const coords<D>& x, double r) {
    std::vector<pair_image<D>> out;
    for (Eigen::Index i = 0; i < x.cols(); ++i)
        for (Eigen::Index j = 0; j < x.cols(); ++j)
            for_each_image_within(b, vec<D>(x.col(j) - x.col(i)), r, [&](const ivec<D>& n, double r2) {
                if (i == j && n.isZero()) return;
                out.push_back({static_cast<std::size_t>(i), static_cast<std::size_t>(j), n, r2});
            });
    return out;
}

/// Every (j, n) with |x_j + h n - p| < r, for a point p anywhere.
template <int D>
std::vector<pair_image<D>> brute_force_within(const box<D>& b, const coords<D>& x, const vec<D>& p, double r) {
    std::vector<pair_image<D>> out;
    for (Eigen::Index j = 0; j < x.cols(); ++j)
        for_each_image_within(b, vec<D>(x.col(j) - p), r, [&](const ivec<D>& n, double r2) {
            out.push_back({0, static_cast<std::size_t>(j), n, r2});
        });
    return out;
}

}  // namespace amorph::neighbor
