// amorph/dynamics/minimize.hpp — energy minimization: options, stopping
// criteria, the result report, and the driver shared by the minimizers
// (fire.hpp, cg.hpp), which follow LAMMPS's `minimize etol ftol maxiter maxeval`.
//
// A minimizer policy M (the concept minimizer<M, D, F>) has
//     typename M::state
//     m.init(ctx) -> state                     ff.last() holds the forces of sys
//     m.iterate(state, ctx) -> std::optional<min_stop>   one iteration: nullopt
//                                              to go on, else why it stopped
// with ctx a min_context (system, force provider, options, the evaluation
// counter, the energy function), and optionally m.finish(state) called at
// the end (L-BFGS keeps its memory there for warm starts). fire, cg and
// lbfgs are minimizers; so is any user type with those members.
// minimize(sys, ff, m, opt) evaluates the start (not counted, as in LAMMPS),
// iterates until a criterion holds and reports why it stopped.
//
// Stopping criteria (checked by the policies, in LAMMPS's order):
//   energy:  |E_k - E_{k-1}| < etol * 1/2 (|E_k| + |E_{k-1}| + eps_energy)
//            (etol = 0 disables it; eps_energy = 1e-8 as LAMMPS's EPS_ENERGY);
//   force:   ||F|| < ftol, with ||F|| the norm chosen by `norm`:
//              two  sqrt(sum_ia f_ia^2)   (LAMMPS default `min_modify norm two`)
//              max  max_i |f_i|           (largest per-atom force vector)
//              inf  max_ia |f_ia|         (largest force component)
//            (ftol = 0 disables it);
//   max_iterations, max_evaluations (force evaluations, the initial one not
//   counted, as LAMMPS counts them);
//   method-specific failures (line search, FIRE's v.f < 0 limit).
// Energies E are those LAMMPS's minimizer sees: the total potential energy,
// divided by N when `normalize` (LAMMPS `thermo_modify norm`, whose default
// is yes for lj units and no otherwise); this matters only for the absolute
// thresholds inside the line searches (eps_energy, EMACH, EPS_QUAD).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/kinetic.hpp"

#include <algorithm>
#include <concepts>
#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace amorph::dynamics {

enum class min_stop {
    max_iterations,
    max_evaluations,
    energy_tolerance,
    force_tolerance,
    not_downhill,
    linesearch_alpha_zero,
    zero_forces,
    quadratic_factors_zero,
    max_vdotf_negative,
};

/// LAMMPS's wording of each stopping criterion.
inline const char* to_string(min_stop s) noexcept {
    switch (s) {
        case min_stop::max_iterations: return "max iterations";
        case min_stop::max_evaluations: return "max force evaluations";
        case min_stop::energy_tolerance: return "energy tolerance";
        case min_stop::force_tolerance: return "force tolerance";
        case min_stop::not_downhill: return "search direction is not downhill";
        case min_stop::linesearch_alpha_zero: return "linesearch alpha is zero";
        case min_stop::zero_forces: return "forces are zero";
        case min_stop::quadratic_factors_zero: return "quadratic factors are zero";
        case min_stop::max_vdotf_negative: return "max iterations with v.f negative";
    }
    return "?";
}

/// True for the criteria that mean "converged" (tolerances met).
inline bool converged(min_stop s) noexcept {
    return s == min_stop::energy_tolerance || s == min_stop::force_tolerance || s == min_stop::zero_forces;
}

enum class force_norm { two, max, inf };

struct min_options {
    double etol = 0.0;
    double ftol = 1e-8;
    std::size_t max_iterations = 10000;
    std::size_t max_evaluations = 100000;
    force_norm norm = force_norm::two;
    /// Divide energies by N inside the minimizer (LAMMPS thermo_modify norm);
    /// unset: LAMMPS's default for the unit system (yes for lj, else no).
    std::optional<bool> normalize{};
    double dmax = 0.1;          ///< LAMMPS min_modify dmax (largest step of one coordinate)
    double eps_energy = 1e-8;   ///< LAMMPS EPS_ENERGY of the energy criterion
    /// Called after every iteration with (iteration, energy, ||F||_2).
    std::function<void(std::size_t, double, double)> on_iteration{};
};

struct min_result {
    min_stop reason = min_stop::max_iterations;
    std::string message;           ///< to_string(reason)
    std::size_t iterations = 0;
    std::size_t evaluations = 0;   ///< force evaluations (LAMMPS's count)
    double energy_initial = 0.0;   ///< total potential energy at the start
    double energy_previous = 0.0;  ///< at the next-to-last iteration
    double energy = 0.0;           ///< at the end
    double fnorm2_initial = 0.0, fnorm2 = 0.0;        ///< ||F||_2
    double fnorm_inf_initial = 0.0, fnorm_inf = 0.0;  ///< max component
    double fnorm_max = 0.0;                           ///< max per-atom |f_i|
    bool converged() const noexcept { return dynamics::converged(reason); }
};

namespace detail {

template <int D>
double fnorm_sqr(const coords<D>& f) {
    return f.squaredNorm();
}
template <int D>
double fnorm_inf(const coords<D>& f) {
    return f.size() ? f.cwiseAbs().maxCoeff() : 0.0;
}
template <int D>
double fnorm_max(const coords<D>& f) {
    return f.cols() ? std::sqrt(f.colwise().squaredNorm().maxCoeff()) : 0.0;
}
template <int D>
double force_norm_of(const coords<D>& f, force_norm n) {
    switch (n) {
        case force_norm::two: return std::sqrt(fnorm_sqr<D>(f));
        case force_norm::max: return fnorm_max<D>(f);
        case force_norm::inf: return fnorm_inf<D>(f);
    }
    return 0.0;
}

/// Turn the force provider's wrapping off while a minimizer runs (line
/// searches move atoms from stored positions).
template <class F>
class wrap_guard {
public:
    explicit wrap_guard(F& f) : f_(f) {
        if constexpr (requires { f.wrap(); }) {
            old_ = f.wrap();
            f.set_wrap(false);
        }
    }
    ~wrap_guard() {
        if constexpr (requires { f_.wrap(); }) f_.set_wrap(old_);
    }
    wrap_guard(const wrap_guard&) = delete;
    wrap_guard& operator=(const wrap_guard&) = delete;

private:
    F& f_;
    bool old_ = true;
};

}  // namespace detail

/// What a minimizer iteration needs besides the system and the forces.
template <int D, class F>
struct min_context {
    const min_options& opt;
    F& ff;
    amorph::system<D>& sys;
    double norm = 1.0;            ///< 1/N when energies are normalized, else 1
    std::size_t evaluations = 0;  ///< force evaluations so far
    std::size_t iterations = 0;

    /// Evaluate at the current positions; returns the (normalized) energy.
    double energy_force() {
        ++evaluations;
        return ff.compute(sys).energy * norm;
    }
    double energy() const { return ff.last().energy * norm; }
    const coords<D>& forces() const { return sys.forces; }
    /// The force criterion: ||F|| < ftol in the chosen norm.
    bool force_converged() const {
        return opt.ftol > 0.0 && detail::force_norm_of<D>(sys.forces, opt.norm) < opt.ftol;
    }
    bool energy_converged(double ecur, double eprev) const {
        return opt.etol > 0.0 &&
               std::abs(ecur - eprev) < opt.etol * 0.5 * (std::abs(ecur) + std::abs(eprev) + opt.eps_energy);
    }
};

/// The contract of a minimizer policy (see the header).
template <class M, int D, class F>
concept minimizer = force_provider<F, D> && requires(const M& m, min_context<D, F>& ctx, typename M::state& st) {
    { m.init(ctx) } -> std::same_as<typename M::state>;
    { m.iterate(st, ctx) } -> std::same_as<std::optional<min_stop>>;
};

/// Minimize the potential energy of sys with method m (fire, conjugate_gradient, lbfgs).
template <int D, class F, class M>
    requires minimizer<M, D, F>
min_result minimize(amorph::system<D>& sys, F& ff, const M& m, const min_options& opt = {}) {
    if (sys.empty()) throw invalid_argument("minimize: the system has no atoms");
    detail::wrap_guard<F> guard(ff);
    const bool normalize = opt.normalize.value_or(sys.units->name == "lj");
    min_context<D, F> ctx{opt, ff, sys, normalize ? 1.0 / static_cast<double>(sys.size()) : 1.0, 0, 0};
    ff.options().virial = false;
    ff.compute(sys);  // setup: not counted
    min_result res;
    res.energy_initial = ff.last().energy;
    res.fnorm2_initial = std::sqrt(detail::fnorm_sqr<D>(sys.forces));
    res.fnorm_inf_initial = detail::fnorm_inf<D>(sys.forces);
    auto st = m.init(ctx);
    double eprev_total = res.energy_initial;
    std::optional<min_stop> stop;
    while (!stop) {
        if (ctx.iterations >= opt.max_iterations) {
            stop = min_stop::max_iterations;
            break;
        }
        const double before = ff.last().energy;
        ++ctx.iterations;
        stop = m.iterate(st, ctx);
        eprev_total = before;
        if (opt.on_iteration)
            opt.on_iteration(ctx.iterations, ff.last().energy, std::sqrt(detail::fnorm_sqr<D>(sys.forces)));
    }
    if constexpr (requires { m.finish(st); }) m.finish(st);
    res.reason = *stop;
    res.message = to_string(res.reason);
    res.iterations = ctx.iterations;
    res.evaluations = ctx.evaluations;
    res.energy_previous = eprev_total;
    res.energy = ff.last().energy;
    res.fnorm2 = std::sqrt(detail::fnorm_sqr<D>(sys.forces));
    res.fnorm_inf = detail::fnorm_inf<D>(sys.forces);
    res.fnorm_max = detail::fnorm_max<D>(sys.forces);
    return res;
}

}  // namespace amorph::dynamics
