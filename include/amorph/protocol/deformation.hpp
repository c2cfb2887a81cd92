// amorph/protocol/deformation.hpp — homogeneous deformations of a periodic cell.
//
// A homogeneous deformation is an affine map F (the deformation gradient)
// applied to the cell h -> F h about the cell centre and, when remapping, to
// the atoms x -> c + F (x - c) (amorph::system::deform). A loading is a path
// F(s) of the strain parameter s with F(0) = I; a strain step s0 -> s1
// applies the increment F(s1) F(s0)^-1 to the current cell. The loadings:
//
//   simple shear (direction iota, plane normal eta, unit and orthogonal):
//       F(g) = I + g iota eta^T            x -> x + g (eta . x) iota
//     (iota = x, eta = y is LAMMPS's `change_box all xy delta (g ly) remap`:
//     the increment is exactly I + dg iota eta^T, so h_xy grows by dg h_yy
//     with the same floating-point operation as LAMMPS's xy + dg ly);
//   pure shear (stretch axis a, compressed axis b, unit and orthogonal):
//       F(e) = I + e a a^T + (1/(1+e) - 1) b b^T     (area/volume preserving;
//     "+" in 2D is a = x, b = y, "-" is a = y, b = x, thesis section 5.7.2);
//   uniaxial tension along a (unit):
//       F(e) = I + e a a^T
//     with the lateral sizes fixed ("plane strain", alumina loading 2) or the
//     lateral normal stresses relaxed to zero after every step ("plane
//     stress": in minimization by box relaxation of the lateral axes only,
//     dynamics::relax_box with box_relax_options::axes; in MD a barostat on
//     the lateral axes). Plane stress needs a Cartesian axis a and is meant
//     for orthogonal cells.
//
// Because the cell is a general h-matrix, any loading direction is applied to
// the sample as it is: the 24 orientations of the thesis' Table 5.1 (3D Cu-Zr,
// simple shear along iota on the plane with normal eta) need no rotation and
// no replication of atoms. orientation(K) returns them (K = 1..24). Two rows of
// the table as printed are corrected: #8 reads iota = [-1 1 0] with eta =
// [-1 1 0] (parallel, not a shear); every other pair of rows is (iota, -iota)
// with the same eta, so #8 is iota = [-1 -1 0]; #23 repeats #21, and with #24
// = [0 1 -1] the pattern of #17/#18 gives #23 = [0 -1 1].
//
// The neighbor list of dynamics::force_field stays valid under any of these
// steps: it stores lattice offsets and checks the deformation-aware rebuild
// criterion of neighbor::verlet_list at the next force evaluation.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/vec.hpp"

#include <array>
#include <cmath>
#include <string>

namespace amorph::protocol {

enum class loading {
    simple_shear,
    pure_shear,
    tension_plane_strain,  ///< lateral sizes fixed
    tension_plane_stress,  ///< lateral normal stresses relaxed to zero
};

inline const char* to_string(loading l) noexcept {
    switch (l) {
        case loading::simple_shear: return "shear";
        case loading::pure_shear: return "pure-shear";
        case loading::tension_plane_strain: return "tension-strain";
        case loading::tension_plane_stress: return "tension-stress";
    }
    return "?";
}

/// A homogeneous loading path F(s).
template <int D>
    requires supported_dimension<D>
struct deformation {
    loading mode = loading::simple_shear;
    vec<D> direction = vec<D>::UnitX();  ///< iota (shear), a (pure shear stretch, tension axis)
    vec<D> normal = vec<D>::UnitY();     ///< eta (shear plane normal), b (pure shear compression)

    /// The total deformation gradient at strain s (relative to s = 0).
    mat<D> gradient(double s) const {
        mat<D> F = mat<D>::Identity();
        switch (mode) {
            case loading::simple_shear: F += s * direction * normal.transpose(); break;
            case loading::pure_shear:
                F += s * direction * direction.transpose() + (1.0 / (1.0 + s) - 1.0) * normal * normal.transpose();
                break;
            case loading::tension_plane_strain:
            case loading::tension_plane_stress: F += s * direction * direction.transpose(); break;
        }
        return F;
    }

    /// The increment F(s0 + ds) F(s0)^-1 (exactly I + ds iota eta^T for simple shear).
    mat<D> increment(double s0, double ds) const {
        if (mode == loading::simple_shear) return gradient(ds);
        return gradient(s0 + ds) * gradient(s0).inverse();
    }

    /// Whether the lateral stresses are relaxed after each step.
    bool lateral_relaxation() const noexcept { return mode == loading::tension_plane_stress; }

    /// Axes barostatted by the lateral relaxation (all but the tension axis).
    std::array<bool, 3> lateral_axes() const {
        std::array<bool, 3> m{false, false, false};
        for (int k = 0; k < D; ++k) m[static_cast<std::size_t>(k)] = std::abs(direction(k)) < 0.5;
        return m;
    }

    /// The loading in a rotated frame: the same physical loading of a sample
    /// rotated by R (x -> R x) is rotated(R).
    deformation rotated(const mat<D>& R) const { return {mode, R * direction, R * normal}; }
};

namespace detail {
template <int D>
vec<D> unit(const vec<D>& v, const char* what) {
    const double n = v.norm();
    if (!(n > 0.0) || !std::isfinite(n)) throw invalid_argument(std::string("deformation: ") + what + " must be a non-zero vector");
    return v / n;
}
template <int D>
void check_orthogonal(const vec<D>& a, const vec<D>& b, const char* what) {
    if (std::abs(a.dot(b)) > 1e-12)
        throw invalid_argument(std::string("deformation: ") + what + " must be orthogonal");
}
}  // namespace detail

/// Simple shear along `direction` (iota) on the plane with normal `normal` (eta); both are normalized.
template <int D>
deformation<D> simple_shear(const vec<D>& direction, const vec<D>& normal) {
    deformation<D> d{loading::simple_shear, detail::unit<D>(direction, "shear direction"),
                     detail::unit<D>(normal, "shear plane normal")};
    detail::check_orthogonal<D>(d.direction, d.normal, "the shear direction and the plane normal");
    return d;
}

/// +-xy simple shear (sign +1: x grows with y, LAMMPS's xy > 0).
template <int D>
deformation<D> simple_shear_xy(int sign = 1) {
    return simple_shear<D>(sign >= 0 ? vec<D>(vec<D>::UnitX()) : vec<D>(-vec<D>::UnitX()), vec<D>::UnitY());
}

/// Pure shear: stretch along `stretch`, compress along `compress` (area/volume preserving).
template <int D>
deformation<D> pure_shear(const vec<D>& stretch, const vec<D>& compress) {
    deformation<D> d{loading::pure_shear, detail::unit<D>(stretch, "stretch axis"),
                     detail::unit<D>(compress, "compression axis")};
    detail::check_orthogonal<D>(d.direction, d.normal, "the pure-shear axes");
    return d;
}

/// +-pure shear in the xy plane (+: stretch x, compress y; -: the reverse).
template <int D>
deformation<D> pure_shear_xy(int sign = 1) {
    return sign >= 0 ? pure_shear<D>(vec<D>::UnitX(), vec<D>::UnitY()) : pure_shear<D>(vec<D>::UnitY(), vec<D>::UnitX());
}

/// Uniaxial tension along Cartesian axis `axis`; `relax_lateral`: plane stress, else plane strain.
template <int D>
deformation<D> tension(int axis, bool relax_lateral) {
    if (axis < 0 || axis >= D) throw invalid_argument("deformation: tension axis out of range");
    deformation<D> d;
    d.mode = relax_lateral ? loading::tension_plane_stress : loading::tension_plane_strain;
    d.direction = vec<D>::Unit(axis);
    d.normal = vec<D>::Unit((axis + 1) % D);
    return d;
}

/// Loading orientation K = 1..24 of the thesis' Table 5.1 (simple shear, 3D;
/// rows #8 and #23 corrected, see the header).
inline deformation<3> orientation(int K) {
    struct row {
        int i[3], e[3];
    };
    static constexpr row t[24] = {
        {{1, 0, 0}, {0, 1, 0}},    {{-1, 0, 0}, {0, 1, 0}},   {{1, 0, 0}, {0, 0, 1}},    {{-1, 0, 0}, {0, 0, 1}},
        {{0, 1, 0}, {0, 0, 1}},    {{0, -1, 0}, {0, 0, 1}},   {{1, 1, 0}, {-1, 1, 0}},   {{-1, -1, 0}, {-1, 1, 0}},
        {{1, 1, 0}, {0, 0, 1}},    {{-1, -1, 0}, {0, 0, 1}},  {{-1, 1, 0}, {0, 0, 1}},   {{1, -1, 0}, {0, 0, 1}},
        {{1, 0, 1}, {-1, 0, 1}},   {{-1, 0, -1}, {-1, 0, 1}}, {{1, 0, 1}, {0, 1, 0}},    {{-1, 0, -1}, {0, 1, 0}},
        {{-1, 0, 1}, {0, 1, 0}},   {{1, 0, -1}, {0, 1, 0}},   {{0, 1, 1}, {0, -1, 1}},   {{0, -1, -1}, {0, -1, 1}},
        {{0, 1, 1}, {1, 0, 0}},    {{0, -1, -1}, {1, 0, 0}},  {{0, -1, 1}, {1, 0, 0}},   {{0, 1, -1}, {1, 0, 0}},
    };
    if (K < 1 || K > 24) throw invalid_argument("orientation: K must be in 1..24 (thesis Table 5.1), got " + std::to_string(K));
    const row& r = t[K - 1];
    return simple_shear<3>(vec<3>(r.i[0], r.i[1], r.i[2]), vec<3>(r.e[0], r.e[1], r.e[2]));
}

/// Apply the strain step s0 -> s0 + ds of `def` to the cell and, with
/// `remap`, to the atoms. (Pass the step ds itself, not a difference of two
/// strains, to reproduce LAMMPS's `xy delta` arithmetic exactly.)
template <int D>
void apply_strain(amorph::system<D>& sys, const deformation<D>& def, double s0, double ds, bool remap = true) {
    sys.deform(def.increment(s0, ds), remap);
}

/// Rotate a whole sample (cell and atoms) by the proper rotation R about the origin.
template <int D>
void rotate(amorph::system<D>& sys, const mat<D>& R) {
    if (!((R.transpose() * R - mat<D>::Identity()).cwiseAbs().maxCoeff() < 1e-12) || !(R.determinant() > 0))
        throw invalid_argument("rotate: not a proper rotation");
    sys.positions = R * sys.positions;
    if (sys.has_velocities()) sys.velocities = R * sys.velocities;
    if (sys.has_forces()) sys.forces = R * sys.forces;
    sys.box = amorph::box<D>(R * sys.box.h(), R * sys.box.origin(), sys.box.periodic());
}

}  // namespace amorph::protocol
