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

#include <concepts>
#include <cstddef>
#include <span>
#include <vector>

namespace amorph::dynamics::detail {

template <int D, class Kind>
class pruned_list {
public:
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
        entries_.clear();
        entries_.reserve(base.pair_count());
        const double* X = x.data();
        const double* S = base.shifts().data();
        for (std::size_t i = 0; i < n; ++i) {
            const double* xi = X + i * D;
            const double* row = r2.data() + static_cast<std::size_t>(types[i]) * static_cast<std::size_t>(ntypes);
            for (const auto& e : base.neighbors(i)) {
                const double* xj = X + static_cast<std::size_t>(e.j) * D;
                const double* sh = S + static_cast<std::size_t>(e.image) * D;
                double d2 = 0.0;
                for (int a = 0; a < D; ++a) {
                    const double d = xj[a] - xi[a] + sh[a];
                    d2 += d * d;
                }
                if (d2 < row[types[e.j]]) entries_.push_back(e);
            }
            offsets_[i + 1] = entries_.size();
        }
    }

private:
    const base_type* base_ = nullptr;
    std::vector<std::size_t> offsets_;
    std::vector<neighbor::entry> entries_;
};

}  // namespace amorph::dynamics::detail
