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
// The LAMMPS lines of the peers round sigma to 10 digits (relative change
// ~5e-11); lj2d_binary_lammps() writes them at full precision.
#pragma once

#include "amorph/core/species.hpp"
#include "amorph/potential/cutoff.hpp"
#include "amorph/potential/lennard_jones.hpp"
#include "amorph/potential/pair.hpp"

#include <cmath>
#include <cstdio>
#include <string>

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

template <template <class> class Cutoff = shifted_force>
pair_potential<Cutoff<lennard_jones>> lj2d_binary(double cutoff_factor = lj2d_cutoff_factor) {
    return pair_potential<Cutoff<lennard_jones>>(Cutoff<lennard_jones>(lennard_jones(lj2d_binary_coeffs(cutoff_factor))));
}

/// The model as LAMMPS lines (17 significant digits); `style` is "sf"
/// (lj/smooth/linear), "shift" (lj/cut + shift yes) or "cut" (lj/cut).
inline std::string lj2d_binary_lammps(const std::string& style = "sf",
                                      double cutoff_factor = lj2d_cutoff_factor) {
    const auto t = lj2d_binary_coeffs(cutoff_factor);
    auto g = [](double v) {
        char b[40];
        std::snprintf(b, sizeof b, "%.17g", v);
        return std::string(b);
    };
    std::string s = style == "sf" ? "pair_style lj/smooth/linear " : "pair_style lj/cut ";
    if (style != "sf" && style != "shift" && style != "cut")
        throw invalid_argument("lj2d_binary_lammps: style must be sf, shift or cut");
    s += g(cutoff_factor) + "\n";
    for (auto [i, j] : {std::pair{0, 0}, std::pair{1, 1}, std::pair{0, 1}})
        s += "pair_coeff " + std::to_string(i + 1) + " " + std::to_string(j + 1) + " " + g(t(i, j).epsilon) + " " +
             g(t(i, j).sigma) + " " + g(t(i, j).cutoff) + "\n";
    if (style == "shift") s += "pair_modify shift yes\n";
    return s;
}

}  // namespace amorph::potential::presets
