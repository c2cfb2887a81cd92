// apps/amorph/cmd_aqs.cpp — `amorph aqs FILE [potential] ...`: athermal
// quasistatic deformation (protocol/aqs.hpp) with the loadings of
// protocol/deformation.hpp:
//   --mode shear           simple shear along --direction on the plane with
//                          normal --plane (default x on y: LAMMPS xy), or
//                          --orientation K (3D, thesis Table 5.1, K = 1..24)
//   --mode pure-shear      stretch --direction, compress --plane (area/volume kept)
//   --mode tension-strain  uniaxial tension along --direction (x, y or z), lateral sizes fixed
//   --mode tension-stress  the same with the lateral stresses relaxed to zero
// Directions: x, y, z, -x, ... or components "1,1,0" (normalized).
// Each step applies --dgamma and minimizes (--min-style cg|fire|lbfgs and the
// tolerances of `amorph minimize`, LAMMPS's defaults 0 1e-8 10000 100000).
// --csv writes one row per strain step with the columns
//   strain,pe,pxx,pyy,pzz,pxy,pxz,pyz,tau,iterations,evaluations,fnorm,converged,plastic
// (LAMMPS thermo names: pe is the total potential energy, p.. the pressure
// tensor from the virial; tau the resolved stress of the loading).
// --save-at S1,S2 writes the configuration at those strains to
// PREFIX<strain>.data (--save-prefix, default "aqs_"). --shuffle-seed S also
// runs the shuffled-order experiment (thesis 5.7.6) and reports how many of
// the top --top-fraction D2min atoms (cutoff --d2min-cutoff, start -> max
// strain) agree. -o writes the final configuration.
#include "cmd_deform.hpp"
#include "cmd_dynamics.hpp"
#include "progress.hpp"
#include "table.hpp"

#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/fire.hpp>
#include <amorph/dynamics/lbfgs.hpp>
#include <amorph/protocol/aqs.hpp>
#include <amorph/protocol/shuffled_order.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace amorph::cli {

namespace {

struct aqs_cli_options {
    dynamics_common_options c;
    std::string mode = "shear";
    std::string direction = "x", plane = "y";
    int orientation = 0;
    double dgamma = 1e-4, max_strain = 0.01;
    std::string style = "cg", line = "quadratic", norm = "two";
    double etol = 0.0, ftol = 1e-8, dmax = 0.1, dt = 0.0;
    std::size_t maxiter = 10000, maxeval = 100000;
    bool extrapolate = false, no_relax_start = false;
    double stress_drop = -1.0, energy_drop = 0.0;
    std::vector<double> save_at;
    std::string save_prefix = "aqs_";
    std::string csv;
    std::optional<std::uint64_t> shuffle_seed;
    double d2min_cutoff = 0.0, top_fraction = 0.005;
    std::string checkpoint;
    std::size_t checkpoint_every = 0;
    bool resume = false;
};

template <int D>
protocol::deformation<D> make_deformation(const CLI::App& cmd, const aqs_cli_options& o) {
    if (o.orientation != 0) {
        if constexpr (D == 3) {
            if (o.mode != "shear") throw invalid_argument("--orientation is a simple-shear loading (--mode shear)");
            if (cmd.count("--direction") || cmd.count("--plane"))
                throw invalid_argument("give either --orientation or --direction/--plane");
            return protocol::orientation(o.orientation);
        } else {
            throw invalid_argument("--orientation (thesis Table 5.1) is for 3D systems");
        }
    }
    const vec<D> a = parse_direction<D>(o.direction, "--direction");
    const vec<D> b = parse_direction<D>(o.plane, "--plane");
    if (o.mode == "shear") return protocol::simple_shear<D>(a, b);
    if (o.mode == "pure-shear") return protocol::pure_shear<D>(a, b);
    int axis = -1;
    for (int k = 0; k < D; ++k)
        if (a(k) != 0.0) axis = axis < 0 ? k : 99;
    if (axis < 0 || axis >= D || a(axis) < 0)
        throw invalid_argument("tension needs a Cartesian --direction x, y or z, got '" + o.direction + "'");
    return protocol::tension<D>(axis, o.mode == "tension-stress");
}

template <int D>
int run_aqs_d(const CLI::App& cmd, const aqs_cli_options& o) {
    auto sys = load_system<D>(o.c.in);
    const auto spec = resolve_potential(o.c.pot);
    sys.units = &resolve_units(cmd, o.c, spec);
    if (sys.has_velocities()) sys.velocities.setZero();
    const double skin = o.c.skin >= 0.0 ? o.c.skin : default_skin(*sys.units);
    const auto def = make_deformation<D>(cmd, o);
    if (o.shuffle_seed && !(o.d2min_cutoff > 0.0)) throw invalid_argument("--shuffle-seed needs --d2min-cutoff");

    protocol::aqs_options<D> opt;
    opt.dstrain = o.dgamma;
    opt.max_strain = o.max_strain;
    opt.relax_start = !o.no_relax_start;
    opt.extrapolate = o.extrapolate;
    opt.stress_drop = o.stress_drop;
    opt.energy_drop = o.energy_drop;
    opt.minimize.etol = o.etol;
    opt.minimize.ftol = o.ftol;
    opt.minimize.max_iterations = o.maxiter;
    opt.minimize.max_evaluations = o.maxeval;
    opt.minimize.dmax = o.dmax;
    opt.minimize.norm = o.norm == "max" ? dynamics::force_norm::max
                        : o.norm == "inf" ? dynamics::force_norm::inf
                                          : dynamics::force_norm::two;
    opt.save_at = o.save_at;
    opt.on_save = [&](double s, const amorph::system<D>& x) {
        char b[64];
        std::snprintf(b, sizeof b, "%.6g", s);
        save_system<D>(o.save_prefix + b + ".data", x, io::file_format::lammps_data);
    };
    opt.checkpoint = o.checkpoint;
    opt.checkpoint_every = o.checkpoint.empty() ? 0 : (o.checkpoint_every ? o.checkpoint_every : 10);
    opt.resume = o.resume;
    const auto nsteps = static_cast<std::size_t>(std::llround(o.max_strain / o.dgamma));
    progress_bar bar("aqs", nsteps, !o.c.run.quiet);
    opt.on_step = [&](const protocol::aqs_step& s) { bar.update(s.step); };

    protocol::aqs_result res;
    std::optional<protocol::shuffle_agreement> shuffle;
    const amorph::system<D> start = sys;
    with_force_field<D>(sys, spec, skin, [&](auto& ff) {
        auto go = [&](const auto& method) {
            res = protocol::aqs(sys, ff, method, def, opt);
            bar.finish();
            if (o.shuffle_seed) {
                auto so = opt;
                so.on_step = {};
                shuffle = protocol::shuffled_order_agreement(
                    start, [&] { return std::remove_cvref_t<decltype(ff)>(ff); }, method, def, so, o.d2min_cutoff,
                    o.top_fraction, *o.shuffle_seed);
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
    if (!o.c.out.output.empty())
        save_system<D>(o.c.out.output, sys, output_format_for(o.c.out.output, o.c.out.output_format));

    table curve({"strain", "pe", "pxx", "pyy", "pzz", "pxy", "pxz", "pyz", "tau", "iterations", "evaluations", "fnorm",
                 "converged", "plastic"});
    std::size_t unconverged = 0;
    for (const auto& s : res.steps) {
        const auto& P = s.pressure;
        curve.add_row({s.strain, s.pe, P(0, 0), P(1, 1), P(2, 2), P(0, 1), P(0, 2), P(1, 2), s.tau,
                       static_cast<double>(s.iterations), static_cast<double>(s.evaluations), s.fnorm,
                       s.converged ? 1.0 : 0.0, s.plastic ? 1.0 : 0.0});
        unconverged += s.converged ? 0 : 1;
    }
    if (!o.csv.empty()) curve.write_csv(o.csv);
    scalar_report r;
    r.add_text("loading", std::string(protocol::to_string(def.mode)));
    r.add("strain steps", static_cast<double>(res.steps.empty() ? 0 : res.steps.size() - 1));
    r.add("final strain", res.steps.empty() ? 0.0 : res.steps.back().strain);
    r.add("force evaluations", static_cast<double>(res.evaluations));
    r.add("unconverged minimizations", static_cast<double>(unconverged));
    r.add("plastic events", static_cast<double>(res.events.size()));
    if (!res.events.empty()) r.add("first event strain", res.steps[res.events.front()].strain);
    if (!res.steps.empty()) {
        r.add("final pe", res.steps.back().pe, "", 17);
        r.add("final tau", res.steps.back().tau);
    }
    if (res.resumed) r.add_text("resumed", o.checkpoint);
    if (shuffle) {
        r.add("shuffled-order top-f atoms", static_cast<double>(shuffle->top_count));
        r.add("shuffled-order agreement", shuffle->agreement);
    }
    r.print(std::cout);
    return 0;
}

}  // namespace

void add_aqs_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<aqs_cli_options>();
    auto* cmd = app.add_subcommand("aqs", "athermal quasistatic shear / tension (strain step + minimization)");
    add_dynamics_common_options(*cmd, o->c);
    cmd->add_option("--mode", o->mode, "loading: shear, pure-shear, tension-strain or tension-stress")
        ->check(CLI::IsMember({"shear", "pure-shear", "tension-strain", "tension-stress"}))
        ->capture_default_str();
    cmd->add_option("--direction", o->direction, "shear direction / stretch axis / tension axis: x, -y, 1,1,0 ...")
        ->capture_default_str();
    cmd->add_option("--plane", o->plane, "shear-plane normal / pure-shear compression axis")->capture_default_str();
    cmd->add_option("--orientation", o->orientation, "3D simple shear along Table 5.1 orientation K (1..24)")
        ->check(CLI::Range(1, 24));
    cmd->add_option("--dgamma", o->dgamma, "strain increment")->capture_default_str();
    cmd->add_option("--max-strain", o->max_strain, "final strain")->capture_default_str();
    cmd->add_option("--min-style", o->style, "cg, fire or lbfgs")->check(CLI::IsMember({"cg", "fire", "lbfgs"}))->capture_default_str();
    cmd->add_option("--line", o->line, "CG line search: quadratic, backtrack or forcezero")
        ->check(CLI::IsMember({"quadratic", "backtrack", "forcezero"}))
        ->capture_default_str();
    cmd->add_option("--etol", o->etol, "relative energy tolerance (0: off)")->capture_default_str();
    cmd->add_option("--ftol", o->ftol, "force tolerance (0: off)")->capture_default_str();
    cmd->add_option("--norm", o->norm, "force norm: two, max, inf")->check(CLI::IsMember({"two", "max", "inf"}))->capture_default_str();
    cmd->add_option("--maxiter", o->maxiter, "maximum iterations per minimization")->capture_default_str();
    cmd->add_option("--maxeval", o->maxeval, "maximum force evaluations per minimization")->capture_default_str();
    cmd->add_option("--dmax", o->dmax, "largest step of one coordinate")->capture_default_str();
    cmd->add_option("--timestep", o->dt, "FIRE initial timestep (default: the unit system's)");
    cmd->add_flag("--extrapolate", o->extrapolate, "start each minimization from the previous nonaffine relaxation");
    cmd->add_flag("--no-relax-start", o->no_relax_start, "do not minimize the start configuration");
    cmd->add_option("--stress-drop", o->stress_drop, "plastic event threshold on the resolved stress (default 1e-4 nktv2p; 0: off)");
    cmd->add_option("--energy-drop", o->energy_drop, "plastic event threshold on the energy (0: off)")->capture_default_str();
    cmd->add_option_function<std::string>(
           "--save-at",
           [o](const std::string& list) {
               o->save_at.clear();
               std::stringstream ss(list);
               std::string item;
               while (std::getline(ss, item, ',')) {
                   std::size_t used = 0;
                   double v = 0;
                   try {
                       v = std::stod(item, &used);
                   } catch (const std::exception&) {
                       used = 0;
                   }
                   if (used == 0 || used != item.size()) throw CLI::ValidationError("--save-at", "not a number: '" + item + "'");
                   o->save_at.push_back(v);
               }
           },
           "save the configuration at these strains (PREFIX<strain>.data)")
        ->type_name("S1,S2,...");
    cmd->add_option("--save-prefix", o->save_prefix, "file prefix of --save-at")->capture_default_str();
    add_csv_option(*cmd, o->csv);
    cmd->add_option("--shuffle-seed", o->shuffle_seed, "also run with the atoms shuffled (seed) and compare top-f D2min labels");
    cmd->add_option("--d2min-cutoff", o->d2min_cutoff, "D2min cutoff of --shuffle-seed");
    cmd->add_option("--top-fraction", o->top_fraction, "top fraction of --shuffle-seed")->capture_default_str();
    cmd->add_option("--checkpoint", o->checkpoint, "checkpoint file (written atomically)");
    cmd->add_option("--checkpoint-every", o->checkpoint_every, "steps between checkpoints (default 10)");
    cmd->add_flag("--resume", o->resume, "continue from --checkpoint when it exists");
    add_dynamics_command(reg, cmd, o, [cmd](const auto& opt, auto d) {
        return run_aqs_d<decltype(d)::value>(*cmd, opt);
    });
}

}  // namespace amorph::cli
