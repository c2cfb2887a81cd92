// Shared by the MSD-ensemble tests and their checkpoint child: a Lennard-Jones
// fcc crystal (lj units, shifted-force LJ 2.5 sigma) and the 2D LJ fixtures.
#pragma once

#include "../dynamics/lammps_md.hpp"

#include <amorph/core/system.hpp>
#include <amorph/core/units.hpp>
#include <amorph/potential/cutoff.hpp>
#include <amorph/potential/lennard_jones.hpp>
#include <amorph/potential/pair.hpp>

namespace amorph::test {

/// n x n x n conventional fcc cells of lattice constant a, mass 1, lj units.
inline amorph::system<3> lj_fcc(int n, double a) {
    const double L = n * a;
    amorph::system<3> s(box<3>(mat<3>::Identity() * L), static_cast<std::size_t>(4 * n * n * n));
    s.units = &units::lj;
    s.species = species_list{};
    s.species.add("A", 1.0);
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    Eigen::Index k = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int l = 0; l < n; ++l)
                for (const auto& b : basis) s.positions.col(k++) = vec<3>(i + b[0], j + b[1], l + b[2]) * a;
    return s;
}

inline constexpr double lj_cut = 2.5;

inline auto lj_sf_1type() {
    potential::pair_table<potential::lj_coeff> t(1);
    t.set(0, 0, {1.0, 1.0, lj_cut});
    return potential::make_pair_potential(potential::shifted_force(potential::lennard_jones(t)));
}

}  // namespace amorph::test
