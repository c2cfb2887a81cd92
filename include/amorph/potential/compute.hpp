// amorph/potential/compute.hpp — the free functions that evaluate a potential,
// and sums of potentials.
//
//   compute(p, sys, list, opts) -> result<D>       with a neighbor list you keep
//   compute(p, sys, opts)       -> result<D>       builds the list it needs
//   accumulate(p, sys, list, opts, result&)        adds p's terms to a result
//   potential_sum<A, B> / sum(a, b)                 A + B as one potential
//
// `p` must satisfy the `potential` concept (concepts.hpp); the list must be of
// the kind p needs (P::list_kind: half for pair potentials and EAM, full for
// Stillinger-Weber) and built with a cutoff >= p.cutoff() for the system's
// current positions (list.update(box, x) before each evaluation).
//
// potential_sum<A, B> adds two potentials that need the same list kind
// (e.g. a pair potential and, later, a k-space term); two pair kernels are
// better summed inside one loop with pair_sum<A, B> (cutoff.hpp).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/neighbor/verlet_list.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/result.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace amorph::potential {

namespace detail {
template <class P>
constexpr void require_potential() {
    static_assert(potential<P>,
                  "amorph::potential::compute: the first argument is not a potential. A potential P has "
                  "`using list_kind = neighbor::half_t` (or full_t), `double cutoff() const` and "
                  "`accumulate(system, list, compute_options, result&) const`; e.g. "
                  "pair_potential<shifted_force<lennard_jones>>, eam, stillinger_weber. "
                  "(A pair kernel such as truncated<lennard_jones> must be wrapped in pair_potential<>.)");
}
}  // namespace detail

/// Add p's energy, forces and virials for `sys` to `out`.
template <class P, int D, class List>
void accumulate(const P& p, const amorph::system<D>& sys, const List& nl, const compute_options& opt,
                result<D>& out) {
    detail::require_potential<P>();
    if constexpr (potential<P>) {
        static_assert(neighbor_list<List>, "amorph::potential::compute: the list argument is not a neighbor list");
        if constexpr (std::is_same_v<typename P::list_kind, neighbor::half_t>)
            static_assert(is_half_list<List>,
                          "amorph::potential::compute: this potential needs a half neighbor list "
                          "(neighbor::verlet_list<D, neighbor::half_t>)");
        else
            static_assert(is_full_list<List>,
                          "amorph::potential::compute: this potential needs a full neighbor list "
                          "(neighbor::verlet_list<D, neighbor::full_t>)");
        p.accumulate(sys, nl, opt, out);
    }
}

/// Energy, forces and (as asked) per-atom energy, virial and per-atom virial.
template <class P, int D, class List>
result<D> compute(const P& p, const amorph::system<D>& sys, const List& nl, const compute_options& opt = {}) {
    result<D> r;
    r.reset(sys.size(), opt);
    accumulate(p, sys, nl, opt, r);
    return r;
}

/// As above, building a neighbor list of the kind p needs (no skin).
template <class P, int D>
result<D> compute(const P& p, const amorph::system<D>& sys, const compute_options& opt = {}) {
    detail::require_potential<P>();
    if constexpr (potential<P>) {
        neighbor::verlet_list<D, typename P::list_kind> nl(p.cutoff(), 0.0);
        nl.build(sys.box, sys.positions);
        return compute(p, sys, nl, opt);
    } else {
        return {};
    }
}

/// Two potentials that share a neighbor list kind, as one potential.
template <class A, class B>
class potential_sum {
    static_assert(potential<A> && potential<B>, "amorph::potential::potential_sum<A, B>: A and B must be potentials");
    static_assert(std::is_same_v<typename A::list_kind, typename B::list_kind>,
                  "amorph::potential::potential_sum<A, B>: A and B need different neighbor-list kinds");

public:
    using list_kind = typename A::list_kind;
    potential_sum(A a, B b) : a_(std::move(a)), b_(std::move(b)) {}
    double cutoff() const { return std::max<double>(a_.cutoff(), b_.cutoff()); }
    const A& first() const noexcept { return a_; }
    const B& second() const noexcept { return b_; }

    template <int D, class List>
    void accumulate(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out) const {
        a_.accumulate(sys, nl, opt, out);
        b_.accumulate(sys, nl, opt, out);
    }

private:
    A a_;
    B b_;
};

template <class A, class B>
potential_sum<A, B> sum(A a, B b) {
    return potential_sum<A, B>(std::move(a), std::move(b));
}

}  // namespace amorph::potential

#ifdef AMORPH_COMPILED
// Every run-time potential's kernels are compiled in amorph::compiled: see
// their extern declarations (core/compiled.hpp) at the end of factory.hpp.
#include "amorph/potential/factory.hpp"
#endif
