// apps/amorph/cmd_stress.cpp — `amorph stress FILE [potential]`: atomic stress
// (alumina eq 2, amorph/analysis/atomic_stress.hpp)
//     sigma_i = s_i / Omega_i,  positive = tension,
// with s_i the per-atom stress x volume of LAMMPS's `compute stress/atom NULL`
// (kinetic part included when the file has velocities) and Omega_i the Voronoi
// volume (radical with --radical --radii). Units: pressure units of --units
// (bar in metal), as LAMMPS reports them.
//
// Prints the mean hydrostatic atomic stress, and the volume-weighted sum
// sum_i s_i / V per component, which is minus the pressure tensor (the check
// that the per-atom virial adds up). -o writes per-atom `sxx syy szz sxy sxz
// syz` (2D: sxx syy sxy), `hydrostatic` and `volume`.
#include "cmd_dynamics.hpp"
#include "cmd_structure.hpp"
#include "common.hpp"
#include "table.hpp"

#include <amorph/analysis/atomic_stress.hpp>
#include <amorph/analysis/voronoi.hpp>
#include <amorph/potential/factory.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <variant>

namespace amorph::cli {

namespace {

struct stress_options {
    input_options in;
    output_options out;
    potential_options pot;
    std::string units = "metal", radii, csv;
    bool radical = false;
    run_options run;  ///< --threads, --quiet
};

int run_stress(const stress_options& o, const CLI::App& cmd) {
    if (o.radical != !o.radii.empty()) throw invalid_argument("stress: --radical and --radii go together");
    const auto spec = resolve_potential(o.pot);
    if (spec.empty()) throw invalid_argument("stress: no potential given (--pair-style, --potential or --preset)");
    const std::string unit_name = cmd.count("--units") == 0 && !spec.units.empty() ? spec.units : o.units;
    const auto& u = units::by_name(unit_name);
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        auto sys = load_system<D>(o.in);
        sys.units = &u;
        check_preset_fits(spec, sys);
        const auto pot = potential::make_potential(potential::parse_pair_commands(spec.to_lammps(), "potential"),
                                                   static_cast<int>(sys.species.size()));
        for (std::size_t t = 0; t < sys.species.size(); ++t)
            if (!sys.species[t].has_mass() && t < pot.masses().size()) sys.species[t].mass = pot.masses()[t];
        potential::compute_options co;
        co.virial_per_atom = true;
        const auto res = evaluate_once<D>(pot, sys, co);
        const auto s = potential::stress_per_atom<D>(sys, res);
        analysis::voronoi_options vo;
        vo.faces = false;
        if (o.radical) vo.radii = radii_per_atom(sys, o.radii);
        const auto vor = analysis::voronoi<D>(sys.box, sys.positions, vo);
        const auto st = analysis::atomic_stress<D>(s, vor.volume);

        const double V = sys.box.volume();
        const std::array<const char*, 6> names{"xx", "yy", "zz", "xy", "xz", "yz"};
        const std::array<int, D == 3 ? 6 : 3> comps = [] {
            if constexpr (D == 3) return std::array<int, 6>{0, 1, 2, 3, 4, 5};
            else return std::array<int, 3>{0, 1, 3};
        }();
        const std::string punit = u.reduced() ? "pressure" : std::string(u.pressure);
        scalar_report rep;
        rep.add("atoms", static_cast<double>(sys.size()));
        double h = 0;
        for (double v : st.hydrostatic) h += v;
        rep.add("mean hydrostatic atomic stress", sys.size() ? h / static_cast<double>(sys.size()) : 0.0, punit);
        for (int k : comps) {
            rep.add(std::string("sum s_") + names[static_cast<std::size_t>(k)] + " / V", s.row(k).sum() / V,
                    punit + " (= -p" + names[static_cast<std::size_t>(k)] + ")");
        }
        rep.print(std::cout);
        if (!o.csv.empty()) rep.write_csv(o.csv);
        if (!o.out.output.empty()) {
            for (int k : comps) {
                std::vector<double> c(sys.size());
                for (std::size_t i = 0; i < sys.size(); ++i) c[i] = st.tensor(k, static_cast<Eigen::Index>(i));
                sys.set_property(std::string("s") + names[static_cast<std::size_t>(k)], c);
            }
            sys.set_property("hydrostatic", st.hydrostatic);
            sys.set_property(D == 3 ? "volume" : "area", vor.volume);
            save_system<D>(o.out.output, sys, output_format_for(o.out.output, o.out.output_format));
        }
        return 0;
    });
}

}  // namespace

void add_stress_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<stress_options>();
    auto* cmd = app.add_subcommand("stress", "atomic stress: per-atom virial / Voronoi volume (positive = tension)");
    add_input_options(*cmd, o->in);
    add_output_options(*cmd, o->out);
    add_potential_options(*cmd, o->pot);
    add_units_option(*cmd, o->units);
    cmd->add_flag("--radical", o->radical, "radical Voronoi volumes with the --radii");
    cmd->add_option("--radii", o->radii, "radius per species for --radical, e.g. Al:0.5,O:1.4");
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o, cmd] { return run_stress(*o, *cmd); });
}

}  // namespace amorph::cli
