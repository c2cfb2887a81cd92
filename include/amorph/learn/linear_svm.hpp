// amorph/learn/linear_svm.hpp — L2-regularized L2-loss linear SVM (classifier)
// and SVR (regressor), the LIBLINEAR formulations used by both source studies.
//
// Problems (x_i in R^d, n samples, bias feature value B, bias weight w_b):
//   SVC (labels y_i = +-1; LIBLINEAR -s 1 (dual) / -s 2 (primal)):
//     min_w  1/2 (|w|^2 + r w_b^2) + C sum_i max(0, 1 - y_i f_i)^2
//   SVR (targets y_i; LIBLINEAR -s 12 (dual) / -s 11 (primal); thesis eq 4.7):
//     min_w  1/2 (|w|^2 + r w_b^2) + C sum_i max(0, |y_i - f_i| - epsilon)^2
//   with the decision value f_i = w . x_i + b and the intercept b = B w_b:
//     bias_mode::regularized   r = 1 — LIBLINEAR's -B B: the bias is an extra
//                              feature of value B whose weight is regularized
//                              (scikit-learn's intercept_scaling = B); default;
//     bias_mode::unregularized r = 0 — the textbook SVM intercept;
//     bias_mode::none          no intercept (b = 0), e.g. when the features
//                              already hold a constant column (thesis eq 4.6).
// Both problems are strictly convex in (w, w_b) when r = 1, so every solver
// reaches the same minimizer; `objective` reports the primal objective above.
//
// Solvers (written here rather than linking Debian's liblinear-dev: amorph is
// header-only and a compiled C library would force every consumer to link it,
// and each method is ~100 lines):
//   solver::dual_cd — dual coordinate descent (Hsieh et al., ICML 2008, for
//     SVC; Ho & Lin, JMLR 2012, for SVR), the algorithm of LIBLINEAR -s 1 / -s 12
//     and of scikit-learn's LinearSVC(dual=True) / LinearSVR(dual=True). Dual of
//     SVC: min_a 1/2 a' Q a - sum a, a >= 0, Q_ij = y_i y_j z_i.z_j + delta_ij/(2C)
//     (z_i = [x_i, B]); w = sum_i a_i y_i z_i. Dual of SVR: min_b 1/2 b' Q b -
//     y.b + epsilon |b|_1, Q_ij = z_i.z_j + delta_ij/(2C); w = sum_i b_i z_i. One
//     variable at a time in a random order (seeded) per pass. Stops when
//     max PG - min PG <= tol (SVC, PG the projected gradient, with LIBLINEAR's
//     shrinking of variables stuck at 0) or when the summed violation of the
//     optimality conditions <= tol x its value in the first pass (SVR).
//     Cost per pass O(n d). Needs r = 1 or no bias.
//   solver::primal_newton — finite Newton method on the primal (Keerthi &
//     DeCoste, JMLR 2005): g = R w + sum_i l'_i z_i, generalized Hessian
//     H = R + sum_{i active} l''_i z_i z_i' (l'' = 2C on the active samples:
//     margin violated / outside the epsilon tube), step -H^{-1} g with an exact
//     line search on the piecewise-quadratic objective. Converges in a few
//     iterations to round-off (|g| <= newton_tol |g(0)|); cost O(n d^2 + d^3)
//     per iteration, so meant for d up to a few thousand. Handles r = 0.
//   solver::automatic — dual_cd, or primal_newton for bias_mode::unregularized.
//
// Softness (Cubuk et al.; alumina): the signed distance of x to the hyperplane,
//   S(x) = (w . x + b) / |w|      (|w| without the bias weight),
// positive on the side of label +1 (e.g. rearranging atoms).
#pragma once

#include "amorph/core/error.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace amorph::learn {

/// Row-major sample matrix: one row per sample.
using row_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

enum class bias_mode { regularized, unregularized, none };
enum class solver { automatic, dual_cd, primal_newton };
enum class task { classification, regression };

struct linear_options {
    double C = 1.0;                          ///< regularization parameter (> 0)
    double epsilon = 0.1;                    ///< SVR tube half-width (LIBLINEAR -p default)
    bias_mode bias = bias_mode::regularized;
    double bias_value = 1.0;                 ///< B, the value of the bias feature
    solver method = solver::automatic;
    double tol = 1e-4;                       ///< dual_cd stopping tolerance (see above)
    std::size_t max_iter = 100000;           ///< dual_cd passes over the data
    double newton_tol = 1e-12;               ///< primal_newton: stop at |g| <= newton_tol |g(0)|
    std::size_t max_newton_iter = 200;
    std::uint64_t seed = 1;                  ///< order of the coordinate updates
    bool shrinking = true;                   ///< dual_cd SVC shrinking
};

/// A trained linear model: decision value f(x) = w . x + b.
struct linear_fit {
    Eigen::VectorXd w;
    double b = 0;
    double objective = 0;        ///< primal objective at the solution
    std::size_t iterations = 0;  ///< passes (dual_cd) or Newton steps
    bool converged = false;

    /// w . x_i + b for every row.
    Eigen::VectorXd decision(const Eigen::Ref<const row_matrix>& X) const {
        return (X * w).array() + b;
    }
    /// Signed distance to the hyperplane, (w . x + b) / |w|.
    Eigen::VectorXd signed_distance(const Eigen::Ref<const row_matrix>& X) const {
        const double n = w.norm();
        if (!(n > 0)) throw invalid_argument("signed distance: the weight vector is zero");
        return decision(X) / n;
    }
};

namespace detail {

inline void check_common(const Eigen::Ref<const row_matrix>& X, std::size_t ny, const linear_options& o) {
    auto need = [](bool ok, const std::string& m) {
        if (!ok) throw invalid_argument("linear SVM: " + m);
    };
    need(X.rows() > 0 && X.cols() > 0, "empty training set");
    need(static_cast<std::size_t>(X.rows()) == ny, "feature rows (" + std::to_string(X.rows()) +
                                                       ") and labels (" + std::to_string(ny) + ") differ in number");
    need(X.allFinite(), "non-finite feature value");
    need(o.C > 0 && std::isfinite(o.C), "C must be positive");
    need(o.epsilon >= 0 && std::isfinite(o.epsilon), "epsilon must be >= 0");
    need(o.bias_value > 0 && std::isfinite(o.bias_value), "bias value must be positive");
    need(o.tol > 0 && o.newton_tol > 0, "tolerances must be positive");
}

/// Uniform integer in [0, n) from a 64-bit engine (same on every platform).
inline std::size_t below(std::mt19937_64& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

/// Per-sample loss: value, first and second derivative in f (the decision value).
struct svc_loss {
    std::span<const double> y;
    double C;
    double value(std::size_t i, double f) const {
        const double m = 1 - y[i] * f;
        return m > 0 ? C * m * m : 0.0;
    }
    double d1(std::size_t i, double f) const {
        const double m = 1 - y[i] * f;
        return m > 0 ? -2 * C * y[i] * m : 0.0;
    }
    double d2(std::size_t i, double f) const { return 1 - y[i] * f > 0 ? 2 * C : 0.0; }
};

struct svr_loss {
    std::span<const double> y;
    double C, eps;
    double value(std::size_t i, double f) const {
        const double m = std::abs(y[i] - f) - eps;
        return m > 0 ? C * m * m : 0.0;
    }
    double d1(std::size_t i, double f) const {
        const double r = y[i] - f;
        const double m = std::abs(r) - eps;
        return m > 0 ? -2 * C * (r > 0 ? 1.0 : -1.0) * m : 0.0;
    }
    double d2(std::size_t i, double f) const { return std::abs(y[i] - f) - eps > 0 ? 2 * C : 0.0; }
};

/// Augmented design z_i = [x_i, B] (or x_i without a bias).
inline row_matrix augmented(const Eigen::Ref<const row_matrix>& X, const linear_options& o) {
    if (o.bias == bias_mode::none) return X;
    row_matrix Z(X.rows(), X.cols() + 1);
    Z.leftCols(X.cols()) = X;
    Z.col(X.cols()).setConstant(o.bias_value);
    return Z;
}

template <class Loss>
double objective(const Eigen::Ref<const row_matrix>& X, const Loss& loss, const linear_fit& m, const linear_options& o) {
    double f = 0.5 * m.w.squaredNorm();
    if (o.bias == bias_mode::regularized) f += 0.5 * (m.b / o.bias_value) * (m.b / o.bias_value);
    const Eigen::VectorXd dec = m.decision(X);
    for (Eigen::Index i = 0; i < X.rows(); ++i) f += loss.value(static_cast<std::size_t>(i), dec(i));
    return f;
}

/// Finite Newton method on the primal; returns the weights of the augmented design.
template <class Loss>
linear_fit primal_newton(const Eigen::Ref<const row_matrix>& X, const Loss& loss, const linear_options& o) {
    const row_matrix Z = augmented(X, o);
    const Eigen::Index n = Z.rows(), d = Z.cols();
    Eigen::VectorXd reg = Eigen::VectorXd::Ones(d);
    if (o.bias == bias_mode::unregularized) reg(d - 1) = 0;
    Eigen::VectorXd w = Eigen::VectorXd::Zero(d), f = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd l1(n);
    auto gradient = [&](Eigen::VectorXd& g) {
        for (Eigen::Index i = 0; i < n; ++i) l1(i) = loss.d1(static_cast<std::size_t>(i), f(i));
        g = reg.cwiseProduct(w) + Z.transpose() * l1;
    };
    Eigen::VectorXd g;
    gradient(g);
    const double g0 = g.norm();
    linear_fit out;
    std::size_t it = 0;
    bool converged = !(g0 > 0);
    for (; !converged && it < o.max_newton_iter; ++it) {
        // generalized Hessian over the active samples
        std::vector<Eigen::Index> act;
        for (Eigen::Index i = 0; i < n; ++i)
            if (loss.d2(static_cast<std::size_t>(i), f(i)) > 0) act.push_back(i);
        row_matrix ZA(static_cast<Eigen::Index>(act.size()), d);
        for (std::size_t k = 0; k < act.size(); ++k) ZA.row(static_cast<Eigen::Index>(k)) = Z.row(act[k]);
        Eigen::MatrixXd H = reg.asDiagonal();
        H.selfadjointView<Eigen::Lower>().rankUpdate(ZA.transpose(), 2 * (act.empty() ? 0.0 : loss.C));
        Eigen::LLT<Eigen::MatrixXd> llt(H.selfadjointView<Eigen::Lower>());
        if (llt.info() != Eigen::Success) {  // singular (unregularized bias, nothing active): tiny ridge
            H.diagonal().array() += 1e-12 * std::max(1.0, H.diagonal().maxCoeff());
            llt.compute(H.selfadjointView<Eigen::Lower>());
        }
        const Eigen::VectorXd step = -llt.solve(g);
        const Eigen::VectorXd e = Z * step;
        // exact line search: phi'(t) = w'R s + t s'R s + sum_i e_i l'_i(f_i + t e_i), nondecreasing
        const double wRs = (reg.cwiseProduct(w)).dot(step), sRs = (reg.cwiseProduct(step)).dot(step);
        auto dphi = [&](double t, double* slope) {
            double v = wRs + t * sRs, s = sRs;
            for (Eigen::Index i = 0; i < n; ++i) {
                const double fi = f(i) + t * e(i);
                v += e(i) * loss.d1(static_cast<std::size_t>(i), fi);
                s += e(i) * e(i) * loss.d2(static_cast<std::size_t>(i), fi);
            }
            if (slope) *slope = s;
            return v;
        };
        const double d0 = dphi(0.0, nullptr);
        if (!(d0 < 0)) {  // no descent left: converged to round-off
            converged = true;
            break;
        }
        double lo = 0, hi = 1, slope = 0;
        double dhi = dphi(hi, &slope);
        int expand = 0;
        while (dhi < 0 && expand++ < 60) {
            lo = hi;
            hi *= 2;
            dhi = dphi(hi, &slope);
        }
        double t = hi, dt = dhi;
        for (int ls = 0; ls < 100 && std::abs(dt) > 1e-15 * std::abs(d0); ++ls) {
            if (dt < 0) lo = t;
            else hi = t;
            double tn = slope > 0 ? t - dt / slope : 0.5 * (lo + hi);
            if (!(tn > lo && tn < hi)) tn = 0.5 * (lo + hi);
            if (hi - lo <= 1e-16 * hi) break;
            t = tn;
            dt = dphi(t, &slope);
        }
        w += t * step;
        f += t * e;
        gradient(g);
        if (g.norm() <= o.newton_tol * g0) converged = true;
    }
    out.iterations = it;
    out.converged = converged;
    if (o.bias == bias_mode::none) {
        out.w = w;
        out.b = 0;
    } else {
        out.w = w.head(d - 1);
        out.b = o.bias_value * w(d - 1);
    }
    return out;
}

/// Dual coordinate descent for the L2-loss SVC (LIBLINEAR -s 1).
inline linear_fit dual_cd_svc(const Eigen::Ref<const row_matrix>& X, std::span<const double> y,
                              const linear_options& o) {
    const auto n = static_cast<std::size_t>(X.rows());
    const Eigen::Index d = X.cols();
    const bool has_b = o.bias != bias_mode::none;
    const double B = o.bias_value;
    const double diag = 0.5 / o.C;
    Eigen::VectorXd w = Eigen::VectorXd::Zero(d);
    double wb = 0;
    std::vector<double> alpha(n, 0.0), qd(n);
    for (std::size_t i = 0; i < n; ++i)
        qd[i] = X.row(static_cast<Eigen::Index>(i)).squaredNorm() + (has_b ? B * B : 0.0) + diag;
    std::vector<std::size_t> index(n);
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::size_t active = n;
    std::mt19937_64 rng(o.seed);
    const double inf = std::numeric_limits<double>::infinity();
    double pg_max_old = inf;
    linear_fit out;
    std::size_t it = 0;
    for (; it < o.max_iter; ++it) {
        for (std::size_t k = 0; k < active; ++k) std::swap(index[k], index[k + below(rng, active - k)]);
        double pg_max = -inf, pg_min = inf;
        for (std::size_t s = 0; s < active; ++s) {
            const std::size_t i = index[s];
            const auto xi = X.row(static_cast<Eigen::Index>(i));
            const double G = y[i] * (xi.dot(w.transpose()) + (has_b ? B * wb : 0.0)) - 1 + diag * alpha[i];
            double pg = 0;
            if (alpha[i] == 0) {
                if (o.shrinking && G > pg_max_old) {  // stuck at the bound: shrink
                    --active;
                    std::swap(index[s], index[active]);
                    --s;
                    continue;
                }
                if (G < 0) pg = G;
            } else {
                pg = G;
            }
            pg_max = std::max(pg_max, pg);
            pg_min = std::min(pg_min, pg);
            if (std::abs(pg) > 1e-12) {
                const double old = alpha[i];
                alpha[i] = std::max(old - G / qd[i], 0.0);
                const double delta = (alpha[i] - old) * y[i];
                w += delta * xi.transpose();
                if (has_b) wb += delta * B;
            }
        }
        if (pg_max - pg_min <= o.tol) {
            if (active == n) {
                out.converged = true;
                ++it;
                break;
            }
            active = n;  // check the shrunk variables once more
            pg_max_old = inf;
            continue;
        }
        pg_max_old = pg_max > 0 ? pg_max : inf;
    }
    out.iterations = it;
    out.w = w;
    out.b = has_b ? B * wb : 0.0;
    return out;
}

/// Dual coordinate descent for the L2-loss SVR (LIBLINEAR -s 12), no shrinking.
inline linear_fit dual_cd_svr(const Eigen::Ref<const row_matrix>& X, std::span<const double> y,
                              const linear_options& o) {
    const auto n = static_cast<std::size_t>(X.rows());
    const Eigen::Index d = X.cols();
    const bool has_b = o.bias != bias_mode::none;
    const double B = o.bias_value, p = o.epsilon;
    const double lambda = 0.5 / o.C;
    Eigen::VectorXd w = Eigen::VectorXd::Zero(d);
    double wb = 0;
    std::vector<double> beta(n, 0.0), qd(n);
    for (std::size_t i = 0; i < n; ++i)
        qd[i] = X.row(static_cast<Eigen::Index>(i)).squaredNorm() + (has_b ? B * B : 0.0) + lambda;
    std::vector<std::size_t> index(n);
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::mt19937_64 rng(o.seed);
    double gnorm_init = -1;
    linear_fit out;
    std::size_t it = 0;
    for (; it < o.max_iter; ++it) {
        for (std::size_t k = 0; k < n; ++k) std::swap(index[k], index[k + below(rng, n - k)]);
        double gnorm = 0;
        for (std::size_t i : index) {
            const auto xi = X.row(static_cast<Eigen::Index>(i));
            const double G = xi.dot(w.transpose()) + (has_b ? B * wb : 0.0) - y[i] + lambda * beta[i];
            const double Gp = G + p, Gn = G - p;
            double viol;
            if (beta[i] == 0) viol = Gp < 0 ? -Gp : (Gn > 0 ? Gn : 0.0);
            else viol = beta[i] > 0 ? std::abs(Gp) : std::abs(Gn);
            gnorm += viol;
            const double H = qd[i];
            double step;
            if (Gp < H * beta[i]) step = -Gp / H;
            else if (Gn > H * beta[i]) step = -Gn / H;
            else step = -beta[i];
            if (std::abs(step) < 1e-12) continue;
            beta[i] += step;
            w += step * xi.transpose();
            if (has_b) wb += step * B;
        }
        if (gnorm_init < 0) gnorm_init = gnorm;
        if (gnorm <= o.tol * gnorm_init) {
            out.converged = true;
            ++it;
            break;
        }
    }
    out.iterations = it;
    out.w = w;
    out.b = has_b ? B * wb : 0.0;
    return out;
}

inline solver pick(const linear_options& o) {
    if (o.method == solver::automatic)
        return o.bias == bias_mode::unregularized ? solver::primal_newton : solver::dual_cd;
    if (o.method == solver::dual_cd && o.bias == bias_mode::unregularized)
        throw invalid_argument("linear SVM: the dual solver needs a regularized bias (or none); "
                               "use solver::primal_newton for an unregularized intercept");
    return o.method;
}

}  // namespace detail

/// Labels for the classifier: 1 is the positive class, 0 or -1 the negative one.
inline std::vector<double> sign_labels(std::span<const int> y) {
    std::vector<double> s(y.size());
    bool pos = false, neg = false;
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (y[i] == 1) s[i] = 1.0, pos = true;
        else if (y[i] == 0 || y[i] == -1) s[i] = -1.0, neg = true;
        else
            throw invalid_argument("linear SVM: label " + std::to_string(y[i]) + " at sample " + std::to_string(i) +
                                   " (expected 1 for the positive class, 0 or -1 for the negative one)");
    }
    if (!pos || !neg) throw invalid_argument("linear SVM: the training labels hold only one class");
    return s;
}

/// Primal objective of the SVC problem at `m`.
inline double svc_objective(const Eigen::Ref<const row_matrix>& X, std::span<const int> y, const linear_fit& m,
                            const linear_options& o) {
    const auto s = sign_labels(y);
    return detail::objective(X, detail::svc_loss{s, o.C}, m, o);
}

/// Primal objective of the SVR problem at `m`.
inline double svr_objective(const Eigen::Ref<const row_matrix>& X, std::span<const double> y, const linear_fit& m,
                            const linear_options& o) {
    return detail::objective(X, detail::svr_loss{y, o.C, o.epsilon}, m, o);
}

/// Train the L2-regularized L2-loss linear SVM classifier.
inline linear_fit fit_svc(const Eigen::Ref<const row_matrix>& X, std::span<const int> y, const linear_options& o = {}) {
    detail::check_common(X, y.size(), o);
    const auto s = sign_labels(y);
    const detail::svc_loss loss{s, o.C};
    linear_fit m = detail::pick(o) == solver::dual_cd ? detail::dual_cd_svc(X, s, o) : detail::primal_newton(X, loss, o);
    m.objective = detail::objective(X, loss, m, o);
    return m;
}

/// Train the L2-regularized L2-loss linear SVR.
inline linear_fit fit_svr(const Eigen::Ref<const row_matrix>& X, std::span<const double> y, const linear_options& o = {}) {
    detail::check_common(X, y.size(), o);
    for (double v : y)
        if (!std::isfinite(v)) throw invalid_argument("linear SVR: non-finite target value");
    const detail::svr_loss loss{y, o.C, o.epsilon};
    linear_fit m = detail::pick(o) == solver::dual_cd ? detail::dual_cd_svr(X, y, o) : detail::primal_newton(X, loss, o);
    m.objective = detail::objective(X, loss, m, o);
    return m;
}

}  // namespace amorph::learn
