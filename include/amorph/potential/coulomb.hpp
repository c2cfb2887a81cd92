// amorph/potential/coulomb.hpp — the real-space Coulomb term of a pair of
// charges, in the forms of LAMMPS's coul/cut, coul/long, coul/dsf and
// coul/wolf pair styles.
//
// With k = qqrd2e (units.hpp: qqr2e, the dielectric constant is 1) and
// q_i, q_j the per-atom charges, r < rc:
//
//   cut    E = k q_i q_j / r                                     (coul/cut)
//   long   E = k q_i q_j erfc(g r) / r                           (coul/long,
//          -dE/dr = k q_i q_j [erfc(g r) + 2 g r / sqrt(pi) exp(-g^2 r^2)] / r^2
//          the real-space part of an Ewald sum; g = g_ewald, set by the
//          k-space solver, kspace.hpp)
//   dsf    Fennell & Gezelter, J. Chem. Phys. 124, 234104 (2006), as LAMMPS's
//          coul/dsf with damping a:
//              f_s = -(erfc(a rc) / rc^2 + 2 a / sqrt(pi) exp(-a^2 rc^2) / rc)
//              e_s = erfc(a rc) / rc - f_s rc
//              E   = k q_i q_j [erfc(a r) / r - e_s - r f_s]
//              -dE/dr = k q_i q_j [erfc(a r) / r^2 + 2 a / sqrt(pi) exp(-a^2 r^2) / r + f_s]
//          (energy and force go to zero at rc), plus the self term of every atom
//              E_self,i = -(e_s / 2 + a / sqrt(pi)) k q_i^2
//   wolf   Wolf et al., J. Chem. Phys. 110, 8254 (1999), as LAMMPS's coul/wolf:
//              e_s = erfc(a rc) / rc,  f_s = -(e_s + 2 a / sqrt(pi) exp(-a^2 rc^2)) / rc
//              E   = k q_i q_j [erfc(a r) / r - e_s]
//              -dE/dr = k q_i q_j [erfc(a r) / r^2 + 2 a / sqrt(pi) exp(-a^2 r^2) / r + f_s]
//          (the force is shifted to zero at rc, the energy only shifted: the
//          force is not exactly -dE/dr, as in LAMMPS), and the same self term
//              E_self,i = -(e_s / 2 + a / sqrt(pi)) k q_i^2.
//
// erfc. LAMMPS's coul/long and coul/dsf evaluate erfc(x) inside the pair loop
// by the rational approximation of Abramowitz & Stegun 7.1.26,
//     erfc(x) ~ t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-x^2),  t = 1 / (1 + p x),
// |error| <= 1.5e-7, with 2 / sqrt(pi) written as 1.12837917; amorph does the
// same by default (erfc_method::lammps), so that energies and forces equal
// LAMMPS's to round-off, or with std::erfc and the exact constant
// (erfc_method::exact). coul/wolf and the dsf shifts use std::erfc in LAMMPS
// and here. (LAMMPS's default `pair_modify table 12` interpolates coul/long
// in a table beyond sqrt(2) distance units instead; amorph has no tables and
// corresponds to `pair_modify table 0`.)
//
// charged_pair_potential<K> (charged_pair.hpp) adds this term to a
// short-range pair kernel K in one loop.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/potential/concepts.hpp"

#include <cmath>
#include <string>

namespace amorph::potential {

enum class erfc_method { lammps, exact };

namespace coulomb_detail {
inline constexpr double ewald_f = 1.12837917;  // 2 / sqrt(pi) as LAMMPS writes it
inline constexpr double ewald_p = 0.3275911;
inline constexpr double a1 = 0.254829592;
inline constexpr double a2 = -0.284496736;
inline constexpr double a3 = 1.421413741;
inline constexpr double a4 = -1.453152027;
inline constexpr double a5 = 1.061405429;
inline constexpr double two_over_sqrt_pi = 1.1283791670955126;  // exact to double precision
inline constexpr double sqrt_pi = 1.7724538509055159;

/// erfc(x) by Abramowitz & Stegun 7.1.26, given expm2 = exp(-x^2) (LAMMPS's form).
inline double erfc_as(double x, double expm2) noexcept {
    const double t = 1.0 / (1.0 + ewald_p * x);
    return t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5)))) * expm2;
}
/// d/dx of erfc_as(x) (the same rational form differentiated), given exp(-x^2).
inline double erfc_as_derivative(double x, double expm2) noexcept {
    const double t = 1.0 / (1.0 + ewald_p * x);
    const double poly = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5))));
    const double dpoly_dt = a1 + t * (2.0 * a2 + t * (3.0 * a3 + t * (4.0 * a4 + t * 5.0 * a5)));
    return (-ewald_p * t * t * dpoly_dt - 2.0 * x * poly) * expm2;
}
}  // namespace coulomb_detail

/// The real-space Coulomb interaction of one charge pair (see the header).
class coulomb_real {
public:
    enum class kind { none, cut, long_range, dsf, wolf };

    coulomb_real() = default;

    static coulomb_real none() { return {}; }
    static coulomb_real cut(double rc) { return coulomb_real(kind::cut, rc, 0.0, erfc_method::exact); }
    /// Real-space Ewald term; g_ewald is set later by the k-space solver.
    static coulomb_real long_range(double rc, erfc_method m = erfc_method::lammps) {
        return coulomb_real(kind::long_range, rc, 0.0, m);
    }
    static coulomb_real dsf(double alpha, double rc) { return coulomb_real(kind::dsf, rc, alpha, erfc_method::lammps); }
    static coulomb_real wolf(double alpha, double rc) { return coulomb_real(kind::wolf, rc, alpha, erfc_method::exact); }

    kind type() const noexcept { return kind_; }
    bool active() const noexcept { return kind_ != kind::none; }
    double cutoff() const noexcept { return rc_; }
    double cutoff_sq() const noexcept { return rc_ * rc_; }
    /// Damping: g_ewald for long_range, alpha for dsf / wolf.
    double alpha() const noexcept { return alpha_; }
    erfc_method erfc() const noexcept { return erfc_; }

    /// Set g_ewald of a long-range term (the k-space solver's choice).
    void set_g_ewald(double g) {
        if (kind_ != kind::long_range) throw invalid_argument("coulomb_real: g_ewald belongs to coul/long only");
        if (!(g > 0.0) || !std::isfinite(g)) throw invalid_argument("coulomb_real: g_ewald must be positive");
        alpha_ = g;
    }

    /// E and -(dE/dr)/r of a pair at r^2 < rc^2 with qqk = qqrd2e q_i q_j.
    pair_value evaluate(double qqk, double r2) const noexcept {
        if (kind_ == kind::long_range && erfc_ == erfc_method::lammps) return evaluate_long(qqk, r2);
        using namespace coulomb_detail;
        const double r = std::sqrt(r2);
        const double r2inv = 1.0 / r2;
        const double prefactor = qqk / r;
        switch (kind_) {
            case kind::cut: return {prefactor, prefactor * r2inv};
            case kind::long_range: {
                const double gr = alpha_ * r;
                const double expm2 = std::exp(-gr * gr);
                const double e = std::erfc(gr);
                return {prefactor * e, prefactor * (e + two_over_sqrt_pi * gr * expm2) * r2inv};
            }
            case kind::dsf: {
                const double erfcd = std::exp(-alpha_ * alpha_ * r2);
                const double erfcc = erfc_as(alpha_ * r, erfcd);
                const double fc = prefactor * (erfcc / r + 2.0 * alpha_ / sqrt_pi * erfcd + r * f_shift_) * r;
                return {prefactor * (erfcc - r * e_shift_ - r2 * f_shift_), fc * r2inv};
            }
            case kind::wolf: {
                const double erfcc = std::erfc(alpha_ * r);
                const double erfcd = std::exp(-alpha_ * alpha_ * r2);
                const double dvdrr = erfcc * r2inv + 2.0 * alpha_ / sqrt_pi * erfcd / r + f_shift_;
                return {(erfcc - e_shift_ * r) * prefactor, dvdrr * prefactor};
            }
            case kind::none: break;
        }
        return {};
    }

    /// g = -(dE/dr)/r as evaluate() computes it, and h = (dg/dr)/r, the
    /// derivative of that force (for wolf, whose force is not -dE/dr, the
    /// Hessian is the Jacobian of the force LAMMPS applies). With qqk as in
    /// evaluate(), x = alpha r, c = 2/sqrt(pi) (LAMMPS's 1.12837917 for
    /// long + erfc_method::lammps):
    ///   cut   g = qqk / r^3
    ///   long  g = qqk N / r^3,  N = erfc(x) + c x exp(-x^2)
    ///   dsf   g = qqk M / r^2,  M = erfc(x) / r + c alpha exp(-x^2) + r f_s
    ///   wolf  g = qqk W / r,    W = erfc(x) / r^2 + c alpha exp(-x^2) / r + f_s
    /// differentiated in r (erfc by the formula the force uses: the rational
    /// approximation's own derivative where the force uses it).
    pair_stiffness stiffness(double qqk, double r2) const noexcept {
        using namespace coulomb_detail;
        const double r = std::sqrt(r2);
        const double rinv = 1.0 / r;
        const double x = alpha_ * r;
        const double expm2 = std::exp(-x * x);
        const bool as = erfc_ == erfc_method::lammps;
        auto finish = [&](double g, double dg) { return pair_stiffness{g, dg * rinv}; };
        switch (kind_) {
            case kind::cut: {
                const double r3inv = rinv * rinv * rinv;
                return finish(qqk * r3inv, -3.0 * qqk * r3inv * rinv);
            }
            case kind::long_range: {
                const double c = as ? ewald_f : two_over_sqrt_pi;
                const double e = as ? erfc_as(x, expm2) : std::erfc(x);
                const double de = as ? erfc_as_derivative(x, expm2) : -two_over_sqrt_pi * expm2;
                const double n = e + c * x * expm2;
                const double dn = alpha_ * (de + c * expm2 * (1.0 - 2.0 * x * x));
                const double r3inv = rinv * rinv * rinv;
                return finish(qqk * n * r3inv, qqk * (dn - 3.0 * n * rinv) * r3inv);
            }
            case kind::dsf: {
                const double e = erfc_as(x, expm2);
                const double de = erfc_as_derivative(x, expm2);
                const double c = 2.0 / sqrt_pi;
                const double m = e * rinv + c * alpha_ * expm2 + r * f_shift_;
                const double dm = alpha_ * de * rinv - e * rinv * rinv - 2.0 * c * alpha_ * alpha_ * alpha_ * r * expm2 + f_shift_;
                const double r2inv = rinv * rinv;
                return finish(qqk * m * r2inv, qqk * (dm - 2.0 * m * rinv) * r2inv);
            }
            case kind::wolf: {
                const double e = std::erfc(x);
                const double c = 2.0 / sqrt_pi;
                const double w = e * rinv * rinv + c * alpha_ * expm2 * rinv + f_shift_;
                const double dw = -2.0 * c * alpha_ * expm2 * rinv * rinv - 2.0 * e * rinv * rinv * rinv -
                                  2.0 * c * alpha_ * alpha_ * alpha_ * expm2;
                return finish(qqk * w * rinv, qqk * (dw - w * rinv) * rinv);
            }
            case kind::none: break;
        }
        return {};
    }

    /// evaluate() of coul/long with LAMMPS's erfc, the hot case of Ewald and
    /// PPPM runs (the force loop calls it directly: no dispatch per pair).
    pair_value evaluate_long(double qqk, double r2) const noexcept {
        using namespace coulomb_detail;
        const double r = std::sqrt(r2);
        const double rinv = 1.0 / r;
        const double prefactor = qqk * rinv;
        const double gr = alpha_ * r;
        const double expm2 = std::exp(-gr * gr);
        const double e = erfc_as(gr, expm2);
        return {prefactor * e, prefactor * (e + ewald_f * gr * expm2) * (rinv * rinv)};
    }

    /// The self energy of an atom with qqk = qqrd2e q_i^2 (dsf, wolf; else 0).
    double self_energy(double qqk) const noexcept {
        if (kind_ == kind::dsf || kind_ == kind::wolf) return -(e_shift_ / 2.0 + alpha_ / coulomb_detail::sqrt_pi) * qqk;
        return 0.0;
    }

    /// LAMMPS's style name of the term ("coul/long", ...).
    std::string style() const {
        switch (kind_) {
            case kind::cut: return "coul/cut";
            case kind::long_range: return "coul/long";
            case kind::dsf: return "coul/dsf";
            case kind::wolf: return "coul/wolf";
            case kind::none: break;
        }
        return "none";
    }

private:
    coulomb_real(kind k, double rc, double alpha, erfc_method m) : kind_(k), rc_(rc), alpha_(alpha), erfc_(m) {
        if (!(rc > 0.0) || !std::isfinite(rc)) throw invalid_argument(style() + ": the cutoff must be positive");
        if ((k == kind::dsf || k == kind::wolf) && (!(alpha >= 0.0) || !std::isfinite(alpha)))
            throw invalid_argument(style() + ": the damping parameter must be >= 0");
        using coulomb_detail::sqrt_pi;
        if (k == kind::dsf) {
            const double erfcc = std::erfc(alpha * rc), erfcd = std::exp(-alpha * alpha * rc * rc);
            f_shift_ = -(erfcc / (rc * rc) + 2.0 / sqrt_pi * alpha * erfcd / rc);
            e_shift_ = erfcc / rc - f_shift_ * rc;
        } else if (k == kind::wolf) {
            e_shift_ = std::erfc(alpha * rc) / rc;
            f_shift_ = -(e_shift_ + 2.0 * alpha / sqrt_pi * std::exp(-alpha * alpha * rc * rc)) / rc;
        }
    }

    kind kind_ = kind::none;
    double rc_ = 0.0;
    double alpha_ = 0.0;
    erfc_method erfc_ = erfc_method::lammps;
    double e_shift_ = 0.0;
    double f_shift_ = 0.0;
};

}  // namespace amorph::potential
