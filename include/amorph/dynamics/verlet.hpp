// amorph/dynamics/verlet.hpp — velocity Verlet (NVE), exactly LAMMPS's `fix nve`.
//
// One step from t to t + dt (dtf = dt/2 * ftm2v, and per type dtfm = dtf / m,
// computed in this order as LAMMPS does so that round-off agrees):
//     v += dtfm f(t)          half kick       (fix nve initial_integrate)
//     x += dt v               drift
//     f(t + dt) = forces(x)   force provider  (may rebuild the list / wrap x)
//     v += dtfm f(t + dt)     half kick       (fix nve final_integrate)
// The state is empty; the helpers half_kick() and drift() are shared with the
// Nose-Hoover integrators.
#pragma once

#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/kinetic.hpp"

#include <vector>

namespace amorph::dynamics {

namespace detail {

/// v += (dtf / m) f for every atom.
template <int D>
void half_kick(amorph::system<D>& sys, double dtf, const std::vector<double>& mass) {
    std::vector<double> dtfm(mass.size());
    for (std::size_t t = 0; t < mass.size(); ++t) dtfm[t] = dtf / mass[t];
    double* v = sys.velocities.data();
    const double* f = sys.forces.data();
    const int* type = sys.types.data();
    const std::size_t n = sys.size();
    for (std::size_t i = 0; i < n; ++i) {
        const double c = dtfm[static_cast<std::size_t>(type[i])];
        for (int a = 0; a < D; ++a) v[i * D + a] += c * f[i * D + a];
    }
}

/// x += dt v for every atom.
template <int D>
void drift(amorph::system<D>& sys, double dt) {
    double* x = sys.positions.data();
    const double* v = sys.velocities.data();
    const std::size_t m = sys.size() * D;
    for (std::size_t k = 0; k < m; ++k) x[k] += dt * v[k];
}

template <int D>
void require_md_ready(const amorph::system<D>& sys, const char* who) {
    require_velocities(sys, who);
    if (static_cast<std::size_t>(sys.forces.cols()) != sys.size())
        throw invalid_argument(std::string(who) + ": the system has no forces (evaluate them before the first step)");
}

}  // namespace detail

template <int D>
    requires supported_dimension<D>
class velocity_verlet {
public:
    struct state {
        void save(archive_writer& w) const { w.tag("nve"); }
        void load(archive_reader& r) { r.tag("nve"); }
    };

    template <class F>
    state init(amorph::system<D>& sys, F& ff, const step_context& ctx) const {
        state s;
        setup(s, sys, ff, ctx);
        return s;
    }

    template <class F>
    void setup(state&, amorph::system<D>& sys, F&, const step_context&) const {
        sys.enable_velocities();
        type_masses(sys);  // throws without masses
    }

    template <class F>
    void step(state&, amorph::system<D>& sys, F& ff, const step_context& ctx) const {
        detail::require_md_ready(sys, "velocity_verlet");
        const auto mass = type_masses(sys);
        const double dtf = 0.5 * ctx.dt * sys.units->ftm2v;
        detail::half_kick(sys, dtf, mass);
        detail::drift(sys, ctx.dt);
        ff.compute(sys);
        detail::half_kick(sys, dtf, mass);
    }

    double reservoir_energy(const state&, const amorph::system<D>&) const { return 0.0; }
};

}  // namespace amorph::dynamics
