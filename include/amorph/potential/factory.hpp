// amorph/potential/factory.hpp — potentials from LAMMPS commands, for the CLI
// and for users who keep their potentials as LAMMPS input lines.
//
//   pair_spec spec = parse_pair_commands("pair_style eam/fs\n"
//                                        "pair_coeff * * CuZr_mm.eam.fs Cu Zr\n");
//   any_potential pot = make_potential(spec, 2);          // 2 atom types
//   auto res = compute(pot, sys, compute_options::all()); // builds its list
//
// Styles (LAMMPS syntax and semantics):
//   lj/cut RC                pair_coeff I J eps sigma [rc]; pair_modify shift yes|no,
//                            mix geometric|arithmetic|sixthpower
//   lj/smooth/linear RC      pair_coeff I J eps sigma [rc] (shifted force)
//   buck RC                  pair_coeff I J A rho C [rc]; pair_modify shift yes|no
//   eam                      pair_coeff I J FILE (funcfl; sets types I == J)
//   eam/alloy, eam/fs        pair_coeff * * FILE E1 ... EN (one element per type)
//   sw                       pair_coeff * * FILE E1 ... EN
//   buck/coul/long RC [RCC]  pair_coeff I J A rho C [rc] + kspace_style ewald|pppm ACC
//   buck/coul/cut RC [RCC]   pair_coeff I J A rho C [rc]
//   lj/cut/coul/long RC [RCC], lj/cut/coul/cut RC [RCC]
//                            pair_coeff I J eps sigma [rc] (mix as lj/cut)
//   coul/long RC (+ kspace), coul/cut RC, coul/dsf ALPHA RC, coul/wolf ALPHA RC
//                            pair_coeff * *
//   hybrid/overlay S1 ARGS S2 ARGS   one short-range style (buck, lj/cut) and one
//                            Coulomb style (coul/long, coul/cut, coul/dsf, coul/wolf);
//                            pair_coeff I J S ARGS... per sub-style
//   kspace_style ewald|pppm ACC; kspace_modify gewald G | mesh NX NY NZ | order P
//   pair_modify shift yes|no (the short-range term), mix, table 0 (amorph has no
//                            tables: the real-space Coulomb term is always
//                            evaluated analytically, LAMMPS's `table 0`)
// The Coulomb styles take the charges from the system (charged_pair.hpp).
// I, J are LAMMPS type ranges (N, *, N*, *M, N*M; 1-based). Anything else
// throws amorph::unsupported; malformed lines throw amorph::invalid_argument
// naming the command. any_potential holds one of the concrete potentials
// (a std::variant, no virtual calls inside the force loops).
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/neighbor/verlet_list.hpp"
#include "amorph/potential/buckingham.hpp"
#include "amorph/potential/charged_pair.hpp"
#include "amorph/potential/coulomb.hpp"
#include "amorph/potential/compute.hpp"
#include "amorph/potential/cutoff.hpp"
#include "amorph/potential/detail/text_reader.hpp"
#include "amorph/potential/eam.hpp"
#include "amorph/potential/kspace.hpp"
#include "amorph/potential/lennard_jones.hpp"
#include "amorph/potential/pair.hpp"
#include "amorph/potential/pair_table.hpp"
#include "amorph/potential/stillinger_weber.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace amorph::potential {

/// LAMMPS potential commands, each as its words after the command name.
struct pair_spec {
    std::vector<std::string> pair_style;               ///< {"lj/cut", "2.5"}
    std::vector<std::vector<std::string>> pair_coeff;  ///< each {"1", "1", "1.0", "1.0"}
    std::vector<std::vector<std::string>> pair_modify; ///< each {"shift", "yes"}
    std::vector<std::string> kspace_style;             ///< {"pppm", "1.0e-5"}, or empty
    std::vector<std::vector<std::string>> kspace_modify; ///< each {"mesh", "32", "32", "32"}
};

/// Parse pair_style / pair_coeff / pair_modify lines ('#' comments, blank
/// lines; other commands are rejected). `source` names the text in errors.
inline pair_spec parse_pair_commands(std::string_view text, const std::string& source = "potential") {
    pair_spec s;
    std::size_t line_no = 0, pos = 0;
    while (pos <= text.size()) {
        const auto nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        ++line_no;
        const auto hash = line.find('#');
        if (hash != std::string_view::npos) line = line.substr(0, hash);
        auto w = detail::split_words(line);
        if (w.empty()) continue;
        const std::string cmd = w.front();
        w.erase(w.begin());
        if (cmd == "pair_style") {
            if (!s.pair_style.empty()) throw parse_error(source, line_no, cmd, "pair_style given twice");
            if (w.empty()) throw parse_error(source, line_no, cmd, "missing style name");
            s.pair_style = std::move(w);
        } else if (cmd == "pair_coeff") {
            s.pair_coeff.push_back(std::move(w));
        } else if (cmd == "pair_modify") {
            s.pair_modify.push_back(std::move(w));
        } else if (cmd == "kspace_style") {
            if (!s.kspace_style.empty()) throw parse_error(source, line_no, cmd, "kspace_style given twice");
            if (w.empty()) throw parse_error(source, line_no, cmd, "missing style name");
            s.kspace_style = std::move(w);
        } else if (cmd == "kspace_modify") {
            s.kspace_modify.push_back(std::move(w));
        } else {
            throw parse_error(source, line_no, cmd,
                              "unknown command (expected pair_style, pair_coeff, pair_modify, kspace_style, kspace_modify)");
        }
    }
    return s;
}

namespace detail {

inline std::string joined(const std::string& cmd, const std::vector<std::string>& w) {
    std::string s = cmd;
    for (const auto& x : w) s += " " + x;
    return s;
}

/// LAMMPS type range (utils::bounds) -> 0-based [lo, hi].
inline std::pair<int, int> type_bounds(const std::string& w, int ntypes, const std::string& where) {
    auto num = [&](std::string_view s) {
        long v;
        if (!parse_int(s, v) || v < 1 || v > ntypes)
            throw invalid_argument(where + ": type '" + w + "' out of range 1.." + std::to_string(ntypes));
        return static_cast<int>(v);
    };
    const auto star = w.find('*');
    if (star == std::string::npos) {
        const int v = num(w);
        return {v - 1, v - 1};
    }
    const std::string_view lo = std::string_view(w).substr(0, star), hi = std::string_view(w).substr(star + 1);
    const int a = lo.empty() ? 1 : num(lo);
    const int b = hi.empty() ? ntypes : num(hi);
    if (a > b) throw invalid_argument(where + ": empty type range '" + w + "'");
    return {a - 1, b - 1};
}

inline double number(const std::string& w, const std::string& where, const char* what) {
    double v;
    if (!parse_double(w, v)) throw invalid_argument(where + ": " + what + " '" + w + "' is not a number");
    return v;
}

}  // namespace detail

/// A potential chosen at run time.
class any_potential {
public:
    using variant_type =
        std::variant<pair_potential<truncated<lennard_jones>>, pair_potential<shifted<lennard_jones>>,
                     pair_potential<shifted_force<lennard_jones>>, pair_potential<truncated<buckingham>>,
                     pair_potential<shifted<buckingham>>, eam, stillinger_weber,
                     charged_pair_potential<truncated<buckingham>>, charged_pair_potential<shifted<buckingham>>,
                     charged_pair_potential<truncated<lennard_jones>>, charged_pair_potential<shifted<lennard_jones>>,
                     charged_pair_potential<no_short_range>>;

    template <class P>
        requires std::is_constructible_v<variant_type, P>
    any_potential(P p, std::string style, std::vector<double> masses = {})
        : v_(std::move(p)), style_(std::move(style)), masses_(std::move(masses)) {}

    /// The pair_style name ("lj/cut", "eam/fs", ...).
    const std::string& style() const noexcept { return style_; }
    double cutoff() const {
        return std::visit([](const auto& p) { return static_cast<double>(p.cutoff()); }, v_);
    }
    /// Whether the potential needs a full neighbor list (else a half one).
    bool needs_full_list() const {
        return std::visit([](const auto& p) { return std::is_same_v<typename std::decay_t<decltype(p)>::list_kind, neighbor::full_t>; }, v_);
    }
    /// Per-type masses the potential file sets (LAMMPS's set_mass), or empty.
    const std::vector<double>& masses() const noexcept { return masses_; }
    const variant_type& variant() const noexcept { return v_; }

    template <int D, class List>
    void accumulate(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out) const {
        std::visit(
            [&](const auto& p) {
                using P = std::decay_t<decltype(p)>;
                if constexpr (std::is_same_v<typename P::list_kind, neighbor::half_t> == is_half_list<List>)
                    p.accumulate(sys, nl, opt, out);
                else
                    throw invalid_argument("potential " + style_ + " needs a " +
                                           std::string(is_half_list<List> ? "full" : "half") + " neighbor list");
            },
            v_);
    }

private:
    variant_type v_;
    std::string style_;
    std::vector<double> masses_;
};

/// Evaluate a run-time potential with a list you keep (of the kind it needs).
template <int D, class List>
result<D> compute(const any_potential& p, const amorph::system<D>& sys, const List& nl,
                  const compute_options& opt = {}) {
    result<D> r;
    r.reset(sys.size(), opt);
    p.accumulate(sys, nl, opt, r);
    return r;
}

/// Evaluate a run-time potential, building the neighbor list it needs.
template <int D>
result<D> compute(const any_potential& p, const amorph::system<D>& sys, const compute_options& opt = {}) {
    if (p.needs_full_list()) {
        neighbor::verlet_list<D, neighbor::full_t> nl(p.cutoff(), 0.0);
        nl.build(sys.box, sys.positions);
        return compute(p, sys, nl, opt);
    }
    neighbor::verlet_list<D, neighbor::half_t> nl(p.cutoff(), 0.0);
    nl.build(sys.box, sys.positions);
    return compute(p, sys, nl, opt);
}

namespace detail {

struct modify_flags {
    bool shift = false;
    mixing mix = mixing::geometric;
};

inline modify_flags parse_modify(const pair_spec& spec, bool allow_shift, bool allow_mix, bool allow_table = false) {
    modify_flags f;
    for (const auto& m : spec.pair_modify) {
        const std::string where = joined("pair_modify", m);
        for (std::size_t k = 0; k < m.size(); k += 2) {
            if (k + 1 >= m.size()) throw invalid_argument(where + ": keyword '" + m[k] + "' has no value");
            const std::string& key = m[k];
            const std::string& val = m[k + 1];
            if (key == "shift") {
                if (val != "yes" && val != "no") throw invalid_argument(where + ": shift must be yes or no");
                if (!allow_shift && val == "yes")
                    throw unsupported(where + ": shift is not supported for pair style " + spec.pair_style[0]);
                f.shift = val == "yes";
            } else if (key == "table" && allow_table) {
                long bits;
                if (!parse_int(val, bits) || bits < 0) throw invalid_argument(where + ": table needs a number of bits >= 0");
                if (bits != 0)
                    throw unsupported(where + ": amorph has no Coulomb tables; it evaluates the real-space term "
                                              "analytically, as LAMMPS's 'pair_modify table 0' (use that)");
            } else if (key == "mix") {
                if (!allow_mix) throw unsupported(where + ": mix is not supported for pair style " + spec.pair_style[0]);
                f.mix = mixing_from_name(val);
            } else {
                throw unsupported(where + ": keyword '" + key + "' is not supported");
            }
        }
    }
    return f;
}

inline double global_cutoff(const pair_spec& spec) {
    const std::string where = joined("pair_style", spec.pair_style);
    if (spec.pair_style.size() != 2) throw invalid_argument(where + ": expected one global cutoff");
    const double rc = number(spec.pair_style[1], where, "cutoff");
    if (!(rc > 0)) throw invalid_argument(where + ": the cutoff must be positive");
    return rc;
}

/// pair_coeff * * FILE E1 .. EN -> (file, elements)
inline std::pair<std::string, std::vector<std::string>> manybody_coeff(const pair_spec& spec, int ntypes) {
    const std::string style = spec.pair_style[0];
    if (spec.pair_style.size() != 1) throw invalid_argument(joined("pair_style", spec.pair_style) + ": takes no arguments");
    if (spec.pair_coeff.size() != 1)
        throw invalid_argument("pair style " + style + " takes exactly one pair_coeff * * FILE ELEMENTS... line");
    const auto& c = spec.pair_coeff.front();
    const std::string where = joined("pair_coeff", c);
    if (c.size() < 3 || c[0] != "*" || c[1] != "*") throw invalid_argument(where + ": expected * * FILE ELEMENTS...");
    if (c.size() != 3 + static_cast<std::size_t>(ntypes))
        throw invalid_argument(where + ": expected one element name per atom type (" + std::to_string(ntypes) + ")");
    std::vector<std::string> el(c.begin() + 3, c.end());
    for (const auto& e : el)
        if (e == "NULL") throw unsupported(where + ": NULL elements (pair_style hybrid) are not supported");
    return {c[2], el};
}

}  // namespace detail

namespace detail {

inline bool is_coulomb_style(const std::string& s) {
    return s == "coul/long" || s == "coul/cut" || s == "coul/dsf" || s == "coul/wolf";
}
inline bool is_charged_style(const std::string& s) {
    return is_coulomb_style(s) || s == "buck/coul/long" || s == "buck/coul/cut" || s == "lj/cut/coul/long" ||
           s == "lj/cut/coul/cut" || s == "hybrid/overlay";
}

/// kspace_style / kspace_modify -> a k-space solver (inactive when none is given).
inline kspace make_kspace(const pair_spec& spec) {
    if (spec.kspace_style.empty()) {
        if (!spec.kspace_modify.empty()) throw invalid_argument("kspace_modify without a kspace_style");
        return {};
    }
    const std::string where = joined("kspace_style", spec.kspace_style);
    const std::string& style = spec.kspace_style[0];
    if (style != "ewald" && style != "pppm")
        throw unsupported(where + ": kspace style '" + style + "' is not supported (amorph has ewald, pppm)");
    if (spec.kspace_style.size() != 2) throw invalid_argument(where + ": expected one accuracy, e.g. 1.0e-5");
    const double acc = number(spec.kspace_style[1], where, "accuracy");
    kspace k = style == "ewald" ? kspace::ewald(acc) : kspace::pppm(acc);
    for (const auto& m : spec.kspace_modify) {
        const std::string wm = joined("kspace_modify", m);
        std::size_t i = 0;
        auto need = [&](std::size_t c) {
            if (i + c >= m.size()) throw invalid_argument(wm + ": keyword '" + m[i] + "' needs " + std::to_string(c) + " value(s)");
        };
        while (i < m.size()) {
            const std::string& key = m[i];
            if (key == "gewald") {
                need(1);
                k.set_g_ewald(number(m[i + 1], wm, "gewald"));
                i += 2;
            } else if (key == "mesh") {
                need(3);
                std::array<int, 3> n{};
                for (int a = 0; a < 3; ++a) {
                    long v;
                    if (!parse_int(m[i + 1 + static_cast<std::size_t>(a)], v) || v < 0 || v > 16384)
                        throw invalid_argument(wm + ": mesh sizes must be integers 0..16384");
                    n[static_cast<std::size_t>(a)] = static_cast<int>(v);
                }
                k.set_mesh(n);
                i += 4;
            } else if (key == "order") {
                need(1);
                long v;
                if (!parse_int(m[i + 1], v)) throw invalid_argument(wm + ": order must be an integer");
                k.set_order(static_cast<int>(v));
                i += 2;
            } else {
                throw unsupported(wm + ": keyword '" + key + "' is not supported (amorph has gewald, mesh, order)");
            }
        }
    }
    return k;
}

/// The Coulomb term of a Coulomb sub-style and its words.
inline coulomb_real make_coulomb(const std::string& style, const std::vector<std::string>& args, const std::string& where) {
    auto num = [&](std::size_t i, const char* what) { return number(args[i], where, what); };
    if (style == "coul/long" || style == "coul/cut") {
        if (args.size() != 1) throw invalid_argument(where + ": " + style + " takes one cutoff");
        return style == "coul/long" ? coulomb_real::long_range(num(0, "cutoff")) : coulomb_real::cut(num(0, "cutoff"));
    }
    if (args.size() != 2) throw invalid_argument(where + ": " + style + " takes a damping parameter and a cutoff");
    return style == "coul/dsf" ? coulomb_real::dsf(num(0, "alpha"), num(1, "cutoff"))
                               : coulomb_real::wolf(num(0, "alpha"), num(1, "cutoff"));
}

/// Check that the pair_coeff lines of a Coulomb (sub-)style cover every type pair.
inline void require_all_pairs(const std::vector<std::vector<std::string>>& coeffs, int ntypes, const std::string& style) {
    std::vector<char> set(static_cast<std::size_t>(ntypes * ntypes), 0);
    for (const auto& c : coeffs) {
        const std::string where = joined("pair_coeff", c);
        const auto [ilo, ihi] = type_bounds(c[0], ntypes, where);
        const auto [jlo, jhi] = type_bounds(c[1], ntypes, where);
        for (int i = ilo; i <= ihi; ++i)
            for (int j = std::max(jlo, i); j <= jhi; ++j) set[static_cast<std::size_t>(i * ntypes + j)] = 1;
    }
    for (int i = 0; i < ntypes; ++i)
        for (int j = i; j < ntypes; ++j)
            if (!set[static_cast<std::size_t>(i * ntypes + j)])
                throw invalid_argument("pair style " + style + ": no pair_coeff for types " + std::to_string(i + 1) + " " +
                                       std::to_string(j + 1) + " (e.g. 'pair_coeff * *')");
}

/// A charged potential from its short-range table (buck or lj/cut, or none),
/// Coulomb term and k-space solver.
inline any_potential charged_potential(const std::string& style, const std::optional<pair_table<buck_coeff>>& buck,
                                       const std::optional<pair_table<lj_coeff>>& lj, mixing mix, bool shift,
                                       coulomb_real coul, kspace ks, int ntypes) {
    if (buck) {
        const buckingham b(*buck);
        if (shift) return any_potential(charged_pair_potential<shifted<buckingham>>(shifted<buckingham>(b), coul, ks), style);
        return any_potential(charged_pair_potential<truncated<buckingham>>(truncated<buckingham>(b), coul, ks), style);
    }
    if (lj) {
        const lennard_jones l(*lj, mix);
        if (shift)
            return any_potential(charged_pair_potential<shifted<lennard_jones>>(shifted<lennard_jones>(l), coul, ks), style);
        return any_potential(charged_pair_potential<truncated<lennard_jones>>(truncated<lennard_jones>(l), coul, ks), style);
    }
    return any_potential(charged_pair_potential<no_short_range>(no_short_range(ntypes), coul, ks), style);
}

/// One buck / lj pair_coeff line (words after I J) into its table.
inline void short_range_coeff(const std::string& sub, const std::vector<std::string>& c, std::size_t first,
                              double rc, int ntypes, std::optional<pair_table<buck_coeff>>& buck,
                              std::optional<pair_table<lj_coeff>>& lj) {
    const std::string where = joined("pair_coeff", c);
    const std::size_t nargs = c.size() - first;
    const auto [ilo, ihi] = type_bounds(c[0], ntypes, where);
    const auto [jlo, jhi] = type_bounds(c[1], ntypes, where);
    int count = 0;
    if (sub == "buck") {
        if (nargs != 3 && nargs != 4) throw invalid_argument(where + ": expected I J A rho C [cutoff]");
        buck_coeff v{number(c[first], where, "A"), number(c[first + 1], where, "rho"), number(c[first + 2], where, "C"),
                     nargs == 4 ? number(c[first + 3], where, "cutoff") : rc};
        if (!buck) buck.emplace(ntypes);
        for (int i = ilo; i <= ihi; ++i)
            for (int j = std::max(jlo, i); j <= jhi; ++j, ++count) buck->set(i, j, v);
    } else {
        if (nargs != 2 && nargs != 3) throw invalid_argument(where + ": expected I J epsilon sigma [cutoff]");
        lj_coeff v{number(c[first], where, "epsilon"), number(c[first + 1], where, "sigma"),
                   nargs == 3 ? number(c[first + 2], where, "cutoff") : rc};
        if (!lj) lj.emplace(ntypes);
        for (int i = ilo; i <= ihi; ++i)
            for (int j = std::max(jlo, i); j <= jhi; ++j, ++count) lj->set(i, j, v);
    }
    if (count == 0) throw invalid_argument(where + ": no type pair i <= j in these ranges");
}

/// buck/coul/*, lj/cut/coul/*, coul/*, hybrid/overlay.
inline any_potential make_charged_potential(const pair_spec& spec, int ntypes) {
    const std::string& style = spec.pair_style[0];
    const std::string where = joined("pair_style", spec.pair_style);
    std::vector<std::string> args(spec.pair_style.begin() + 1, spec.pair_style.end());
    std::optional<pair_table<buck_coeff>> buck;
    std::optional<pair_table<lj_coeff>> lj;
    coulomb_real coul;
    const bool lj_family = style.rfind("lj/cut", 0) == 0 || style == "hybrid/overlay";
    const auto mod = parse_modify(spec, true, lj_family, true);

    if (style == "hybrid/overlay") {
        // sub-styles: a known name starts one, its arguments follow
        struct sub {
            std::string name;
            std::vector<std::string> args;
        };
        std::vector<sub> subs;
        for (const auto& w : args) {
            if (w == "buck" || w == "lj/cut" || is_coulomb_style(w)) subs.push_back({w, {}});
            else if (subs.empty()) throw invalid_argument(where + ": '" + w + "' is not a sub-style amorph knows "
                                                          "(buck, lj/cut, coul/long, coul/cut, coul/dsf, coul/wolf)");
            else subs.back().args.push_back(w);
        }
        std::string short_name;
        double short_rc = 0.0;
        std::string coul_name;
        for (const auto& sb : subs) {
            if (is_coulomb_style(sb.name)) {
                if (!coul_name.empty()) throw unsupported(where + ": more than one Coulomb sub-style");
                coul_name = sb.name;
                coul = make_coulomb(sb.name, sb.args, where);
            } else {
                if (!short_name.empty()) throw unsupported(where + ": amorph overlays one short-range style with one Coulomb style");
                if (sb.args.size() != 1) throw invalid_argument(where + ": " + sb.name + " takes one global cutoff");
                short_name = sb.name;
                short_rc = number(sb.args[0], where, "cutoff");
                if (!(short_rc > 0)) throw invalid_argument(where + ": the cutoff must be positive");
            }
        }
        if (coul_name.empty()) throw unsupported(where + ": amorph's hybrid/overlay needs a Coulomb sub-style");
        std::vector<std::vector<std::string>> coul_coeffs;
        for (const auto& c : spec.pair_coeff) {
            const std::string wc = joined("pair_coeff", c);
            if (c.size() < 3) throw invalid_argument(wc + ": expected I J SUBSTYLE ARGS...");
            if (c[2] == coul_name) {
                if (c.size() != 3) throw invalid_argument(wc + ": " + coul_name + " takes no coefficients");
                coul_coeffs.push_back(c);
            } else if (c[2] == short_name) {
                short_range_coeff(short_name, c, 3, short_rc, ntypes, buck, lj);
            } else {
                throw invalid_argument(wc + ": '" + c[2] + "' is not a sub-style of this hybrid/overlay");
            }
        }
        require_all_pairs(coul_coeffs, ntypes, coul_name);
        if (!short_name.empty() && !buck && !lj) throw invalid_argument("pair style hybrid/overlay: no pair_coeff for " + short_name);
    } else if (is_coulomb_style(style)) {
        coul = make_coulomb(style, args, where);
        for (const auto& c : spec.pair_coeff)
            if (c.size() != 2) throw invalid_argument(joined("pair_coeff", c) + ": " + style + " takes no coefficients");
        require_all_pairs(spec.pair_coeff, ntypes, style);
    } else {
        // buck/coul/long, buck/coul/cut, lj/cut/coul/long, lj/cut/coul/cut: RC_SHORT [RC_COUL]
        if (args.size() != 1 && args.size() != 2) throw invalid_argument(where + ": expected a cutoff and an optional Coulomb cutoff");
        const double rc = number(args[0], where, "cutoff");
        const double rcc = args.size() == 2 ? number(args[1], where, "Coulomb cutoff") : rc;
        if (!(rc > 0)) throw invalid_argument(where + ": the cutoff must be positive");
        const bool is_long = style.ends_with("/coul/long");
        coul = is_long ? coulomb_real::long_range(rcc) : coulomb_real::cut(rcc);
        const std::string sub = style.rfind("buck", 0) == 0 ? "buck" : "lj/cut";
        for (const auto& c : spec.pair_coeff) {
            if (c.size() < 2) throw invalid_argument(joined("pair_coeff", c) + ": expected I J coefficients");
            short_range_coeff(sub, c, 2, rc, ntypes, buck, lj);
        }
        if (!buck && !lj) throw invalid_argument("pair style " + style + ": no pair_coeff given");
    }
    kspace ks = make_kspace(spec);
    if (coul.type() == coulomb_real::kind::long_range && !ks.active())
        throw invalid_argument("pair style " + style + " needs a kspace_style (ewald or pppm), as in LAMMPS");
    if (coul.type() != coulomb_real::kind::long_range && ks.active())
        throw invalid_argument("kspace_style " + ks.name() + " needs a coul/long pair style (e.g. buck/coul/long)");
    return charged_potential(style, buck, lj, mod.mix, mod.shift, coul, ks, ntypes);
}

}  // namespace detail

/// Build a potential from LAMMPS commands for a system with `ntypes` atom types.
inline any_potential make_potential(const pair_spec& spec, int ntypes) {
    if (spec.pair_style.empty()) throw invalid_argument("no pair_style given");
    if (ntypes < 1) throw invalid_argument("make_potential: need at least one atom type");
    const std::string& style = spec.pair_style[0];
    if (detail::is_charged_style(style)) return detail::make_charged_potential(spec, ntypes);
    if (!spec.kspace_style.empty())
        throw invalid_argument("kspace_style " + spec.kspace_style[0] + " needs a coul/long pair style, not " + style);

    if (style == "lj/cut" || style == "lj/smooth/linear") {
        const double rc = detail::global_cutoff(spec);
        const auto mod = detail::parse_modify(spec, true, true);
        pair_table<lj_coeff> t(ntypes);
        for (const auto& c : spec.pair_coeff) {
            const std::string where = detail::joined("pair_coeff", c);
            if (c.size() != 4 && c.size() != 5) throw invalid_argument(where + ": expected I J epsilon sigma [cutoff]");
            const auto [ilo, ihi] = detail::type_bounds(c[0], ntypes, where);
            const auto [jlo, jhi] = detail::type_bounds(c[1], ntypes, where);
            lj_coeff v{detail::number(c[2], where, "epsilon"), detail::number(c[3], where, "sigma"),
                       c.size() == 5 ? detail::number(c[4], where, "cutoff") : rc};
            int count = 0;
            for (int i = ilo; i <= ihi; ++i)
                for (int j = std::max(jlo, i); j <= jhi; ++j, ++count) t.set(i, j, v);
            if (count == 0) throw invalid_argument(where + ": no type pair i <= j in these ranges");
        }
        const lennard_jones lj(t, mod.mix);
        if (style == "lj/smooth/linear")  // LAMMPS ignores shift here: the energy is already 0 at rc
            return any_potential(make_pair_potential(shifted_force<lennard_jones>(lj)), style);
        if (mod.shift) return any_potential(make_pair_potential(shifted<lennard_jones>(lj)), style);
        return any_potential(make_pair_potential(truncated<lennard_jones>(lj)), style);
    }

    if (style == "buck") {
        const double rc = detail::global_cutoff(spec);
        const auto mod = detail::parse_modify(spec, true, false);
        pair_table<buck_coeff> t(ntypes);
        for (const auto& c : spec.pair_coeff) {
            const std::string where = detail::joined("pair_coeff", c);
            if (c.size() != 5 && c.size() != 6) throw invalid_argument(where + ": expected I J A rho C [cutoff]");
            const auto [ilo, ihi] = detail::type_bounds(c[0], ntypes, where);
            const auto [jlo, jhi] = detail::type_bounds(c[1], ntypes, where);
            buck_coeff v{detail::number(c[2], where, "A"), detail::number(c[3], where, "rho"),
                         detail::number(c[4], where, "C"), c.size() == 6 ? detail::number(c[5], where, "cutoff") : rc};
            int count = 0;
            for (int i = ilo; i <= ihi; ++i)
                for (int j = std::max(jlo, i); j <= jhi; ++j, ++count) t.set(i, j, v);
            if (count == 0) throw invalid_argument(where + ": no type pair i <= j in these ranges");
        }
        const buckingham b(t);
        if (mod.shift) return any_potential(make_pair_potential(shifted<buckingham>(b)), style);
        return any_potential(make_pair_potential(truncated<buckingham>(b)), style);
    }

    if (style == "eam") {
        if (spec.pair_style.size() != 1) throw invalid_argument(detail::joined("pair_style", spec.pair_style) + ": takes no arguments");
        detail::parse_modify(spec, false, false);
        std::vector<std::optional<std::string>> file(static_cast<std::size_t>(ntypes));
        for (const auto& c : spec.pair_coeff) {
            const std::string where = detail::joined("pair_coeff", c);
            if (c.size() != 3) throw invalid_argument(where + ": expected I J FILE");
            const auto [ilo, ihi] = detail::type_bounds(c[0], ntypes, where);
            const auto [jlo, jhi] = detail::type_bounds(c[1], ntypes, where);
            int count = 0;
            for (int i = ilo; i <= ihi; ++i)
                if (i >= jlo && i <= jhi) {
                    file[static_cast<std::size_t>(i)] = c[2];
                    ++count;
                }
            if (count == 0) throw invalid_argument(where + ": eam sets only I == J pairs; none in these ranges");
        }
        std::vector<std::string> files;
        for (int t = 0; t < ntypes; ++t) {
            if (!file[static_cast<std::size_t>(t)])
                throw invalid_argument("pair_style eam: no funcfl file for type " + std::to_string(t + 1));
            files.push_back(*file[static_cast<std::size_t>(t)]);
        }
        eam e = eam::funcfl(files);
        std::vector<double> m;
        for (int t = 0; t < ntypes; ++t) m.push_back(e.mass(t));
        return any_potential(std::move(e), style, m);
    }

    if (style == "eam/alloy" || style == "eam/fs") {
        detail::parse_modify(spec, false, false);
        auto [file, el] = detail::manybody_coeff(spec, ntypes);
        eam e = style == "eam/alloy" ? eam::alloy(file, el) : eam::fs(file, el);
        std::vector<double> m;
        for (int t = 0; t < ntypes; ++t) m.push_back(e.mass(t));
        return any_potential(std::move(e), style, m);
    }

    if (style == "sw") {
        detail::parse_modify(spec, false, false);
        auto [file, el] = detail::manybody_coeff(spec, ntypes);
        return any_potential(stillinger_weber::from_file(file, el), style);
    }

    throw unsupported("pair style '" + style +
                      "' is not supported (amorph has lj/cut, lj/smooth/linear, buck, eam, eam/alloy, eam/fs, sw, "
                      "buck/coul/long, buck/coul/cut, lj/cut/coul/long, lj/cut/coul/cut, coul/long, coul/cut, "
                      "coul/dsf, coul/wolf, hybrid/overlay)");
}

/// Convenience: LAMMPS text straight to a potential.
inline any_potential make_potential(std::string_view lammps_lines, int ntypes, const std::string& source = "potential") {
    return make_potential(parse_pair_commands(lammps_lines, source), ntypes);
}

}  // namespace amorph::potential

namespace amorph::potential {

/// The neighbor lists the potentials of any_potential run on.
template <int D>
using half_list_t = neighbor::verlet_list<D, neighbor::half_t>;
template <int D>
using full_list_t = neighbor::verlet_list<D, neighbor::full_t>;

// The kernels of every potential any_potential holds, on list type LIST
// (half lists for the pair potentials and EAM, full for Stillinger-Weber).
// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_ACCUMULATE_TEMPLATE(P_, POT, D, LIST) \
    P_ template void accumulate(const POT&, const amorph::system<D>&, const LIST&, const compute_options&, result<D>&);
#define AMORPH_ACCUMULATE_TEMPLATES(P_, D, HALF, FULL)                                      \
    AMORPH_ACCUMULATE_TEMPLATE(P_, pair_potential<truncated<lennard_jones>>, D, HALF)      \
    AMORPH_ACCUMULATE_TEMPLATE(P_, pair_potential<shifted<lennard_jones>>, D, HALF)        \
    AMORPH_ACCUMULATE_TEMPLATE(P_, pair_potential<shifted_force<lennard_jones>>, D, HALF)  \
    AMORPH_ACCUMULATE_TEMPLATE(P_, pair_potential<truncated<buckingham>>, D, HALF)         \
    AMORPH_ACCUMULATE_TEMPLATE(P_, pair_potential<shifted<buckingham>>, D, HALF)           \
    AMORPH_ACCUMULATE_TEMPLATE(P_, eam, D, HALF)                                           \
    AMORPH_ACCUMULATE_TEMPLATE(P_, stillinger_weber, D, FULL)                              \
    AMORPH_ACCUMULATE_TEMPLATE(P_, charged_pair_potential<truncated<buckingham>>, D, HALF) \
    AMORPH_ACCUMULATE_TEMPLATE(P_, charged_pair_potential<shifted<buckingham>>, D, HALF)   \
    AMORPH_ACCUMULATE_TEMPLATE(P_, charged_pair_potential<truncated<lennard_jones>>, D, HALF) \
    AMORPH_ACCUMULATE_TEMPLATE(P_, charged_pair_potential<shifted<lennard_jones>>, D, HALF)   \
    AMORPH_ACCUMULATE_TEMPLATE(P_, charged_pair_potential<no_short_range>, D, HALF)
#define AMORPH_POTENTIAL_TEMPLATES(P_, D) AMORPH_ACCUMULATE_TEMPLATES(P_, D, half_list_t<D>, full_list_t<D>)
AMORPH_EXTERN_TEMPLATES(AMORPH_POTENTIAL_TEMPLATES)

}  // namespace amorph::potential
