// amorph/core/vec.hpp — fixed-size vector and matrix aliases for dimension D.
//
// Dimension is a compile-time parameter everywhere in amorph (D = 2 or 3).
// A single vector is an Eigen column vector; per-atom arrays are stored as
// D x N matrices (one column per atom), see `coords<D>`.
#pragma once

#include <Eigen/Dense>

#include <concepts>

namespace amorph {

/// The dimensions amorph supports.
template <int D>
concept supported_dimension = (D == 2 || D == 3);

template <int D>
    requires supported_dimension<D>
using vec = Eigen::Matrix<double, D, 1>;

template <int D>
    requires supported_dimension<D>
using mat = Eigen::Matrix<double, D, D>;

template <int D>
    requires supported_dimension<D>
using ivec = Eigen::Matrix<int, D, 1>;

/// Per-atom D-vectors, one column per atom (contiguous, column-major).
template <int D>
    requires supported_dimension<D>
using coords = Eigen::Matrix<double, D, Eigen::Dynamic>;

/// Per-atom integer D-vectors (periodic image flags), one column per atom.
template <int D>
    requires supported_dimension<D>
using icoords = Eigen::Matrix<int, D, Eigen::Dynamic>;

}  // namespace amorph
