// apps/amorph/sample.hpp — random starting configurations for the demo and tests.
//
// lj2d: the 2D binary Lennard-Jones glass former of Lancon et al. (1986) and
// Falk & Langer (1998), as used in the ch5 study (the model:
// amorph/potential/presets.hpp). Two species, small (S, LAMMPS type 1) and
// large (L, type 2), in reduced LJ units:
//   sigma_SS = 2 sin(pi/10) = 0.618..., sigma_LL = 2 sin(pi/5) = 1.1756...,
//   sigma_SL = 1;  N_L : N_S = (1 + sqrt 5) : 4, so N_L = round(N (1+sqrt5)/(5+sqrt5));
//   mass 1; square periodic box of side sqrt(N / rho); the default rho is the
//   study's 10000 / 98.8045^2 = 1.02435 sigma^-2.
// Atoms are placed by random sequential addition: uniform random trial
// positions, accepted when no placed atom is closer than f sigma_ij (minimum
// image), large atoms first. Not an equilibrated glass — a start for a quench.
// The generator is splitmix64 with an explicit uniform mapping, so the same
// seed gives the same file on every platform and compiler.
//
// alox: the Matsui Al2O3 of the alumina study (model alox-matsui), in metal
// units: 2N/5 Al (type 1, +1.4175 e) and 3N/5 O (type 2, -0.945 e) in a cubic
// periodic box at the mass density rho (default 3.175 g/cm^3, the study's),
// placed in a random type order by random sequential addition with the
// minimum distances Al-Al 2.4, O-O 2.0, Al-O 1.6 A (times f), the start of
// shared/peers/lammps/alox (the Buckingham part has no barrier below ~1.2 A
// for Al-Al: closer starts collapse). Neutral; written with its charges.
//
// cuzr: Cu_x Zr_(1-x) for the Cu-Zr EAM (preset cuzr-mendelev), metal units:
// round(x N) Cu (type 1) and the rest Zr (type 2) in a random type order, in a
// cube of --volume A^3 per atom (default 18.5, a dense liquid; the quench's
// barostat sets the density), no two atoms closer than --min-sep (default
// 2.2 A): the start of the ch4 and ch5-3d Cu-Zr melts.
#pragma once

#include <amorph/core/system.hpp>
#include <amorph/potential/presets.hpp>

#include <cstdint>
#include <functional>

namespace amorph::cli {

struct lj2d_sample_options {
    std::size_t atoms = 10000;
    double density = potential::presets::lj2d_number_density();
    std::uint64_t seed = 1;
    double min_separation = 0.8;  ///< f: minimum distance in units of sigma_ij
    std::size_t max_tries = 100000;  ///< per atom, before giving up
};

struct alox_sample_options {
    std::size_t atoms = 8100;     ///< a multiple of 5
    double mass_density = 3.175;  ///< g/cm^3
    std::uint64_t seed = 1;
    double min_separation = 1.0;  ///< f: scales the minimum distances
    std::size_t max_tries = 100000;
};

struct cuzr_sample_options {
    std::size_t atoms = 2000;
    double cu_fraction = 0.5;     ///< x of Cu_x Zr_(1-x)
    double volume = 18.5;         ///< A^3 per atom
    std::uint64_t seed = 1;
    double min_separation = 2.2;  ///< A, every pair
    std::size_t max_tries = 100000;
};

/// A random Cu_x Zr_(1-x) start (see the header); errors as lj2d_sample.
amorph::system<3> cuzr_sample(const cuzr_sample_options& opt, const std::function<void(std::size_t)>& progress = {});

/// A random Al2O3 start (see the header); errors as lj2d_sample.
amorph::system<3> alox_sample(const alox_sample_options& opt, const std::function<void(std::size_t)>& progress = {});

/// A random lj2d configuration. `progress(k)` is called as atoms are placed.
/// Throws invalid_argument for bad options and amorph::error when an atom
/// cannot be placed within max_tries (density or f too high).
amorph::system<2> lj2d_sample(const lj2d_sample_options& opt,
                              const std::function<void(std::size_t)>& progress = {});

}  // namespace amorph::cli
