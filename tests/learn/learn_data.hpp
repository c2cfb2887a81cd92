// Synthetic data sets shared by the learn tests.
#pragma once

#include "amorph/learn/linear_svm.hpp"

#include <random>
#include <vector>

namespace amorph::test {

/// Two overlapping Gaussian clouds in d dimensions with unequal feature
/// scales and offsets; labels 0/1 (about 85-90 % separable).
inline void make_classification(std::uint64_t seed, int n, int d, learn::row_matrix& X, std::vector<int>& y,
                                double separation = 1.0) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0, 1);
    std::uniform_real_distribution<double> u(0.2, 3.0), off(-2, 2);
    Eigen::VectorXd dir(d), scale(d), shift(d);
    for (int k = 0; k < d; ++k) dir(k) = g(rng), scale(k) = u(rng), shift(k) = off(rng);
    dir.normalize();
    X.resize(n, d);
    y.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const int c = i % 3 == 0 ? 0 : (i % 3 == 1 ? 1 : static_cast<int>(rng() % 2));
        y[static_cast<std::size_t>(i)] = c;
        for (int k = 0; k < d; ++k)
            X(i, k) = shift(k) + scale(k) * (g(rng) + (c ? 1 : -1) * separation * dir(k));
    }
}

/// y = x . beta + 0.7 + noise, features with unequal scales.
inline void make_regression(std::uint64_t seed, int n, int d, learn::row_matrix& X, std::vector<double>& y,
                            double noise = 0.5) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0, 1);
    std::uniform_real_distribution<double> u(0.2, 3.0);
    Eigen::VectorXd beta(d), scale(d);
    for (int k = 0; k < d; ++k) beta(k) = g(rng), scale(k) = u(rng);
    X.resize(n, d);
    y.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        double t = 0.7;
        for (int k = 0; k < d; ++k) {
            X(i, k) = scale(k) * g(rng);
            t += beta(k) * X(i, k) / scale(k);
        }
        y[static_cast<std::size_t>(i)] = t + noise * g(rng);
    }
}

}  // namespace amorph::test
