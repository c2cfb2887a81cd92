// Voronoi benchmark (issue 6), side by side with the voro++ library.
// freud's reference case: 32,000 uniform random points in a periodic cube of
// side 31.75. The thread count is the argument `threads` (amorph; voro++ is
// serial).
#include "amorph/analysis/voronoi.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>
#include <voro++/voro++.hh>

#include <random>

using namespace amorph;

namespace {

coords<3> uniform_cube(int n, double side, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, side);
    coords<3> x(3, n);
    for (int i = 0; i < n; ++i) x.col(i) << u(rng), u(rng), u(rng);
    return x;
}

void BM_voronoi_amorph(benchmark::State& state) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    const double side = 31.75;
    const coords<3> x = uniform_cube(32000, side, 1);
    const box<3> b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(side));
    analysis::voronoi_options opt;
    opt.faces = false;
    for (auto _ : state) {
        auto r = analysis::voronoi(b, x, opt);
        benchmark::DoNotOptimize(r.volume.data());
    }
    state.counters["threads"] = static_cast<double>(state.range(0));
}

void BM_voronoi_voropp(benchmark::State& state) {
    const double side = 31.75;
    const coords<3> x = uniform_cube(32000, side, 1);
    std::vector<double> vol(32000);
    for (auto _ : state) {
        const int g = 19;  // ~5 particles per block, voro++'s recommendation
        voro::container_periodic con(side, 0, side, 0, 0, side, g, g, g, 8);
        for (int i = 0; i < 32000; ++i) con.put(i, x(0, i), x(1, i), x(2, i));
        voro::c_loop_all_periodic vl(con);
        voro::voronoicell c;
        if (vl.start()) do {
                if (con.compute_cell(c, vl)) vol[static_cast<std::size_t>(vl.pid())] = c.volume();
            } while (vl.inc());
        benchmark::DoNotOptimize(vol.data());
    }
    state.counters["threads"] = 1;
}

}  // namespace

BENCHMARK(BM_voronoi_amorph)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_voronoi_voropp)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
