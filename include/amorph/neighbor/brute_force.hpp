// amorph/neighbor/brute_force.hpp — O(N^2) reference pair search, for tests.
//
// Enumerates every (i, j, n) with |x_j + h n - x_i| < r directly: for each
// pair the displacement is first reduced by rounding in fractional
// coordinates, d1 = d0 - h t, and then every offset m with
// |m_k| <= (r + |d1|) |(h^{-1})_k| on periodic axes is tried (any image within
// r needs |h m| < r + |d1|), giving n = m - t. Slow and obviously complete:
// the yardstick the cell and Verlet lists are tested against.
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

/// Every ordered pair (i, j, n), i == j included for n != 0, with distance < r.
template <int D>
std::vector<pair_image<D>> brute_force_pairs(const box<D>& b, const coords<D>& x, double r) {
    std::vector<pair_image<D>> out;
    const mat<D>& h = b.h();
    const mat<D>& hinv = b.h_inv();
    for (Eigen::Index i = 0; i < x.cols(); ++i)
        for (Eigen::Index j = 0; j < x.cols(); ++j) {
            const vec<D> d0 = x.col(j) - x.col(i);
            const vec<D> s = hinv * d0;
            ivec<D> t = ivec<D>::Zero();
            for (int k = 0; k < D; ++k)
                if (b.periodic(k)) t(k) = static_cast<int>(std::round(s(k)));
            const vec<D> d1 = d0 - h * t.template cast<double>();
            std::array<int, 3> lim{0, 0, 0};
            for (int k = 0; k < D; ++k)
                if (b.periodic(k)) lim[static_cast<std::size_t>(k)] = static_cast<int>(std::ceil((r + d1.norm()) * hinv.row(k).norm()));
            ivec<D> m;
            for (int a = -lim[0]; a <= lim[0]; ++a)
                for (int c = -lim[1]; c <= lim[1]; ++c)
                    for (int e = -lim[2]; e <= lim[2]; ++e) {
                        m(0) = a;
                        m(1) = c;
                        if constexpr (D == 3) m(2) = e;
                        const ivec<D> n = m - t;
                        if (i == j && n.isZero()) continue;
                        const double r2 = (d1 + h * m.template cast<double>()).squaredNorm();
                        if (r2 < r * r) out.push_back({static_cast<std::size_t>(i), static_cast<std::size_t>(j), n, r2});
                    }
        }
    return out;
}

}  // namespace amorph::neighbor
