// amorph/io/detail/lammps_cell.hpp — box conversions shared by the LAMMPS readers/writers.
//
// The conventions themselves (restricted form, tilt limits, dump bounding
// boxes) are core/lammps_cell.hpp; this is the file-format side of them.
//
// Reading: box_from_lammps() builds box<D> from lo/hi bounds and tilts and
// turns a degenerate cell into a parse_error.
//
// Writing: lammps_cell_of(box, reduce_tilt) gives the cell as LAMMPS wants it.
// A cell already in LAMMPS's restricted form (h upper triangular, positive
// diagonal) is written as is, bit for bit. Otherwise (a) with reduce_tilt and
// a tilt beyond LAMMPS's limit (|xy|, |xz| > lx/2 or |yz| > ly/2 on a periodic
// axis) the cell is replaced by with_reduced_tilt() (same lattice; image
// flags map as n' = M n, M = round(h'^-1 h)), and (b) a general cell is rotated
// by R from to_lammps(): x' = o + R (x - o), v' = R v.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/lammps_cell.hpp"
#include "amorph/io/detail/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace amorph::io::detail {

/// box<D> from LAMMPS bounds; a non-finite, zero or negative volume cell is a parse error.
template <int D>
box<D> box_from_lammps(const lammps_box& b, const std::array<bool, 3>& periodic, const std::string& source,
                       std::size_t line, const std::string& field) {
    auto fail = [&](const std::string& m) { throw parse_error(source, line, field, m); };
    if (!(b.xhi > b.xlo)) fail("xhi must be greater than xlo (zero or negative box length)");
    if (!(b.yhi > b.ylo)) fail("yhi must be greater than ylo (zero or negative box length)");
    if (!(b.zhi > b.zlo)) fail("zhi must be greater than zlo (zero or negative box length)");
    typename box<D>::flags_t p{};
    for (int k = 0; k < D; ++k) p[static_cast<std::size_t>(k)] = periodic[static_cast<std::size_t>(k)];
    try {
        return from_lammps<D>(b, p);
    } catch (const invalid_argument& e) {
        fail(std::string("invalid box: ") + e.what());
    }
    return box<D>();
}

/// box<D> from general cell vectors (LAMMPS "avec/bvec/cvec/abc origin").
template <int D>
box<D> box_from_vectors(const std::array<vec<3>, 3>& abc, const vec<3>& origin,
                        const std::array<bool, 3>& periodic, const std::string& source, std::size_t line,
                        const std::string& field) {
    mat<D> h;
    vec<D> o;
    for (int i = 0; i < D; ++i) {
        o(i) = origin(i);
        for (int j = 0; j < D; ++j) h(i, j) = abc[static_cast<std::size_t>(j)](i);
    }
    typename box<D>::flags_t p{};
    for (int k = 0; k < D; ++k) p[static_cast<std::size_t>(k)] = periodic[static_cast<std::size_t>(k)];
    try {
        return box<D>(h, o, p);
    } catch (const invalid_argument& e) {
        throw parse_error(source, line, field, std::string("invalid box: ") + e.what());
    }
}

/// How a box<D> is written in LAMMPS form, and how to map atoms into it.
template <int D>
struct lammps_cell {
    lammps_box bounds;
    bool rotated = false;   ///< positions/velocities must be mapped
    bool reduced = false;   ///< image flags must be mapped
    mat<D> R = mat<D>::Identity();
    vec<D> origin = vec<D>::Zero();
    mat<D> M = mat<D>::Identity();  ///< n' = M n (integer-valued; held in double so any tilt fits)

    vec<D> position(const vec<D>& x) const { return rotated ? vec<D>(origin + R * (x - origin)) : x; }
    vec<D> vector(const vec<D>& v) const { return rotated ? vec<D>(R * v) : v; }
    /// n' = M n in 64-bit integers; an entry of M beyond 2^30 (then M n
    /// could overflow 64 bits) or an image flag beyond int (a tilt reduced by
    /// many cell lengths) cannot be written and is refused.
    ivec<D> image(const ivec<D>& n) const {
        if (!reduced) return n;
        if (!(M.cwiseAbs().maxCoeff() <= 1073741824.0))
            throw unsupported("LAMMPS writer: the tilt-reduced cell maps image flags by more than 2^30 cells");
        const Eigen::Matrix<long long, D, 1> m = M.template cast<long long>() * n.template cast<long long>();
        for (int k = 0; k < D; ++k)
            if (m(k) > std::numeric_limits<int>::max() || m(k) < std::numeric_limits<int>::min())
                throw unsupported("LAMMPS writer: image flag " + std::to_string(m(k)) +
                                  " of the tilt-reduced cell does not fit in an int");
        return m.template cast<int>();
    }
};

template <int D>
lammps_cell<D> lammps_cell_unchecked(const box<D>& b0, bool reduce_tilt) {
    lammps_cell<D> c;
    box<D> b = b0;
    if (reduce_tilt && tilt_too_large<D>(to_lammps(b0).bounds, b0.periodic())) {
        b = with_reduced_tilt(b0);
        const mat<D> m = b.h_inv() * b0.h();
        for (int i = 0; i < D; ++i)
            for (int j = 0; j < D; ++j) c.M(i, j) = std::round(m(i, j));
        c.reduced = true;
    }
    c.origin = b.origin();
    if (is_restricted(b)) {
        const auto& h = b.h();
        const auto& o = b.origin();
        lammps_box& L = c.bounds;
        L.xlo = o(0);
        L.xhi = o(0) + h(0, 0);
        L.ylo = o(1);
        L.yhi = o(1) + h(1, 1);
        L.xy = h(0, 1);
        if constexpr (D == 3) {
            L.zlo = o(2);
            L.zhi = o(2) + h(2, 2);
            L.xz = h(0, 2);
            L.yz = h(1, 2);
        }
        return c;
    }
    const auto lf = to_lammps(b);
    c.bounds = lf.bounds;
    c.R = lf.rotation;
    c.rotated = true;
    return c;
}

/// Throw unsupported unless writing `L` as lo/hi bounds (and, for dumps, as
/// bounding-box bounds) reads back as a cell of positive extent: an origin so
/// large that lo + length rounds to lo cannot be written in LAMMPS form.
inline void check_writable(const lammps_box& L, bool dump_bounds) {
    auto ok = [](const lammps_box& b) {
        const double v[9] = {b.xlo, b.xhi, b.ylo, b.yhi, b.zlo, b.zhi, b.xy, b.xz, b.yz};
        for (double x : v)
            if (!std::isfinite(x)) return false;
        return b.xhi > b.xlo && b.yhi > b.ylo && b.zhi > b.zlo;
    };
    bool good = ok(L);
    if (good && dump_bounds) {
        const auto bb = lammps_to_dump_bounds(L);
        good = ok(dump_bounds_to_lammps(bb, L.xy, L.xz, L.yz));
    }
    if (!good)
        throw unsupported("the cell cannot be written in LAMMPS form (its origin is too large for its size)");
}

/// A finite number to write, else unsupported (e.g. a rotated coordinate that overflowed).
inline double writable(double v, const char* what) {
    if (!std::isfinite(v)) throw unsupported(std::string("cannot write a non-finite ") + what);
    return v;
}

template <int D>
lammps_cell<D> lammps_cell_of(const box<D>& b0, bool reduce_tilt) {
    try {
        return lammps_cell_unchecked(b0, reduce_tilt);
    } catch (const invalid_argument& e) {
        throw unsupported(std::string("the cell cannot be written in LAMMPS form: ") + e.what());
    }
}

}  // namespace amorph::io::detail
