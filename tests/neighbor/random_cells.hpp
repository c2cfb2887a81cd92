// Random cells and configurations shared by the neighbor tests.
#pragma once

#include "amorph/core/box.hpp"

#include <random>

namespace amorph::test {

/// A random general cell: edge lengths in [lmin, lmax], tilt factors up to
/// `max_tilt` (1 = 45 degrees), optionally rotated, random origin.
template <int D>
box<D> random_cell(std::mt19937_64& rng, double lmin, double lmax, double max_tilt, bool rotate,
                   typename box<D>::flags_t periodic = box<D>::all_periodic()) {
    std::uniform_real_distribution<double> len(lmin, lmax), tilt(-max_tilt, max_tilt), u(-1, 1);
    mat<D> h = mat<D>::Zero();
    for (int k = 0; k < D; ++k) h(k, k) = len(rng);
    for (int c = 1; c < D; ++c)
        for (int r = 0; r < c; ++r) h(r, c) = tilt(rng) * h(r, r);
    mat<D> R = mat<D>::Identity();
    if (rotate) {
        mat<D> q;
        for (int i = 0; i < D; ++i)
            for (int j = 0; j < D; ++j) q(i, j) = u(rng);
        Eigen::HouseholderQR<mat<D>> qr(q);
        R = qr.householderQ();
        if (R.determinant() < 0) R.col(0) *= -1;
    }
    vec<D> o;
    for (int k = 0; k < D; ++k) o(k) = 3 * u(rng);
    return box<D>(R * h, o, periodic);
}

/// n positions: uniform in the cell, with a fraction duplicated, some exactly
/// on cell faces (fractional 0), and some unwrapped by a few cells.
template <int D>
coords<D> random_positions(std::mt19937_64& rng, const box<D>& b, int n) {
    std::uniform_real_distribution<double> u(0, 1);
    std::uniform_int_distribution<int> shift(-3, 3);
    coords<D> x(D, n);
    for (int i = 0; i < n; ++i) {
        vec<D> s;
        for (int k = 0; k < D; ++k) s(k) = u(rng);
        const double kind = u(rng);
        if (kind < 0.1 && i > 0) {  // duplicate of an earlier atom
            x.col(i) = x.col(std::uniform_int_distribution<int>(0, i - 1)(rng));
            continue;
        }
        if (kind < 0.2) s(0) = 0.0;           // exactly on a face
        else if (kind < 0.25) s(D - 1) = 1.0;  // on the opposite face
        if (kind > 0.8)
            for (int k = 0; k < D; ++k)
                if (b.periodic(k)) s(k) += shift(rng);  // unwrapped
        x.col(i) = b.to_cartesian(s);
    }
    return x;
}

}  // namespace amorph::test
