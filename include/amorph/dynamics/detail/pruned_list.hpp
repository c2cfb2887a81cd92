// amorph/dynamics/detail/pruned_list.hpp — a Verlet list trimmed to per
// type-pair radii, for pair potentials whose cutoffs differ by type pair.
//
// neighbor::verlet_list uses one radius (largest cutoff + skin) for every
// pair; LAMMPS uses cut_ij + skin per type pair. For the 2D binary LJ
// (sigma_LL / sigma_SS = 1.9) that is 164k instead of 104k pairs for 10k atoms.
// pruned_list keeps, in the same order, the entries (i, j, image) of a built
// verlet_list with |x_j - x_i + shift|^2 < r_ij^2, r_ij = cut_ij + skin + delta,
// at the positions and cell of that build, and shares the base list's
// shifts(). It satisfies the potential layer's neighbor_list contract (same
// kind as the base list). Validity (force_field.hpp checks it): with the base
// list's criterion met, a pair absent here with |d0| >= r_ij is farther than
// cut_ij as long as smin(F) delta >= (smin(F) - 1)(cut_max - cut_min), F the
// cell deformation since the build (always true without expansion).
#pragma once

#include "amorph/core/vec.hpp"
#include "amorph/neighbor/verlet_list.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace amorph::dynamics::detail {

template <int D, class Kind>
class pruned_list {
public:
    using entry = neighbor::entry;
    static constexpr bool is_half = std::same_as<Kind, neighbor::half_t>;
    using base_type = neighbor::verlet_list<D, Kind>;

    std::size_t size() const noexcept { return offsets_.empty() ? 0 : offsets_.size() - 1; }
    double cutoff() const noexcept { return base_ ? base_->cutoff() : 0.0; }
    const coords<D>& shifts() const { return base_->shifts(); }
    std::span<const neighbor::entry> neighbors(std::size_t i) const {
        return {entries_.data() + offsets_[i], entries_.data() + offsets_[i + 1]};
    }
    std::size_t pair_count() const noexcept { return entries_.size(); }

    /// Keep the entries of `base` (built for x) within r2(t_i, t_j), a
    /// row-major ntypes x ntypes table of squared radii.
    void prune(const base_type& base, const coords<D>& x, const std::vector<int>& types,
               const std::vector<double>& r2, int ntypes) {
        base_ = &base;
        const std::size_t n = base.size();
        offsets_.assign(n + 1, 0);
        if (n == 0) {
            entries_.clear();
            return;
        }
        // Two parallel passes over blocks of atoms: mark the entries to keep
        // (and count them per atom), then copy them to their offsets; the
        // result is the serial one, in the same order.
        const entry* const first = base.neighbors(0).data();
        keep_.resize(base.pair_count());
        const double* X = x.data();
        const double* S = base.shifts().data();
        auto blocks = tbb::blocked_range<std::size_t>(0, n, 1024);
        tbb::parallel_for(blocks, [&](const auto& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
                const double* xi = X + i * D;
                const double* row = r2.data() + static_cast<std::size_t>(types[i]) * static_cast<std::size_t>(ntypes);
                const auto nb = base.neighbors(i);
                std::uint8_t* mark = keep_.data() + (nb.data() - first);
                std::size_t kept = 0;
                for (std::size_t q = 0; q < nb.size(); ++q) {
                    const auto& e = nb[q];
                    const double* xj = X + static_cast<std::size_t>(e.j) * D;
                    const double* sh = S + static_cast<std::size_t>(e.image) * D;
                    double d2 = 0.0;
                    for (int a = 0; a < D; ++a) {
                        const double d = xj[a] - xi[a] + sh[a];
                        d2 += d * d;
                    }
                    const bool k = d2 < row[types[e.j]];
                    mark[q] = static_cast<std::uint8_t>(k);
                    kept += k;
                }
                offsets_[i + 1] = kept;
            }
        });
        for (std::size_t i = 0; i < n; ++i) offsets_[i + 1] += offsets_[i];
        entries_.resize(offsets_[n]);
        tbb::parallel_for(blocks, [&](const auto& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
                const auto nb = base.neighbors(i);
                const std::uint8_t* mark = keep_.data() + (nb.data() - first);
                entry* dst = entries_.data() + offsets_[i];
                for (std::size_t q = 0; q < nb.size(); ++q)
                    if (mark[q]) *dst++ = nb[q];  // (an unconditional store could pass the atom's end)
            }
        });
    }

private:
    const base_type* base_ = nullptr;
    std::vector<std::size_t> offsets_;
    std::vector<neighbor::entry> entries_;
    std::vector<std::uint8_t> keep_;  // prune(): per base entry, kept or not
};

}  // namespace amorph::dynamics::detail
