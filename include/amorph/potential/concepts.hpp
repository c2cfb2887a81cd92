// amorph/potential/concepts.hpp — the policy contracts of the potential layer.
//
// Three levels of policy, each a C++20 concept:
//
//   pair_function   a bare pair interaction per species pair, no cutoff treatment:
//                     num_types(), cutoff(ti, tj), raw(r2, ti, tj) -> pair_value
//                   (lennard_jones, buckingham). `raw` is valid for any r2 > 0.
//   pair_kernel     what the pair force loop evaluates: a pair_function after a
//                   cutoff treatment (truncated<P>, shifted<P>, shifted_force<P>)
//                   or a sum of kernels (pair_sum<A, B>):
//                     num_types(), cutoff_sq(ti, tj), max_cutoff(),
//                     evaluate(r2, ti, tj) -> pair_value   (called only for r2 < cutoff_sq)
//   potential       anything compute() accepts (pair_potential<K>, eam,
//                   stillinger_weber, potential_sum<A, B>):
//                     typename P::list_kind (neighbor::half_t, neighbor::full_t)
//                     cutoff()                   largest interaction range
//                     accumulate(sys, list, opts, result&)   adds its contribution
//
// pair_value holds the energy E(r) and force_over_r = -(dE/dr) / r, so that the
// force on atom i from j is f_i = -force_over_r * (x_j - x_i) and the pair
// virial is W = force_over_r * d (x) d with d = x_j - x_i. Evaluators need no
// square root unless their formula does.
//
// pair_stiffness holds force_over_r = g and slope_over_r = h = (dg/dr) / r:
// the force on j, f_j = g d, has the Jacobian df_j/dx_j = g I + h d (x) d, the
// pair's block of the Hessian (potential/hessian.hpp). A pair function or kernel
// that has `stiffness(r2, ti, tj) -> pair_stiffness` (concept
// pair_kernel_with_stiffness) has a Hessian; h is the derivative of the force
// the loop evaluates, so the Hessian is the Jacobian of the forces exactly.
//
// Neighbor lists: compute() takes any list with the interface of
// neighbor::verlet_list (size(), neighbors(i) -> range of {j, image},
// shifts(), cutoff()); its kind is read from verlet_list<D, Kind> or from a
// static member `is_half`.
#pragma once

#include "amorph/core/vec.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ranges>
#include <type_traits>

namespace amorph::neighbor {
struct half_t;
struct full_t;
}  // namespace amorph::neighbor

namespace amorph::potential {

/// Energy and (-dE/dr)/r of one pair at one distance.
struct pair_value {
    double energy = 0.0;
    double force_over_r = 0.0;
};

/// g = -(dE/dr)/r and h = (dg/dr)/r of one pair at one distance.
struct pair_stiffness {
    double force_over_r = 0.0;
    double slope_over_r = 0.0;
};

template <class P>
concept pair_function = requires(const P& p, double r2, int ti, int tj) {
    { p.num_types() } -> std::convertible_to<int>;
    { p.cutoff(ti, tj) } -> std::convertible_to<double>;
    { p.raw(r2, ti, tj) } -> std::same_as<pair_value>;
};

template <class K>
concept pair_kernel = requires(const K& k, double r2, int ti, int tj) {
    { k.num_types() } -> std::convertible_to<int>;
    { k.cutoff_sq(ti, tj) } -> std::convertible_to<double>;
    { k.max_cutoff() } -> std::convertible_to<double>;
    { k.evaluate(r2, ti, tj) } -> std::same_as<pair_value>;
};

/// A kernel whose pairs have a stiffness (a Hessian).
template <class K>
concept pair_kernel_with_stiffness = pair_kernel<K> && requires(const K& k, double r2, int ti, int tj) {
    { k.stiffness(r2, ti, tj) } -> std::same_as<pair_stiffness>;
};

// --- neighbor lists ----------------------------------------------------------

template <class L>
concept neighbor_list = requires(const L& l, std::size_t i) {
    { l.size() } -> std::convertible_to<std::size_t>;
    { l.cutoff() } -> std::convertible_to<double>;
    { l.shifts() };
    { l.neighbors(i) } -> std::ranges::random_access_range;
    { std::ranges::begin(l.neighbors(i))->j } -> std::convertible_to<std::size_t>;
    { std::ranges::begin(l.neighbors(i))->image } -> std::convertible_to<std::size_t>;
};

namespace detail {
template <class L>
struct list_kind_of {
    using type = void;
};
template <template <int, class> class T, int D, class K>
struct list_kind_of<T<D, K>> {
    using type = K;
};
}  // namespace detail

/// The kind tag of a neighbor-list type: neighbor::half_t, neighbor::full_t,
/// or void when it cannot be told. Specialize for other list types.
template <class L>
struct list_kind_traits {
    using kind = std::conditional_t<
        !std::is_void_v<typename detail::list_kind_of<L>::type>, typename detail::list_kind_of<L>::type,
        void>;
};

template <class L>
inline constexpr bool is_half_list =
    std::is_same_v<typename list_kind_traits<std::remove_cvref_t<L>>::kind, neighbor::half_t>;
template <class L>
inline constexpr bool is_full_list =
    std::is_same_v<typename list_kind_traits<std::remove_cvref_t<L>>::kind, neighbor::full_t>;

/// The list kind a potential needs.
template <class P>
using required_list_kind = typename P::list_kind;

template <class P>
concept potential = requires(const P& p) {
    typename P::list_kind;
    { p.cutoff() } -> std::convertible_to<double>;
} && (std::is_same_v<typename P::list_kind, neighbor::half_t> ||
      std::is_same_v<typename P::list_kind, neighbor::full_t>);

template <class>
inline constexpr bool dependent_false = false;

}  // namespace amorph::potential
