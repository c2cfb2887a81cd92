// apps/amorph/cmd_flex.cpp — `amorph msd`, `amorph flex`, `amorph modulus`
// (see cmd_flex.hpp): thin shells over protocol/vibration.hpp,
// analysis/flexibility.hpp and protocol/modulus.hpp.
//
// msd/flex: an MSD ensemble of --runs NVE runs at --temp T from the input
// configuration (fresh Maxwell-Boltzmann velocities per run, seeds derived
// from --seed); --start says whether the file is a snapshot at T (thermal),
// an energy minimum (minimum: velocities at 2T) or to decide by the forces
// (auto). Per-atom columns written with -o (keyed by id, sorted): msd, eta
// (msd); msd, volume, a, vflex, eta (flex). The summary prints the mean MSD
// with its error over runs, the plateau window, the mean temperature, and for
// flex <v_flex>, <eta>, the predicted G = 0.464 k T / <v_flex> and, with
// --corr-rmax, the correlation length of v_flex.
// modulus: G on every shear plane by --method: thermal (+-gamma simple shear,
// NVT at --temp, error bars from block averages), athermal (+-gamma, each
// copy minimized), born (Born + stress fluctuations of one NVT run at --temp)
// or affine (Born term at the minimum: the unrelaxed modulus); both =
// thermal + athermal, all = the four.
#include "cmd_flex.hpp"

#include "cmd_dynamics.hpp"
#include "progress.hpp"
#include "table.hpp"

#include <amorph/analysis/flexibility.hpp>
#include <amorph/protocol/modulus.hpp>
#include <amorph/protocol/vibration.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace amorph::cli {

namespace {

struct msd_cli_options {
    dynamics_common_options c;
    double temp = 0.0;
    std::size_t runs = 100;
    double time = 0.0;
    std::int64_t steps = 0;
    std::int64_t equil = 0;
    std::int64_t every = 1;
    double dt = 0.0;
    std::uint64_t seed = 20160101;
    std::string start = "auto";
    double plateau_tol = 0.1;
    std::string checkpoint;
    bool resume = false;
    std::string csv;
    double corr_rmax = 0.0;
    int corr_bins = 50;
};

void add_msd_options(CLI::App& cmd, msd_cli_options& o) {
    add_dynamics_common_options(cmd, o.c);
    cmd.add_option("--temp", o.temp, "temperature T of the runs")->required()->check(positive);
    cmd.add_option("--runs", o.runs, "independent NVE runs (fresh velocities each)")
        ->capture_default_str()
        ->check(positive);
    cmd.add_option("--time", o.time, "production time per run (time units); or --steps")->check(positive);
    cmd.add_option("--steps", o.steps, "production steps per run (default 2000)")->check(positive);
    cmd.add_option("--equil", o.equil, "NVE steps discarded before sampling")->capture_default_str();
    cmd.add_option("--every", o.every, "sample every N steps")->capture_default_str()->check(positive);
    cmd.add_option("--dt", o.dt, "timestep (default: the unit system's LAMMPS default)");
    cmd.add_option("--seed", o.seed, "base seed of the velocity seeds")->capture_default_str();
    cmd.add_option("--start", o.start,
                   "the input is a snapshot at T (thermal: velocities at T), a minimum (minimum: at 2T), "
                   "or decide by the rms force (auto)")
        ->check(CLI::IsMember({"auto", "thermal", "minimum"}))
        ->capture_default_str();
    cmd.add_option("--plateau-tol", o.plateau_tol, "largest relative MSD growth over the second half of a run")
        ->capture_default_str();
    cmd.add_option("--checkpoint", o.checkpoint, "checkpoint file, written after every batch of runs");
    cmd.add_flag("--resume", o.resume, "continue the ensemble of --checkpoint (same options)");
    cmd.add_option("--csv", o.csv, "write the plateau curve (window length, mean MSD) as CSV");
}

template <int D>
protocol::msd_options to_msd_options(const msd_cli_options& o, const amorph::system<D>& sys) {
    protocol::msd_options m;
    m.temperature = o.temp;
    m.runs = o.runs;
    m.dt = o.dt > 0.0 ? o.dt : sys.units->dt;
    if (o.time > 0.0 && o.steps > 0) throw invalid_argument("give --time or --steps, not both");
    m.steps = o.time > 0.0 ? static_cast<std::int64_t>(std::llround(o.time / m.dt)) : (o.steps > 0 ? o.steps : 2000);
    m.equilibration = o.equil;
    m.sample_every = o.every;
    m.seed = o.seed;
    m.start = o.start == "thermal"   ? protocol::vibration_start::thermal
              : o.start == "minimum" ? protocol::vibration_start::minimum
                                     : protocol::vibration_start::automatic;
    m.plateau_tolerance = o.plateau_tol;
    m.checkpoint = o.checkpoint;
    m.resume = o.resume;
    if (o.resume && o.checkpoint.empty()) throw invalid_argument("--resume needs --checkpoint FILE");
    return m;
}

std::string time_unit(const unit_system& u) { return std::string(u.time); }
std::string length2_unit(const unit_system& u) { return units::volume_unit(u, 2); }
/// Moduli are reported in GPa (metal, real), in reduced units in lj.
double modulus_scale(const unit_system& u) { return u.reduced() ? 1.0 : u.gpa_per_pressure; }
std::string modulus_unit(const unit_system& u) { return u.reduced() ? "" : "GPa"; }

template <int D>
void report_msd(scalar_report& rep, const protocol::msd_result<D>& r, const unit_system& u) {
    rep.add("runs", static_cast<double>(r.runs));
    if (r.resumed_runs) rep.add("runs from checkpoint", static_cast<double>(r.resumed_runs));
    rep.add("samples per run", static_cast<double>(r.samples));
    rep.add("mean MSD", r.mean, length2_unit(u));
    rep.add("mean MSD error", r.mean_error, length2_unit(u));
    rep.add("plateau begin", r.plateau_begin, time_unit(u));
    rep.add("plateau end", r.plateau_end, time_unit(u));
    rep.add("plateau growth", r.plateau_growth);
    rep.add("mean temperature", r.temperature_mean, std::string(u.temperature));
    rep.add("velocity temperature", r.velocity_temperature, std::string(u.temperature));
}

template <int D>
void write_curve(const std::string& path, const protocol::msd_result<D>& r) {
    if (path.empty()) return;
    std::ofstream out(path);
    if (!out) throw io_error("cannot write " + path);
    out.precision(17);
    out << "time,msd\n";
    for (std::size_t k = 0; k < r.curve_msd.size(); ++k) out << r.curve_time[k] << ',' << r.curve_msd[k] << '\n';
    if (!out) throw io_error("cannot write " + path);
}

template <int D, class FF>
protocol::msd_result<D> run_ensemble(const msd_cli_options& o, const amorph::system<D>& sys, const FF& ff) {
    auto m = to_msd_options(o, sys);
    progress_bar bar("msd", o.runs, !o.c.run.quiet);
    m.progress = [&](std::size_t done, std::size_t) { bar.update(done); };
    auto r = protocol::vibrational_msd(sys, ff, m);
    bar.finish();
    return r;
}

/// sys sorted by id with the given per-atom columns, for -o.
template <int D>
void save_columns(const msd_cli_options& o, amorph::system<D> sys, std::vector<property> cols) {
    if (o.c.out.output.empty()) return;
    sys.sort_by_id();
    for (auto& c : cols) sys.properties.push_back(std::move(c));
    save_system<D>(o.c.out.output, sys, output_format_for(o.c.out.output, o.c.out.output_format));
}

template <int D>
int run_msd_d(const CLI::App& cmd, const msd_cli_options& o, bool flex) {
    auto sys = load_system<D>(o.c.in);
    const auto spec = resolve_potential(o.c.pot);
    sys.units = &resolve_units(cmd, o.c, spec);
    const double skin = o.c.skin >= 0.0 ? o.c.skin : default_skin(*sys.units);
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<protocol::msd_result<D>> r;
    with_force_field<D>(sys, spec, skin, [&](auto& ff) { r.emplace(run_ensemble(o, sys, ff)); });
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    write_curve(o.csv, *r);
    scalar_report rep;
    report_msd(rep, *r, *sys.units);
    std::vector<property> cols;
    if (!flex) {
        std::vector<double> eta(r->msd.size());
        for (std::size_t i = 0; i < eta.size(); ++i)
            eta[i] = analysis::vibrational_anisotropy<D>(r->fabric.col(static_cast<Eigen::Index>(i)));
        cols.push_back({"msd", r->msd});
        cols.push_back({"eta", std::move(eta)});
    } else {
        const auto f = analysis::flexibility_volume(sys, *r);
        const auto& u = *sys.units;
        const std::string len(u.length), vol = units::volume_unit(u, 3);  // v_flex = MSD a: length^3 in 2D too
        rep.add("mean atomic spacing a", f.mean_spacing, len);
        rep.add("mean v_flex", f.mean_vflex, vol);
        rep.add("mean v_flex error", f.mean_vflex_error, vol);
        rep.add("mean eta", f.mean_eta);
        const double g = analysis::predicted_shear_modulus(o.temp, f.mean_vflex, u);
        rep.add("predicted G = 0.464 kT/v_flex", g * modulus_scale(u), modulus_unit(u));
        if (o.corr_rmax > 0.0) {
            const auto c = analysis::flexibility_correlation(sys, f, {.r_max = o.corr_rmax, .bins = o.corr_bins});
            rep.add("v_flex correlation length", c.length, len);
        }
        cols.push_back({"msd", f.msd});
        cols.push_back({D == 3 ? "volume" : "area", f.volume});
        cols.push_back({"a", f.spacing});
        cols.push_back({"vflex", f.vflex});
        cols.push_back({"eta", f.eta});
    }
    rep.add("wall time", wall, "s");
    rep.print(std::cout);
    save_columns(o, sys, std::move(cols));
    return 0;
}

void register_msd_like(CLI::App& app, registry& reg, bool flex) {
    auto o = std::make_shared<msd_cli_options>();
    auto* cmd = app.add_subcommand(flex ? "flex" : "msd",
                                   flex ? "flexibility volume v_flex = MSD a per atom, anisotropy, predicted G"
                                        : "vibrational MSD per atom from an ensemble of NVE runs");
    add_msd_options(*cmd, *o);
    if (flex) {
        cmd->add_option("--corr-rmax", o->corr_rmax, "C_flex(r) up to this distance (correlation length)");
        cmd->add_option("--corr-bins", o->corr_bins, "bins of C_flex(r)")->capture_default_str();
    }
    add_dynamics_command(reg, cmd, o, [cmd, flex](const auto& opt, auto d) {
        return run_msd_d<decltype(d)::value>(*cmd, opt, flex);
    });
}

struct modulus_cli_options {
    dynamics_common_options c;
    double temp = 0.0;
    std::string method;
    double strain = 0.005;
    std::int64_t steps = 5000, equil = 1000, every = 10;
    int blocks = 5;
    double dt = 0.0, tdamp = 0.0, ftol = 1e-10, born_step = 1e-5;
    std::uint64_t seed = 4928459;
    std::string csv;
};

/// G per plane with errors, G, its error and spread, the mean temperature
/// (GPa in metal and real units); either route's result.
template <class R>
void report_modulus(scalar_report& rep, const std::string& tag, const R& r, const unit_system& u) {
    const double s = modulus_scale(u);
    const std::string unit = modulus_unit(u);
    for (const auto& p : r.planes) {
        rep.add(tag + " G_" + p.name, p.modulus * s, unit);
        if (p.error > 0) rep.add(tag + " G_" + p.name + " error", p.error * s, unit);
    }
    rep.add(tag + " G", r.modulus * s, unit);
    if (r.error > 0) rep.add(tag + " G error", r.error * s, unit);
    rep.add(tag + " G spread over planes", r.spread * s, unit);
    if (r.temperature_mean > 0) rep.add(tag + " mean temperature", r.temperature_mean, std::string(u.temperature));
}

/// report_modulus, then the Born route's terms averaged over the planes.
void report_born(scalar_report& rep, const std::string& tag, const protocol::born_modulus_result& r,
                 const unit_system& u) {
    report_modulus(rep, tag, r, u);
    const double s = modulus_scale(u);
    const std::string unit = modulus_unit(u);
    double born = 0.0, fluct = 0.0, kin = 0.0, stress = 0.0;
    for (const auto& p : r.planes) {
        born += p.born;
        fluct += p.fluctuation;
        kin += p.kinetic;
        stress += p.stress;
    }
    const double n = static_cast<double>(r.planes.size());
    rep.add(tag + " Born term", born / n * s, unit);
    if (r.samples > 0) {
        rep.add(tag + " fluctuation term", fluct / n * s, unit);
        rep.add(tag + " kinetic term", kin / n * s, unit);
    }
    rep.add(tag + " stress term", stress / n * s, unit);
    if (r.samples > 0) rep.add(tag + " samples", static_cast<double>(r.samples));
    // The fluctuation term can fail to converge with block errors that miss it
    // (protocol/modulus.hpp); planes far apart relative to their errors are the sign.
    double e2 = 0.0;
    for (const auto& p : r.planes) e2 += p.error * p.error;
    const double err = std::sqrt(e2 / n);
    if (r.samples > 0 && r.planes.size() > 1 && r.spread > 5.0 * err)
        std::cerr << "amorph modulus: warning: the planes' " << tag << " G differ by " << r.spread * s << ' ' << unit
                  << " (standard deviation), " << r.spread / err
                  << " times their errors: the sample is anisotropic or the fluctuation term has not converged "
                     "(run longer, or compare with --method thermal)\n";
}

template <int D>
int run_modulus_d(const CLI::App& cmd, const modulus_cli_options& o) {
    const std::string method = o.method.empty() ? (o.temp > 0 ? "thermal" : "athermal") : o.method;
    if (method != "athermal" && method != "affine" && !(o.temp > 0))
        throw invalid_argument("--method " + method + " needs --temp T");
    auto sys = load_system<D>(o.c.in);
    const auto spec = resolve_potential(o.c.pot);
    sys.units = &resolve_units(cmd, o.c, spec);
    const double skin = o.c.skin >= 0.0 ? o.c.skin : default_skin(*sys.units);
    auto wants = [&](const std::string& m) {
        return method == m || method == "all" || (method == "both" && (m == "thermal" || m == "athermal"));
    };
    protocol::shear_modulus_options m;
    m.strain = o.strain;
    m.min.ftol = o.ftol;
    m.temperature = o.temp;
    m.steps = o.steps;
    m.equilibration = o.equil;
    m.sample_every = o.every;
    m.blocks = o.blocks;
    m.dt = o.dt;
    m.t_damp = o.tdamp;
    m.seed = o.seed;
    m.born_step = o.born_step;
    scalar_report rep;
    rep.add("strain", o.strain);
    const auto t0 = std::chrono::steady_clock::now();
    with_force_field<D>(sys, spec, skin, [&](auto& ff) {
        if (wants("athermal"))
            report_modulus(rep, "athermal", protocol::athermal_shear_modulus(sys, ff, m), *sys.units);
        if (wants("affine")) report_born(rep, "affine", protocol::affine_shear_modulus(sys, ff, m), *sys.units);
        if (wants("thermal"))
            report_modulus(rep, "thermal", protocol::thermal_shear_modulus(sys, ff, m), *sys.units);
        if (wants("born")) report_born(rep, "born", protocol::born_shear_modulus(sys, ff, m), *sys.units);
    });
    rep.add("wall time", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), "s");
    rep.print(std::cout);
    if (!o.csv.empty()) rep.write_csv(o.csv);
    return 0;
}

}  // namespace

void add_msd_command(CLI::App& app, registry& reg) { register_msd_like(app, reg, false); }
void add_flex_command(CLI::App& app, registry& reg) { register_msd_like(app, reg, true); }

void add_modulus_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<modulus_cli_options>();
    auto* cmd = app.add_subcommand(
        "modulus", "shear modulus G: +-gamma simple shear (thermal NVT, athermal) or Born (+ stress fluctuations)");
    add_dynamics_common_options(*cmd, o->c);
    cmd->add_option("--temp", o->temp, "temperature of the NVT runs (thermal)")->check(positive);
    cmd->add_option("--method", o->method,
                    "thermal, athermal, born (Born + stress fluctuations, NVT), affine (Born term at the minimum), "
                    "both (thermal + athermal) or all (default: thermal with --temp, else athermal)")
        ->check(CLI::IsMember({"thermal", "athermal", "born", "affine", "both", "all"}));
    cmd->add_option("--strain", o->strain, "shear strain gamma")->capture_default_str();
    cmd->add_option("--steps", o->steps, "NVT production steps per strained copy")->capture_default_str();
    cmd->add_option("--equil", o->equil, "NVT steps before sampling")->capture_default_str();
    cmd->add_option("--every", o->every, "stress sample interval (steps)")->capture_default_str();
    cmd->add_option("--blocks", o->blocks, "blocks of the error estimate")->capture_default_str();
    cmd->add_option("--dt", o->dt, "timestep (default: the unit system's LAMMPS default)");
    cmd->add_option("--tdamp", o->tdamp, "thermostat damping time (default 100 dt)");
    cmd->add_option("--ftol", o->ftol, "athermal, affine: force tolerance of the minimizations")->capture_default_str();
    cmd->add_option("--born-step", o->born_step, "born, affine: strain step of the Born term's central difference")
        ->capture_default_str();
    cmd->add_option("--seed", o->seed, "velocity seed when the file has no velocities")->capture_default_str();
    add_csv_option(*cmd, o->csv);
    add_dynamics_command(reg, cmd, o, [cmd](const auto& opt, auto d) {
        return run_modulus_d<decltype(d)::value>(*cmd, opt);
    });
}

}  // namespace amorph::cli
