// amorph/dynamics/kinetic.hpp — kinetic energy, temperature and degrees of
// freedom, as LAMMPS's `compute temp` (the thermo temperature) defines them.
//
//   dof        = D N - removed, removed = D by default (LAMMPS's extra/dof:
//                the centre-of-mass motion), never below 0
//   sum_mv2    = sum_i m_i |v_i|^2
//   KE         = 1/2 mvv2e sum_mv2                      (thermo `ke`)
//   T          = mvv2e sum_mv2 / (dof k_B)              (thermo `temp`; 0 if dof = 0)
//   K_ab       = mvv2e sum_i m_i v_ia v_ib              (compute temp's vector)
//   P_ab       = (K_ab + W_ab) / V nktv2p,  p = tr(P)/D (thermo `press`, pxx ...)
//   momentum   = sum_i m_i v_i
// Sums run over atoms in storage order; they are serial and therefore do not
// depend on the number of threads.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/potential/result.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace amorph::dynamics {

/// Degrees of freedom of the thermo temperature: D N - removed (>= 0).
template <int D>
double degrees_of_freedom(const amorph::system<D>& sys, int removed = D) {
    const double d = static_cast<double>(D) * static_cast<double>(sys.size()) - removed;
    return std::max(0.0, d);
}

/// Per-type masses; throws when a species has no mass.
template <int D>
std::vector<double> type_masses(const amorph::system<D>& sys) {
    std::vector<double> m(sys.species.size());
    for (std::size_t t = 0; t < m.size(); ++t) {
        m[t] = sys.species[t].mass;
        if (!(m[t] > 0.0))
            throw invalid_argument("dynamics: species '" + sys.species[t].name +
                                   "' has no mass (set species masses before running dynamics)");
    }
    return m;
}

namespace detail {
template <int D>
void require_velocities(const amorph::system<D>& sys, const char* who) {
    if (!sys.has_velocities() || static_cast<std::size_t>(sys.velocities.cols()) != sys.size())
        throw invalid_argument(std::string(who) + ": the system has no velocities");
}
}  // namespace detail

/// sum_i m_i |v_i|^2 (0 without velocities).
template <int D>
double sum_mv2(const amorph::system<D>& sys) {
    if (!sys.has_velocities()) return 0.0;
    const auto m = type_masses(sys);
    double t = 0.0;
    const double* v = sys.velocities.data();
    for (std::size_t i = 0; i < sys.size(); ++i) {
        double vv = 0.0;
        for (int a = 0; a < D; ++a) vv += v[i * D + a] * v[i * D + a];
        t += vv * m[static_cast<std::size_t>(sys.types[i])];
    }
    return t;
}

/// Kinetic energy 1/2 mvv2e sum m v^2.
template <int D>
double kinetic_energy(const amorph::system<D>& sys) {
    return 0.5 * sys.units->mvv2e * sum_mv2(sys);
}

/// Temperature with `dof` degrees of freedom (0 when dof = 0).
template <int D>
double temperature(const amorph::system<D>& sys, double dof) {
    if (!(dof > 0.0)) return 0.0;
    return sum_mv2(sys) * (sys.units->mvv2e / (dof * sys.units->boltz));
}

/// Temperature with LAMMPS's default dof = D N - D.
template <int D>
double temperature(const amorph::system<D>& sys) {
    return temperature(sys, degrees_of_freedom(sys));
}

/// Kinetic tensor K_ab = mvv2e sum m v_a v_b.
template <int D>
mat<D> kinetic_tensor(const amorph::system<D>& sys) {
    mat<D> k = mat<D>::Zero();
    if (!sys.has_velocities()) return k;
    const auto m = type_masses(sys);
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const auto v = sys.velocities.col(static_cast<Eigen::Index>(i));
        k.noalias() += m[static_cast<std::size_t>(sys.types[i])] * (v * v.transpose());
    }
    return k * sys.units->mvv2e;
}

/// Total momentum sum m v.
template <int D>
vec<D> momentum(const amorph::system<D>& sys) {
    vec<D> p = vec<D>::Zero();
    if (!sys.has_velocities()) return p;
    const auto m = type_masses(sys);
    for (std::size_t i = 0; i < sys.size(); ++i)
        p += m[static_cast<std::size_t>(sys.types[i])] * sys.velocities.col(static_cast<Eigen::Index>(i));
    return p;
}

/// Pressure tensor from the current velocities and a force result's virial.
template <int D>
mat<D> pressure_tensor(const amorph::system<D>& sys, const potential::result<D>& r) {
    return (dynamics::kinetic_tensor(sys) + r.virial) * (sys.units->nktv2p / sys.box.volume());
}

/// One line of thermodynamic output (LAMMPS thermo keywords in parentheses).
template <int D>
struct thermo_sample {
    std::int64_t step = 0;       ///< (step)
    double time = 0.0;           ///< elapsed simulation time (time)
    double temperature = 0.0;    ///< (temp)
    double potential = 0.0;      ///< (pe)
    double kinetic = 0.0;        ///< (ke)
    double total = 0.0;          ///< (etotal)
    double pressure = 0.0;       ///< (press)
    mat<D> pressure_tensor = mat<D>::Zero();  ///< (pxx pyy pzz pxy pxz pyz)
    double volume = 0.0;         ///< (vol; area in 2D)
    double dof = 0.0;
    double conserved = 0.0;      ///< etotal + the integrator's reservoir energy (LAMMPS econserve)
};

/// Thermo values for the current state; the pressure needs r.virial.
template <int D>
thermo_sample<D> sample_thermo(const amorph::system<D>& sys, const potential::result<D>& r, double dof,
                               std::int64_t step = 0, double time = 0.0, double reservoir = 0.0) {
    thermo_sample<D> s;
    s.step = step;
    s.time = time;
    s.dof = dof;
    const double mv2 = sum_mv2(sys);
    s.kinetic = 0.5 * sys.units->mvv2e * mv2;
    s.temperature = dof > 0.0 ? mv2 * (sys.units->mvv2e / (dof * sys.units->boltz)) : 0.0;
    s.potential = r.energy;
    s.total = s.potential + s.kinetic;
    s.volume = sys.box.volume();
    s.pressure_tensor = dynamics::pressure_tensor(sys, r);
    s.pressure = s.pressure_tensor.trace() / D;
    s.conserved = s.total + reservoir;
    return s;
}

}  // namespace amorph::dynamics
