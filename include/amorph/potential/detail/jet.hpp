// amorph/potential/detail/jet.hpp — second-order forward-mode differentiation
// of a scalar function of N variables.
//
// jet<N> carries a value v, its gradient g (N) and its Hessian h (N x N)
// with respect to N independent variables. Arithmetic applies the chain rule
// exactly (to round-off), so a formula written once on jets gives its first
// and second derivatives without finite differences:
//     (a b)'' = a'' b + a b'' + a' b'^T + b' a'^T,
//     f(a)''  = f'(a) a'' + f''(a) a' a'^T.
// Used for the many-body terms of the Hessian (hessian.hpp: Stillinger-Weber's
// three-body term as a function of the two bond vectors, N = 2 D <= 6).
#pragma once

#include <Eigen/Core>

#include <cmath>

namespace amorph::potential::detail {

template <int N>
struct jet {
    using vector = Eigen::Matrix<double, N, 1>;
    using matrix = Eigen::Matrix<double, N, N>;

    double v = 0.0;
    vector g = vector::Zero();
    matrix h = matrix::Zero();

    jet() = default;
    /// A constant.
    jet(double value) : v(value) {}  // NOLINT(google-explicit-constructor): constants mix with jets
    /// Independent variable k with value `value`.
    static jet variable(double value, int k) {
        jet j(value);
        j.g(k) = 1.0;
        return j;
    }

    friend jet operator+(const jet& a, const jet& b) {
        jet r;
        r.v = a.v + b.v;
        r.g = a.g + b.g;
        r.h = a.h + b.h;
        return r;
    }
    friend jet operator-(const jet& a, const jet& b) {
        jet r;
        r.v = a.v - b.v;
        r.g = a.g - b.g;
        r.h = a.h - b.h;
        return r;
    }
    friend jet operator-(const jet& a) {
        jet r;
        r.v = -a.v;
        r.g = -a.g;
        r.h = -a.h;
        return r;
    }
    friend jet operator*(const jet& a, const jet& b) {
        jet r;
        r.v = a.v * b.v;
        r.g = a.g * b.v + b.g * a.v;
        r.h = a.h * b.v + b.h * a.v + a.g * b.g.transpose() + b.g * a.g.transpose();
        return r;
    }
    friend jet operator*(double s, const jet& a) {
        jet r;
        r.v = s * a.v;
        r.g = s * a.g;
        r.h = s * a.h;
        return r;
    }
    friend jet operator*(const jet& a, double s) { return s * a; }
    friend jet operator/(const jet& a, const jet& b) { return a * reciprocal(b); }
    friend jet operator/(const jet& a, double s) { return (1.0 / s) * a; }
    friend jet operator/(double s, const jet& b) { return s * reciprocal(b); }

    /// f(a) given f(a.v), f'(a.v) and f''(a.v).
    static jet apply(const jet& a, double f0, double f1, double f2) {
        jet r;
        r.v = f0;
        r.g = f1 * a.g;
        r.h = f1 * a.h + f2 * (a.g * a.g.transpose());
        return r;
    }
    friend jet reciprocal(const jet& a) {
        const double inv = 1.0 / a.v;
        return apply(a, inv, -inv * inv, 2.0 * inv * inv * inv);
    }
    friend jet exp(const jet& a) {
        const double e = std::exp(a.v);
        return apply(a, e, e, e);
    }
    friend jet sqrt(const jet& a) {
        const double s = std::sqrt(a.v);
        return apply(a, s, 0.5 / s, -0.25 / (s * a.v));
    }
    /// a^p for a real exponent p (a > 0).
    friend jet pow(const jet& a, double p) {
        const double f0 = std::pow(a.v, p);
        return apply(a, f0, p * f0 / a.v, p * (p - 1.0) * f0 / (a.v * a.v));
    }
};

}  // namespace amorph::potential::detail
