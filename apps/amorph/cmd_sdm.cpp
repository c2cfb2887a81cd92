// apps/amorph/cmd_sdm.cpp — the spatial-density-map subcommands (thesis ch. 5):
//
//   amorph sdm FILE (--loading L | --orientation K | --direction D --plane N)
//              [--rc R --delta A | --grid G] -o maps.npy [--ids-out ids.npy]
//       the SDM of every atom in the loading frame (descriptor/sdm.hpp):
//       float32 (N, C, [Z,] Y, X), channel = atom type, and the atom ids
//       (int64, default MAPS_ids.npy); written batch by batch.
//   amorph cnn predict FILE --model NET.amcnn (loading as above) -o out.xyz
//       per-atom column p: the net's probability that the atom rearranges
//       under that loading (learn::cnn_probability: SDM -> CNN fused batch by
//       batch, the mean over the mirror images unless --no-mirror-average).
//   amorph score --pred FILE:COLUMN --label FILE:COLUMN --fraction F
//       positives = the top F of the label column (e.g. d2min); prints the
//       balanced accuracy of "pred > --threshold", C_rank, the overlap R of
//       the top-F sets and the ROC AUC (learn/metrics.hpp); atoms matched by
//       id, atoms with a non-finite value in either column left out (counted).
//
// Loadings (2D, --loading; learn::loading_frame_2d): ss+ = LAMMPS
// `change_box all xy delta +gamma*ly remap`, ss- = `xy delta -gamma*ly`,
// ps+ = `x scale 1-gamma/2 y scale 1+gamma/2`, ps- = `x scale 1+gamma/2
// y scale 1-gamma/2`, shear:THETA = simple shear along the direction at THETA
// degrees. Any dimension: --direction/--plane (shear direction and shear-plane
// normal, as `amorph aqs --mode shear`); 3D: --orientation K (thesis Table
// 5.1, as `amorph aqs --orientation`).
#include "cmd_learn.hpp"
#include "common.hpp"
#include "table.hpp"

#include <amorph/core/error.hpp>
#include <amorph/descriptor/sdm.hpp>
#include <amorph/learn/cnn.hpp>
#include <amorph/learn/metrics.hpp>
#include <amorph/learn/npy.hpp>
#include <amorph/learn/sdm_cnn.hpp>
#include <amorph/protocol/deformation.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <unordered_map>

namespace amorph::cli {

namespace {

struct frame_cli {
    std::string loading, direction, plane;
    int orientation = 0;
};

struct geometry_cli {
    double rc = 0, delta = 0, width = 0;
    std::size_t grid = 0;
};

constexpr const char* loading_help =
    "2D loading: ss+ (LAMMPS change_box xy delta +gamma*ly), ss- (xy delta -gamma*ly), "
    "ps+ (x scale 1-gamma/2 y scale 1+gamma/2), ps- (x scale 1+gamma/2 y scale 1-gamma/2), "
    "shear:THETA (simple shear along THETA degrees from x)";

void add_frame_options(CLI::App& cmd, frame_cli& f) {
    cmd.add_option("--loading", f.loading, loading_help);
    cmd.add_option("--orientation", f.orientation, "3D simple shear along Table 5.1 orientation K (1..24)")
        ->check(CLI::Range(1, 24));
    cmd.add_option("--direction", f.direction, "simple-shear direction: x, -y, 1,1,0 ... (with --plane)");
    cmd.add_option("--plane", f.plane, "shear-plane normal (with --direction)");
}

void add_geometry_options(CLI::App& cmd, geometry_cli& g) {
    cmd.add_option("--rc", g.rc, "half width r_c of the map window (default 5 in 2D, 9.6 in 3D)")->check(positive);
    cmd.add_option("--delta", g.delta, "pixel spacing (default 0.2 in 2D, 0.6 in 3D; 2 rc / delta pixels per axis)")
        ->check(positive);
    cmd.add_option("--grid", g.grid, "pixels per axis instead of --delta (delta = 2 rc / grid)")->check(positive);
    cmd.add_option("--width", g.width, "Gaussian width W (default: W = delta, thesis)")->check(positive);
}

template <int D>
mat<D> make_frame(const frame_cli& f) {
    const int given = int(!f.loading.empty()) + int(f.orientation != 0) + int(!f.direction.empty() || !f.plane.empty());
    if (given != 1) throw invalid_argument("give one loading: --loading, --orientation or --direction with --plane");
    if (!f.loading.empty()) {
        if constexpr (D == 2) {
            return learn::loading_frame_2d(f.loading);
        } else {
            throw invalid_argument("--loading names a 2D loading; in 3D use --orientation K or --direction/--plane");
        }
    }
    if (f.orientation != 0) {
        if constexpr (D == 3) {
            const auto def = protocol::orientation(f.orientation);
            return descriptor::loading_frame<3>(def.direction, def.normal);
        } else {
            throw invalid_argument("--orientation (thesis Table 5.1) is for 3D systems");
        }
    }
    if (f.direction.empty() || f.plane.empty()) throw invalid_argument("--direction and --plane go together");
    return descriptor::loading_frame<D>(parse_direction<D>(f.direction, "--direction"), parse_direction<D>(f.plane, "--plane"));
}

template <int D>
descriptor::sdm_settings<D> make_sdm(const CLI::App& cmd, const geometry_cli& g, const frame_cli& f) {
    descriptor::sdm_settings<D> s;
    if constexpr (D == 2) s = descriptor::sdm_thesis_2d();
    else s = descriptor::sdm_thesis_3d();
    if (g.rc > 0) s.cutoff = g.rc;
    if (cmd.count("--grid") && cmd.count("--delta")) throw invalid_argument("give --delta or --grid, not both");
    if (g.grid > 0) s.delta = 2 * s.cutoff / static_cast<double>(g.grid);
    else if (g.delta > 0) s.delta = g.delta;
    s.width = g.width;
    s.frame = make_frame<D>(f);
    return s;
}

std::string default_ids_path(const std::string& maps) {
    const std::string stem = maps.size() > 4 && maps.substr(maps.size() - 4) == ".npy" ? maps.substr(0, maps.size() - 4) : maps;
    return stem + "_ids.npy";
}

// --- sdm ------------------------------------------------------------------------

struct sdm_cli {
    input_options in;
    frame_cli frame;
    geometry_cli geom;
    std::string output, ids_out;
    run_options run;
};

template <int D>
int run_sdm_d(const CLI::App& cmd, const sdm_cli& o) {
    const auto s = make_sdm<D>(cmd, o.geom, o.frame);
    const auto sys = load_system<D>(o.in);
    const descriptor::sdm_evaluator<D> ev(s, sys);
    const std::size_t n = sys.size(), img = ev.image_size();
    std::vector<std::size_t> shape{n, ev.channels()};
    for (int k = 0; k < D; ++k) shape.push_back(ev.grid());
    std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
    if (!out) throw io_error("cannot open " + o.output + " for writing");
    const std::string h = learn::detail::npy_header("<f4", shape);
    out.write(h.data(), static_cast<std::streamsize>(h.size()));
    constexpr std::size_t batch = 512;
    std::vector<std::size_t> centers;
    std::vector<float> buf;
    for (std::size_t k0 = 0; k0 < n; k0 += batch) {
        const std::size_t nb = std::min(batch, n - k0);
        centers.resize(nb);
        for (std::size_t k = 0; k < nb; ++k) centers[k] = k0 + k;
        buf.resize(nb * img);
        ev.compute(centers, buf);
        out.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size() * sizeof(float)));
    }
    out.close();
    if (!out) throw io_error("cannot write " + o.output);
    const std::string ids_path = o.ids_out.empty() ? default_ids_path(o.output) : o.ids_out;
    learn::write_npy(ids_path, sys.ids);
    scalar_report rep;
    rep.add("atoms", static_cast<double>(n));
    rep.add("channels", static_cast<double>(ev.channels()));
    rep.add("pixels per axis", static_cast<double>(ev.grid()));
    rep.add("r_c", s.cutoff);
    rep.add("delta", s.delta);
    rep.add_text("maps", o.output);
    rep.add_text("ids", ids_path);
    rep.print(std::cout);
    return 0;
}

// --- cnn predict -----------------------------------------------------------------

struct cnn_cli {
    input_options in;
    output_options out;
    frame_cli frame;
    geometry_cli geom;
    std::string model, column = "p", csv;
    bool no_mirror = false;
    run_options run;
};

template <int D>
int run_cnn_d(const CLI::App& cmd, const cnn_cli& o) {
    const auto net = learn::cnn::load(o.model);
    auto s = make_sdm<D>(cmd, o.geom, o.frame);
    // without --grid / --delta: the net's own map size at r_c (a 16^3 net
    // draws 16^3 maps), so a shipped net needs no geometry options
    if (!cmd.count("--grid") && !cmd.count("--delta")) s.delta = 2 * s.cutoff / static_cast<double>(net.in_shape()[2]);
    auto sys = load_system<D>(o.in);
    std::vector<std::size_t> all(sys.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    const auto p = learn::cnn_probability<D>(net, sys, s, all, !o.no_mirror);
    sys.set_property(o.column, p);
    if (!o.out.output.empty()) save_system<D>(o.out.output, sys, output_format_for(o.out.output, o.out.output_format));
    if (!o.csv.empty()) {
        table t({"id", "type", o.column});
        for (std::size_t k = 0; k < sys.size(); ++k)
            t.add_row({static_cast<double>(sys.ids[k]), static_cast<double>(sys.types[k] + 1), p[k]});
        t.write_csv(o.csv);
    }
    double mean = 0, mx = 0;
    std::size_t above = 0;
    for (double v : p) mean += v, mx = std::max(mx, v), above += v > 0.5;
    scalar_report rep;
    rep.add("atoms", static_cast<double>(p.size()));
    rep.add_text("model", o.model);
    rep.add_text("loading", !o.frame.loading.empty()       ? o.frame.loading
                            : o.frame.orientation != 0 ? "orientation " + std::to_string(o.frame.orientation)
                                                       : "direction " + o.frame.direction + ", plane " + o.frame.plane);
    rep.add("mirror images averaged", o.no_mirror ? 1.0 : static_cast<double>(descriptor::mirror_count<D>));
    rep.add("mean " + o.column, p.empty() ? 0.0 : mean / static_cast<double>(p.size()));
    rep.add("max " + o.column, mx);
    rep.add("fraction with " + o.column + " > 0.5", p.empty() ? 0.0 : static_cast<double>(above) / static_cast<double>(p.size()));
    rep.print(std::cout);
    return 0;
}

// --- score -----------------------------------------------------------------------

struct score_cli {
    std::string pred, label, format = "auto", csv;
    std::int64_t frame = -1;
    double fraction = 0, threshold = 0.5;
    run_options run;
};

struct column_ref {
    std::string file, column;
};

column_ref split_column(const std::string& s, const char* what) {
    const auto c = s.rfind(':');
    if (c == std::string::npos || c == 0 || c + 1 == s.size())
        throw invalid_argument(std::string(what) + " '" + s + "': expected FILE:COLUMN (a per-atom column of a dump or extxyz)");
    return {s.substr(0, c), s.substr(c + 1)};
}

struct id_values {
    std::vector<std::int64_t> ids;
    std::vector<double> values;
};

id_values read_column(const column_ref& r, const score_cli& o) {
    input_options in;
    in.file = r.file;
    in.format = o.format;
    in.frame = o.frame;
    return with_dimension(resolve_dimension(in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        const auto sys = load_system<D>(in);
        const auto* p = sys.find_property(r.column);
        if (!p) {
            std::string have;
            for (const auto& q : sys.properties) have += (have.empty() ? "" : ", ") + q.name;
            throw invalid_argument(r.file + ": no per-atom column '" + r.column + "' (columns: " +
                                   (have.empty() ? "none" : have) + ")");
        }
        return id_values{sys.ids, p->values};
    });
}

int run_score(const score_cli& o) {
    const auto pr = split_column(o.pred, "--pred"), lr = split_column(o.label, "--label");
    const auto pred = read_column(pr, o), lab = read_column(lr, o);
    std::unordered_map<std::int64_t, std::size_t> at;
    for (std::size_t k = 0; k < lab.ids.size(); ++k) at.emplace(lab.ids[k], k);
    if (at.size() != pred.ids.size())
        throw invalid_argument("score: " + pr.file + " has " + std::to_string(pred.ids.size()) + " atoms, " + lr.file +
                               " " + std::to_string(lab.ids.size()));
    std::vector<double> x, y;
    std::size_t skipped = 0;
    for (std::size_t k = 0; k < pred.ids.size(); ++k) {
        const auto it = at.find(pred.ids[k]);
        if (it == at.end()) throw invalid_argument("score: atom id " + std::to_string(pred.ids[k]) + " of " + pr.file + " is not in " + lr.file);
        const double a = pred.values[k], b = lab.values[it->second];
        if (!std::isfinite(a) || !std::isfinite(b)) {
            ++skipped;
            continue;
        }
        x.push_back(a);
        y.push_back(b);
    }
    if (x.size() < 2) throw invalid_argument("score: fewer than 2 atoms with finite values in both columns");
    const auto top = learn::top_fraction_indices(y, o.fraction);
    scalar_report rep;
    rep.add("atoms scored", static_cast<double>(x.size()));
    rep.add("atoms left out (non-finite)", static_cast<double>(skipped));
    rep.add("positives (top fraction of label)", static_cast<double>(top.size()));
    rep.add("fraction", o.fraction);
    rep.add("threshold", o.threshold);
    rep.add("balanced accuracy", learn::balanced_accuracy(x, y, o.fraction, o.threshold), "", 17);
    rep.add("C_rank", learn::c_rank(x, y, o.fraction), "", 17);
    rep.add("overlap R", learn::overlap_ratio(x, y, o.fraction), "", 17);
    rep.add("ROC AUC", learn::roc_auc(x, y, o.fraction), "", 17);
    rep.print(std::cout);
    if (!o.csv.empty()) rep.write_csv(o.csv);
    return 0;
}

}  // namespace

void add_sdm_commands(CLI::App& app, registry& reg) {
    {
        auto o = std::make_shared<sdm_cli>();
        auto* cmd = app.add_subcommand("sdm", "spatial density maps of every atom in a loading frame -> .npy");
        add_input_options(*cmd, o->in);
        add_frame_options(*cmd, o->frame);
        add_geometry_options(*cmd, o->geom);
        cmd->add_option("-o,--output", o->output, "maps .npy: float32 (atoms, channels, [Z,] Y, X)")->required();
        cmd->add_option("--ids-out", o->ids_out, "atom ids .npy (default: MAPS_ids.npy)");
        add_command(reg, cmd, o->run, [o, cmd] {
                           return with_dimension(resolve_dimension(o->in),
                                                 [&](auto d) { return run_sdm_d<decltype(d)::value>(*cmd, *o); });
                       });
    }
    {
        auto* cnn = app.add_subcommand("cnn", "apply a CNN on spatial density maps (examples/ch5 nets)");
        cnn->require_subcommand(1);
        auto o = std::make_shared<cnn_cli>();
        auto* cmd = cnn->add_subcommand("predict", "per-atom probability p of rearranging under a loading "
                                                   "(maps of the net's input size unless --grid or --delta)");
        add_input_options(*cmd, o->in);
        cmd->add_option("--model", o->model, "net in amorph's .amcnn format (examples/ch5/train_cnn.py)")
            ->required()
            ->check(CLI::ExistingFile);
        add_frame_options(*cmd, o->frame);
        add_geometry_options(*cmd, o->geom);
        cmd->add_option("--column", o->column, "name of the per-atom output column")->capture_default_str();
        cmd->add_flag("--no-mirror-average", o->no_mirror, "the plain map only (default: mean over its mirror images)");
        add_output_options(*cmd, o->out);
        add_csv_option(*cmd, o->csv);
        add_command(reg, cmd, o->run, [o, cmd] {
                           return with_dimension(resolve_dimension(o->in),
                                                 [&](auto d) { return run_cnn_d<decltype(d)::value>(*cmd, *o); });
                       });
    }
    {
        auto o = std::make_shared<score_cli>();
        auto* cmd = app.add_subcommand("score", "score a per-atom prediction against the top fraction of a label column");
        cmd->add_option("--pred", o->pred, "FILE:COLUMN of the prediction (e.g. out.xyz:p, soft.xyz:softness)")->required();
        cmd->add_option("--label", o->label, "FILE:COLUMN of the label (e.g. d2min.xyz:d2min); positives = its top fraction")
            ->required();
        cmd->add_option("--fraction", o->fraction, "top fraction of the label that is positive (e.g. 0.02)")
            ->required()
            ->check(CLI::Range(0.0, 1.0, "in (0, 1)"));
        cmd->add_option("--threshold", o->threshold, "balanced accuracy of pred > threshold (0.5 for p, 0 for softness)")
            ->capture_default_str();
        cmd->add_option("--format", o->format, "input format of both files: auto | data | dump | extxyz")
            ->check(CLI::IsMember({"auto", "data", "dump", "extxyz", "poscar"}));
        cmd->add_option("--frame", o->frame, "trajectory frame of both files (default -1 = last)");
        add_csv_option(*cmd, o->csv);
        add_command(reg, cmd, o->run, [o] {
                           if (!(o->fraction > 0 && o->fraction < 1)) throw invalid_argument("--fraction must be in (0, 1)");
                           if (!std::isfinite(o->threshold)) throw invalid_argument("--threshold must be finite");
                           return run_score(*o);
                       });
    }
}

}  // namespace amorph::cli
