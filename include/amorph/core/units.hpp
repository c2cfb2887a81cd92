// amorph/core/units.hpp — unit systems, with the conversion constants of LAMMPS.
//
// amorph computes in the units of its input, exactly as LAMMPS does, so that
// numbers agree digit for digit. Two systems are supported:
//
//   metal: distance A, energy eV, time ps, mass g/mol (amu), temperature K,
//          pressure bar (as LAMMPS reports it), force eV/A
//   lj:    reduced units; every constant below is 1
//
// The constants are the ones LAMMPS's `units` command sets (update.cpp):
//   boltz   Boltzmann constant in energy/temperature
//   mvv2e   mass * velocity^2 -> energy
//   ftm2v   force / mass * time -> velocity   (= 1 / mvv2e)
//   nktv2p  (energy / volume) -> pressure unit (eV/A^3 -> bar in metal)
//   qqr2e   q_i q_j / r -> energy (Coulomb constant)
#pragma once

#include "amorph/core/error.hpp"

#include <string>
#include <string_view>

namespace amorph {

struct unit_system {
    std::string_view name;
    double boltz;
    double mvv2e;
    double ftm2v;
    double nktv2p;
    double qqr2e;
    double dt;  ///< LAMMPS's default timestep in this unit system
};

namespace units {

inline constexpr unit_system metal{
    "metal", 8.617343e-5, 1.0364269e-4, 1.0 / 1.0364269e-4, 1.6021765e6, 14.399645, 0.001};

inline constexpr unit_system lj{"lj", 1.0, 1.0, 1.0, 1.0, 1.0, 0.005};

/// g/cm^3 per amu/A^3 (metal units' mass density).
inline constexpr double amu_per_A3_in_g_per_cm3 = 1.66053906660;

/// Look a unit system up by its LAMMPS name ("metal" or "lj").
inline const unit_system& by_name(std::string_view name) {
    if (name == "metal") return metal;
    if (name == "lj") return lj;
    throw invalid_argument("unknown unit system '" + std::string(name) +
                           "' (amorph supports: metal, lj)");
}

}  // namespace units
}  // namespace amorph
