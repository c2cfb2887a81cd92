// amorph/descriptor/concepts.hpp — what a descriptor is, so that a user's own
// plugs into softness training and prediction (learn/softness.hpp) like the
// built-in ones.
//
// A descriptor turns (configuration, neighbors, center atom) into a feature
// row. It has two parts:
//   feature_evaluator<E>     bound to one configuration (it has binned the
//                            atoms; it finds the neighbors itself):
//       e.n_features() -> std::size_t
//       e.compute(centers, out)      out: Eigen::Ref<feature_matrix> of
//                                    centers.size() x n_features(); row k gets
//                                    the features of atom centers[k] (storage
//                                    index). May run in parallel; must not
//                                    depend on the thread count.
//   descriptor<S, D>         settings that bind to a configuration:
//       make_evaluator(s, sys) -> a feature_evaluator   (found by argument-
//                                    dependent lookup: define it next to S)
// Built in: structure-function and reduced-PDF settings (`settings` ->
// structure_functions<D>, structure_functions.hpp) and spatial density maps
// (`sdm_settings<D>` -> sdm_evaluator<D>, the maps flattened to rows, sdm.hpp).
#pragma once

#include "amorph/core/system.hpp"

#include <Eigen/Core>

#include <concepts>
#include <cstddef>
#include <span>
#include <utility>

namespace amorph::descriptor {

/// Row-major feature matrix: one row per center atom.
using feature_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class E>
concept feature_evaluator =
    requires(const E& e, std::span<const std::size_t> centers, Eigen::Ref<feature_matrix> out) {
        { e.n_features() } -> std::convertible_to<std::size_t>;
        e.compute(centers, out);
    };

template <class S, int D>
concept descriptor = requires(const S& s, const amorph::system<D>& sys) {
    { make_evaluator(s, sys) } -> feature_evaluator;
};

/// The evaluator type a descriptor S gives for dimension D.
template <class S, int D>
    requires descriptor<S, D>
using evaluator_t = decltype(make_evaluator(std::declval<const S&>(), std::declval<const amorph::system<D>&>()));

}  // namespace amorph::descriptor
