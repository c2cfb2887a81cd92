// amorph/learn/scaler.hpp — feature standardization fitted on a training set.
//
//   mean_k  = (1/n) sum_i X_ik
//   scale_k = sqrt((1/n) sum_i (X_ik - mean_k)^2)      (population std, as
//                                                      scikit-learn's StandardScaler)
//   transform: X_ik -> (X_ik - mean_k) / scale_k
// A column whose std is below min_std max(1, |mean|) (default min_std =
// 1e-12: constant on the training set, e.g. the bias column of thesis eq 4.6,
// or a radial function that is 0 for every training atom) is passed through
// unchanged: mean 0, scale 1. A larger min_std also passes through columns
// that are numerical dust (e.g. an angular function whose Gaussian is
// ~1e-12 at every training atom): standardized, such a column would turn a
// tiny value at an unseen atom into thousands of standard deviations.
// (scikit-learn would centre it to 0; passing it through keeps a constant bias
// feature meaningful.) The scaler is stored with the model so that prediction
// uses the training statistics.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/learn/linear_svm.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <string>

namespace amorph::learn {

struct standard_scaler {
    Eigen::VectorXd mean;
    Eigen::VectorXd scale;

    bool empty() const noexcept { return mean.size() == 0; }
    Eigen::Index size() const noexcept { return mean.size(); }

    /// Statistics of the rows of X (two-pass); see min_std above.
    static standard_scaler fit(const Eigen::Ref<const row_matrix>& X, double min_std = 1e-12) {
        if (!(min_std >= 0) || !std::isfinite(min_std)) throw invalid_argument("standard_scaler: min_std must be >= 0");
        if (X.rows() == 0 || X.cols() == 0) throw invalid_argument("standard_scaler: empty training set");
        if (!X.allFinite()) throw invalid_argument("standard_scaler: non-finite feature value");
        standard_scaler s;
        const double n = static_cast<double>(X.rows());
        s.mean = X.colwise().sum().transpose() / n;
        s.scale = ((X.rowwise() - s.mean.transpose()).array().square().colwise().sum() / n).sqrt().transpose();
        for (Eigen::Index k = 0; k < s.mean.size(); ++k)
            if (!(s.scale(k) > min_std * std::max(1.0, std::abs(s.mean(k))))) {
                s.mean(k) = 0;
                s.scale(k) = 1;
            }
        return s;
    }

    /// Standardize X in place.
    void transform(Eigen::Ref<row_matrix> X) const {
        if (X.cols() != mean.size())
            throw invalid_argument("standard_scaler: " + std::to_string(X.cols()) + " features, fitted on " +
                                   std::to_string(mean.size()));
        X.rowwise() -= mean.transpose();
        X.array().rowwise() /= scale.transpose().array();
    }

    row_matrix transformed(const Eigen::Ref<const row_matrix>& X) const {
        row_matrix Y = X;
        transform(Y);
        return Y;
    }
};

}  // namespace amorph::learn
