// amorph/learn/cross_validation.hpp — seeded splits that keep groups together,
// and k-fold cross-validation of the linear SVM/SVR over a list of C.
//
// Groups. Every sample may carry a group key (e.g. the atom id of a p_hop
// event): all samples of a group land on the same side of a split, so the same
// atom is never in both the training and the test set (alumina, Methods). No
// groups: each sample is its own group.
//
// group_folds(groups, k, seed): the distinct groups, in order of first
// appearance, are shuffled with std::mt19937_64(seed) (Fisher-Yates, index =
// engine() mod m) and dealt to folds greedily, each to the fold with the fewest
// samples so far (ties: lowest fold), so the folds are balanced in samples.
// group_split(groups, test_fraction, seed): the shuffled groups are taken for
// the test set until it holds >= test_fraction n samples.
//
// cross_validate_svc / _svr: for each C and each fold, standardize on the
// training folds (optional), fit, score the held-out fold (accuracy, or
// Pearson rho of the predictions) and the training folds; report the mean and
// the standard deviation over folds. Folds run in parallel (oneTBB); every fit
// is deterministic, so the result does not depend on the thread count.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/learn/linear_svm.hpp"
#include "amorph/learn/metrics.hpp"
#include "amorph/learn/scaler.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace amorph::learn {

namespace detail {

/// Group index per sample (0..m-1, order of first appearance) and group sizes.
inline std::vector<std::size_t> group_index(std::span<const std::int64_t> groups, std::size_t n,
                                            std::vector<std::size_t>& sizes) {
    std::vector<std::size_t> g(n);
    sizes.clear();
    if (groups.empty()) {
        for (std::size_t i = 0; i < n; ++i) g[i] = i;
        sizes.assign(n, 1);
        return g;
    }
    if (groups.size() != n)
        throw invalid_argument("split: " + std::to_string(groups.size()) + " group keys for " + std::to_string(n) +
                               " samples");
    std::unordered_map<std::int64_t, std::size_t> id;
    for (std::size_t i = 0; i < n; ++i) {
        auto [it, fresh] = id.emplace(groups[i], id.size());
        if (fresh) sizes.push_back(0);
        g[i] = it->second;
        ++sizes[it->second];
    }
    return g;
}

inline std::vector<std::size_t> shuffled(std::size_t m, std::uint64_t seed) {
    std::vector<std::size_t> order(m);
    for (std::size_t k = 0; k < m; ++k) order[k] = k;
    std::mt19937_64 rng(seed);
    for (std::size_t k = 0; k + 1 < m; ++k) std::swap(order[k], order[k + below(rng, m - k)]);
    return order;
}

}  // namespace detail

/// Fold (0..k-1) of every sample; samples of one group share a fold.
inline std::vector<int> group_folds(std::size_t n, int k, std::uint64_t seed, std::span<const std::int64_t> groups = {}) {
    if (k < 2) throw invalid_argument("folds: need k >= 2");
    std::vector<std::size_t> sizes;
    const auto g = detail::group_index(groups, n, sizes);
    if (sizes.size() < static_cast<std::size_t>(k))
        throw invalid_argument("folds: " + std::to_string(sizes.size()) + " groups cannot fill " + std::to_string(k) +
                               " folds");
    std::vector<int> fold_of_group(sizes.size());
    std::vector<std::size_t> load(static_cast<std::size_t>(k), 0);
    for (std::size_t grp : detail::shuffled(sizes.size(), seed)) {
        const auto f = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
        fold_of_group[grp] = static_cast<int>(f);
        load[f] += sizes[grp];
    }
    std::vector<int> fold(n);
    for (std::size_t i = 0; i < n; ++i) fold[i] = fold_of_group[g[i]];
    return fold;
}

struct split {
    std::vector<std::size_t> train, test;  ///< sample indices, ascending
};

/// Train/test split with whole groups on each side.
inline split group_split(std::size_t n, double test_fraction, std::uint64_t seed,
                         std::span<const std::int64_t> groups = {}) {
    if (!(test_fraction > 0 && test_fraction < 1)) throw invalid_argument("split: test fraction must be in (0, 1)");
    std::vector<std::size_t> sizes;
    const auto g = detail::group_index(groups, n, sizes);
    std::vector<char> is_test(sizes.size(), 0);
    std::size_t taken = 0;
    const double want = test_fraction * static_cast<double>(n);
    for (std::size_t grp : detail::shuffled(sizes.size(), seed)) {
        if (static_cast<double>(taken) >= want) break;
        is_test[grp] = 1;
        taken += sizes[grp];
    }
    split s;
    for (std::size_t i = 0; i < n; ++i) (is_test[g[i]] ? s.test : s.train).push_back(i);
    if (s.train.empty() || s.test.empty()) throw invalid_argument("split: one side is empty");
    return s;
}

/// Rows of X by index.
inline row_matrix take_rows(const Eigen::Ref<const row_matrix>& X, std::span<const std::size_t> idx) {
    row_matrix out(static_cast<Eigen::Index>(idx.size()), X.cols());
    for (std::size_t k = 0; k < idx.size(); ++k) out.row(static_cast<Eigen::Index>(k)) = X.row(static_cast<Eigen::Index>(idx[k]));
    return out;
}

template <class T>
std::vector<T> take(std::span<const T> v, std::span<const std::size_t> idx) {
    std::vector<T> out(idx.size());
    for (std::size_t k = 0; k < idx.size(); ++k) out[k] = v[idx[k]];
    return out;
}

struct cv_point {
    double C = 0;
    double train_score = 0;  ///< mean over folds (accuracy or Pearson rho)
    double test_score = 0;   ///< mean over held-out folds
    double test_std = 0;     ///< standard deviation of the held-out scores
};

struct cv_options {
    int folds = 5;
    std::uint64_t seed = 1;
    bool standardize = true;
    double min_std = 1e-12;  ///< standard_scaler::fit's threshold
    linear_options fit;  ///< C is overwritten by each value of the scan
};

namespace detail {

template <class Y, class Fit, class Score>
std::vector<cv_point> cross_validate(const Eigen::Ref<const row_matrix>& X, std::span<const Y> y,
                                     std::span<const double> Cs, std::span<const std::int64_t> groups,
                                     const cv_options& o, Fit fit, Score score) {
    if (Cs.empty()) throw invalid_argument("cross-validation: no values of C");
    const auto n = static_cast<std::size_t>(X.rows());
    if (y.size() != n) throw invalid_argument("cross-validation: rows and labels differ in number");
    const auto fold = group_folds(n, o.folds, o.seed, groups);
    const auto k = static_cast<std::size_t>(o.folds);
    std::vector<double> tr(Cs.size() * k), te(Cs.size() * k);
    tbb::parallel_for(std::size_t{0}, Cs.size() * k, [&](std::size_t job) {
        const std::size_t c = job / k, f = job % k;
        std::vector<std::size_t> itr, ite;
        for (std::size_t i = 0; i < n; ++i) (static_cast<std::size_t>(fold[i]) == f ? ite : itr).push_back(i);
        row_matrix Xtr = take_rows(X, itr), Xte = take_rows(X, ite);
        if (o.standardize) {
            const auto s = standard_scaler::fit(Xtr, o.min_std);
            s.transform(Xtr);
            s.transform(Xte);
        }
        const auto ytr = take(y, std::span<const std::size_t>(itr));
        const auto yte = take(y, std::span<const std::size_t>(ite));
        linear_options lo = o.fit;
        lo.C = Cs[c];
        const linear_fit m = fit(Xtr, std::span<const Y>(ytr), lo);
        const Eigen::VectorXd dtr = m.decision(Xtr), dte = m.decision(Xte);
        tr[job] = score(std::span<const Y>(ytr), std::span<const double>(dtr.data(), static_cast<std::size_t>(dtr.size())));
        te[job] = score(std::span<const Y>(yte), std::span<const double>(dte.data(), static_cast<std::size_t>(dte.size())));
    });
    std::vector<cv_point> out(Cs.size());
    for (std::size_t c = 0; c < Cs.size(); ++c) {
        cv_point& p = out[c];
        p.C = Cs[c];
        for (std::size_t f = 0; f < k; ++f) {
            p.train_score += tr[c * k + f] / static_cast<double>(k);
            p.test_score += te[c * k + f] / static_cast<double>(k);
        }
        for (std::size_t f = 0; f < k; ++f) p.test_std += std::pow(te[c * k + f] - p.test_score, 2) / static_cast<double>(k);
        p.test_std = std::sqrt(p.test_std);
    }
    return out;
}

}  // namespace detail

/// k-fold cross-validated accuracy of the linear SVM classifier for each C.
inline std::vector<cv_point> cross_validate_svc(const Eigen::Ref<const row_matrix>& X, std::span<const int> y,
                                                std::span<const double> Cs, const cv_options& o = {},
                                                std::span<const std::int64_t> groups = {}) {
    return detail::cross_validate<int>(
        X, y, Cs, groups, o,
        [](const row_matrix& A, std::span<const int> t, const linear_options& lo) { return fit_svc(A, t, lo); },
        [](std::span<const int> t, std::span<const double> d) { return accuracy(t, d); });
}

/// k-fold cross-validated Pearson rho of the linear SVR for each C.
inline std::vector<cv_point> cross_validate_svr(const Eigen::Ref<const row_matrix>& X, std::span<const double> y,
                                                std::span<const double> Cs, const cv_options& o = {},
                                                std::span<const std::int64_t> groups = {}) {
    return detail::cross_validate<double>(
        X, y, Cs, groups, o,
        [](const row_matrix& A, std::span<const double> t, const linear_options& lo) { return fit_svr(A, t, lo); },
        [](std::span<const double> t, std::span<const double> d) { return pearson(t, d); });
}

/// The point with the best held-out score (first one on ties).
inline cv_point best(const std::vector<cv_point>& scan) {
    if (scan.empty()) throw invalid_argument("cross-validation: empty scan");
    return *std::max_element(scan.begin(), scan.end(),
                             [](const cv_point& a, const cv_point& b) { return a.test_score < b.test_score; });
}

}  // namespace amorph::learn
