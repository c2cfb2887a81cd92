// amorph/dynamics/lbfgs.hpp — limited-memory BFGS minimization (Nocedal,
// Math. Comp. 35, 773 (1980); Liu & Nocedal, Math. Prog. 45, 503 (1989)).
//
// With g = -F the gradient and (s_k, y_k) = (x_k+1 - x_k, g_k+1 - g_k) the
// last m pairs with s.y > 0:
//   direction   d = -H g by the two-loop recursion, H_0 = gamma I,
//               gamma = s.y / y.y of the newest pair (without pairs: steepest
//               descent with the largest coordinate step `initial_step`);
//               if F.d <= 0 (not downhill) the memory is cleared and d = F
//   step cap    d is scaled so that no coordinate moves more than dmax
//   line search alpha = 1 first; accept when
//                 E(alpha) - E0 <= c1 alpha (F0.d)' + eps |E0|   (Armijo, c1 = 1e-4,
//                 with a round-off allowance eps = 1e-14 so that the last
//                 steps, where energy differences vanish in round-off, pass
//                 on the curvature test below)
//               and F(alpha).d >= -0.9 F0.d is not violated (no large overshoot:
//               |F(alpha).d| <= 0.9 F0.d or the energy decreased); otherwise
//               alpha = secant zero of the directional derivative, clamped to
//               [0.1, 0.5] alpha, at most `max_backtracks` times, after which
//               the memory is cleared and the iteration restarts from x0
//               along F ("linesearch alpha is zero" when that fails too)
//   memory      the pair is stored when s.y > 1e-16 |s| |y|
// Stopping criteria as minimize.hpp (energy criterion on consecutive
// iterations, force criterion in the chosen norm, evaluations).
// warm_start: the (s, y) memory at the end of a minimization is kept by the
// policy object (shared by its copies) and seeds the next minimization with
// it, e.g. the next AQS strain step, whose Hessian differs little; stale
// pairs are dropped as soon as they give an uphill direction.
#pragma once

#include "amorph/core/system.hpp"
#include "amorph/dynamics/minimize.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>

namespace amorph::dynamics {

struct lbfgs_options {
    int memory = 10;
    double c1 = 1e-4;
    int max_backtracks = 8;
    double initial_step = 0.01;  ///< largest coordinate step of the first (memoryless) direction
    bool warm_start = false;     ///< seed each minimization with the memory of the previous one
};

template <int D>
    requires supported_dimension<D>
class lbfgs {
public:
    lbfgs() = default;
    explicit lbfgs(lbfgs_options o) : o_(o) {
        if (o_.memory < 1) throw invalid_argument("lbfgs: memory must be >= 1");
    }
    const lbfgs_options& options() const noexcept { return o_; }

    struct state {
        std::deque<coords<D>> s, y;
        std::deque<double> rho;
        coords<D> x0, f0, d;
        coords<D> s_new, y_new;  ///< scratch for the next (s, y) pair
        double e = 0.0;
    };

    template <class Ctx>
    state init(Ctx& ctx) const {
        state st;
        st.e = ctx.ff.last().energy;
        if (o_.warm_start && warm_->s.size() && warm_->s.front().cols() == ctx.sys.forces.cols()) {
            st.s = warm_->s;
            st.y = warm_->y;
            st.rho = warm_->rho;
        }
        return st;
    }

    /// Called by minimize() at the end: keeps the memory for warm starts.
    void finish(state& st) const {
        if (!o_.warm_start) return;
        warm_->s = std::move(st.s);
        warm_->y = std::move(st.y);
        warm_->rho = std::move(st.rho);
    }

    template <class Ctx>
    std::optional<min_stop> iterate(state& st, Ctx& ctx) const {
        auto& sys = ctx.sys;
        const coords<D>& f = sys.forces;
        if (f.size() == 0 || f.cwiseAbs().maxCoeff() == 0.0) return min_stop::zero_forces;
        direction(st, f);
        double fd = dot(f, st.d);
        if (!(fd > 0.0)) {
            clear(st);
            direction(st, f);
            fd = dot(f, st.d);
            if (!(fd > 0.0)) return min_stop::not_downhill;
        }
        const double dm = st.d.cwiseAbs().maxCoeff();
        if (dm > ctx.opt.dmax) {
            st.d *= ctx.opt.dmax / dm;
            fd *= ctx.opt.dmax / dm;
        }
        st.x0 = sys.positions;
        st.f0 = f;
        const double e0 = st.e;
        const double eps = 1e-14 * std::abs(e0);
        double alpha = 1.0;
        bool restarted = false;
        for (int bt = 0;; ++bt) {
            sys.positions = st.x0 + alpha * st.d;
            const double e1 = ctx.ff.compute(sys).energy;
            ++ctx.evaluations;
            const double fd1 = dot(sys.forces, st.d);
            const bool armijo = e1 - e0 <= -o_.c1 * alpha * fd + eps;
            const bool curvature_ok = std::abs(fd1) <= 0.9 * fd || e1 < e0 - eps;
            if (armijo && curvature_ok) {
                // memory update with s = alpha d, y = g1 - g0 = f0 - f1, in
                // scratch buffers recycled from the dropped oldest pair (no
                // allocation per iteration)
                st.s_new.resize(D, st.d.cols());
                st.y_new.resize(D, st.d.cols());
                st.s_new.noalias() = alpha * st.d;
                st.y_new.noalias() = st.f0 - sys.forces;
                const double sy = dot(st.s_new, st.y_new);
                if (sy > 1e-16 * st.s_new.norm() * st.y_new.norm()) {
                    st.s.push_back(std::move(st.s_new));
                    st.y.push_back(std::move(st.y_new));
                    st.rho.push_back(1.0 / sy);
                    if (static_cast<int>(st.s.size()) > o_.memory) {
                        st.s_new = std::move(st.s.front());
                        st.y_new = std::move(st.y.front());
                        st.s.pop_front();
                        st.y.pop_front();
                        st.rho.pop_front();
                    }
                }
                const double eprev = st.e;
                st.e = e1;
                if (ctx.energy_converged(e1 * ctx.norm, eprev * ctx.norm)) return min_stop::energy_tolerance;
                if (ctx.force_converged()) return min_stop::force_tolerance;
                if (ctx.evaluations >= ctx.opt.max_evaluations) return min_stop::max_evaluations;
                return std::nullopt;
            }
            if (ctx.evaluations >= ctx.opt.max_evaluations) {
                sys.positions = st.x0;
                ctx.ff.compute(sys);
                return min_stop::max_evaluations;
            }
            if (bt + 1 >= o_.max_backtracks) {
                if (restarted) {
                    sys.positions = st.x0;
                    ctx.ff.compute(sys);
                    ++ctx.evaluations;
                    return min_stop::linesearch_alpha_zero;
                }
                // restart along the force with an empty memory
                clear(st);
                restarted = true;
                bt = -1;
                st.d = st.f0;
                const double m = st.d.cwiseAbs().maxCoeff();
                st.d *= std::min(1.0, ctx.opt.dmax / m) * 0.1;
                fd = dot(st.f0, st.d);
                alpha = 1.0;
                continue;
            }
            // secant zero of the directional derivative phi'(a) = -F(a).d
            double a = alpha;
            const double denom = fd - fd1;  // phi'(alpha) - phi'(0) in units of -1
            if (denom > 0.0) a = alpha * fd / denom;
            alpha = std::clamp(a, 0.1 * alpha, 0.5 * alpha);
        }
    }

private:
    // Eigen's vectorized reduction (a fixed order for a given size: deterministic);
    // a plain serial sum made the two-loop recursion cost as much as a force
    // evaluation for 10^4 atoms
    static double dot(const coords<D>& a, const coords<D>& b) {
        using V = Eigen::Map<const Eigen::VectorXd>;
        return V(a.data(), a.size()).dot(V(b.data(), b.size()));
    }
    static void clear(state& st) {
        st.s.clear();
        st.y.clear();
        st.rho.clear();
    }
    // d = H F  (= -H g) by the two-loop recursion
    void direction(state& st, const coords<D>& f) const {
        st.d = f;
        const std::size_t m = st.s.size();
        if (m == 0) {
            const double fm = f.cwiseAbs().maxCoeff();
            st.d *= o_.initial_step / fm;
            return;
        }
        std::vector<double> a(m);
        for (std::size_t k = m; k-- > 0;) {
            a[k] = st.rho[k] * dot(st.s[k], st.d);
            st.d -= a[k] * st.y[k];
        }
        const double gamma = dot(st.s[m - 1], st.y[m - 1]) / dot(st.y[m - 1], st.y[m - 1]);
        st.d *= gamma;
        for (std::size_t k = 0; k < m; ++k) {
            const double b = st.rho[k] * dot(st.y[k], st.d);
            st.d += (a[k] - b) * st.s[k];
        }
    }

    struct memory {
        std::deque<coords<D>> s, y;
        std::deque<double> rho;
    };
    lbfgs_options o_{};
    std::shared_ptr<memory> warm_ = std::make_shared<memory>();
};

}  // namespace amorph::dynamics
