// amorph/potential/presets.hpp — named model potentials of the studies.
//
// lj2d_binary: the 2D binary Lennard-Jones glass of Lancon et al. (1986) as
// used by Falk & Langer (1998) and ch5 of the source thesis, in LJ units:
//     species S (type 0) and L (type 1), both of mass 1,
//     sigma_SS = 2 sin(pi/10), sigma_LL = 2 sin(pi/5), sigma_SL = 1,
//     eps_SS = eps_LL = 1/2, eps_SL = 1,
//     cutoff rc_ij = 2.5 sigma_ij (as shared/peers/lammps/lj2d/pot_*.in),
//     number ratio N_L : N_S = (1 + sqrt 5) : 4, number density
//     10000 / 98.8045^2 = 1.02436 sigma_SL^-2 (N = 10,000 in a square cell of
//     side 98.8045).
// The cutoff treatment is a template argument: shifted_force (lj/smooth/linear,
// the default: AQS needs a continuous energy and force), shifted (lj/cut +
// pair_modify shift yes) or truncated (lj/cut).
// The LAMMPS lines of the peers (shared/peers/lammps/lj2d/pot_*.in) round
// sigma and the cutoffs to 10 decimals (relative change ~5e-11);
// lj2d_binary_lammps() writes full precision unless asked for those decimals.
//
// models(): every named model of the library, CLI (`--preset NAME`), sample
// generator and examples, each as LAMMPS lines (pair_style, pair_coeff,
// pair_modify, kspace_style) for factory.hpp; this is the one definition.
//   lj2d-cut | lj2d-shift | lj2d-sf  the lj2d mixture as the LAMMPS peers have
//                                    it (10 decimals), lj/cut, lj/cut + shift,
//                                    lj/smooth/linear
//   lj2d-binary                      lj2d_binary(): shifted force, full precision
//   cuzr-mendelev                    Cu-Zr EAM of Mendelev et al. (CuZr_mm.eam.fs)
//   si-sw                            Stillinger-Weber silicon (Si.sw)
//   alox-matsui                      Matsui (1994) Al2O3: Buckingham + Coulomb
//                                    (charges +1.4175 / -0.945 belong to the
//                                    data file, or --charge Al=1.4175,O=-0.945),
//                                    real space 10 A, PPPM 1e-5 (LAMMPS's
//                                    `pair_modify table 0`: no Coulomb tables)
// Each model knows its dimension and species (types 1, 2, ...); check_fits()
// refuses a system it was not made for (a 2D LJ file with the Cu-Zr EAM
// would otherwise give 1e13 eV without a word).
// Potential files are those of Debian's lammps package (lammps_potentials).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/species.hpp"
#include "amorph/potential/buckingham.hpp"
#include "amorph/potential/cutoff.hpp"
#include "amorph/potential/lennard_jones.hpp"
#include "amorph/potential/pair.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amorph::potential::presets {

inline constexpr double lj2d_cutoff_factor = 2.5;
/// N_L / N_S = (1 + sqrt 5) / 4.
inline double lj2d_large_to_small_ratio() { return (1.0 + std::sqrt(5.0)) / 4.0; }
/// Number density of the ch5 samples: 10000 atoms in a 98.8045^2 square.
inline double lj2d_number_density() { return 10000.0 / (98.8045 * 98.8045); }

inline species_list lj2d_binary_species() {
    species_list s;
    s.add("S", 1.0);
    s.add("L", 1.0);
    return s;
}

/// (eps, sigma, cutoff) per pair; type 0 = S, type 1 = L.
inline pair_table<lj_coeff> lj2d_binary_coeffs(double cutoff_factor = lj2d_cutoff_factor) {
    const double pi = std::acos(-1.0);
    const double sss = 2.0 * std::sin(pi / 10.0), sll = 2.0 * std::sin(pi / 5.0), ssl = 1.0;
    pair_table<lj_coeff> t(2);
    t.set(0, 0, {0.5, sss, cutoff_factor * sss});
    t.set(1, 1, {0.5, sll, cutoff_factor * sll});
    t.set(0, 1, {1.0, ssl, cutoff_factor * ssl});
    return t;
}

/// sigma_ij of the lj2d mixture (types 0 = S, 1 = L).
inline double lj2d_sigma(int a, int b) { return lj2d_binary_coeffs()(a, b).sigma; }

template <template <class> class Cutoff = shifted_force>
pair_potential<Cutoff<lennard_jones>> lj2d_binary(double cutoff_factor = lj2d_cutoff_factor) {
    return pair_potential<Cutoff<lennard_jones>>(Cutoff<lennard_jones>(lennard_jones(lj2d_binary_coeffs(cutoff_factor))));
}

/// The model as LAMMPS lines; `style` is "sf" (lj/smooth/linear), "shift"
/// (lj/cut + shift yes) or "cut" (lj/cut). Numbers have 17 significant digits,
/// or `decimals` decimals (10: the LAMMPS peer inputs) when that is >= 0.
inline std::string lj2d_binary_lammps(const std::string& style = "sf",
                                      double cutoff_factor = lj2d_cutoff_factor, int decimals = -1) {
    if (style != "sf" && style != "shift" && style != "cut")
        throw invalid_argument("lj2d_binary_lammps: style must be sf, shift or cut");
    const auto t = lj2d_binary_coeffs(cutoff_factor);
    auto g = [decimals](double v) {
        char b[64];
        if (decimals >= 0) std::snprintf(b, sizeof b, "%.*f", decimals, v);
        else std::snprintf(b, sizeof b, "%.17g", v);
        return std::string(b);
    };
    std::string s = style == "sf" ? "pair_style lj/smooth/linear " : "pair_style lj/cut ";
    s += g(cutoff_factor) + "\n";
    for (auto [i, j] : {std::pair{0, 0}, std::pair{1, 1}, std::pair{0, 1}})
        s += "pair_coeff " + std::to_string(i + 1) + " " + std::to_string(j + 1) + " " + g(t(i, j).epsilon) + " " +
             g(t(i, j).sigma) + " " + g(t(i, j).cutoff) + "\n";
    if (style == "shift") s += "pair_modify shift yes\n";
    return s;
}

/// Matsui (1994) per-species parameters of the Al2O3 model: charge z (e),
/// A_i (A), B_i (A), C_i ((kJ/mol)^1/2 A^3); the pair energy is
///     E_ij(r) = z_i z_j qqr2e / r + f (B_i + B_j) exp((A_i + A_j - r) / (B_i + B_j)) - C_i C_j / r^6
/// with f = 4.184 kJ/mol/A (shared/studies/README.md: the table is from a
/// public README citing Matsui; the converted numbers below agree with the
/// Buckingham lines of shared/peers/lammps/alox to their printed digits).
struct matsui_parameters {
    std::string_view name;
    double z, a, b, c;
};
inline constexpr matsui_parameters matsui_al{"Al", 1.4175, 0.7852, 0.034, 36.82};
inline constexpr matsui_parameters matsui_o{"O", -0.945, 1.8215, 0.138, 90.61};

/// The Matsui pair i-j in Buckingham form A exp(-r/rho) - C/r^6, eV and A:
///     rho = B_i + B_j,  A = f rho exp((A_i + A_j) / rho),  C = C_i C_j,
/// converted from kJ/mol with 1 eV = 96.485 kJ/mol.
inline buck_coeff matsui_buckingham(const matsui_parameters& i, const matsui_parameters& j, double cutoff) {
    constexpr double kj_per_ev = 96.485, f = 4.184;  // kJ/mol per eV; kJ/mol/A
    const double rho = i.b + j.b;
    return {f * rho * std::exp((i.a + j.a) / rho) / kj_per_ev, rho, i.c * j.c / kj_per_ev, cutoff};
}

/// The Matsui (1994) Al2O3 species (type 1 = Al, type 2 = O) with their
/// masses (g/mol) and charges (e), as the alox-matsui model expects them.
struct charged_species {
    std::string name;
    double mass;
    double charge;
};
inline std::vector<charged_species> alox_matsui_species() {
    return {{"Al", 26.9815, matsui_al.z}, {"O", 15.9994, matsui_o.z}};
}

/// Where Debian's lammps package installs its potential files.
inline constexpr std::string_view lammps_potentials = "/usr/share/lammps/potentials/";

/// A named model: its LAMMPS lines and the unit system they are in.
struct model {
    std::string_view name;
    std::string_view units;  ///< LAMMPS unit system: "lj" or "metal"
    std::string_view description;
    std::string lammps;      ///< pair_style / pair_coeff / pair_modify / kspace_style lines
    int dimension;           ///< the dimension the model is made for (2 or 3)
    std::string_view species;  ///< names of LAMMPS types 1, 2, ..., space separated
};

/// Every named model, in a fixed order (see the header comment).
inline const std::vector<model>& models() {
    static const std::vector<model> table = [] {
        const std::string pot(lammps_potentials);
        return std::vector<model>{
            {"lj2d-cut", "lj", "2D binary LJ glass (Lancon/Falk-Langer), truncated at 2.5 sigma_ij",
             lj2d_binary_lammps("cut", lj2d_cutoff_factor, 10), 2, "S L"},
            {"lj2d-shift", "lj", "2D binary LJ glass, truncated and energy-shifted at 2.5 sigma_ij",
             lj2d_binary_lammps("shift", lj2d_cutoff_factor, 10), 2, "S L"},
            {"lj2d-sf", "lj", "2D binary LJ glass, shifted-force (lj/smooth/linear) at 2.5 sigma_ij",
             lj2d_binary_lammps("sf", lj2d_cutoff_factor, 10), 2, "S L"},
            {"lj2d-binary", "lj",
             "2D binary LJ glass of Lancon 1986 / Falk-Langer 1998 (types 1 = S, 2 = L), shifted force "
             "(lj/smooth/linear) at 2.5 sigma_ij, full precision",
             lj2d_binary_lammps("sf"), 2, "S L"},
            {"cuzr-mendelev", "metal", "Cu-Zr EAM (Mendelev et al., CuZr_mm.eam.fs), types Cu Zr",
             "pair_style eam/fs\npair_coeff * * " + pot + "CuZr_mm.eam.fs Cu Zr\n", 3, "Cu Zr"},
            {"si-sw", "metal", "Stillinger-Weber silicon (Si.sw)",
             "pair_style sw\npair_coeff * * " + pot + "Si.sw Si\n", 3, "Si"},
            {"alox-matsui", "metal", "Al2O3 Matsui (1994) Buckingham + Coulomb, PPPM 1e-5, types Al O",
             "pair_style buck/coul/long 10.0\n"
             "pair_coeff 1 1 3.1571e7 0.068 14.051\n"
             "pair_coeff 1 2 28477.0 0.172 34.578\n"
             "pair_coeff 2 2 6462.69 0.276 85.093\n"
             "pair_modify table 0\n"
             "kspace_style pppm 1.0e-5\n", 3, "Al O"},
        };
    }();
    return table;
}

/// Refuse a system the model was not made for: another dimension, another
/// number of types, or named species that differ from the model's (types
/// named "1", "2", ... are taken as the model's, in order).
inline void check_fits(const model& m, int dim, const std::vector<std::string>& species) {
    std::vector<std::string> want;
    for (std::size_t a = 0; a < m.species.size();) {
        const auto b = std::min(m.species.find(' ', a), m.species.size());
        want.emplace_back(m.species.substr(a, b - a));
        a = b + 1;
    }
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& w : v) s += (s.empty() ? "" : " ") + w;
        return s;
    };
    const std::string name(m.name);
    if (dim != m.dimension)
        throw invalid_argument("preset " + name + " is a " + std::to_string(m.dimension) + "D model; the system is " +
                               std::to_string(dim) + "D");
    if (species.size() != want.size())
        throw invalid_argument("preset " + name + " has " + std::to_string(want.size()) + " species (" + join(want) +
                               "); the system has " + std::to_string(species.size()) + " (" + join(species) + ")");
    bool numbered = true;
    for (std::size_t t = 0; t < species.size(); ++t) numbered = numbered && species[t] == std::to_string(t + 1);
    if (!numbered && species != want)
        throw invalid_argument("preset " + name + " is for species " + join(want) + " (types 1, 2, ...); the system has " +
                               join(species) + " (name the types with --species " + join(want) + " if they are those)");
}

/// The model called `name`; invalid_argument naming the known ones otherwise.
inline const model& find_model(std::string_view name) {
    for (const auto& m : models())
        if (m.name == name) return m;
    std::string known;
    for (const auto& m : models()) known += (known.empty() ? "" : ", ") + std::string(m.name);
    throw invalid_argument("unknown preset '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace amorph::potential::presets
