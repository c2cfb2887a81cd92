// amorph/analysis/d2min.hpp — nonaffine squared displacement D2min (Falk &
// Langer, PRE 57, 7192 (1998)), the local deformation gradient, the von Mises
// shear strain (Shimizu, Ogata & Li, Mater. Trans. 48, 2923 (2007)) and the
// cumulative nonaffine displacement D (alumina eq 1).
//
// For atom i with neighbors j in the REFERENCE configuration (|d0_ij| < rc,
// d0_ij the minimum-image bond in the reference cell, d_ij the minimum-image
// bond of the same pair of ids in the current cell):
//     V = sum_j d0 d0^T,   W = sum_j d d0^T,   F_i = W V^-1,
//     D2min_i = sum_j |d_ij - F_i d0_ij|^2.
// This is the SUM over neighbors, not the mean, as OVITO's
// AtomicStrainModifier (and Falk & Langer) define it; the thesis' labels use
// OVITO's values. An atom with fewer than D neighbors, or whose V is
// singular (det V <= 1e-12 (tr V / D)^D, e.g. all neighbors on a line),
// is flagged invalid (valid = 0) and gets d2min = shear_strain = 0 and F = I
// instead of garbage. Bonds must stay shorter than half the smallest cell
// width in both cells (the minimum image is the bond); the cutoff must be at
// most half the reference cell's smallest width.
//
// Strain: Green-Lagrange E = (F^T F - I) / 2. Von Mises shear strain
//     3D: eta = sqrt(E_xy^2 + E_xz^2 + E_yz^2
//                    + ((E_xx-E_yy)^2 + (E_xx-E_zz)^2 + (E_yy-E_zz)^2) / 6)
//     2D: eta = sqrt(E_xy^2 + (E_xx - E_yy)^2 / 4),
// the 2D invariant being the maximum in-plane shear strain. Both give
// gamma/2 for simple shear by gamma and |e| for E = diag(e, -e) (tests). The
// 3D formula with E_zz = 0 is NOT the 2D invariant (it mixes in the area
// change); OVITO's 2D mode had a wrong weight there, so 2D values differ from
// OVITO's.
//
// Cumulative nonaffine displacement over strain steps s = 1..S (alumina
// eq 1, cutoff 4 A there): D_i = sum_s sqrt(D2min_i(s-1 -> s)), each
// increment with the previous frame as reference (cumulative_nonaffine).
// An atom invalid in some increment contributes 0 for it; its `valid` flag
// is cleared.
//
// Atoms are matched by id; results are in the atom order of the CURRENT
// configuration (ids copied), and every id of one configuration must be in
// the other.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/neighbor/verlet_list.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace amorph::analysis {

struct d2min_options {
    double cutoff = 0.0;          ///< neighbor cutoff in the reference configuration
    bool deformation_gradient = true;  ///< keep F per atom in the result
};

template <int D>
struct atomic_strain_result {
    std::vector<std::int64_t> ids;   ///< order of the current configuration
    std::vector<double> d2min;       ///< sum over neighbors (OVITO convention)
    std::vector<double> shear_strain;  ///< von Mises shear strain
    std::vector<double> volumetric_strain;  ///< (E_xx + E_yy [+ E_zz]) / D
    std::vector<char> valid;         ///< 0: too few neighbors or singular V
    std::vector<int> neighbors;      ///< neighbors within the cutoff in the reference
    std::vector<mat<D>> F;           ///< local deformation gradient (if asked)
    std::size_t invalid_count() const {
        std::size_t n = 0;
        for (char v : valid) n += v ? 0 : 1;
        return n;
    }
};

/// Von Mises shear strain of a Green-Lagrange strain tensor (see the header).
template <int D>
double von_mises_shear_strain(const mat<D>& E) {
    if constexpr (D == 2) {
        const double a = E(0, 0) - E(1, 1);
        return std::sqrt(E(0, 1) * E(0, 1) + 0.25 * a * a);
    } else {
        const double a = E(0, 0) - E(1, 1), b = E(0, 0) - E(2, 2), c = E(1, 1) - E(2, 2);
        return std::sqrt(E(0, 1) * E(0, 1) + E(0, 2) * E(0, 2) + E(1, 2) * E(1, 2) + (a * a + b * b + c * c) / 6.0);
    }
}

/// Green-Lagrange strain of a deformation gradient.
template <int D>
mat<D> green_lagrange(const mat<D>& F) {
    return 0.5 * (F.transpose() * F - mat<D>::Identity());
}

namespace detail {
/// For each atom of `cur`, the index of the same id in `ref`.
template <int D>
std::vector<std::size_t> match_ids(const amorph::system<D>& ref, const amorph::system<D>& cur) {
    if (ref.size() != cur.size())
        throw invalid_argument("d2min: the reference has " + std::to_string(ref.size()) + " atoms, the current configuration " +
                               std::to_string(cur.size()));
    const auto idx = ref.index_of_ids();
    std::vector<std::size_t> m(cur.size());
    for (std::size_t k = 0; k < cur.size(); ++k) {
        auto it = idx.find(cur.ids[k]);
        if (it == idx.end()) throw invalid_argument("d2min: atom id " + std::to_string(cur.ids[k]) + " is not in the reference");
        m[k] = it->second;
    }
    return m;
}
}  // namespace detail

/// D2min, local F and von Mises shear strain of every atom of `cur` relative to `ref`.
template <int D>
atomic_strain_result<D> atomic_strain(const amorph::system<D>& ref, const amorph::system<D>& cur, const d2min_options& opt) {
    if (!(opt.cutoff > 0.0) || !std::isfinite(opt.cutoff)) throw invalid_argument("d2min: the cutoff must be positive");
    if (opt.cutoff > ref.box.half_min_width())
        throw invalid_argument("d2min: the cutoff " + std::to_string(opt.cutoff) +
                               " exceeds half the smallest width of the reference cell (" +
                               std::to_string(ref.box.half_min_width()) + ")");
    const std::vector<std::size_t> cur_of_ref = [&] {
        const auto r = detail::match_ids(ref, cur);  // cur k -> ref r[k]
        std::vector<std::size_t> inv(r.size());
        for (std::size_t k = 0; k < r.size(); ++k) inv[r[k]] = k;
        return inv;
    }();
    neighbor::verlet_list<D, neighbor::full_t> list(opt.cutoff, 0.0);
    list.build(ref.box, ref.positions);
    const coords<D>& sh = list.shifts();
    const double rc2 = opt.cutoff * opt.cutoff;

    const std::size_t n = cur.size();
    atomic_strain_result<D> out;
    out.ids = cur.ids;
    out.d2min.assign(n, 0.0);
    out.shear_strain.assign(n, 0.0);
    out.volumetric_strain.assign(n, 0.0);
    out.valid.assign(n, 0);
    out.neighbors.assign(n, 0);
    if (opt.deformation_gradient) out.F.assign(n, mat<D>::Identity());

    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const auto& range) {
        std::vector<vec<D>> b0, b1;
        for (std::size_t i = range.begin(); i != range.end(); ++i) {  // i: reference index
            const std::size_t ci = cur_of_ref[i];
            b0.clear();
            b1.clear();
            const vec<D> xi = ref.positions.col(static_cast<Eigen::Index>(i));
            const vec<D> yi = cur.positions.col(static_cast<Eigen::Index>(ci));
            for (const auto& e : list.neighbors(i)) {
                const vec<D> d0 = ref.positions.col(e.j) - xi + sh.col(e.image);
                if (!(d0.squaredNorm() < rc2) || (e.j == i)) continue;
                b0.push_back(d0);
                const vec<D> d = cur.box.minimum_image(cur.positions.col(static_cast<Eigen::Index>(cur_of_ref[e.j])) - yi);
                b1.push_back(d);
            }
            out.neighbors[ci] = static_cast<int>(b0.size());
            if (b0.size() < static_cast<std::size_t>(D)) continue;
            mat<D> V = mat<D>::Zero(), W = mat<D>::Zero();
            for (std::size_t k = 0; k < b0.size(); ++k) {
                V.noalias() += b0[k] * b0[k].transpose();
                W.noalias() += b1[k] * b0[k].transpose();
            }
            const double scale = V.trace() / D;
            if (!(V.determinant() > 1e-12 * std::pow(scale, D))) continue;
            const mat<D> F = W * V.inverse();
            double d2 = 0.0;
            for (std::size_t k = 0; k < b0.size(); ++k) d2 += (b1[k] - F * b0[k]).squaredNorm();
            const mat<D> E = green_lagrange<D>(F);
            out.valid[ci] = 1;
            out.d2min[ci] = d2;
            out.shear_strain[ci] = von_mises_shear_strain<D>(E);
            out.volumetric_strain[ci] = E.trace() / D;
            if (opt.deformation_gradient) out.F[ci] = F;
        }
    });
    return out;
}

/// D2min only (a vector in the atom order of `cur`; invalid atoms get 0).
template <int D>
std::vector<double> d2min(const amorph::system<D>& ref, const amorph::system<D>& cur, double cutoff) {
    return atomic_strain(ref, cur, d2min_options{cutoff, false}).d2min;
}

/// Cumulative nonaffine displacement D_i = sum_s sqrt(D2min_i(s-1 -> s)),
/// fed one configuration at a time (the first is the start).
template <int D>
class cumulative_nonaffine {
public:
    explicit cumulative_nonaffine(double cutoff) : cutoff_(cutoff) {
        if (!(cutoff > 0.0)) throw invalid_argument("cumulative D: the cutoff must be positive");
    }

    /// Add the next configuration (matched by id to the previous one).
    void add(const amorph::system<D>& cur) {
        if (!prev_) {
            prev_ = cur;
            ids_ = cur.ids;
            D_.assign(cur.size(), 0.0);
            valid_.assign(cur.size(), 1);
            for (std::size_t k = 0; k < ids_.size(); ++k) pos_[ids_[k]] = k;
            return;
        }
        const auto r = atomic_strain(*prev_, cur, d2min_options{cutoff_, false});
        for (std::size_t k = 0; k < r.ids.size(); ++k) {
            auto it = pos_.find(r.ids[k]);
            if (it == pos_.end()) throw invalid_argument("cumulative D: atom id " + std::to_string(r.ids[k]) + " is new");
            if (r.valid[k]) D_[it->second] += std::sqrt(r.d2min[k]);
            else valid_[it->second] = 0;
        }
        prev_ = cur;
        ++steps_;
    }

    /// Atom ids in the order of the first configuration.
    const std::vector<std::int64_t>& ids() const noexcept { return ids_; }
    const std::vector<double>& values() const noexcept { return D_; }
    /// 0 for atoms invalid in at least one increment.
    const std::vector<char>& valid() const noexcept { return valid_; }
    std::size_t increments() const noexcept { return steps_; }

private:
    double cutoff_;
    std::optional<amorph::system<D>> prev_;
    std::vector<std::int64_t> ids_;
    std::vector<double> D_;
    std::vector<char> valid_;
    std::unordered_map<std::int64_t, std::size_t> pos_;
    std::size_t steps_ = 0;
};

}  // namespace amorph::analysis
