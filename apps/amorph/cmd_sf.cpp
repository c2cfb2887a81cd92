// apps/amorph/cmd_sf.cpp — `amorph sf FILE`: radial/angular structure functions
// (amorph/descriptor/structure_functions.hpp) written as a .npy matrix, one row
// per center atom; `--describe` prints the column names.
//
// Feature definition: --descriptor alumina | fan2020-2d | fan2020-3d |
// reduced-pdf | SETTINGS.json (what --save-settings wrote), or --radial
// MU0:MU1:STEP (end included) --width L [--cutoff RC] [--form two_l2|l2]
// and/or --angular fan:XI0:XI1:N | cubuk[:XI_UNIT] --angular-cutoff RC
// [--ordered]; --bias appends a constant 1. Options given with a named
// descriptor override its parts. --save-settings writes the definition as
// JSON (the "descriptor" object of a model file) for `softness train
// --descriptor`: the option means the feature definition in both commands
// (`--preset` is only ever a potential).
//
// Centers: every atom, or --centers A,B (species names). With --samples
// CSV (from `amorph phop`), FILE is the LAMMPS dump trajectory and each row is
// the sample's atom at the sample's frame; --labels-out / --groups-out then
// write the labels and the atom ids (groups for a split by atom). With
// --frames A:B[:S] each center's features are averaged over those frames
// (time-averaged structure functions; atoms matched by id).
#include "cmd_learn.hpp"
#include "common.hpp"
#include "frame_mean.hpp"

#include <amorph/descriptor/structure_functions.hpp>
#include <amorph/io/lammps_dump.hpp>
#include <amorph/learn/model.hpp>
#include <amorph/learn/npy.hpp>
#include <amorph/learn/softness.hpp>

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace amorph::cli {

namespace {

struct sf_options {
    input_options in;
    std::string descriptor = "none";  ///< a named definition or a settings JSON file
    std::string radial, form = "two_l2", angular;
    double width = 0, cutoff = -1, angular_cutoff = -1, sigma = 1.0;
    std::vector<double> rp;
    bool ordered = false, bias = false, describe = false;
    run_options run;  ///< --threads, --quiet
    std::vector<std::string> centers;
    std::string output, ids_out, samples, labels_out, groups_out, save_settings;
};

std::vector<double> split_numbers(const std::string& s, const std::string& what) {
    std::vector<double> v;
    std::stringstream ss(s);
    std::string tok;
    while (std::getline(ss, tok, ':')) {
        try {
            std::size_t used = 0;
            v.push_back(std::stod(tok, &used));
            if (used != tok.size()) throw std::invalid_argument(tok);
        } catch (const std::exception&) {
            throw invalid_argument(what + ": '" + tok + "' is not a number");
        }
    }
    return v;
}

descriptor::settings build_settings(const sf_options& o) {
    descriptor::settings s;
    const std::string& d = o.descriptor;
    if (d == "alumina") s = descriptor::presets::alumina();
    else if (d == "fan2020-2d") s = descriptor::presets::fan2020_2d(o.sigma);
    else if (d == "fan2020-3d") s = descriptor::presets::fan2020_3d();
    else if (d == "reduced-pdf") {
        if (o.rp.empty()) throw invalid_argument("--descriptor reduced-pdf needs --rp (first-peak positions r_p)");
        s = descriptor::presets::reduced_pdf(o.rp);
    } else if (d != "none") {  // a settings file (--save-settings)
        std::ifstream in(d);
        if (!in)
            throw invalid_argument("--descriptor: '" + d +
                                   "' is neither alumina, fan2020-2d, fan2020-3d, reduced-pdf, none nor a readable file");
        std::stringstream text;
        text << in.rdbuf();
        s = learn::settings_from_json(learn::json::parse(text.str(), d));
    }
    if (!o.radial.empty()) {
        const auto g = split_numbers(o.radial, "--radial");
        if (g.size() != 3) throw invalid_argument("--radial expects MU0:MU1:STEP");
        descriptor::radial_settings r = s.radial ? *s.radial : descriptor::radial_settings{};
        r.mu = descriptor::grid(g[0], g[1], g[2], true);
        if (!s.radial) r.width = g[2];
        s.radial = r;
    }
    if (s.radial) {
        if (o.width > 0) s.radial->width = o.width;
        if (o.cutoff >= 0) s.radial->cutoff = o.cutoff;
        if (!o.radial.empty() || o.descriptor == "none") s.radial->form = o.form == "l2" ? descriptor::gaussian_form::l2
                                                                                   : descriptor::gaussian_form::two_l2;
    }
    if (!o.angular.empty()) {
        descriptor::angular_settings a = s.angular ? *s.angular : descriptor::angular_settings{};
        if (o.angular.rfind("fan", 0) == 0) {
            const auto g = split_numbers(o.angular.substr(o.angular.find(':') == std::string::npos ? o.angular.size()
                                                                                                  : o.angular.find(':') + 1),
                                         "--angular fan");
            if (g.size() != 3) throw invalid_argument("--angular expects fan:XI0:XI1:N");
            a.terms = descriptor::presets::fan_terms(g[0], g[1], static_cast<std::size_t>(g[2]));
        } else if (o.angular.rfind("cubuk", 0) == 0) {
            double unit = 1.0;
            if (o.angular.size() > 5) {
                const auto g = split_numbers(o.angular.substr(6), "--angular cubuk");
                if (g.size() != 1) throw invalid_argument("--angular expects cubuk[:XI_UNIT]");
                unit = g[0];
            }
            a.terms = descriptor::presets::cubuk2015_terms(unit);
        } else {
            throw invalid_argument("--angular expects fan:XI0:XI1:N or cubuk[:XI_UNIT], got '" + o.angular + "'");
        }
        s.angular = a;
    }
    if (s.angular) {
        if (o.angular_cutoff >= 0) s.angular->cutoff = o.angular_cutoff;
        if (o.ordered) s.angular->order = descriptor::pair_order::ordered;
    }
    if (o.bias) s.bias = true;
    if (!s.radial && !s.angular) throw invalid_argument("no features: give --descriptor, --radial or --angular");
    return s;
}

std::vector<std::string> species_names(const species_list& sp) {
    std::vector<std::string> v;
    for (const auto& s : sp) v.push_back(s.name);
    return v;
}

template <int D>
int run_sf_dim(const sf_options& o, const descriptor::settings& s) {
    if (!o.samples.empty()) {
        // features of labelled samples at their frames of a dump trajectory
        const auto rows = read_samples_csv(o.samples);
        std::vector<analysis::labelled_sample> samples;
        std::vector<std::int64_t> ids;
        for (const auto& r : rows) {
            samples.push_back({ids.size(), r.frame, r.label, r.value});
            ids.push_back(r.atom_id);
        }
        io::dump_read_options ro;
        ro.species = o.in.species;
        io::dump_reader<D> rd(o.in.file, ro);
        io::frame<D> f;
        std::vector<std::string> names;
        const auto F = learn::features_at_samples<D>(
            [&](amorph::system<D>& sys, std::int64_t& step) {
                if (!rd.next(f)) return false;
                sys = std::move(f.system);
                step = f.timestep;
                if (names.empty()) names = species_names(sys.species);
                return true;
            },
            samples, ids, s);
        learn::write_npy(o.output, F);
        std::vector<int> labels;
        for (const auto& r : rows) labels.push_back(r.label);
        if (!o.labels_out.empty()) learn::write_npy(o.labels_out, labels);
        if (!o.groups_out.empty()) learn::write_npy(o.groups_out, ids);
        if (!o.save_settings.empty()) {
            std::ofstream js(o.save_settings);
            js << learn::json::dump(learn::to_json(s)) << '\n';
            if (!js) throw io_error("cannot write " + o.save_settings);
        }
        if (!o.run.quiet)
            std::cout << "wrote " << F.rows() << " x " << F.cols() << " features of " << rows.size()
                      << " samples to " << o.output << "\n";
        return 0;
    }
    if (o.describe) {
        const auto sys = load_system<D>(o.in);
        const auto names = descriptor::feature_names(s, species_names(sys.species));
        for (std::size_t k = 0; k < names.size(); ++k) std::cout << k << ' ' << names[k] << '\n';
        return 0;
    }
    // one frame, or each center's features averaged over --frames (matched
    // by id; rows in the first frame's order)
    frame_mean acc(o.in.file);
    std::size_t n_species = 0;
    double reach = 0;
    for_each_input_frame<D>(o.in, [&](std::int64_t k, amorph::system<D>& fr) {
        const auto centers = learn::atoms_of_species(fr, o.centers);
        const descriptor::structure_functions<D> sf(fr, s);
        descriptor::feature_matrix Fk(static_cast<Eigen::Index>(centers.size()), static_cast<Eigen::Index>(sf.n_features()));
        sf.compute(centers, Fk);
        n_species = sf.n_species();
        reach = sf.reach();
        std::vector<std::int64_t> ids;
        for (std::size_t c : centers) ids.push_back(fr.ids[c]);
        acc.add(k, ids, Fk);
    });
    const descriptor::feature_matrix F = acc.mean();
    const std::size_t nframes = acc.frames();
    const auto& ids = acc.ids();
    learn::write_npy(o.output, F);
    if (!o.ids_out.empty()) learn::write_npy(o.ids_out, ids);
    if (!o.save_settings.empty()) {
        std::ofstream js(o.save_settings);
        js << learn::json::dump(learn::to_json(s)) << '\n';
        if (!js) throw io_error("cannot write " + o.save_settings);
    }
    if (!o.run.quiet)
        std::cout << "wrote " << F.rows() << " x " << F.cols() << " features (" << D << "D, " << n_species
                  << " species, reach " << reach << (nframes > 1 ? ", mean of " + std::to_string(nframes) + " frames" : "")
                  << ") to " << o.output << "\n";
    return 0;
}

int run_sf(const sf_options& o) {
    if (o.output.empty() && !o.describe) throw invalid_argument("sf: -o FILE.npy is required (or --describe)");
    if (!o.samples.empty() && !o.in.frames.empty())
        throw invalid_argument("sf: --samples takes its frames from the samples CSV (drop --frames)");
    const auto s = build_settings(o);
    int dim = 0;
    if (!o.samples.empty()) dim = o.in.dim == "2" ? 2 : 3;
    else dim = resolve_dimension(o.in);
    return with_dimension(dim, [&](auto d) { return run_sf_dim<decltype(d)::value>(o, s); });
}

}  // namespace

void add_sf_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<sf_options>();
    auto* cmd = app.add_subcommand("sf", "radial/angular structure functions (softness features) -> .npy");
    add_input_options(*cmd, o->in);
    add_frames_option(*cmd, o->in, "each center's features averaged over them (matched by id)");
    cmd->add_option("--descriptor", o->descriptor,
                    "feature definition: alumina | fan2020-2d | fan2020-3d | reduced-pdf | none, or a settings JSON "
                    "(--save-settings)")
        ->default_str("none");
    cmd->add_option("--sigma", o->sigma, "length unit of the fan2020-2d descriptor (default 1)");
    add_list_option(*cmd, "--rp", o->rp, "reduced-pdf: r_p per (center, neighbor) species pair, row-major, or one value");
    cmd->add_option("--radial", o->radial, "radial centers MU0:MU1:STEP (MU1 included)");
    cmd->add_option("--width", o->width, "radial Gaussian width L");
    cmd->add_option("--cutoff", o->cutoff, "radial hard cutoff (0: none, Gaussian tail)");
    cmd->add_option("--form", o->form, "two_l2: exp(-d^2/2L^2) (default) | l2: exp(-d^2/L^2)")
        ->check(CLI::IsMember({"two_l2", "l2"}));
    cmd->add_option("--angular", o->angular, "fan:XI0:XI1:N (lambda +-1, zeta 1,2,4,8,16) | cubuk[:XI_UNIT] (22 terms)");
    cmd->add_option("--angular-cutoff", o->angular_cutoff, "angular hard cutoff on r_ij, r_ik");
    cmd->add_flag("--ordered", o->ordered, "ordered neighbor pairs (same-species pairs counted twice)");
    cmd->add_flag("--bias", o->bias, "append a constant-1 column");
    add_list_option(*cmd, "--centers", o->centers, "species of the center atoms (default: all atoms)");
    cmd->add_flag("--describe", o->describe, "print the column names and exit");
    cmd->add_option("-o,--output", o->output, "features .npy (rows: centers, columns: see --describe); required unless --describe");
    cmd->add_option("--ids-out", o->ids_out, "atom ids of the rows (.npy, int64)");
    cmd->add_option("--samples", o->samples, "samples CSV from `amorph phop`: FILE is then the dump trajectory");
    cmd->add_option("--labels-out", o->labels_out, "with --samples: labels .npy (int32)");
    cmd->add_option("--groups-out", o->groups_out, "with --samples: atom ids .npy (groups for the split)");
    cmd->add_option("--save-settings", o->save_settings, "write the feature definition as JSON");
    add_command(reg, cmd, o->run, [o] { return run_sf(*o); });
}

}  // namespace amorph::cli
