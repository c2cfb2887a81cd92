// The CNN's hand-written matrix kernels (learn/detail/gemm.hpp) give exactly
// the ordered FMA sum their header promises, for every tile and block edge.
#include "amorph/learn/detail/gemm.hpp"
#include "../peer.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace d = amorph::learn::detail;

namespace {

#if defined(AMORPH_GEMM_X86)
void check_kernel(d::gemm_isa isa) {
    std::mt19937_64 rng(7);
    std::normal_distribution<float> g;
    std::vector<float> scratch;
    for (std::size_t m : {1u, 5u, 6u, 7u, 20u})
        for (std::size_t K : {1u, 18u, 127u, 128u, 129u, 256u, 257u, 600u})
            for (std::size_t n : {1u, 15u, 16u, 17u, 31u, 33u, 100u})
                for (bool relu : {false, true}) {
                    const std::size_t ldb = n + 3, ldc = n + 5;
                    std::vector<float> a(m * K), b(K * ldb), bias(m), c(m * ldc, 7.0f);
                    for (auto& v : a) v = g(rng);
                    for (auto& v : b) v = g(rng);
                    for (auto& v : bias) v = g(rng);
                    const d::packed_matrix A = d::pack_rows(a.data(), m, K);
                    if (isa == d::gemm_isa::avx512)
                        d::gemm_bias_avx512(A, b.data(), ldb, n, bias.data(), relu, c.data(), ldc, scratch);
                    else
                        d::gemm_bias_avx2(A, b.data(), ldb, n, bias.data(), relu, c.data(), ldc, scratch);
                    int wrong = 0, touched = 0;
                    for (std::size_t i = 0; i < m; ++i) {
                        for (std::size_t j = 0; j < n; ++j) {
                            float acc = 0;
                            for (std::size_t k = 0; k < K; ++k) acc = std::fma(a[i * K + k], b[k * ldb + j], acc);
                            acc += bias[i];
                            if (relu) acc = std::max(acc, 0.0f);
                            wrong += std::memcmp(&acc, &c[i * ldc + j], sizeof(float)) != 0;
                        }
                        for (std::size_t j = n; j < ldc; ++j) touched += c[i * ldc + j] != 7.0f;
                    }
                    INFO("m " << m << " K " << K << " n " << n << " relu " << relu);
                    CHECK(wrong == 0);
                    CHECK(touched == 0);  // nothing written past column n
                }
}
#endif

}  // namespace

// Each hand-written kernel is checked on every CPU that has its instruction set;
// where the CPU lacks it the test case is reported by ctest as skipped (never as
// passed), naming what is missing.
TEST_CASE("gemm: the AVX2 + FMA kernel gives the ordered FMA sum bit for bit", "[cnn]") {
#if defined(AMORPH_GEMM_X86)
    if (d::gemm_best_isa() == d::gemm_isa::none) return amorph_test::skipped("this CPU has no AVX2 + FMA: its kernel is not run");
    check_kernel(d::gemm_isa::avx2);
#else
    amorph_test::skipped("not an x86 build: no hand-written kernel");
#endif
}

TEST_CASE("gemm: the AVX-512 kernel gives the ordered FMA sum bit for bit", "[cnn]") {
#if defined(AMORPH_GEMM_X86)
    if (d::gemm_best_isa() != d::gemm_isa::avx512) return amorph_test::skipped("this CPU has no AVX-512: its kernel is not run");
    check_kernel(d::gemm_isa::avx512);
#else
    amorph_test::skipped("not an x86 build: no hand-written kernel");
#endif
}

TEST_CASE("gemm: packing pads the last row panel with zeros", "[cnn]") {
    const std::vector<float> w{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};  // 7 x 2
    const auto p = d::pack_rows(w.data(), 7, 2);
    REQUIRE(p.a.size() == 2 * 2 * d::gemm_mr);
    // panel 0, k = 1: rows 0..5 of column 1
    CHECK(std::vector<float>(p.a.begin() + 6, p.a.begin() + 12) == std::vector<float>{2, 4, 6, 8, 10, 12});
    // panel 1, k = 0: row 6, then zeros
    CHECK(std::vector<float>(p.a.begin() + 12, p.a.begin() + 18) == std::vector<float>{13, 0, 0, 0, 0, 0});
}
