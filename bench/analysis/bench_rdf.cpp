// RDF benchmark (issue 6): freud's reference case, 32,000 uniform random
// points in a periodic cube of side 31.75, r_max = 2.5, 100 bins. The thread
// count is the argument `threads`.
#include "amorph/analysis/rdf.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <random>

using namespace amorph;

static void BM_rdf(benchmark::State& state) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    const double side = 31.75;
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0, side);
    coords<3> x(3, 32000);
    for (Eigen::Index i = 0; i < x.cols(); ++i) x.col(i) << u(rng), u(rng), u(rng);
    const box<3> b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(side));
    const std::vector<int> types(32000, 0);
    for (auto _ : state) {
        auto r = analysis::rdf(b, x, types, analysis::rdf_options{2.5, 100});
        benchmark::DoNotOptimize(r.total.data());
    }
    state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_rdf)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
