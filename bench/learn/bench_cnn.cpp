// CNN inference throughput (issue 8): the thesis 2D network (25 conv, 50x50x2
// -> 1x1x320 -> sigmoid; 20 filters doubling) and the thesis 3D network
// (20 conv, 32^3x2, 60 filters) with random weights, on a batch of `images`
// random maps per iteration. Counters: images/s and GFLOP/s (2 x multiply-adds).
// Threads: `threads`; `kernel` 0: automatic (our AVX-512 or AVX2 + FMA
// micro-kernel, chosen from the CPU; the label says which), 1: portable
// (Eigen's product as compiled). bench_cnn_native is the same source built
// with -march=native (Eigen then uses AVX-512 too); compare with
// bench/learn/bench_cnn_torch.py (PyTorch = LibTorch 1.13, same net, same threads).
//
// Measured 2026-12-02, this 2-core AMD EPYC (AVX-512), the same hour, images/s
// at 1 | 2 threads:
//   net         amorph portable build   Eigen, no -march   Eigen -march=native   PyTorch 1.13
//   thesis 2D   270 | 467 (avx512)      100 | 175          255 | 472             147 | 233
//   thesis 3D   4.34 | 8.42             1.27 | 2.41        3.75 | 7.33           4.3 | 7.6
// The AVX2 kernel (the same host, measured before the AVX-512 one existed): thesis 2D 198 | 385.
// BM_fused_lj2d: SDMs (thesis 2D defaults) + the thesis 2D net for `centers`
// atoms of a 10,000-atom 2D LJ-like glass through predict_batched (batches of
// 512 maps), i.e. whole-sample prediction without materializing every map.
#include "amorph/descriptor/sdm.hpp"
#include "amorph/learn/cnn.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <random>

using namespace amorph::learn;

namespace {

cnn random_net(int dim) {
    cnn_model m = make_architecture(thesis_architecture(dim));
    std::mt19937_64 rng(1);
    std::normal_distribution<float> g;
    for (auto& l : m.layers)
        for (auto& w : l.weight) w = g(rng) * std::sqrt(2.0f / float(l.weight.size() / std::max(1u, l.out)));
    return cnn(m);
}

void run(benchmark::State& state, int dim) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    static cnn net2 = random_net(2), net3 = random_net(3);
    cnn& net = dim == 2 ? net2 : net3;
    const auto kernel = state.range(2) ? cnn_kernel::portable : cnn_kernel::automatic;
    net.set_kernel(kernel);
    const auto n = static_cast<std::size_t>(state.range(1));
    std::vector<float> x(n * net.input_size()), y(n * net.output_size());
    std::mt19937_64 rng(2);
    std::uniform_real_distribution<float> u(0, 2);
    for (auto& v : x) v = u(rng);
    for (auto _ : state) {
        net.forward(x, y);
        benchmark::DoNotOptimize(y.data());
    }
    const double it = static_cast<double>(state.iterations());
    state.counters["images/s"] = benchmark::Counter(it * double(n), benchmark::Counter::kIsRate);
    state.counters["GFLOP/s"] = benchmark::Counter(it * double(n) * 2e-9 * net.macs_per_image(), benchmark::Counter::kIsRate);
    state.counters["threads"] = static_cast<double>(state.range(0));
    state.SetLabel(std::string(net.kernel_name()));
}

void BM_cnn_thesis2d(benchmark::State& state) { run(state, 2); }

amorph::system<2> lj2d_like() {
    const double L = 98.8045;
    const int m = 100;
    amorph::system<2> sys(amorph::box<2>(amorph::mat<2>::Identity() * L), m * m);
    sys.species = amorph::species_list::from_names({"L", "S"});
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0, 0.1);
    const double a = L / m;
    for (int i = 0; i < m * m; ++i) {
        sys.positions.col(i) << a * (i % m + 0.5 * ((i / m) % 2)) + g(rng), a * (i / m) + g(rng);
        sys.types[static_cast<std::size_t>(i)] = (rng() % 1000) < 447 ? 0 : 1;
    }
    return sys;
}

void BM_fused_lj2d(benchmark::State& state) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    static const cnn net = random_net(2);
    static const auto sys = lj2d_like();
    const amorph::descriptor::sdm_evaluator<2> ev(amorph::descriptor::sdm_thesis_2d(), sys);
    const auto n = static_cast<std::size_t>(state.range(1));
    std::vector<std::size_t> centers(n);
    for (std::size_t k = 0; k < n; ++k) centers[k] = k % sys.size();
    std::vector<float> p(n);
    for (auto _ : state) {
        predict_batched(net, centers, p, [&](std::span<const std::size_t> c, std::span<float> img) { ev.compute(c, img); },
                        512);
        benchmark::DoNotOptimize(p.data());
    }
    state.counters["atoms/s"] = benchmark::Counter(double(state.iterations()) * double(n), benchmark::Counter::kIsRate);
    state.counters["threads"] = static_cast<double>(state.range(0));
}
void BM_cnn_thesis3d(benchmark::State& state) { run(state, 3); }

}  // namespace

// kernel 0: automatic (the AVX2 + FMA kernel where the CPU has it), 1: portable (Eigen as compiled)
BENCHMARK(BM_cnn_thesis2d)->ArgNames({"threads", "images", "kernel"})->ArgsProduct({{1, 2}, {256}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_cnn_thesis3d)->ArgNames({"threads", "images", "kernel"})->Args({1, 2, 0})->Args({2, 4, 0})->Args({1, 2, 1})->Args({2, 4, 1})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

BENCHMARK(BM_fused_lj2d)->ArgNames({"threads", "centers"})->Args({2, 10000})->Args({1, 1024})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

BENCHMARK_MAIN();
