// amorph/dynamics/fire.hpp — FIRE 2.0 minimization (Guenole, Noehring,
// Vaid, Houlle, Xie, Prakash, Bitzek, Comput. Mater. Sci. 175, 109584
// (2020)), with the parameters and the iteration of LAMMPS's `min_style fire`.
//
// Parameters (LAMMPS `min_modify` defaults): dt0 = the timestep (0: the unit
// system's default), dtmax = tmax dt0 (tmax 10), dtmin = tmin dt0 (tmin 0.02),
// delaystep N_delay = 20, dtgrow 1.1, dtshrink 0.5, alpha0 0.25, alphashrink
// 0.99, integrator eulerimplicit, halfstepback yes, initialdelay yes,
// vdfmax 2000; the minimizer's dmax (0.1) caps the largest coordinate step.
//
// Iteration k (v starts at 0, `fresh` = velocities were just reset):
//   P = v.F
//   P > 0:  s1 = 1 - alpha, s2 = alpha |v| / |F| (0 if |F|^2 <= 1e-20);
//           if k - k_last_negative > N_delay: dt = min(dt dtgrow, dtmax),
//           alpha *= alphashrink
//   P <= 0: k_last_negative = k; unless k - k_start < N_delay (initialdelay):
//           alpha = alpha0, and dt *= dtshrink if dt dtshrink >= dtmin;
//           count it (stop after vdfmax consecutive ones); halfstepback:
//           x -= dt/2 v; v = 0; fresh
//   fresh:  one extra force evaluation, v_trial = dt ftm2v F / m (only to
//           size the step), then v = 0
//   dtv = dt, reduced so that dtv max_ia |v_ia| <= dmax
//   integrate (eulerimplicit): v += dtv ftm2v F/m; if P > 0: v = s1 v + s2 F;
//           x += dtv v; evaluate E, F
//     (verlet: half kicks around the drift and the evaluation; eulerexplicit:
//      mixing, drift, then kick; leapfrog: eulerimplicit after an initial
//      backward half kick)
//   stop: energy criterion only when k - k_last_negative > N_delay; then the
//         force criterion (minimize.hpp).
#pragma once

#include "amorph/core/system.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/minimize.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace amorph::dynamics {

enum class fire_integrator { euler_implicit, verlet, leapfrog, euler_explicit };

struct fire_options {
    double dt = 0.0;  ///< initial timestep; 0 = the unit system's default (LAMMPS `timestep`)
    double tmax = 10.0;
    double tmin = 0.02;
    int delaystep = 20;
    double dtgrow = 1.1;
    double dtshrink = 0.5;
    double alpha0 = 0.25;
    double alphashrink = 0.99;
    fire_integrator integrator = fire_integrator::euler_implicit;
    bool halfstepback = true;
    bool initialdelay = true;
    int vdfmax = 2000;  ///< stop after this many consecutive v.F <= 0 (0: never)
};

template <int D>
    requires supported_dimension<D>
class fire {
public:
    fire() = default;
    explicit fire(fire_options o) : o_(o) {
        if (o_.tmax < o_.tmin) throw invalid_argument("fire: tmax must be >= tmin");
        if (o_.dtgrow < 1.0) throw invalid_argument("fire: dtgrow must be >= 1");
        if (o_.dtshrink > 1.0) throw invalid_argument("fire: dtshrink must be <= 1");
    }
    const fire_options& options() const noexcept { return o_; }

    struct state {
        coords<D> v;
        std::vector<double> mass;
        double dt = 0, dtmax = 0, dtmin = 0, alpha = 0;
        std::int64_t step = 0, last_negative = 0, start = 0;
        int vdotf_negative = 0;
        bool fresh = true;
        double ecurrent = 0, eprevious = 0;
    };

    template <class Ctx>
    state init(Ctx& ctx) const {
        auto& sys = ctx.sys;
        state s;
        s.mass = type_masses(sys);
        s.dt = o_.dt > 0.0 ? o_.dt : sys.units->dt;
        s.dtmax = o_.tmax * s.dt;
        s.dtmin = o_.tmin * s.dt;
        s.alpha = o_.alpha0;
        s.v = coords<D>::Zero(D, static_cast<Eigen::Index>(sys.size()));
        s.fresh = true;
        s.ecurrent = ctx.energy();
        if (o_.integrator == fire_integrator::leapfrog) {
            s.ecurrent = ctx.energy_force();
            kick(s, sys, -0.5 * s.dt * sys.units->ftm2v, true);
        }
        return s;
    }

    template <class Ctx>
    std::optional<min_stop> iterate(state& s, Ctx& ctx) const {
        auto& sys = ctx.sys;
        const std::int64_t k = ++s.step;
        const coords<D>& f = sys.forces;
        const double vdotf = dot(s.v, f);
        double scale1 = 0, scale2 = 0;
        if (vdotf > 0.0) {
            const double vdotv = dot(s.v, s.v);
            s.vdotf_negative = 0;
            const double fdotf = dot(f, f);
            scale1 = 1.0 - s.alpha;
            scale2 = fdotf <= 1e-20 ? 0.0 : s.alpha * std::sqrt(vdotv / fdotf);
            if (k - s.last_negative > o_.delaystep) {
                s.dt = std::min(s.dt * o_.dtgrow, s.dtmax);
                s.alpha *= o_.alphashrink;
            }
        } else {
            s.last_negative = k;
            const bool delay = !(k - s.start < o_.delaystep && o_.initialdelay);
            if (delay) {
                s.alpha = o_.alpha0;
                if (s.dt * o_.dtshrink >= s.dtmin) s.dt *= o_.dtshrink;
            }
            ++s.vdotf_negative;
            if (o_.vdfmax > 0 && s.vdotf_negative > o_.vdfmax) return min_stop::max_vdotf_negative;
            if (o_.halfstepback) sys.positions.noalias() -= (0.5 * s.dt) * s.v;
            s.v.setZero();
            s.fresh = true;
        }
        if (s.fresh) {
            ctx.energy_force();
            kick(s, sys, s.dt * sys.units->ftm2v, true);
        }
        double dtv = s.dt;
        {
            const double* v = s.v.data();
            const std::size_t n = sys.size();
            for (std::size_t i = 0; i < n; ++i) {
                double vmax = 0.0;
                for (int a = 0; a < D; ++a) vmax = std::max(vmax, std::abs(v[i * D + a]));
                if (dtv * vmax > ctx.opt.dmax) dtv = ctx.opt.dmax / vmax;
            }
        }
        if (s.fresh) s.v.setZero();
        const bool mix = vdotf > 0.0;
        switch (o_.integrator) {
            case fire_integrator::euler_implicit:
            case fire_integrator::leapfrog:
                implicit_step(s, sys, dtv, mix, scale1, scale2);
                s.eprevious = s.ecurrent;
                s.ecurrent = ctx.energy_force();
                break;
            case fire_integrator::verlet: {
                const double dtf = 0.5 * dtv * sys.units->ftm2v;
                implicit_step(s, sys, dtv, mix, scale1, scale2, dtf);
                s.eprevious = s.ecurrent;
                s.ecurrent = ctx.energy_force();
                kick(s, sys, dtf, false);
                break;
            }
            case fire_integrator::euler_explicit: {
                const double dtf = dtv * sys.units->ftm2v;
                const double* ff = sys.forces.data();
                double* v = s.v.data();
                double* x = sys.positions.data();
                for (std::size_t i = 0; i < sys.size(); ++i) {
                    const double dtfm = dtf / s.mass[static_cast<std::size_t>(sys.types[i])];
                    for (int a = 0; a < D; ++a) {
                        const std::size_t q = i * D + static_cast<std::size_t>(a);
                        if (mix) v[q] = scale1 * v[q] + scale2 * ff[q];
                        x[q] += dtv * v[q];
                        v[q] += dtfm * ff[q];
                    }
                }
                s.eprevious = s.ecurrent;
                s.ecurrent = ctx.energy_force();
                break;
            }
        }
        s.fresh = false;
        if (ctx.opt.etol > 0.0 && k - s.last_negative > o_.delaystep && ctx.energy_converged(s.ecurrent, s.eprevious))
            return min_stop::energy_tolerance;
        if (ctx.force_converged()) return min_stop::force_tolerance;
        if (ctx.evaluations >= ctx.opt.max_evaluations) return min_stop::max_evaluations;
        return std::nullopt;
    }

private:
    static double dot(const coords<D>& a, const coords<D>& b) {
        const double* pa = a.data();
        const double* pb = b.data();
        double s = 0.0;
        const auto n = static_cast<std::size_t>(a.size());
        for (std::size_t q = 0; q < n; q += D) {
            double t = 0.0;
            for (int c = 0; c < D; ++c) t += pa[q + static_cast<std::size_t>(c)] * pb[q + static_cast<std::size_t>(c)];
            s += t;
        }
        return s;
    }

    // v = dtf F / m (assign) or v += dtf F / m
    static void kick(state& s, const amorph::system<D>& sys, double dtf, bool assign) {
        const double* f = sys.forces.data();
        double* v = s.v.data();
        for (std::size_t i = 0; i < sys.size(); ++i) {
            const double dtfm = dtf / s.mass[static_cast<std::size_t>(sys.types[i])];
            for (int a = 0; a < D; ++a) {
                const std::size_t q = i * D + static_cast<std::size_t>(a);
                v[q] = assign ? dtfm * f[q] : v[q] + dtfm * f[q];
            }
        }
    }

    // v += dtfm F; mix; x += dtv v   (dtf defaults to dtv ftm2v)
    static void implicit_step(state& s, amorph::system<D>& sys, double dtv, bool mix, double s1, double s2,
                              double dtf = -1.0) {
        if (dtf < 0.0) dtf = dtv * sys.units->ftm2v;
        const double* f = sys.forces.data();
        double* v = s.v.data();
        double* x = sys.positions.data();
        for (std::size_t i = 0; i < sys.size(); ++i) {
            const double dtfm = dtf / s.mass[static_cast<std::size_t>(sys.types[i])];
            for (int a = 0; a < D; ++a) {
                const std::size_t q = i * D + static_cast<std::size_t>(a);
                v[q] += dtfm * f[q];
                if (mix) v[q] = s1 * v[q] + s2 * f[q];
                x[q] += dtv * v[q];
            }
        }
    }

    fire_options o_{};
};

}  // namespace amorph::dynamics
