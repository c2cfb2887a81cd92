// Spatial-density-map throughput (issue 8) with the thesis defaults:
//   2D: binary LJ-like, 10,000 atoms in a 98.8045 sigma square (perturbed
//       lattice), r_c = 5 sigma, Delta = 0.2 sigma: 50 x 50 x 2 floats (20 kB) per atom;
//   3D: Cu50Zr50-like, 32,000 atoms at 0.0587 atoms/A^3 (perturbed fcc),
//       r_c = 9.6 A, Delta = 0.6 A: 32^3 x 2 floats (256 kB) per atom.
// Each iteration computes a batch of `centers` maps into one buffer. Counters:
// atoms/s, and write_GB/s (bytes of maps produced per second). BM_*_fill
// writes the same buffer with std::fill: the memory-write limit the map rate
// is compared with. The thread count is `threads`; Gaussian truncation t = 6.
#include "amorph/descriptor/sdm.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <random>

using namespace amorph;

namespace {

amorph::system<3> cuzr_like() {
    const int nc = 20;  // 4 nc^3 = 32,000
    const double a = std::cbrt(4.0 / 0.0587);
    amorph::system<3> sys(box<3>(mat<3>::Identity() * (a * nc)), 4 * nc * nc * nc);
    sys.species = species_list::from_names({"Cu", "Zr"});
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0, 0.25);
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    Eigen::Index n = 0;
    for (int i = 0; i < nc; ++i)
        for (int j = 0; j < nc; ++j)
            for (int k = 0; k < nc; ++k)
                for (const auto& b : basis) {
                    sys.positions.col(n) << a * (i + b[0]) + g(rng), a * (j + b[1]) + g(rng), a * (k + b[2]) + g(rng);
                    sys.types[static_cast<std::size_t>(n)] = static_cast<int>(rng() % 2);
                    ++n;
                }
    return sys;
}

amorph::system<2> lj2d_like() {
    const double L = 98.8045;
    const int m = 100;
    amorph::system<2> sys(box<2>(mat<2>::Identity() * L), m * m);
    sys.species = species_list::from_names({"L", "S"});
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0, 0.1);
    const double a = L / m;
    for (int i = 0; i < m * m; ++i) {
        sys.positions.col(i) << a * (i % m + 0.5 * ((i / m) % 2)) + g(rng), a * (i / m) + g(rng);
        sys.types[static_cast<std::size_t>(i)] = (rng() % 1000) < 447 ? 0 : 1;
    }
    return sys;
}

template <int D>
void run(benchmark::State& state, const amorph::system<D>& sys, const descriptor::sdm_settings<D>& s, bool fill_only) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    const auto nc = static_cast<std::size_t>(state.range(1));
    std::vector<std::size_t> centers(nc);
    for (std::size_t k = 0; k < nc; ++k) centers[k] = (k * 7919) % sys.size();
    const descriptor::sdm_evaluator<D> ev(s, sys);
    std::vector<float> out(nc * ev.image_size());
    const std::size_t per = ev.image_size();
    for (auto _ : state) {
        if (fill_only) {
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nc, 4), [&](const auto& r) {
                std::fill(out.begin() + long(r.begin() * per), out.begin() + long(r.end() * per), float(r.begin()));
            });
        } else {
            ev.compute(centers, out);
        }
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    const double it = static_cast<double>(state.iterations());
    state.counters["atoms/s"] = benchmark::Counter(it * double(nc), benchmark::Counter::kIsRate);
    state.counters["write_GB/s"] = benchmark::Counter(it * double(out.size()) * 4e-9, benchmark::Counter::kIsRate);
    state.counters["threads"] = static_cast<double>(state.range(0));
}

void BM_sdm_lj2d_thesis(benchmark::State& state) {
    static const auto sys = lj2d_like();
    run<2>(state, sys, descriptor::sdm_thesis_2d(), false);
}
void BM_sdm_lj2d_fill(benchmark::State& state) {
    static const auto sys = lj2d_like();
    run<2>(state, sys, descriptor::sdm_thesis_2d(), true);
}
void BM_sdm_cuzr_thesis(benchmark::State& state) {
    static const auto sys = cuzr_like();
    run<3>(state, sys, descriptor::sdm_thesis_3d(), false);
}
void BM_sdm_cuzr_fill(benchmark::State& state) {
    static const auto sys = cuzr_like();
    run<3>(state, sys, descriptor::sdm_thesis_3d(), true);
}

}  // namespace

BENCHMARK(BM_sdm_lj2d_thesis)->ArgNames({"threads", "centers"})->Args({1, 2048})->Args({2, 2048})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_sdm_lj2d_fill)->ArgNames({"threads", "centers"})->Args({1, 2048})->Args({2, 2048})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_sdm_cuzr_thesis)->ArgNames({"threads", "centers"})->Args({1, 128})->Args({2, 128})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_sdm_cuzr_fill)->ArgNames({"threads", "centers"})->Args({1, 128})->Args({2, 128})->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
