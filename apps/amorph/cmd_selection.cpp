// apps/amorph/cmd_selection.cpp — the selection language and the subcommands
// built on selections or bonds (see cmd_structure.hpp):
//   amorph bonds REF CUR --center Al --neighbor O --cutoff 2.25
//       bond switching (amorph/analysis/bonds.hpp): per reference CN, the
//       fractions of unchanged (UC), switched (SC), decreased (DC) and
//       increased (IC) centers; -o writes CUR with cn_ref, cn_cur and
//       bond_change (0 UC, 1 SC, 2 DC, 3 IC, -1 not a center).
//   amorph clusters FILE --select ... --cutoff R
//       connected components (amorph/analysis/clusters.hpp): count, largest,
//       size distribution; -o writes a `cluster` column (-1: not selected).
//   amorph profile FILE --select ... --axis z --width W
//       fraction of selected atoms in slabs (amorph/analysis/profile.hpp).
#include "cmd_structure.hpp"
#include "common.hpp"
#include "table.hpp"

#include <amorph/analysis/bonds.hpp>
#include <amorph/analysis/clusters.hpp>
#include <amorph/analysis/profile.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>

namespace amorph::cli {

namespace {

double to_number(const std::string& s, const std::string& where) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(s, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != s.size() || s.empty()) throw invalid_argument(where + ": '" + s + "' is not a number");
    return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, sep)) out.push_back(item);
    return out;
}

}  // namespace

std::vector<double> parse_vector(const std::string& text, std::size_t n, const std::string& option) {
    std::vector<double> v;
    for (const auto& w : split(text, ',')) v.push_back(to_number(w, option));
    if (v.size() != n)
        throw invalid_argument(option + ": expected " + std::to_string(n) + " comma-separated numbers, got '" + text + "'");
    return v;
}

template <int D>
std::vector<double> atom_column(const amorph::system<D>& sys, const std::string& name) {
    const std::size_t n = sys.size();
    std::vector<double> v(n);
    if (const auto* p = sys.find_property(name)) return p->values;
    if (name == "id") {
        for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(sys.ids[i]);
    } else if (name == "type") {
        for (std::size_t i = 0; i < n; ++i) v[i] = sys.types[i] + 1;
    } else if (name == "x" || name == "y" || (name == "z" && D == 3)) {
        const int k = name[0] - 'x';
        for (std::size_t i = 0; i < n; ++i) v[i] = sys.positions(k, static_cast<Eigen::Index>(i));
    } else {
        std::string names = "id, type, x, y" + std::string(D == 3 ? ", z" : "");
        for (const auto& p : sys.properties) names += ", " + p.name;
        throw invalid_argument("no per-atom column '" + name + "' (available: " + names + ")");
    }
    return v;
}

template <int D>
std::vector<char> select_atoms(const amorph::system<D>& sys, const std::vector<std::string>& terms) {
    const std::size_t n = sys.size();
    std::vector<char> sel(n, 1);
    struct rank_term {
        std::string prop;
        double fraction;
        bool top;
    };
    std::vector<rank_term> ranks;
    for (const auto& term : terms) {
        if (term.rfind("top:", 0) == 0 || term.rfind("bottom:", 0) == 0) {
            const auto w = split(term, ':');
            if (w.size() != 3) throw invalid_argument("--select " + term + ": expected top:PROP:FRACTION");
            const double f = to_number(w[2], "--select " + term);
            if (!(f >= 0 && f <= 1)) throw invalid_argument("--select " + term + ": the fraction must be in [0, 1]");
            ranks.push_back({w[1], f, w[0] == "top"});
            continue;
        }
        const auto op_at = term.find_first_of("<>=");
        if (op_at == std::string::npos || op_at == 0)
            throw invalid_argument("--select '" + term + "': expected species=NAME, PROP<V, PROP>V, PROP=V or top:PROP:F");
        const std::string lhs = term.substr(0, op_at);
        std::string op(1, term[op_at]);
        std::size_t rhs_at = op_at + 1;
        if (rhs_at < term.size() && term[rhs_at] == '=' && op != "=") {
            op += '=';
            ++rhs_at;
        }
        const std::string rhs = term.substr(rhs_at);
        if (lhs == "species" || lhs == "type") {
            if (op != "=") throw invalid_argument("--select '" + term + "': species takes '='");
            int t = 0;
            if (lhs == "species") t = species_index(sys, rhs);
            else t = static_cast<int>(to_number(rhs, "--select " + term)) - 1;
            for (std::size_t i = 0; i < n; ++i) sel[i] &= sys.types[i] == t;
            continue;
        }
        const auto v = atom_column(sys, lhs);
        const double x = to_number(rhs, "--select " + term);
        for (std::size_t i = 0; i < n; ++i) {
            const double a = v[i];
            const bool ok = op == "<" ? a < x : op == "<=" ? a <= x : op == ">" ? a > x : op == ">=" ? a >= x : a == x;
            sel[i] &= ok;
        }
    }
    for (const auto& r : ranks) {
        const auto v = atom_column(sys, r.prop);
        std::vector<std::size_t> idx;
        for (std::size_t i = 0; i < n; ++i)
            if (sel[i]) idx.push_back(i);
        std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return r.top ? v[a] > v[b] : v[a] < v[b]; });
        const auto keep = static_cast<std::size_t>(std::llround(r.fraction * static_cast<double>(idx.size())));
        std::fill(sel.begin(), sel.end(), 0);
        for (std::size_t k = 0; k < keep; ++k) sel[idx[k]] = 1;
    }
    return sel;
}

template <int D>
std::vector<double> radii_per_atom(const amorph::system<D>& sys, const std::string& spec) {
    std::vector<double> by_type(sys.species.size(), -1.0);
    for (const auto& item : split(spec, ',')) {
        const auto colon = item.rfind(':');
        if (colon == std::string::npos) throw invalid_argument("--radii: expected NAME:RADIUS, got '" + item + "'");
        by_type[static_cast<std::size_t>(species_index(sys, item.substr(0, colon)))] = to_number(item.substr(colon + 1), "--radii");
    }
    std::vector<double> r(sys.size());
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const double v = by_type[static_cast<std::size_t>(sys.types[i])];
        if (v < 0) throw invalid_argument("--radii: no radius for species '" + sys.species[static_cast<std::size_t>(sys.types[i])].name + "'");
        r[i] = v;
    }
    return r;
}

template std::vector<double> atom_column<2>(const amorph::system<2>&, const std::string&);
template std::vector<double> atom_column<3>(const amorph::system<3>&, const std::string&);
template std::vector<char> select_atoms<2>(const amorph::system<2>&, const std::vector<std::string>&);
template std::vector<char> select_atoms<3>(const amorph::system<3>&, const std::vector<std::string>&);
template std::vector<double> radii_per_atom<2>(const amorph::system<2>&, const std::string&);
template std::vector<double> radii_per_atom<3>(const amorph::system<3>&, const std::string&);

namespace {

void add_select_option(CLI::App& cmd, std::vector<std::string>& terms, bool required) {
    auto* o = cmd.add_option("--select", terms,
                             "selection term (repeatable, all must hold): species=NAME, PROP<V, PROP>V, PROP=V, "
                             "top:PROP:F, bottom:PROP:F")
                  ->allow_extra_args(false);
    if (required) o->required();
}

// ---- bonds ----------------------------------------------------------------

struct bonds_options {
    input_options ref, cur;
    std::int64_t ref_frame = 0;
    output_options out;
    std::string center, neighbor, csv;
    double cutoff = 0;
    run_options run;  ///< --threads, --quiet
};

int run_bonds(const bonds_options& o) {
    input_options ref = o.ref;
    ref.format = o.cur.format;
    ref.species = o.cur.species;
    ref.dim = o.cur.dim;
    ref.frame = o.ref_frame;
    const int dim = resolve_dimension(o.cur);
    return with_dimension(dim, [&](auto d) {
        constexpr int D = decltype(d)::value;
        const auto s0 = load_system<D>(ref);
        auto s1 = load_system<D>(o.cur);
        const int c = species_index(s0, o.center), nb = species_index(s0, o.neighbor);
        if (species_index(s1, o.center) != c || species_index(s1, o.neighbor) != nb)
            throw invalid_argument("bonds: REF and CUR number the species differently");
        const auto r = analysis::bond_switching<D>(s0, s1, c, nb, o.cutoff);
        table t({"cn_ref", "centers", "UC", "SC", "DC", "IC"});
        std::array<std::size_t, 4> all{};
        for (const auto& [cn, counts] : r.by_cn) {
            const auto total = static_cast<double>(counts[0] + counts[1] + counts[2] + counts[3]);
            t.add_row({static_cast<double>(cn), total, counts[0] / total, counts[1] / total, counts[2] / total, counts[3] / total});
            for (int k = 0; k < 4; ++k) all[static_cast<std::size_t>(k)] += counts[static_cast<std::size_t>(k)];
        }
        const auto total = static_cast<double>(all[0] + all[1] + all[2] + all[3]);
        std::cout << "# bond switching of " << o.center << " centers (" << r.id.size() << ") with " << o.neighbor
                  << " neighbors closer than " << format_number(o.cutoff) << "\n";
        std::cout << "# fractions per reference coordination; all centers: UC " << format_number(total ? all[0] / total : 0.0)
                  << " SC " << format_number(total ? all[1] / total : 0.0) << " DC "
                  << format_number(total ? all[2] / total : 0.0) << " IC " << format_number(total ? all[3] / total : 0.0)
                  << "\n";
        t.print(std::cout);
        if (!o.csv.empty()) t.write_csv(o.csv);
        if (!o.out.output.empty()) {
            const auto where = s1.index_of_ids();
            std::vector<double> cr(s1.size(), -1), cc(s1.size(), -1), ch(s1.size(), -1);
            for (std::size_t k = 0; k < r.id.size(); ++k) {
                const std::size_t i = where.at(r.id[k]);
                cr[i] = r.cn_ref[k];
                cc[i] = r.cn_cur[k];
                ch[i] = static_cast<int>(r.change[k]);
            }
            s1.set_property("cn_ref", cr, true);
            s1.set_property("cn_cur", cc, true);
            s1.set_property("bond_change", ch, true);
            save_system<D>(o.out.output, s1, output_format_for(o.out.output, o.out.output_format));
        }
        return 0;
    });
}

// ---- clusters -------------------------------------------------------------

struct clusters_options {
    input_options in;
    output_options out;
    std::vector<std::string> select;
    double cutoff = 0;
    std::string csv;
    run_options run;  ///< --threads, --quiet
};

int run_clusters(const clusters_options& o) {
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        auto sys = load_system<D>(o.in);
        const auto sel = select_atoms(sys, o.select);
        const auto r = analysis::clusters<D>(sys.box, sys.positions, sel, o.cutoff);
        const auto nsel = static_cast<std::size_t>(std::count(sel.begin(), sel.end(), 1));
        std::map<std::size_t, std::size_t, std::greater<>> dist;
        for (auto s : r.sizes) ++dist[s];
        scalar_report rep;
        rep.add("selected atoms", static_cast<double>(nsel));
        rep.add("clusters", static_cast<double>(r.count()));
        rep.add("largest", static_cast<double>(r.largest()));
        rep.add("mean size", r.count() ? static_cast<double>(nsel) / static_cast<double>(r.count()) : 0.0);
        rep.print(std::cout);
        table t({"size", "clusters"});
        for (const auto& [s, c] : dist) t.add_row({static_cast<double>(s), static_cast<double>(c)});
        t.print(std::cout);
        if (!o.csv.empty()) t.write_csv(o.csv);
        if (!o.out.output.empty()) {
            std::vector<double> id(r.cluster.begin(), r.cluster.end());
            sys.set_property("cluster", id, true);
            save_system<D>(o.out.output, sys, output_format_for(o.out.output, o.out.output_format));
        }
        return 0;
    });
}

// ---- profile --------------------------------------------------------------

struct profile_options {
    input_options in;
    std::vector<std::string> select;
    std::string axis = "z", csv;
    double width = 0;
    run_options run;  ///< --threads, --quiet
};

int run_profile(const profile_options& o) {
    return with_dimension(resolve_dimension(o.in), [&](auto d) {
        constexpr int D = decltype(d)::value;
        const auto sys = load_system<D>(o.in);
        int axis = -1;
        if (o.axis == "x" || o.axis == "a") axis = 0;
        else if (o.axis == "y" || o.axis == "b") axis = 1;
        else if (o.axis == "z" || o.axis == "c") axis = 2;
        if (axis < 0 || axis >= D) throw invalid_argument("--axis " + o.axis + ": not a cell axis of a " + std::to_string(D) + "D cell");
        const auto sel = select_atoms(sys, o.select);
        const auto p = analysis::slabs<D>(sys.box, sys.positions, sel, axis, o.width);
        table t({"position", "atoms", "selected", "fraction"});
        for (std::size_t k = 0; k < p.center.size(); ++k)
            t.add_row({p.center[k], static_cast<double>(p.atoms[k]), static_cast<double>(p.flagged[k]), p.fraction[k]});
        std::cout << "# " << p.center.size() << " slabs along cell axis " << o.axis << " (width "
                  << format_number(sys.box.width(axis) / static_cast<double>(p.center.size())) << ")\n";
        t.print(std::cout);
        if (!o.csv.empty()) t.write_csv(o.csv);
        return 0;
    });
}

}  // namespace

void add_bonds_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<bonds_options>();
    auto* cmd = app.add_subcommand("bonds", "bond switching (DC, IC, SC, UC) of center atoms between REF and CUR");
    cmd->add_option("REF", o->ref.file, "reference configuration")->required();
    add_input_options(*cmd, o->cur, "CUR", "current configuration (atoms matched by id)");
    cmd->add_option("--ref-frame", o->ref_frame, "frame of REF when it is a trajectory (default 0, the first)");
    cmd->add_option("--center", o->center, "species of the center atoms, e.g. Al")->required();
    cmd->add_option("--neighbor", o->neighbor, "species of the bonded neighbors, e.g. O")->required();
    cmd->add_option("--cutoff", o->cutoff, "bond length cutoff, e.g. 2.25")->required()->check(positive);
    add_output_options(*cmd, o->out);
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o] { return run_bonds(*o); });
}

void add_clusters_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<clusters_options>();
    auto* cmd = app.add_subcommand("clusters", "connected clusters of selected atoms");
    add_input_options(*cmd, o->in);
    add_select_option(*cmd, o->select, false);
    cmd->add_option("--cutoff", o->cutoff, "connection distance, e.g. 3.7")->required()->check(positive);
    add_output_options(*cmd, o->out);
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o] { return run_clusters(*o); });
}

void add_profile_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<profile_options>();
    auto* cmd = app.add_subcommand("profile", "fraction of selected atoms in slabs along a cell axis");
    add_input_options(*cmd, o->in);
    add_select_option(*cmd, o->select, false);
    cmd->add_option("--axis", o->axis, "cell axis x|y|z (a|b|c) (default z)");
    cmd->add_option("--width", o->width, "slab width (the cell is cut into round(L / width) slabs)")
        ->required()
        ->check(positive);
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o] { return run_profile(*o); });
}

}  // namespace amorph::cli
