// apps/amorph/cmd_quench.cpp — `amorph quench FILE [potential] -o OUT`: run a
// temperature/pressure schedule with Nose-Hoover dynamics (protocol/quench.hpp)
// and relax the end state to its inherent structure (CG, ftol 1e-8).
//   --schedule FILE      the text format of protocol/schedule.hpp
//                        (temperature / pressure / ramp / hold / press lines)
//   --fan-rate R         Fan's Cu-Zr quench (metal units): 1e13 K/s to 1500 K,
//                        1e12 K/s to 1000 K, R K/s to 500 K, 1e13 K/s to 50 K,
//                        0 bar; from --t-melt (default 2000 K)
//   --tdamp, --pdamp, --aniso, --dt, --seed (new velocities at the start
//   temperature; default: the file's, or seed 1 when it has none),
//   --thermo N, --checkpoint FILE --every N [--resume], --no-minimize, --ftol,
//   --csv FILE (the summary as quantity,value,unit rows)
#include "cmd_dynamics.hpp"
#include "table.hpp"

#include <amorph/dynamics/observer.hpp>
#include <amorph/dynamics/velocity.hpp>
#include <amorph/protocol/quench.hpp>
#include <amorph/protocol/schedule.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace amorph::cli {

namespace {

struct quench_cli_options {
    dynamics_common_options c;
    std::string schedule;
    std::optional<double> fan_rate;
    double t_melt = 2000.0;
    double tdamp = 0.0, pdamp = 0.0, dt = 0.0, ftol = 1e-8;
    bool aniso = false, resume = false, no_minimize = false;
    std::optional<std::uint64_t> seed;
    std::int64_t thermo = 0;
    std::string checkpoint;
    std::int64_t every = 0;
    std::string csv;
};

template <int D>
int run_quench_d(const CLI::App& cmd, const quench_cli_options& o) {
    const auto fmt = o.c.out.output.empty() ? io::file_format::auto_detect
                                            : output_format_for(o.c.out.output, o.c.out.output_format);
    auto sys = load_system<D>(o.c.in);
    const auto spec = resolve_potential(o.c.pot);
    sys.units = &resolve_units(cmd, o.c, spec);
    const double skin = o.c.skin >= 0.0 ? o.c.skin : default_skin(*sys.units);
    if (o.schedule.empty() == !o.fan_rate) throw invalid_argument("give exactly one of --schedule and --fan-rate");
    protocol::schedule sch;
    if (!o.schedule.empty()) {
        std::ifstream in(o.schedule);
        if (!in) throw io_error("cannot open " + o.schedule);
        sch = protocol::schedule::parse(in, o.schedule, *sys.units);
    } else {
        sch = protocol::fan_quench(o.t_melt, *o.fan_rate, *sys.units);
    }
    protocol::quench_options qo;
    qo.dt = o.dt;
    qo.t_damp = o.tdamp;
    qo.p_damp = o.pdamp;
    qo.aniso = o.aniso;
    qo.checkpoint = o.checkpoint;
    qo.checkpoint_every = o.every;
    qo.resume = o.resume;
    if (!o.no_minimize) {
        dynamics::min_options mo;
        mo.ftol = o.ftol;
        qo.minimize = mo;
    }
    protocol::quench_result res;
    const auto t0 = std::chrono::steady_clock::now();
    with_force_field<D>(sys, spec, skin, [&](auto& ff) {
        if (o.seed || !sys.has_velocities()) dynamics::create_velocities(sys, sch.start_temperature(), o.seed.value_or(1));
        if (o.thermo > 0 && !o.c.run.quiet) {
            dynamics::thermo_log<D> log(o.thermo, &std::cout, dynamics::table_format::text);
            res = protocol::quench(sys, ff, sch, qo, log);
        } else {
            res = protocol::quench(sys, ff, sch, qo);
        }
    });
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!o.c.out.output.empty()) save_system<D>(o.c.out.output, sys, fmt);
    scalar_report r;
    r.add("segments", static_cast<double>(sch.segments().size()));
    r.add("steps", static_cast<double>(res.steps));
    r.add("time", res.time, std::string(sys.units->time));
    r.add_text("resumed", res.resumed ? "yes" : "no");
    if (res.minimization) {
        r.add_text("inherent structure", res.minimization->message);
        r.add("energy", res.minimization->energy, "", 17);
        r.add("energy per atom", res.minimization->energy / static_cast<double>(sys.size()), "", 17);
        r.add("force 2-norm", res.minimization->fnorm2);
    }
    r.add("wall time", wall, "s");
    r.print(std::cout);
    if (!o.csv.empty()) r.write_csv(o.csv);
    return 0;
}

}  // namespace

void add_quench_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<quench_cli_options>();
    auto* cmd = app.add_subcommand("quench", "quench along a temperature/pressure schedule to an inherent structure");
    add_dynamics_common_options(*cmd, o->c);
    cmd->add_option("--schedule", o->schedule, "schedule file (temperature/pressure/ramp/hold/press lines)");
    cmd->add_option("--fan-rate", o->fan_rate, "Fan's Cu-Zr quench with this effective rate (K/s) from 1000 to 500 K");
    cmd->add_option("--t-melt", o->t_melt, "start temperature of --fan-rate")->capture_default_str();
    cmd->add_option("--tdamp", o->tdamp, "thermostat damping time (default 100 dt)");
    cmd->add_option("--pdamp", o->pdamp, "barostat damping time (default 1000 dt)");
    cmd->add_flag("--aniso", o->aniso, "anisotropic barostat in NPT segments");
    cmd->add_option("--dt", o->dt, "timestep (default: the unit system's)");
    cmd->add_option("--seed", o->seed, "new Maxwell-Boltzmann velocities at the start temperature");
    cmd->add_option("--thermo", o->thermo, "thermo table every N steps")->capture_default_str();
    cmd->add_option("--checkpoint", o->checkpoint, "checkpoint file");
    cmd->add_option("--every", o->every, "checkpoint interval in steps");
    cmd->add_flag("--resume", o->resume, "continue from --checkpoint when it exists");
    cmd->add_flag("--no-minimize", o->no_minimize, "skip the final CG relaxation");
    cmd->add_option("--ftol", o->ftol, "force tolerance of the final relaxation")->capture_default_str();
    add_csv_option(*cmd, o->csv);
    add_dynamics_command(reg, cmd, o, [cmd](const auto& opt, auto d) {
        return run_quench_d<decltype(d)::value>(*cmd, opt);
    });
}

}  // namespace amorph::cli
