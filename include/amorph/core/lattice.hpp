// amorph/core/lattice.hpp — perfect crystals: a conventional cell and its
// basis, repeated n_1 x ... x n_D times in a periodic box.
//
// Atom (c, b) of cell c = (c_1, ..., c_D) and basis atom b sits at
//     x = h (c + s_b),   h = the cell's edge vectors (columns), s_b fractional,
// in the order c_1 (slowest) ... c_D, then b; the box is h diag(n) with its
// origin at 0, ids run 1..N. The builders below give the cubic conventional
// cells (edge a) of sc, bcc, fcc, diamond and B2 (CsCl, two types), and the
// 2D triangular lattice in its rectangular cell a x sqrt(3) a (nearest
// neighbors at a) and the square lattice.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/species.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/vec.hpp"

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace amorph {

template <int D>
    requires supported_dimension<D>
struct lattice {
    mat<D> cell = mat<D>::Identity();  ///< columns: the edge vectors of the cell
    std::vector<vec<D>> basis;         ///< fractional positions in the cell
    std::vector<int> types;            ///< type of each basis atom (0-based)
};

namespace lattices {

namespace detail {
inline lattice<3> cubic(double a, std::vector<vec<3>> basis, std::vector<int> types = {}) {
    lattice<3> l;
    l.cell = mat<3>::Identity() * a;
    if (types.empty()) types.assign(basis.size(), 0);
    l.basis = std::move(basis);
    l.types = std::move(types);
    return l;
}
}  // namespace detail

inline lattice<3> sc(double a) { return detail::cubic(a, {{0, 0, 0}}); }
inline lattice<3> bcc(double a) { return detail::cubic(a, {{0, 0, 0}, {0.5, 0.5, 0.5}}); }
inline lattice<3> fcc(double a) { return detail::cubic(a, {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}}); }
/// Two interpenetrating fcc lattices shifted by (1/4, 1/4, 1/4) a (Si, C).
inline lattice<3> diamond(double a) {
    return detail::cubic(a, {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0},
                             {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}});
}
/// CsCl structure: type 0 at the corner, type 1 at the centre (B2 CuZr).
inline lattice<3> b2(double a) { return detail::cubic(a, {{0, 0, 0}, {0.5, 0.5, 0.5}}, {0, 1}); }

inline lattice<2> square(double a) {
    lattice<2> l;
    l.cell = mat<2>::Identity() * a;
    l.basis = {vec<2>(0, 0)};
    l.types = {0};
    return l;
}
/// Triangular (hexagonal) lattice, nearest neighbors at a, in its
/// rectangular cell a x sqrt(3) a of two atoms.
inline lattice<2> triangular(double a) {
    lattice<2> l;
    l.cell << a, 0, 0, std::sqrt(3.0) * a;
    l.basis = {vec<2>(0, 0), vec<2>(0.5, 0.5)};
    l.types = {0, 0};
    return l;
}

}  // namespace lattices

/// n[0] x ... x n[D-1] cells of `l` in a periodic box, with `species`
/// (masses as given; every basis type must be one of them).
template <int D>
    requires supported_dimension<D>
system<D> make_crystal(const lattice<D>& l, const std::array<int, D>& n, species_list species) {
    if (l.basis.empty()) throw invalid_argument("make_crystal: the lattice has no basis atoms");
    if (l.types.size() != l.basis.size())
        throw invalid_argument("make_crystal: " + std::to_string(l.types.size()) + " types for " +
                               std::to_string(l.basis.size()) + " basis atoms");
    for (int t : l.types)
        if (t < 0 || static_cast<std::size_t>(t) >= species.size())
            throw invalid_argument("make_crystal: basis type " + std::to_string(t) + " is not among the " +
                                   std::to_string(species.size()) + " species");
    std::size_t cells = 1;
    vec<D> reps;
    for (int k = 0; k < D; ++k) {
        if (n[static_cast<std::size_t>(k)] < 1) throw invalid_argument("make_crystal: repetitions must be >= 1");
        cells *= static_cast<std::size_t>(n[static_cast<std::size_t>(k)]);
        reps(k) = n[static_cast<std::size_t>(k)];
    }
    system<D> s(box<D>(mat<D>(l.cell * reps.asDiagonal())), cells * l.basis.size());
    s.species = std::move(species);
    ivec<D> c = ivec<D>::Zero();
    std::size_t at = 0;
    for (std::size_t q = 0; q < cells; ++q) {
        for (std::size_t b = 0; b < l.basis.size(); ++b, ++at) {
            s.positions.col(static_cast<Eigen::Index>(at)) = l.cell * (c.template cast<double>() + l.basis[b]);
            s.types[at] = l.types[b];
        }
        for (int k = D - 1; k >= 0; --k) {  // next cell, the last axis fastest
            if (++c(k) < n[static_cast<std::size_t>(k)]) break;
            c(k) = 0;
        }
    }
    return s;
}

}  // namespace amorph
