// apps/amorph/cmd_deform_md.cpp — `amorph deform FILE [potential] ...`: MD
// deformation (protocol/deform_rate.hpp, stepwise_strain.hpp), the two loadings of the alumina study.
//   --loading rate    constant engineering strain rate --rate R of component
//                     --direction (x, y, z: a length, LAMMPS `fix deform x
//                     erate R remap x`; xy, xz, yz: a tilt) for --steps N MD
//                     steps or up to --max-strain; Nose-Hoover NVT at --temp
//                     (--tdamp); --lateral strain keeps the other sizes fixed,
//                     --lateral stress barostats them to zero normal stress
//                     (MTK, --pdamp; LAMMPS fix npt y 0 0 Pdamp z 0 0 Pdamp)
//   --loading steps   strain steps --dstrain up to --max-strain along
//                     --direction (x, y, z: tension, --lateral strain or
//                     stress; xy, xz, yz: simple shear); after each:
//                     minimize (--min-style cg|fire|lbfgs, --etol --ftol
//                     --maxiter --maxeval), NVT hold of --hold steps, the
//                     pressure tensor averaged over the last --sample steps
// --csv: rate: one row every --thermo steps
//   step,time,strain,stress,pe,temp,vol,pxx,pyy,pzz,pxy,pxz,pyz
// steps: one row per strain step
//   step,strain,stress,pe,temp,pxx,pyy,pzz,pxy,pxz,pyz,pe_min,pxx_min,pyy_min,
//   pzz_min,pxy_min,pxz_min,pyz_min,iterations,evaluations,converged
// (p.. the thermo pressure tensor, LAMMPS sign; stress = -P of the loaded
// component, i.e. tensile/shear stress; *_min after the minimization, virial
// only). Velocities: the file's, or Maxwell-Boltzmann at --temp with --seed
// (or seed 1 when the file has none). --save-prefix P (steps) writes the
// configuration after each hold to P<strain>.data. Rate loading:
// --checkpoint FILE --every N and --resume FILE as `amorph md`.
#include "cmd_deform.hpp"
#include "cmd_dynamics.hpp"
#include "table.hpp"

#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/fire.hpp>
#include <amorph/dynamics/lbfgs.hpp>
#include <amorph/dynamics/velocity.hpp>
#include <amorph/protocol/checkpoint.hpp>
#include <amorph/protocol/deform_rate.hpp>
#include <amorph/protocol/stepwise_strain.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace amorph::cli {

namespace {

struct deform_cli_options {
    dynamics_common_options c;
    std::string loading = "rate";
    std::string direction = "x";
    std::string lateral = "strain";
    double rate = 0.0, dstrain = 0.01, max_strain = 0.0;
    std::int64_t steps = 0, hold = 1000, sample = 100, thermo = 100;
    double temp = 0.0, tdamp = 0.0, pdamp = 0.0, dt = 0.0;
    std::optional<std::uint64_t> seed;
    std::string style = "cg";
    double etol = 0.0, ftol = 1e-8;
    std::size_t maxiter = 10000, maxeval = 100000;
    std::string csv, save_prefix;
    std::string checkpoint, resume;
    std::int64_t every = 0;
};

template <int D>
protocol::rate_component component(const std::string& s) {
    const auto c = protocol::rate_along(s, 0.0);
    if (c.i >= D || c.j >= D) throw invalid_argument("--direction " + s + " needs a 3D system");
    return c;
}

template <int D, class FF>
int run_rate(const deform_cli_options& o, amorph::system<D>& sys, FF& ff, double dt) {
    auto comp = component<D>(o.direction);
    comp.rate = o.rate;
    if (!(o.rate != 0.0)) throw invalid_argument("--loading rate needs a non-zero --rate");
    std::int64_t steps = o.steps;
    if (steps == 0 && o.max_strain != 0.0) steps = std::llround(o.max_strain / (o.rate * dt));
    if (steps <= 0) throw invalid_argument("--loading rate needs --steps N or --max-strain S (same sign as --rate)");
    const double tdamp = o.tdamp > 0.0 ? o.tdamp : 100.0 * dt;
    dynamics::nose_hoover_params p = dynamics::nvt(o.temp, o.temp, tdamp);
    if (o.lateral == "stress") {
        if (comp.tilt()) throw invalid_argument("--lateral stress is for tension (--direction x, y or z)");
        p = protocol::plane_stress_npt<D>(comp.i, o.temp, tdamp, o.pdamp > 0.0 ? o.pdamp : 1000.0 * dt);
    }
    const auto integ = protocol::make_deforming<D>(dynamics::nose_hoover<D>(p), {comp});
    using I = std::remove_cvref_t<decltype(integ)>;
    dynamics::md_state<I> st;
    const amorph::box<D> ref = sys.box;
    if (!o.resume.empty()) protocol::read_checkpoint(o.resume, sys, ff, st);
    protocol::strain_log<D> log(o.thermo > 0 ? o.thermo : 100, comp, ref);
    std::optional<protocol::checkpointer<D>> ckpt;
    if (!o.checkpoint.empty()) {
        if (o.every <= 0) throw invalid_argument("--checkpoint needs --every N (N > 0)");
        ckpt.emplace(o.checkpoint, o.every);
    }
    auto ck = dynamics::on_step<D>([&](const dynamics::observation<D>& ob) {
        if (ckpt) ckpt->observe(ob);
    });
    dynamics::run(sys, ff, integ, st, {.steps = steps, .dt = dt}, log, ck);

    table curve({"step", "time", "strain", "stress", "pe", "temp", "vol", "pxx", "pyy", "pzz", "pxy", "pxz", "pyz"});
    for (const auto& r : log.rows()) {
        mat<3> P = mat<3>::Zero();
        P.template topLeftCorner<D, D>() = r.pressure;
        curve.add_row({static_cast<double>(r.step), r.time, r.strain, r.stress, r.pe, r.temp, r.volume, P(0, 0),
                       P(1, 1), P(2, 2), P(0, 1), P(0, 2), P(1, 2)});
    }
    if (!o.csv.empty()) curve.write_csv(o.csv);
    scalar_report rep;
    rep.add_text("loading", "constant rate " + o.direction + " (" + (o.lateral == "stress" ? "plane stress" : "fixed lateral sizes") + ")");
    rep.add("steps", static_cast<double>(st.step));
    if (!log.rows().empty()) {
        rep.add("final strain", log.rows().back().strain);
        rep.add("final stress", log.rows().back().stress);
        rep.add("final temperature", log.rows().back().temp);
    }
    rep.print(std::cout);
    return 0;
}

template <int D, class FF>
int run_steps(const deform_cli_options& o, amorph::system<D>& sys, FF& ff, double dt) {
    const auto comp = component<D>(o.direction);
    protocol::deformation<D> def;
    if (comp.tilt()) {
        if (o.lateral == "stress") throw invalid_argument("--lateral stress is for tension (--direction x, y or z)");
        def = protocol::simple_shear<D>(vec<D>::Unit(comp.i), vec<D>::Unit(comp.j));
    } else {
        def = protocol::tension<D>(comp.i, o.lateral == "stress");
    }
    if (!(o.max_strain != 0.0)) throw invalid_argument("--loading steps needs --max-strain");
    protocol::stepwise_options<D> opt;
    opt.dstrain = o.dstrain;
    opt.max_strain = o.max_strain;
    opt.hold = o.hold;
    opt.sample = o.sample;
    opt.dt = dt;
    opt.minimize.etol = o.etol;
    opt.minimize.ftol = o.ftol;
    opt.minimize.max_iterations = o.maxiter;
    opt.minimize.max_evaluations = o.maxeval;
    if (!o.save_prefix.empty())
        opt.on_step = [&](const protocol::stepwise_record& r, const amorph::system<D>& s) {
            char b[64];
            std::snprintf(b, sizeof b, "%.6g", r.strain);
            save_system<D>(o.save_prefix + b + ".data", s, io::file_format::lammps_data);
        };
    dynamics::nose_hoover<D> nh(dynamics::nvt(o.temp, o.temp, o.tdamp > 0.0 ? o.tdamp : 100.0 * dt));
    dynamics::md_state<dynamics::nose_hoover<D>> st;
    protocol::stepwise_result res;
    if (o.style == "fire") res = protocol::stepwise_strain(sys, ff, dynamics::fire<D>(dynamics::fire_options{}), def, nh, st, opt);
    else if (o.style == "lbfgs") res = protocol::stepwise_strain(sys, ff, dynamics::lbfgs<D>{}, def, nh, st, opt);
    else res = protocol::stepwise_strain(sys, ff, dynamics::conjugate_gradient<D>{}, def, nh, st, opt);

    table curve({"step", "strain", "stress", "pe", "temp", "pxx", "pyy", "pzz", "pxy", "pxz", "pyz", "pe_min", "pxx_min",
                 "pyy_min", "pzz_min", "pxy_min", "pxz_min", "pyz_min", "iterations", "evaluations", "converged"});
    std::size_t unconverged = 0;
    for (const auto& r : res.steps) {
        const auto& P = r.pressure;
        const auto& Q = r.pressure_min;
        curve.add_row({static_cast<double>(r.step), r.strain, r.tau, r.pe, r.temp, P(0, 0), P(1, 1), P(2, 2), P(0, 1),
                       P(0, 2), P(1, 2), r.pe_min, Q(0, 0), Q(1, 1), Q(2, 2), Q(0, 1), Q(0, 2), Q(1, 2),
                       static_cast<double>(r.iterations), static_cast<double>(r.evaluations), r.converged ? 1.0 : 0.0});
        unconverged += r.converged ? 0 : 1;
    }
    if (!o.csv.empty()) curve.write_csv(o.csv);
    scalar_report rep;
    rep.add_text("loading", std::string("steps ") + protocol::to_string(def.mode));
    rep.add("strain steps", static_cast<double>(res.steps.empty() ? 0 : res.steps.size() - 1));
    rep.add("force evaluations (minimizer)", static_cast<double>(res.evaluations));
    rep.add("unconverged minimizations", static_cast<double>(unconverged));
    if (!res.steps.empty()) {
        rep.add("final strain", res.steps.back().strain);
        rep.add("final stress", res.steps.back().tau);
    }
    rep.print(std::cout);
    return 0;
}

template <int D>
int run_deform_d(const CLI::App& cmd, const deform_cli_options& o) {
    auto sys = load_system<D>(o.c.in);
    const auto spec = resolve_potential(o.c.pot);
    sys.units = &resolve_units(cmd, o.c, spec);
    const double skin = o.c.skin >= 0.0 ? o.c.skin : default_skin(*sys.units);
    const double dt = o.dt > 0.0 ? o.dt : sys.units->dt;
    if (!(o.temp > 0.0)) throw invalid_argument("--temp T (> 0) is needed");
    int status = 0;
    with_force_field<D>(sys, spec, skin, [&](auto& ff) {
        if (o.resume.empty() && (o.seed || !sys.has_velocities()))
            dynamics::create_velocities(sys, o.temp, o.seed.value_or(1));
        status = o.loading == "rate" ? run_rate<D>(o, sys, ff, dt) : run_steps<D>(o, sys, ff, dt);
    });
    if (!o.c.out.output.empty())
        save_system<D>(o.c.out.output, sys, output_format_for(o.c.out.output, o.c.out.output_format));
    return status;
}

}  // namespace

void add_deform_md_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<deform_cli_options>();
    auto* cmd = app.add_subcommand("deform", "MD deformation: constant strain rate, or strain steps + minimize + NVT hold");
    add_dynamics_common_options(*cmd, o->c);
    cmd->add_option("--loading", o->loading, "rate (constant engineering strain rate) or steps")
        ->check(CLI::IsMember({"rate", "steps"}))
        ->capture_default_str();
    cmd->add_option("--direction", o->direction, "x, y, z (tension) or xy, xz, yz (shear)")
        ->check(CLI::IsMember({"x", "y", "z", "xy", "xz", "yz"}))
        ->capture_default_str();
    cmd->add_option("--lateral", o->lateral, "strain (lateral sizes fixed) or stress (lateral stress zero)")
        ->check(CLI::IsMember({"strain", "stress"}))
        ->capture_default_str();
    cmd->add_option("--rate", o->rate, "engineering strain rate (1/time; rate loading)");
    cmd->add_option("--steps", o->steps, "MD steps (rate loading; or give --max-strain)");
    cmd->add_option("--dstrain", o->dstrain, "strain step (steps loading)")->capture_default_str();
    cmd->add_option("--max-strain", o->max_strain, "final strain");
    cmd->add_option("--hold", o->hold, "NVT steps after each minimization (steps loading)")->capture_default_str();
    cmd->add_option("--sample", o->sample, "average the stress over the last M steps of the hold")->capture_default_str();
    cmd->add_option("--thermo", o->thermo, "a CSV row every N steps (rate loading)")->capture_default_str();
    cmd->add_option("--temp", o->temp, "temperature (thermostat target)")->required();
    cmd->add_option("--tdamp", o->tdamp, "thermostat damping time (LAMMPS Tdamp; default 100 dt)");
    cmd->add_option("--pdamp", o->pdamp, "barostat damping time of --lateral stress (default 1000 dt)");
    cmd->add_option("--dt", o->dt, "timestep (default: the unit system's LAMMPS default)");
    cmd->add_option("--seed", o->seed, "create Maxwell-Boltzmann velocities at --temp with this seed");
    cmd->add_option("--min-style", o->style, "cg, fire or lbfgs")->check(CLI::IsMember({"cg", "fire", "lbfgs"}))->capture_default_str();
    cmd->add_option("--etol", o->etol, "relative energy tolerance (0: off)")->capture_default_str();
    cmd->add_option("--ftol", o->ftol, "force tolerance (0: off)")->capture_default_str();
    cmd->add_option("--maxiter", o->maxiter, "maximum iterations per minimization")->capture_default_str();
    cmd->add_option("--maxeval", o->maxeval, "maximum force evaluations per minimization")->capture_default_str();
    add_csv_option(*cmd, o->csv);
    cmd->add_option("--save-prefix", o->save_prefix, "steps loading: write PREFIX<strain>.data after each hold");
    cmd->add_option("--checkpoint", o->checkpoint, "rate loading: checkpoint file (written atomically every --every steps)");
    cmd->add_option("--every", o->every, "checkpoint interval in steps");
    cmd->add_option("--resume", o->resume, "rate loading: continue the interrupted run of this checkpoint");
    add_dynamics_command(reg, cmd, o, [cmd](const auto& opt, auto d) {
        return run_deform_d<decltype(d)::value>(*cmd, opt);
    });
}

}  // namespace amorph::cli
