// amorph/potential/pair.hpp — the one force loop of all pair potentials.
//
// pair_potential<K> evaluates a pair_kernel K (a pair function after its
// cutoff treatment, or a pair_sum of kernels) on a half neighbor list. For
// every list entry (i, j, image) with d = x_j - x_i + shift(image) and
// r2 = |d|^2 < cutoff_sq(t_i, t_j), with (E, g) = K::evaluate(r2, t_i, t_j),
// g = -(dE/dr)/r:
//     f_i -= g d,  f_j += g d,  energy += E,  W += g d (x) d,
// per-atom energy E/2 and per-atom virial g d (x) d / 2 to each of i and j
// (LAMMPS's ev_tally, so `compute pe/atom` and `compute stress/atom` agree).
// A self-image entry (j == i through a periodic image) is one pair of images
// +n / -n: the force contributions cancel and the energy E goes to i, exactly
// the periodic-image sum.
//
// Parallel and deterministic: atoms are cut into fixed chunks of equal work,
// each chunk accumulates sequentially into its own buffers, and the buffers
// are reduced in chunk order (detail/chunked.hpp), so results do not depend
// on the number of threads.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/detail/chunked.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/detail/half_loop.hpp"
#include "amorph/potential/result.hpp"

#include <cstddef>
#include <utility>

namespace amorph::potential {

/// The kernel specialised to one species ti: K::row(ti) when the kernel has
/// one (hoists the table row out of the neighbor loop), else a thin wrapper.
template <class K>
auto kernel_row(const K& k, int ti) noexcept {
    if constexpr (requires { k.row(ti); }) {
        const auto r = k.row(ti);
        struct adapter {
            decltype(r) rw;
            double cutsq(int tj) const noexcept { return rw.cutoff_sq(tj); }
            pair_value eval(std::size_t, double r2, int tj) const noexcept { return rw.evaluate(r2, tj); }
        };
        return adapter{r};
    } else {
        struct adapter {
            const K& kk;
            int ti;
            double cutsq(int tj) const noexcept { return kk.cutoff_sq(ti, tj); }
            pair_value eval(std::size_t, double r2, int tj) const noexcept { return kk.evaluate(r2, ti, tj); }
        };
        return adapter{k, ti};
    }
}

template <class K>
class pair_potential {
    static_assert(pair_kernel<K>,
                  "amorph::potential::pair_potential<K>: K must be a pair_kernel (num_types(), cutoff_sq(ti, tj), "
                  "max_cutoff(), evaluate(r2, ti, tj) -> pair_value); wrap a bare pair function such as "
                  "lennard_jones in a cutoff treatment: truncated<>, shifted<> or shifted_force<>");

public:
    using list_kind = neighbor::half_t;
    using kernel_type = K;

    explicit pair_potential(K kernel) : k_(std::move(kernel)) {}

    double cutoff() const noexcept { return k_.max_cutoff(); }
    int num_types() const noexcept { return k_.num_types(); }
    const K& kernel() const noexcept { return k_; }

    /// Add this potential's energy, forces and virials to `out`.
    template <int D, class List>
    void accumulate(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out) const {
        static_assert(neighbor_list<List>, "pair_potential: the list argument is not a neighbor list");
        static_assert(is_half_list<List>,
                      "pair_potential needs a half neighbor list: neighbor::verlet_list<D, neighbor::half_t>");
        detail::check_inputs(sys, nl, cutoff(), num_types(), "pair_potential");
        detail::prepare(out, sys.size(), opt);
        detail::workspace_lease ws;
        detail::list_chunks(nl, sys.size(), opt, *ws);
        struct kernel_pair {
            const K& k;
            auto row(std::size_t, int ti) const noexcept { return kernel_row(k, ti); }
        };
        detail::half_pair_loop(sys, nl, opt, out, *ws, kernel_pair{k_});
    }

private:
    K k_;
};

/// Deduction helper: make_pair_potential(shifted_force(lennard_jones(...))).
template <class K>
pair_potential<K> make_pair_potential(K kernel) {
    return pair_potential<K>(std::move(kernel));
}

}  // namespace amorph::potential
