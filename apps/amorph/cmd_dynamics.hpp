// apps/amorph/cmd_dynamics.hpp — the minimize / md / quench subcommands
// (issue 4) and the helpers they share.
//
//   amorph minimize FILE [potential] --min-style cg|fire|lbfgs ... -o OUT
//   amorph md FILE [potential] --ensemble nve|nvt|npt ... -o OUT
//   amorph quench FILE [potential] --schedule FILE | --fan-rate R ... -o OUT
//
// Shared options: the potential (common.hpp: --pair-style/--pair-coeff/
// --pair-modify, --potential FILE, --preset NAME), --units (default: the
// preset's unit system, else metal), --skin (default LAMMPS's: 2.0 metal,
// 0.3 lj), --threads, --quiet. EAM potential files set the species masses
// (overriding the data file's), as LAMMPS's pair_coeff does.
#pragma once

#include "app.hpp"
#include "common.hpp"
#include "potential_spec.hpp"

#include <amorph/core/error.hpp>
#include <amorph/core/system.hpp>
#include <amorph/core/units.hpp>
#include <amorph/dynamics/any_force_field.hpp>
#include <amorph/potential/factory.hpp>

#include <CLI/App.hpp>


#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace amorph::cli {

struct dynamics_common_options {
    input_options in;
    output_options out;
    potential_options pot;
    std::string units = "metal";
    double skin = -1.0;  ///< < 0: LAMMPS's default for the unit system
    run_options run;     ///< --threads, --quiet (add_command)
};

/// FILE, input/output options, potential, --units, --skin.
void add_dynamics_common_options(CLI::App& cmd, dynamics_common_options& o);

/// --units when given on the command line, else the preset's, else metal.
const unit_system& resolve_units(const CLI::App& cmd, const dynamics_common_options& o, const potential_spec& spec);

/// LAMMPS's default neighbor skin: 2.0 (metal), 0.3 (lj).
inline double default_skin(const unit_system& u) { return u.name == "lj" ? 0.3 : 2.0; }

/// The potential of `spec` for `sys`; a --preset must fit the system's
/// dimension and species (potential::presets::check_fits).
template <int D>
potential::any_potential build_potential(const potential_spec& spec, const amorph::system<D>& sys) {
    if (spec.empty()) throw invalid_argument("no potential given (--pair-style, --potential or --preset)");
    check_preset_fits(spec, sys);
    return potential::make_potential(potential::parse_pair_commands(spec.to_lammps(), "potential"),
                                     static_cast<int>(sys.species.size()));
}

/// The input configuration and its potential, as `energy` and `modes` load
/// them: the unit system of --units when it is given on the command line, else
/// the preset's, else `unit_name` (the option's default); the potential file's
/// masses given to the species (EAM: LAMMPS's pair_coeff overrides the data
/// file's Masses).
template <int D>
std::pair<amorph::system<D>, potential::any_potential> load_with_potential(const CLI::App& cmd,
                                                                           const input_options& in,
                                                                           const potential_options& po,
                                                                           const std::string& unit_name) {
    auto sys = load_system<D>(in);
    const auto spec = resolve_potential(po);
    sys.units = &units::by_name(cmd.count("--units") == 0 && !spec.units.empty() ? spec.units : unit_name);
    auto pot = build_potential(spec, sys);
    for (std::size_t t = 0; t < sys.species.size() && t < pot.masses().size(); ++t) sys.species[t].mass = pot.masses()[t];
    return {std::move(sys), std::move(pot)};
}

/// Register a subcommand whose options hold a dynamics_common_options `c`:
/// run(options, std::integral_constant<int, D>{}) for the dimension D of the
/// input (add_command adds --threads and --quiet).
template <class Options, class Run>
void add_dynamics_command(registry& reg, CLI::App* cmd, std::shared_ptr<Options> o, Run run) {
    add_command(reg, cmd, o->c.run, [o, run] {
        return with_dimension(resolve_dimension(o->c.in), [&](auto d) { return run(*o, d); });
    });
}

/// Build the potential for sys, give the species the potential file's masses
/// when it has them (EAM: LAMMPS's pair_coeff sets them, overriding the data
/// file's Masses), and call f(dynamics::any_force_field<D>&). The drivers f
/// runs are thus instantiated once per dimension, not once per potential; the
/// concrete force fields are instantiated in force_field_2d.cpp / _3d.cpp.
template <int D, class F>
void with_force_field(amorph::system<D>& sys, const potential_spec& spec, double skin, F&& f) {
    const auto pot = build_potential(spec, sys);
    for (std::size_t t = 0; t < sys.species.size() && t < pot.masses().size(); ++t)
        sys.species[t].mass = pot.masses()[t];
    auto ff = dynamics::make_any_force_field<D>(pot, skin);
    f(ff);
}

/// One evaluation of pot on sys with options opt (energy, stress: LAMMPS's
/// `run 0`), by the force field the dynamics commands use, so that no caller
/// instantiates potential::compute over every potential again: no skin, atoms
/// left where the file has them.
template <int D>
potential::result<D> evaluate_once(const potential::any_potential& pot, amorph::system<D>& sys,
                                   const potential::compute_options& opt) {
    dynamics::force_field_options fo;
    fo.wrap = false;
    auto ff = dynamics::make_any_force_field<D>(pot, 0.0, fo);
    ff.options() = opt;
    return ff.compute(sys);
}

}  // namespace amorph::cli

// Instantiated once: in amorph::compiled (declared extern by
// any_force_field.hpp when AMORPH_COMPILED is defined), otherwise in
// force_field_2d.cpp and force_field_3d.cpp.
#ifndef AMORPH_COMPILED
extern template amorph::dynamics::any_force_field<2> amorph::dynamics::make_any_force_field<2>(
    const amorph::potential::any_potential&, double, amorph::dynamics::force_field_options);
extern template amorph::dynamics::any_force_field<3> amorph::dynamics::make_any_force_field<3>(
    const amorph::potential::any_potential&, double, amorph::dynamics::force_field_options);
#endif
