// amorph/potential/detail/kspace_common.hpp — what the k-space solvers
// (ewald.hpp, pppm.hpp) share: charge sums, LAMMPS's accuracy convention, the
// cell in LAMMPS's restricted form, the reciprocal cell.
//
// Accuracy (LAMMPS `kspace_style ewald|pppm ACC`): ACC is relative to the
// force between two unit charges one distance unit apart,
//     accuracy = ACC * two_charge_force,  two_charge_force = qqr2e qelectron^2 / angstrom^2,
// which is qqr2e in metal and lj units (qelectron = angstrom = 1 there).
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/lammps_cell.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/vec.hpp"

#include <cmath>
#include <cstddef>
#include <string>

namespace amorph::potential::detail {

inline constexpr double kspace_pi = 3.14159265358979323846;
/// LAMMPS's tolerance on the net charge (kspace.cpp, SMALL).
inline constexpr double net_charge_tolerance = 1e-5;

struct charge_sums {
    double qsum = 0.0;    ///< sum q_i
    double qsqsum = 0.0;  ///< sum q_i^2
    std::size_t n = 0;
};

/// Throw unless every atom has a finite charge; who() names the caller in
/// the message (called only then, nothing is built on the hot path).
template <int D, class Who>
void require_charges(const amorph::system<D>& sys, const Who& who) {
    if (!sys.has_charges() || sys.charges.size() != sys.size())
        throw invalid_argument(who() + " needs per-atom charges (atom_style charge / full data, a q column, "
                                       "extxyz charge, or the CLI's --charge)");
    for (const double q : sys.charges)
        if (!std::isfinite(q)) throw invalid_argument(who() + ": non-finite charge");
}

/// Sums of the charges; throws unless every atom has a finite charge
/// (require_charges), the charges are not all zero and the cell is neutral
/// (|sum q| <= 1e-5).
template <int D, class Who>
charge_sums kspace_charges(const amorph::system<D>& sys, const Who& who) {
    require_charges(sys, who);
    charge_sums s;
    s.n = sys.size();
    for (const double q : sys.charges) {
        s.qsum += q;
        s.qsqsum += q * q;
    }
    if (s.qsqsum == 0.0) throw invalid_argument(who() + ": every charge is zero (LAMMPS: 'Using kspace solver on system with no charge')");
    if (std::abs(s.qsum) > net_charge_tolerance)
        throw invalid_argument(who() + ": the system is not charge neutral (net charge " + std::to_string(s.qsum) +
                               "); Ewald sums need a neutral cell");
    return s;
}

/// The cell in LAMMPS's restricted triclinic form (a along x, b in the xy
/// plane), h = [[xprd, xy, xz], [0, yprd, yz], [0, 0, zprd]]: h itself when
/// it is already restricted, else from core/lammps_cell.hpp's to_lammps (the
/// same numbers for any orientation of the cell).
inline mat<3> restricted_h(const mat<3>& h) {
    const box<3> cell(h);
    if (is_restricted(cell)) return h;
    const lammps_box L = to_lammps(cell).bounds;
    mat<3> r;
    r << L.xhi - L.xlo, L.xy, L.xz, 0.0, L.yhi - L.ylo, L.yz, 0.0, 0.0, L.zhi - L.zlo;
    return r;
}

/// LAMMPS's KSpace::lamda2xT: v = H^T lamda of the restricted cell, with the
/// absolute values of the tilts (how LAMMPS scales k-space bounds and meshes
/// of tilted cells).
inline vec<3> lamda2xT(const mat<3>& r, const vec<3>& lamda) {
    return {r(0, 0) * lamda(0), std::abs(r(0, 1)) * lamda(0) + r(1, 1) * lamda(1),
            std::abs(r(0, 2)) * lamda(0) + std::abs(r(1, 2)) * lamda(1) + r(2, 2) * lamda(2)};
}

/// Whether the cell is orthogonal (LAMMPS's non-triclinic box): h diagonal.
inline bool is_orthogonal(const mat<3>& h) {
    return h(0, 1) == 0.0 && h(0, 2) == 0.0 && h(1, 2) == 0.0 && h(1, 0) == 0.0 && h(2, 0) == 0.0 && h(2, 1) == 0.0;
}

}  // namespace amorph::potential::detail
