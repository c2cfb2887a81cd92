// Voronoi benchmark (issue 6), side by side with the voro++ library.
// freud's reference case: 32,000 uniform random points in a periodic cube of
// side 31.75. The thread count is the argument `threads` (amorph; voro++ is
// serial). Second case: a Cu50Zr50 glass (bench/analysis/data/
// cuzr50_glass_1e13.data: 1,024 atoms quenched at 1e13 K/s by the ch4
// example, see data/README.md) replicated 2x4x4 = 32,768 atoms.
//
// Measured 2026-12-02 (this 2-core machine, median of 3; voro++ 0.4.6 serial):
//   case                     amorph 1 thread   amorph 2 threads   voro++
//   32,000 random points     247 ms            129 ms             322 ms
//   Cu50Zr50 glass 32,768    153 ms            72 ms              223 ms
// Interleaved with the previous face-list cell (commit 0b733ad) on the random
// points, 1 thread: 466-471 ms before, 250-254 ms after; voro++ 320-370 ms.
// Later the same day the host ran ~35 % slower: 340 ms against voro++'s 415 ms;
// 2D, 32,000 random points: 66 ms (1 thread), 34 ms (2), after the polygon clip
// stopped allocating (standalone A/B: 104-112 ms before, 52-68 ms after).
#include "amorph/analysis/voronoi.hpp"
#include "amorph/io/lammps_data.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>
#include <voro++/voro++.hh>

#include <cmath>
#include <fstream>
#include <random>

using namespace amorph;

namespace {

/// n uniform points in [0, side)^D, coordinates drawn atom by atom.
template <int D>
coords<D> uniform_cube(int n, double side, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, side);
    coords<D> x(D, n);
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < D; ++k) x(k, i) = u(rng);
    return x;
}

/// The timed loop of every amorph case: volumes only, `threads` = range(0).
template <int D>
void time_amorph(benchmark::State& state, const box<D>& b, const coords<D>& x) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    analysis::voronoi_options opt;
    opt.faces = false;
    for (auto _ : state) {
        auto r = analysis::voronoi(b, x, opt);
        benchmark::DoNotOptimize(r.volume.data());
    }
    state.counters["threads"] = static_cast<double>(state.range(0));
}

struct sample {
    coords<3> x;
    vec<3> lo, hi;
};

sample cuzr_sample() {
    std::ifstream in(AMORPH_SOURCE_DIR "/bench/analysis/data/cuzr50_glass_1e13.data");
    const auto s = io::read_lammps_data<3>(in, "cuzr50_glass_1e13.data");
    const vec<3> L = s.box.h().diagonal();
    const std::array<int, 3> rep{2, 4, 4};
    const auto n = static_cast<Eigen::Index>(s.size());
    sample out;
    out.x.resize(3, n * 32);
    Eigen::Index k = 0;
    for (int a = 0; a < rep[0]; ++a)
        for (int b = 0; b < rep[1]; ++b)
            for (int c = 0; c < rep[2]; ++c)
                for (Eigen::Index i = 0; i < n; ++i)
                    out.x.col(k++) = s.box.wrap(s.positions.col(i)) - s.box.origin() + vec<3>(a * L(0), b * L(1), c * L(2));
    out.lo = vec<3>::Zero();
    out.hi = vec<3>(rep[0] * L(0), rep[1] * L(1), rep[2] * L(2));
    return out;
}

void BM_voronoi_cuzr_amorph(benchmark::State& state) {
    const auto s = cuzr_sample();
    time_amorph<3>(state, box<3>::orthogonal(s.lo, s.hi), s.x);
}

void BM_voronoi_cuzr_voropp(benchmark::State& state) {
    const auto s = cuzr_sample();
    const auto n = static_cast<int>(s.x.cols());
    std::vector<double> vol(static_cast<std::size_t>(n));
    for (auto _ : state) {
        voro::container_periodic con(s.hi(0), 0, s.hi(1), 0, 0, s.hi(2), 12, 24, 24, 8);  // ~4.7 atoms per block
        for (int i = 0; i < n; ++i) con.put(i, s.x(0, i), s.x(1, i), s.x(2, i));
        voro::c_loop_all_periodic vl(con);
        voro::voronoicell c;
        if (vl.start()) do {
                if (con.compute_cell(c, vl)) vol[static_cast<std::size_t>(vl.pid())] = c.volume();
            } while (vl.inc());
        benchmark::DoNotOptimize(vol.data());
    }
    state.counters["threads"] = 1;
}

void BM_voronoi_amorph(benchmark::State& state) {
    const double side = 31.75;
    time_amorph<3>(state, box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(side)), uniform_cube<3>(32000, side, 1));
}

/// 2D: 32,000 uniform random points in a periodic square at unit density (areas).
void BM_voronoi2d_amorph(benchmark::State& state) {
    const double side = std::sqrt(32000.0);
    time_amorph<2>(state, box<2>::orthogonal(vec<2>::Zero(), vec<2>::Constant(side)), uniform_cube<2>(32000, side, 1));
}

void BM_voronoi_voropp(benchmark::State& state) {
    const double side = 31.75;
    const coords<3> x = uniform_cube<3>(32000, side, 1);
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
BENCHMARK(BM_voronoi2d_amorph)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_voronoi_cuzr_amorph)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_voronoi_cuzr_voropp)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
