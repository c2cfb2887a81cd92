// amorph/learn/metrics.hpp — scores of classifiers and regressors.
//
//   accuracy  = (1/n) #{i : predicted class == true class}, the predicted class
//               being 1 when the decision value f_i > 0 and the negative class
//               (0 or -1) otherwise;
//   pearson   rho = sum (a_i - <a>)(b_i - <b>) / sqrt(sum (a_i - <a>)^2 sum (b_i - <b>)^2)
//               (two-pass; NaN when either input is constant).
//
// Scores of plastic-susceptibility predictions (thesis ch. 5 and 6). With a
// target per atom t_i (e.g. D2min at a strain) and a predicted indicator
// rho_i (CNN class probability, softness, -Omega_a, ...), "top f" is the
// set T of the n_f = max(1, round(f N)) atoms with the largest values (ties:
// lower index first, as analysis::top_fraction_labels):
//   probability_accuracy = (1/n) #{i : (p_i > threshold) == (y_i == 1)}
//               (balanced sets; threshold 0.5 as for a sigmoid output);
//   c_rank      (eq 5.5) C_rank = 2 <CDF(rho_i)>_{i in T(t)} - 1, with the
//               empirical CDF over all N atoms, CDF(x) = #{j : rho_j <= x} / N.
//               1 - (n_f - 1)/N when the top-t atoms have the largest rho
//               (~0.995 for f = 0.5 %), ~0 for an uninformative rho,
//               (n_f + 1)/N - 1 when they have the smallest;
//   overlap_ratio (Fig. 5.17) R = |T(t) cap T(rho)| / |T(t)|, both sets of
//               size n_f;
//   roc_auc     area under the ROC curve of rho for the classes "in T(t)"
//               (positive) and "not in T(t)": the Mann-Whitney statistic
//               AUC = (1 / (n_f (N - n_f))) sum_{i in T, j not in T}
//                     [rho_i > rho_j] + 1/2 [rho_i == rho_j]
//               (scikit-learn's roc_auc_score; 0.5 for no information);
//   balanced_accuracy (TPR + TNR) / 2 of the classifier rho_i > threshold
//               against "in T(t)" over all N atoms: the accuracy on a
//               balanced set (thesis 5.7.2) without drawing one
//               (scikit-learn's balanced_accuracy_score);
//   band_figure_of_merit (ch. 6) gamma = #{k : q_k <= q_band} / K for a
//               profile q_k over K slab positions (density of fertile sites)
//               and the slab of the shear band (1 when the band sits at the
//               highest density; uniform on (0, 1] for no correlation).
#pragma once

#include "amorph/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <numeric>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace amorph::learn {

/// Fraction of samples whose sign of the decision value matches the label
/// (1 = positive; 0 or -1 = negative).
inline double accuracy(std::span<const int> y_true, std::span<const double> decision) {
    if (y_true.size() != decision.size())
        throw invalid_argument("accuracy: " + std::to_string(y_true.size()) + " labels, " +
                               std::to_string(decision.size()) + " predictions");
    if (y_true.empty()) throw invalid_argument("accuracy: no samples");
    std::size_t ok = 0;
    for (std::size_t i = 0; i < y_true.size(); ++i) ok += ((decision[i] > 0) == (y_true[i] == 1)) ? 1 : 0;
    return static_cast<double>(ok) / static_cast<double>(y_true.size());
}

/// Pearson correlation coefficient of a and b.
inline double pearson(std::span<const double> a, std::span<const double> b) {
    if (a.size() != b.size()) throw invalid_argument("pearson: inputs differ in length");
    if (a.size() < 2) throw invalid_argument("pearson: need at least two values");
    const double n = static_cast<double>(a.size());
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
    ma /= n;
    mb /= n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double da = a[i] - ma, db = b[i] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if (!(saa > 0) || !(sbb > 0)) return std::numeric_limits<double>::quiet_NaN();
    return sab / std::sqrt(saa * sbb);
}

/// Fraction of samples whose class (probability > threshold) matches the label (1 / 0 or -1).
inline double probability_accuracy(std::span<const int> y_true, std::span<const double> probability,
                                   double threshold = 0.5) {
    if (y_true.size() != probability.size())
        throw invalid_argument("probability_accuracy: " + std::to_string(y_true.size()) + " labels, " +
                               std::to_string(probability.size()) + " predictions");
    if (y_true.empty()) throw invalid_argument("probability_accuracy: no samples");
    std::size_t ok = 0;
    for (std::size_t i = 0; i < y_true.size(); ++i) ok += ((probability[i] > threshold) == (y_true[i] == 1)) ? 1 : 0;
    return static_cast<double>(ok) / static_cast<double>(y_true.size());
}

/// Indices of the top fraction f of `values` (n_f = max(1, round(f N)) atoms,
/// largest first; ties: lower index first).
inline std::vector<std::size_t> top_fraction_indices(std::span<const double> values, double fraction) {
    if (values.empty()) throw invalid_argument("top fraction: no values");
    if (!(fraction > 0 && fraction <= 1)) throw invalid_argument("top fraction: fraction must be in (0, 1]");
    for (double v : values)
        if (std::isnan(v)) throw invalid_argument("top fraction: NaN value");
    const std::size_t n = values.size();
    const auto k = std::min(n, std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(fraction * double(n)))));
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
    order.resize(k);
    return order;
}

/// C_rank (thesis eq 5.5) of indicator rho for the top fraction of target t.
inline double c_rank(std::span<const double> indicator, std::span<const double> target, double fraction = 0.005) {
    if (indicator.size() != target.size()) throw invalid_argument("c_rank: indicator and target differ in length");
    for (double v : indicator)
        if (std::isnan(v)) throw invalid_argument("c_rank: NaN indicator");
    const auto top = top_fraction_indices(target, fraction);
    std::vector<double> sorted(indicator.begin(), indicator.end());
    std::sort(sorted.begin(), sorted.end());
    const double n = static_cast<double>(sorted.size());
    double sum = 0;
    for (std::size_t i : top) {
        const auto le = std::upper_bound(sorted.begin(), sorted.end(), indicator[i]) - sorted.begin();
        sum += static_cast<double>(le) / n;
    }
    return 2.0 * sum / static_cast<double>(top.size()) - 1.0;
}

/// Overlap ratio R (thesis Fig. 5.17): shared members of the top fraction of
/// the target and of the indicator, over the size of the former.
inline double overlap_ratio(std::span<const double> indicator, std::span<const double> target, double fraction = 0.005) {
    if (indicator.size() != target.size()) throw invalid_argument("overlap_ratio: indicator and target differ in length");
    auto a = top_fraction_indices(target, fraction), b = top_fraction_indices(indicator, fraction);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::vector<std::size_t> both;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
    return static_cast<double>(both.size()) / static_cast<double>(a.size());
}

/// ROC AUC of `indicator` for the top fraction of `target` (positives)
/// against all other atoms; ties count 1/2 (average ranks).
inline double roc_auc(std::span<const double> indicator, std::span<const double> target, double fraction = 0.005) {
    const std::size_t n = indicator.size();
    if (target.size() != n) throw invalid_argument("roc_auc: indicator and target differ in length");
    for (double v : indicator)
        if (std::isnan(v)) throw invalid_argument("roc_auc: NaN indicator");
    const auto top = top_fraction_indices(target, fraction);
    const std::size_t np = top.size(), nn = n - np;
    if (nn == 0) throw invalid_argument("roc_auc: every atom is in the top fraction; no negatives");
    // average rank (1-based) of every value among all n: sum over positives
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return indicator[a] < indicator[b]; });
    std::vector<double> rank(n);
    for (std::size_t k = 0; k < n;) {
        std::size_t e = k + 1;
        while (e < n && indicator[order[e]] == indicator[order[k]]) ++e;
        const double r = 0.5 * static_cast<double>(k + 1 + e);  // mean of ranks k+1 .. e
        for (std::size_t q = k; q < e; ++q) rank[order[q]] = r;
        k = e;
    }
    double sum = 0;
    for (std::size_t i : top) sum += rank[i];
    const double u = sum - 0.5 * static_cast<double>(np) * static_cast<double>(np + 1);
    return u / (static_cast<double>(np) * static_cast<double>(nn));
}

/// Balanced accuracy (TPR + TNR) / 2 of "indicator > threshold" for the top
/// fraction of `target` (positives) against all other atoms.
inline double balanced_accuracy(std::span<const double> indicator, std::span<const double> target, double fraction,
                                double threshold) {
    const std::size_t n = indicator.size();
    if (target.size() != n) throw invalid_argument("balanced_accuracy: indicator and target differ in length");
    for (double v : indicator)
        if (std::isnan(v)) throw invalid_argument("balanced_accuracy: NaN indicator");
    const auto top = top_fraction_indices(target, fraction);
    std::vector<char> pos(n, 0);
    for (std::size_t i : top) pos[i] = 1;
    std::size_t tp = 0, tn = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const bool pred = indicator[i] > threshold;
        tp += pos[i] && pred;
        tn += !pos[i] && !pred;
    }
    const std::size_t np = top.size(), nn = n - np;
    if (nn == 0) throw invalid_argument("balanced_accuracy: every atom is in the top fraction; no negatives");
    return 0.5 * (static_cast<double>(tp) / static_cast<double>(np) + static_cast<double>(tn) / static_cast<double>(nn));
}

/// Shear-band figure of merit gamma (thesis ch. 6): fraction of the profile's
/// positions whose value is <= the value at the band's position.
inline double band_figure_of_merit(std::span<const double> profile, std::size_t band) {
    if (band >= profile.size()) throw invalid_argument("band_figure_of_merit: band position out of range");
    for (double v : profile)
        if (std::isnan(v)) throw invalid_argument("band_figure_of_merit: NaN in the profile");
    const double q = profile[band];
    const auto k = std::count_if(profile.begin(), profile.end(), [&](double v) { return v <= q; });
    return static_cast<double>(k) / static_cast<double>(profile.size());
}

}  // namespace amorph::learn
