// amorph/analysis/orientational.hpp — orientational pair correlations relative to the
// loading frame (thesis eq 5.3 and 5.4).
//
// g_zeta(r, theta): for center atom i and neighbors j of species b,
//     theta_ij = arccos(|r^_ij . zeta^|)  in [0, pi/2],
//     g_{zeta,i}(r, theta)_b = sum_j delta(r - r_ij) delta(theta - theta_ij) / (kappa d f_b),
// with d f_b = N_b / V the mean density of b and kappa the volume of the
// (r, theta) bin: all four (2D) or both (3D) sign-mirrored copies of the
// angular range, because theta folds |cos|:
//     2D: kappa = 2 (r_hi^2 - r_lo^2) dtheta            (thesis: 4 r dr dtheta)
//     3D: kappa = 4/3 pi (r_hi^3 - r_lo^3) (cos theta_lo - cos theta_hi)
//                                         (thesis: 4 pi r^2 dr [cos - cos])
// amorph uses the exact bin volumes; the thesis's forms are their first-order
// expansions in dr. An isotropic neighborhood gives g(r, theta) = g(r).
//
// g_zeta(r, phi) (3D): chi_j = the part of r_ij perpendicular to zeta; phi_j is
// the angle between chi_j and the plane spanned by the shear direction iota and
// the shear-plane normal eta: phi = arcsin(|chi^_j . m^|), m = iota x eta,
// phi in [0, pi/2];  kappa = 4/3 (r_hi^3 - r_lo^3) * 2 dphi  (thesis: 8 r^2 dr dphi).
//
// Both are averaged over the given center atoms.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/neighbor/cell_list.hpp"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace amorph::analysis {

struct orientational_options {
    double r_max = 0.0;
    int r_bins = 50;
    int angle_bins = 6;
};

struct orientational_result {
    std::vector<double> r;      ///< radial bin centres
    std::vector<double> angle;  ///< angular bin centres (radians)
    Eigen::MatrixXd g;          ///< r_bins x angle_bins, averaged over centers
};

namespace detail {
inline void check(const orientational_options& o) {
    if (!(o.r_max > 0.0) || o.r_bins < 1 || o.angle_bins < 1)
        throw invalid_argument("orientational correlation: need r_max > 0, r_bins >= 1, angle_bins >= 1");
}

/// Shared histogram loop: angle_of(d) gives the angle in [0, pi/2] of
/// displacement d, volume(k, m) the (r, angle) bin volume.
template <int D, class Angle, class Volume>
orientational_result orient_hist(const box<D>& b, const coords<D>& x, const std::vector<int>& types,
                                 const std::vector<std::size_t>& centers, int species, const orientational_options& o,
                                 Angle&& angle_of, Volume&& volume) {
    check(o);
    const auto n = static_cast<std::size_t>(x.cols());
    if (types.size() != n) throw invalid_argument("orientational correlation: one type per atom needed");
    double nb = 0;
    for (int t : types) nb += t == species;
    const double dr = o.r_max / o.r_bins, da = 0.5 * std::numbers::pi / o.angle_bins;
    orientational_result res;
    res.g = Eigen::MatrixXd::Zero(o.r_bins, o.angle_bins);
    for (int k = 0; k < o.r_bins; ++k) res.r.push_back((k + 0.5) * dr);
    for (int m = 0; m < o.angle_bins; ++m) res.angle.push_back((m + 0.5) * da);
    if (centers.empty() || nb == 0) return res;
    const neighbor::cell_list<D> cells(b, x, o.r_max);
    for (std::size_t i : centers) {
        if (i >= n) throw invalid_argument("orientational correlation: center index out of range");
        cells.for_each_within(x.col(static_cast<Eigen::Index>(i)), o.r_max * o.r_max,
                              [&](std::uint32_t j, const ivec<D>& img, const vec<D>& d, double r2) {
                                  if ((j == i && img.isZero()) || types[j] != species) return;
                                  const int k = std::min(o.r_bins - 1, static_cast<int>(std::sqrt(r2) / dr));
                                  const double a = angle_of(d);
                                  const int m = std::clamp(static_cast<int>(a / da), 0, o.angle_bins - 1);
                                  res.g(k, m) += 1.0;
                              });
    }
    const double density = nb / b.volume();
    for (int k = 0; k < o.r_bins; ++k)
        for (int m = 0; m < o.angle_bins; ++m)
            res.g(k, m) /= static_cast<double>(centers.size()) * density * volume(k * dr, (k + 1) * dr, m * da, (m + 1) * da);
    return res;
}
}  // namespace detail

/// g_zeta(r, theta) of neighbors of `species` around `centers` (eq 5.3).
template <int D>
orientational_result g_zeta_theta(const box<D>& b, const coords<D>& x, const std::vector<int>& types,
                                  const std::vector<std::size_t>& centers, int species, const vec<D>& zeta,
                                  const orientational_options& o) {
    if (!(zeta.norm() > 0)) throw invalid_argument("g_zeta_theta: zeta must be non-zero");
    const vec<D> z = zeta.normalized();
    auto angle = [&](const vec<D>& d) { return std::acos(std::min(1.0, std::abs(d.dot(z)) / d.norm())); };
    auto volume = [](double r0, double r1, double a0, double a1) {
        if constexpr (D == 2) return 2.0 * (r1 * r1 - r0 * r0) * (a1 - a0);
        else return 4.0 / 3.0 * std::numbers::pi * (r1 * r1 * r1 - r0 * r0 * r0) * (std::cos(a0) - std::cos(a1));
    };
    return detail::orient_hist<D>(b, x, types, centers, species, o, angle, volume);
}

/// g_zeta(r, phi) of neighbors of `species` around `centers` (eq 5.4, 3D).
inline orientational_result g_zeta_phi(const box<3>& b, const coords<3>& x, const std::vector<int>& types,
                                       const std::vector<std::size_t>& centers, int species, const vec<3>& zeta,
                                       const vec<3>& iota, const vec<3>& eta, const orientational_options& o) {
    const vec<3> m = iota.cross(eta);
    if (!(zeta.norm() > 0) || !(m.norm() > 0))
        throw invalid_argument("g_zeta_phi: zeta must be non-zero and iota, eta not parallel");
    const vec<3> z = zeta.normalized(), mh = m.normalized();
    auto angle = [&](const vec<3>& d) {
        const vec<3> chi = d - d.dot(z) * z;
        const double c = chi.norm();
        return c > 0 ? std::asin(std::min(1.0, std::abs(chi.dot(mh)) / c)) : 0.0;
    };
    auto volume = [](double r0, double r1, double a0, double a1) {
        return 4.0 / 3.0 * (r1 * r1 * r1 - r0 * r0 * r0) * 2.0 * (a1 - a0);
    };
    return detail::orient_hist<3>(b, x, types, centers, species, o, angle, volume);
}

}  // namespace amorph::analysis
