// apps/amorph/cmd_voronoi.cpp — `amorph voronoi FILE`: Voronoi (or radical)
// tessellation (amorph/analysis/voronoi.hpp).
//
// Prints the number of atoms, the sum of the cell volumes next to the cell
// volume (they agree to ~1e-12 relative), the mean and range of the volumes,
// and in 3D the fraction of five-edged faces and the most frequent Voronoi
// indices <n3,n4,n5,n6>; with --frames A:B[:S], the same over every cell of
// those frames (atoms and volumes per frame, the largest relative difference). -o writes the configuration with per-atom `volume`
// (`area` in 2D), `faces` (integer) and, in 3D, `n3 n4 n5 n6` columns. --radical with
// --radii A:R,B:R gives the radical (power) tessellation.
//
// --samples CSV (from `amorph phop`): FILE is then the LAMMPS dump trajectory,
// and -o writes the volume of each sample's atom at the sample's frame as a
// one-column .npy (rows in the CSV's order), the Voronoi-volume baseline of a
// softness model (alumina Fig. S8) next to `amorph sf --samples`.
#include "cmd_structure.hpp"
#include "common.hpp"
#include "cmd_learn.hpp"
#include "table.hpp"

#include <amorph/analysis/voronoi.hpp>
#include <amorph/io/lammps_dump.hpp>
#include <amorph/learn/npy.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <limits>
#include <map>
#include <memory>

namespace amorph::cli {

namespace {

struct voronoi_cli_options {
    input_options in;
    output_options out;
    bool radical = false;
    std::string radii, csv, samples;
    double edge_threshold = 0;
    int top = 10;
    run_options run;  ///< --threads, --quiet
};

/// --samples: the volume of each sample's atom at its frame of the trajectory.
int run_voronoi_samples(const voronoi_cli_options& o) {
    if (o.out.output.empty()) throw invalid_argument("voronoi --samples: give -o FILE.npy");
    const auto rows = read_samples_csv(o.samples);
    std::map<std::size_t, std::vector<std::size_t>> by_frame;  // frame -> sample rows
    for (std::size_t k = 0; k < rows.size(); ++k) by_frame[rows[k].frame].push_back(k);
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        io::dump_read_options ro;
        ro.species = o.in.species;
        io::dump_reader<D> rd(o.in.file, ro);
        io::frame<D> f;
        std::vector<double> volume(rows.size(), 0.0);
        auto next = by_frame.begin();
        for (std::size_t frame = 0; next != by_frame.end() && rd.next(f); ++frame) {
            if (frame != next->first) continue;
            const auto& sys = f.system;
            analysis::voronoi_options vo;
            vo.edge_threshold = o.edge_threshold;
            if (o.radical) vo.radii = radii_per_atom(sys, o.radii);
            const auto r = analysis::voronoi<D>(sys.box, sys.positions, vo);
            const auto index = sys.index_of_ids();
            for (std::size_t k : next->second) {
                const auto it = index.find(rows[k].atom_id);
                if (it == index.end())
                    throw invalid_argument("voronoi --samples: atom id " + std::to_string(rows[k].atom_id) +
                                           " is not in frame " + std::to_string(frame) + " of " + o.in.file);
                volume[k] = r.volume[it->second];
            }
            ++next;
        }
        if (next != by_frame.end())
            throw invalid_argument("voronoi --samples: " + o.in.file + " has no frame " + std::to_string(next->first) +
                                   " (named in " + o.samples + ")");
        Eigen::MatrixXd V(static_cast<Eigen::Index>(rows.size()), 1);
        for (std::size_t k = 0; k < rows.size(); ++k) V(static_cast<Eigen::Index>(k), 0) = volume[k];
        learn::write_npy(o.out.output, V);
        std::cout << "wrote the Voronoi " << (D == 3 ? "volume" : "area") << " of " << rows.size() << " samples in "
                  << by_frame.size() << " frames to " << o.out.output << "\n";
        return 0;
    });
}

int run_voronoi(const voronoi_cli_options& o) {
    if (o.radical != !o.radii.empty()) throw invalid_argument("voronoi: --radical and --radii go together");
    if (!o.samples.empty()) return run_voronoi_samples(o);
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        // one frame, or the statistics of every cell of --frames (-o: the last frame)
        amorph::system<D> sys;
        analysis::voronoi_result<D> r;
        std::size_t nframes = 0, cells = 0;
        double sum = 0, cell_total = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo, rel = 0;
        double five = 0, faces_total = 0;  // five-edged faces / all faces, pooled over the frames
        std::map<std::array<int, 4>, std::size_t> count;
        for_each_input_frame<D>(o.in, [&](std::int64_t, amorph::system<D>& s) {
            analysis::voronoi_options vo;
            vo.edge_threshold = o.edge_threshold;
            if (o.radical) vo.radii = radii_per_atom(s, o.radii);
            r = analysis::voronoi<D>(s.box, s.positions, vo);
            double frame_sum = 0;
            for (double v : r.volume) {
                frame_sum += v;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            const double V = s.box.volume();
            const double frame_rel = V != 0 ? (frame_sum - V) / V : 0.0;
            if (std::abs(frame_rel) >= std::abs(rel)) rel = frame_rel;  // the largest over the frames
            sum += frame_sum;
            cell_total += V;
            cells += s.size();
            if constexpr (D == 3) {
                for (const auto& fo : r.face_orders) {
                    for (std::size_t k = 3; k < fo.size(); ++k) faces_total += fo[k];
                    five += fo[5];
                }
                for (std::size_t i = 0; i < s.size(); ++i) ++count[r.index(i)];
            }
            sys = std::move(s);
            ++nframes;
        });
        const std::size_t n = sys.size();
        const double per_frame = 1.0 / static_cast<double>(nframes);
        if (cells == 0) lo = hi = 0;
        const std::string what = D == 3 ? "volume" : "area";
        scalar_report rep;
        if (nframes > 1) rep.add("frames", static_cast<double>(nframes));
        rep.add("atoms", static_cast<double>(cells) * per_frame);
        rep.add("cell " + what, cell_total * per_frame);
        rep.add("sum of " + what + "s", sum * per_frame);
        rep.add("relative difference", rel);
        rep.add("mean " + what, cells ? sum / static_cast<double>(cells) : 0.0);
        rep.add("min " + what, lo);
        rep.add("max " + what, hi);
        std::vector<double> faces(n);
        for (std::size_t i = 0; i < n; ++i) faces[i] = static_cast<double>(r.faces[i].size());
        if constexpr (D == 3) {
            rep.add("five-fold face fraction", faces_total > 0 ? five / faces_total : 0.0);  // five_fold_fraction, pooled
            std::vector<std::pair<std::size_t, std::array<int, 4>>> by;
            for (const auto& [k, c] : count) by.emplace_back(c, k);
            std::stable_sort(by.begin(), by.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            for (std::size_t k = 0; k < by.size() && static_cast<int>(k) < o.top; ++k) {
                const auto& ix = by[k].second;
                rep.add("index <" + std::to_string(ix[0]) + "," + std::to_string(ix[1]) + "," + std::to_string(ix[2]) + "," +
                            std::to_string(ix[3]) + ">",
                        static_cast<double>(by[k].first) / static_cast<double>(cells), "fraction of atoms");
            }
        }
        rep.print(std::cout);
        if (!o.csv.empty()) rep.write_csv(o.csv);
        if (!o.out.output.empty()) {
            sys.set_property(D == 3 ? "volume" : "area", r.volume);
            sys.set_property("faces", faces, true);
            if constexpr (D == 3) {
                for (int k = 3; k <= 6; ++k) {
                    std::vector<double> c(n);
                    for (std::size_t i = 0; i < n; ++i) c[i] = r.face_orders[i][static_cast<std::size_t>(k)];
                    sys.set_property("n" + std::to_string(k), c, true);
                }
            }
            save_system<D>(o.out.output, sys, output_format_for(o.out.output, o.out.output_format));
        }
        return 0;
    });
}

}  // namespace

void add_voronoi_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<voronoi_cli_options>();
    auto* cmd = app.add_subcommand("voronoi", "Voronoi / radical tessellation: per-atom volume (area in 2D), Voronoi indices");
    add_input_options(*cmd, o->in);
    add_frames_option(*cmd, o->in, "statistics over every cell of them (-o: the last frame)");
    add_output_options(*cmd, o->out);
    cmd->add_flag("--radical", o->radical, "radical (power) tessellation with the --radii");
    cmd->add_option("--radii", o->radii, "radius per species for --radical, e.g. Cu:1.28,Zr:1.60");
    cmd->add_option("--edge-threshold", o->edge_threshold,
                    "edges shorter than this do not count in the Voronoi indices (default 0)");
    cmd->add_option("--top", o->top, "number of most frequent Voronoi indices to list (default 10)");
    add_csv_option(*cmd, o->csv);
    cmd->add_option("--samples", o->samples,
                    "samples CSV from `amorph phop`: FILE is then the dump trajectory and -o a .npy of the volumes");
    add_command(reg, cmd, o->run, [o] { return run_voronoi(*o); });
}

}  // namespace amorph::cli
