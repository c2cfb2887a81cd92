// amorph/io/extxyz.hpp — extended XYZ (the ASE / OVITO / QUIP convention).
//
// A frame is
//     N
//     key=value key="quoted value" ...        (the comment line)
//     N atom lines, columns as given by Properties
// Comment-line keys (names matched case-insensitively, values quoted with "
// when they contain blanks; a bare key means "T"):
//   Lattice="ax ay az bx by bz cx cy cz"  the three cell vectors (h columns)
//   Properties=name:T:n:name:T:n...       T = S (string), R (real), I (int),
//                                         L (logical T/F); default
//                                         species:S:1:pos:R:3 (plain XYZ)
//   pbc="T T F"                           periodic flags (default all T with a
//                                         Lattice; without a Lattice the cell is
//                                         the atoms' bounding box grown by 1 on
//                                         each side, non-periodic)
//   Origin="ox oy oz"                     cell origin (default 0)
//   Timestep= / step=                     frame::timestep
//   species_order="A B ..."               type order written by amorph
//   anything else                         frame::info (raw text)
// Per-atom columns:
//   species (S:1) -> types and species names (or Z (I:1): atomic numbers);
//   pos (R:3) positions, required; velo / vel / velocities (R:3);
//   forces / force (R:3); charge / charges / initial_charges / q (R:1);
//   id (I:1) atom ids (else 1..N); image (I:3) image flags;
//   masses / mass (R:1) species masses (kept as the property "mass" when they
//   differ within a species); any other R/I/L column -> a named property
//   (name, or name_0, name_1, ... for n > 1; L as 1/0; I marks it integer);
//   other S columns are ignored.
// Species: the order given in options, else species_order, else the order of
// first appearance (kept across the frames of one reader). Masses come from
// the element table when a name is an element symbol.
// D = 2: the third lattice vector and every z component are dropped. A 2D
// system is written with the third vector (0, 0, 1), pbc="T T F" (or F F F
// ...) and z = 0, so ASE and OVITO read it as a slab and amorph reads it back
// as 2D (see io.hpp detect_dimension).
//
// Writing: write_extxyz() writes species, pos, id, then velo, forces, charge,
// image, masses when present, then the properties (except those named like
// one of the columns above, which would read back as that quantity); integer
// properties (property::integer) as I columns. Numbers are printed in the
// shortest form that reads back exactly.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/species.hpp"
#include "amorph/core/system.hpp"
#include "amorph/io/common.hpp"
#include "amorph/io/detail/frames.hpp"
#include "amorph/io/detail/input_file.hpp"
#include "amorph/io/detail/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace amorph::io {

struct extxyz_read_options {
    /// Species order (type 0, 1, ...); empty: the file's own order (see above).
    std::vector<std::string> species;
};

namespace detail {

inline std::string lower(std::string_view s) {
    std::string o(s);
    for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return o;
}

/// Split an extxyz comment line into key=value pairs; nullopt when the line
/// does not follow the grammar (unbalanced quotes, empty key, ...).
inline std::optional<std::vector<std::pair<std::string, std::string>>> parse_key_values(std::string_view s) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t i = 0;
    const std::size_t n = s.size();
    auto read_token = [&](std::string& t, bool stop_at_eq) -> bool {
        t.clear();
        if (i < n && s[i] == '"') {
            ++i;
            while (i < n && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < n) ++i;
                t += s[i++];
            }
            if (i >= n) return false;  // unterminated quote
            ++i;
            return true;
        }
        if (i < n && (s[i] == '{' || s[i] == '[')) {
            const char close = s[i] == '{' ? '}' : ']';
            ++i;
            while (i < n && s[i] != close) t += s[i++];
            if (i >= n) return false;
            ++i;
            return true;
        }
        while (i < n && !is_blank(s[i]) && !(stop_at_eq && s[i] == '=')) {
            if (s[i] == '"') return false;
            t += s[i++];
        }
        return true;
    };
    std::string key, value;
    while (true) {
        while (i < n && is_blank(s[i])) ++i;
        if (i >= n) break;
        if (!read_token(key, true) || key.empty()) return std::nullopt;
        std::size_t j = i;
        while (j < n && is_blank(s[j])) ++j;
        if (j < n && s[j] == '=') {
            i = j + 1;
            while (i < n && is_blank(s[i])) ++i;
            if (!read_token(value, false)) return std::nullopt;
            if (i < n && !is_blank(s[i])) return std::nullopt;
        } else {
            if (i < n && !is_blank(s[i])) return std::nullopt;
            value = "T";
        }
        out.emplace_back(key, value);
    }
    return out;
}

inline std::optional<bool> parse_logical(std::string_view t) {
    if (t == "T" || t == "True" || t == "true" || t == "1" || t == "TRUE") return true;
    if (t == "F" || t == "False" || t == "false" || t == "0" || t == "FALSE") return false;
    return std::nullopt;
}

enum class xyz_role { species, z, pos, vel, force, q, id, image, mass, property, ignore };

struct xyz_column {
    std::string name;  // property name
    xyz_role role = xyz_role::ignore;
    char type = 'R';
    int comp = 0;
};

inline constexpr std::size_t max_xyz_columns = 4096;

}  // namespace detail

template <int D>
    requires supported_dimension<D>
class extxyz_reader {
public:
    extxyz_reader(std::istream& in, std::string source, extxyz_read_options opt = {})
        : r_(in, std::move(source)), opt_(std::move(opt)) {
        names_ = opt_.species;
        detail::check_species_names(names_, r_.source());
        fixed_ = !names_.empty();
    }
    explicit extxyz_reader(const std::filesystem::path& path, extxyz_read_options opt = {})
        : file_(detail::open_input(path)), r_(*file_, path.string()), opt_(std::move(opt)) {
        names_ = opt_.species;
        detail::check_species_names(names_, r_.source());
        fixed_ = !names_.empty();
    }

    bool next(frame<D>& f) {
        std::int64_t n = 0;
        if (!read_count(n)) return false;
        parse_frame(f, n);
        ++done_;
        return true;
    }

    bool skip() {
        std::int64_t n = 0;
        if (!read_count(n)) return false;
        if (!r_.next()) r_.fail_eof("comment", "missing comment line");
        for (std::int64_t i = 0; i < n; ++i)
            if (!r_.next())
                r_.fail_eof("atoms", "expected " + std::to_string(n) + " atom lines, found " + std::to_string(i));
        ++done_;
        return true;
    }

    std::size_t frames_done() const noexcept { return done_; }
    std::pair<std::streampos, std::size_t> position() const { return {r_.tell(), r_.line()}; }
    /// True when the input has no line left.
    bool exhausted() const { return r_.exhausted(); }
    void seek(const std::pair<std::streampos, std::size_t>& p, std::size_t frame_number) {
        r_.seek(p.first, p.second);
        done_ = frame_number;
    }
    const std::string& source() const noexcept { return r_.source(); }

private:
    bool read_count(std::int64_t& n) {
        // Blank lines between frames and at the end are tolerated.
        do {
            if (!r_.next()) return false;
        } while (detail::trim(r_.text()).empty());
        detail::tokenize(r_.text(), tok_);
        if (tok_.size() != 1) r_.fail("count", "expected the number of atoms alone on the line, got " +
                                                   detail::show(detail::trim(r_.text())));
        n = r_.to_count(tok_[0], "count");
        return true;
    }

    std::vector<double> numbers(std::string_view text, std::size_t count, const std::string& key) {
        std::vector<std::string_view> t;
        detail::tokenize(text, t);
        if (t.size() != count)
            r_.fail(key, "expected " + std::to_string(count) + " numbers, got " + std::to_string(t.size()));
        std::vector<double> v;
        for (auto x : t) v.push_back(r_.to_finite(x, key));
        return v;
    }

    void parse_frame(frame<D>& f, std::int64_t N) {
        using detail::xyz_role;
        if (!r_.next()) r_.fail_eof("comment", "missing comment line");
        const std::string comment = r_.text();
        const std::size_t comment_line = r_.line();
        // A comment line without any '=' is free text (plain XYZ).
        auto kv = comment.find('=') == std::string::npos ? std::nullopt : detail::parse_key_values(comment);
        const std::string lc = detail::lower(comment);
        if (!kv) {
            if (lc.find("lattice=") != std::string::npos || lc.find("properties=") != std::string::npos)
                r_.fail("comment", "malformed key=value list (unbalanced quotes?)");
            kv.emplace();
            kv->emplace_back("comment", std::string(detail::trim(comment)));
        }
        std::optional<std::vector<double>> lattice, origin;
        std::array<bool, 3> pbc{true, true, true};
        bool have_pbc = false;
        std::string props = "species:S:1:pos:R:3";
        std::vector<std::string> order;
        f.info.clear();
        f.timestep = 0;
        for (const auto& [k, v] : *kv) {
            const std::string key = detail::lower(k);
            if (key == "lattice") {
                if (lattice) r_.fail("Lattice", "given twice");
                lattice = numbers(v, 9, "Lattice");
            } else if (key == "origin") {
                origin = numbers(v, 3, "Origin");
            } else if (key == "pbc") {
                detail::tokenize(v, tok_);
                if (tok_.size() != 3) r_.fail("pbc", "expected three logical values, got " + detail::show(v));
                for (std::size_t a = 0; a < 3; ++a) {
                    auto b = detail::parse_logical(tok_[a]);
                    if (!b) r_.fail("pbc", "expected T or F, got " + detail::show(tok_[a]));
                    pbc[a] = *b;
                }
                have_pbc = true;
            } else if (key == "properties") {
                props = v;
            } else if (key == "timestep" || key == "step") {
                f.timestep = r_.to_int<std::int64_t>(detail::trim(v), k);
            } else if (key == "species_order") {
                for (auto t : detail::tokenize(v)) order.emplace_back(t);
            } else {
                f.info.emplace_back(k, v);
            }
        }
        // columns from Properties
        std::vector<detail::xyz_column> cols;
        {
            std::vector<std::string_view> parts;
            std::string_view rest = props;
            while (true) {
                const auto p = rest.find(':');
                parts.push_back(rest.substr(0, p));
                if (p == std::string_view::npos) break;
                rest = rest.substr(p + 1);
            }
            if (parts.size() % 3 != 0) r_.fail("Properties", "expected name:type:count triples, got " + detail::show(props));
            for (std::size_t p = 0; p < parts.size(); p += 3) {
                const std::string name(parts[p]);
                if (name.empty()) r_.fail("Properties", "empty property name");
                if (parts[p + 1].size() != 1 || std::string_view("SRIL").find(parts[p + 1][0]) == std::string_view::npos)
                    r_.fail("Properties", "property type must be S, R, I or L, got " + detail::show(parts[p + 1]));
                const char type = parts[p + 1][0];
                const auto cnt = r_.to_int<std::int64_t>(parts[p + 2], "Properties");
                if (cnt < 1 || cnt + static_cast<std::int64_t>(cols.size()) > static_cast<std::int64_t>(detail::max_xyz_columns))
                    r_.fail("Properties", "bad column count " + detail::show(parts[p + 2]) + " for " + detail::show(name));
                const std::string ln = detail::lower(name);
                xyz_role role = xyz_role::property;
                auto want = [&](char t, std::int64_t c) { return type == t && cnt == c; };
                auto need = [&](bool ok, const char* what) {
                    if (!ok) r_.fail("Properties", "column " + detail::show(name) + " must be " + what);
                };
                if (ln == "species") need(want('S', 1), "S:1"), role = xyz_role::species;
                else if (ln == "z") need(want('I', 1), "I:1"), role = xyz_role::z;
                else if (ln == "pos") need(want('R', 3), "R:3"), role = xyz_role::pos;
                else if (ln == "velo" || ln == "vel" || ln == "velocities") need(want('R', 3), "R:3"), role = xyz_role::vel;
                else if (ln == "forces" || ln == "force") need(want('R', 3), "R:3"), role = xyz_role::force;
                else if (ln == "charge" || ln == "charges" || ln == "initial_charges" || ln == "q")
                    need(want('R', 1), "R:1"), role = xyz_role::q;
                else if (ln == "id") need(want('I', 1), "I:1"), role = xyz_role::id;
                else if (ln == "image") need(want('I', 3), "I:3"), role = xyz_role::image;
                else if (ln == "masses" || ln == "mass") need(want('R', 1), "R:1"), role = xyz_role::mass;
                else if (type == 'S') role = xyz_role::ignore;
                for (std::int64_t c = 0; c < cnt; ++c) {
                    detail::xyz_column col;
                    col.role = role;
                    col.type = type;
                    col.comp = static_cast<int>(c);
                    col.name = cnt == 1 ? name : name + "_" + std::to_string(c);
                    cols.push_back(col);
                }
            }
        }
        auto count_role = [&](xyz_role ro) {
            return std::count_if(cols.begin(), cols.end(), [&](const auto& c) { return c.role == ro; });
        };
        for (auto ro : {xyz_role::species, xyz_role::z, xyz_role::pos, xyz_role::vel, xyz_role::force, xyz_role::q,
                        xyz_role::id, xyz_role::image, xyz_role::mass})
            if (count_role(ro) > (ro == xyz_role::pos || ro == xyz_role::vel || ro == xyz_role::force ||
                                          ro == xyz_role::image ? 3 : 1))
                r_.fail("Properties", "a per-atom quantity is given by two columns");
        if (count_role(xyz_role::pos) == 0) r_.fail("Properties", "missing required column pos:R:3");
        // property names must be unique
        {
            std::vector<std::string> pn;
            for (const auto& c : cols)
                if (c.role == xyz_role::property) pn.push_back(c.name);
            std::sort(pn.begin(), pn.end());
            if (std::adjacent_find(pn.begin(), pn.end()) != pn.end())
                r_.fail("Properties", "two properties have the same name");
        }
        const bool has_species = count_role(xyz_role::species) > 0, has_z = count_role(xyz_role::z) > 0;
        const bool has_vel = count_role(xyz_role::vel) > 0, has_force = count_role(xyz_role::force) > 0;
        const bool has_q = count_role(xyz_role::q) > 0, has_id = count_role(xyz_role::id) > 0;
        const bool has_image = count_role(xyz_role::image) > 0, has_mass = count_role(xyz_role::mass) > 0;
        if (!order.empty() && !fixed_ && names_.empty()) {
            std::vector<std::string> sorted = order;
            std::sort(sorted.begin(), sorted.end());
            if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
                r_.fail("species_order", "a species is listed twice");
            names_ = order;
        }

        const std::size_t reserve = detail::bounded_reserve(N);
        std::vector<std::int64_t> ids;
        std::vector<int> types;
        std::vector<double> pos, vel, force, q, mass;
        std::vector<int> img;
        std::vector<std::vector<double>> props_v;
        std::vector<std::size_t> prop_cols;
        for (std::size_t c = 0; c < cols.size(); ++c)
            if (cols[c].role == xyz_role::property) prop_cols.push_back(c);
        props_v.resize(prop_cols.size());
        ids.reserve(reserve);
        types.reserve(reserve);
        pos.reserve(reserve * 3);
        std::unordered_map<std::int64_t, std::size_t> seen;
        std::string zname;
        for (std::int64_t i = 0; i < N; ++i) {
            if (!r_.next())
                r_.fail_eof("atoms", "expected " + std::to_string(N) + " atom lines, found " + std::to_string(i));
            detail::tokenize(r_.text(), tok_);
            if (tok_.size() != cols.size())
                r_.fail("atoms", "expected " + std::to_string(cols.size()) + " columns, got " + std::to_string(tok_.size()));
            double p[3] = {0, 0, 0}, v[3] = {0, 0, 0}, fo[3] = {0, 0, 0}, qq = 0, m = 0;
            int im[3] = {0, 0, 0};
            std::int64_t id = i + 1;
            std::string_view sp;
            std::size_t pk = 0;
            static const char* const pn[3] = {"x", "y", "z"};
            for (std::size_t c = 0; c < cols.size(); ++c) {
                const auto t = tok_[c];
                const auto& col = cols[c];
                switch (col.role) {
                    case xyz_role::species: sp = t; break;
                    case xyz_role::z: {
                        const auto zz = r_.to_int<int>(t, "Z");
                        if (zz < 1 || zz > static_cast<int>(amorph::detail::element_table.size()))
                            r_.fail("Z", "atomic number out of range: " + detail::show(t));
                        zname = std::string(amorph::detail::element_table[static_cast<std::size_t>(zz - 1)].symbol);
                        sp = zname;
                        break;
                    }
                    case xyz_role::pos: p[col.comp] = r_.to_finite(t, pn[col.comp]); break;
                    case xyz_role::vel: v[col.comp] = r_.to_finite(t, "velo"); break;
                    case xyz_role::force: fo[col.comp] = r_.to_double(t, "forces"); break;
                    case xyz_role::q: qq = r_.to_double(t, "charge"); break;
                    case xyz_role::id:
                        id = r_.to_int<std::int64_t>(t, "id");
                        break;
                    case xyz_role::image: im[col.comp] = r_.to_int<int>(t, "image"); break;
                    case xyz_role::mass:
                        m = r_.to_finite(t, "masses");
                        if (!(m > 0)) r_.fail("masses", "mass must be positive, got " + detail::show(t));
                        break;
                    case xyz_role::property: {
                        double x = 0;
                        if (col.type == 'L') {
                            auto b = detail::parse_logical(t);
                            if (!b) r_.fail(col.name, "expected T or F, got " + detail::show(t));
                            x = *b ? 1.0 : 0.0;
                        } else if (col.type == 'I') {
                            x = static_cast<double>(r_.to_int<std::int64_t>(t, col.name));
                        } else {
                            x = r_.to_double(t, col.name);
                        }
                        props_v[pk++].push_back(x);
                        break;
                    }
                    case xyz_role::ignore: break;
                }
            }
            if (has_id && !seen.emplace(id, ids.size()).second)
                r_.fail("id", "duplicate atom id " + std::to_string(id));
            int type = 0;
            if (has_species || has_z) {
                auto it = std::find(names_.begin(), names_.end(), sp);
                if (it == names_.end()) {
                    if (fixed_) r_.fail("species", "species " + detail::show(sp) + " is not among the species given");
                    if (names_.size() >= static_cast<std::size_t>(detail::max_dump_types))
                        r_.fail("species", "too many species");
                    names_.emplace_back(sp);
                    it = names_.end() - 1;
                }
                type = static_cast<int>(it - names_.begin());
            } else if (names_.empty()) {
                names_.push_back("1");
            }
            ids.push_back(id);
            types.push_back(type);
            for (int k = 0; k < D; ++k) pos.push_back(p[k]);
            if (has_vel) for (int k = 0; k < D; ++k) vel.push_back(v[k]);
            if (has_force) for (int k = 0; k < D; ++k) force.push_back(fo[k]);
            if (has_image) for (int k = 0; k < D; ++k) img.push_back(im[k]);
            if (has_q) q.push_back(qq);
            if (has_mass) mass.push_back(m);
        }
        amorph::system<D> sys;
        const auto NI = static_cast<Eigen::Index>(ids.size());
        sys.positions = Eigen::Map<const coords<D>>(pos.data(), D, NI);
        // box
        {
            mat<D> h = mat<D>::Zero();
            vec<D> o = vec<D>::Zero();
            typename amorph::box<D>::flags_t per{};
            if (lattice) {
                for (int i = 0; i < D; ++i)
                    for (int j = 0; j < D; ++j) h(i, j) = (*lattice)[static_cast<std::size_t>(3 * j + i)];
                if (origin)
                    for (int i = 0; i < D; ++i) o(i) = (*origin)[static_cast<std::size_t>(i)];
                for (int k = 0; k < D; ++k) per[static_cast<std::size_t>(k)] = pbc[static_cast<std::size_t>(k)];
            } else {
                if (have_pbc && (pbc[0] || pbc[1] || pbc[2]))
                    throw parse_error(r_.source(), comment_line, "pbc", "periodic axes need a Lattice");
                vec<D> lo = vec<D>::Zero(), hi = vec<D>::Zero();
                if (NI > 0) {
                    lo = sys.positions.rowwise().minCoeff();
                    hi = sys.positions.rowwise().maxCoeff();
                }
                o = lo.array() - 1.0;
                h = (hi - lo + vec<D>::Constant(2.0)).asDiagonal();
                per.fill(false);
            }
            try {
                sys.box = amorph::box<D>(h, o, per);
            } catch (const invalid_argument& e) {
                throw parse_error(r_.source(), comment_line, "Lattice", std::string("invalid cell: ") + e.what());
            }
        }
        // names_ holds distinct names (found before being added; species_order checked below)
        sys.species = detail::make_species(names_);
        if (has_mass) {
            std::vector<double> tm(names_.size(), 0.0);
            bool consistent = true;
            for (std::size_t i = 0; i < types.size(); ++i) {
                auto& slot = tm[static_cast<std::size_t>(types[i])];
                if (slot == 0.0) slot = mass[i];
                else if (slot != mass[i]) consistent = false;
            }
            if (consistent) {
                for (std::size_t t = 0; t < tm.size(); ++t)
                    if (tm[t] > 0) sys.species[t].mass = tm[t];
            } else {
                sys.properties.push_back({"mass", std::move(mass)});
            }
        }
        sys.ids = std::move(ids);
        sys.types = std::move(types);
        if (has_vel) sys.velocities = Eigen::Map<const coords<D>>(vel.data(), D, NI);
        if (has_force) sys.forces = Eigen::Map<const coords<D>>(force.data(), D, NI);
        if (has_image) sys.image = Eigen::Map<const icoords<D>>(img.data(), D, NI);
        if (has_q) sys.charges = std::move(q);
        for (std::size_t k = 0; k < prop_cols.size(); ++k) {
            const auto& c = cols[prop_cols[k]];
            sys.properties.push_back({c.name, std::move(props_v[k]), c.type == 'I'});
        }
        f.system = std::move(sys);
    }

    std::unique_ptr<std::istream> file_;  ///< plain or gzip (detail/input_file.hpp)
    detail::line_reader r_;
    extxyz_read_options opt_;
    std::vector<std::string_view> tok_;
    std::vector<std::string> names_;
    bool fixed_ = false;
    std::size_t done_ = 0;
};

template <int D>
    requires supported_dimension<D>
frame<D> read_extxyz(std::istream& in, const std::string& source, std::int64_t frame_index = -1,
                     const extxyz_read_options& opt = {}) {
    extxyz_reader<D> rd(in, source, opt);
    return detail::read_frame_at<extxyz_reader<D>, frame<D>>(rd, frame_index, "extxyz file");
}

template <int D>
    requires supported_dimension<D>
frame<D> read_extxyz(const std::filesystem::path& path, std::int64_t frame_index = -1,
                     const extxyz_read_options& opt = {}) {
    extxyz_reader<D> rd(path, opt);
    return detail::read_frame_at<extxyz_reader<D>, frame<D>>(rd, frame_index, "extxyz file");
}

inline std::size_t count_extxyz_frames(std::istream& in, const std::string& source) {
    extxyz_reader<3> rd(in, source);
    while (rd.skip()) {
    }
    return rd.frames_done();
}

inline std::size_t count_extxyz_frames(const std::filesystem::path& path) {
    extxyz_reader<3> rd(path);
    while (rd.skip()) {
    }
    return rd.frames_done();
}

struct extxyz_write_options {
    /// Extra per-atom properties to write (by name); empty: all of them.
    std::vector<std::string> properties;
    /// Extra key=value pairs for the comment line.
    std::vector<std::pair<std::string, std::string>> info;
    std::int64_t timestep = 0;  ///< written as Timestep= when non-zero
    bool append = false;        ///< path overload: append a frame
};

template <int D>
    requires supported_dimension<D>
void write_extxyz(std::ostream& out, const amorph::system<D>& sys, const extxyz_write_options& opt = {}) {
    using detail::put;
    using detail::put_int;
    sys.validate();
    auto one_word = [](const std::string& w) {
        return !w.empty() && detail::tokenize(w).size() == 1 && w.find_first_of("\":=") == std::string::npos;
    };
    for (const auto& sp : sys.species)
        if (!one_word(sp.name)) throw invalid_argument("write_extxyz: species name '" + sp.name + "' is not one word");
    std::vector<const property*> props;
    if (opt.properties.empty()) {
        for (const auto& p : sys.properties) props.push_back(&p);
    } else {
        for (const auto& n : opt.properties) {
            const property* p = sys.find_property(n);
            if (!p) throw invalid_argument("write_extxyz: no property named '" + n + "'");
            props.push_back(p);
        }
    }
    // Properties named like a column with a meaning (pos, id, masses, ...) are
    // not written: they would be read back as that quantity.
    std::erase_if(props, [](const property* p) {
        static const char* const reserved[] = {"species", "z", "pos", "velo", "vel", "velocities", "forces",
                                               "force", "charge", "charges", "initial_charges", "q", "id",
                                               "image", "masses", "mass"};
        const std::string l = detail::lower(p->name);
        for (const char* r : reserved)
            if (l == r) return true;
        return false;
    });
    for (const auto* p : props)
        if (!one_word(p->name)) throw invalid_argument("write_extxyz: property name '" + p->name + "' is not one word");
    // integer properties as I columns when every value is an exact integer
    // (|v| <= 2^53); otherwise, e.g. a NaN, the column stays R
    std::vector<char> as_int(props.size(), 0);
    for (std::size_t k = 0; k < props.size(); ++k)
        as_int[k] = props[k]->integer && std::all_of(props[k]->values.begin(), props[k]->values.end(), [](double v) {
                        return std::isfinite(v) && v == std::floor(v) && std::abs(v) <= 9007199254740992.0;
                    });
    const bool masses = sys.species.all_masses_known();
    std::string s;
    put_int(s, sys.size());
    s += "\nLattice=\"";
    const auto& h = sys.box.h();
    for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 3; ++i) {
            if (i || j) s += ' ';
            double v = 0.0;
            if (i < D && j < D) v = h(i, j);
            else if (i == 2 && j == 2) v = 1.0;
            put(s, v);
        }
    s += "\" Properties=species:S:1:pos:R:3:id:I:1";
    if (sys.has_velocities()) s += ":velo:R:3";
    if (sys.has_forces()) s += ":forces:R:3";
    if (sys.has_charges()) s += ":charge:R:1";
    if (sys.has_image()) s += ":image:I:3";
    if (masses) s += ":masses:R:1";
    for (std::size_t k = 0; k < props.size(); ++k) {
        s += ':';
        s += props[k]->name;
        s += as_int[k] ? ":I:1" : ":R:1";
    }
    s += " pbc=\"";
    for (int k = 0; k < 3; ++k) {
        if (k) s += ' ';
        s += (k < D && sys.box.periodic(k)) ? 'T' : 'F';
    }
    s += '"';
    if (!sys.box.origin().isZero(0.0)) {
        s += " Origin=\"";
        for (int k = 0; k < 3; ++k) {
            if (k) s += ' ';
            put(s, k < D ? sys.box.origin()(k) : 0.0);
        }
        s += '"';
    }
    if (opt.timestep != 0) {
        s += " Timestep=";
        put_int(s, opt.timestep);
    }
    // inside a quoted value, " and \ are escaped with \ (what the reader undoes)
    auto put_escaped = [&s](const std::string& v) {
        for (char c : v) {
            if (c == '"' || c == '\\') s += '\\';
            s += (c == '\n' || c == '\r') ? ' ' : c;
        }
    };
    s += " species_order=\"";
    for (std::size_t t = 0; t < sys.species.size(); ++t) {
        if (t) s += ' ';
        put_escaped(sys.species[t].name);
    }
    s += '"';
    for (const auto& [k, v] : opt.info) {
        if (!one_word(k)) throw invalid_argument("write_extxyz: info key '" + k + "' is not one word");
        s += ' ';
        s += k;
        s += "=\"";
        put_escaped(v);
        s += '"';
    }
    s += '\n';
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const auto I = static_cast<Eigen::Index>(i);
        s += sys.species[static_cast<std::size_t>(sys.types[i])].name;
        auto vec3 = [&](const auto& col) {
            for (int k = 0; k < 3; ++k) {
                s += ' ';
                put(s, k < D ? static_cast<double>(col(k)) : 0.0);
            }
        };
        vec3(sys.positions.col(I));
        s += ' ';
        put_int(s, sys.ids[i]);
        if (sys.has_velocities()) vec3(sys.velocities.col(I));
        if (sys.has_forces()) vec3(sys.forces.col(I));
        if (sys.has_charges()) {
            s += ' ';
            put(s, sys.charges[i]);
        }
        if (sys.has_image())
            for (int k = 0; k < 3; ++k) {
                s += ' ';
                put_int(s, k < D ? sys.image(k, I) : 0);
            }
        if (masses) {
            s += ' ';
            put(s, sys.mass(i));
        }
        for (std::size_t k = 0; k < props.size(); ++k) {
            s += ' ';
            if (as_int[k]) put_int(s, static_cast<std::int64_t>(props[k]->values[i]));
            else put(s, props[k]->values[i]);
        }
        s += '\n';
        if (s.size() > (1u << 16)) {
            out << s;
            s.clear();
        }
    }
    out << s;
    if (!out) throw io_error("write_extxyz: write failed");
}

template <int D>
    requires supported_dimension<D>
void write_extxyz(const std::filesystem::path& path, const amorph::system<D>& sys,
                  const extxyz_write_options& opt = {}) {
    std::ofstream out(path, opt.append ? std::ios::app : std::ios::trunc);
    if (!out) throw io_error("cannot open " + path.string() + " for writing");
    write_extxyz(out, sys, opt);
    out.close();
    if (!out) throw io_error("write failed: " + path.string());
}

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_EXTXYZ_TEMPLATES(P, D)                                                                                  \
    P template class extxyz_reader<D>;                                                                                \
    P template frame<D> read_extxyz<D>(std::istream&, const std::string&, std::int64_t, const extxyz_read_options&); \
    P template frame<D> read_extxyz<D>(const std::filesystem::path&, std::int64_t, const extxyz_read_options&);      \
    P template void write_extxyz<D>(std::ostream&, const amorph::system<D>&, const extxyz_write_options&);           \
    P template void write_extxyz<D>(const std::filesystem::path&, const amorph::system<D>&, const extxyz_write_options&);
AMORPH_EXTERN_TEMPLATES(AMORPH_EXTXYZ_TEMPLATES)

}  // namespace amorph::io
