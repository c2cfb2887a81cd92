// apps/amorph/cmd_energy.cpp — `amorph energy FILE [potential] [-o OUT]`: one
// force evaluation, the quantities LAMMPS reports after `run 0`.
//
// Prints (and with --csv writes as "quantity,value,unit" rows, 17 significant
// digits so that they read back exactly):
//   atoms, energy (total potential energy E), energy per atom E / N,
//   pressure p = trace(P) / D and the tensor pxx pyy pzz pxy pxz pyz with
//       P_ab = (K_ab + W_ab) / V * nktv2p        (thermo press, pxx, ...)
//   (K = mvv2e sum_i m_i v_ia v_ib from the file's velocities, zero without
//   them; W = sum over interactions of r (x) f; V the volume, area in 2D; bar in
//   metal units, epsilon/sigma^D in lj units; z components are 0 in 2D),
//   volume, the virial W (energy units) and the largest force component.
// -o FILE writes every atom (extxyz, LAMMPS dump or data by extension):
//   id, type (species), position, forces (fx fy fz), and the per-atom columns
//       pe          LAMMPS compute pe/atom (pair terms split 1/2 : 1/2,
//                   three-body 1/3 each, EAM embedding to its atom; sums to E)
//       stress_xx stress_yy stress_zz stress_xy stress_xz stress_yz
//                   LAMMPS compute stress/atom NULL:
//                   s_i,ab = -(mvv2e m_i v_ia v_ib + W_i,ab) * nktv2p
//                   (pressure x volume units, bar A^3 in metal; sum_i s_i = -V P;
//                   zz, xz, yz are 0 in 2D)
// Potential options as for every subcommand (--pair-style/--pair-coeff/
// --pair-modify, --potential FILE, --preset NAME); --units defaults to the
// preset's unit system, else metal. EAM potential files set the species
// masses, overriding the data file's (LAMMPS's pair_coeff does the same; it
// matters for the kinetic parts). No neighbor skin: the list is built for
// these positions.
#include "app.hpp"
#include "cmd_dynamics.hpp"
#include "table.hpp"

#include <amorph/potential/result.hpp>

#include <CLI/CLI.hpp>


#include <cmath>
#include <iostream>
#include <memory>

namespace amorph::cli {

namespace {

struct energy_options {
    input_options in;
    output_options out;
    potential_options pot;
    std::string units = "metal";
    std::string csv;
    run_options run;
};

constexpr int exact_digits = 17;

template <int D>
int run_energy_d(const CLI::App& cmd, const energy_options& o) {
    const auto fmt = o.out.output.empty() ? io::file_format::auto_detect
                                          : output_format_for(o.out.output, o.out.output_format);
    auto [sys, pot] = load_with_potential<D>(cmd, o.in, o.pot, o.units);
    if (sys.has_velocities() && !sys.species.all_masses_known())
        throw invalid_argument("the file has velocities but not every species has a mass (give Masses in the file, "
                               "or element names with --species)");

    const auto r = evaluate_once<D>(pot, sys, potential::compute_options::all());
    const auto P = potential::lammps_order<D>(potential::pressure_tensor(sys, r));
    const auto S = potential::stress_per_atom(sys, r);
    const auto W = potential::lammps_order<D>(r.virial);

    const auto& u = *sys.units;
    const std::string eu(u.energy), pu = units::pressure_unit(u, D), vu = units::volume_unit(u, D),
        fu = units::force_unit(u);
    const char* comp[6] = {"xx", "yy", "zz", "xy", "xz", "yz"};

    scalar_report rep;
    rep.add_text("pair style", pot.style());
    rep.add("atoms", static_cast<double>(sys.size()));
    rep.add("energy", r.energy, eu, exact_digits);
    rep.add("energy per atom", sys.size() ? r.energy / static_cast<double>(sys.size()) : 0.0, eu, exact_digits);
    rep.add("pressure", (P(0) + P(1) + P(2)) / D, pu, exact_digits);
    for (int k = 0; k < 6; ++k) rep.add(std::string("p") + comp[k], P(k), pu, exact_digits);
    rep.add(D == 3 ? "volume" : "area", sys.box.volume(), vu, exact_digits);
    for (int k = 0; k < 6; ++k) rep.add(std::string("virial ") + comp[k], W(k), eu, exact_digits);
    rep.add("force max component", r.forces.size() ? r.forces.cwiseAbs().maxCoeff() : 0.0, fu, exact_digits);
    rep.print(std::cout);
    if (!o.csv.empty()) rep.write_csv(o.csv);

    if (!o.out.output.empty()) {
        sys.forces = r.forces;
        sys.set_property("pe", r.energy_per_atom);
        for (int k = 0; k < 6; ++k) {
            std::vector<double> col(sys.size());
            for (std::size_t i = 0; i < sys.size(); ++i) col[i] = S(k, static_cast<Eigen::Index>(i));
            sys.set_property(std::string("stress_") + comp[k], std::move(col));
        }
        save_system<D>(o.out.output, sys, fmt);
    }
    return 0;
}

}  // namespace

void add_energy_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<energy_options>();
    auto* cmd = app.add_subcommand(
        "energy", "energy, pressure tensor, forces, per-atom energy and stress of a configuration (LAMMPS run 0)");
    add_input_options(*cmd, o->in);
    add_output_options(*cmd, o->out);
    add_potential_options(*cmd, o->pot);
    add_units_option(*cmd, o->units);
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o, cmd] {
                       return with_dimension(resolve_dimension(o->in),
                                             [&](auto d) { return run_energy_d<decltype(d)::value>(*cmd, *o); });
                   });
}

}  // namespace amorph::cli
