// apps/amorph/cmd_d2min.cpp — `amorph d2min REF CUR --cutoff R [-o OUT]` and
// `amorph d2min --cumulative --cutoff R FRAME0 FRAME1 ...`; from one
// trajectory `amorph d2min TRAJ --ref-frame I --frame J` and `amorph d2min
// TRAJ --cumulative --frames A:B[:S]` (streamed, one frame in memory): D2min (Falk-Langer,
// sum over the reference neighbors within R, OVITO's convention), the von
// Mises shear strain and a validity flag per atom, matched by atom id
// (analysis/d2min.hpp); with --cumulative the cumulative nonaffine
// displacement D = sum_s sqrt(D2min(s-1 -> s)) over consecutive frames
// (alumina eq 1); the d2min column is then REF -> last frame. -o writes the current (last) configuration with the extra
// per-atom columns d2min, shear_strain, valid (and D); --csv the same per
// atom: id,type,d2min,shear_strain,valid[,D]. The screen shows a summary.
#include "cmd_deform.hpp"
#include "common.hpp"
#include "table.hpp"

#include <amorph/analysis/d2min.hpp>
#include <amorph/core/error.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <fstream>
#include <iostream>
#include <memory>
#include <unordered_map>

namespace amorph::cli {

namespace {

struct d2min_cli_options {
    input_options in;              ///< REF (and the shared --format/--frame/--species/--dim)
    std::vector<std::string> cur;  ///< CUR, or the following frames with --cumulative
    output_options out;
    double cutoff = 0.0;
    bool cumulative = false;
    std::optional<std::int64_t> ref_frame;  ///< --ref-frame (default: 0 within one trajectory, else --frame)
    std::string csv;
    run_options run;
};

/// The options make sense together (checked before any file is read).
void check_d2min_options(const d2min_cli_options& o) {
    const bool one_file = o.cur.empty();
    if (!o.in.frames.empty() && !(o.cumulative && one_file))
        throw invalid_argument("d2min: --frames goes with --cumulative on one trajectory (d2min TRAJ --cumulative --frames A:B)");
    if (o.cumulative && one_file && o.in.frames.empty())
        throw invalid_argument("d2min: --cumulative on one trajectory needs --frames A:B[:S] (or give the files REF CUR...)");
    if (o.cumulative && o.ref_frame)
        throw invalid_argument("d2min: with --cumulative the first frame is the reference (drop --ref-frame)");
    if (!o.cumulative && o.cur.size() > 1)
        throw invalid_argument("d2min: give one current configuration, or use --cumulative for a series");
}

template <int D>
int run_d2min_d(const d2min_cli_options& o) {
    auto load = [&](const std::string& f, std::int64_t frame) {
        input_options in = o.in;
        in.file = f;
        in.frame = frame;
        return load_system<D>(in);
    };
    const bool one_file = o.cur.empty();
    amorph::system<D> ref, cur;
    analysis::atomic_strain_result<D> r;
    std::vector<double> Dcum;
    std::vector<char> Dvalid;
    std::size_t increments = 0;
    if (!o.cumulative) {
        // one trajectory: --ref-frame (default 0) -> --frame (default last);
        // two files: --ref-frame (default --frame) of REF -> --frame of CUR
        ref = load(o.in.file, o.ref_frame.value_or(one_file ? 0 : o.in.frame));
        cur = load(one_file ? o.in.file : o.cur.front(), o.in.frame);
        r = analysis::atomic_strain(ref, cur, analysis::d2min_options{o.cutoff, false});
    } else {
        analysis::cumulative_nonaffine<D> acc(o.cutoff);
        if (one_file) {
            for_each_input_frame<D>(o.in, [&](std::int64_t, amorph::system<D>& s) {
                if (ref.empty()) ref = s;
                acc.add(s);
                cur = std::move(s);
            });
            if (acc.increments() < 1)
                throw invalid_argument("d2min: --frames " + o.in.frames + " selects one frame; --cumulative needs two or more");
        } else {
            ref = load(o.in.file, o.in.frame);
            acc.add(ref);
            for (const auto& f : o.cur) {
                cur = load(f, o.in.frame);
                acc.add(cur);
            }
        }
        increments = acc.increments();
        // per-atom D in the order of the last frame; D2min of the last increment
        r = analysis::atomic_strain(ref, cur, analysis::d2min_options{o.cutoff, false});
        std::unordered_map<std::int64_t, std::size_t> pos;
        for (std::size_t k = 0; k < acc.ids().size(); ++k) pos[acc.ids()[k]] = k;
        Dcum.resize(cur.size());
        Dvalid.resize(cur.size());
        for (std::size_t k = 0; k < cur.size(); ++k) {
            const std::size_t p = pos.at(cur.ids[k]);
            Dcum[k] = acc.values()[p];
            Dvalid[k] = acc.valid()[p];
        }
    }
    std::vector<double> valid(r.valid.begin(), r.valid.end());
    if (o.cumulative)
        for (std::size_t k = 0; k < valid.size(); ++k) valid[k] = (r.valid[k] && Dvalid[k]) ? 1.0 : 0.0;
    cur.set_property("d2min", r.d2min);
    cur.set_property("shear_strain", r.shear_strain);
    cur.set_property("valid", valid, true);
    if (o.cumulative) cur.set_property("D", Dcum);
    if (!o.out.output.empty()) save_system<D>(o.out.output, cur, output_format_for(o.out.output, o.out.output_format));
    if (!o.csv.empty()) {
        std::vector<std::string> cols{"id", "type", "d2min", "shear_strain", "valid"};
        if (o.cumulative) cols.push_back("D");
        table t(cols);
        for (std::size_t k = 0; k < cur.size(); ++k) {
            std::vector<double> row{static_cast<double>(cur.ids[k]), static_cast<double>(cur.types[k] + 1), r.d2min[k],
                                    r.shear_strain[k], valid[k]};
            if (o.cumulative) row.push_back(Dcum[k]);
            t.add_row(std::move(row));
        }
        t.write_csv(o.csv);
    }
    std::size_t nvalid = 0;
    double sum = 0, mx = 0, smean = 0;
    for (std::size_t k = 0; k < cur.size(); ++k)
        if (valid[k] != 0.0) {
            ++nvalid;
            sum += r.d2min[k];
            mx = std::max(mx, r.d2min[k]);
            smean += r.shear_strain[k];
        }
    scalar_report rep;
    rep.add("atoms", static_cast<double>(cur.size()));
    rep.add("valid atoms", static_cast<double>(nvalid));
    rep.add("cutoff", o.cutoff);
    rep.add("mean d2min (start -> last)", nvalid ? sum / static_cast<double>(nvalid) : 0.0);
    rep.add("max d2min (start -> last)", mx);
    rep.add("mean shear strain", nvalid ? smean / static_cast<double>(nvalid) : 0.0);
    if (o.cumulative) {
        rep.add("increments", static_cast<double>(increments));
        double dm = 0;
        for (std::size_t k = 0; k < cur.size(); ++k) dm += Dcum[k];
        rep.add("mean D", dm / static_cast<double>(cur.size()));
    }
    rep.print(std::cout);
    return 0;
}

}  // namespace

void add_d2min_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<d2min_cli_options>();
    auto* cmd = app.add_subcommand("d2min", "nonaffine displacement D2min, von Mises shear strain, cumulative D");
    add_input_options(*cmd, o->in, "REF", "reference configuration (LAMMPS data, dump or extxyz)");
    cmd->add_option("CUR", o->cur,
                    "current configuration; with --cumulative, the frames after REF in order (none: frames of the "
                    "trajectory REF, see --ref-frame / --frames)");
    cmd->add_option("--ref-frame", o->ref_frame,
                    "frame of REF used as the reference (default: 0 when CUR is not given, else --frame)");
    add_frames_option(*cmd, o->in, "with --cumulative and no CUR, the frames of REF accumulated in order (the first is the reference)");
    add_output_options(*cmd, o->out);
    cmd->add_option("--cutoff", o->cutoff, "neighbor cutoff in the reference")->required()->check(positive);
    cmd->add_flag("--cumulative", o->cumulative, "cumulative D = sum of sqrt(D2min) over consecutive frames REF CUR...");
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o] {
                       check_d2min_options(*o);
                       return with_dimension(resolve_dimension(o->in), [&](auto d) { return run_d2min_d<decltype(d)::value>(*o); });
                   });
}

}  // namespace amorph::cli
