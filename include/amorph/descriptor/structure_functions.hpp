// amorph/descriptor/structure_functions.hpp — radial and angular structure
// functions (Behler-Parrinello / Cubuk et al. "softness" descriptors) and the
// reduced partial-PDF features of Fan's thesis, ch. 4.
//
// Radial functions. For a center atom i and a neighbor species b,
//     G(i; mu, b) = sum_{j in b, j != i} g(s_ij - mu),        s_ij = r_ij / u(t_i, b)
// with the Gaussian
//     g(d) = exp(-d^2 / (2 L^2))   (gaussian_form::two_l2, the default; thesis
//                                   eq 4.5 and eq 5.6, Behler-Parrinello)
//     g(d) = exp(-d^2 / L^2)       (gaussian_form::l2; alumina eq 4)
// over a list of centers mu. u(t_i, b) is an optional distance unit per
// (center species, neighbor species) pair (default 1); with u = r_p it gives the
// reduced distance r~ = r / r_p of thesis eq 4.5. The sum runs over every
// periodic image of every atom, the center's own images included (j = i with a
// non-zero lattice offset), so tiny cells are handled exactly.
//
// Angular functions. For a center i, an unordered species pair {a, b} (a <= b)
// and a term (xi, lambda, zeta),
//     Psi(i; xi, lambda, zeta, a, b) = w_ab sum_{(j,k)} exp(-(r_ij^2 + r_ik^2 + r_jk^2) / xi^2)
//                                          (1 + lambda cos theta_jik)^zeta,
// cos theta_jik = (r_ij . r_ik) / (|r_ij| |r_ik|), where the sum is over the
// unordered pairs {j, k} of distinct neighbor images of i (j != k as images;
// two images of one atom are distinct neighbors) with one of species a and the
// other of species b, both within the angular cutoff of i (r_jk is not
// restricted). The pair_order switch sets w_ab:
//   pair_order::unordered (default): w_ab = 1 — every neighbor pair counted once;
//   pair_order::ordered: the literal reading of alumina eq 5 and thesis eq 5.7,
//       sum_{j in a} sum_{k in b, k != j}: w_aa = 2 (both orders of a same-species
//       pair), w_ab = 1 for a != b (a mixed pair appears once with j in a).
// |lambda| <= 1 keeps the base 1 + lambda cos >= 0; zeta >= 0 (integers are
// evaluated by repeated squaring, others with std::pow).
//
// Cutoffs. Each block has an optional hard cutoff that is part of the
// definition (thesis eq 4.5: s_ij <= r~_c, inclusive; eq 5.6: r_ij < r_c,
// strict; the angular cutoff is strict). Without one (cutoff = 0) the sum is
// the infinite one of alumina eq 4/5, truncated at the Gaussian tail: with
// tolerance eps (tail_tolerance, default 1e-16) a radial term is dropped when
// g(s - mu) < eps, i.e. when |s - mu| > L sqrt(2 ln(1/eps)) (two_l2) or
// L sqrt(ln(1/eps)) (l2); no neighbor beyond mu_max + that width is visited.
// Every dropped term is < eps. Beyond the reach R the terms decay at least like
// eps exp(-(r - R) t / L) (t = sqrt(2 ln 1/eps) for two_l2), so at number density
// rho the dropped sum per feature is below about eps (n_R + 4 pi rho R^2 L / t)
// (3D; 2 pi rho R L / t in 2D), n_R the neighbors near R: about 1e-14 for the
// alumina preset. Inside a hard cutoff the same eps rule drops terms far from
// every mu (same bound). An angular term is bounded by 2^zeta exp(-(r_ij^2 +
// r_ik^2)/xi^2); without a hard cutoff the reach is xi_max sqrt(ln(2^zeta_max /
// eps)), which is only practical for small xi: give presets with large xi a
// cutoff.
//
// Layout of a feature row (n_species = ns):
//   [radial]  for b in 0..ns-1: for mu in radial.mu: G(i; mu, b)
//   [angular] for (a, b) in (0,0), (0,1), ..., (0,ns-1), (1,1), ..., (ns-1,ns-1):
//               for term in angular.terms: Psi(i; term, a, b)
//   [bias]    1 (settings::bias, thesis eq 4.6)
// feature_names() spells this out, e.g. "G[Cu](mu=2.025)",
// "Psi[Cu,Zr](xi=3,lambda=-1,zeta=2)", "bias".
//
// Evaluation: structure_functions<D> (a descriptor, concepts.hpp: settings
// bind to a configuration by make_evaluator) bins all atoms once (cell list for any
// cell, any cutoff) and fills rows of a caller-provided row-major matrix for a
// given list of center atoms, so a million atoms stream through in batches.
// Centers are processed in parallel with oneTBB; each row is computed by one
// thread in a fixed neighbor order, so results do not depend on the number of
// threads.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/vec.hpp"
#include "amorph/descriptor/concepts.hpp"
#include "amorph/neighbor/cell_list.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace amorph::descriptor {

enum class gaussian_form {
    two_l2,  ///< exp(-d^2 / (2 L^2))  (default; thesis eq 4.5, 5.6)
    l2       ///< exp(-d^2 / L^2)      (alumina eq 4)
};

enum class pair_order {
    unordered,  ///< each neighbor pair {j,k} once (default)
    ordered     ///< literal sum_{j in a} sum_{k in b, k != j}: same-species pairs twice
};

struct radial_settings {
    std::vector<double> mu;                     ///< Gaussian centers (distance units of s)
    double width = 0;                           ///< L (> 0)
    gaussian_form form = gaussian_form::two_l2;
    double cutoff = 0;                          ///< hard cutoff on s; 0: none (Gaussian tail)
    bool cutoff_inclusive = false;              ///< s <= cutoff (eq 4.5) instead of s < cutoff
    /// Distance unit u(center species, neighbor species), row-major ns x ns
    /// (s = r / u); empty: 1 for every pair.
    std::vector<double> distance_unit;
    double tail_tolerance = 1e-16;              ///< terms below this are dropped
};

struct angular_term {
    double xi = 1;
    double lambda = 1;
    double zeta = 1;
};

struct angular_settings {
    std::vector<angular_term> terms;
    double cutoff = 0;                          ///< strict hard cutoff on r_ij, r_ik; 0: Gaussian tail
    pair_order order = pair_order::unordered;
    double tail_tolerance = 1e-16;
};

/// A complete descriptor definition.
struct settings {
    std::optional<radial_settings> radial;
    std::optional<angular_settings> angular;
    bool bias = false;  ///< append a constant 1 (thesis eq 4.6)
};

// --- grids and presets --------------------------------------------------------

/// start, start + step, ... up to `end` (inclusive when `inclusive`, else
/// strictly below), computed as start + k step (no accumulated round-off).
inline std::vector<double> grid(double start, double end, double step, bool inclusive) {
    if (!(step > 0) || !std::isfinite(start) || !std::isfinite(end) || !std::isfinite(step))
        throw invalid_argument("grid: need finite start/end and a positive step");
    if (end < start) return {};
    const double span = (end - start) / step;
    const double tol = 1e-9;
    const auto n = inclusive ? static_cast<std::size_t>(std::floor(span + tol)) + 1
                             : static_cast<std::size_t>(std::ceil(span - tol));
    if (n > 10000000) throw invalid_argument("grid: more than 1e7 points");
    std::vector<double> g(n);
    for (std::size_t k = 0; k < n; ++k) g[k] = start + static_cast<double>(k) * step;
    return g;
}

/// n values equally spaced from a to b inclusive.
inline std::vector<double> linspace(double a, double b, std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t k = 0; k < n; ++k)
        v[k] = n == 1 ? a : a + (b - a) * static_cast<double>(k) / static_cast<double>(n - 1);
    return v;
}

namespace presets {

/// Alumina eq 4 (Du et al. 2021): mu = 0.6, 0.8, ..., 10.0 A (48 centers),
/// L = 0.2 A, exp(-(r - mu)^2 / L^2), no hard cutoff.
inline radial_settings alumina_radial() {
    radial_settings r;
    r.mu = grid(0.6, 10.0, 0.2, true);
    r.width = 0.2;
    r.form = gaussian_form::l2;
    return r;
}

/// The 22 angular terms quoted for Cubuk et al., PRL 114, 108001 (2015) by
/// third-party softness codes (unconfirmed against the paper): xi in units of
/// `xi_unit`. Order as quoted:
///   xi     = 14.638 x4, 2.554 x4, 1.648 x2, 1.204 x4, 0.933 x4, 0.695 x4
///   lambda = -1, 1, -1, 1, -1, 1, -1, 1, then 1 x14
///   zeta   = 1, 1, 2, 2, 1, 1, 2, 2, 1, 2, 1, 2, 4, 16, 1, 2, 4, 16, 1, 2, 4, 16
inline std::vector<angular_term> cubuk2015_terms(double xi_unit = 1.0) {
    const double xi[22] = {14.638, 14.638, 14.638, 14.638, 2.554, 2.554, 2.554, 2.554, 1.648, 1.648, 1.204,
                           1.204,  1.204,  1.204,  0.933,  0.933, 0.933, 0.933, 0.695, 0.695, 0.695, 0.695};
    const double lambda[22] = {-1, 1, -1, 1, -1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    const double zeta[22] = {1, 1, 2, 2, 1, 1, 2, 2, 1, 2, 1, 2, 4, 16, 1, 2, 4, 16, 1, 2, 4, 16};
    std::vector<angular_term> t(22);
    for (std::size_t k = 0; k < 22; ++k) t[k] = {xi[k] * xi_unit, lambda[k], zeta[k]};
    return t;
}

/// Alumina softness features: alumina_radial() plus the 22 Cubuk terms with
/// xi in units of `xi_unit` (the alumina paper gives no unit; our guess 1 A)
/// and a hard angular cutoff (the paper gives none; default 10 A, the end of
/// the radial range). Unordered pairs.
inline settings alumina(double xi_unit = 1.0, double angular_cutoff = 10.0) {
    settings s;
    s.radial = alumina_radial();
    angular_settings a;
    a.terms = cubuk2015_terms(xi_unit);
    a.cutoff = angular_cutoff;
    s.angular = a;
    return s;
}

/// Thesis section 5.7.9 terms: xi = n_xi values equally spaced in [xi_lo, xi_hi],
/// lambda in {-1, 1}, zeta in {1, 2, 4, 8, 16}; order: xi outer, then lambda,
/// then zeta.
inline std::vector<angular_term> fan_terms(double xi_lo, double xi_hi, std::size_t n_xi = 16) {
    std::vector<angular_term> t;
    for (double xi : linspace(xi_lo, xi_hi, n_xi))
        for (double lambda : {-1.0, 1.0})
            for (double zeta : {1.0, 2.0, 4.0, 8.0, 16.0}) t.push_back({xi, lambda, zeta});
    return t;
}

/// Thesis eq 5.6/5.7 with the settings of section 5.7.9:
///   radial mu in [r0 + Delta/2, r_c) step Delta, exp(-(r - mu)^2 / (2 Delta^2)),
///   hard cutoff r_ij < r_c; angular: fan_terms(xi_lo, xi_hi, 16), cutoff r_c
///   (the thesis states no angular cutoff; r_c is our choice).
inline settings fan2020(double r0, double rc, double delta, double xi_lo, double xi_hi) {
    settings s;
    radial_settings r;
    r.mu = grid(r0 + 0.5 * delta, rc, delta, false);
    r.width = delta;
    r.form = gaussian_form::two_l2;
    r.cutoff = rc;
    s.radial = r;
    angular_settings a;
    a.terms = fan_terms(xi_lo, xi_hi, 16);
    a.cutoff = rc;
    s.angular = a;
    return s;
}

/// 2D binary LJ glass: r0 = 0.5 sigma, r_c = 5 sigma, Delta = 0.025 sigma (180
/// radial centers), xi in [0.75, 5] sigma.
inline settings fan2020_2d(double sigma = 1.0) {
    return fan2020(0.5 * sigma, 5.0 * sigma, 0.025 * sigma, 0.75 * sigma, 5.0 * sigma);
}

/// 3D Cu50Zr50: r0 = 2.0 A, r_c = 9.6 A, Delta = 0.05 A (152 radial centers),
/// xi in [3, 8] A.
inline settings fan2020_3d() { return fan2020(2.0, 9.6, 0.05, 3.0, 8.0); }

/// Thesis eq 4.5/4.6: reduced distance r~ = r / r_p(center species, neighbor
/// species) (`r_p`: ns x ns row-major; one value: the same for every pair),
/// r~ = 0.6, 0.65, ..., 3.0 (49 centers, both ends included), sigma = 0.05,
/// exp(-(r~ - r~_ij)^2 / (2 sigma^2)), hard cutoff r~_ij <= 3.0, plus the bias 1.
inline settings reduced_pdf(std::vector<double> r_p, double r_min = 0.6, double r_cut = 3.0, double sigma = 0.05) {
    settings s;
    radial_settings r;
    r.mu = grid(r_min, r_cut, sigma, true);
    r.width = sigma;
    r.form = gaussian_form::two_l2;
    r.cutoff = r_cut;
    r.cutoff_inclusive = true;
    r.distance_unit = std::move(r_p);
    s.radial = r;
    s.bias = true;
    return s;
}

}  // namespace presets

// --- layout ---------------------------------------------------------------------

/// Number of unordered species pairs a <= b.
inline std::size_t species_pair_count(std::size_t ns) { return ns * (ns + 1) / 2; }

/// Index of the unordered pair {a, b} in the order (0,0), (0,1), ..., (1,1), ...
inline std::size_t species_pair_index(std::size_t a, std::size_t b, std::size_t ns) {
    if (a > b) std::swap(a, b);
    return a * ns - a * (a - 1) / 2 + (b - a);
}

inline std::size_t feature_count(const settings& s, std::size_t ns) {
    std::size_t n = 0;
    if (s.radial) n += ns * s.radial->mu.size();
    if (s.angular) n += species_pair_count(ns) * s.angular->terms.size();
    if (s.bias) n += 1;
    return n;
}

namespace detail {
inline std::string fmt(double v) {
    std::ostringstream o;
    o.precision(10);
    o << v;
    return o.str();
}
}  // namespace detail

/// Column names, in the layout above; `species` names the ns species.
inline std::vector<std::string> feature_names(const settings& s, const std::vector<std::string>& species) {
    const std::size_t ns = species.size();
    std::vector<std::string> names;
    names.reserve(feature_count(s, ns));
    if (s.radial)
        for (std::size_t b = 0; b < ns; ++b)
            for (double mu : s.radial->mu) names.push_back("G[" + species[b] + "](mu=" + detail::fmt(mu) + ")");
    if (s.angular)
        for (std::size_t a = 0; a < ns; ++a)
            for (std::size_t b = a; b < ns; ++b)
                for (const auto& t : s.angular->terms)
                    names.push_back("Psi[" + species[a] + "," + species[b] + "](xi=" + detail::fmt(t.xi) +
                                    ",lambda=" + detail::fmt(t.lambda) + ",zeta=" + detail::fmt(t.zeta) + ")");
    if (s.bias) names.push_back("bias");
    return names;
}

/// Throw invalid_argument unless the settings are usable with ns species.
inline void validate(const settings& s, std::size_t ns) {
    auto need = [](bool ok, const std::string& what) {
        if (!ok) throw invalid_argument("structure functions: " + what);
    };
    need(ns >= 1, "need at least one species");
    need(s.radial || s.angular || s.bias, "no radial, angular or bias features requested");
    if (s.radial) {
        const auto& r = *s.radial;
        need(!r.mu.empty(), "radial: empty list of centers mu");
        for (double m : r.mu) need(std::isfinite(m), "radial: non-finite mu");
        need(r.width > 0 && std::isfinite(r.width), "radial: width L must be positive");
        need(r.cutoff >= 0 && std::isfinite(r.cutoff), "radial: cutoff must be >= 0 (0 = none)");
        need(r.tail_tolerance > 0 && r.tail_tolerance < 1, "radial: tail tolerance must be in (0, 1)");
        need(r.distance_unit.empty() || r.distance_unit.size() == ns * ns || r.distance_unit.size() == 1,
             "radial: distance_unit needs ns x ns = " + std::to_string(ns * ns) + " values (or one), got " +
                 std::to_string(r.distance_unit.size()));
        for (double u : r.distance_unit) need(u > 0 && std::isfinite(u), "radial: distance units must be positive");
    }
    if (s.angular) {
        const auto& a = *s.angular;
        need(!a.terms.empty(), "angular: no terms");
        for (const auto& t : a.terms) {
            need(t.xi > 0 && std::isfinite(t.xi), "angular: xi must be positive");
            need(std::abs(t.lambda) <= 1, "angular: |lambda| must be <= 1");
            need(t.zeta >= 0 && t.zeta <= 1024, "angular: zeta must be in [0, 1024]");
        }
        need(a.cutoff >= 0 && std::isfinite(a.cutoff), "angular: cutoff must be >= 0 (0 = none)");
        need(a.tail_tolerance > 0 && a.tail_tolerance < 1, "angular: tail tolerance must be in (0, 1)");
    }
}

/// The Gaussian exponent factor a with g(d) = exp(-a d^2).
inline double gaussian_factor(const radial_settings& r) {
    return r.form == gaussian_form::two_l2 ? 0.5 / (r.width * r.width) : 1.0 / (r.width * r.width);
}

/// Largest |s - mu| at which a radial term is kept (g >= tail_tolerance).
inline double radial_half_window(const radial_settings& r) {
    return std::sqrt(std::log(1.0 / r.tail_tolerance) / gaussian_factor(r));
}

/// Largest reduced distance s that can contribute.
inline double radial_reach(const radial_settings& r) {
    const double mu_max = *std::max_element(r.mu.begin(), r.mu.end());
    const double tail = mu_max + radial_half_window(r);
    return r.cutoff > 0 ? std::min(r.cutoff, tail) : tail;
}

/// Largest r_ij that can contribute to an angular term.
inline double angular_reach(const angular_settings& a) {
    if (a.cutoff > 0) return a.cutoff;
    double reach = 0;
    for (const auto& t : a.terms)
        reach = std::max(reach, t.xi * std::sqrt(std::max(0.0, std::log(std::pow(2.0, t.zeta) / a.tail_tolerance))));
    return reach;
}

namespace detail {

inline double pow_nonneg(double base, double zeta, int izeta) {
    if (izeta < 0) return std::pow(base, zeta);
    double r = 1.0, b = base;
    for (int e = izeta; e; e >>= 1) {
        if (e & 1) r *= b;
        b *= b;
    }
    return r;
}

/// exp(-x) for 0 <= x < 708, written so that a loop over it vectorizes
/// without -ffast-math: x = k ln2 + r with k = round(x / ln2) (round to
/// nearest by adding 1.5 2^52), r in [-ln2/2, ln2/2] by Cody-Waite reduction
/// with a two-part ln2 (k ln2_hi is exact), exp(-r) by its Taylor polynomial to
/// degree 13 (truncation < 5e-18), and 2^-k assembled in the exponent bits.
/// Relative error a few ulp (tested against std::exp). Callers check the range.
inline double exp_neg(double x) {
    constexpr double log2e = 1.4426950408889634;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // 32 significant bits
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double shifter = 6755399441055744.0;          // 1.5 * 2^52
    const double m = x * log2e + shifter;
    const double k = m - shifter;
    const double r = (x - k * ln2_hi) - k * ln2_lo;
    // exp(-r) = sum_n (-r)^n / n!, Horner in -r
    const double t = -r;
    double p = 1.0 / 6227020800.0;         // 1/13!
    p = p * t + 1.0 / 479001600.0;         // 1/12!
    p = p * t + 1.0 / 39916800.0;
    p = p * t + 1.0 / 3628800.0;
    p = p * t + 1.0 / 362880.0;
    p = p * t + 1.0 / 40320.0;
    p = p * t + 1.0 / 5040.0;
    p = p * t + 1.0 / 720.0;
    p = p * t + 1.0 / 120.0;
    p = p * t + 1.0 / 24.0;
    p = p * t + 1.0 / 6.0;
    p = p * t + 0.5;
    p = p * t + 1.0;
    p = p * t + 1.0;
    const std::int64_t ki = std::bit_cast<std::int64_t>(m) - std::bit_cast<std::int64_t>(shifter);
    const double scale = std::bit_cast<double>((std::int64_t{1023} - ki) << 52);
    return p * scale;
}

}  // namespace detail

/// Evaluator of the structure functions of one configuration.
template <int D>
    requires supported_dimension<D>
class structure_functions {
public:
    /// Bin the atoms of `sys` (positions, types, box) for the given settings.
    /// The number of species is sys.species.size() (or max type + 1 if larger).
    structure_functions(const amorph::system<D>& sys, settings s) : set_(std::move(s)), sys_(&sys) {
        ns_ = sys.species.size();
        for (int t : sys.types) {
            if (t < 0) throw invalid_argument("structure functions: negative atom type");
            ns_ = std::max(ns_, static_cast<std::size_t>(t) + 1);
        }
        validate(set_, ns_);
        if (static_cast<std::size_t>(sys.positions.cols()) != sys.types.size())
            throw invalid_argument("structure functions: positions and types differ in size");
        nf_ = feature_count(set_, ns_);
        double reach = 0;
        if (set_.radial) {
            const auto& r = *set_.radial;
            a_rad_ = gaussian_factor(r);
            win_ = radial_half_window(r);
            unit_.assign(ns_ * ns_, 1.0);
            if (r.distance_unit.size() == 1) unit_.assign(ns_ * ns_, r.distance_unit[0]);
            else if (!r.distance_unit.empty()) unit_ = r.distance_unit;
            const double umax = *std::max_element(unit_.begin(), unit_.end());
            rad_reach_ = radial_reach(r);
            reach = std::max(reach, rad_reach_ * umax);
            // uniform grid: the window of centers is found by index arithmetic
            const auto& mu = r.mu;
            uniform_ = mu.size() >= 2;
            if (uniform_) {
                step_ = (mu.back() - mu.front()) / static_cast<double>(mu.size() - 1);
                uniform_ = step_ > 0;
                for (std::size_t k = 0; uniform_ && k < mu.size(); ++k)
                    uniform_ = std::abs(mu[k] - (mu.front() + static_cast<double>(k) * step_)) <= 1e-9 * step_;
            }
        }
        if (set_.angular) {
            const auto& a = *set_.angular;
            ang_reach_ = angular_reach(a);
            reach = std::max(reach, ang_reach_);
            // unique xi and unique (lambda, zeta) combinations
            for (const auto& t : a.terms) {
                auto xi_it = std::find(xi_.begin(), xi_.end(), t.xi);
                term_xi_.push_back(static_cast<std::size_t>(xi_it - xi_.begin()));
                if (xi_it == xi_.end()) xi_.push_back(t.xi);
                std::size_t lz = 0;
                while (lz < lz_.size() && !(lz_[lz].lambda == t.lambda && lz_[lz].zeta == t.zeta)) ++lz;
                if (lz == lz_.size()) lz_.push_back(t);
                term_lz_.push_back(lz);
            }
            for (double xi : xi_) inv_xi2_.push_back(1.0 / (xi * xi));
            for (const auto& t : lz_) izeta_.push_back(t.zeta == std::floor(t.zeta) ? static_cast<int>(t.zeta) : -1);
            for (std::size_t t = 0; t < a.terms.size(); ++t) term_grid_.push_back(term_xi_[t] * lz_.size() + term_lz_[t]);
        }
        reach_ = reach;
        if (reach_ > 0) cells_.build(sys.box, sys.positions, reach_);
    }

    std::size_t n_features() const noexcept { return nf_; }
    std::size_t n_species() const noexcept { return ns_; }
    const settings& config() const noexcept { return set_; }
    /// Neighbor search radius (largest distance that can contribute).
    double reach() const noexcept { return reach_; }

    /// Fill out.row(k) with the features of atom centers[k] (storage index).
    /// `out` must have centers.size() rows and n_features() columns.
    void compute(std::span<const std::size_t> centers, Eigen::Ref<feature_matrix> out) const {
        if (static_cast<std::size_t>(out.rows()) != centers.size() || static_cast<std::size_t>(out.cols()) != nf_)
            throw invalid_argument("structure functions: output is " + std::to_string(out.rows()) + " x " +
                                   std::to_string(out.cols()) + ", expected " + std::to_string(centers.size()) +
                                   " x " + std::to_string(nf_));
        for (std::size_t c : centers)
            if (c >= sys_->types.size())
                throw invalid_argument("structure functions: center index " + std::to_string(c) + " out of range");
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, centers.size(), 8), [&](const auto& range) {
            std::vector<nbr> nb;
            angular_scratch scratch;
            for (std::size_t k = range.begin(); k != range.end(); ++k)
                row(centers[k], out.row(static_cast<Eigen::Index>(k)).data(), nb, scratch);
        });
    }

    /// Features of every atom, rows in storage order.
    feature_matrix compute_all() const {
        std::vector<std::size_t> c(sys_->types.size());
        for (std::size_t i = 0; i < c.size(); ++i) c[i] = i;
        feature_matrix out(static_cast<Eigen::Index>(c.size()), static_cast<Eigen::Index>(nf_));
        compute(c, out);
        return out;
    }

private:
    /// Per-thread work space of the angular functions.
    struct angular_scratch {
        std::vector<double> grid;                 ///< npair x (nxi x nlz) accumulators
        std::vector<std::vector<double>> s2, cs;  ///< per species pair: pending S and cos
        std::vector<double> E, P, base;           ///< batch x nxi exponentials, batch x nlz powers
    };
    static constexpr std::size_t angular_batch = 128;

    struct nbr {
        vec<D> d;
        double r;
        double r2;
        int type;
    };

    void row(std::size_t i, double* out, std::vector<nbr>& nb, angular_scratch& scratch) const {
        std::fill(out, out + nf_, 0.0);
        const int ti = sys_->types[i];
        nb.clear();
        if (reach_ > 0) {
            const vec<D> p = sys_->positions.col(static_cast<Eigen::Index>(i));
            cells_.for_each_within(p, reach_ * reach_, [&](std::uint32_t j, const ivec<D>& n, const vec<D>& d, double r2) {
                if (j == i && n.isZero()) return;
                nb.push_back({d, std::sqrt(r2), r2, sys_->types[j]});
            });
        }
        std::size_t col = 0;
        if (set_.radial) {
            radial_row(ti, nb, out);
            col += ns_ * set_.radial->mu.size();
        }
        if (set_.angular) {
            angular_row(nb, out + col, scratch);
            col += species_pair_count(ns_) * set_.angular->terms.size();
        }
        if (set_.bias) out[col] = 1.0;
    }

    void radial_row(int ti, const std::vector<nbr>& nb, double* out) const {
        const auto& r = *set_.radial;
        const auto& mu = r.mu;
        const std::size_t m = mu.size();
        for (const auto& n : nb) {
            const double s = n.r / unit_[static_cast<std::size_t>(ti) * ns_ + static_cast<std::size_t>(n.type)];
            if (r.cutoff > 0 && !(s < r.cutoff || (r.cutoff_inclusive && s <= r.cutoff))) continue;
            if (s > rad_reach_ && r.cutoff == 0) continue;
            double* g = out + static_cast<std::size_t>(n.type) * m;
            std::size_t k0 = 0, k1 = m;
            if (uniform_) {
                const double lo = std::ceil((s - win_ - mu.front()) / step_);
                const double hi = std::floor((s + win_ - mu.front()) / step_);
                if (hi < 0 || lo > static_cast<double>(m - 1)) continue;
                k0 = lo < 0 ? 0 : static_cast<std::size_t>(lo);
                k1 = std::min(m, static_cast<std::size_t>(hi) + 1);
            }
            for (std::size_t k = k0; k < k1; ++k) {
                const double d = s - mu[k];
                if (std::abs(d) > win_) continue;
                g[k] += std::exp(-a_rad_ * d * d);
            }
        }
    }


    // Every neighbor pair (j, k) of species pair b contributes
    //     grid_b(x, l) += w exp(-S/xi_x^2) (1 + lambda_l cos)^zeta_l,  S = r_ij^2 + r_ik^2 + r_jk^2,
    // on a grid over the distinct xi and the distinct (lambda, zeta) of the
    // terms. Pairs are buffered per b and flushed in batches as a small matrix
    // product grid_b += E^T P (E: batch x nxi, P: batch x nlz), which keeps the
    // accumulators in registers; the terms are read off the grids at the end.
    // The order of the additions is fixed, so rows stay deterministic.
    void flush(std::size_t b, angular_scratch& w) const {
        auto& s2 = w.s2[b];
        auto& cs = w.cs[b];
        const std::size_t n = s2.size();
        if (n == 0) return;
        const std::size_t nxi = xi_.size(), nlz = lz_.size();
        w.E.resize(n * nxi);  // column-major n x nxi
        w.P.resize(n * nlz);  // column-major n x nlz
        double smax = 0;
        for (std::size_t i = 0; i < n; ++i) smax = std::max(smax, s2[i]);
        for (std::size_t x = 0; x < nxi; ++x) {
            double* e = w.E.data() + x * n;
            const double c = inv_xi2_[x];
            if (smax * c < 708.0)
                for (std::size_t i = 0; i < n; ++i) e[i] = detail::exp_neg(s2[i] * c);
            else
                for (std::size_t i = 0; i < n; ++i) e[i] = std::exp(-s2[i] * c);
        }
        for (std::size_t l = 0; l < nlz; ++l) {
            double* p = w.P.data() + l * n;
            const double lambda = lz_[l].lambda;
            for (std::size_t i = 0; i < n; ++i) p[i] = std::max(0.0, 1.0 + lambda * cs[i]);
            if (izeta_[l] < 0) {
                for (std::size_t i = 0; i < n; ++i) p[i] = std::pow(p[i], lz_[l].zeta);
                continue;
            }
            // integer zeta: square-and-multiply, the same bit pattern for every pair
            w.base.resize(n);
            double* base = w.base.data();
            for (std::size_t i = 0; i < n; ++i) base[i] = p[i], p[i] = 1.0;
            for (int e = izeta_[l]; e; e >>= 1) {
                if (e & 1)
                    for (std::size_t i = 0; i < n; ++i) p[i] *= base[i];
                if (e >> 1)
                    for (std::size_t i = 0; i < n; ++i) base[i] *= base[i];
            }
        }
        const Eigen::Map<const Eigen::MatrixXd> E(w.E.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(nxi));
        const Eigen::Map<const Eigen::MatrixXd> P(w.P.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(nlz));
        using rm = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        Eigen::Map<rm> G(w.grid.data() + b * nxi * nlz, static_cast<Eigen::Index>(nxi), static_cast<Eigen::Index>(nlz));
        G.noalias() += E.transpose() * P;
        s2.clear();
        cs.clear();
    }

    void angular_row(const std::vector<nbr>& nb, double* out, angular_scratch& w) const {
        const auto& a = *set_.angular;
        const std::size_t nt = a.terms.size();
        const std::size_t G = xi_.size() * lz_.size();
        const std::size_t npair = species_pair_count(ns_);
        w.grid.assign(npair * G, 0.0);
        w.s2.resize(npair);
        w.cs.resize(npair);
        const double rc2 = ang_reach_ * ang_reach_;
        for (std::size_t p = 0; p < nb.size(); ++p) {
            const auto& j = nb[p];
            if (!(j.r2 < rc2)) continue;
            for (std::size_t q = p + 1; q < nb.size(); ++q) {
                const auto& k = nb[q];
                if (!(k.r2 < rc2)) continue;
                const double rjk2 = (k.d - j.d).squaredNorm();
                const std::size_t b = species_pair_index(static_cast<std::size_t>(j.type), static_cast<std::size_t>(k.type), ns_);
                w.s2[b].push_back(j.r2 + k.r2 + rjk2);
                w.cs[b].push_back(j.d.dot(k.d) / (j.r * k.r));
                if (w.s2[b].size() == angular_batch) flush(b, w);
            }
        }
        for (std::size_t b = 0; b < npair; ++b) flush(b, w);
        // ordered sums count a same-species pair twice
        for (std::size_t ta = 0; ta < ns_; ++ta)
            for (std::size_t tb = ta; tb < ns_; ++tb) {
                const std::size_t b = species_pair_index(ta, tb, ns_);
                const double f = (a.order == pair_order::ordered && ta == tb) ? 2.0 : 1.0;
                for (std::size_t t = 0; t < nt; ++t) out[b * nt + t] = f * w.grid[b * G + term_grid_[t]];
            }
    }

    settings set_;
    const amorph::system<D>* sys_;
    std::size_t ns_ = 0, nf_ = 0;
    double reach_ = 0, rad_reach_ = 0, ang_reach_ = 0;
    amorph::neighbor::cell_list<D> cells_;
    // radial
    double a_rad_ = 0, win_ = 0, step_ = 0;
    bool uniform_ = false;
    std::vector<double> unit_;
    // angular
    std::vector<double> xi_, inv_xi2_;
    std::vector<angular_term> lz_;
    std::vector<int> izeta_;
    std::vector<std::size_t> term_xi_, term_lz_, term_grid_;
};

/// The evaluator of structure-function settings (the descriptor concept).
template <int D>
structure_functions<D> make_evaluator(const settings& s, const amorph::system<D>& sys) {
    return structure_functions<D>(sys, s);
}
static_assert(descriptor<settings, 2> && descriptor<settings, 3>);

/// Features of the given centers (convenience: bins, computes, returns).
template <int D>
feature_matrix compute_structure_functions(const amorph::system<D>& sys, const settings& s,
                                           std::span<const std::size_t> centers) {
    structure_functions<D> sf(sys, s);
    feature_matrix out(static_cast<Eigen::Index>(centers.size()), static_cast<Eigen::Index>(sf.n_features()));
    sf.compute(centers, out);
    return out;
}

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_STRUCTURE_FUNCTIONS_TEMPLATES(P, D) P template class structure_functions<D>;
AMORPH_EXTERN_TEMPLATES(AMORPH_STRUCTURE_FUNCTIONS_TEMPLATES)

}  // namespace amorph::descriptor
