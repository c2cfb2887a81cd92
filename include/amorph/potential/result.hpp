// amorph/potential/result.hpp — what a potential evaluation returns, and the
// pressure / per-atom stress in LAMMPS's conventions.
//
// result<D> (all in the units of the input, like LAMMPS):
//   energy            total potential energy E
//   forces            D x N, f_i = -dE/dx_i
//   energy_per_atom   N values summing to E (LAMMPS `compute pe/atom`): a pair
//                     term is split 1/2 : 1/2, a three-body term 1/3 each, an
//                     EAM embedding term goes to its atom; empty unless asked
//   virial            D x D tensor W = sum over interactions of r (x) f, e.g.
//                     W = sum_pairs force_over_r d (x) d for pairs; energy units
//                     (LAMMPS's `virial` before division by the volume)
//   virial_per_atom   nv x N with nv = 3 (xx, yy, xy) in 2D and 6 (xx, yy, zz,
//                     xy, xz, yz) in 3D, LAMMPS's per-atom `vatom`: pairs split
//                     1/2 : 1/2, three-body terms 1/3 each; empty unless asked
//
// Pressure (LAMMPS `compute pressure`, thermo `press`, `pxx` ...), with V the
// volume (area in 2D), K_ab = mvv2e sum_i m_i v_ia v_ib the kinetic tensor
// (zero when the system has no velocities) and nktv2p the unit conversion:
//     P_ab = (K_ab + W_ab) / V * nktv2p,       p = trace(P) / D.
// Per-atom stress (LAMMPS `compute stress/atom NULL`, pressure x volume units,
// bar A^3 in metal units):
//     s_i,ab = -(mvv2e m_i v_ia v_ib + W_i,ab) * nktv2p,
// note the minus sign: LAMMPS reports the negative of the per-atom virial,
// so sum_i s_i = -V P.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/units.hpp"
#include "amorph/core/vec.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace amorph::potential {

/// Which optional outputs to compute; forces and the total energy always are.
struct compute_options {
    bool energy_per_atom = false;
    bool virial = true;
    bool virial_per_atom = false;
    /// Number of work chunks of the deterministic parallel loops (0: a default
    /// that depends on the system size only). Results are bitwise independent
    /// of the number of threads; they depend (at round-off level) on this.
    std::size_t chunks = 0;

    static compute_options all() { return {true, true, true, 0}; }
};

/// Number of independent components of a symmetric D x D tensor (LAMMPS order).
template <int D>
inline constexpr int voigt_size = D == 2 ? 3 : 6;

/// Index pairs (a, b) of the Voigt components in LAMMPS order:
/// 2D xx, yy, xy; 3D xx, yy, zz, xy, xz, yz.
template <int D>
constexpr int voigt_a(int k) {
    if constexpr (D == 2) {
        constexpr int a[3] = {0, 1, 0};
        return a[k];
    } else {
        constexpr int a[6] = {0, 1, 2, 0, 0, 1};
        return a[k];
    }
}
template <int D>
constexpr int voigt_b(int k) {
    if constexpr (D == 2) {
        constexpr int b[3] = {0, 1, 1};
        return b[k];
    } else {
        constexpr int b[6] = {0, 1, 2, 1, 2, 2};
        return b[k];
    }
}

template <int D>
    requires supported_dimension<D>
struct result {
    static constexpr int nv = voigt_size<D>;
    using voigt_matrix = Eigen::Matrix<double, nv, Eigen::Dynamic>;

    double energy = 0.0;
    coords<D> forces;
    std::vector<double> energy_per_atom;
    mat<D> virial = mat<D>::Zero();
    voigt_matrix virial_per_atom;

    /// Zero everything for n atoms, allocating the optional outputs asked for.
    void reset(std::size_t n, const compute_options& opt) {
        const auto cols = static_cast<Eigen::Index>(n);
        energy = 0.0;
        forces = coords<D>::Zero(D, cols);
        if (opt.energy_per_atom) energy_per_atom.assign(n, 0.0);
        else energy_per_atom.clear();
        virial.setZero();
        if (opt.virial_per_atom) virial_per_atom = voigt_matrix::Zero(nv, cols);
        else virial_per_atom.resize(nv, 0);
    }

    std::size_t size() const noexcept { return static_cast<std::size_t>(forces.cols()); }
    bool has_energy_per_atom() const noexcept { return !energy_per_atom.empty() || size() == 0; }
    bool has_virial_per_atom() const noexcept { return virial_per_atom.cols() != 0 || size() == 0; }

    /// Per-atom virial of atom i as a symmetric D x D tensor.
    mat<D> atom_virial(std::size_t i) const {
        mat<D> w;
        for (int k = 0; k < nv; ++k) {
            const double v = virial_per_atom(k, static_cast<Eigen::Index>(i));
            w(voigt_a<D>(k), voigt_b<D>(k)) = v;
            w(voigt_b<D>(k), voigt_a<D>(k)) = v;
        }
        return w;
    }
};

/// Kinetic tensor K = mvv2e sum_i m_i v_i (x) v_i (zero without velocities).
template <int D>
mat<D> kinetic_tensor(const amorph::system<D>& sys) {
    mat<D> k = mat<D>::Zero();
    if (!sys.has_velocities()) return k;
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const auto v = sys.velocities.col(static_cast<Eigen::Index>(i));
        k += sys.mass(i) * (v * v.transpose());
    }
    return k * sys.units->mvv2e;
}

/// Pressure tensor P = (K + W) / V * nktv2p, as LAMMPS's compute pressure.
template <int D>
mat<D> pressure_tensor(const amorph::system<D>& sys, const result<D>& r) {
    return (kinetic_tensor(sys) + r.virial) * (sys.units->nktv2p / sys.box.volume());
}

/// Scalar pressure trace(P) / D (thermo `press`).
template <int D>
double pressure(const amorph::system<D>& sys, const result<D>& r) {
    return pressure_tensor(sys, r).trace() / D;
}

/// The six components xx, yy, zz, xy, xz, yz of a tensor (zeros for z in 2D),
/// the order of LAMMPS's pxx, pyy, pzz, pxy, pxz, pyz.
template <int D>
Eigen::Matrix<double, 6, 1> lammps_order(const mat<D>& t) {
    Eigen::Matrix<double, 6, 1> v = Eigen::Matrix<double, 6, 1>::Zero();
    v(0) = t(0, 0);
    v(1) = t(1, 1);
    v(3) = t(0, 1);
    if constexpr (D == 3) {
        v(2) = t(2, 2);
        v(4) = t(0, 2);
        v(5) = t(1, 2);
    }
    return v;
}

/// Per-atom stress as LAMMPS's `compute stress/atom NULL` (6 x N, order xx yy
/// zz xy xz yz, zeros for z in 2D): -(kinetic + virial) * nktv2p, including
/// the kinetic part when the system has velocities. Needs virial_per_atom.
template <int D>
Eigen::Matrix<double, 6, Eigen::Dynamic> stress_per_atom(const amorph::system<D>& sys, const result<D>& r) {
    const auto n = static_cast<Eigen::Index>(sys.size());
    if (r.virial_per_atom.cols() != n)
        throw invalid_argument("stress_per_atom: the result has no per-atom virial "
                               "(compute with compute_options::virial_per_atom)");
    Eigen::Matrix<double, 6, Eigen::Dynamic> s = Eigen::Matrix<double, 6, Eigen::Dynamic>::Zero(6, n);
    const double mvv2e = sys.units->mvv2e;
    const double nktv2p = sys.units->nktv2p;
    for (Eigen::Index i = 0; i < n; ++i) {
        for (int k = 0; k < result<D>::nv; ++k) {
            const int a = voigt_a<D>(k), b = voigt_b<D>(k);
            double v = r.virial_per_atom(k, i);
            if (sys.has_velocities())
                v += mvv2e * sys.mass(static_cast<std::size_t>(i)) * sys.velocities(a, i) * sys.velocities(b, i);
            const int out = D == 3 ? k : (k == 2 ? 3 : k);  // 2D xy goes to slot 3
            s(out, i) = -v * nktv2p;
        }
    }
    return s;
}

}  // namespace amorph::potential
