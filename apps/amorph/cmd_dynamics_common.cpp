// apps/amorph/cmd_dynamics_common.cpp — options shared by minimize, md and
// quench (see cmd_dynamics.hpp).
#include "cmd_dynamics.hpp"

#include <CLI/CLI.hpp>

namespace amorph::cli {

void add_dynamics_common_options(CLI::App& cmd, dynamics_common_options& o) {
    add_input_options(cmd, o.in);
    add_output_options(cmd, o.out);
    add_potential_options(cmd, o.pot);
    add_units_option(cmd, o.units);
    cmd.add_option("--skin", o.skin, "neighbor-list skin (default: 2.0 in metal, 0.3 in lj units)");
}

const unit_system& resolve_units(const CLI::App& cmd, const dynamics_common_options& o, const potential_spec& spec) {
    if (cmd.count("--units") == 0 && !spec.units.empty()) return units::by_name(spec.units);
    return units::by_name(o.units);
}

}  // namespace amorph::cli
