// amorph/learn/cnn.hpp — inference of the convolutional networks of Fan's
// thesis ch. 5 on spatial density maps (2D and 3D), hand-written on Eigen.
// The layers and their file: cnn_model.hpp; the thesis architecture:
// cnn_architecture.hpp (both included here).
//
// A network is a sequence of layers applied to images of C channels on a
// Z x Y x X grid (2D: Z = 1), stored like PyTorch's NCHW / NCDHW:
//   conv        out[o][z][y][x] = b[o] + sum_{i,dz,dy,dx} w[o][i][dz][dy][dx]
//                                       in[i][z+dz-p][y+dy-p][x+dx-p]
//               (stride 1, kernel k^D, zero padding p, out size n + 2p - k + 1)
//   batch_norm  out[c] = gamma[c] (in[c] - mean[c]) / sqrt(var[c] + eps) + beta[c]
//               (inference form, running statistics)
//   relu        max(0, v)
//   max_pool    max over a k^D window with stride s (floor, as PyTorch's default)
//   flatten     [C][Z][Y][X] -> one vector of C Z Y X values in that order
//   linear      out[o] = b[o] + sum_i w[o][i] in[i]
//   sigmoid     1 / (1 + exp(-v))
// Inference (class cnn): at load, every batch_norm that follows a conv is
// folded into it (w' = w gamma / sqrt(var + eps), b' = (b - mean) gamma /
// sqrt(var + eps) + beta, in double, then rounded to float) and a following
// relu is fused. A conv is one GEMM per chunk of output rows: the patches of
// the chunk are gathered (im2col over ~256k floats at a time, so the patches
// stay in cache and memory stays bounded for 32^3 maps) and multiplied by the
// (out x in k^D) weight matrix: by a hand-written AVX-512 or AVX2 + FMA kernel
// (learn/detail/gemm.hpp) when the CPU has those instructions (checked at run
// time, so a portable build is as fast as a -march=native one), otherwise by
// Eigen (cnn_kernel). Activations of a mini-batch of images are stored
// channel-major ([C][image][pixels]) so the GEMM covers the whole mini-batch
// even when the maps are 3x3. Mini-batches run in parallel with oneTBB, one
// thread each; every image's result is independent of the others and of the
// thread count.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/learn/cnn_architecture.hpp"
#include "amorph/learn/cnn_model.hpp"
#include "amorph/learn/detail/gemm.hpp"

#include <Eigen/Dense>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace amorph::learn {

/// The matrix kernel of the convolutions: `automatic` takes the hand-written
/// AVX-512 or AVX2 + FMA kernel when the CPU has the instructions, `portable`
/// always Eigen's product as compiled.
enum class cnn_kernel { automatic, portable };

/// Inference network (batch norm folded, relu fused); thread-safe forward().
class cnn {
public:
    cnn() = default;
    explicit cnn(const cnn_model& m, const std::string& source = "network") { build(m, source); }
    static cnn load(const std::filesystem::path& path) { return cnn(read_cnn(path), path.string()); }

    int dim() const noexcept { return dim_; }
    std::size_t input_size() const noexcept { return in_size_; }    ///< floats per input image
    std::size_t output_size() const noexcept { return out_size_; }  ///< floats per output
    std::uint32_t in_channels() const noexcept { return c0_; }
    std::array<std::uint32_t, 3> in_shape() const noexcept { return s0_; }
    std::size_t op_count() const noexcept { return ops_.size(); }
    /// Images per mini-batch (one task of the parallel loop).
    std::size_t mini_batch() const noexcept { return mb_; }
    void set_mini_batch(std::size_t b) { mb_ = std::max<std::size_t>(1, b); }
    /// Choose the convolutions' matrix kernel (not thread-safe with forward()).
    void set_kernel(cnn_kernel k);
    cnn_kernel kernel() const noexcept { return kernel_; }
    /// The hand-written kernel forward() runs: "avx512", "avx2", or "eigen"
    /// (Eigen's product as compiled).
    std::string_view kernel_name() const noexcept {
        return isa_ == detail::gemm_isa::avx512 ? "avx512" : isa_ == detail::gemm_isa::avx2 ? "avx2" : "eigen";
    }
    /// Multiply-adds per image (conv and linear), for throughput figures.
    double macs_per_image() const noexcept { return macs_; }

    /// out[b * output_size() + o] for the images in[b * input_size() ...].
    void forward(std::span<const float> in, std::span<float> out) const;

    std::vector<float> forward(std::span<const float> in) const {
        std::vector<float> out(in_size_ ? in.size() / in_size_ * out_size_ : 0);
        forward(in, out);
        return out;
    }

private:
    enum class op_kind { conv, affine, relu, pool, flatten, linear, sigmoid };
    using rmat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

    struct shape {
        std::size_t c = 1, z = 1, y = 1, x = 1;
        std::size_t pixels() const { return z * y * x; }
        std::size_t size() const { return c * z * y * x; }
    };

    struct op {
        op_kind kind;
        shape in, out;
        std::size_t kz = 1, ky = 1, kx = 1, pz = 0, py = 0, px = 0, sz = 1, sy = 1, sx = 1;
        bool relu = false;
        rmat w;                   ///< conv: out x (in k^D); linear: out x in
        detail::packed_matrix packed;  ///< conv: w for the SIMD kernel (empty: Eigen)
        std::vector<float> b;     ///< bias (conv, linear) or shift (affine)
        std::vector<float> a;     ///< affine scale
    };

    struct scratch {
        std::vector<float> act0, act1, col, bpack;
    };

    void build(const cnn_model& m, const std::string& src);

    /// Conv over a mini-batch: in [Cin][B][Zi][Yi][Xi] -> out [Cout][B][Zo][Yo][Xo].
    static void conv(const op& o, const float* in, float* out, std::size_t B, scratch& sc, detail::gemm_isa isa);

    static void pool(const op& o, const float* in, float* out, std::size_t B);

    void run(std::span<const float> in, std::span<float> out, std::size_t B, scratch& sc) const;

    int dim_ = 2;
    std::uint32_t c0_ = 1;
    std::array<std::uint32_t, 3> s0_{1, 1, 1};
    std::size_t in_size_ = 0, out_size_ = 0, mb_ = 1;
    double macs_ = 0;
    cnn_kernel kernel_ = cnn_kernel::automatic;
    detail::gemm_isa isa_ = detail::gemm_isa::none;
    std::vector<op> ops_;
    mutable tbb::enumerable_thread_specific<scratch> scratch_;
};

// The runtime's definitions: here when header-only, in amorph::compiled
// otherwise (core/compiled.hpp).
#if AMORPH_DEFINITIONS
AMORPH_FUNC void cnn::set_kernel(cnn_kernel k) {
    kernel_ = k;
    isa_ = k == cnn_kernel::automatic ? detail::gemm_best_isa() : detail::gemm_isa::none;
    for (op& o : ops_)
        if (o.kind == op_kind::conv)
            o.packed = isa_ != detail::gemm_isa::none
                           ? detail::pack_rows(o.w.data(), std::size_t(o.w.rows()), std::size_t(o.w.cols()))
                           : detail::packed_matrix{};
}

AMORPH_FUNC void cnn::forward(std::span<const float> in, std::span<float> out) const {
    if (in_size_ == 0) throw invalid_argument("cnn: no network loaded");
    if (in.size() % in_size_ != 0)
        throw invalid_argument("cnn: input holds " + std::to_string(in.size()) + " floats, not a multiple of " +
                               std::to_string(in_size_));
    const std::size_t nb = in.size() / in_size_;
    if (out.size() != nb * out_size_)
        throw invalid_argument("cnn: output must hold " + std::to_string(nb * out_size_) + " floats");
    if (nb == 0) return;
    const std::size_t chunks = (nb + mb_ - 1) / mb_;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const auto& r) {
        scratch& sc = scratch_.local();
        for (std::size_t c = r.begin(); c != r.end(); ++c) {
            const std::size_t b0 = c * mb_, b1 = std::min(nb, b0 + mb_);
            run(in.subspan(b0 * in_size_, (b1 - b0) * in_size_), out.subspan(b0 * out_size_, (b1 - b0) * out_size_),
                b1 - b0, sc);
        }
    });
}

AMORPH_FUNC void cnn::build(const cnn_model& m, const std::string& src) {
    dim_ = m.dim;
    if (dim_ != 2 && dim_ != 3) throw parse_error(src, 0, "dim", "must be 2 or 3");
    c0_ = m.in_channels;
    s0_ = m.in_shape;
    if (dim_ == 2 && s0_[0] != 1) throw parse_error(src, 0, "in_shape", "Z must be 1 in 2D");
    shape s{m.in_channels, m.in_shape[0], m.in_shape[1], m.in_shape[2]};
    if (s.size() == 0) throw parse_error(src, 0, "in_shape", "empty input");
    in_size_ = s.size();
    std::size_t max_act = s.size();
    bool flat = false;
    macs_ = 0;
    for (std::size_t k = 0; k < m.layers.size(); ++k) {
        const cnn_layer& l = m.layers[k];
        const std::string at = "layer " + std::to_string(k);
        auto fail = [&](const std::string& msg) { throw parse_error(src, 0, at, msg); };
        op o;
        o.in = s;
        switch (l.kind) {
            case cnn_layer_kind::conv: {
                if (flat) fail("conv after flatten");
                if (l.in != s.c) fail("conv expects " + std::to_string(l.in) + " channels, gets " + std::to_string(s.c));
                o.kind = op_kind::conv;
                o.ky = o.kx = l.kernel;
                o.py = o.px = l.padding;
                if (dim_ == 3) o.kz = l.kernel, o.pz = l.padding;
                auto osz = [&](std::size_t n, std::size_t kk, std::size_t p) -> std::size_t {
                    if (n + 2 * p < kk) fail("conv kernel larger than the padded input");
                    return n + 2 * p - kk + 1;
                };
                s = shape{l.out, osz(s.z, o.kz, o.pz), osz(s.y, o.ky, o.py), osz(s.x, o.kx, o.px)};
                const std::size_t kk = o.in.c * o.kz * o.ky * o.kx;
                if (l.weight.size() != l.out * kk) fail("conv weight size");
                o.w = Eigen::Map<const rmat>(l.weight.data(), Eigen::Index(l.out), Eigen::Index(kk));
                o.b = l.bias.empty() ? std::vector<float>(l.out, 0.0f) : l.bias;
                if (o.b.size() != l.out) fail("conv bias size");
                // fold a following batch norm, fuse a following relu
                if (k + 1 < m.layers.size() && m.layers[k + 1].kind == cnn_layer_kind::batch_norm) {
                    const cnn_layer& bn = m.layers[++k];
                    if (bn.out != l.out) fail("batch_norm channels differ from the conv's");
                    for (std::size_t c = 0; c < l.out; ++c) {
                        const double sc = double(bn.gamma[c]) / std::sqrt(double(bn.var[c]) + double(bn.eps));
                        for (Eigen::Index j = 0; j < o.w.cols(); ++j)
                            o.w(Eigen::Index(c), j) = static_cast<float>(double(l.weight[c * kk + std::size_t(j)]) * sc);
                        o.b[c] = static_cast<float>((double(o.b[c]) - double(bn.mean[c])) * sc + double(bn.beta[c]));
                    }
                }
                if (k + 1 < m.layers.size() && m.layers[k + 1].kind == cnn_layer_kind::relu) ++k, o.relu = true;
                macs_ += double(l.out) * double(kk) * double(s.pixels());
                break;
            }
            case cnn_layer_kind::batch_norm: {
                if (l.out != (flat ? s.c : s.c)) fail("batch_norm channel count");
                o.kind = op_kind::affine;
                for (std::size_t c = 0; c < l.out; ++c) {
                    const double sc = double(l.gamma[c]) / std::sqrt(double(l.var[c]) + double(l.eps));
                    o.a.push_back(static_cast<float>(sc));
                    o.b.push_back(static_cast<float>(double(l.beta[c]) - double(l.mean[c]) * sc));
                }
                break;
            }
            case cnn_layer_kind::relu: o.kind = op_kind::relu; break;
            case cnn_layer_kind::sigmoid: o.kind = op_kind::sigmoid; break;
            case cnn_layer_kind::max_pool: {
                if (flat) fail("max_pool after flatten");
                o.kind = op_kind::pool;
                o.ky = o.kx = l.kernel;
                o.sy = o.sx = l.stride;
                if (dim_ == 3) o.kz = l.kernel, o.sz = l.stride;
                auto osz = [&](std::size_t n, std::size_t kk, std::size_t st) -> std::size_t {
                    if (n < kk) fail("max_pool window larger than the input");
                    return (n - kk) / st + 1;
                };
                s = shape{s.c, osz(s.z, o.kz, o.sz), osz(s.y, o.ky, o.sy), osz(s.x, o.kx, o.sx)};
                break;
            }
            case cnn_layer_kind::flatten:
                o.kind = op_kind::flatten;
                s = shape{s.size(), 1, 1, 1};
                flat = true;
                break;
            case cnn_layer_kind::linear: {
                if (s.pixels() != 1) fail("linear needs a flattened input (add flatten)");
                if (l.in != s.c) fail("linear expects " + std::to_string(l.in) + " inputs, gets " + std::to_string(s.c));
                o.kind = op_kind::linear;
                o.w = Eigen::Map<const rmat>(l.weight.data(), Eigen::Index(l.out), Eigen::Index(l.in));
                o.b = l.bias;
                if (k + 1 < m.layers.size() && m.layers[k + 1].kind == cnn_layer_kind::relu) ++k, o.relu = true;
                s = shape{l.out, 1, 1, 1};
                macs_ += double(l.out) * double(l.in);
                break;
            }
            default: fail("unknown layer kind");
        }
        o.out = s;
        max_act = std::max(max_act, s.size());
        ops_.push_back(std::move(o));
    }
    out_size_ = s.size();
    set_kernel(kernel_);
    // mini-batch: activations of about 1M floats per buffer, at most 64 images
    mb_ = std::clamp<std::size_t>((std::size_t{1} << 20) / std::max<std::size_t>(1, max_act), 1, 64);
}

AMORPH_FUNC void cnn::conv(const op& o, const float* in, float* out, std::size_t B, scratch& sc, detail::gemm_isa isa) {
    std::vector<float>& col = sc.col;
    const shape& si = o.in;
    const shape& so = o.out;
    const std::size_t K = si.c * o.kz * o.ky * o.kx;
    const std::size_t N = B * so.pixels();
    const std::size_t segs = B * so.z * so.y;  // output rows of X pixels
    const std::size_t target = std::clamp<std::size_t>((std::size_t{1} << 18) / K, 64, 8192);
    const std::size_t seg_chunk = std::max<std::size_t>(1, target / so.x);
    for (std::size_t s0 = 0; s0 < segs; s0 += seg_chunk) {
        const std::size_t ns = std::min(seg_chunk, segs - s0), nc = ns * so.x;
        if (col.size() < K * nc) col.resize(K * nc);
        std::size_t r = 0;
        for (std::size_t ci = 0; ci < si.c; ++ci)
            for (std::size_t dz = 0; dz < o.kz; ++dz)
                for (std::size_t dy = 0; dy < o.ky; ++dy)
                    for (std::size_t dx = 0; dx < o.kx; ++dx, ++r) {
                        float* dst = col.data() + r * nc;
                        // valid x range: 0 <= xo + dx - px < Xi
                        const long lo = std::max<long>(0, long(o.px) - long(dx));
                        const long hi = std::min<long>(long(so.x), long(si.x) + long(o.px) - long(dx));
                        for (std::size_t sg = 0; sg < ns; ++sg) {
                            std::size_t q = s0 + sg;
                            const std::size_t yo = q % so.y;
                            q /= so.y;
                            const std::size_t zo = q % so.z;
                            const std::size_t b = q / so.z;
                            float* d = dst + sg * so.x;
                            const long zi = long(zo + dz) - long(o.pz), yi = long(yo + dy) - long(o.py);
                            if (zi < 0 || zi >= long(si.z) || yi < 0 || yi >= long(si.y) || hi <= lo) {
                                std::fill(d, d + so.x, 0.0f);
                                continue;
                            }
                            const float* srow =
                                in + (((ci * B + b) * si.z + std::size_t(zi)) * si.y + std::size_t(yi)) * si.x;
                            std::fill(d, d + lo, 0.0f);
                            std::copy(srow + (lo + long(dx) - long(o.px)), srow + (hi + long(dx) - long(o.px)), d + lo);
                            std::fill(d + hi, d + so.x, 0.0f);
                        }
                    }
#if defined(AMORPH_GEMM_X86)
        if (!o.packed.empty()) {
            float* const dst = out + s0 * so.x;
            if (isa == detail::gemm_isa::avx512)
                detail::gemm_bias_avx512(o.packed, col.data(), nc, nc, o.b.data(), o.relu, dst, N, sc.bpack);
            else
                detail::gemm_bias_avx2(o.packed, col.data(), nc, nc, o.b.data(), o.relu, dst, N, sc.bpack);
            continue;
        }
#endif
        const Eigen::Map<const rmat> cm(col.data(), Eigen::Index(K), Eigen::Index(nc));
        Eigen::Map<rmat, 0, Eigen::OuterStride<>> om(out + s0 * so.x, Eigen::Index(so.c), Eigen::Index(nc),
                                                     Eigen::OuterStride<>(Eigen::Index(N)));
        om.noalias() = o.w * cm;
        for (std::size_t c = 0; c < so.c; ++c) {
            float* row = out + c * N + s0 * so.x;
            const float bc = o.b[c];
            if (o.relu)
                for (std::size_t n = 0; n < nc; ++n) row[n] = std::max(row[n] + bc, 0.0f);
            else
                for (std::size_t n = 0; n < nc; ++n) row[n] += bc;
        }
    }
}

AMORPH_FUNC void cnn::pool(const op& o, const float* in, float* out, std::size_t B) {
    const shape &si = o.in, &so = o.out;
    for (std::size_t cb = 0; cb < si.c * B; ++cb) {
        const float* src = in + cb * si.pixels();
        float* dst = out + cb * so.pixels();
        for (std::size_t z = 0; z < so.z; ++z)
            for (std::size_t y = 0; y < so.y; ++y)
                for (std::size_t x = 0; x < so.x; ++x) {
                    float m = -std::numeric_limits<float>::infinity();
                    for (std::size_t dz = 0; dz < o.kz; ++dz)
                        for (std::size_t dy = 0; dy < o.ky; ++dy) {
                            const float* row = src + ((z * o.sz + dz) * si.y + (y * o.sy + dy)) * si.x + x * o.sx;
                            for (std::size_t dx = 0; dx < o.kx; ++dx) m = std::max(m, row[dx]);
                        }
                    dst[(z * so.y + y) * so.x + x] = m;
                }
    }
}

AMORPH_FUNC void cnn::run(std::span<const float> in, std::span<float> out, std::size_t B, scratch& sc) const {
    std::size_t need = in_size_;
    for (const op& o : ops_) need = std::max(need, o.out.size());
    need *= B;
    if (sc.act0.size() < need) sc.act0.resize(need), sc.act1.resize(need);
    float* cur = sc.act0.data();
    float* nxt = sc.act1.data();
    // [B][C][P] -> [C][B][P]
    {
        const std::size_t c0 = c0_, p0 = in_size_ / c0_;
        for (std::size_t b = 0; b < B; ++b)
            for (std::size_t c = 0; c < c0; ++c)
                std::copy_n(in.data() + (b * c0 + c) * p0, p0, cur + (c * B + b) * p0);
    }
    for (const op& o : ops_) {
        const std::size_t n = o.out.size() * B;
        switch (o.kind) {
            case op_kind::conv:
                conv(o, cur, nxt, B, sc, isa_);
                std::swap(cur, nxt);
                break;
            case op_kind::pool:
                pool(o, cur, nxt, B);
                std::swap(cur, nxt);
                break;
            case op_kind::relu:
                for (std::size_t k = 0; k < n; ++k) cur[k] = std::max(cur[k], 0.0f);
                break;
            case op_kind::sigmoid:
                for (std::size_t k = 0; k < n; ++k) cur[k] = 1.0f / (1.0f + std::exp(-cur[k]));
                break;
            case op_kind::affine: {
                const std::size_t per = B * o.in.pixels();
                for (std::size_t c = 0; c < o.in.c; ++c)
                    for (std::size_t k = 0; k < per; ++k) cur[c * per + k] = o.a[c] * cur[c * per + k] + o.b[c];
                break;
            }
            case op_kind::flatten: {
                // [C][B][P] -> [(C P)][B]
                const std::size_t C = o.in.c, P = o.in.pixels();
                for (std::size_t c = 0; c < C; ++c)
                    for (std::size_t b = 0; b < B; ++b)
                        for (std::size_t p = 0; p < P; ++p) nxt[(c * P + p) * B + b] = cur[(c * B + b) * P + p];
                std::swap(cur, nxt);
                break;
            }
            case op_kind::linear: {
                const Eigen::Map<const rmat> a(cur, Eigen::Index(o.in.c), Eigen::Index(B));
                Eigen::Map<rmat> r(nxt, Eigen::Index(o.out.c), Eigen::Index(B));
                r.noalias() = o.w * a;
                for (std::size_t c = 0; c < o.out.c; ++c)
                    for (std::size_t b = 0; b < B; ++b) {
                        float& v = nxt[c * B + b];
                        v += o.b[c];
                        if (o.relu) v = std::max(v, 0.0f);
                    }
                std::swap(cur, nxt);
                break;
            }
        }
    }
    // [C][B][P] -> [B][C][P]
    const std::size_t C = ops_.empty() ? c0_ : ops_.back().out.c;
    const std::size_t P = out_size_ / C;
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t c = 0; c < C; ++c) std::copy_n(cur + (c * B + b) * P, P, out.data() + (b * C + c) * P);
}
#endif  // AMORPH_DEFINITIONS

/// Fused prediction without materializing every input: for centers in
/// batches of `batch`, make(centers_batch, images) fills the batch's images
/// (e.g. sdm_evaluator::compute) and the network writes
/// out[k * output_size() ...] for centers[k]. Memory: one batch of images.
template <class Make>
void predict_batched(const cnn& net, std::span<const std::size_t> centers, std::span<float> out, Make&& make,
                     std::size_t batch = 1024) {
    if (out.size() != centers.size() * net.output_size())
        throw invalid_argument("predict_batched: output must hold centers x output_size floats");
    batch = std::max<std::size_t>(1, batch);
    std::vector<float> images;
    for (std::size_t k0 = 0; k0 < centers.size(); k0 += batch) {
        const std::size_t nb = std::min(batch, centers.size() - k0);
        images.resize(nb * net.input_size());
        make(centers.subspan(k0, nb), std::span<float>(images));
        net.forward(images, out.subspan(k0 * net.output_size(), nb * net.output_size()));
    }
}

}  // namespace amorph::learn
