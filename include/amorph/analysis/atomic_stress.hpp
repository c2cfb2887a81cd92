// amorph/analysis/atomic_stress.hpp — atomic stress (alumina eq 2).
//
//     sigma_i = s_i / Omega_i,
// with s_i the per-atom stress in pressure x volume units as LAMMPS's
// `compute stress/atom NULL` reports it (potential::stress_per_atom: the
// negative per-atom virial, kinetic part included when there are velocities)
// and Omega_i the atom's Voronoi volume (area in 2D). Positive = tension.
// Components in LAMMPS order xx yy zz xy xz yz (z terms zero in 2D); the
// hydrostatic part is (xx + yy + zz) / 3 in 3D and (xx + yy) / 2 in 2D.
#pragma once

#include "amorph/core/error.hpp"

#include <Eigen/Dense>

#include <vector>

namespace amorph::analysis {

struct atomic_stress_result {
    Eigen::Matrix<double, 6, Eigen::Dynamic> tensor;  ///< 6 x N, pressure units
    std::vector<double> hydrostatic;
};

template <int D>
atomic_stress_result atomic_stress(const Eigen::Matrix<double, 6, Eigen::Dynamic>& stress_volume,
                                   const std::vector<double>& volume) {
    const auto n = stress_volume.cols();
    if (static_cast<std::size_t>(n) != volume.size())
        throw invalid_argument("atomic_stress: one volume per atom needed");
    atomic_stress_result r;
    r.tensor.resize(6, n);
    r.hydrostatic.resize(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
        const double v = volume[static_cast<std::size_t>(i)];
        if (!(v > 0)) throw invalid_argument("atomic_stress: atom " + std::to_string(i) + " has a non-positive volume");
        r.tensor.col(i) = stress_volume.col(i) / v;
        r.hydrostatic[static_cast<std::size_t>(i)] =
            D == 3 ? (r.tensor(0, i) + r.tensor(1, i) + r.tensor(2, i)) / 3.0 : (r.tensor(0, i) + r.tensor(1, i)) / 2.0;
    }
    return r;
}

}  // namespace amorph::analysis
