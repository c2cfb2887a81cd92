// apps/amorph/cmd_minimize.cpp — `amorph minimize FILE [potential] -o OUT`:
// relax a configuration to a local energy minimum (LAMMPS `minimize etol ftol
// maxiter maxeval` with min_style cg | fire, or L-BFGS), optionally with the
// cell relaxed to a target pressure (--box-relax P, iso or aniso).
// Prints why it stopped, iterations, force evaluations (LAMMPS's count),
// initial and final total and per-atom energy, the force 2-norm, the largest
// force component and the largest per-atom force; with --box-relax also the
// final pressure and volume. --csv FILE writes the same rows.
#include "cmd_dynamics.hpp"
#include "table.hpp"

#include <amorph/dynamics/box_relax.hpp>
#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/fire.hpp>
#include <amorph/dynamics/lbfgs.hpp>
#include <amorph/dynamics/minimize.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <optional>

namespace amorph::cli {

namespace {

struct minimize_options {
    dynamics_common_options c;
    std::string style = "cg";
    std::string line = "quadratic";
    std::string norm = "two";
    double etol = 0.0, ftol = 1e-8, dmax = 0.1, dt = 0.0;
    std::size_t maxiter = 10000, maxeval = 100000;
    std::optional<double> box_relax;
    std::string couple = "iso";
    double ptol = 0.0;
    std::string csv;
};

template <int D>
int run_minimize_d(const CLI::App& cmd, const minimize_options& o) {
    const auto fmt = o.c.out.output.empty() ? io::file_format::auto_detect
                                            : output_format_for(o.c.out.output, o.c.out.output_format);
    auto sys = load_system<D>(o.c.in);
    const auto spec = resolve_potential(o.c.pot);
    sys.units = &resolve_units(cmd, o.c, spec);
    const double skin = o.c.skin >= 0.0 ? o.c.skin : default_skin(*sys.units);

    dynamics::min_options mo;
    mo.etol = o.etol;
    mo.ftol = o.ftol;
    mo.max_iterations = o.maxiter;
    mo.max_evaluations = o.maxeval;
    mo.dmax = o.dmax;
    mo.norm = o.norm == "max" ? dynamics::force_norm::max
              : o.norm == "inf" ? dynamics::force_norm::inf
                                : dynamics::force_norm::two;
    dynamics::min_result res;
    std::optional<dynamics::box_relax_result> box;
    double e0 = 0.0;
    with_force_field<D>(sys, spec, skin, [&](auto& ff) {
        e0 = ff.compute(sys).energy;
        auto go = [&](const auto& method) {
            if (o.box_relax) {
                dynamics::box_relax_options bo;
                bo.pressure = *o.box_relax;
                bo.couple = o.couple == "aniso" ? dynamics::cell_coupling::aniso : dynamics::cell_coupling::iso;
                bo.ptol = o.ptol;
                box = dynamics::relax_box(sys, ff, method, mo, bo);
                res = box->last;
                res.evaluations = box->evaluations;
                res.energy_initial = e0;
            } else {
                res = dynamics::minimize(sys, ff, method, mo);
            }
        };
        if (o.style == "fire") go(dynamics::fire<D>(dynamics::fire_options{.dt = o.dt}));
        else if (o.style == "lbfgs") go(dynamics::lbfgs<D>{});
        else {
            dynamics::cg_options co;
            co.line = o.line == "backtrack" ? dynamics::line_search::backtrack
                      : o.line == "forcezero" ? dynamics::line_search::forcezero
                                              : dynamics::line_search::quadratic;
            go(dynamics::conjugate_gradient<D>(co));
        }
    });
    if (sys.has_velocities()) sys.velocities.setZero();
    if (!o.c.out.output.empty()) save_system<D>(o.c.out.output, sys, fmt);

    const double n = static_cast<double>(sys.size());
    scalar_report r;
    r.add_text("stopping criterion", res.message);
    r.add_text("converged", res.converged() && (!box || box->converged) ? "yes" : "no");
    r.add("iterations", static_cast<double>(res.iterations));
    r.add("force evaluations", static_cast<double>(res.evaluations));
    const std::string eu(sys.units->energy), fu = units::force_unit(*sys.units);
    r.add("energy initial", res.energy_initial, eu, 17);
    r.add("energy final", res.energy, eu, 17);
    r.add("energy per atom", res.energy / n, eu, 17);
    r.add("force 2-norm", res.fnorm2, fu);
    r.add("force max component", res.fnorm_inf, fu);
    r.add("force max atom", res.fnorm_max, fu);
    if (box) {
        r.add_text("cell relaxation", box->message);
        r.add("cell iterations", static_cast<double>(box->outer_iterations));
        r.add("pressure", box->pressure, units::pressure_unit(*sys.units, D));
        r.add(D == 3 ? "volume" : "area", box->volume, units::volume_unit(*sys.units, D));
    }
    r.print(std::cout);
    if (!o.csv.empty()) r.write_csv(o.csv);
    return 0;  // not converging is reported ("converged no"), not an error
}

}  // namespace

void add_minimize_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<minimize_options>();
    auto* cmd = app.add_subcommand("minimize", "relax atoms (and optionally the cell) to a local energy minimum");
    add_dynamics_common_options(*cmd, o->c);
    cmd->add_option("--min-style", o->style, "cg (LAMMPS min_style cg), fire (FIRE 2.0) or lbfgs")
        ->check(CLI::IsMember({"cg", "fire", "lbfgs"}))
        ->capture_default_str();
    cmd->add_option("--line", o->line, "CG line search: quadratic, backtrack or forcezero")
        ->check(CLI::IsMember({"quadratic", "backtrack", "forcezero"}))
        ->capture_default_str();
    cmd->add_option("--etol", o->etol, "relative energy tolerance (0: off)")->capture_default_str();
    cmd->add_option("--ftol", o->ftol, "force tolerance in the chosen --norm (0: off)")->capture_default_str();
    cmd->add_option("--norm", o->norm, "force norm: two (2-norm), max (largest atom), inf (largest component)")
        ->check(CLI::IsMember({"two", "max", "inf"}))
        ->capture_default_str();
    cmd->add_option("--maxiter", o->maxiter, "maximum iterations")->capture_default_str();
    cmd->add_option("--maxeval", o->maxeval, "maximum force evaluations")->capture_default_str();
    cmd->add_option("--dmax", o->dmax, "largest step of one coordinate")->capture_default_str();
    cmd->add_option("--timestep", o->dt, "FIRE initial timestep (default: the unit system's)");
    cmd->add_option("--box-relax", o->box_relax, "also relax the cell to this pressure");
    cmd->add_option("--couple", o->couple, "cell relaxation: iso or aniso")
        ->check(CLI::IsMember({"iso", "aniso"}))
        ->capture_default_str();
    cmd->add_option("--ptol", o->ptol, "pressure tolerance of --box-relax (default 1e-6 nktv2p)");
    add_csv_option(*cmd, o->csv);
    add_dynamics_command(reg, cmd, o, [cmd](const auto& opt, auto d) {
        return run_minimize_d<decltype(d)::value>(*cmd, opt);
    });
}

}  // namespace amorph::cli
