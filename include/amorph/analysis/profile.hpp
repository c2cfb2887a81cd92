// amorph/analysis/profile.hpp — slab profiles of flagged atoms along a cell axis.
//
// The cell is cut into slabs along cell axis k: slab m holds the atoms whose
// wrapped fractional coordinate s_k lies in [m w / L_k, (m+1) w / L_k), with
// L_k the perpendicular width of the cell along k and the slab count
// round(L_k / w) (at least 1), so slabs tile the cell exactly. For each slab
// the profile gives the number of atoms, the number flagged, and their
// fraction. Used for shear-band location (top-1 % D2min atoms in slabs of
// 10 A, thesis ch6) and densities of fertile sites.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"

#include <cmath>
#include <vector>

namespace amorph::analysis {

struct slab_profile {
    std::vector<double> center;  ///< slab centre, distance along the axis normal
    std::vector<std::size_t> atoms, flagged;
    std::vector<double> fraction;
};

template <int D>
slab_profile slabs(const box<D>& b, const coords<D>& x, const std::vector<char>& flag, int axis, double width) {
    if (axis < 0 || axis >= D) throw invalid_argument("slabs: axis out of range");
    if (!(width > 0.0)) throw invalid_argument("slabs: width must be positive");
    if (flag.size() != static_cast<std::size_t>(x.cols())) throw invalid_argument("slabs: one flag per atom needed");
    const double L = b.width(axis);
    const auto m = static_cast<std::size_t>(std::max(1.0, std::round(L / width)));
    slab_profile p;
    p.atoms.assign(m, 0);
    p.flagged.assign(m, 0);
    for (std::size_t k = 0; k < m; ++k) p.center.push_back((static_cast<double>(k) + 0.5) * L / static_cast<double>(m));
    for (Eigen::Index i = 0; i < x.cols(); ++i) {
        double s = b.to_fractional(x.col(i))(axis);
        s -= std::floor(s);
        const auto k = std::min(m - 1, static_cast<std::size_t>(s * static_cast<double>(m)));
        ++p.atoms[k];
        if (flag[static_cast<std::size_t>(i)]) ++p.flagged[k];
    }
    for (std::size_t k = 0; k < m; ++k)
        p.fraction.push_back(p.atoms[k] ? static_cast<double>(p.flagged[k]) / static_cast<double>(p.atoms[k]) : 0.0);
    return p;
}

}  // namespace amorph::analysis
