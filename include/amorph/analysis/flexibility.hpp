// amorph/analysis/flexibility.hpp — flexibility volume, vibrational anisotropy
// and the shear modulus they predict (thesis ch2 sec 2.2-2.3, eq 2.1, 2.5;
// Ding et al., PNAS 113, 8161 (2016)).
//
// From an MSD ensemble (msd.hpp, computed by protocol/vibration.hpp: per-atom
// MSD_i and fabric tensor F_i = <(x_i - xbar_i) (x) (x_i - xbar_i)>) and the Voronoi cell
// volume Omega_i (area in 2D) of each atom of the configuration:
//     a_i        = Omega_i^(1/D)                       (atomic spacing)
//     v_flex,i   = MSD_i a_i                           (flexibility volume)
//     v_flex     = (1/N) sum_i v_flex,i
//     eta_i      = sqrt(D / (D - 1)) sqrt( sum_k (lambda_k - 1/D)^2 ),
//                  lambda_k the eigenvalues of F_i / tr F_i
//                  (D = 3: (3/sqrt 6) sqrt(sum (lambda_k - 1/3)^2), thesis
//                  sec 2.2; 0 for isotropic, 1 for one-dimensional vibration)
//     C_flex(r)  = spatial_correlation of v_flex,i (correlation.hpp, eq 2.1)
//     G_pred     = C k_B T / v_flex, C = 0.464 (eq 2.5), in the unit system's
//                  pressure unit (k_B T / v_flex * nktv2p; bar in metal units).
// Per-atom results are keyed by id (increasing), as the MSD result.
#pragma once

#include "amorph/analysis/correlation.hpp"
#include "amorph/analysis/msd.hpp"
#include "amorph/analysis/voronoi.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/units.hpp"

#include <Eigen/Eigenvalues>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace amorph::analysis {

/// The thesis's constant of G = C k T / v_flex (eq 2.5).
inline constexpr double flexibility_constant = 0.464;

/// Vibrational anisotropy of one fabric tensor given in Voigt order
/// (xx yy [zz] xy [xz yz]); 0 for a zero tensor.
template <int D>
double vibrational_anisotropy(const Eigen::Ref<const Eigen::VectorXd>& voigt) {
    mat<D> f;
    int k = 0;
    for (int a = 0; a < D; ++a) f(a, a) = voigt(k++);
    for (int a = 0; a < D; ++a)
        for (int b = a + 1; b < D; ++b) f(a, b) = f(b, a) = voigt(k++);
    const double tr = f.trace();
    if (!(tr > 0.0)) return 0.0;
    Eigen::SelfAdjointEigenSolver<mat<D>> es(f / tr, Eigen::EigenvaluesOnly);
    double s = 0.0;
    for (int a = 0; a < D; ++a) {
        const double d = es.eigenvalues()(a) - 1.0 / D;
        s += d * d;
    }
    return std::sqrt(static_cast<double>(D) / (D - 1) * s);
}

struct flexibility_result {
    std::vector<std::int64_t> ids;  ///< increasing
    std::vector<double> msd;        ///< MSD_i
    std::vector<double> volume;     ///< Omega_i (area in 2D)
    std::vector<double> spacing;    ///< a_i
    std::vector<double> vflex;      ///< v_flex,i
    std::vector<double> eta;        ///< eta_i
    double mean_msd = 0.0, mean_spacing = 0.0, mean_vflex = 0.0, mean_eta = 0.0;
    double mean_vflex_error = 0.0;  ///< from the run-to-run spread of the MSD, scaled by v_flex / MSD
};

/// Flexibility volume and anisotropy of `sys` from its MSD ensemble `m`.
template <int D>
flexibility_result flexibility_volume(const amorph::system<D>& sys, const msd_result<D>& m,
                                      const voronoi_options& vopt = {.radii = {}, .faces = false, .edge_threshold = 0}) {
    amorph::system<D> s = sys;
    s.sort_by_id();
    if (s.ids != m.ids) throw invalid_argument("flexibility_volume: the MSD result belongs to other atoms (ids differ)");
    const auto vor = voronoi<D>(s.box, s.positions, vopt);
    flexibility_result out;
    const std::size_t n = s.size();
    out.ids = s.ids;
    out.msd = m.msd;
    out.volume = vor.volume;
    out.spacing.resize(n);
    out.vflex.resize(n);
    out.eta.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.spacing[i] = std::pow(vor.volume[i], 1.0 / D);
        out.vflex[i] = m.msd[i] * out.spacing[i];
        out.eta[i] = vibrational_anisotropy<D>(m.fabric.col(static_cast<Eigen::Index>(i)));
    }
    const double inv = n ? 1.0 / static_cast<double>(n) : 0.0;
    auto mean = [&](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) * inv; };
    out.mean_msd = mean(out.msd);
    out.mean_spacing = mean(out.spacing);
    out.mean_vflex = mean(out.vflex);
    out.mean_eta = mean(out.eta);
    out.mean_vflex_error = m.mean > 0 ? out.mean_vflex * m.mean_error / m.mean : 0.0;
    return out;
}

/// C_flex(r) of the per-atom flexibility volume (eq 2.1) and its correlation length.
template <int D>
correlation_result flexibility_correlation(const amorph::system<D>& sys, const flexibility_result& f,
                                           const rdf_options& opt) {
    amorph::system<D> s = sys;
    s.sort_by_id();
    if (s.ids != f.ids) throw invalid_argument("flexibility_correlation: the result belongs to other atoms (ids differ)");
    return spatial_correlation<D>(s.box, s.positions, f.vflex, opt);
}

/// G = C k_B T / v_flex in the unit system's pressure unit (bar in metal units).
inline double predicted_shear_modulus(double temperature, double vflex, const unit_system& u,
                                      double c = flexibility_constant) {
    if (!(vflex > 0.0)) throw invalid_argument("predicted_shear_modulus: v_flex must be > 0");
    return c * u.boltz * temperature / vflex * u.nktv2p;
}

}  // namespace amorph::analysis
