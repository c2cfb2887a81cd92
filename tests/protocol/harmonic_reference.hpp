// tests/protocol/harmonic_reference.hpp — the harmonic-crystal reference of the
// vibrational MSD, written out independently of the library's force code: the
// analytic Hessian of shifted-force LJ and the exact velocity-Verlet solution of
// each normal mode (test_vibration.cpp; the CLI's `amorph msd` in test_cli_flex.cpp).
#pragma once

#include <amorph/core/system.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <cstdint>

namespace amorph::test {

/// Mass-weighted (m = 1) Hessian of shifted-force LJ (eps = sigma = 1, cutoff rc).
inline Eigen::MatrixXd lj_sf_hessian(const amorph::system<3>& s, double rc) {
    const auto n = static_cast<Eigen::Index>(s.size());
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(3 * n, 3 * n);
    const mat<3> h = s.box.h();
    auto dphi = [](double r) { return -48.0 * std::pow(r, -13) + 24.0 * std::pow(r, -7); };
    auto d2phi = [](double r) { return 624.0 * std::pow(r, -14) - 168.0 * std::pow(r, -8); };
    const double dphic = dphi(rc);
    const int m = 2;
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j)
            for (int a = -m; a <= m; ++a)
                for (int b = -m; b <= m; ++b)
                    for (int c = -m; c <= m; ++c) {
                        if (i == j) continue;  // self-image terms cancel in a Hessian
                        const vec<3> d = s.positions.col(j) - s.positions.col(i) + h * vec<3>(a, b, c);
                        const double r = d.norm();
                        if (r >= rc) continue;
                        const vec<3> e = d / r;
                        const mat<3> ee = e * e.transpose();
                        const mat<3> K = d2phi(r) * ee + (dphi(r) - dphic) / r * (mat<3>::Identity() - ee);
                        H.block<3, 3>(3 * i, 3 * i) += K;
                        H.block<3, 3>(3 * i, 3 * j) -= K;
                    }
    return H;
}

/// Harmonic prediction of the system-mean MSD for velocity Verlet started at
/// the minimum with velocities at temperature tv (E[v_k^2] = k tv per mode).
inline double harmonic_msd(const Eigen::VectorXd& w2, double tv, double dt, std::int64_t steps, std::int64_t every,
                    std::size_t natoms) {
    double total = 0.0;
    for (Eigen::Index k = 0; k < w2.size(); ++k) {
        if (w2(k) < 1e-8) continue;  // translations
        const double theta = 2.0 * std::asin(std::sqrt(w2(k)) * dt / 2.0);
        const double amp2 = tv * dt * dt / (std::sin(theta) * std::sin(theta));
        double s1 = 0, s2 = 0;
        std::int64_t cnt = 0;
        for (std::int64_t t = 0; t <= steps; t += every, ++cnt) {
            const double v = std::sin(theta * static_cast<double>(t));
            s1 += v;
            s2 += v * v;
        }
        const double c = static_cast<double>(cnt);
        total += amp2 * (s2 / c - (s1 / c) * (s1 / c));
    }
    return total / static_cast<double>(natoms);
}

}  // namespace amorph::test
