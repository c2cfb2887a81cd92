// Neighbor-list benchmarks (issue 2). The thread count is the benchmark
// argument `threads` (oneTBB is limited with global_control).
//
//   BM_verlet_cuzr   32,000 atoms, 3D, Cu-Zr glass density (0.0576 / A^3),
//                    cutoff 7.6 A + skin 1.0 A, half list
//   BM_verlet_lj2d   10,000 atoms, 2D, the ch5 LJ glass density
//                    (10,000 in a 98.8045^2 box), cutoff 2.5 + skin 0.3, half list
//   BM_freud_query   freud's reference case: 32,000 uniform points in a periodic
//                    cube of side 31.75, all pairs within r_max = 1.5 (full list)
//
// Positions are uniform random (seeded); a glass has the same number of
// neighbors per atom at the same density, which is what the cost depends on.
#include "amorph/neighbor/verlet_list.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <random>

using namespace amorph;
using namespace amorph::neighbor;

namespace {

template <int D>
coords<D> uniform(const box<D>& b, int n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    coords<D> x(D, n);
    for (int i = 0; i < n; ++i) {
        vec<D> s;
        for (int k = 0; k < D; ++k) s(k) = u(rng);
        x.col(i) = b.to_cartesian(s);
    }
    return x;
}

template <int D, class Kind>
void run(benchmark::State& state, const box<D>& b, const coords<D>& x, double cutoff, double skin) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                static_cast<std::size_t>(state.range(0)));
    verlet_list<D, Kind> nl(cutoff, skin);
    for (auto _ : state) {
        nl.build(b, x);
        benchmark::DoNotOptimize(nl.entries().data());
    }
    state.counters["atoms"] = static_cast<double>(x.cols());
    state.counters["entries"] = static_cast<double>(nl.pair_count());
    state.counters["threads"] = static_cast<double>(state.range(0));
}

void BM_verlet_cuzr(benchmark::State& state) {
    const int n = 32000;
    const double side = std::cbrt(n / 0.0576);
    const auto b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(side));
    run<3, half_t>(state, b, uniform(b, n, 1), 7.6, 1.0);
}

void BM_verlet_lj2d(benchmark::State& state) {
    const auto b = box<2>::orthogonal(vec<2>::Zero(), vec<2>::Constant(98.8045));
    run<2, half_t>(state, b, uniform(b, 10000, 2), 2.5, 0.3);
}

void BM_freud_query(benchmark::State& state) {
    const auto b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(31.75));
    run<3, full_t>(state, b, uniform(b, 32000, 3), 1.5, 0.0);
}

}  // namespace

BENCHMARK(BM_verlet_cuzr)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_verlet_lj2d)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_freud_query)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
