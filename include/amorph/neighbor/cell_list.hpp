// amorph/neighbor/cell_list.hpp — binning of atoms for fixed-radius queries in any cell.
//
// Atoms are binned in fractional coordinates s = h^{-1}(x - o). Along axis k
// the cell's perpendicular width is w_k = 1 / |(h^{-1})_k| ((h^{-1})_k is the
// k-th row of the inverse cell matrix), and it is cut into
//     n_k = max(1, floor(q w_k / r))
// bins, so every bin is at least r/q wide in every direction, whatever the
// tilt. q = 1 normally; q = 2 or 3 when bins of width r would hold many atoms
// (long cutoffs), which tests fewer candidates per neighbor found.
// A sphere of radius r around a point maps to an ellipsoid in fractional space
// whose extent along s_k is +- r |(h^{-1})_k|; the bins that can hold a
// neighbor are therefore the ones within
//     m_k = ceil(r |(h^{-1})_k| n_k)
// bins of the query's bin along k (m_k = q unless the box is thinner than r).
// Along a periodic axis the stencil runs over *unwrapped* bin indices u; the
// bin is u mod n_k and the periodic image is floor(u / n_k). Each (bin, image)
// pair is visited once, so when r exceeds half the box the same atom is found
// through several images, as it must be, and never twice through the same one.
//
// Non-periodic axes are binned over the atoms' extent along that axis and
// have no images.
//
// Every hit reports the atom j, the integer lattice offset n such that the
// displacement from the query point p is  x_j + h n - p  (x_j as given, even
// when unwrapped), and that displacement.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/vec.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace amorph::neighbor {

/// Per type-pair radii for neighbor searches: the squared radius of types
/// (a, b) is r2[a * ntypes + b]; `types` holds each atom's type. r2 == nullptr:
/// none (one radius for all).
struct pair_radii {
    const int* types = nullptr;
    const double* r2 = nullptr;
    int ntypes = 0;
};

template <int D>
    requires supported_dimension<D>
class cell_list {
public:
    using vec_t = vec<D>;

    cell_list() = default;

    /// Bin the columns of `x` for queries of radius up to `r` in cell `b`.
    cell_list(const box<D>& b, const coords<D>& x, double r) { build(b, x, r); }

    void build(const box<D>& b, const coords<D>& x, double r) {
        if (!(r > 0.0) || !std::isfinite(r))
            throw invalid_argument("cell_list: query radius must be positive and finite, got " +
                                   std::to_string(r));
        if (!x.allFinite()) throw invalid_argument("cell_list: non-finite position");
        if (x.cols() > std::numeric_limits<std::uint32_t>::max() - 1)
            throw invalid_argument("cell_list: too many atoms for 32-bit indices");
        box_ = b;
        r_ = r;
        const auto n = static_cast<std::size_t>(x.cols());
        const mat<D>& hinv = b.h_inv();

        // Fractional coordinates, wrapped along periodic axes.
        std::vector<vec_t> s(n);
        std::vector<ivec<D>> f(n);
        for (std::size_t i = 0; i < n; ++i) s[i] = wrapped_fractional(b, x.col(static_cast<Eigen::Index>(i)), f[i]);

        // Bins are at least r/q wide, with q chosen so that a bin holds a few
        // atoms: when bins of width r would hold many, finer bins (and a wider
        // stencil) test fewer candidate pairs per neighbor found.
        const double per_bin_q1 = static_cast<double>(n) * std::pow(r, D) / std::max(b.volume(), 1e-300);
        const int q = std::clamp(static_cast<int>(std::pow(per_bin_q1 / 4.0, 1.0 / D)), 1, 3);
        const double bin_width = r / q;

        // Grid along each axis.
        std::size_t total = 1;
        for (int k = 0; k < D; ++k) {
            const double row = hinv.row(k).norm();
            double lo = 0.0, hi = 1.0;
            if (!b.periodic(k)) {
                lo = std::numeric_limits<double>::infinity();
                hi = -lo;
                for (const auto& si : s) {
                    lo = std::min(lo, si(k));
                    hi = std::max(hi, si(k));
                }
                if (n == 0) lo = 0.0, hi = 1.0;
                if (!(hi > lo)) hi = lo + 1.0;  // all atoms on one plane
            }
            lo_[k] = lo;
            span_[k] = hi - lo;
            const double width = span_[k] / row;  // perpendicular extent covered
            const double nb = std::floor(width / bin_width);
            nbins_[k] = static_cast<int>(std::clamp(nb, 1.0, 1024.0));
            const double reach = std::ceil(r * row * nbins_[k] / span_[k]);
            if (!(reach < 1e6))
                throw invalid_argument("cell_list: radius " + std::to_string(r) + " is far larger than the cell");
            reach_[k] = std::max(1, static_cast<int>(reach));
            total *= static_cast<std::size_t>(nbins_[k]);
        }
        // Refuse, rather than attempt, a stencil of more than a million bins
        // (a radius ~50 cells wide in 3D): the list would not fit in memory.
        double stencil = 1;
        for (int k = 0; k < D; ++k) stencil *= 2.0 * reach_[k] + 1;
        if (stencil > 1e6)
            throw invalid_argument("cell_list: radius " + std::to_string(r) +
                                   " spans too many periodic images of the cell (" + std::to_string(stencil) +
                                   " bins to search per atom); replicate the cell or use a smaller cutoff");
        // Keep the grid no larger than a few bins per atom.
        const std::size_t cap = std::max<std::size_t>(64, 4 * n);
        while (total > cap) {
            total = 1;
            for (int k = 0; k < D; ++k) {
                if (nbins_[k] > 1) {
                    const int old = nbins_[k];
                    nbins_[k] = std::max(1, old / 2);
                    // fewer, wider bins: the reach in bins can only shrink or stay
                    reach_[k] = std::max(1, static_cast<int>(std::ceil(
                                                r * hinv.row(k).norm() * nbins_[k] / span_[k])));
                }
                total *= static_cast<std::size_t>(nbins_[k]);
            }
        }

        // Counting sort of atoms into bins.
        std::vector<std::uint32_t> bin_of(n);
        bin_start_.assign(total + 1, 0);
        for (std::size_t i = 0; i < n; ++i) {
            bin_of[i] = static_cast<std::uint32_t>(flat(bin_coords(s[i])));
            ++bin_start_[bin_of[i] + 1];
        }
        for (std::size_t c = 0; c < total; ++c) bin_start_[c + 1] += bin_start_[c];
        std::vector<std::uint32_t> fill(bin_start_.begin(), bin_start_.end() - 1);
        xw_.resize(D, static_cast<Eigen::Index>(n));
        fw_.resize(D, static_cast<Eigen::Index>(n));
        index_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t slot = fill[bin_of[i]]++;
            xw_.col(slot) = b.to_cartesian(s[i]);
            fw_.col(slot) = f[i];
            index_[slot] = static_cast<std::uint32_t>(i);
        }
    }

    double radius() const noexcept { return r_; }
    const box<D>& cell() const noexcept { return box_; }
    std::size_t size() const noexcept { return index_.size(); }
    std::array<int, D> bins() const noexcept { return nbins_; }

    /// Call fn(j, n, d, r2) for every atom j and lattice offset n with
    /// |d|^2 < r2max, where d = x_j + h n - p and r2max <= radius()^2.
    /// The order of hits is deterministic (stencil order, then bin order).
    template <class Fn>
    void for_each_within(const vec_t& p, double r2max, Fn&& fn) const {
        ivec<D> fp;
        const vec_t sp = wrapped_fractional(box_, p, fp);
        const vec_t pw = box_.to_cartesian(sp);  // p = pw + h fp
        for_each_stencil_bin(bin_coords(sp), [&](std::uint32_t b0, std::uint32_t b1, const ivec<D>& img,
                                                 const vec_t& shift) {
            const vec_t off = shift - pw;
            for (std::uint32_t t = b0; t < b1; ++t) {
                const vec_t d = xw_.col(t) + off;
                const double r2 = d.squaredNorm();
                // x_j = xw_j + h fw_j and p = pw + h fp, so d = x_j + h (img - fw_j + fp) - p.
                if (r2 < r2max) fn(index_[t], ivec<D>(img - fw_.col(t) + fp), d, r2);
            }
        });
    }

    // --- bin-level access, for algorithms that work bin by bin ---------------

    std::size_t bin_count() const noexcept { return bin_start_.size() - 1; }
    /// Slots [first, second) of bin c; slots index the arrays below.
    std::pair<std::uint32_t, std::uint32_t> bin_slots(std::size_t c) const {
        return {bin_start_[c], bin_start_[c + 1]};
    }
    /// Original atom index of slot t.
    std::uint32_t slot_atom(std::uint32_t t) const { return index_[t]; }
    /// Wrapped Cartesian positions (D x N, slot order): x_atom = xw + h * fw.
    const coords<D>& slot_positions() const noexcept { return xw_; }
    /// Lattice offsets removed by wrapping (D x N, slot order).
    const icoords<D>& slot_images() const noexcept { return fw_; }
    /// Grid coordinates of bin c.
    std::array<int, D> bin_coords_of(std::size_t c) const {
        std::array<int, D> g;
        for (int k = 0; k < D; ++k) {
            g[k] = static_cast<int>(c % static_cast<std::size_t>(nbins_[k]));
            c /= static_cast<std::size_t>(nbins_[k]);
        }
        return g;
    }

    /// Reusable buffers for for_each_pair_in_bin (one per thread).
    struct pair_scratch {
        std::array<std::vector<double>, D> cx;  ///< shifted candidate positions (SoA)
        std::vector<std::uint32_t> slot;        ///< candidate slot
        std::vector<std::uint32_t> atom;        ///< candidate's atom index
        std::vector<int> type;                  ///< candidate's type (with per type-pair radii)
        std::vector<std::uint32_t> stencil;     ///< candidate's stencil bin
        std::vector<ivec<D>> image;             ///< periodic image of each stencil bin
        std::vector<std::uint32_t> hits;
        std::vector<double> r2;
    };

    /// Call fn(i, j, n, r2) for every atom i of bin `bin` and every atom j and
    /// lattice offset n with r2 = |x_j + h n - x_i|^2 < r2max (the pair (i, i, 0)
    /// excluded). The bin's stencil is gathered once into contiguous arrays
    /// and every atom of the bin is tested against it without branches, which
    /// is much faster than one for_each_within() per atom. Order: atoms of the
    /// bin in slot order; for each, candidates in stencil order. With
    /// UpperOnly, only the pairs with j >= i (what a half list keeps): the
    /// others are dropped in the branch-free pass, before any per-hit work.
    /// With per type-pair radii (radii.r2 set, each at most r2max), a pair
    /// of types (t_i, t_j) is reported only within its own radius, also
    /// decided in that pass.
    template <bool UpperOnly = false, class Fn>
    void for_each_pair_in_bin(std::size_t bin, double r2max, pair_scratch& sc, Fn&& fn,
                              const pair_radii& radii = {}) const {
        const std::uint32_t a0 = bin_start_[bin], a1 = bin_start_[bin + 1];
        if (a0 == a1) return;
        std::size_t nc = 0;
        sc.image.clear();
        for_each_stencil_bin(bin_coords_of(bin), [&](std::uint32_t b0, std::uint32_t b1, const ivec<D>& img,
                                                     const vec_t& shift) {
            const std::size_t base = nc, m = b1 - b0;
            if (base + m > sc.slot.size()) {  // grow-only buffers
                const std::size_t cap = 2 * (base + m);
                for (auto& v : sc.cx) v.resize(cap);
                sc.slot.resize(cap);
                sc.atom.resize(cap);
                sc.type.resize(cap);
                sc.stencil.resize(cap);
            }
            for (int k = 0; k < D; ++k) {
                double* dst = sc.cx[k].data() + base;
                for (std::size_t u = 0; u < m; ++u) dst[u] = xw_(k, static_cast<Eigen::Index>(b0 + u)) + shift(k);
            }
            const auto sid = static_cast<std::uint32_t>(sc.image.size());
            for (std::size_t u = 0; u < m; ++u) {
                sc.slot[base + u] = static_cast<std::uint32_t>(b0 + u);
                sc.atom[base + u] = index_[b0 + u];
                if (radii.r2 != nullptr) sc.type[base + u] = radii.types[index_[b0 + u]];
                sc.stencil[base + u] = sid;
            }
            sc.image.push_back(img);
            nc += m;
        });
        if (sc.hits.size() < nc) {
            sc.hits.resize(sc.slot.size());
            sc.r2.resize(sc.slot.size());
        }
        for (std::uint32_t t = a0; t < a1; ++t) {
            const std::uint32_t i = index_[t];
            std::array<const double*, D> c;
            std::array<double, D> xt;
            for (int a = 0; a < D; ++a) {
                c[a] = sc.cx[a].data();
                xt[a] = xw_(a, t);
            }
            // distances first (a loop the compiler vectorizes), then the hits
            double* r2s = sc.r2.data();
            for (std::size_t k = 0; k < nc; ++k) {
                double r2 = 0;
                for (int a = 0; a < D; ++a) {
                    const double da = c[a][k] - xt[a];
                    r2 += da * da;
                }
                r2s[k] = r2;
            }
            std::uint32_t* hit = sc.hits.data();
            std::size_t nh = 0;
            if (radii.r2 != nullptr) {
                const std::uint32_t* ca = sc.atom.data();
                const int* ct = sc.type.data();
                const double* row = radii.r2 + static_cast<std::size_t>(radii.types[i]) * static_cast<std::size_t>(radii.ntypes);
                for (std::size_t k = 0; k < nc; ++k) {
                    hit[nh] = static_cast<std::uint32_t>(k);
                    nh += static_cast<std::size_t>((r2s[k] < row[ct[k]]) & (!UpperOnly || ca[k] >= i));
                }
            } else if constexpr (UpperOnly) {
                const std::uint32_t* ca = sc.atom.data();
                for (std::size_t k = 0; k < nc; ++k) {
                    hit[nh] = static_cast<std::uint32_t>(k);
                    nh += static_cast<std::size_t>((r2s[k] < r2max) & (ca[k] >= i));
                }
            } else {
                for (std::size_t k = 0; k < nc; ++k) {
                    hit[nh] = static_cast<std::uint32_t>(k);
                    nh += (r2s[k] < r2max);
                }
            }
            const ivec<D> ft = fw_.col(t);
            for (std::size_t h = 0; h < nh; ++h) {
                const std::size_t k = hit[h];
                const std::uint32_t u = sc.slot[k];
                // x_j + h (img - fw_u) = xw_u + shift, so x_j - x_i + h n = d
                // with n = img - fw_u + fw_t
                const ivec<D> n = sc.image[sc.stencil[k]] - fw_.col(u) + ft;
                const std::uint32_t j = index_[u];
                if (j == i && n.isZero()) continue;
                fn(i, j, n, r2s[k]);
            }
        }
    }

    /// For every bin within the stencil of grid cell g, call
    /// fn(first_slot, end_slot, img, shift): the bin's atoms seen through the
    /// periodic image img (shift = h * img). Each (bin, image) once.
    template <class Fn>
    void for_each_stencil_bin(const std::array<int, D>& g, Fn&& fn) const {
        std::array<int, D> lo, hi;
        bool small = true;
        for (int k = 0; k < D; ++k) {
            lo[k] = g[k] - reach_[k];
            hi[k] = g[k] + reach_[k];
            if (!box_.periodic(k)) {
                lo[k] = std::max(lo[k], 0);
                hi[k] = std::min(hi[k], nbins_[k] - 1);
            }
            small &= hi[k] - lo[k] + 1 <= max_small_reach;
        }
        if (!small) return for_each_stencil_bin_general(lo, hi, fn);
        // Per axis: wrapped bin, periodic image and its Cartesian shift for
        // each offset, so the inner loops only add.
        int cnt[D], wk[D][max_small_reach], ik[D][max_small_reach];
        vec_t sh[D][max_small_reach];
        for (int k = 0; k < D; ++k) {
            cnt[k] = hi[k] - lo[k] + 1;
            for (int t = 0; t < cnt[k]; ++t) {
                const int u = lo[k] + t;
                const int q = floor_div(u, nbins_[k]);
                ik[k][t] = q;
                wk[k][t] = u - q * nbins_[k];
                sh[k][t] = box_.h().col(k) * static_cast<double>(q);
            }
        }
        ivec<D> img;
        if constexpr (D == 2) {
            for (int b = 0; b < cnt[1]; ++b) {
                const std::size_t row = static_cast<std::size_t>(wk[1][b]) * static_cast<std::size_t>(nbins_[0]);
                img(1) = ik[1][b];
                for (int a = 0; a < cnt[0]; ++a) {
                    const std::size_t cell = row + static_cast<std::size_t>(wk[0][a]);
                    const std::uint32_t b0 = bin_start_[cell], b1 = bin_start_[cell + 1];
                    if (b0 == b1) continue;
                    img(0) = ik[0][a];
                    fn(b0, b1, img, vec_t(sh[0][a] + sh[1][b]));
                }
            }
        } else {
            for (int c = 0; c < cnt[2]; ++c) {
                img(2) = ik[2][c];
                for (int b = 0; b < cnt[1]; ++b) {
                    const std::size_t row = (static_cast<std::size_t>(wk[2][c]) * static_cast<std::size_t>(nbins_[1]) +
                                             static_cast<std::size_t>(wk[1][b])) *
                                            static_cast<std::size_t>(nbins_[0]);
                    img(1) = ik[1][b];
                    const vec_t s12 = sh[1][b] + sh[2][c];
                    for (int a = 0; a < cnt[0]; ++a) {
                        const std::size_t cell = row + static_cast<std::size_t>(wk[0][a]);
                        const std::uint32_t b0 = bin_start_[cell], b1 = bin_start_[cell + 1];
                        if (b0 == b1) continue;
                        img(0) = ik[0][a];
                        fn(b0, b1, img, vec_t(sh[0][a] + s12));
                    }
                }
            }
        }
    }

private:
    static constexpr int max_small_reach = 16;

    /// The same visit for wide stencils (radius spanning many bins).
    template <class Fn>
    void for_each_stencil_bin_general(const std::array<int, D>& lo, const std::array<int, D>& hi, Fn& fn) const {
        std::array<int, D> u = lo;
        while (true) {
            std::array<int, D> w;
            ivec<D> img;
            for (int k = 0; k < D; ++k) {
                const int q = floor_div(u[k], nbins_[k]);
                img(k) = q;
                w[k] = u[k] - q * nbins_[k];
            }
            const std::size_t cell = flat(w);
            const std::uint32_t b0 = bin_start_[cell], b1 = bin_start_[cell + 1];
            if (b0 != b1) fn(b0, b1, img, vec_t(box_.h() * img.template cast<double>()));
            int k = 0;
            for (; k < D; ++k) {
                if (++u[k] <= hi[k]) break;
                u[k] = lo[k];
            }
            if (k == D) break;
        }
    }

    static int floor_div(int a, int b) {
        const int q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }

    /// Fractional coordinates of x, wrapped into [0, 1) along periodic axes;
    /// f receives the lattice offset removed (x = o + h (s + f)).
    static vec_t wrapped_fractional(const box<D>& b, const vec_t& x, ivec<D>& f) {
        vec_t s = b.to_fractional(x);
        f.setZero();
        for (int k = 0; k < D; ++k) {
            if (!b.periodic(k)) continue;
            const double fl = std::floor(s(k));
            s(k) -= fl;
            f(k) = checked_int(fl);
            if (s(k) >= 1.0) {  // -tiny - floor(-tiny) rounds to 1.0
                s(k) = 0.0;
                f(k) += 1;
            }
        }
        return s;
    }

    static int checked_int(double v) {
        if (!(std::abs(v) < 1e9))
            throw invalid_argument("cell_list: atom more than 1e9 cells away from the primary cell");
        return static_cast<int>(v);
    }

    std::array<int, D> bin_coords(const vec_t& s) const {
        std::array<int, D> c;
        for (int k = 0; k < D; ++k) {
            const double t = (s(k) - lo_[k]) / span_[k] * nbins_[k];
            c[k] = std::clamp(static_cast<int>(std::floor(t)), 0, nbins_[k] - 1);
        }
        return c;
    }

    std::size_t flat(const std::array<int, D>& c) const {
        std::size_t idx = 0;
        for (int k = D - 1; k >= 0; --k) idx = idx * static_cast<std::size_t>(nbins_[k]) + static_cast<std::size_t>(c[k]);
        return idx;
    }

    box<D> box_;
    double r_ = 0;
    std::array<int, D> nbins_{};
    std::array<int, D> reach_{};
    std::array<double, D> lo_{};
    std::array<double, D> span_{};
    std::vector<std::uint32_t> bin_start_;
    coords<D> xw_;                    ///< wrapped Cartesian positions, bin order
    icoords<D> fw_;                   ///< lattice offset removed by wrapping, bin order
    std::vector<std::uint32_t> index_;  ///< original index, bin order
};

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_CELL_LIST_TEMPLATES(P, D) P template class cell_list<D>;
AMORPH_EXTERN_TEMPLATES(AMORPH_CELL_LIST_TEMPLATES)

}  // namespace amorph::neighbor
