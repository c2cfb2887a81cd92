// amorph/core/lammps_cell.hpp — LAMMPS's conventions for the simulation cell,
// in one place: the restricted triclinic form, its tilt limits, the bounding
// box of dump headers, and the fractional-coordinate arithmetic of LAMMPS's
// Domain (x2lamda / lamda2x) that fix deform, fix npt and change_box use.
//
// Restricted form. LAMMPS stores a cell as lo/hi bounds and tilts (xy, xz, yz):
// a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz), origin (xlo, ylo, zlo).
//   from_lammps(b): that cell as box<D> (2D: the x-y part).
//   to_lammps(box): the bounds of any general cell and the rotation R that
//     takes a position into LAMMPS's frame, x' = o + R (x - o); the rows of R
//     are the orthonormal frame a^, (a^ x b^) x a^, a^ x b^:
//         lx = |a|, xy = b.a^, ly = |a^ x b|, xz = c.a^, yz = (b.c - xy xz)/ly,
//         lz = sqrt(|c|^2 - xz^2 - yz^2).
//   tilt_too_large(L, periodic): a tilt beyond LAMMPS's limit on a periodic
//     axis, |xy| > lx/2, |xz| > lx/2 or |yz| > ly/2 (LAMMPS refuses such a cell
//     in a data file, and flips it in fix deform).
//   with_reduced_tilt(box): the same periodic lattice with tilts inside those
//     limits (flips by whole cell vectors along periodic axes only).
// Dump headers. Triclinic dumps give the bounding box of the cell
// (LAMMPS `dump` doc):
//     xlo_bound = xlo + min(0, xy, xz, xy + xz), xhi_bound = xhi + max(0, xy, xz, xy + xz),
//     ylo_bound = ylo + min(0, yz),              yhi_bound = yhi + max(0, yz);
//   lammps_to_dump_bounds() applies it, dump_bounds_to_lammps() undoes it.
// Fractional coordinates. For an upper-triangular h (restricted form),
//   lammps_h_inv(h) is Domain::set_global_box's h_inv (closed form, not a
//   general inverse), and lammps_remap(x, h_inv, lo, h', lo') maps positions
//   through lamda = h_inv (x - lo) (x2lamda, old cell) and x = h' lamda + lo'
//   (lamda2x, new cell) with LAMMPS's operation order, so a deformed or
//   barostatted cell moves its atoms bit for bit as LAMMPS does.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/vec.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace amorph {

/// A cell in LAMMPS's representation (always 3D; z terms unused in 2D).
struct lammps_box {
    double xlo = 0, xhi = 0, ylo = 0, yhi = 0, zlo = -0.5, zhi = 0.5;
    double xy = 0, xz = 0, yz = 0;

    bool triclinic() const noexcept { return xy != 0.0 || xz != 0.0 || yz != 0.0; }
};

/// The cell of LAMMPS's lo/hi bounds and tilt factors.
template <int D>
    requires supported_dimension<D>
box<D> from_lammps(const lammps_box& b, typename box<D>::flags_t periodic = box<D>::all_periodic()) {
    mat<D> h = mat<D>::Zero();
    vec<D> o;
    h(0, 0) = b.xhi - b.xlo;
    h(1, 1) = b.yhi - b.ylo;
    h(0, 1) = b.xy;
    o(0) = b.xlo;
    o(1) = b.ylo;
    if constexpr (D == 3) {
        h(2, 2) = b.zhi - b.zlo;
        h(0, 2) = b.xz;
        h(1, 2) = b.yz;
        o(2) = b.zlo;
    }
    return box<D>(h, o, periodic);
}

/// The LAMMPS representation of a cell and the rotation R that takes a
/// position from the cell's frame to LAMMPS's (x_lammps = o + R (x - o)).
/// The LAMMPS origin equals the cell's origin.
template <int D>
struct lammps_form {
    lammps_box bounds;
    mat<D> rotation;
};

template <int D>
lammps_form<D> to_lammps(const box<D>& cell) {
    lammps_form<D> out;
    const mat<D>& h = cell.h();
    const vec<D>& origin = cell.origin();
    const vec<D> a = h.col(0), b = h.col(1);
    const vec<D> ah = a / a.norm();
    lammps_box& L = out.bounds;
    L.xlo = origin(0);
    L.ylo = origin(1);
    const double lx = a.norm();
    const double xy = b.dot(ah);
    if constexpr (D == 2) {
        const vec<D> e2(-ah(1), ah(0));
        const double ly = b.dot(e2);
        L.xhi = L.xlo + lx;
        L.yhi = L.ylo + ly;
        L.xy = xy;
        out.rotation.row(0) = ah.transpose();
        out.rotation.row(1) = e2.transpose();
    } else {
        const vec<D> c = h.col(2);
        const vec<D> e3 = ah.cross(b).normalized();
        const vec<D> e2 = e3.cross(ah);
        const double ly = b.dot(e2);
        const double xz = c.dot(ah);
        const double yz = c.dot(e2);
        const double lz = c.dot(e3);
        L.zlo = origin(2);
        L.xhi = L.xlo + lx;
        L.yhi = L.ylo + ly;
        L.zhi = L.zlo + lz;
        L.xy = xy;
        L.xz = xz;
        L.yz = yz;
        out.rotation.row(0) = ah.transpose();
        out.rotation.row(1) = e2.transpose();
        out.rotation.row(2) = e3.transpose();
    }
    return out;
}

/// h is upper triangular with a positive diagonal: the cell is already in
/// LAMMPS's restricted form (no rotation needed).
template <int D>
bool is_restricted(const box<D>& b) {
    const auto& h = b.h();
    for (int r = 1; r < D; ++r)
        for (int c = 0; c < r; ++c)
            if (h(r, c) != 0.0) return false;
    return true;
}

/// A tilt beyond LAMMPS's limit along a periodic axis (see the header).
template <int D>
bool tilt_too_large(const lammps_box& L, const typename box<D>::flags_t& p) {
    const double lx = L.xhi - L.xlo, ly = L.yhi - L.ylo;
    if (p[0] && std::abs(L.xy) > 0.5 * lx) return true;
    if constexpr (D == 3) {
        if (p[0] && std::abs(L.xz) > 0.5 * lx) return true;
        if (p[1] && std::abs(L.yz) > 0.5 * ly) return true;
    }
    return false;
}

/// An equivalent cell (same periodic lattice, same origin) whose LAMMPS
/// tilts satisfy |xy| <= lx/2, |xz| <= lx/2, |yz| <= ly/2, as LAMMPS
/// requires. Only periodic axes are used to flip. Positions stay valid
/// but may need wrap() to lie in the new primary cell.
template <int D>
box<D> with_reduced_tilt(const box<D>& cell) {
    mat<D> h = cell.h();
    auto flip = [&](int target, int by) {
        if (!cell.periodic(by)) return;
        // Component of column `target` along the orthonormal frame axis `by`
        // measured in units of column `by`'s extent along that axis.
        const mat<D> R = to_lammps(box<D>(h, cell.origin(), cell.periodic())).rotation;
        const vec<D> t = R * h.col(target);
        const vec<D> u = R * h.col(by);
        const double m = std::round(t(by) / u(by));
        if (m != 0.0) h.col(target) -= m * h.col(by);
    };
    if constexpr (D == 3) {
        flip(2, 1);  // yz
        flip(2, 0);  // xz
    }
    flip(1, 0);  // xy
    return box<D>(h, cell.origin(), cell.periodic());
}

/// Bounds and tilts from a triclinic dump header's bounding box.
inline lammps_box dump_bounds_to_lammps(const std::array<double, 6>& bounds, double xy, double xz, double yz) {
    lammps_box b;
    b.xy = xy;
    b.xz = xz;
    b.yz = yz;
    b.xlo = bounds[0] - std::min({0.0, xy, xz, xy + xz});
    b.xhi = bounds[1] - std::max({0.0, xy, xz, xy + xz});
    b.ylo = bounds[2] - std::min(0.0, yz);
    b.yhi = bounds[3] - std::max(0.0, yz);
    b.zlo = bounds[4];
    b.zhi = bounds[5];
    return b;
}

/// The bounding box a triclinic dump header gives for `b`.
inline std::array<double, 6> lammps_to_dump_bounds(const lammps_box& b) {
    return {b.xlo + std::min({0.0, b.xy, b.xz, b.xy + b.xz}), b.xhi + std::max({0.0, b.xy, b.xz, b.xy + b.xz}),
            b.ylo + std::min(0.0, b.yz), b.yhi + std::max(0.0, b.yz), b.zlo, b.zhi};
}

/// LAMMPS's h_inv of an upper-triangular h (Domain::set_global_box).
template <int D>
mat<D> lammps_h_inv(const mat<D>& h) {
    mat<D> hi = mat<D>::Zero();
    for (int a = 0; a < D; ++a) hi(a, a) = 1.0 / h(a, a);
    if constexpr (D == 2) {
        hi(0, 1) = -h(0, 1) / (h(0, 0) * h(1, 1));
    } else {
        hi(1, 2) = -h(1, 2) / (h(1, 1) * h(2, 2));
        hi(0, 2) = (h(1, 2) * h(0, 1) - h(1, 1) * h(0, 2)) / (h(0, 0) * h(1, 1) * h(2, 2));
        hi(0, 1) = -h(0, 1) / (h(0, 0) * h(1, 1));
    }
    return hi;
}

/// Domain::x2lamda with `hinv` and `lo` (the old cell), then lamda2x with
/// `h` and `lo_new` (the new cell), for every column of x.
template <int D>
void lammps_remap(coords<D>& x, const mat<D>& hinv, const vec<D>& lo, const mat<D>& h, const vec<D>& lo_new) {
    for (Eigen::Index n = 0; n < x.cols(); ++n) {
        const vec<D> d = x.col(n) - lo;
        vec<D> lam;
        for (int r = 0; r < D; ++r) {
            double acc = hinv(r, r) * d(r);
            for (int c = r + 1; c < D; ++c) acc += hinv(r, c) * d(c);
            lam(r) = acc;
        }
        for (int r = 0; r < D; ++r) {
            double acc = h(r, r) * lam(r);
            for (int c = r + 1; c < D; ++c) acc += h(r, c) * lam(c);
            x(r, n) = acc + lo_new(r);
        }
    }
}

}  // namespace amorph
