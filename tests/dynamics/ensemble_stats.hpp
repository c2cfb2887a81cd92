// tests/dynamics/ensemble_stats.hpp — block averages and a thermo recorder
// for the statistical tests of the integrators (test_ensembles.cpp, long;
// test_canonical.cpp, numeric).
#pragma once

#include <amorph/dynamics/observer.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace amorph::test {

/// Mean and its standard error from block averages (blocks of `b` samples).
struct block_stats {
    double mean = 0, err = 0;
};
inline block_stats blocks(const std::vector<double>& x, std::size_t b) {
    const std::size_t nb = x.size() / b;
    std::vector<double> m(nb);
    for (std::size_t k = 0; k < nb; ++k)
        m[k] = std::accumulate(x.begin() + static_cast<std::ptrdiff_t>(k * b),
                               x.begin() + static_cast<std::ptrdiff_t>((k + 1) * b), 0.0) /
               static_cast<double>(b);
    block_stats s;
    s.mean = std::accumulate(m.begin(), m.end(), 0.0) / static_cast<double>(nb);
    double v = 0;
    for (double y : m) v += (y - s.mean) * (y - s.mean);
    s.err = std::sqrt(v / static_cast<double>(nb - 1) / static_cast<double>(nb));
    return s;
}

/// The kinetic temperatures' mean and relative variance (T - T0)^2 / T0^2,
/// each with its block-average standard error (blocks of `b` samples); for
/// the canonical ensemble the variance is 2 / dof.
struct temperature_stats {
    block_stats mean, relative_variance;
};
inline temperature_stats temperature_moments(const std::vector<double>& t, double t0, std::size_t b) {
    std::vector<double> dev2;
    dev2.reserve(t.size());
    for (double x : t) dev2.push_back((x - t0) * (x - t0) / (t0 * t0));
    return {blocks(t, b), blocks(dev2, b)};
}

template <int D>
struct recorder {
    std::int64_t every = 1;
    std::int64_t skip = 0;
    std::vector<double> t, p, vol, e;
    bool wants_virial(std::int64_t step) const { return step % every == 0; }
    void observe(const dynamics::observation<D>& o) {
        if (o.step % every != 0 || o.step < o.begin + skip) return;
        const auto s = o.thermo();
        t.push_back(s.temperature);
        p.push_back(s.pressure);
        vol.push_back(s.volume);
        e.push_back(s.total);
    }
};

}  // namespace amorph::test
