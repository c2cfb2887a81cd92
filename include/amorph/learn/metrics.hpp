// amorph/learn/metrics.hpp — scores of classifiers and regressors.
//
//   accuracy  = (1/n) #{i : predicted class == true class}, the predicted class
//               being 1 when the decision value f_i > 0 and the negative class
//               (0 or -1) otherwise;
//   pearson   rho = sum (a_i - <a>)(b_i - <b>) / sqrt(sum (a_i - <a>)^2 sum (b_i - <b>)^2)
//               (two-pass; NaN when either input is constant).
#pragma once

#include "amorph/core/error.hpp"

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>

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

}  // namespace amorph::learn
