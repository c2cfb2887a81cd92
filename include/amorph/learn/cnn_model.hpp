// amorph/learn/cnn_model.hpp — the networks of Fan's thesis ch. 5 as data:
// the layers of a sequential CNN on spatial density maps and the ".amcnn"
// file that stores them (read_cnn, write_cnn). Inference: cnn.hpp; the
// thesis architecture: cnn_architecture.hpp.
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
//
// File format (".amcnn", all integers uint32 and all reals float32,
// little-endian; written by examples/ch5/cnn_model.py and write_cnn):
//   char[8]  magic "AMCNN\0\0\1"
//   u32      version (1)
//   u32      dim (2 or 3)
//   u32      in_channels
//   u32[3]   in_shape (Z, Y, X); Z = 1 in 2D
//   u32      n_layers
//   n_layers records, each a u32 kind followed by
//     1 conv:        u32 out, in, kernel, padding, has_bias;
//                    f32 weight[out][in][kernel^dim] (PyTorch order); f32 bias[out] if has_bias
//     2 batch_norm:  u32 channels; f32 eps; f32 gamma[c], beta[c], mean[c], var[c]
//     3 relu, 5 flatten, 7 sigmoid: nothing
//     4 max_pool:    u32 kernel, stride
//     6 linear:      u32 out, in; f32 weight[out][in], bias[out]
// Anything else (bad magic, unknown kind, shapes that do not chain, truncated
// data, non-finite numbers) throws amorph::parse_error(file, 0, field, msg).
//
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace amorph::learn {

enum class cnn_layer_kind : std::uint32_t {
    conv = 1,
    batch_norm = 2,
    relu = 3,
    max_pool = 4,
    flatten = 5,
    linear = 6,
    sigmoid = 7
};

/// One layer as stored in the file.
struct cnn_layer {
    cnn_layer_kind kind = cnn_layer_kind::relu;
    std::uint32_t out = 0, in = 0;        ///< conv: channels; linear: features; batch_norm: out = channels
    std::uint32_t kernel = 0;             ///< conv, max_pool
    std::uint32_t padding = 0;            ///< conv
    std::uint32_t stride = 0;             ///< max_pool
    float eps = 1e-5f;                    ///< batch_norm
    std::vector<float> weight, bias;      ///< conv, linear (bias may be empty for conv)
    std::vector<float> gamma, beta, mean, var;  ///< batch_norm
};

/// A network as stored in the file.
struct cnn_model {
    int dim = 2;
    std::uint32_t in_channels = 1;
    std::array<std::uint32_t, 3> in_shape{1, 1, 1};  ///< Z, Y, X (Z = 1 in 2D)
    std::vector<cnn_layer> layers;
};

inline constexpr char cnn_magic[8] = {'A', 'M', 'C', 'N', 'N', '\0', '\0', '\1'};

/// Read a network file (format in the header comment).
AMORPH_FUNC cnn_model read_cnn(const std::filesystem::path& path);

/// Write a network file (format in the header comment).
AMORPH_FUNC void write_cnn(const std::filesystem::path& path, const cnn_model& m);

// Definitions: here when header-only, in amorph::compiled otherwise (core/compiled.hpp).
#if AMORPH_DEFINITIONS
namespace detail {

inline void cnn_fail(const std::string& file, const std::string& field, const std::string& msg) {
    throw parse_error(file, 0, field, msg);
}

struct cnn_reader {
    std::ifstream in;
    std::string file;
    std::uint32_t u32(const char* field) {
        unsigned char b[4];
        if (!in.read(reinterpret_cast<char*>(b), 4)) cnn_fail(file, field, "file ends early");
        return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 | std::uint32_t(b[3]) << 24;
    }
    float f32(const char* field) {
        const float v = std::bit_cast<float>(u32(field));
        if (!std::isfinite(v)) cnn_fail(file, field, "non-finite value");
        return v;
    }
    std::vector<float> floats(std::size_t n, const char* field) {
        if (n > (std::size_t{1} << 32)) cnn_fail(file, field, "tensor too large");
        // a header's claim never sizes an allocation beyond the bytes the file has
        const auto here = in.tellg();
        in.seekg(0, std::ios::end);
        const auto end = in.tellg();
        in.seekg(here);
        if (here < 0 || end < here || static_cast<std::uint64_t>(end - here) / 4 < n)
            cnn_fail(file, field, "file ends early (" + std::to_string(n) + " values claimed)");
        std::vector<float> v(n);
        for (auto& x : v) x = f32(field);
        return v;
    }
};

struct cnn_writer {
    std::ofstream out;
    void u32(std::uint32_t v) {
        const unsigned char b[4] = {static_cast<unsigned char>(v), static_cast<unsigned char>(v >> 8),
                                    static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 24)};
        out.write(reinterpret_cast<const char*>(b), 4);
    }
    void f32(float v) { u32(std::bit_cast<std::uint32_t>(v)); }
    void floats(const std::vector<float>& v) {
        for (float x : v) f32(x);
    }
};

inline std::size_t ipow(std::size_t b, int e) {
    std::size_t r = 1;
    for (int k = 0; k < e; ++k) r *= b;
    return r;
}

}  // namespace detail

/// Read a network file (format in the header comment).
AMORPH_FUNC cnn_model read_cnn(const std::filesystem::path& path) {
    detail::cnn_reader r{std::ifstream(path, std::ios::binary), path.string()};
    if (!r.in) throw io_error("cannot open " + path.string());
    char magic[8];
    if (!r.in.read(magic, 8) || std::memcmp(magic, cnn_magic, 8) != 0)
        detail::cnn_fail(r.file, "magic", "not an amorph CNN file");
    if (r.u32("version") != 1) detail::cnn_fail(r.file, "version", "unsupported version");
    cnn_model m;
    m.dim = static_cast<int>(r.u32("dim"));
    if (m.dim != 2 && m.dim != 3) detail::cnn_fail(r.file, "dim", "must be 2 or 3");
    m.in_channels = r.u32("in_channels");
    for (auto& s : m.in_shape) s = r.u32("in_shape");
    const std::uint32_t n = r.u32("n_layers");
    if (n > 100000) detail::cnn_fail(r.file, "n_layers", "implausible layer count");
    for (std::uint32_t k = 0; k < n; ++k) {
        cnn_layer l;
        const std::uint32_t kind = r.u32("kind");
        l.kind = static_cast<cnn_layer_kind>(kind);
        const std::string at = "layer " + std::to_string(k);
        switch (l.kind) {
            case cnn_layer_kind::conv: {
                l.out = r.u32("conv.out");
                l.in = r.u32("conv.in");
                l.kernel = r.u32("conv.kernel");
                l.padding = r.u32("conv.padding");
                const std::uint32_t has_bias = r.u32("conv.has_bias");
                if (l.out == 0 || l.in == 0 || l.kernel == 0 || l.kernel > 15 || l.padding >= l.kernel || has_bias > 1)
                    detail::cnn_fail(r.file, at, "bad conv parameters");
                l.weight = r.floats(std::size_t(l.out) * l.in * detail::ipow(l.kernel, m.dim), "conv.weight");
                if (has_bias) l.bias = r.floats(l.out, "conv.bias");
                break;
            }
            case cnn_layer_kind::batch_norm:
                l.out = l.in = r.u32("batch_norm.channels");
                l.eps = r.f32("batch_norm.eps");
                if (l.out == 0 || l.out > (1u << 24) || !(l.eps >= 0)) detail::cnn_fail(r.file, at, "bad batch_norm parameters");
                l.gamma = r.floats(l.out, "batch_norm.gamma");
                l.beta = r.floats(l.out, "batch_norm.beta");
                l.mean = r.floats(l.out, "batch_norm.mean");
                l.var = r.floats(l.out, "batch_norm.var");
                for (float v : l.var)
                    if (!(v + l.eps > 0)) detail::cnn_fail(r.file, at, "batch_norm variance + eps must be positive");
                break;
            case cnn_layer_kind::max_pool:
                l.kernel = r.u32("max_pool.kernel");
                l.stride = r.u32("max_pool.stride");
                if (l.kernel == 0 || l.stride == 0 || l.kernel > 64) detail::cnn_fail(r.file, at, "bad max_pool parameters");
                break;
            case cnn_layer_kind::linear:
                l.out = r.u32("linear.out");
                l.in = r.u32("linear.in");
                if (l.out == 0 || l.in == 0) detail::cnn_fail(r.file, at, "bad linear parameters");
                l.weight = r.floats(std::size_t(l.out) * l.in, "linear.weight");
                l.bias = r.floats(l.out, "linear.bias");
                break;
            case cnn_layer_kind::relu:
            case cnn_layer_kind::flatten:
            case cnn_layer_kind::sigmoid: break;
            default: detail::cnn_fail(r.file, at, "unknown layer kind " + std::to_string(kind));
        }
        m.layers.push_back(std::move(l));
    }
    if (r.in.peek() != std::char_traits<char>::eof()) detail::cnn_fail(r.file, "end", "trailing bytes after the last layer");
    return m;
}

/// Write a network file (format in the header comment).
AMORPH_FUNC void write_cnn(const std::filesystem::path& path, const cnn_model& m) {
    detail::cnn_writer w{std::ofstream(path, std::ios::binary | std::ios::trunc)};
    if (!w.out) throw io_error("cannot open " + path.string() + " for writing");
    w.out.write(cnn_magic, 8);
    w.u32(1);
    w.u32(static_cast<std::uint32_t>(m.dim));
    w.u32(m.in_channels);
    for (auto s : m.in_shape) w.u32(s);
    w.u32(static_cast<std::uint32_t>(m.layers.size()));
    for (const auto& l : m.layers) {
        w.u32(static_cast<std::uint32_t>(l.kind));
        switch (l.kind) {
            case cnn_layer_kind::conv:
                w.u32(l.out), w.u32(l.in), w.u32(l.kernel), w.u32(l.padding), w.u32(l.bias.empty() ? 0 : 1);
                w.floats(l.weight);
                w.floats(l.bias);
                break;
            case cnn_layer_kind::batch_norm:
                w.u32(l.out), w.f32(l.eps);
                w.floats(l.gamma), w.floats(l.beta), w.floats(l.mean), w.floats(l.var);
                break;
            case cnn_layer_kind::max_pool: w.u32(l.kernel), w.u32(l.stride); break;
            case cnn_layer_kind::linear:
                w.u32(l.out), w.u32(l.in);
                w.floats(l.weight), w.floats(l.bias);
                break;
            default: break;
        }
    }
    if (!w.out) throw io_error("cannot write " + path.string());
}

#endif  // AMORPH_DEFINITIONS

}  // namespace amorph::learn
