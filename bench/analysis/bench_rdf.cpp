// RDF benchmark (issue 6): freud's reference case, 32,000 uniform random
// points in a periodic cube of side 31.75, r_max = 2.5, 100 bins. The thread
// count is the argument `threads`. Second case: the Cu50Zr50 glass
// bench/analysis/data/cuzr50_glass_1e13.data (1024 atoms, see data/README.md)
// replicated 2x4x4 = 32,768 atoms, partial g(r) to r_max = 10 A in 200 bins.
#include "amorph/analysis/rdf.hpp"
#include "amorph/io/lammps_data.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <fstream>
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
static void BM_rdf_cuzr(benchmark::State& state) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    std::ifstream in(AMORPH_SOURCE_DIR "/bench/analysis/data/cuzr50_glass_1e13.data");
    const auto s = io::read_lammps_data<3>(in, "cuzr50_glass_1e13.data");
    const vec<3> L = s.box.h().diagonal();
    const auto n = static_cast<Eigen::Index>(s.size());
    coords<3> x(3, 32 * n);
    std::vector<int> types;
    Eigen::Index k = 0;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 4; ++b)
            for (int c = 0; c < 4; ++c)
                for (Eigen::Index i = 0; i < n; ++i) {
                    x.col(k++) = s.box.wrap(s.positions.col(i)) - s.box.origin() + vec<3>(a * L(0), b * L(1), c * L(2));
                    types.push_back(s.types[static_cast<std::size_t>(i)]);
                }
    const box<3> bx = box<3>::orthogonal(vec<3>::Zero(), vec<3>(2 * L(0), 4 * L(1), 4 * L(2)));
    for (auto _ : state) {
        auto r = analysis::rdf(bx, x, types, analysis::rdf_options{10.0, 200});
        benchmark::DoNotOptimize(r.total.data());
    }
    state.counters["threads"] = static_cast<double>(state.range(0));
}

BENCHMARK(BM_rdf)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK(BM_rdf_cuzr)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
