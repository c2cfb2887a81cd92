// amorph/core/units.hpp — unit systems, with the conversion constants of LAMMPS.
//
// amorph computes in the units of its input, exactly as LAMMPS does, so that
// numbers agree digit for digit. Three systems are supported:
//
//   metal: distance A, energy eV, time ps, mass g/mol (amu), temperature K,
//          pressure bar (as LAMMPS reports it), force eV/A, charge e
//   real:  distance A, energy kcal/mol, time fs, mass g/mol, temperature K,
//          pressure atm, force kcal/mol/A, charge e (oxides, molecular glasses)
//   lj:    reduced units; every constant below is 1
//
// The constants are the ones LAMMPS's `units` command sets (update.cpp):
//   boltz   Boltzmann constant in energy/temperature
//   mvv2e   mass * velocity^2 -> energy
//   ftm2v   force / mass * time -> velocity   (= 1 / mvv2e)
//   nktv2p  (energy / volume) -> pressure unit (eV/A^3 -> bar in metal)
//   qqr2e   q_i q_j / r -> energy (Coulomb constant)
// and the unit names are those of LAMMPS's `units` page, for reports.
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
    // names of the units, for reports ("" where lj has none)
    std::string_view length;       ///< "A", "sigma"
    std::string_view energy;       ///< "eV", "kcal/mol", "epsilon"
    std::string_view time;         ///< "ps", "fs", "tau"
    std::string_view temperature;  ///< "K", "" (lj)
    std::string_view pressure;     ///< "bar", "atm"; lj: "" (energy / length^D, see pressure_unit)
    double seconds_per_time;       ///< one time unit in s (0: lj, no physical time)
    double gpa_per_pressure;       ///< one pressure unit in GPa (0: lj)

    bool reduced() const noexcept { return seconds_per_time == 0.0; }
};

namespace units {

inline constexpr unit_system metal{"metal", 8.617343e-5, 1.0364269e-4, 1.0 / 1.0364269e-4, 1.6021765e6, 14.399645,
                                   0.001, "A", "eV", "ps", "K", "bar", 1e-12, 1e-4};

inline constexpr unit_system real{"real", 0.0019872067, 48.88821291 * 48.88821291, 1.0 / 48.88821291 / 48.88821291,
                                  68568.415, 332.06371, 1.0, "A", "kcal/mol", "fs", "K", "atm", 1e-15, 1.01325e-4};

inline constexpr unit_system lj{"lj", 1.0, 1.0, 1.0, 1.0, 1.0, 0.005, "sigma", "epsilon", "tau", "", "", 0.0, 0.0};

/// g/cm^3 per amu/A^3 (metal units' mass density).
inline constexpr double amu_per_A3_in_g_per_cm3 = 1.66053906660;

/// Look a unit system up by its LAMMPS name ("metal", "real" or "lj").
inline const unit_system& by_name(std::string_view name) {
    if (name == "metal") return metal;
    if (name == "real") return real;
    if (name == "lj") return lj;
    throw invalid_argument("unknown unit system '" + std::string(name) +
                           "' (amorph supports: metal, real, lj)");
}

/// "A^3", "sigma^2", ...: the unit of a D-dimensional volume.
inline std::string volume_unit(const unit_system& u, int dim) {
    return std::string(u.length) + "^" + std::to_string(dim);
}

/// The pressure unit: "bar", "atm", or energy/length^D in lj units.
inline std::string pressure_unit(const unit_system& u, int dim) {
    if (!u.pressure.empty()) return std::string(u.pressure);
    return std::string(u.energy) + "/" + volume_unit(u, dim);
}

/// "eV/A", "kcal/mol/A", "epsilon/sigma".
inline std::string force_unit(const unit_system& u) { return std::string(u.energy) + "/" + std::string(u.length); }

}  // namespace units
}  // namespace amorph
