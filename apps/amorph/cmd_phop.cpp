// apps/amorph/cmd_phop.cpp — `amorph phop TRAJ`: p_hop (alumina eq 3) of every
// atom of a LAMMPS dump trajectory, streamed frame by frame
// (amorph/analysis/p_hop.hpp), and the balanced rearranging / non-rearranging
// samples (amorph/analysis/labels.hpp).
//
//   --window T_R --dt DT   t_R in time units and the time per MD step; the
//                          frame interval is (timestep_1 - timestep_0) DT;
//   --half-window H        or the half window directly in frames;
//   --unwrap auto|flags|min|given   (default auto: image flags if present,
//                          else minimum displacement between frames);
//   -o phop.npy            rows: frames H .. T-1-H, columns: atoms (--ids-out);
//   --samples CSV          balanced samples: peaks of p_hop > --threshold
//                          (default 0.2) and as many random (atom, frame) with
//                          p_hop < --quiet-threshold (default 0.05), seeded (--seed);
//   --centers A,B          samples only of atoms of these species (p_hop of all).
#include "cmd_learn.hpp"
#include "common.hpp"

#include <amorph/analysis/labels.hpp>
#include <amorph/analysis/p_hop.hpp>
#include <amorph/io/lammps_dump.hpp>
#include <amorph/learn/npy.hpp>

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <unordered_map>

namespace amorph::cli {

void write_samples_csv(const std::string& path, const std::vector<sample_row>& rows) {
    std::ofstream out(path);
    if (!out) throw io_error("cannot open " + path + " for writing");
    out.precision(17);
    out << "frame,timestep,atom_id,label,p_hop\n";
    for (const auto& r : rows) out << r.frame << ',' << r.timestep << ',' << r.atom_id << ',' << r.label << ',' << r.value << '\n';
    if (!out) throw io_error("cannot write " + path);
}

std::vector<sample_row> read_samples_csv(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw io_error("cannot open " + path);
    std::string line;
    std::size_t ln = 0;
    std::vector<sample_row> rows;
    while (std::getline(in, line)) {
        ++ln;
        if (ln == 1) {
            if (line.rfind("frame,timestep,atom_id,label", 0) != 0)
                throw parse_error(path, 1, "header", "expected 'frame,timestep,atom_id,label,p_hop'");
            continue;
        }
        if (line.empty()) continue;
        std::stringstream ss(line);
        std::string f[5];
        for (int k = 0; k < 5; ++k)
            if (!std::getline(ss, f[k], ',') && k < 4) throw parse_error(path, ln, "row", "expected 5 comma-separated fields");
        try {
            sample_row r;
            const long long fr = std::stoll(f[0]);
            if (fr < 0) throw std::out_of_range("frame");
            r.frame = static_cast<std::size_t>(fr);
            r.timestep = std::stoll(f[1]);
            r.atom_id = std::stoll(f[2]);
            r.label = std::stoi(f[3]);
            r.value = f[4].empty() ? 0.0 : std::stod(f[4]);
            rows.push_back(r);
        } catch (const std::exception&) {
            throw parse_error(path, ln, "row", "invalid number in '" + line + "'");
        }
    }
    return rows;
}

namespace {

struct phop_options {
    std::string file;
    std::vector<std::string> species, centers;
    std::string dim = "3";
    double window = 0, dt = 0;
    std::size_t half_window = 0;
    std::string unwrap = "auto";
    std::string output, ids_out, samples;
    double threshold = 0.2, quiet_threshold = 0.05;
    std::size_t min_separation = 0;
    std::uint64_t seed = 1;
    run_options run;
};

analysis::unwrap_mode parse_unwrap(const std::string& s) {
    if (s == "flags") return analysis::unwrap_mode::image_flags;
    if (s == "min") return analysis::unwrap_mode::minimum_displacement;
    if (s == "given") return analysis::unwrap_mode::as_given;
    return analysis::unwrap_mode::automatic;
}

template <int D>
int run_phop_dim(const phop_options& o) {
    if ((o.half_window == 0) == (o.window <= 0))
        throw invalid_argument("phop: give either --window T_R with --dt, or --half-window H");
    if (o.window > 0 && !(o.dt > 0)) throw invalid_argument("phop: --window needs --dt (time per MD step)");
    io::dump_read_options ro;
    ro.species = o.species;
    io::dump_reader<D> rd(o.file, ro);
    // the first two frames fix the frame interval
    std::vector<io::frame<D>> head(2);
    if (!rd.next(head[0]) || !rd.next(head[1])) throw invalid_argument("phop: " + o.file + " has fewer than two frames");
    std::size_t h = o.half_window;
    if (h == 0) {
        const double interval = static_cast<double>(head[1].timestep - head[0].timestep) * o.dt;
        if (!(interval > 0)) throw invalid_argument("phop: timesteps of the first two frames do not increase");
        h = analysis::p_hop_half_window(o.window, interval);
    }
    // --centers: the species of each id, from the first frame
    std::unordered_map<std::int64_t, bool> is_center;
    if (!o.centers.empty()) {
        const auto& sys0 = head[0].system;
        std::vector<char> wanted(sys0.species.size(), 0);
        for (const auto& name : o.centers) wanted[static_cast<std::size_t>(species_index(sys0, name))] = 1;
        for (std::size_t i = 0; i < sys0.size(); ++i)
            is_center[sys0.ids[i]] = wanted[static_cast<std::size_t>(sys0.types[i])] != 0;
    }
    analysis::p_hop_stream<D> stream(h, parse_unwrap(o.unwrap));
    analysis::p_hop_events events({o.threshold, o.quiet_threshold, o.min_separation, std::size_t{1} << 22, o.seed});
    std::vector<std::vector<double>> rows;
    std::vector<std::int64_t> steps;
    std::vector<std::size_t> columns;  // p_hop columns (stream.ids() order) that give samples
    std::vector<double> centered;
    auto on_row = [&](std::size_t t, std::span<const double> p) {
        if (!o.output.empty()) rows.emplace_back(p.begin(), p.end());
        if (o.centers.empty()) {
            events.add(t, p);
            return;
        }
        if (columns.empty())
            for (std::size_t k = 0; k < stream.ids().size(); ++k)
                if (is_center.at(stream.ids()[k])) columns.push_back(k);
        centered.resize(columns.size());
        for (std::size_t c = 0; c < columns.size(); ++c) centered[c] = p[columns[c]];
        events.add(t, centered);
    };
    std::size_t frames = 0;
    for (auto& f : head) {
        steps.push_back(f.timestep);
        stream.push(f.system, on_row);
        ++frames;
    }
    head.clear();
    io::frame<D> f;
    while (rd.next(f)) {
        steps.push_back(f.timestep);
        stream.push(f.system, on_row);
        ++frames;
    }
    const std::size_t n = stream.ids().size();
    if (!o.output.empty()) {
        Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> P(static_cast<Eigen::Index>(rows.size()),
                                                                                  static_cast<Eigen::Index>(n));
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::size_t i = 0; i < n; ++i) P(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(i)) = rows[r][i];
        learn::write_npy(o.output, P);
    }
    if (!o.ids_out.empty()) learn::write_npy(o.ids_out, stream.ids());
    std::size_t nsamples = 0;
    if (!o.samples.empty()) {
        const auto s = analysis::balanced_hop_samples(events, o.seed);
        std::vector<sample_row> out;
        for (const auto& x : s) {
            const std::size_t column = o.centers.empty() ? x.atom : columns.at(x.atom);
            out.push_back({x.frame, steps.at(x.frame), stream.ids()[column], x.label, x.value});
        }
        write_samples_csv(o.samples, out);
        nsamples = out.size();
    }
    if (!o.run.quiet) {
        std::cout << frames << " frames, " << n << " atoms, half window " << h << " frames; p_hop for frames " << h
                  << " .. " << (frames >= h + 1 ? frames - 1 - h : 0) << "\n";
        std::cout << events.rearranging().size() << " rearranging events (p_hop peaks > " << o.threshold << "), "
                  << events.quiet_seen() << " (atom, frame) pairs with p_hop < " << o.quiet_threshold << "\n";
        if (!o.samples.empty()) std::cout << "wrote " << nsamples << " balanced samples to " << o.samples << "\n";
    }
    return 0;
}

int run_phop(const phop_options& o) {
    const int dim = o.dim == "2" ? 2 : 3;
    return with_dimension(dim, [&](auto d) { return run_phop_dim<decltype(d)::value>(o); });
}

}  // namespace

void add_phop_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<phop_options>();
    auto* cmd = app.add_subcommand("phop", "p_hop of a LAMMPS dump trajectory and balanced hop samples");
    cmd->add_option("TRAJ", o->file, "LAMMPS dump trajectory (frames in time order)")->required()->check(CLI::ExistingFile);
    add_list_option(*cmd, "--species", o->species, "names for LAMMPS types 1, 2, ...");
    cmd->add_option("--dim", o->dim, "dimension 2 or 3 (default 3)")->check(CLI::IsMember({"2", "3"}));
    cmd->add_option("--window", o->window, "t_R in time units (alumina: 6 ps)");
    cmd->add_option("--dt", o->dt, "time per MD step (with --window)");
    cmd->add_option("--half-window", o->half_window, "half window in frames (instead of --window/--dt)");
    cmd->add_option("--unwrap", o->unwrap, "auto | flags | min | given")->check(CLI::IsMember({"auto", "flags", "min", "given"}));
    cmd->add_option("-o,--output", o->output, "p_hop .npy (frames x atoms)");
    cmd->add_option("--ids-out", o->ids_out, "atom ids of the columns (.npy, int64)");
    cmd->add_option("--samples", o->samples, "balanced samples CSV (input of `amorph sf --samples`)");
    cmd->add_option("--threshold", o->threshold, "rearranging: p_hop peak above this (default 0.2)");
    cmd->add_option("--quiet-threshold", o->quiet_threshold, "non-rearranging: p_hop below this (default 0.05)");
    cmd->add_option("--min-separation", o->min_separation, "frames between two counted peaks of one atom (default 0)");
    add_list_option(*cmd, "--centers", o->centers, "species whose atoms give samples (default: all atoms), e.g. Al");
    cmd->add_option("--seed", o->seed, "random seed of the sample selection (default 1)");
    add_command(reg, cmd, o->run, [o] { return run_phop(*o); });
}

}  // namespace amorph::cli
