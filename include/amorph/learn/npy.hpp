// amorph/learn/npy.hpp — NumPy .npy files for feature matrices, labels and
// per-atom results, so they load directly with numpy.load / torch.
//
// Format (NumPy NEP 1, versions 1.0, 2.0 and 3.0): the magic "\x93NUMPY", a
// major and minor version byte, the header length (uint16 little-endian for
// 1.0, uint32 for 2.0/3.0), and an ASCII (3.0: UTF-8) Python dict literal
//     {'descr': '<f8', 'fortran_order': False, 'shape': (n, d), }
// padded with spaces and a final '\n' so that the data starts at a multiple
// of 64 bytes; then the raw array in C (row-major) or Fortran order.
//
// Writing: version 1.0 (2.0 when the header does not fit 65535 bytes),
// C order, little-endian: doubles as '<f8', int32 as '<i4', int64 as '<i8'.
// Reading: any of the three versions; dtypes f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1
// in either byte order ('<', '>', '|', '='; '=' is taken as little-endian);
// C or Fortran order (returned in C order); every value converted to double.
// Integers beyond 2^53 in magnitude are not exactly representable and are
// rejected when read as labels. Malformed files throw
// amorph::parse_error(file, 0, field, message).
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace amorph::learn {

/// An array read from a .npy file, values in C (row-major) order.
struct npy_array {
    std::vector<std::size_t> shape;
    std::vector<double> values;
    std::string dtype;  ///< as in the file, e.g. "<f8"

    std::size_t size() const noexcept { return values.size(); }

    /// A 2-D array as a row-major matrix (a 1-D array becomes one column).
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> matrix() const {
        if (shape.size() > 2 || shape.empty())
            throw invalid_argument("npy: expected a 1-D or 2-D array, the file holds " + std::to_string(shape.size()) +
                                   " dimensions");
        const auto rows = static_cast<Eigen::Index>(shape[0]);
        const auto cols = static_cast<Eigen::Index>(shape.size() == 2 ? shape[1] : 1);
        return Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(values.data(), rows,
                                                                                                           cols);
    }
    /// A 1-D array (or an n x 1 / 1 x n one) as a vector.
    std::vector<double> vector() const {
        std::size_t big = 0;
        for (std::size_t s : shape)
            if (s != 1) ++big;
        if (big > 1) throw invalid_argument("npy: expected a 1-D array");
        return values;
    }
    /// Integer labels (every value must be an integer).
    std::vector<int> labels() const {
        std::vector<int> out;
        out.reserve(values.size());
        for (double v : vector()) {
            if (v != std::floor(v) || std::abs(v) > 2147483647.0)
                throw invalid_argument("npy: label " + std::to_string(v) + " is not a 32-bit integer");
            out.push_back(static_cast<int>(v));
        }
        return out;
    }
};

namespace detail {

inline std::string npy_header(const std::string& descr, const std::vector<std::size_t>& shape) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (";
    for (std::size_t k = 0; k < shape.size(); ++k) {
        dict += std::to_string(shape[k]);
        if (k + 1 < shape.size() || shape.size() == 1) dict += ",";
        if (k + 1 < shape.size()) dict += " ";
    }
    dict += "), }";
    const bool v2 = dict.size() + 11 + 10 > 65535;
    const std::size_t pre = v2 ? 12 : 10;
    std::size_t total = pre + dict.size() + 1;
    const std::size_t pad = (64 - total % 64) % 64;
    dict.append(pad, ' ');
    dict += '\n';
    std::string out = "\x93NUMPY";
    out += static_cast<char>(v2 ? 2 : 1);
    out += static_cast<char>(0);
    const std::size_t len = dict.size();
    for (int b = 0; b < (v2 ? 4 : 2); ++b) out += static_cast<char>((len >> (8 * b)) & 0xFF);
    return out + dict;
}

template <class T>
void write_npy_raw(const std::filesystem::path& path, const char* descr, const T* data,
                   const std::vector<std::size_t>& shape) {
    static_assert(std::endian::native == std::endian::little, "amorph's .npy writer assumes a little-endian host");
    std::size_t n = 1;
    for (std::size_t s : shape) n *= s;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw io_error("cannot open " + path.string() + " for writing");
    const std::string h = npy_header(descr, shape);
    out.write(h.data(), static_cast<std::streamsize>(h.size()));
    if (n) out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n * sizeof(T)));
    if (!out) throw io_error("cannot write " + path.string());
}

}  // namespace detail

/// Write a row-major matrix as a 2-D '<f8' array.
inline void write_npy(const std::filesystem::path& path,
                      const Eigen::Ref<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>& X) {
    if (X.outerStride() == X.cols()) {
        detail::write_npy_raw(path, "<f8", X.data(), {static_cast<std::size_t>(X.rows()), static_cast<std::size_t>(X.cols())});
        return;
    }
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> copy = X;
    detail::write_npy_raw(path, "<f8", copy.data(), {static_cast<std::size_t>(X.rows()), static_cast<std::size_t>(X.cols())});
}
/// Write a 1-D '<f8' array.
inline void write_npy(const std::filesystem::path& path, const std::vector<double>& v) {
    detail::write_npy_raw(path, "<f8", v.data(), {v.size()});
}
/// Write a 1-D '<i4' array (labels).
inline void write_npy(const std::filesystem::path& path, const std::vector<int>& v) {
    static_assert(sizeof(int) == 4);
    detail::write_npy_raw(path, "<i4", v.data(), {v.size()});
}
/// Write a 1-D '<i8' array (atom ids).
inline void write_npy(const std::filesystem::path& path, const std::vector<std::int64_t>& v) {
    detail::write_npy_raw(path, "<i8", v.data(), {v.size()});
}

/// Read a .npy file (see the header comment for what is accepted).
AMORPH_FUNC npy_array read_npy(const std::filesystem::path& path);

// The definition: here when header-only, in amorph::compiled otherwise (core/compiled.hpp).
#if AMORPH_DEFINITIONS
AMORPH_FUNC npy_array read_npy(const std::filesystem::path& path) {
    const std::string src = path.string();
    auto fail = [&](const std::string& field, const std::string& msg) -> void {
        throw parse_error(src, 0, field, msg);
    };
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error("cannot open " + src);
    char pre[8];
    in.read(pre, 8);
    if (!in || std::string_view(pre, 6) != std::string_view("\x93NUMPY", 6)) fail("magic", "not a .npy file");
    const int major = static_cast<unsigned char>(pre[6]);
    if (major < 1 || major > 3) fail("version", "unsupported .npy version " + std::to_string(major));
    unsigned char lb[4] = {0, 0, 0, 0};
    in.read(reinterpret_cast<char*>(lb), major == 1 ? 2 : 4);
    if (!in) fail("header", "truncated header length");
    std::size_t hlen = lb[0] | (static_cast<std::size_t>(lb[1]) << 8);
    if (major > 1) hlen |= (static_cast<std::size_t>(lb[2]) << 16) | (static_cast<std::size_t>(lb[3]) << 24);
    if (hlen > (std::size_t{1} << 24)) fail("header", "header longer than 16 MiB");
    std::string h(hlen, '\0');
    in.read(h.data(), static_cast<std::streamsize>(hlen));
    if (!in) fail("header", "truncated header");

    // the dict literal: find each key and parse its value
    auto value_of = [&](const std::string& key) -> std::string_view {
        for (const char q : {'\'', '"'}) {
            const std::string k = std::string(1, q) + key + q;
            const auto p = h.find(k);
            if (p == std::string::npos) continue;
            auto c = h.find(':', p + k.size());
            if (c == std::string::npos) break;
            ++c;
            while (c < h.size() && h[c] == ' ') ++c;
            return std::string_view(h).substr(c);
        }
        fail(key, "missing from the header");
        return {};
    };
    npy_array a;
    {
        const auto v = value_of("descr");
        if (v.empty() || (v[0] != '\'' && v[0] != '"')) fail("descr", "expected a string");
        const auto e = v.find(v[0], 1);
        if (e == std::string_view::npos) fail("descr", "unterminated string");
        a.dtype = std::string(v.substr(1, e - 1));
    }
    bool fortran = false;
    {
        const auto v = value_of("fortran_order");
        if (v.substr(0, 4) == "True") fortran = true;
        else if (v.substr(0, 5) != "False") fail("fortran_order", "expected True or False");
    }
    {
        const auto v = value_of("shape");
        if (v.empty() || v[0] != '(') fail("shape", "expected a tuple");
        const auto e = v.find(')');
        if (e == std::string_view::npos) fail("shape", "unterminated tuple");
        std::string_view t = v.substr(1, e - 1);
        std::size_t p = 0;
        while (p < t.size()) {
            while (p < t.size() && (t[p] == ' ' || t[p] == ',')) ++p;
            if (p >= t.size()) break;
            std::size_t q = p;
            while (q < t.size() && t[q] >= '0' && t[q] <= '9') ++q;
            if (q == p) fail("shape", "expected non-negative integers");
            if (q - p > 15) fail("shape", "dimension too large");
            a.shape.push_back(static_cast<std::size_t>(std::stoull(std::string(t.substr(p, q - p)))));
            p = q;
        }
    }
    if (a.dtype.size() < 3) fail("descr", "unsupported dtype '" + a.dtype + "'");
    const char order = a.dtype[0], kind = a.dtype[1];
    if (order != '<' && order != '>' && order != '|' && order != '=') fail("descr", "unsupported byte order in '" + a.dtype + "'");
    const std::string width = a.dtype.substr(2);
    if (width != "1" && width != "2" && width != "4" && width != "8") fail("descr", "unsupported dtype '" + a.dtype + "'");
    const std::size_t w = static_cast<std::size_t>(width[0] - '0');
    if (!((kind == 'f' && (w == 4 || w == 8)) || kind == 'i' || kind == 'u' || (kind == 'b' && w == 1)))
        fail("descr", "unsupported dtype '" + a.dtype + "' (float, integer or bool expected)");
    const bool swap = order == '>' && w > 1;

    std::size_t n = 1;
    for (std::size_t s : a.shape) {
        if (s != 0 && n > (std::size_t{1} << 40) / s) fail("shape", "array too large");
        n *= s;
    }
    // size check against the file before allocating
    const auto here = in.tellg();
    in.seekg(0, std::ios::end);
    const auto end = in.tellg();
    in.seekg(here);
    if (here < 0 || end < here || static_cast<std::size_t>(end - here) < n * w)
        fail("data", "file holds fewer bytes than the shape " + std::to_string(n) + " x " + std::to_string(w) + " needs");
    std::vector<unsigned char> raw(n * w);
    if (n) in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
    if (!in) fail("data", "truncated data");
    a.values.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char b[8];
        std::memcpy(b, raw.data() + i * w, w);
        if (swap) std::reverse(b, b + w);
        double v = 0;
        switch (kind) {
            case 'f':
                if (w == 8) {
                    double d;
                    std::memcpy(&d, b, 8);
                    v = d;
                } else {
                    float f;
                    std::memcpy(&f, b, 4);
                    v = f;
                }
                break;
            case 'b': v = b[0] ? 1.0 : 0.0; break;
            case 'u': {
                std::uint64_t u = 0;
                for (std::size_t k = 0; k < w; ++k) u |= static_cast<std::uint64_t>(b[k]) << (8 * k);
                v = static_cast<double>(u);
                break;
            }
            default: {  // 'i'
                std::uint64_t u = 0;
                for (std::size_t k = 0; k < w; ++k) u |= static_cast<std::uint64_t>(b[k]) << (8 * k);
                if (w < 8 && (u >> (8 * w - 1)) & 1) u |= ~std::uint64_t{0} << (8 * w);  // sign-extend
                v = static_cast<double>(static_cast<std::int64_t>(u));
            }
        }
        a.values[i] = v;
    }
    if (fortran && a.shape.size() > 1) {  // to C order
        std::vector<double> c(n);
        const std::size_t nd = a.shape.size();
        std::vector<std::size_t> idx(nd, 0);
        for (std::size_t f = 0; f < n; ++f) {
            // f enumerates Fortran order: first index fastest
            std::size_t ci = 0;
            for (std::size_t k = 0; k < nd; ++k) ci = ci * a.shape[k] + idx[k];
            c[ci] = a.values[f];
            for (std::size_t k = 0; k < nd; ++k) {
                if (++idx[k] < a.shape[k]) break;
                idx[k] = 0;
            }
        }
        a.values.swap(c);
    }
    return a;
}

#endif  // AMORPH_DEFINITIONS

}  // namespace amorph::learn
