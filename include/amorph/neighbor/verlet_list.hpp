// amorph/neighbor/verlet_list.hpp — Verlet neighbor lists with a skin, half or full.
//
// A verlet_list<D, Kind> stores, for every atom i, the atoms j within
// r_list = cutoff + skin at build time, each as an `entry {j, image}`. The
// displacement from i to that neighbor is
//     d_ij = x_j - x_i + shifts().col(image),      shifts() = h * image_offsets(),
// with x the positions passed to build()/update() (wrapped or not). Because
// the list stores integer lattice offsets rather than Cartesian vectors, it
// stays valid under affine deformation of the cell (shifts() follows the
// current box) and works for any tilt and for cutoffs larger than half the
// cell: the same j may appear with several images, and i may be its own
// neighbor through a periodic image.
//
// Kinds (tag types):
//   full: every pair under both atoms;
//   half: every pair once, under the lower index (i < j); a self-image pair
//         (i, i, n) once, under the lexicographically positive offset n.
// Each atom's neighbors are sorted by (j, image), and image offsets are
// numbered in lexicographic order, so the list does not depend on the number
// of threads that built it.
//
// Rebuild criterion. Let F = h h0^{-1} map the cell at the last build to the
// current one, and delta_i = x_i - o - F (x0_i - o0) the motion of atom i
// beyond the affine map. A pair (with any image) absent from the list had
// |d0| >= r_list, and now |d| = |F d0 + delta_j - delta_i| >= s_min(F) r_list
// - (|delta|_(1) + |delta|_(2)), with s_min the smallest singular value of F
// and |delta|_(1), |delta|_(2) the two largest motions. update() rebuilds when
// that bound drops below the cutoff, so no pair within the cutoff is ever
// missed. Without deformation this is LAMMPS's "moved more than skin/2" rule.
//
// Per type-pair radii (build(b, x, radii), as LAMMPS's per-type neighbor
// cutoffs): a pair of types (t_i, t_j) is kept only within its own radius
// r_ij <= r_list, so a binary mixture whose cutoffs differ (the 2D LJ glass:
// 104k instead of 164k pairs for 10^4 atoms) stores and loops over no pair it
// cannot need. needs_rebuild() still tests r_list and cutoff(); the caller
// chooses radii for which that suffices (dynamics::force_field takes
// r_ij = cut_ij + skin + margin and rebuilds when the cell expands so much that
// the margin no longer covers it).
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/vec.hpp"
#include "amorph/neighbor/cell_list.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace amorph::neighbor {

struct half_t {};
struct full_t {};
inline constexpr half_t half{};
inline constexpr full_t full{};

/// The two kinds of neighbor list.
template <class K>
concept list_kind = std::same_as<K, half_t> || std::same_as<K, full_t>;

/// One neighbor: atom index j and the index of its lattice offset.
struct entry {
    std::uint32_t j;
    std::uint32_t image;
    friend bool operator==(const entry&, const entry&) = default;
};

namespace detail {
template <int D>
bool lex_positive(const ivec<D>& n) {
    for (int k = 0; k < D; ++k)
        if (n(k) != 0) return n(k) > 0;
    return false;
}

template <int D>
bool lex_less(const ivec<D>& a, const ivec<D>& b) {
    for (int k = 0; k < D; ++k)
        if (a(k) != b(k)) return a(k) < b(k);
    return false;
}

template <int D>
std::uint64_t pack(const ivec<D>& n) {
    constexpr int bits = 21;
    constexpr std::int64_t bias = std::int64_t{1} << (bits - 1);
    std::uint64_t key = 0;
    for (int k = 0; k < D; ++k) {
        const std::int64_t v = std::int64_t{n(k)} + bias;
        if (v < 0 || v >= 2 * bias) throw invalid_argument("neighbor list: periodic image offset out of range");
        key = (key << bits) | static_cast<std::uint64_t>(v);
    }
    return key;
}
}  // namespace detail

template <int D, class Kind>
    requires supported_dimension<D> && list_kind<Kind>
class verlet_list {
public:
    static constexpr bool is_half = std::same_as<Kind, half_t>;

    explicit verlet_list(double cutoff, double skin = 0.0) : cutoff_(cutoff), skin_(skin) {
        if (!(cutoff > 0.0) || !std::isfinite(cutoff))
            throw invalid_argument("verlet_list: cutoff must be positive and finite");
        if (!(skin >= 0.0) || !std::isfinite(skin))
            throw invalid_argument("verlet_list: skin must be >= 0 and finite");
    }

    verlet_list(double cutoff, double skin, Kind) : verlet_list(cutoff, skin) {}

    double cutoff() const noexcept { return cutoff_; }
    double skin() const noexcept { return skin_; }
    double list_radius() const noexcept { return cutoff_ + skin_; }

    /// Number of atoms the list was built for.
    std::size_t size() const noexcept { return offsets_.empty() ? 0 : offsets_.size() - 1; }
    /// Total number of stored entries.
    std::size_t pair_count() const noexcept { return entries_.size(); }
    /// How many times the list has been (re)built.
    std::size_t build_count() const noexcept { return builds_; }

    std::span<const entry> neighbors(std::size_t i) const {
        return {entries_.data() + offsets_[i], entries_.data() + offsets_[i + 1]};
    }
    /// CSR storage: neighbors of i are entries()[offsets()[i] .. offsets()[i+1]).
    const std::vector<std::size_t>& offsets() const noexcept { return offsets_; }
    const std::vector<entry>& entries() const noexcept { return entries_; }

    /// Integer lattice offsets (D x n_images), lexicographically sorted.
    const icoords<D>& image_offsets() const noexcept { return images_; }
    /// Cartesian shifts h * offset for the box of the last build()/update().
    const coords<D>& shifts() const noexcept { return shifts_; }

    /// Build from scratch.
    void build(const box<D>& b, const coords<D>& x) { build(b, x, pair_radii{}); }

    /// Build from scratch, keeping a pair of types (a, b) only within its own
    /// radius (see the header); radii.r2 == nullptr keeps every pair within
    /// list_radius(). Radii above list_radius() act as list_radius().
    void build(const box<D>& b, const coords<D>& x, const pair_radii& radii) {
        if (radii.r2 != nullptr && (radii.types == nullptr || radii.ntypes <= 0))
            throw invalid_argument("verlet_list: per type-pair radii need the atoms' types and the number of types");
        const double r = list_radius();
        const double r2 = r * r;
        const cell_list<D> cells(b, x, r);
        // radii beyond the list radius act as the list radius
        std::vector<double> clipped;
        pair_radii within = radii;
        if (radii.r2 != nullptr) {
            const std::size_t nt2 = static_cast<std::size_t>(radii.ntypes) * static_cast<std::size_t>(radii.ntypes);
            clipped.resize(nt2);
            for (std::size_t k = 0; k < nt2; ++k) clipped[k] = std::min(radii.r2[k], r2);
            within.r2 = clipped.data();
        }
        const std::size_t n = static_cast<std::size_t>(x.cols());

        // Work bin by bin: each stencil bin is fetched once for all atoms of a
        // bin, and atoms that are close in space are processed together.
        const std::size_t nbins = cells.bin_count();
        constexpr std::size_t bins_per_chunk = 32;
        const std::size_t nchunks = (nbins + bins_per_chunk - 1) / bins_per_chunk;
        struct chunk_out {
            std::vector<entry> e;                                   // image = local index
            std::vector<std::pair<std::uint32_t, std::uint32_t>> atoms;  // (atom, count), in order
            std::vector<ivec<D>> imgs;                              // local image table
        };
        std::vector<chunk_out> out(nchunks);
        std::vector<std::uint32_t> count(n, 0);

        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nchunks), [&](const auto& range) {
            typename cell_list<D>::pair_scratch scratch;
            for (std::size_t c = range.begin(); c != range.end(); ++c) {
                chunk_out& o = out[c];
                std::unordered_map<std::uint64_t, std::uint32_t> local;
                std::uint64_t last_key = ~std::uint64_t{0};
                std::uint32_t last_idx = 0;
                auto image_index = [&](const ivec<D>& img) {
                    const std::uint64_t key = detail::pack<D>(img);
                    if (key != last_key) {
                        auto [it, fresh] = local.try_emplace(key, static_cast<std::uint32_t>(o.imgs.size()));
                        if (fresh) o.imgs.push_back(img);
                        last_key = key;
                        last_idx = it->second;
                    }
                    return last_idx;
                };
                const std::size_t bin1 = std::min(nbins, (c + 1) * bins_per_chunk);
                for (std::size_t bin = c * bins_per_chunk; bin < bin1; ++bin) {
                    // atoms of a bin arrive one after the other: close each
                    // atom's run when the next atom starts
                    std::uint32_t current = ~std::uint32_t{0};
                    std::size_t before = o.e.size();
                    auto close = [&] {
                        if (current == ~std::uint32_t{0}) return;
                        const auto cnt = static_cast<std::uint32_t>(o.e.size() - before);
                        o.atoms.emplace_back(current, cnt);
                        count[current] = cnt;
                    };
                    const auto [a0, a1] = cells.bin_slots(bin);
                    std::uint32_t next_slot = a0;
                    cells.template for_each_pair_in_bin<is_half>(bin, r2, scratch, [&](std::uint32_t i, std::uint32_t j, const ivec<D>& nimg, double) {
                        while (current != i) {  // atoms without neighbors still get a (zero) run
                            close();
                            current = cells.slot_atom(next_slot++);
                            before = o.e.size();
                        }
                        if (j == i) {
                            if (is_half && !detail::lex_positive<D>(nimg)) return;
                        } else if (is_half && j < i) {
                            return;
                        }
                        o.e.push_back({j, image_index(nimg)});
                    }, within);
                    while (next_slot < a1) {
                        close();
                        current = cells.slot_atom(next_slot++);
                        before = o.e.size();
                    }
                    close();
                }
            }
        });

        // Global image table in lexicographic order.
        std::vector<ivec<D>> all;
        for (const auto& o : out) all.insert(all.end(), o.imgs.begin(), o.imgs.end());
        std::sort(all.begin(), all.end(), [](const ivec<D>& a, const ivec<D>& b) { return detail::lex_less<D>(a, b); });
        all.erase(std::unique(all.begin(), all.end()), all.end());
        images_.resize(D, static_cast<Eigen::Index>(all.size()));
        for (std::size_t k = 0; k < all.size(); ++k) images_.col(static_cast<Eigen::Index>(k)) = all[k];

        offsets_.assign(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) offsets_[i + 1] = offsets_[i] + count[i];
        entries_.resize(offsets_[n]);

        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nchunks), [&](const auto& range) {
            for (std::size_t c = range.begin(); c != range.end(); ++c) {
                const chunk_out& o = out[c];
                std::vector<std::uint32_t> remap(o.imgs.size());
                for (std::size_t k = 0; k < o.imgs.size(); ++k) {
                    auto it = std::lower_bound(all.begin(), all.end(), o.imgs[k],
                                               [](const ivec<D>& a, const ivec<D>& b) { return detail::lex_less<D>(a, b); });
                    remap[k] = static_cast<std::uint32_t>(it - all.begin());
                }
                const entry* src = o.e.data();
                for (const auto& [i, cnt] : o.atoms) {
                    entry* dst = entries_.data() + offsets_[i];
                    for (std::uint32_t k = 0; k < cnt; ++k, ++src) dst[k] = {src->j, remap[src->image]};
                    std::sort(dst, dst + cnt, [](const entry& a, const entry& b) {
                        return a.j != b.j ? a.j < b.j : a.image < b.image;
                    });
                }
            }
        });

        x0_ = x;
        h0_inv_ = b.h_inv();
        o0_ = b.origin();
        periodic0_ = b.periodic();
        ++builds_;
        set_shifts(b);
    }

    /// True when the list may miss a pair within the cutoff for these
    /// positions and this cell (see the criterion above).
    bool needs_rebuild(const box<D>& b, const coords<D>& x) const {
        if (offsets_.empty() || x.cols() != x0_.cols() || b.periodic() != periodic0_) return true;
        const mat<D> F = b.h() * h0_inv_;
        // smallest singular value of F: sqrt of the smallest eigenvalue of F^T F
        Eigen::SelfAdjointEigenSolver<mat<D>> eig;
        eig.computeDirect(F.transpose() * F, Eigen::EigenvaluesOnly);
        const double smin = std::sqrt(std::max(0.0, eig.eigenvalues()(0)));
        // the two largest non-affine motions (in parallel: a maximum does not
        // depend on the order); a NaN motion forces a rebuild (which then throws)
        struct top2 {
            double m1 = 0, m2 = 0;
            bool nan = false;
            void add(double d) {
                if (d != d) {
                    nan = true;
                } else if (d > m2) {
                    if (d > m1) {
                        m2 = m1;
                        m1 = d;
                    } else {
                        m2 = d;
                    }
                }
            }
        };
        const vec<D> o = b.origin();
        const top2 t = tbb::parallel_reduce(
            tbb::blocked_range<Eigen::Index>(0, x.cols(), 4096), top2{},
            [&](const tbb::blocked_range<Eigen::Index>& r, top2 acc) {
                for (Eigen::Index i = r.begin(); i != r.end(); ++i)
                    acc.add((x.col(i) - o - F * (x0_.col(i) - o0_)).norm());
                return acc;
            },
            [](top2 a, const top2& c) {
                a.nan = a.nan || c.nan;
                a.add(c.m1);
                a.add(c.m2);
                return a;
            });
        return t.nan || !(smin * list_radius() - (t.m1 + t.m2) >= cutoff_);
    }

    /// Rebuild if needed, else only refresh shifts() for the current cell.
    /// Returns true when the list was rebuilt.
    bool update(const box<D>& b, const coords<D>& x) {
        if (needs_rebuild(b, x)) {
            build(b, x);
            return true;
        }
        set_shifts(b);
        return false;
    }

private:
    void set_shifts(const box<D>& b) { shifts_ = b.h() * images_.template cast<double>(); }

    double cutoff_;
    double skin_;
    std::vector<std::size_t> offsets_;
    std::vector<entry> entries_;
    icoords<D> images_;
    coords<D> shifts_;
    coords<D> x0_;
    mat<D> h0_inv_ = mat<D>::Identity();
    vec<D> o0_ = vec<D>::Zero();
    typename box<D>::flags_t periodic0_{};
    std::size_t builds_ = 0;
};

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_VERLET_LIST_TEMPLATES(P, D) \
    P template class verlet_list<D, half_t>; \
    P template class verlet_list<D, full_t>;
AMORPH_EXTERN_TEMPLATES(AMORPH_VERLET_LIST_TEMPLATES)

}  // namespace amorph::neighbor
