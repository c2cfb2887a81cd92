// apps/amorph/force_field_3d.cpp — the 3D force field of every run-time
// potential, instantiated here once for all subcommands (cmd_dynamics.hpp).
#include "cmd_dynamics.hpp"

template amorph::dynamics::any_force_field<3> amorph::dynamics::make_any_force_field<3>(
    const amorph::potential::any_potential&, double, amorph::dynamics::force_field_options);
