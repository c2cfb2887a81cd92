// amorph/dynamics/cg.hpp — nonlinear conjugate gradient (Polak-Ribiere) with
// the line searches of LAMMPS's `min_style cg` (`min_modify line quadratic`
// by default, `backtrack`, `forcezero`).
//
// CG iteration (F = -grad E, g = previous F, h = search direction; g = h = F
// at the start, gg = F.F):
//   line search along h from x (below); stop if it fails;
//   stop on max_evaluations, then on the energy criterion, then on the force
//   criterion (minimize.hpp);
//   beta = max(0, (F.F - F.g) / gg)            (Polak-Ribiere, clipped at 0)
//   beta = 0 every n_dof iterations, n_dof = 3 N as LAMMPS counts it (restart)
//   gg = F.F;  g = F;  h = g + beta h;  if g.h <= 0: h = g (not downhill -> restart)
//
// Line searches (x0 = positions at the start; alpha_step(a): x = x0 + a h,
// evaluate; E are energies as the minimizer sees them, see minimize.hpp;
// fh = F.h normalized like E; dmax the largest coordinate step):
//   common:    fh0 = F.h <= 0 -> "not downhill"; alpha_max = min(1, dmax / max|h|);
//              max|h| = 0 -> "forces are zero"
//   backtrack: alpha = alpha_max; repeat: E = E(alpha); accept if
//              E - E0 <= -0.4 alpha fh0; else alpha /= 2, and when alpha <= 0
//              or 0.4 alpha fh0 <= 1e-8 (EMACH): back to x0, "energy tolerance"
//              if E < E0 else "linesearch alpha is zero"
//   quadratic (Dennis-Schnabel via the gradient): alpha = alpha_max,
//              (alpha_p, E_p, fh_p) = (0, E0, fh0); repeat: E = E(alpha),
//              fh = F.h; if |fh| or |fh - fh_p| < 1e-28: back to x0, "quadratic
//              factors are zero"; relerr = |1 - (1/2 (alpha - alpha_p)(fh + fh_p)
//              + E) / E_p|, alpha_q = alpha - (alpha - alpha_p) fh / (fh - fh_p)
//              (secant zero of fh); if relerr <= 0.1 and 0 < alpha_q < alpha_max:
//              E = E(alpha_q), accept if E - E0 < EMACH; then (from the last
//              evaluated point) accept if E - E0 <= -0.4 alpha fh0; else
//              (alpha_p, E_p, fh_p) = (alpha, E, fh), alpha /= 2, and on
//              alpha <= 0 or 0.4 alpha fh0 <= EMACH: back to x0, "linesearch
//              alpha is zero"
//   forcezero: LAMMPS's force-zero search (Asad Hasan): steps of size
//              min(0.1 |E0| / fh0, alpha_max / 2) grown by the linearized force
//              (at most x4) or cut back when fh changes sign (secant) or E rises
//              by >= 1e-12 (x0.1), until |fh / fh0| <= 0.1 without an energy
//              rise, or alpha > alpha_max; fails when the step < 1e-14 / max|h|
#pragma once

#include "amorph/core/system.hpp"
#include "amorph/dynamics/minimize.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>

namespace amorph::dynamics {

enum class line_search { quadratic, backtrack, forcezero };

struct cg_options {
    line_search line = line_search::quadratic;
};

template <int D>
    requires supported_dimension<D>
class conjugate_gradient {
public:
    conjugate_gradient() = default;
    explicit conjugate_gradient(cg_options o) : o_(o) {}
    const cg_options& options() const noexcept { return o_; }

    struct state {
        coords<D> g, h, x0;
        double gg = 0.0;
        double ecurrent = 0.0;
        std::int64_t nlimit = 1;
        double alpha_final = 0.0;
    };

    template <class Ctx>
    state init(Ctx& ctx) const {
        state s;
        s.g = ctx.sys.forces;
        s.h = ctx.sys.forces;
        s.gg = dot(s.g, s.g);
        s.ecurrent = ctx.energy();
        const double ndof = 3.0 * static_cast<double>(ctx.sys.size());
        s.nlimit = static_cast<std::int64_t>(std::min<double>(INT_MAX, ndof));
        return s;
    }

    template <class Ctx>
    std::optional<min_stop> iterate(state& s, Ctx& ctx) const {
        const double eprevious = s.ecurrent;
        std::optional<min_stop> fail;
        switch (o_.line) {
            case line_search::quadratic: fail = linemin_quadratic(s, ctx); break;
            case line_search::backtrack: fail = linemin_backtrack(s, ctx); break;
            case line_search::forcezero: fail = linemin_forcezero(s, ctx); break;
        }
        if (fail) return fail;
        if (ctx.evaluations >= ctx.opt.max_evaluations) return min_stop::max_evaluations;
        if (ctx.energy_converged(s.ecurrent, eprevious)) return min_stop::energy_tolerance;
        const coords<D>& f = ctx.sys.forces;
        double ff = 0.0, fg = 0.0;
        dot2(f, s.g, ff, fg);
        if (ctx.force_converged()) return min_stop::force_tolerance;
        double beta = std::max(0.0, (ff - fg) / s.gg);
        if ((static_cast<std::int64_t>(ctx.iterations) + 1) % s.nlimit == 0) beta = 0.0;
        s.gg = ff;
        s.g = f;
        s.h = s.g + beta * s.h;
        if (dot(s.g, s.h) <= 0.0) s.h = s.g;
        return std::nullopt;
    }

private:
    // flat sums over all coordinates (LAMMPS's loop order over its dof)
    static double dot(const coords<D>& a, const coords<D>& b) {
        const double* pa = a.data();
        const double* pb = b.data();
        double s = 0.0;
        const auto n = static_cast<std::size_t>(a.size());
        for (std::size_t q = 0; q < n; ++q) s += pa[q] * pb[q];
        return s;
    }
    static void dot2(const coords<D>& f, const coords<D>& h, double& ff, double& fh) {
        const double* pf = f.data();
        const double* ph = h.data();
        ff = fh = 0.0;
        const auto n = static_cast<std::size_t>(f.size());
        for (std::size_t q = 0; q < n; ++q) {
            ff += pf[q] * pf[q];
            fh += pf[q] * ph[q];
        }
    }

    template <class Ctx>
    static double alpha_step(state& s, Ctx& ctx, double alpha) {
        if (alpha > 0.0) ctx.sys.positions = s.x0 + alpha * s.h;
        else ctx.sys.positions = s.x0;
        return ctx.energy_force();
    }

    static constexpr double alpha_max_c = 1.0;
    static constexpr double alpha_reduce = 0.5;
    static constexpr double backtrack_slope = 0.4;
    static constexpr double quadratic_tol = 0.1;
    static constexpr double emach = 1.0e-8;
    static constexpr double eps_quad = 1.0e-28;

    template <class Ctx>
    std::optional<min_stop> linemin_backtrack(state& s, Ctx& ctx) const {
        const double eoriginal = s.ecurrent;
        const double fdothall = dot(ctx.sys.forces, s.h) * ctx.norm;
        if (fdothall <= 0.0) return min_stop::not_downhill;
        const double hmaxall = s.h.size() ? s.h.cwiseAbs().maxCoeff() : 0.0;
        double alpha = std::min(alpha_max_c, ctx.opt.dmax / hmaxall);
        if (hmaxall == 0.0) return min_stop::zero_forces;
        s.x0 = ctx.sys.positions;
        while (true) {
            s.ecurrent = alpha_step(s, ctx, alpha);
            const double de_ideal = -backtrack_slope * alpha * fdothall;
            const double de = s.ecurrent - eoriginal;
            if (de <= de_ideal) {
                s.alpha_final = alpha;
                return std::nullopt;
            }
            alpha *= alpha_reduce;
            if (alpha <= 0.0 || de_ideal >= -emach) {
                s.ecurrent = alpha_step(s, ctx, 0.0);
                s.alpha_final = 0.0;
                return de < 0.0 ? min_stop::energy_tolerance : min_stop::linesearch_alpha_zero;
            }
        }
    }

    template <class Ctx>
    std::optional<min_stop> linemin_quadratic(state& s, Ctx& ctx) const {
        const double eoriginal = s.ecurrent;
        const double fdothall = dot(ctx.sys.forces, s.h) * ctx.norm;
        if (fdothall <= 0.0) return min_stop::not_downhill;
        const double hmaxall = s.h.size() ? s.h.cwiseAbs().maxCoeff() : 0.0;
        const double alphamax = std::min(alpha_max_c, ctx.opt.dmax / hmaxall);
        if (hmaxall == 0.0) return min_stop::zero_forces;
        s.x0 = ctx.sys.positions;
        double alpha = alphamax;
        double fhprev = fdothall;
        double engprev = eoriginal;
        double alphaprev = 0.0;
        while (true) {
            s.ecurrent = alpha_step(s, ctx, alpha);
            double ff = 0.0, fh = 0.0;
            dot2(ctx.sys.forces, s.h, ff, fh);
            ff *= ctx.norm;
            fh *= ctx.norm;
            const double delfh = fh - fhprev;
            if (std::abs(fh) < eps_quad || std::abs(delfh) < eps_quad) {
                s.ecurrent = alpha_step(s, ctx, 0.0);
                return min_stop::quadratic_factors_zero;
            }
            const double relerr = std::abs(1.0 - (0.5 * (alpha - alphaprev) * (fh + fhprev) + s.ecurrent) / engprev);
            const double alpha0 = alpha - (alpha - alphaprev) * fh / delfh;
            if (relerr <= quadratic_tol && alpha0 > 0.0 && alpha0 < alphamax) {
                s.ecurrent = alpha_step(s, ctx, alpha0);
                if (s.ecurrent - eoriginal < emach) {
                    s.alpha_final = alpha0;
                    return std::nullopt;
                }
            }
            const double de_ideal = -backtrack_slope * alpha * fdothall;
            const double de = s.ecurrent - eoriginal;
            if (de <= de_ideal) {
                s.alpha_final = alpha;
                return std::nullopt;
            }
            fhprev = fh;
            engprev = s.ecurrent;
            alphaprev = alpha;
            alpha *= alpha_reduce;
            if (alpha <= 0.0 || de_ideal >= -emach) {
                s.ecurrent = alpha_step(s, ctx, 0.0);
                s.alpha_final = 0.0;
                return min_stop::linesearch_alpha_zero;
            }
        }
    }

    template <class Ctx>
    std::optional<min_stop> linemin_forcezero(state& s, Ctx& ctx) const {
        constexpr double alpha_fact = 0.1, zero_energy = 1e-12, grad_tol = 0.1, min_alpha_fac = 1e-14,
                         limit_boost = 4.0;
        const double eoriginal = s.ecurrent;
        const double fdothall = dot(ctx.sys.forces, s.h) * ctx.norm;
        if (fdothall <= 0.0) return min_stop::not_downhill;
        const double hmaxall = s.h.size() ? s.h.cwiseAbs().maxCoeff() : 0.0;
        const double alpha_max = ctx.opt.dmax / hmaxall;
        if (hmaxall == 0.0) return min_stop::zero_forces;
        s.x0 = ctx.sys.positions;
        double fhCurr = fdothall;
        const double fhoriginal = fhCurr;
        double engCurr = eoriginal;
        const double alpha_init = 0.1 * std::abs(eoriginal) / fdothall;
        double alpha = 0.0;
        double alpha_del = std::min(alpha_init, 0.5 * alpha_max);
        while (true) {
            bool backtrack = false;
            const double fhPrev = fhCurr;
            const double engPrev = engCurr;
            alpha += alpha_del;
            if (alpha > alpha_max) {
                alpha -= alpha_del;
                s.alpha_final = alpha;
                return std::nullopt;
            }
            engCurr = alpha_step(s, ctx, alpha);
            s.ecurrent = engCurr;
            double ff = 0.0;
            dot2(ctx.sys.forces, s.h, ff, fhCurr);
            fhCurr *= ctx.norm;
            const double de = engCurr - engPrev;
            if (de >= zero_energy) backtrack = true;
            if (!backtrack && std::abs(fhCurr / fhoriginal) <= grad_tol) {
                s.alpha_final = alpha;
                return std::nullopt;
            }
            if (fhCurr < 0.0) backtrack = true;
            if (backtrack) {
                alpha -= alpha_del;
                if (fhCurr < 0.0) alpha_del *= fhPrev / (fhPrev - fhCurr);
                else alpha_del *= alpha_fact;
                engCurr = engPrev;
                s.ecurrent = engCurr;
                fhCurr = fhPrev;
                if (hmaxall * alpha_del <= min_alpha_fac) {
                    engCurr = alpha_step(s, ctx, 0.0);
                    s.ecurrent = engCurr;
                    return min_stop::linesearch_alpha_zero;
                }
            } else {
                double boost = limit_boost;
                if (fhPrev > fhCurr) boost = fhCurr / (fhPrev - fhCurr);
                boost = std::min(boost, limit_boost);
                alpha_del *= boost;
            }
        }
    }

    cg_options o_{};
};

}  // namespace amorph::dynamics
