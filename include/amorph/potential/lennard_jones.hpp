// amorph/potential/lennard_jones.hpp — the 12-6 Lennard-Jones pair function.
//
//     E(r) = 4 eps [ (sigma/r)^12 - (sigma/r)^6 ]
//     -(dE/dr)/r = (48 eps sigma^12 / r^12 - 24 eps sigma^6 / r^6) / r^2
//
// per species pair (eps, sigma, cutoff), computed exactly as LAMMPS's lj/cut
// does (no square root):
//     lj1 = 48 eps sigma^12, lj2 = 24 eps sigma^6, lj3 = 4 eps sigma^12, lj4 = 4 eps sigma^6
//     r6inv = (1/r^2)^3, force_over_r = r6inv (lj1 r6inv - lj2) / r^2,
//     E = r6inv (lj3 r6inv - lj4).
// Stiffness (the Hessian's pair term, concepts.hpp): g = lj1 r^-14 - lj2 r^-8,
//     h = (dg/dr)/r = r6inv (8 lj2 - 14 lj1 r6inv) / r^4.
// This is a bare pair_function: wrap it in a cutoff treatment
// (cutoff.hpp) to get lj/cut (truncated), lj/cut + pair_modify shift yes
// (shifted) or lj/smooth/linear (shifted_force).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/pair_table.hpp"

#include <cmath>
#include <string>

namespace amorph::potential {

struct lj_coeff {
    double epsilon = 0.0;
    double sigma = 0.0;
    double cutoff = 0.0;
};

class lennard_jones {
public:
    struct params {
        double lj1, lj2, lj3, lj4;
    };

    /// From a table of (eps, sigma, cutoff); unset off-diagonal pairs are mixed
    /// from the diagonal ones with `mix` (LAMMPS's init_one).
    explicit lennard_jones(const pair_table<lj_coeff>& coeffs, mixing mix = mixing::geometric)
        : n_(coeffs.num_types()), coeff_(n_), p_(n_), cut_(n_) {
        for (int i = 0; i < n_; ++i)
            for (int j = i; j < n_; ++j) {
                lj_coeff c;
                if (coeffs.is_set(i, j)) {
                    c = coeffs(i, j);
                } else {
                    if (i == j || !coeffs.is_set(i, i) || !coeffs.is_set(j, j))
                        throw invalid_argument("lennard_jones: coefficients for types " + std::to_string(i + 1) + " " +
                                               std::to_string(j + 1) + " are not set and cannot be mixed");
                    const lj_coeff& a = coeffs(i, i);
                    const lj_coeff& b = coeffs(j, j);
                    c.epsilon = mix_energy(mix, a.epsilon, b.epsilon, a.sigma, b.sigma);
                    c.sigma = mix_distance(mix, a.sigma, b.sigma);
                    c.cutoff = mix_distance(mix, a.cutoff, b.cutoff);
                }
                if (!(c.sigma > 0.0) || !std::isfinite(c.epsilon) || !(c.cutoff > 0.0) || !std::isfinite(c.cutoff))
                    throw invalid_argument("lennard_jones: types " + std::to_string(i + 1) + " " + std::to_string(j + 1) +
                                           ": need sigma > 0, finite epsilon and cutoff > 0");
                const params p{48.0 * c.epsilon * std::pow(c.sigma, 12.0), 24.0 * c.epsilon * std::pow(c.sigma, 6.0),
                               4.0 * c.epsilon * std::pow(c.sigma, 12.0), 4.0 * c.epsilon * std::pow(c.sigma, 6.0)};
                coeff_.set(i, j, c);
                p_(i, j) = p_(j, i) = p;
                cut_(i, j) = cut_(j, i) = c.cutoff;
            }
    }

    int num_types() const noexcept { return n_; }
    double cutoff(int ti, int tj) const noexcept { return cut_(ti, tj); }
    const lj_coeff& coeff(int ti, int tj) const { return coeff_(ti, tj); }

    pair_value raw(double r2, int ti, int tj) const noexcept {
        const params& p = p_(ti, tj);
        const double r2inv = 1.0 / r2;
        const double r6inv = r2inv * r2inv * r2inv;
        return {r6inv * (p.lj3 * r6inv - p.lj4), r6inv * (p.lj1 * r6inv - p.lj2) * r2inv};
    }

    pair_stiffness stiffness(double r2, int ti, int tj) const noexcept {
        const params& p = p_(ti, tj);
        const double r2inv = 1.0 / r2;
        const double r6inv = r2inv * r2inv * r2inv;
        return {r6inv * (p.lj1 * r6inv - p.lj2) * r2inv, r6inv * (8.0 * p.lj2 - 14.0 * p.lj1 * r6inv) * r2inv * r2inv};
    }

    /// The parameters of species ti against every tj (hoisted by the force loop).
    struct row_view {
        const params* p;
        pair_value raw(double r2, int tj) const noexcept {
            const params& q = p[tj];
            const double r2inv = 1.0 / r2;
            const double r6inv = r2inv * r2inv * r2inv;
            return {r6inv * (q.lj3 * r6inv - q.lj4), r6inv * (q.lj1 * r6inv - q.lj2) * r2inv};
        }
    };
    row_view row(int ti) const noexcept { return {&p_(ti, 0)}; }

private:
    int n_;
    pair_table<lj_coeff> coeff_;
    dense_pair_array<params> p_;
    dense_pair_array<double> cut_;
};

static_assert(pair_function<lennard_jones>);

}  // namespace amorph::potential
