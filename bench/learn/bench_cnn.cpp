// CNN inference throughput (issue 8): the thesis 2D network (25 conv, 50x50x2
// -> 1x1x320 -> sigmoid; 20 filters doubling) and the thesis 3D network
// (20 conv, 32^3x2, 60 filters) with random weights, on a batch of `images`
// random maps per iteration. Counters: images/s and GFLOP/s (2 x multiply-adds).
// Threads: `threads`. bench_cnn_native is the same source built with
// -march=native (Eigen then uses AVX2/AVX-512 FMA kernels); compare with
// bench/learn/bench_cnn_torch.py (PyTorch = LibTorch 1.13, same net, same threads).
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
    static const cnn net2 = random_net(2), net3 = random_net(3);
    const cnn& net = dim == 2 ? net2 : net3;
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
}

void BM_cnn_thesis2d(benchmark::State& state) { run(state, 2); }
void BM_cnn_thesis3d(benchmark::State& state) { run(state, 3); }

}  // namespace

BENCHMARK(BM_cnn_thesis2d)->ArgNames({"threads", "images"})->Args({1, 256})->Args({2, 256})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_cnn_thesis3d)->ArgNames({"threads", "images"})->Args({1, 2})->Args({2, 4})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

BENCHMARK_MAIN();
