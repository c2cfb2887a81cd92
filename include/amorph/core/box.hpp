// amorph/core/box.hpp — a general periodic cell in D dimensions.
//
// The cell is the h-matrix whose columns are the D cell vectors a_k, plus an
// origin o and a periodic flag per axis. A point x has fractional coordinates
//     s = h^{-1} (x - o),     x = o + h s,
// and lies in the primary cell when 0 <= s_k < 1. Any tilt is allowed (the
// cell need not be LAMMPS's restricted triclinic form); the cell must be
// right-handed (det h > 0).
//
// Minimum image. For a displacement d the minimum image is the shortest
// d + sum_k n_k a_k over integers n_k on the periodic axes. "Round the
// fractional coordinate" is not enough for strongly tilted cells, so amorph
// (1) reduces the periodic lattice basis once per box (pairwise Lagrange
// reduction; any unimodular change of basis leaves the lattice unchanged),
// (2) rounds in the reduced basis to get a candidate d0, and (3) accepts d0 if
// |d0| <= w_min / 2, where w_min is the smallest perpendicular width of the
// reduced cell (every non-zero lattice vector is at least w_min long), or
// otherwise searches every lattice offset that could be shorter: an offset
// n with |d0 + B n| < |d0| has |B n| < 2 |d0| and hence |n_k| <= 2 |d0| |(B^{-1})_k|,
// with (B^{-1})_k the k-th row of the inverse reduced basis. The result is the
// exact minimum image for every cell.
//
// LAMMPS's restricted form of a cell and every conversion to and from it:
// core/lammps_cell.hpp.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/vec.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace amorph {

template <int D>
    requires supported_dimension<D>
class box {
public:
    using vec_t = vec<D>;
    using mat_t = mat<D>;
    using flags_t = std::array<bool, D>;

    /// Unit cube/square at the origin, periodic along every axis.
    box() : box(mat_t::Identity()) {}

    /// A cell from its h-matrix (columns = cell vectors), origin and periodic flags.
    explicit box(const mat_t& h, const vec_t& origin = vec_t::Zero(), flags_t periodic = all_periodic())
        : h_(h), origin_(origin), periodic_(periodic) {
        if (!h_.allFinite() || !origin_.allFinite())
            throw invalid_argument("box: cell vectors and origin must be finite");
        const double det = h_.determinant();
        const double scale = h_.colwise().norm().prod();
        if (!(det > 1e-12 * scale) || !(scale > 0))
            throw invalid_argument(det < 0 ? "box: cell vectors must be right-handed (det h > 0)"
                                           : "box: cell has zero volume");
        h_inv_ = h_.inverse();
        reduce_periodic_lattice();
    }

    /// An axis-aligned box from `lo` to `hi`.
    static box orthogonal(const vec_t& lo, const vec_t& hi, flags_t periodic = all_periodic()) {
        return box(mat_t((hi - lo).asDiagonal()), lo, periodic);
    }

    static constexpr flags_t all_periodic() {
        flags_t f{};
        f.fill(true);
        return f;
    }

    const mat_t& h() const noexcept { return h_; }
    const mat_t& h_inv() const noexcept { return h_inv_; }
    const vec_t& origin() const noexcept { return origin_; }
    const flags_t& periodic() const noexcept { return periodic_; }
    bool periodic(int k) const { return periodic_.at(static_cast<std::size_t>(k)); }
    auto cell_vector(int k) const { return h_.col(k); }

    /// Volume (area in 2D).
    double volume() const { return h_.determinant(); }

    /// Distance between the two faces of the cell crossed by axis k (the
    /// perpendicular width; equals the edge length for an orthogonal box).
    double width(int k) const { return 1.0 / h_inv_.row(k).norm(); }

    bool is_orthogonal() const {
        for (int i = 0; i < D; ++i)
            for (int j = 0; j < D; ++j)
                if (i != j && h_(i, j) != 0.0) return false;
        return true;
    }

    vec_t to_fractional(const vec_t& x) const { return h_inv_ * (x - origin_); }
    vec_t to_cartesian(const vec_t& s) const { return origin_ + h_ * s; }

    /// Map x into the primary cell along periodic axes; `image` receives the
    /// integer number of cell vectors removed (x = wrapped + h * image).
    vec_t wrap(const vec_t& x, ivec<D>* image = nullptr) const {
        vec_t s = to_fractional(x);
        ivec<D> n = ivec<D>::Zero();
        for (int k = 0; k < D; ++k) {
            if (!periodic_[static_cast<std::size_t>(k)]) continue;
            const double f = std::floor(s(k));
            s(k) -= f;
            n(k) = static_cast<int>(f);
            if (s(k) >= 1.0) {  // -tiny - floor(-tiny) rounds to 1.0
                s(k) = 0.0;
                n(k) += 1;
            }
        }
        if (image) *image = n;
        return to_cartesian(s);
    }

    /// The shortest periodic image of displacement d (exact for any tilt).
    vec_t minimum_image(const vec_t& d) const {
        vec_t s = reduced_inv_ * d;
        vec_t d0 = d;
        for (int k = 0; k < D; ++k)
            if (periodic_[static_cast<std::size_t>(k)]) d0 -= std::round(s(k)) * reduced_.col(k);
        const double r2 = d0.squaredNorm();
        if (r2 <= half_min_width2_) return d0;

        // Exhaustive search over the offsets that can still be shorter.
        const double r = std::sqrt(r2);
        std::array<int, 3> bound{0, 0, 0};
        for (int k = 0; k < D; ++k)
            if (periodic_[static_cast<std::size_t>(k)])
                bound[static_cast<std::size_t>(k)] =
                    static_cast<int>(std::floor(2.0 * r * reduced_inv_.row(k).norm())) + 1;
        vec_t best = d0;
        double best2 = r2;
        ivec<D> n;
        const int bz = D == 3 ? bound[2] : 0;
        for (int i = -bound[0]; i <= bound[0]; ++i)
            for (int j = -bound[1]; j <= bound[1]; ++j)
                for (int l = -bz; l <= bz; ++l) {
                    n(0) = i;
                    n(1) = j;
                    if constexpr (D == 3) n(2) = l;
                    const vec_t c = d0 + reduced_ * n.template cast<double>();
                    const double c2 = c.squaredNorm();
                    if (c2 < best2) {
                        best2 = c2;
                        best = c;
                    }
                }
        return best;
    }

    /// The periodic lattice basis after reduction (columns; non-periodic axes
    /// keep their original cell vectors). Spans the same lattice as h().
    const mat_t& reduced_basis() const noexcept { return reduced_; }

    /// The largest r such that minimum_image() is a plain rounding for |d| <= r,
    /// i.e. half the shortest perpendicular width of the reduced cell.
    double half_min_width() const noexcept { return std::sqrt(half_min_width2_); }

    /// The cell after the affine deformation x -> c + F (x - c) about its center c.
    box deformed(const mat_t& F) const {
        const vec_t c = center();
        const mat_t h = F * h_;
        return box(h, c - 0.5 * h * vec_t::Ones(), periodic_);
    }

    vec_t center() const { return origin_ + 0.5 * h_ * vec_t::Ones(); }

    friend bool operator==(const box& a, const box& b) {
        return a.h_ == b.h_ && a.origin_ == b.origin_ && a.periodic_ == b.periodic_;
    }

private:
    void reduce_periodic_lattice() {
        reduced_ = h_;
        // Pairwise Lagrange (Gauss) reduction among periodic vectors until no
        // vector can be shortened by an integer multiple of another. Each step
        // is unimodular, so the lattice is unchanged.
        for (int sweep = 0; sweep < 64; ++sweep) {
            bool changed = false;
            for (int i = 0; i < D; ++i) {
                if (!periodic_[static_cast<std::size_t>(i)]) continue;
                for (int j = 0; j < D; ++j) {
                    if (i == j || !periodic_[static_cast<std::size_t>(j)]) continue;
                    const double mu = std::round(reduced_.col(i).dot(reduced_.col(j)) /
                                                 reduced_.col(j).squaredNorm());
                    if (mu == 0.0) continue;
                    const vec_t cand = reduced_.col(i) - mu * reduced_.col(j);
                    if (cand.squaredNorm() < reduced_.col(i).squaredNorm() * (1 - 1e-12)) {
                        reduced_.col(i) = cand;
                        changed = true;
                    }
                }
            }
            if (!changed) break;
        }
        reduced_inv_ = reduced_.inverse();
        double wmin = std::numeric_limits<double>::infinity();
        for (int k = 0; k < D; ++k)
            if (periodic_[static_cast<std::size_t>(k)])
                wmin = std::min(wmin, 1.0 / reduced_inv_.row(k).norm());
        half_min_width2_ = std::isfinite(wmin) ? 0.25 * wmin * wmin : std::numeric_limits<double>::infinity();
    }

    mat_t h_;
    mat_t h_inv_;
    vec_t origin_;
    flags_t periodic_;
    mat_t reduced_;
    mat_t reduced_inv_;
    double half_min_width2_ = 0;
};

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_BOX_TEMPLATES(P, D) P template class box<D>;
AMORPH_EXTERN_TEMPLATES(AMORPH_BOX_TEMPLATES)

}  // namespace amorph
