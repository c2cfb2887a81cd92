// Plastic-susceptibility scores (learn/metrics.hpp, thesis ch. 5/6) against
// values computed by hand, and C_rank against a direct O(N^2) evaluation of
// the empirical CDF written here.
#include "amorph/learn/metrics.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace amorph::learn;

TEST_CASE("scores: probability accuracy", "[scores]") {
    const std::vector<int> y{1, 0, 1, 0, 1};
    const std::vector<double> p{0.9, 0.2, 0.4, 0.6, 0.51};
    CHECK(probability_accuracy(y, p) == Approx(3.0 / 5.0));
    CHECK(probability_accuracy(y, p, 0.3) == Approx(4.0 / 5.0));  // 0.4 now right; 0.6 still wrong
    CHECK(probability_accuracy(y, p, 0.95) == Approx(2.0 / 5.0));
    CHECK_THROWS_AS(probability_accuracy(y, std::vector<double>{0.1}), amorph::invalid_argument);
}

TEST_CASE("scores: C_rank by hand", "[scores]") {
    // target: atoms 3 and 0 are the top 2 of 10 (f = 0.2)
    const std::vector<double> t{9, 1, 2, 10, 3, 4, 5, 6, 7, 0};
    // indicator: CDF(rho_3) = 10/10, CDF(rho_0) = 8/10 -> C_rank = 2 * 0.9 - 1 = 0.8
    const std::vector<double> r{0.7, 0.1, 0.2, 0.9, 0.3, 0.4, 0.5, 0.6, 0.8, 0.05};
    CHECK(c_rank(r, t, 0.2) == Approx(0.8));
    // perfect and worst indicators: 1 - (n-1)/N and (n+1)/N - 1
    CHECK(c_rank(t, t, 0.2) == Approx(1.0 - 1.0 / 10));
    std::vector<double> neg(t);
    for (double& v : neg) v = -v;
    CHECK(c_rank(neg, t, 0.2) == Approx(3.0 / 10 - 1));
    // ties in the indicator take the upper CDF value: all equal -> 1
    CHECK(c_rank(std::vector<double>(10, 1.0), t, 0.2) == Approx(1.0));
    // thesis: ~0.995 at f = 0.5 % for a perfect indicator
    std::vector<double> big(20000);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = double((i * 7919) % 20000);
    CHECK(c_rank(big, big, 0.005) == Approx(0.995).margin(1e-4));
}

TEST_CASE("scores: C_rank equals the direct CDF average on random data", "[scores]") {
    std::mt19937_64 rng(3);
    std::normal_distribution<double> g;
    std::vector<double> t(3000), r(3000);
    for (std::size_t i = 0; i < t.size(); ++i) {
        t[i] = g(rng);
        r[i] = std::round(4 * (0.6 * t[i] + 0.8 * g(rng)));  // correlated, with ties
    }
    std::vector<std::size_t> idx(t.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return t[a] > t[b]; });
    const std::size_t n = 15;  // round(0.005 * 3000)
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t le = 0;
        for (double v : r) le += v <= r[idx[k]];
        sum += double(le) / double(r.size());
    }
    const double ref = 2 * sum / double(n) - 1;
    CHECK(c_rank(r, t, 0.005) == Approx(ref).epsilon(1e-12));
    CHECK(ref > 0.5);  // a correlated indicator ranks the top atoms high
}

TEST_CASE("scores: overlap ratio and shear-band figure of merit by hand", "[scores]") {
    const std::vector<double> t{5, 1, 9, 3, 8, 0, 2, 7, 4, 6};  // top 3: atoms 2, 4, 7
    const std::vector<double> r{9, 0, 8, 1, 2, 3, 4, 7, 5, 6};  // top 3: atoms 0, 2, 7
    CHECK(overlap_ratio(r, t, 0.3) == Approx(2.0 / 3.0));
    CHECK(overlap_ratio(t, t, 0.3) == Approx(1.0));
    CHECK(overlap_ratio(r, t, 0.1) == Approx(0.0));  // atom 2 vs atom 0
    const std::vector<double> dfs{0.1, 0.4, 0.3, 0.4, 0.2, 0.05};
    CHECK(band_figure_of_merit(dfs, 1) == Approx(1.0));      // band at the (tied) maximum
    CHECK(band_figure_of_merit(dfs, 2) == Approx(4.0 / 6));  // 0.1, 0.3, 0.2, 0.05
    CHECK(band_figure_of_merit(dfs, 5) == Approx(1.0 / 6));
    CHECK_THROWS_AS(band_figure_of_merit(dfs, 6), amorph::invalid_argument);
    const auto ti = top_fraction_indices(t, 0.3);
    CHECK(std::vector<int>(ti.begin(), ti.end()) == std::vector<int>{2, 4, 7});
}

TEST_CASE("scores: ROC AUC and balanced accuracy against pair counting", "[scores]") {
    std::mt19937_64 rng(11);
    std::normal_distribution<double> g;
    const std::size_t n = 400;
    std::vector<double> t(n), r(n);
    for (std::size_t i = 0; i < n; ++i) {
        t[i] = g(rng);
        r[i] = std::round(4 * (0.7 * t[i] + g(rng))) / 4;  // coarse: many ties
    }
    const double f = 0.05;
    const auto top = top_fraction_indices(t, f);
    std::vector<char> pos(n, 0);
    for (std::size_t i : top) pos[i] = 1;
    // AUC: P(r_pos > r_neg) + P(tie) / 2 over every (positive, negative) pair
    double wins = 0, pairs = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (pos[i] && !pos[j]) {
                wins += r[i] > r[j] ? 1.0 : (r[i] == r[j] ? 0.5 : 0.0);
                pairs += 1;
            }
    CHECK(roc_auc(r, t, f) == Approx(wins / pairs).epsilon(1e-14));
    CHECK(roc_auc(t, t, f) == Approx(1.0));
    std::vector<double> flat(n, 0.3);
    CHECK(roc_auc(flat, t, f) == Approx(0.5));
    // balanced accuracy: mean of the recalls of both classes
    double tp = 0, tn = 0;
    for (std::size_t i = 0; i < n; ++i) {
        tp += pos[i] && r[i] > 0.5;
        tn += !pos[i] && !(r[i] > 0.5);
    }
    const double np = static_cast<double>(top.size());
    CHECK(balanced_accuracy(r, t, f, 0.5) == Approx(0.5 * (tp / np + tn / (static_cast<double>(n) - np))));
    CHECK_THROWS_AS(roc_auc(r, std::vector<double>(3, 1.0), f), amorph::invalid_argument);
    CHECK_THROWS_AS(balanced_accuracy(r, t, 1.0, 0.5), amorph::invalid_argument);  // no negatives
}
