// tests/potential/potentials.hpp — the model potentials the tests share.
#pragma once

#include <amorph/potential/buckingham.hpp>
#include <amorph/potential/compute.hpp>
#include <amorph/potential/cutoff.hpp>
#include <amorph/potential/eam.hpp>
#include <amorph/potential/lennard_jones.hpp>
#include <amorph/potential/pair.hpp>
#include <amorph/potential/stillinger_weber.hpp>

#include <cmath>
#include <string>

namespace amorph::test::models {

using namespace amorph::potential;

inline pair_table<lj_coeff> lj3d_table() {
    pair_table<lj_coeff> t(2);
    t.set(0, 0, {1.0, 1.0, 2.5});
    t.set(1, 1, {0.5, 0.88, 2.2});
    t.set(0, 1, {1.5, 0.8, 2.0});
    return t;
}
inline auto lj3d_truncated() { return make_pair_potential(truncated(lennard_jones(lj3d_table()))); }
inline auto lj3d_shifted() { return make_pair_potential(shifted(lennard_jones(lj3d_table()))); }
inline auto lj3d_shifted_force() { return make_pair_potential(shifted_force(lennard_jones(lj3d_table()))); }

inline pair_table<lj_coeff> lj2d_table() {
    const double pi = std::acos(-1.0);
    const double sss = 2 * std::sin(pi / 10), sll = 2 * std::sin(pi / 5);
    pair_table<lj_coeff> t(2);
    t.set(0, 0, {0.5, sss, 2.5 * sss});
    t.set(1, 1, {0.5, sll, 2.5 * sll});
    t.set(0, 1, {1.0, 1.0, 2.5});
    return t;
}
inline auto lj2d_shifted() { return make_pair_potential(shifted(lennard_jones(lj2d_table()))); }
inline auto lj2d_shifted_force() { return make_pair_potential(shifted_force(lennard_jones(lj2d_table()))); }

inline const std::string lammps_potentials = "/usr/share/lammps/potentials/";
inline eam cuzr_fs() { return eam::fs(lammps_potentials + "CuZr_mm.eam.fs", {"Cu", "Zr"}); }
inline eam cuni_alloy() { return eam::alloy(lammps_potentials + "CuNi.eam.alloy", {"Cu", "Ni"}); }
inline eam cuni_funcfl() { return eam::funcfl({lammps_potentials + "Cu_u3.eam", lammps_potentials + "Ni_u3.eam"}); }

inline stillinger_weber si_sw() { return stillinger_weber::from_file(lammps_potentials + "Si.sw", {"Si"}); }
inline stillinger_weber gan_sw() { return stillinger_weber::from_file(lammps_potentials + "GaN.sw", {"Ga", "N"}); }

inline auto matsui_buck() {
    pair_table<buck_coeff> t(2);
    t.set(0, 0, {3.1571e7, 0.068, 14.051, 6.0});
    t.set(0, 1, {28477.0, 0.172, 34.578, 6.0});
    t.set(1, 1, {6462.69, 0.276, 85.093, 6.0});
    return make_pair_potential(shifted_force(buckingham(t)));
}

}  // namespace amorph::test::models
