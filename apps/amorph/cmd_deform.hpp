// apps/amorph/cmd_deform.hpp — the deformation subcommands (issue 5):
//
//   amorph aqs FILE [potential] --mode shear|pure-shear|tension-strain|tension-stress
//       [--direction D --plane N | --orientation K] --dgamma G --max-strain S
//       [minimizer options as `minimize`] [--save-at 0.01,0.02 --save-prefix P]
//       [--csv curve.csv] [--shuffle-seed S --d2min-cutoff R --top-fraction F]
//       [--checkpoint FILE --checkpoint-every N --resume] [-o final]
//   amorph d2min REF CUR --cutoff R [-o out.xyz] [--csv FILE]
//   amorph d2min --cumulative --cutoff R FRAME0 FRAME1 ... [-o out.xyz]
//   amorph deform FILE [potential] --loading rate|steps --direction x|y|z|xy|xz|yz
//       --temp T [--lateral strain|stress] [--rate R --steps N | --dstrain S]
//       [--max-strain S --hold N --sample M] [--csv curve.csv] [-o final]
//
// Registered from app.cpp by add_deform_commands (cmd_aqs.cpp, cmd_d2min.cpp,
// cmd_deform_md.cpp).
#pragma once

#include "app.hpp"

namespace amorph::cli {

void add_aqs_command(CLI::App& app, registry& reg);
void add_d2min_command(CLI::App& app, registry& reg);
void add_deform_md_command(CLI::App& app, registry& reg);

inline void add_deform_commands(CLI::App& app, registry& reg) {
    add_aqs_command(app, reg);
    add_d2min_command(app, reg);
    add_deform_md_command(app, reg);
}

}  // namespace amorph::cli
