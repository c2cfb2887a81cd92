// amorph/learn/detail/gemm.hpp — the matrix product behind the CNN's
// convolutions (learn/cnn.hpp), hand-written for AVX-512 and for AVX2 + FMA
// and chosen at run time, so that a portable build (no -march) runs at the
// speed of a native one on the machines that have those instructions.
//
//   c[i ldc + j] = act( bias[i] + sum_k a[i][k] b[k ldb + j] ),  i < m, j < n,
//   act = relu or the identity.
//
// a (the weights, m x K) is packed once, when the network is loaded, into
// panels of mr = 6 rows stored k-major ([m/6][K][6], zero rows at the end);
// b (the gathered patches, K x n, row-major) is packed per panel of nr
// columns ([K][nr], zero columns at the end; nr = 16 for AVX2, 32 for
// AVX-512) into a thread's scratch buffer. One driver (gemm_bias) serves both
// instruction sets; only the tile kernel differs: it keeps a 6 x nr tile of c
// in twelve vector registers and adds one rank-1 product per k (two loads of
// b, six broadcasts of a, twelve FMAs). k runs in blocks whose part of the b
// panel (16 kB) stays in L1 while every row panel of a passes over it; the
// tile's partial sums wait between blocks in a small buffer, and bias and
// activation are applied to them at the end. Every c[i][j] is
//     acc = 0;  for k = 0 .. K-1:  acc = fma(a[i][k], b[k][j], acc);  c = act(acc + bias[i])
// in float, whatever the tile or block it falls in: a result depends neither
// on n nor on the position of its column (the CNN's images do not influence
// each other), and both kernels give the same bits.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define AMORPH_GEMM_X86 1  // the kernels below are compiled (run only where the CPU has them)
#include <immintrin.h>
#endif

namespace amorph::learn::detail {

inline constexpr std::size_t gemm_mr = 6;

/// Weights packed for the micro-kernel (empty when the CPU lacks the kernel).
struct packed_matrix {
    std::vector<float> a;  ///< [ceil(m / mr)][k][mr]
    std::size_t m = 0, k = 0;
    bool empty() const noexcept { return a.empty(); }
};

/// The kernels: none, 6 x 16 tiles in AVX2 + FMA, or 6 x 32 tiles in AVX-512.
enum class gemm_isa { none, avx2, avx512 };

/// The best kernel this CPU runs (checked once).
inline gemm_isa gemm_best_isa() noexcept {
#if defined(AMORPH_GEMM_X86)
    static const gemm_isa best = __builtin_cpu_supports("avx512f")                                    ? gemm_isa::avx512
                                 : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? gemm_isa::avx2
                                                                                                     : gemm_isa::none;
    return best;
#else
    return gemm_isa::none;
#endif
}

/// Copies columns j0 .. j0 + nr of the row-major k x n matrix b (row stride
/// ldb) into dst[k][nr], zeros past column n.
template <std::size_t nr>
inline void pack_panel(const float* b, std::size_t ldb, std::size_t k, std::size_t n, std::size_t j0, float* dst) {
    const std::size_t nj = std::min(nr, n - j0);
    for (std::size_t kk = 0; kk < k; ++kk) {
        const float* src = b + kk * ldb + j0;
        float* d = dst + kk * nr;
        if (nj == nr) std::copy_n(src, nr, d);
        else
            for (std::size_t j = 0; j < nr; ++j) d[j] = j < nj ? src[j] : 0.0f;
    }
}

/// Packs the row-major m x k matrix w.
inline packed_matrix pack_rows(const float* w, std::size_t m, std::size_t k) {
    packed_matrix p;
    p.m = m;
    p.k = k;
    const std::size_t panels = (m + gemm_mr - 1) / gemm_mr;
    p.a.assign(panels * k * gemm_mr, 0.0f);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t kk = 0; kk < k; ++kk) p.a[((i / gemm_mr) * k + kk) * gemm_mr + i % gemm_mr] = w[i * k + kk];
    return p;
}

/// The product above, for a tile kernel of nr columns: tile(ap, bk, kn, part,
/// first) adds sum_k a[k][r] b[k][j] over kn steps of k to part[r][j]
/// (6 x nr floats; starting from zero when `first`). scratch is resized to
/// hold one packed panel of b (K x nr) and the panel's partial sums (m x nr).
template <std::size_t nr, class Tile>
void gemm_bias(const packed_matrix& A, const float* b, std::size_t ldb, std::size_t n, const float* bias, bool relu,
               float* c, std::size_t ldc, std::vector<float>& scratch, Tile&& tile) {
    const std::size_t K = A.k, m = A.m, mp = (m + gemm_mr - 1) / gemm_mr * gemm_mr;
    // k in blocks of kc: a 16 kB block of the b panel stays in L1 while every
    // row panel of a passes over it; the partial sums wait in `part`
    constexpr std::size_t kc = 4096 / nr;
    if (scratch.size() < (K + mp) * nr) scratch.resize((K + mp) * nr);
    float* const bp = scratch.data();
    float* const part = bp + K * nr;
    for (std::size_t j0 = 0; j0 < n; j0 += nr) {
        const std::size_t nj = std::min(nr, n - j0);
        pack_panel<nr>(b, ldb, K, n, j0, bp);
        for (std::size_t k0 = 0; k0 < K; k0 += kc) {
            const std::size_t kn = std::min(kc, K - k0);
            for (std::size_t i0 = 0; i0 < m; i0 += gemm_mr)
                tile(A.a.data() + ((i0 / gemm_mr) * K + k0) * gemm_mr, bp + k0 * nr, kn, part + i0 * nr, k0 == 0);
        }
        for (std::size_t i = 0; i < m; ++i) {  // c = act(sum + bias), as the Eigen path
            const float* pr = part + i * nr;
            float* row = c + i * ldc + j0;
            const float bi = bias[i];
            if (relu)
                for (std::size_t j = 0; j < nj; ++j) row[j] = std::max(pr[j] + bi, 0.0f);
            else
                for (std::size_t j = 0; j < nj; ++j) row[j] = pr[j] + bi;
        }
    }
}

#if defined(AMORPH_GEMM_X86)
/// Tile of 6 x 16 in AVX2 + FMA: twelve 8-float accumulators (named: an
/// array of them would live on the stack).
[[gnu::target("avx2,fma")]] inline void tile_avx2(const float* ap, const float* bk, std::size_t kn, float* pt,
                                                    bool first) {
    __m256 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (first) {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_ps();
    } else {
        c00 = _mm256_loadu_ps(pt), c01 = _mm256_loadu_ps(pt + 8);
        c10 = _mm256_loadu_ps(pt + 16), c11 = _mm256_loadu_ps(pt + 24);
        c20 = _mm256_loadu_ps(pt + 32), c21 = _mm256_loadu_ps(pt + 40);
        c30 = _mm256_loadu_ps(pt + 48), c31 = _mm256_loadu_ps(pt + 56);
        c40 = _mm256_loadu_ps(pt + 64), c41 = _mm256_loadu_ps(pt + 72);
        c50 = _mm256_loadu_ps(pt + 80), c51 = _mm256_loadu_ps(pt + 88);
    }
    for (std::size_t kk = 0; kk < kn; ++kk, ap += gemm_mr, bk += 16) {
        const __m256 b0 = _mm256_loadu_ps(bk), b1 = _mm256_loadu_ps(bk + 8);
        __m256 a = _mm256_broadcast_ss(ap);
        c00 = _mm256_fmadd_ps(a, b0, c00);
        c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(ap + 1);
        c10 = _mm256_fmadd_ps(a, b0, c10);
        c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(ap + 2);
        c20 = _mm256_fmadd_ps(a, b0, c20);
        c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(ap + 3);
        c30 = _mm256_fmadd_ps(a, b0, c30);
        c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(ap + 4);
        c40 = _mm256_fmadd_ps(a, b0, c40);
        c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(ap + 5);
        c50 = _mm256_fmadd_ps(a, b0, c50);
        c51 = _mm256_fmadd_ps(a, b1, c51);
    }
    _mm256_storeu_ps(pt, c00), _mm256_storeu_ps(pt + 8, c01);
    _mm256_storeu_ps(pt + 16, c10), _mm256_storeu_ps(pt + 24, c11);
    _mm256_storeu_ps(pt + 32, c20), _mm256_storeu_ps(pt + 40, c21);
    _mm256_storeu_ps(pt + 48, c30), _mm256_storeu_ps(pt + 56, c31);
    _mm256_storeu_ps(pt + 64, c40), _mm256_storeu_ps(pt + 72, c41);
    _mm256_storeu_ps(pt + 80, c50), _mm256_storeu_ps(pt + 88, c51);
}

/// Tile of 6 x 32 in AVX-512: twelve 16-float accumulators.
[[gnu::target("avx512f")]] inline void tile_avx512(const float* ap, const float* bk, std::size_t kn, float* pt,
                                                     bool first) {
    __m512 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (first) {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm512_setzero_ps();
    } else {
        c00 = _mm512_loadu_ps(pt), c01 = _mm512_loadu_ps(pt + 16);
        c10 = _mm512_loadu_ps(pt + 32), c11 = _mm512_loadu_ps(pt + 48);
        c20 = _mm512_loadu_ps(pt + 64), c21 = _mm512_loadu_ps(pt + 80);
        c30 = _mm512_loadu_ps(pt + 96), c31 = _mm512_loadu_ps(pt + 112);
        c40 = _mm512_loadu_ps(pt + 128), c41 = _mm512_loadu_ps(pt + 144);
        c50 = _mm512_loadu_ps(pt + 160), c51 = _mm512_loadu_ps(pt + 176);
    }
    for (std::size_t kk = 0; kk < kn; ++kk, ap += gemm_mr, bk += 32) {
        const __m512 b0 = _mm512_loadu_ps(bk), b1 = _mm512_loadu_ps(bk + 16);
        __m512 a = _mm512_set1_ps(ap[0]);
        c00 = _mm512_fmadd_ps(a, b0, c00);
        c01 = _mm512_fmadd_ps(a, b1, c01);
        a = _mm512_set1_ps(ap[1]);
        c10 = _mm512_fmadd_ps(a, b0, c10);
        c11 = _mm512_fmadd_ps(a, b1, c11);
        a = _mm512_set1_ps(ap[2]);
        c20 = _mm512_fmadd_ps(a, b0, c20);
        c21 = _mm512_fmadd_ps(a, b1, c21);
        a = _mm512_set1_ps(ap[3]);
        c30 = _mm512_fmadd_ps(a, b0, c30);
        c31 = _mm512_fmadd_ps(a, b1, c31);
        a = _mm512_set1_ps(ap[4]);
        c40 = _mm512_fmadd_ps(a, b0, c40);
        c41 = _mm512_fmadd_ps(a, b1, c41);
        a = _mm512_set1_ps(ap[5]);
        c50 = _mm512_fmadd_ps(a, b0, c50);
        c51 = _mm512_fmadd_ps(a, b1, c51);
    }
    _mm512_storeu_ps(pt, c00), _mm512_storeu_ps(pt + 16, c01);
    _mm512_storeu_ps(pt + 32, c10), _mm512_storeu_ps(pt + 48, c11);
    _mm512_storeu_ps(pt + 64, c20), _mm512_storeu_ps(pt + 80, c21);
    _mm512_storeu_ps(pt + 96, c30), _mm512_storeu_ps(pt + 112, c31);
    _mm512_storeu_ps(pt + 128, c40), _mm512_storeu_ps(pt + 144, c41);
    _mm512_storeu_ps(pt + 160, c50), _mm512_storeu_ps(pt + 176, c51);
}

inline void gemm_bias_avx2(const packed_matrix& A, const float* b, std::size_t ldb, std::size_t n, const float* bias,
                           bool relu, float* c, std::size_t ldc, std::vector<float>& scratch) {
    gemm_bias<16>(A, b, ldb, n, bias, relu, c, ldc, scratch, tile_avx2);
}
inline void gemm_bias_avx512(const packed_matrix& A, const float* b, std::size_t ldb, std::size_t n, const float* bias,
                             bool relu, float* c, std::size_t ldc, std::vector<float>& scratch) {
    gemm_bias<32>(A, b, ldb, n, bias, relu, c, ldc, scratch, tile_avx512);
}
#endif

}  // namespace amorph::learn::detail
