// apps/amorph/cmd_flex.hpp — the flexibility-volume subcommands (issue 9):
//
//   amorph msd FILE [potential] --temp T [--runs N] (--time t | --steps N)
//       [--equil N] [--every N] [--seed S] [--start auto|thermal|minimum]
//       [--plateau-tol X] [--checkpoint FILE [--resume]] [--csv curve.csv] [-o msd.xyz]
//   amorph flex FILE ... (as msd) [--corr-rmax R --corr-bins N] [-o flex.xyz]
//   amorph modulus FILE [potential] [--temp T]
//       [--method thermal|athermal|born|affine|both|all] [--strain G]
//       [--steps N --equil N --every N --blocks N --seed S] [--ftol F] [--born-step E]
//
// Registered from app.cpp by add_flex_commands (cmd_flex.cpp).
#pragma once

#include "app.hpp"

namespace amorph::cli {

void add_msd_command(CLI::App& app, registry& reg);
void add_flex_command(CLI::App& app, registry& reg);
void add_modulus_command(CLI::App& app, registry& reg);

inline void add_flex_commands(CLI::App& app, registry& reg) {
    add_msd_command(app, reg);
    add_flex_command(app, reg);
    add_modulus_command(app, reg);
}

}  // namespace amorph::cli
