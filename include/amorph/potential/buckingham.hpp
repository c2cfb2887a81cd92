// amorph/potential/buckingham.hpp — the Buckingham (exp-6) pair function.
//
//     E(r) = A exp(-r/rho) - C / r^6
//     -(dE/dr)/r = (A/rho r exp(-r/rho) - 6 C / r^6) / r^2
//
// per species pair (A, rho, C, cutoff), computed as LAMMPS's `buck`:
//     rexp = exp(-r / rho), force_over_r = (buck1 r rexp - buck2 r6inv) r2inv,
//     buck1 = A / rho, buck2 = 6 C, E = A rexp - C r6inv.
// No mixing (LAMMPS requires every pair). Bare pair_function: wrap it in a
// cutoff treatment (`buck` = truncated, with `pair_modify shift yes` = shifted).
// This is the short-range part of e.g. the Matsui Al2O3 model; the Coulomb
// part joins as another pair kernel (pair_sum) plus a k-space potential.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/pair_table.hpp"

#include <cmath>
#include <string>

namespace amorph::potential {

struct buck_coeff {
    double a = 0.0;
    double rho = 0.0;
    double c = 0.0;
    double cutoff = 0.0;
};

class buckingham {
public:
    struct params {
        double a, c, rhoinv, buck1, buck2;
    };

    explicit buckingham(const pair_table<buck_coeff>& coeffs)
        : n_(coeffs.num_types()), coeff_(coeffs), p_(n_), cut_(n_) {
        coeffs.require_complete("buckingham");
        for (int i = 0; i < n_; ++i)
            for (int j = i; j < n_; ++j) {
                const buck_coeff& c = coeffs(i, j);
                if (!(c.rho > 0.0) || !(c.cutoff > 0.0) || !std::isfinite(c.a) || !std::isfinite(c.c) ||
                    !std::isfinite(c.cutoff))
                    throw invalid_argument("buckingham: types " + std::to_string(i + 1) + " " + std::to_string(j + 1) +
                                           ": need rho > 0, finite A and C, cutoff > 0");
                const params p{c.a, c.c, 1.0 / c.rho, c.a / c.rho, 6.0 * c.c};
                p_(i, j) = p_(j, i) = p;
                cut_(i, j) = cut_(j, i) = c.cutoff;
            }
    }

    int num_types() const noexcept { return n_; }
    double cutoff(int ti, int tj) const noexcept { return cut_(ti, tj); }
    const buck_coeff& coeff(int ti, int tj) const { return coeff_(ti, tj); }

    pair_value raw(double r2, int ti, int tj) const noexcept {
        const params& p = p_(ti, tj);
        const double r2inv = 1.0 / r2;
        const double r6inv = r2inv * r2inv * r2inv;
        const double r = std::sqrt(r2);
        const double rexp = std::exp(-r * p.rhoinv);
        return {p.a * rexp - p.c * r6inv, (p.buck1 * r * rexp - p.buck2 * r6inv) * r2inv};
    }

    /// g = buck1 rexp / r - buck2 r^-8, h = (dg/dr)/r
    ///   = -buck1 rexp (1/(rho r) + 1/r^2) / r + 8 buck2 r^-10.
    pair_stiffness stiffness(double r2, int ti, int tj) const noexcept {
        const params& p = p_(ti, tj);
        const double r2inv = 1.0 / r2;
        const double r6inv = r2inv * r2inv * r2inv;
        const double r = std::sqrt(r2);
        const double rinv = 1.0 / r;
        const double rexp = std::exp(-r * p.rhoinv);
        return {(p.buck1 * r * rexp - p.buck2 * r6inv) * r2inv,
                -p.buck1 * rexp * (p.rhoinv * rinv + r2inv) * rinv + 8.0 * p.buck2 * r6inv * r2inv * r2inv};
    }

    /// The parameters of species ti against every tj (hoisted by the force loop).
    struct row_view {
        const params* p;
        pair_value raw(double r2, int tj) const noexcept {
            const params& q = p[tj];
            const double r2inv = 1.0 / r2;
            const double r6inv = r2inv * r2inv * r2inv;
            const double r = std::sqrt(r2);
            const double rexp = std::exp(-r * q.rhoinv);
            return {q.a * rexp - q.c * r6inv, (q.buck1 * r * rexp - q.buck2 * r6inv) * r2inv};
        }
    };
    row_view row(int ti) const noexcept { return {&p_(ti, 0)}; }

private:
    int n_;
    pair_table<buck_coeff> coeff_;
    dense_pair_array<params> p_;
    dense_pair_array<double> cut_;
};

static_assert(pair_function<buckingham>);

}  // namespace amorph::potential
