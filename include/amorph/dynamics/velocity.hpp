// amorph/dynamics/velocity.hpp — initial velocities, as LAMMPS's
// `velocity all create T SEED dist gaussian mom yes rot no loop all`.
//
// create_velocities(sys, T, seed):
//   1. atoms are visited in increasing id (so the result does not depend on
//      storage order, up to the round-off of the sums in 2 and 3); atom i draws D numbers g_ia from the seeded generator
//      (random.hpp): standard normal (gaussian) or uniform in [-1/2, 1/2)
//      (uniform), and v_ia = g_ia / sqrt(m_i)   (Maxwell-Boltzmann shape);
//   2. zero total momentum: v_i -= (sum_j m_j v_j) / (sum_j m_j);
//   3. rescale all velocities by sqrt(T / T_now) so that the temperature with
//      dof = D N - D (kinetic.hpp) is exactly T (to round-off).
// LAMMPS's own random numbers cannot be reproduced; the distribution, the
// zero momentum and the exact temperature are the same.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace amorph::dynamics {

enum class velocity_distribution { gaussian, uniform };

struct velocity_options {
    velocity_distribution distribution = velocity_distribution::gaussian;
    bool zero_momentum = true;  ///< LAMMPS `mom yes`
    int dof_removed = -1;       ///< degrees of freedom removed from D N; -1: D (LAMMPS default)
};

/// Subtract the centre-of-mass velocity.
template <int D>
void zero_momentum(amorph::system<D>& sys) {
    detail::require_velocities(sys, "zero_momentum");
    const auto m = type_masses(sys);
    double mtot = 0.0;
    for (int t : sys.types) mtot += m[static_cast<std::size_t>(t)];
    if (!(mtot > 0.0)) return;
    const vec<D> vcm = momentum(sys) / mtot;
    sys.velocities.colwise() -= vcm;
}

/// Scale velocities so that the temperature with `dof` degrees of freedom is T.
template <int D>
void scale_to_temperature(amorph::system<D>& sys, double T, double dof) {
    detail::require_velocities(sys, "scale_to_temperature");
    if (!(T >= 0.0)) throw invalid_argument("scale_to_temperature: target temperature must be >= 0");
    const double now = temperature(sys, dof);
    if (T == 0.0 || !(now > 0.0)) {
        if (T > 0.0 && dof > 0.0)
            throw invalid_argument("scale_to_temperature: the system has zero kinetic energy; cannot scale to T > 0");
        sys.velocities.setZero();
        return;
    }
    sys.velocities *= std::sqrt(T / now);
}

/// Maxwell-Boltzmann velocities at exactly temperature T (see the header).
template <int D>
void create_velocities(amorph::system<D>& sys, double T, std::uint64_t seed, const velocity_options& opt = {}) {
    if (!(T >= 0.0) || !std::isfinite(T)) throw invalid_argument("create_velocities: temperature must be >= 0");
    const auto m = type_masses(sys);
    sys.enable_velocities();
    std::vector<std::size_t> order(sys.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sys.ids[a] < sys.ids[b]; });
    rng gen(seed);
    for (std::size_t i : order) {
        const double f = 1.0 / std::sqrt(m[static_cast<std::size_t>(sys.types[i])]);
        for (int a = 0; a < D; ++a) {
            const double g =
                opt.distribution == velocity_distribution::gaussian ? gen.gaussian() : gen.uniform() - 0.5;
            sys.velocities(a, static_cast<Eigen::Index>(i)) = g * f;
        }
    }
    if (opt.zero_momentum) zero_momentum(sys);
    const double dof = degrees_of_freedom(sys, opt.dof_removed < 0 ? D : opt.dof_removed);
    scale_to_temperature(sys, T, dof);
}

}  // namespace amorph::dynamics
