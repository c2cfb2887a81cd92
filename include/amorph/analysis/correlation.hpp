// amorph/analysis/correlation.hpp — spatial correlation of a per-atom scalar (thesis eq 2.1).
//
// For a per-atom quantity v (e.g. the flexibility volume) and distance bins
// of width dr over [0, r_max), with the sums over unordered pairs {i, j}
// (i != j, every periodic image) whose distance falls in the bin,
//     C(r) = <v_i v_j>_r - <v_i>_r <v_j>_r,
// where <.>_r averages over those pairs and, since a pair is unordered, <v_i>_r
// and <v_j>_r are both the mean of (v_i + v_j) / 2 over the pairs (the
// symmetric reading of eq 2.1). C(0) is taken as the variance of v.
// The correlation length xi is where C(r) / C(0) first falls below 1/e
// (linear interpolation between bin centres); NaN if it never does.
#pragma once

#include "amorph/analysis/rdf.hpp"
#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/neighbor/verlet_list.hpp"

#include <cmath>
#include <limits>
#include <vector>

namespace amorph::analysis {

struct correlation_result {
    std::vector<double> r;      ///< bin centres
    std::vector<double> c;      ///< C(r)
    std::vector<double> pairs;  ///< number of pairs per bin
    double variance = 0.0;      ///< C(0)
    double length = std::numeric_limits<double>::quiet_NaN();
};

template <int D>
correlation_result spatial_correlation(const box<D>& b, const coords<D>& x, const std::vector<double>& v,
                                       const rdf_options& opt) {
    detail::check_rdf_options(opt);
    const auto n = static_cast<std::size_t>(x.cols());
    if (v.size() != n) throw invalid_argument("spatial_correlation: one value per atom needed");
    const auto nb = static_cast<std::size_t>(opt.bins);
    const double dr = opt.r_max / opt.bins;
    neighbor::verlet_list<D, neighbor::half_t> nl(opt.r_max);
    nl.build(b, x);
    std::vector<double> cnt(nb, 0), prod(nb, 0), sum(nb, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& e : nl.neighbors(i)) {
            const vec<D> d = x.col(e.j) - x.col(static_cast<Eigen::Index>(i)) + nl.shifts().col(e.image);
            const double r = d.norm();
            if (!(r < opt.r_max)) continue;
            const auto k = std::min(nb - 1, static_cast<std::size_t>(r / dr));
            cnt[k] += 1;
            prod[k] += v[i] * v[e.j];
            sum[k] += 0.5 * (v[i] + v[e.j]);
        }
    correlation_result out;
    double mean = 0, mean2 = 0;
    for (double a : v) {
        mean += a;
        mean2 += a * a;
    }
    if (n) {
        mean /= static_cast<double>(n);
        out.variance = mean2 / static_cast<double>(n) - mean * mean;
    }
    out.r.resize(nb);
    out.c.assign(nb, 0.0);
    out.pairs = cnt;
    for (std::size_t k = 0; k < nb; ++k) {
        out.r[k] = (static_cast<double>(k) + 0.5) * dr;
        if (cnt[k] > 0) {
            const double m = sum[k] / cnt[k];
            out.c[k] = prod[k] / cnt[k] - m * m;
        }
    }
    if (out.variance > 0) {
        double r_prev = 0.0, f_prev = 1.0;
        for (std::size_t k = 0; k < nb; ++k) {
            if (cnt[k] == 0) continue;
            const double f = out.c[k] / out.variance;
            if (f < std::exp(-1.0)) {
                const double t = (f_prev - std::exp(-1.0)) / (f_prev - f);
                out.length = r_prev + t * (out.r[k] - r_prev);
                break;
            }
            r_prev = out.r[k];
            f_prev = f;
        }
    }
    return out;
}

}  // namespace amorph::analysis
