// apps/amorph/cmd_pairs.cpp — pair-distance subcommands (see cmd_structure.hpp):
//   amorph rdf FILE --rmax R --bins N [--partial] [--frames A:B[:S]]
//       g(r) (amorph/analysis/rdf.hpp); --partial adds g_AB(r) for every
//       species pair A <= B (g_AB = g_BA); --frames: the mean over frames.
//   amorph coord FILE --cutoff A-B:R [--cutoff C-D:R ...] [--frames A:B[:S]]
//       coordination numbers with per-pair cutoffs (`*:R` sets every pair);
//       prints mean CN and the CN distribution per species (atoms per frame
//       with --frames); -o adds `cn` (of the last frame).
//   amorph corr FILE --property NAME --rmax R --bins N
//       spatial correlation C(r) of a per-atom column (thesis eq 2.1) and its
//       correlation length (amorph/analysis/correlation.hpp).
//   amorph orient FILE --rmax R --zeta X,Y,Z [--phi --iota X,Y,Z --eta X,Y,Z]
//       g_zeta(r, theta) (eq 5.3) or, with --phi, g_zeta(r, phi) (eq 5.4, 3D)
//       of --neighbor atoms around the --select centers
//       (amorph/analysis/orientational.hpp); one column per angle bin.
#include "cmd_structure.hpp"
#include "common.hpp"
#include "table.hpp"

#include <amorph/analysis/correlation.hpp>
#include <amorph/analysis/orientational.hpp>
#include <amorph/analysis/rdf.hpp>

#include <CLI/CLI.hpp>

#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <numbers>

namespace amorph::cli {

namespace {

// ---- rdf ------------------------------------------------------------------

struct rdf_cli_options {
    input_options in;
    double rmax = 0;
    int bins = 100;
    bool partial = false;
    std::string csv;
    run_options run;  ///< --threads, --quiet
};

int run_rdf(const rdf_cli_options& o) {
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        // one frame, or the mean of g(r) (total and partial) over --frames
        analysis::rdf_result r;
        amorph::system<D> sys;
        std::size_t nframes = 0;
        for_each_input_frame<D>(o.in, [&](std::int64_t k, amorph::system<D>& s) {
            auto rk = analysis::rdf<D>(s.box, s.positions, s.types, {o.rmax, o.bins});
            if (nframes == 0) {
                r = std::move(rk);
                sys = std::move(s);
            } else {
                if (rk.species != r.species)
                    throw invalid_argument(o.in.file + ": frame " + std::to_string(k) + " has " +
                                           std::to_string(rk.species) + " species, the first frame " +
                                           std::to_string(r.species));
                for (std::size_t b = 0; b < r.total.size(); ++b) r.total[b] += rk.total[b];
                for (std::size_t c = 0; c < r.partial.size(); ++c)
                    for (std::size_t b = 0; b < r.partial[c].size(); ++b) r.partial[c][b] += rk.partial[c][b];
            }
            ++nframes;
        });
        if (nframes > 1) {
            const double inv = 1.0 / static_cast<double>(nframes);
            for (auto& v : r.total) v *= inv;
            for (auto& p : r.partial)
                for (auto& v : p) v *= inv;
            if (!o.run.quiet) std::cerr << "rdf: mean over " << nframes << " frames\n";
        }
        std::vector<std::string> cols{"r", "g"};
        std::vector<std::pair<int, int>> pairs;
        if (o.partial)
            for (int a = 0; a < r.species; ++a)
                for (int b = a; b < r.species; ++b) {
                    pairs.emplace_back(a, b);
                    cols.push_back("g_" + sys.species[static_cast<std::size_t>(a)].name + "_" +
                                   sys.species[static_cast<std::size_t>(b)].name);
                }
        table t(cols);
        for (std::size_t k = 0; k < r.r.size(); ++k) {
            std::vector<double> row{r.r[k], r.total[k]};
            for (const auto& [a, b] : pairs) row.push_back(r.g(a, b)[k]);
            t.add_row(row);
        }
        t.print(std::cout);
        if (!o.csv.empty()) t.write_csv(o.csv);
        return 0;
    });
}

// ---- coord ----------------------------------------------------------------

struct coord_options {
    input_options in;
    output_options out;
    std::vector<std::string> cutoffs;
    std::string csv;
    run_options run;  ///< --threads, --quiet
};

/// Per-pair cutoffs "A-B:R" / "*:R" as a species x species matrix.
template <int D>
Eigen::MatrixXd coord_cutoffs(const amorph::system<D>& sys, const std::vector<std::string>& cutoffs) {
    const auto ns = static_cast<Eigen::Index>(std::max<std::size_t>(1, sys.species.size()));
    Eigen::MatrixXd rc = Eigen::MatrixXd::Zero(ns, ns);
    for (const auto& c : cutoffs) {
        const auto colon = c.rfind(':');
        if (colon == std::string::npos) throw invalid_argument("--cutoff " + c + ": expected A-B:R or *:R");
        const std::string pair = c.substr(0, colon);
        std::size_t used = 0;
        double v = 0;
        try {
            v = std::stod(c.substr(colon + 1), &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != c.size() - colon - 1 || !(v >= 0))
            throw invalid_argument("--cutoff " + c + ": the radius is not a non-negative number");
        if (pair == "*") {
            rc.setConstant(v);
            continue;
        }
        const auto dash = pair.find('-');
        if (dash == std::string::npos) throw invalid_argument("--cutoff " + c + ": expected A-B:R or *:R");
        const int a = species_index(sys, pair.substr(0, dash)), b = species_index(sys, pair.substr(dash + 1));
        rc(a, b) = rc(b, a) = v;
    }
    return rc;
}

int run_coord(const coord_options& o) {
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        // one frame, or the histogram and means over --frames (atoms per frame)
        amorph::system<D> sys;
        std::vector<int> cn;
        std::vector<std::vector<double>> hist;
        std::vector<double> mean, count;
        std::size_t nframes = 0;
        for_each_input_frame<D>(o.in, [&](std::int64_t k, amorph::system<D>& s) {
            if (nframes > 0 && s.species.size() != sys.species.size())
                throw invalid_argument(o.in.file + ": frame " + std::to_string(k) + " has another number of species");
            const auto rc = coord_cutoffs(s, o.cutoffs);
            cn = analysis::coordination<D>(s.box, s.positions, s.types, rc);
            hist.resize(s.species.size());
            mean.resize(s.species.size(), 0.0);
            count.resize(s.species.size(), 0.0);
            for (std::size_t i = 0; i < s.size(); ++i) {
                const auto t = static_cast<std::size_t>(s.types[i]);
                const auto c = static_cast<std::size_t>(cn[i]);
                if (hist[t].size() <= c) hist[t].resize(c + 1, 0.0);
                hist[t][c] += 1;
                mean[t] += cn[i];
                count[t] += 1;
            }
            sys = std::move(s);
            ++nframes;
        });
        std::size_t cmax = 0;
        for (auto& h : hist) cmax = std::max(cmax, h.size());
        for (auto& h : hist) {
            h.resize(cmax, 0.0);
            for (auto& v : h) v /= static_cast<double>(nframes);
        }
        std::vector<std::string> cols{"cn"};
        for (const auto& s : sys.species) cols.push_back(s.name);
        table t(cols);
        if (nframes > 1 && !o.run.quiet) std::cerr << "coord: " << nframes << " frames; atoms per frame\n";
        scalar_report rep;
        for (std::size_t s = 0; s < sys.species.size(); ++s)
            rep.add("mean cn " + sys.species[s].name, count[s] ? mean[s] / count[s] : 0.0,
                    "(" + format_number(count[s] / static_cast<double>(nframes)) + " atoms)");
        rep.print(std::cout);
        for (std::size_t k = 0; k < cmax; ++k) {
            std::vector<double> row{static_cast<double>(k)};
            for (std::size_t s = 0; s < sys.species.size(); ++s) row.push_back(hist[s][k]);
            t.add_row(row);
        }
        std::cout << "# atoms per coordination number and species\n";
        t.print(std::cout);
        if (!o.csv.empty()) t.write_csv(o.csv);
        if (!o.out.output.empty()) {
            sys.set_property("cn", std::vector<double>(cn.begin(), cn.end()), true);
            save_system<D>(o.out.output, sys, output_format_for(o.out.output, o.out.output_format));
        }
        return 0;
    });
}

// ---- corr -----------------------------------------------------------------

struct corr_options {
    input_options in;
    std::string property, csv;
    double rmax = 0;
    int bins = 50;
    run_options run;  ///< --threads, --quiet
};

int run_corr(const corr_options& o) {
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        const auto sys = load_system<D>(o.in);
        const auto v = atom_column(sys, o.property);
        const auto r = analysis::spatial_correlation<D>(sys.box, sys.positions, v, {o.rmax, o.bins});
        scalar_report rep;
        rep.add("variance C(0)", r.variance);
        rep.add("correlation length", r.length);
        rep.print(std::cout);
        table t({"r", "C", "C_over_C0", "pairs"});
        for (std::size_t k = 0; k < r.r.size(); ++k)
            t.add_row({r.r[k], r.c[k], r.variance > 0 ? r.c[k] / r.variance : 0.0, r.pairs[k]});
        t.print(std::cout);
        if (!o.csv.empty()) t.write_csv(o.csv);
        return 0;
    });
}

// ---- orient ---------------------------------------------------------------

struct orient_options {
    input_options in;
    std::vector<std::string> select;
    std::string species, zeta, iota, eta, csv;
    double rmax = 0;
    int bins = 50, angle_bins = 6;
    bool phi = false;
    run_options run;  ///< --threads, --quiet
};

int run_orient(const orient_options& o) {
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        const auto sys = load_system<D>(o.in);
        const auto sel = select_atoms(sys, o.select);
        std::vector<std::size_t> centers;
        for (std::size_t i = 0; i < sys.size(); ++i)
            if (sel[i]) centers.push_back(i);
        const int b = o.species.empty() ? -1 : species_index(sys, o.species);
        analysis::orientational_options oo{o.rmax, o.bins, o.angle_bins};
        const auto z = parse_vector(o.zeta, D, "--zeta");
        vec<D> zeta;
        for (int k = 0; k < D; ++k) zeta(k) = z[static_cast<std::size_t>(k)];
        // every neighbor species: sum of g_b weighted by f_b (g of all atoms)
        auto one = [&](int species) {
            if constexpr (D == 3) {
                if (o.phi) {
                    const auto i = parse_vector(o.iota, 3, "--iota"), e = parse_vector(o.eta, 3, "--eta");
                    return analysis::g_zeta_phi(sys.box, sys.positions, sys.types, centers, species, zeta,
                                                vec<3>(i[0], i[1], i[2]), vec<3>(e[0], e[1], e[2]), oo);
                }
            } else if (o.phi) {
                throw invalid_argument("orient: --phi (g_zeta(r, phi)) is defined in 3D only");
            }
            return analysis::g_zeta_theta<D>(sys.box, sys.positions, sys.types, centers, species, zeta, oo);
        };
        analysis::orientational_result r;
        if (b >= 0) {
            r = one(b);
        } else {
            const auto counts = sys.type_counts();
            for (std::size_t s = 0; s < sys.species.size(); ++s) {
                const auto rs = one(static_cast<int>(s));
                const double f = static_cast<double>(counts[s]) / static_cast<double>(sys.size());
                if (s == 0) {
                    r = rs;
                    r.g *= f;
                } else {
                    r.g += f * rs.g;
                }
            }
        }
        std::vector<std::string> cols{"r"};
        for (double a : r.angle) cols.push_back(std::string(o.phi ? "phi_" : "theta_") + format_number(a * 180.0 / std::numbers::pi, 4));
        table t(cols);
        for (std::size_t k = 0; k < r.r.size(); ++k) {
            std::vector<double> row{r.r[k]};
            for (Eigen::Index m = 0; m < r.g.cols(); ++m) row.push_back(r.g(static_cast<Eigen::Index>(k), m));
            t.add_row(row);
        }
        std::cout << "# g_zeta(r, " << (o.phi ? "phi" : "theta") << ") of " << (b >= 0 ? o.species : std::string("all"))
                  << " neighbors around " << centers.size() << " centers; columns: angle bin centres in degrees\n";
        t.print(std::cout);
        if (!o.csv.empty()) t.write_csv(o.csv);
        return 0;
    });
}

void add_select(CLI::App& cmd, std::vector<std::string>& terms) {
    cmd.add_option("--select", terms,
                   "center atoms (repeatable, all must hold): species=NAME, PROP<V, PROP>V, top:PROP:F (default: all)")
        ->allow_extra_args(false);
}

}  // namespace

void add_rdf_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<rdf_cli_options>();
    auto* cmd = app.add_subcommand("rdf", "radial distribution function g(r), total and partial");
    add_input_options(*cmd, o->in);
    add_frames_option(*cmd, o->in, "g(r) averaged over them");
    cmd->add_option("--rmax", o->rmax, "largest distance (may exceed half the cell)")->required()->check(positive);
    cmd->add_option("--bins", o->bins, "number of bins (default 100)")->check(positive);
    cmd->add_flag("--partial", o->partial, "also the partial g_AB(r) of every species pair");
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o] { return run_rdf(*o); });
}

void add_coord_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<coord_options>();
    auto* cmd = app.add_subcommand("coord", "coordination numbers with per-pair cutoffs");
    add_input_options(*cmd, o->in);
    add_frames_option(*cmd, o->in, "histogram and means over them (-o: the last frame)");
    cmd->add_option("--cutoff", o->cutoffs, "pair cutoff A-B:R (repeatable; *:R for every pair)")
        ->required()
        ->allow_extra_args(false);
    add_output_options(*cmd, o->out);
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o] { return run_coord(*o); });
}

void add_corr_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<corr_options>();
    auto* cmd = app.add_subcommand("corr", "spatial correlation C(r) of a per-atom column and its correlation length");
    add_input_options(*cmd, o->in);
    cmd->add_option("--property", o->property, "per-atom column (extxyz property or dump column)")->required();
    cmd->add_option("--rmax", o->rmax, "largest distance")->required()->check(positive);
    cmd->add_option("--bins", o->bins, "number of bins (default 50)")->check(positive);
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o] { return run_corr(*o); });
}

void add_orient_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<orient_options>();
    auto* cmd = app.add_subcommand("orient", "orientational pair correlation g_zeta(r, theta) or g_zeta(r, phi)");
    add_input_options(*cmd, o->in);
    add_select(*cmd, o->select);
    cmd->add_option("--neighbor", o->species, "neighbor species (default: all, weighted by concentration)");
    cmd->add_option("--zeta", o->zeta, "loading direction X,Y[,Z]")->required();
    cmd->add_flag("--phi", o->phi, "g_zeta(r, phi) (3D) relative to the plane of --iota and --eta");
    cmd->add_option("--iota", o->iota, "shear direction X,Y,Z (with --phi)");
    cmd->add_option("--eta", o->eta, "shear-plane normal X,Y,Z (with --phi)");
    cmd->add_option("--rmax", o->rmax, "largest distance")->required()->check(positive);
    cmd->add_option("--bins", o->bins, "radial bins (default 50)")->check(positive);
    cmd->add_option("--angle-bins", o->angle_bins, "angular bins over [0, 90] degrees (default 6)")->check(positive);
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o] { return run_orient(*o); });
}

}  // namespace amorph::cli
