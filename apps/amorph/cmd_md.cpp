// apps/amorph/cmd_md.cpp — `amorph md FILE [potential] -o OUT`: molecular
// dynamics with velocity Verlet (nve), Nose-Hoover chains (nvt) or the MTK
// barostat (npt), the equations and damping parameters of LAMMPS's fix
// nve / nvt / npt (Tdamp, Pdamp in time units; chains of 3).
//   --temp T [T_end]    thermostat target (ramped over the run); also the
//                       temperature of new velocities
//   --seed S            create Maxwell-Boltzmann velocities at T with seed S
//                       (LAMMPS velocity create ... mom yes); without --seed the
//                       file's velocities are used, or created with seed 1 when
//                       the file has none
//   --press P [P_end]   barostat target (npt), --couple iso|aniso|x|y|z|xy|xz|yz
//                       (per-axis: LAMMPS's x/y/z keywords), --pdamp
//   --thermo N          thermo table every N steps on stdout (and --csv FILE)
//   --dump N FILE       a frame every N steps: LAMMPS dump (.dump/.lammpstrj) or extxyz (.xyz/.extxyz)
//   --checkpoint FILE --every N   atomic checkpoints; --resume FILE continues an
//                       interrupted run (same options) bit for bit
#include "cmd_dynamics.hpp"
#include "progress.hpp"
#include "table.hpp"

#include <amorph/dynamics/nose_hoover.hpp>
#include <amorph/dynamics/observer.hpp>
#include <amorph/dynamics/run.hpp>
#include <amorph/dynamics/velocity.hpp>
#include <amorph/dynamics/verlet.hpp>
#include <amorph/io/extxyz.hpp>
#include <amorph/io/lammps_dump.hpp>
#include <amorph/protocol/checkpoint.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace amorph::cli {

namespace {

struct md_options {
    dynamics_common_options c;
    std::string ensemble = "nvt";
    std::vector<double> temp, press;
    double tdamp = 0.0, pdamp = 0.0, dt = 0.0;
    std::string couple = "iso";
    int tchain = 3;
    std::int64_t steps = 0;
    std::optional<std::uint64_t> seed;
    std::int64_t thermo = 0;
    std::string csv;
    std::vector<std::string> dump;  // N FILE
    std::string checkpoint;
    std::int64_t every = 0;
    std::string resume;
};

/// An optional observer.
template <class O>
struct maybe {
    std::optional<O> o;
    template <class Ob>
    void observe(const Ob& ob) {
        if (o) o->observe(ob);
    }
    bool wants_virial(std::int64_t step) const {
        if constexpr (requires { o->wants_virial(step); }) return o && o->wants_virial(step);
        else return false;
    }
};

template <int D, class FF, class I>
int run_md(const md_options& o, amorph::system<D>& sys, FF& ff, const I& integ, double dt) {
    dynamics::md_state<I> st;
    if (!o.resume.empty()) protocol::read_checkpoint(o.resume, sys, ff, st);
    maybe<dynamics::thermo_log<D>> screen, csv;
    std::ofstream csv_file;
    if (o.thermo > 0 && !o.c.run.quiet) screen.o.emplace(o.thermo, &std::cout, dynamics::table_format::text);
    if (!o.csv.empty()) {
        csv_file.open(o.csv);
        if (!csv_file) throw io_error("cannot write " + o.csv);
        csv.o.emplace(o.thermo > 0 ? o.thermo : 1, &csv_file, dynamics::table_format::csv);
    }
    maybe<dynamics::trajectory<D>> dump;
    if (!o.dump.empty()) {
        std::int64_t every = 0;
        try {
            every = std::stoll(o.dump.at(0));
        } catch (const std::exception&) {
            throw invalid_argument("--dump N FILE: N must be an integer");
        }
        if (every <= 0) throw invalid_argument("--dump N FILE: N must be > 0");
        // the format by extension, as -o: LAMMPS dump or extxyz (a data file holds one frame)
        const auto fmt = output_format_for(o.dump.at(1));
        if (fmt == io::file_format::lammps_data)
            throw invalid_argument("--dump N FILE: a trajectory is a LAMMPS dump (.dump, .lammpstrj) or extxyz (.xyz, "
                                   ".extxyz), not a data file: " + o.dump.at(1));
        dump.o.emplace(o.dump.at(1), every, [fmt](const std::filesystem::path& p, const amorph::system<D>& s,
                                                   std::int64_t step, bool app) {
            if (fmt == io::file_format::extxyz) {
                io::extxyz_write_options w;
                w.timestep = step;
                w.append = app;
                io::write_extxyz(p, s, w);
            } else {
                io::dump_write_options w;
                w.timestep = step;
                w.append = app;
                io::write_dump(p, s, w);
            }
        });
    }
    maybe<protocol::checkpointer<D>> ckpt;
    if (!o.checkpoint.empty()) {
        if (o.every <= 0) throw invalid_argument("--checkpoint needs --every N (N > 0)");
        ckpt.o.emplace(o.checkpoint, o.every);
    }
    const std::int64_t total = st.in_run ? st.end - st.step : o.steps;
    progress_bar bar("md", static_cast<std::size_t>(std::max<std::int64_t>(total, 1)), !o.c.run.quiet && o.thermo == 0);
    const std::int64_t first = st.step;
    auto prog = dynamics::on_step<D>([&](const dynamics::observation<D>& ob) {
        if ((ob.step - first) % 100 == 0) bar.update(static_cast<std::size_t>(ob.step - first));
    });
    const auto t0 = std::chrono::steady_clock::now();
    dynamics::run(sys, ff, integ, st, {.steps = o.steps, .dt = dt}, screen, csv, dump, ckpt, prog);
    bar.finish();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ff.options().virial = true;
    const auto& r = ff.compute(sys);
    const auto s = dynamics::sample_thermo(sys, r, dynamics::degrees_of_freedom(sys), st.step, st.time,
                                           integ.reservoir_energy(st.integ, sys));
    scalar_report rep;
    rep.add("steps", static_cast<double>(st.step));
    rep.add("time", st.time, std::string(sys.units->time));
    rep.add("temperature", s.temperature, std::string(sys.units->temperature));
    rep.add("potential energy", s.potential);
    rep.add("total energy", s.total);
    rep.add("conserved energy", s.conserved);
    rep.add("pressure", s.pressure, std::string(sys.units->pressure));
    rep.add("volume", s.volume);
    rep.add("wall time", wall, "s");
    if (wall > 0.0 && total > 0) rep.add("atom-steps per second", static_cast<double>(sys.size() * total) / wall);
    rep.print(std::cout);
    return 0;
}

template <int D>
int run_md_d(const CLI::App& cmd, const md_options& o) {
    const auto fmt = o.c.out.output.empty() ? io::file_format::auto_detect
                                            : output_format_for(o.c.out.output, o.c.out.output_format);
    auto sys = load_system<D>(o.c.in);
    const auto spec = resolve_potential(o.c.pot);
    sys.units = &resolve_units(cmd, o.c, spec);
    const double skin = o.c.skin >= 0.0 ? o.c.skin : default_skin(*sys.units);
    const double dt = o.dt > 0.0 ? o.dt : sys.units->dt;
    const bool thermostat = o.ensemble != "nve";
    const bool barostat = o.ensemble == "npt";
    if ((thermostat || o.seed || !sys.has_velocities()) && o.temp.empty())
        throw invalid_argument("--temp T is needed (thermostat target or new velocities)");
    if (barostat && o.press.empty()) throw invalid_argument("--ensemble npt needs --press P [P_end]");
    if (!barostat && !o.press.empty()) throw invalid_argument("--press is only for --ensemble npt");
    const double t0 = o.temp.empty() ? 0.0 : o.temp.front(), t1 = o.temp.empty() ? 0.0 : o.temp.back();
    int status = 0;
    with_force_field<D>(sys, spec, skin, [&](auto& ff) {
        if (o.resume.empty() && (o.seed || !sys.has_velocities()))
            dynamics::create_velocities(sys, t0, o.seed.value_or(1));
        if (!thermostat) {
            status = run_md(o, sys, ff, dynamics::velocity_verlet<D>{}, dt);
            return;
        }
        dynamics::nose_hoover_params p = dynamics::nvt(t0, t1, o.tdamp > 0.0 ? o.tdamp : 100.0 * dt);
        p.tchain = o.tchain;
        if (barostat) {
            const double pd = o.pdamp > 0.0 ? o.pdamp : 1000.0 * dt;
            if (o.couple == "iso") {
                p.press = dynamics::barostat_params::iso(o.press.front(), o.press.back(), pd);
            } else if (o.couple == "aniso") {
                p.press = dynamics::barostat_params::aniso(o.press.front(), o.press.back(), pd);
            } else {  // per-axis (LAMMPS x/y/z keywords): only these axes, each on its own stress
                dynamics::barostat_params b;
                for (char a : o.couple) {
                    if (a - 'x' >= D) throw invalid_argument("--couple " + o.couple + ": no axis " + a + " in 2D");
                    b.along(a - 'x', o.press.front(), o.press.back(), pd);
                }
                p.press = b;
            }
        }
        status = run_md(o, sys, ff, dynamics::nose_hoover<D>(p), dt);
    });
    if (!o.c.out.output.empty()) save_system<D>(o.c.out.output, sys, fmt);
    return status;
}

}  // namespace

void add_md_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<md_options>();
    auto* cmd = app.add_subcommand("md", "molecular dynamics: nve, nvt (Nose-Hoover chains), npt (MTK)");
    add_dynamics_common_options(*cmd, o->c);
    cmd->add_option("--ensemble", o->ensemble, "nve, nvt or npt")
        ->check(CLI::IsMember({"nve", "nvt", "npt"}))
        ->capture_default_str();
    cmd->add_option("--temp", o->temp, "T [T_end]: thermostat target, ramped over the run")->expected(1, 2);
    cmd->add_option("--tdamp", o->tdamp, "thermostat damping time (LAMMPS Tdamp; default 100 dt)");
    cmd->add_option("--tchain", o->tchain, "Nose-Hoover chain length")->capture_default_str();
    cmd->add_option("--press", o->press, "P [P_end]: barostat target (npt)")->expected(1, 2);
    cmd->add_option("--pdamp", o->pdamp, "barostat damping time (LAMMPS Pdamp; default 1000 dt)");
    cmd->add_option("--couple", o->couple,
                    "barostat: iso, aniso, or the axes barostatted each on its own stress, the others kept "
                    "(x, y, z, xy, xz, yz; LAMMPS fix npt x/y/z keywords; e.g. yz for plane stress under "
                    "tension along x)")
        ->check(CLI::IsMember({"iso", "aniso", "x", "y", "z", "xy", "xz", "yz"}))
        ->capture_default_str();
    cmd->add_option("--steps", o->steps, "number of steps")->required()->check(non_negative);
    cmd->add_option("--dt", o->dt, "timestep (default: the unit system's LAMMPS default)");
    cmd->add_option("--seed", o->seed, "create Maxwell-Boltzmann velocities at T with this seed");
    cmd->add_option("--thermo", o->thermo, "thermo output every N steps (0: summary only)")->capture_default_str();
    add_csv_option(*cmd, o->csv);
    cmd->add_option("--dump", o->dump, "N FILE: a frame every N steps; format by extension: .dump/.lammpstrj or .xyz/.extxyz")->expected(2);
    cmd->add_option("--checkpoint", o->checkpoint, "checkpoint file (written atomically every --every steps)");
    cmd->add_option("--every", o->every, "checkpoint interval in steps");
    cmd->add_option("--resume", o->resume, "continue the interrupted run of this checkpoint");
    add_dynamics_command(reg, cmd, o, [cmd](const auto& opt, auto d) {
        return run_md_d<decltype(d)::value>(*cmd, opt);
    });
}

}  // namespace amorph::cli
