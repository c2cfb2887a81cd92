// Structure-function throughput (issue 7) with the thesis 5.7.9 settings:
//   3D: Cu50Zr50-like, 32,000 atoms at 0.0587 atoms/A^3 (perturbed fcc,
//       random species; ~213 neighbors within r_c = 9.6 A), fan2020_3d()
//       (2 x 152 radial + 3 x 160 angular functions);
//   2D: binary LJ-like, 10,000 atoms in a 98.8045 sigma square (perturbed
//       lattice, 44.7 % large), fan2020_2d() (2 x 180 radial + 3 x 160 angular).
// A batch of centers (arg `centers`) is evaluated per iteration; counters give
// atoms/s and neighbor pairs (j,k) per second. The thread count is `threads`.
#include "amorph/descriptor/structure_functions.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

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
void run(benchmark::State& state, const amorph::system<D>& sys, const descriptor::settings& s) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    const auto nc = static_cast<std::size_t>(state.range(1));
    std::vector<std::size_t> centers(nc);
    for (std::size_t k = 0; k < nc; ++k) centers[k] = (k * 7919) % sys.size();
    const descriptor::structure_functions<D> sf(sys, s);
    descriptor::feature_matrix F(static_cast<Eigen::Index>(nc), static_cast<Eigen::Index>(sf.n_features()));
    // neighbor pairs per center (for the counter)
    double pairs = 0;
    if (s.angular) {
        const double rc = s.angular->cutoff;
        amorph::neighbor::cell_list<D> cl(sys.box, sys.positions, rc);
        for (std::size_t c : centers) {
            double m = -1;  // the center itself is found too
            cl.for_each_within(sys.positions.col(static_cast<Eigen::Index>(c)), rc * rc,
                               [&](std::uint32_t, const ivec<D>&, const vec<D>&, double) { m += 1; });
            pairs += m * (m - 1) / 2;
        }
    }
    for (auto _ : state) {
        sf.compute(centers, F);
        benchmark::DoNotOptimize(F.data());
    }
    const double it = static_cast<double>(state.iterations());
    state.counters["atoms/s"] = benchmark::Counter(it * static_cast<double>(nc), benchmark::Counter::kIsRate);
    state.counters["pairs/s"] = benchmark::Counter(it * pairs, benchmark::Counter::kIsRate);
    state.counters["threads"] = static_cast<double>(state.range(0));
}

void BM_sf_cuzr_thesis3d(benchmark::State& state) {
    static const auto sys = cuzr_like();
    run<3>(state, sys, descriptor::presets::fan2020_3d());
}

void BM_sf_cuzr_radial(benchmark::State& state) {
    static const auto sys = cuzr_like();
    auto s = descriptor::presets::fan2020_3d();
    s.angular.reset();
    run<3>(state, sys, s);
}

void BM_sf_lj2d_thesis2d(benchmark::State& state) {
    static const auto sys = lj2d_like();
    run<2>(state, sys, descriptor::presets::fan2020_2d());
}

}  // namespace

BENCHMARK(BM_sf_cuzr_thesis3d)->ArgNames({"threads", "centers"})->Args({1, 256})->Args({2, 256})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_sf_cuzr_radial)->ArgNames({"threads", "centers"})->Args({1, 4096})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_sf_lj2d_thesis2d)->ArgNames({"threads", "centers"})->Args({1, 2048})->Args({2, 2048})->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
