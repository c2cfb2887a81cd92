// amorph/io/lammps_dump.hpp — LAMMPS text dumps (dump atom / dump custom).
//
// Reading: dump_reader<D> streams a file one frame at a time (only the current
// frame is in memory). A frame is
//     ITEM: TIMESTEP / <step>
//     [ITEM: TIME / <time>]  [ITEM: UNITS / <units>]      (kept in frame::info)
//     ITEM: NUMBER OF ATOMS / <N>
//     ITEM: BOX BOUNDS [xy xz yz | abc origin] <bx> <by> <bz>  + 3 lines
//     ITEM: ATOMS <column names...>  + N lines
// Box: orthogonal "lo hi" lines; triclinic "lo_bound hi_bound tilt" lines,
// converted to lo/hi as the LAMMPS dump documentation defines (see
// detail/lammps_cell.hpp); LAMMPS's general triclinic "abc origin" lines
// "ax ay az ox" / "bx by bz oy" / "cx cy cz oz". Boundary flags (pp, ff, fs,
// fm, sm, ...): an axis is periodic iff its flag is "pp"; no flags: periodic.
// Columns, in any order:
//   id                  atom ids (absent: 1..N in file order); must be unique
//   type                LAMMPS type (absent: all type 1); 1 <= type <= 10^6
//   element             species names per type (dump_modify element)
//   mass                per-type mass (a per-atom mass that differs within a
//                       type is kept as the property "mass" instead)
//   x y z | xs ys zs | xu yu zu | xsu ysu zsu
//                       positions; the first complete set in this order is
//                       used (scaled ones through the box: x = o + h s);
//                       coordinates must be finite
//   ix iy iz            image flags -> system::image when the positions come
//                       from x or xs (wrapped); with xu/xsu they are kept as
//                       properties "ix", "iy", "iz" (positions are unwrapped)
//   vx vy vz, fx fy fz  velocities, forces;  q  charges
//   anything else       a named amorph::property (numbers; nan/inf allowed)
// Columns of a position set that is not used become properties too. With
// D = 2 every z column (z, zs, zu, zsu, iz, vz, fz) is dropped.
//
// read_dump<D>(path, k) returns frame k (0-based; -1 = last, -k = k-th from
// the end). Earlier frames are skipped by counting their lines; on a seekable
// stream a negative k first records where each frame starts, then seeks.
//
// Writing: write_dump() writes one frame (append = true on a path adds a
// frame). Columns are chosen by name from the list above (plus any property
// name; a standard name whose data the system lacks, such as vx without
// velocities, falls back to a property of that name); default: id type [element] x y z [ix iy iz] [vx vy vz] [fx fy fz] [q]
// and every property (element when the species have names other than 1..n). A 2D system is written as LAMMPS does for `dimension 2`: z columns
// are 0 and z bounds -0.5 0.5. A general (rotated) cell is rotated into
// LAMMPS's restricted form (box::to_lammps), vectors with it. A cell or
// coordinate the format cannot hold throws amorph::unsupported (see
// lammps_data.hpp).
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/io/common.hpp"
#include "amorph/io/detail/frames.hpp"
#include "amorph/io/detail/lammps_cell.hpp"
#include "amorph/io/detail/input_file.hpp"
#include "amorph/io/detail/text.hpp"

#include <algorithm>
#include <array>
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
#include <unordered_set>
#include <utility>
#include <vector>

namespace amorph::io {

struct dump_read_options {
    /// Names for LAMMPS types 1..n; empty: from an "element" column, else "1".."n".
    std::vector<std::string> species;
};

namespace detail {

/// The parsed "ITEM:" header of one dump frame.
struct dump_header {
    std::int64_t timestep = 0;
    std::int64_t natoms = 0;
    std::vector<std::pair<std::string, std::string>> info;
    std::array<bool, 3> periodic{true, true, true};
    bool general = false;                // abc origin form
    lammps_box bounds;
    std::array<std::array<double, 4>, 3> abc{};  // general: rows "ax ay az ox" ...
    std::size_t box_line = 0;
    std::vector<std::string> columns;
    std::size_t atoms_line = 0;
};

/// Parse boundary flags like "pp", "fs", "mm".
inline bool parse_boundary(std::string_view f, const line_reader& r) {
    auto ok = [](char c) { return c == 'p' || c == 'f' || c == 's' || c == 'm'; };
    if (f.size() != 2 || !ok(f[0]) || !ok(f[1]))
        r.fail("BOX BOUNDS", "invalid boundary flag " + show(f) + " (expected two of p, f, s, m)");
    if ((f[0] == 'p') != (f[1] == 'p'))
        r.fail("BOX BOUNDS", "boundary flag " + show(f) + " mixes periodic and non-periodic");
    return f[0] == 'p';
}

/// Read one frame header; false at the end of the input (no more frames).
inline bool read_dump_header(line_reader& r, dump_header& h) {
    h = dump_header{};
    if (!r.next_content()) return false;
    std::vector<std::string_view> tok;
    bool have_step = false, have_n = false, have_box = false;
    bool first = true;
    for (;;) {
        if (!first && !r.next()) r.fail_eof("ITEM", "frame header ends before ITEM: ATOMS");
        const std::string_view line = trim(r.text());
        if (line.substr(0, 5) != "ITEM:") {
            if (first) r.fail("ITEM", "expected 'ITEM: TIMESTEP', got " + show(line));
            r.fail("ITEM", "expected an ITEM: line, got " + show(line));
        }
        first = false;
        const std::string_view item = trim(line.substr(5));
        auto value_line = [&](const std::string& field) -> std::string_view {
            if (!r.next()) r.fail_eof(field, "missing value after ITEM: " + field);
            return trim(r.text());
        };
        if (item == "TIMESTEP") {
            if (have_step) r.fail("TIMESTEP", "given twice in one frame");
            have_step = true;
            const auto v = value_line("TIMESTEP");
            tokenize(v, tok);
            if (tok.size() != 1) r.fail("TIMESTEP", "expected one integer, got " + show(v));
            h.timestep = r.to_int<std::int64_t>(tok[0], "TIMESTEP");
        } else if (item == "TIME" || item == "UNITS") {
            const std::string key(item);
            h.info.emplace_back(item == "TIME" ? "time" : "units", std::string(value_line(key)));
        } else if (item == "NUMBER OF ATOMS") {
            if (have_n) r.fail("NUMBER OF ATOMS", "given twice in one frame");
            have_n = true;
            const auto v = value_line("NUMBER OF ATOMS");
            tokenize(v, tok);
            if (tok.size() != 1) r.fail("NUMBER OF ATOMS", "expected one integer, got " + show(v));
            h.natoms = r.to_count(tok[0], "NUMBER OF ATOMS");
        } else if (item.substr(0, 10) == "BOX BOUNDS") {
            if (have_box) r.fail("BOX BOUNDS", "given twice in one frame");
            have_box = true;
            h.box_line = r.line();
            tokenize(item.substr(10), tok);
            std::size_t k = 0;
            bool tilt = false;
            if (tok.size() >= 3 && tok[0] == "xy" && tok[1] == "xz" && tok[2] == "yz") {
                tilt = true;
                k = 3;
            } else if (tok.size() >= 2 && tok[0] == "abc" && tok[1] == "origin") {
                h.general = true;
                k = 2;
            }
            if (tok.size() != k && tok.size() != k + 3)
                r.fail("BOX BOUNDS", "expected three boundary flags, got " + show(item.substr(10)));
            if (tok.size() == k + 3)
                for (std::size_t a = 0; a < 3; ++a) h.periodic[a] = parse_boundary(tok[k + a], r);
            const std::size_t ncol = h.general ? 4 : tilt ? 3 : 2;
            std::array<std::array<double, 4>, 3> v{};
            static const char* const axis[3] = {"x bounds", "y bounds", "z bounds"};
            for (std::size_t a = 0; a < 3; ++a) {
                if (!r.next()) r.fail_eof("BOX BOUNDS", "missing box line");
                tokenize(r.text(), tok);
                if (tok.size() != ncol)
                    r.fail("BOX BOUNDS", "expected " + std::to_string(ncol) + " numbers, got " +
                                             std::to_string(tok.size()));
                for (std::size_t c = 0; c < ncol; ++c) v[a][c] = r.to_finite(tok[c], axis[a]);
            }
            if (h.general) {
                h.abc = v;
            } else {
                const std::array<double, 6> b{v[0][0], v[0][1], v[1][0], v[1][1], v[2][0], v[2][1]};
                h.bounds = tilt ? dump_bounds_to_lammps(b, v[0][2], v[1][2], v[2][2])
                                : dump_bounds_to_lammps(b, 0.0, 0.0, 0.0);
            }
        } else if (item.substr(0, 5) == "ATOMS") {
            h.atoms_line = r.line();
            if (!have_step) r.fail("TIMESTEP", "missing ITEM: TIMESTEP before ITEM: ATOMS");
            if (!have_n) r.fail("NUMBER OF ATOMS", "missing ITEM: NUMBER OF ATOMS before ITEM: ATOMS");
            if (!have_box) r.fail("BOX BOUNDS", "missing ITEM: BOX BOUNDS before ITEM: ATOMS");
            tokenize(item.substr(5), tok);
            if (tok.empty()) r.fail("ATOMS", "no column names after ITEM: ATOMS");
            std::unordered_set<std::string_view> seen;
            for (auto t : tok) {
                if (!seen.insert(t).second) r.fail("ATOMS", "column " + show(t) + " given twice");
                h.columns.emplace_back(t);
            }
            return true;
        } else {
            r.fail("ITEM", "unknown item " + show(item));
        }
    }
}

/// Role of a dump column.
enum class dump_role { property, drop, id, type, element, mass, q, pos, vel, force, image };

struct dump_column {
    dump_role role = dump_role::property;
    int axis = 0;
    std::string name;
};

}  // namespace detail

/// Streaming dump reader: holds one frame at a time.
template <int D>
    requires supported_dimension<D>
class dump_reader {
public:
    dump_reader(std::istream& in, std::string source, dump_read_options opt = {})
        : r_(in, std::move(source)), opt_(std::move(opt)) {
        init_names();
    }
    explicit dump_reader(const std::filesystem::path& path, dump_read_options opt = {})
        : file_(detail::open_input(path)), r_(*file_, path.string()), opt_(std::move(opt)) {
        init_names();
    }

    /// Read the next frame into f; false at the end of the file.
    bool next(frame<D>& f) {
        if (!detail::read_dump_header(r_, h_)) return false;
        parse_atoms(f);
        ++done_;
        return true;
    }

    /// Skip the next frame (its header is checked, its atom lines counted); false at the end.
    bool skip() {
        if (!detail::read_dump_header(r_, h_)) return false;
        for (std::int64_t i = 0; i < h_.natoms; ++i) next_atom_line(i);
        ++done_;
        return true;
    }

    /// Number of frames read or skipped so far.
    std::size_t frames_done() const noexcept { return done_; }

    /// Where the next frame starts (for seeking back); -1 when the stream cannot tell.
    std::pair<std::streampos, std::size_t> position() const { return {r_.tell(), r_.line()}; }
    /// True when the input has no line left.
    bool exhausted() const { return r_.exhausted(); }
    void seek(const std::pair<std::streampos, std::size_t>& p, std::size_t frame_number) {
        r_.seek(p.first, p.second);
        done_ = frame_number;
    }
    const std::string& source() const noexcept { return r_.source(); }

private:
    void init_names() {
        names_ = opt_.species;
        detail::check_species_names(names_, r_.source());
        if (static_cast<std::int64_t>(names_.size()) > detail::max_dump_types)
            throw invalid_argument("too many species names");
        ntypes_ = names_.size();
        names_fixed_ = !names_.empty();
    }

    void next_atom_line(std::int64_t i) {
        if (!r_.next())
            r_.fail_eof("ATOMS", "expected " + std::to_string(h_.natoms) + " atom lines, found " + std::to_string(i));
        detail::tokenize(r_.text(), tok_);
        if (!tok_.empty() && tok_[0].substr(0, 5) == "ITEM:")
            r_.fail("ATOMS", "expected " + std::to_string(h_.natoms) + " atom lines, found " + std::to_string(i) +
                                 " before the next ITEM");
        if (tok_.size() != h_.columns.size())
            r_.fail("ATOMS", "expected " + std::to_string(h_.columns.size()) + " columns, got " +
                                 std::to_string(tok_.size()));
    }

    // Assign a role to each column.
    std::vector<detail::dump_column> classify() const {
        using detail::dump_role;
        const auto& cols = h_.columns;
        auto has = [&](const char* n) { return std::find(cols.begin(), cols.end(), n) != cols.end(); };
        auto complete = [&](const char* a, const char* b, const char* c) {
            return has(a) && has(b) && (D == 2 || has(c));
        };
        static const char* const sets[4][3] = {{"x", "y", "z"}, {"xs", "ys", "zs"}, {"xu", "yu", "zu"},
                                               {"xsu", "ysu", "zsu"}};
        int pos_set = -1;
        for (int s = 0; s < 4 && pos_set < 0; ++s)
            if (complete(sets[s][0], sets[s][1], sets[s][2])) pos_set = s;
        if (pos_set < 0)
            throw parse_error(r_.source(), h_.atoms_line, "ATOMS",
                              D == 3 ? "missing required position columns (x y z, xs ys zs, xu yu zu or xsu ysu zsu)"
                                     : "missing required position columns (x y, xs ys, xu yu or xsu ysu)");
        const bool wrapped = pos_set <= 1;
        std::vector<detail::dump_column> out(cols.size());
        for (std::size_t c = 0; c < cols.size(); ++c) {
            const std::string& n = cols[c];
            auto& col = out[c];
            col.name = n;
            if (n == "id") col.role = dump_role::id;
            else if (n == "type") col.role = dump_role::type;
            else if (n == "element") col.role = dump_role::element;
            else if (n == "mass") col.role = dump_role::mass;
            else if (n == "q") col.role = dump_role::q;
            for (int s = 0; s < 4; ++s)
                for (int a = 0; a < 3; ++a)
                    if (n == sets[s][a]) {
                        if (a >= D) col.role = dump_role::drop;
                        else if (s == pos_set) col.role = dump_role::pos, col.axis = a;
                    }
            auto triple = [&](const char* a, const char* b, const char* z, dump_role role) {
                const char* names[3] = {a, b, z};
                for (int k = 0; k < 3; ++k)
                    if (n == names[k]) {
                        if (k >= D) col.role = dump_role::drop;
                        else if (complete(a, b, z)) col.role = role, col.axis = k;
                    }
            };
            triple("vx", "vy", "vz", dump_role::vel);
            triple("fx", "fy", "fz", dump_role::force);
            if (wrapped) triple("ix", "iy", "iz", dump_role::image);
            else if (n == "iz" && D == 2) col.role = dump_role::drop;
        }
        return out;
    }

    void parse_atoms(frame<D>& f) {
        using detail::dump_role;
        const auto cols = classify();
        const std::int64_t N = h_.natoms;
        const std::size_t reserve = detail::bounded_reserve(N);
        amorph::system<D> sys;
        // box
        if (h_.general) {
            std::array<vec<3>, 3> abc;
            for (std::size_t k = 0; k < 3; ++k) abc[k] = vec<3>(h_.abc[k][0], h_.abc[k][1], h_.abc[k][2]);
            const vec<3> o(h_.abc[0][3], h_.abc[1][3], h_.abc[2][3]);
            sys.box = detail::box_from_vectors<D>(abc, o, h_.periodic, r_.source(), h_.box_line, "BOX BOUNDS");
        } else {
            sys.box = detail::box_from_lammps<D>(h_.bounds, h_.periodic, r_.source(), h_.box_line, "BOX BOUNDS");
        }
        bool has_id = false, has_type = false, has_vel = false, has_force = false, has_image = false,
             has_q = false, has_elem = false, has_mass = false;
        std::vector<std::size_t> prop_cols;
        bool scaled = false;
        for (std::size_t c = 0; c < cols.size(); ++c) {
            switch (cols[c].role) {
                case dump_role::id: has_id = true; break;
                case dump_role::type: has_type = true; break;
                case dump_role::vel: has_vel = true; break;
                case dump_role::force: has_force = true; break;
                case dump_role::image: has_image = true; break;
                case dump_role::q: has_q = true; break;
                case dump_role::element: has_elem = true; break;
                case dump_role::mass: has_mass = true; break;
                case dump_role::property: prop_cols.push_back(c); break;
                case dump_role::pos: scaled = cols[c].name.find('s') != std::string::npos; break;
                default: break;
            }
        }
        std::vector<std::int64_t> ids;
        std::vector<int> types;
        std::vector<double> pos, vel, force, q, mass;
        std::vector<int> img;
        std::vector<std::vector<double>> props(prop_cols.size());
        ids.reserve(reserve);
        types.reserve(reserve);
        pos.reserve(reserve * D);
        std::unordered_map<std::int64_t, std::size_t> seen_ids;
        if (has_id) seen_ids.reserve(reserve);
        std::vector<std::string> elem_of_type;  // this frame's element names, by type index
        std::vector<std::string> elem_order;    // element names in order of appearance (no type column)

        for (std::int64_t i = 0; i < N; ++i) {
            next_atom_line(i);
            std::int64_t id = i + 1;
            int type = 0;
            double p[3] = {0, 0, 0}, v[3] = {0, 0, 0}, fo[3] = {0, 0, 0}, qq = 0, m = 0;
            int im[3] = {0, 0, 0};
            std::string_view elem;
            std::size_t pk = 0;
            for (std::size_t c = 0; c < cols.size(); ++c) {
                const auto t = tok_[c];
                const auto& col = cols[c];
                switch (col.role) {
                    case dump_role::id: id = r_.to_int<std::int64_t>(t, "id"); break;
                    case dump_role::type: {
                        const auto ty = r_.to_int<std::int64_t>(t, "type");
                        const std::int64_t limit = names_fixed_ ? static_cast<std::int64_t>(names_.size())
                                                                : detail::max_dump_types;
                        if (ty < 1 || ty > limit)
                            r_.fail("type", "atom type " + detail::show(t) + " out of range 1.." + std::to_string(limit));
                        type = static_cast<int>(ty - 1);
                        break;
                    }
                    case dump_role::element: elem = t; break;
                    case dump_role::mass:
                        m = r_.to_finite(t, "mass");
                        if (!(m > 0)) r_.fail("mass", "mass must be positive, got " + detail::show(t));
                        break;
                    case dump_role::q: qq = r_.to_double(t, "q"); break;
                    case dump_role::pos: p[col.axis] = r_.to_finite(t, col.name); break;
                    case dump_role::vel: v[col.axis] = r_.to_finite(t, col.name); break;
                    case dump_role::force: fo[col.axis] = r_.to_double(t, col.name); break;
                    case dump_role::image: im[col.axis] = r_.to_int<int>(t, col.name); break;
                    case dump_role::property: props[pk++].push_back(r_.to_double(t, col.name)); break;
                    case dump_role::drop: break;
                }
            }
            if (has_id && !seen_ids.emplace(id, ids.size()).second)
                r_.fail("id", "duplicate atom id " + std::to_string(id));
            if (has_elem) {
                if (has_type) {
                    const auto ti = static_cast<std::size_t>(type);
                    if (elem_of_type.size() <= ti) elem_of_type.resize(ti + 1);
                    if (elem_of_type[ti].empty()) elem_of_type[ti] = std::string(elem);
                    else if (elem_of_type[ti] != elem)
                        r_.fail("element", "type " + std::to_string(type + 1) + " is both " +
                                               detail::show(elem_of_type[ti]) + " and " + detail::show(elem));
                } else {
                    auto it = std::find(elem_order.begin(), elem_order.end(), elem);
                    if (it == elem_order.end()) {
                        if (names_fixed_) {
                            auto jt = std::find(names_.begin(), names_.end(), elem);
                            if (jt == names_.end())
                                r_.fail("element", "element " + detail::show(elem) + " is not among the species given");
                        }
                        elem_order.emplace_back(elem);
                        it = elem_order.end() - 1;
                    }
                    type = static_cast<int>(it - elem_order.begin());
                    if (names_fixed_)
                        type = static_cast<int>(std::find(names_.begin(), names_.end(), elem) - names_.begin());
                }
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

        // species: names and type count
        std::size_t ntypes = ntypes_;
        for (int t : types) ntypes = std::max(ntypes, static_cast<std::size_t>(t) + 1);
        if (has_elem && !has_type && !names_fixed_) {
            // types follow the order of first appearance; keep earlier frames' order
            std::vector<int> remap(elem_order.size());
            for (std::size_t e = 0; e < elem_order.size(); ++e) {
                auto it = std::find(names_.begin(), names_.end(), elem_order[e]);
                if (it == names_.end()) {
                    names_.push_back(elem_order[e]);
                    it = names_.end() - 1;
                }
                remap[e] = static_cast<int>(it - names_.begin());
            }
            for (int& t : types) t = remap[static_cast<std::size_t>(t)];
            ntypes = std::max(ntypes, names_.size());
        }
        if (!names_fixed_ && has_type && has_elem) {
            if (names_.size() < elem_of_type.size()) names_.resize(elem_of_type.size());
            for (std::size_t t = 0; t < elem_of_type.size(); ++t) {
                if (elem_of_type[t].empty()) continue;
                if (names_[t].empty()) names_[t] = elem_of_type[t];
                else if (names_[t] != elem_of_type[t])
                    throw parse_error(r_.source(), h_.atoms_line, "element",
                                      "type " + std::to_string(t + 1) + " was " + detail::show(names_[t]) +
                                          " in an earlier frame and is " + detail::show(elem_of_type[t]) + " now");
            }
        }
        ntypes_ = ntypes;
        std::vector<std::string> names(ntypes);
        for (std::size_t t = 0; t < ntypes; ++t)
            names[t] = (t < names_.size() && !names_[t].empty()) ? names_[t] : std::to_string(t + 1);
        // Names must be unique (an element called "2" may collide with type 2's number).
        if (!names_.empty()) {
            std::unordered_set<std::string_view> seen;
            seen.reserve(names.size());
            for (const auto& n : names)
                if (!seen.insert(n).second)
                    throw parse_error(r_.source(), h_.atoms_line, "element",
                                      "species name " + detail::show(n) + " is used by two types");
        }
        sys.species = detail::make_species(names);
        if (has_mass) {
            std::vector<double> tm(ntypes, 0.0);
            bool consistent = true;
            for (std::size_t i = 0; i < types.size(); ++i) {
                auto& slot = tm[static_cast<std::size_t>(types[i])];
                if (slot == 0.0) slot = mass[i];
                else if (slot != mass[i]) consistent = false;
            }
            if (consistent) {
                for (std::size_t t = 0; t < ntypes; ++t)
                    if (tm[t] > 0) sys.species[t].mass = tm[t];
            } else {
                sys.properties.push_back({"mass", std::move(mass)});
            }
        }

        const auto NI = static_cast<Eigen::Index>(ids.size());
        sys.positions = Eigen::Map<const coords<D>>(pos.data(), D, NI);
        if (scaled)
            for (Eigen::Index i = 0; i < NI; ++i)
                sys.positions.col(i) = sys.box.to_cartesian(sys.positions.col(i));
        sys.ids = std::move(ids);
        sys.types = std::move(types);
        if (has_vel) sys.velocities = Eigen::Map<const coords<D>>(vel.data(), D, NI);
        if (has_force) sys.forces = Eigen::Map<const coords<D>>(force.data(), D, NI);
        if (has_image) sys.image = Eigen::Map<const icoords<D>>(img.data(), D, NI);
        if (has_q) sys.charges = std::move(q);
        for (std::size_t k = 0; k < prop_cols.size(); ++k)
            sys.properties.push_back({cols[prop_cols[k]].name, std::move(props[k])});
        f.timestep = h_.timestep;
        f.info = h_.info;
        f.system = std::move(sys);
    }

    std::unique_ptr<std::istream> file_;  ///< plain or gzip (detail/input_file.hpp)
    detail::line_reader r_;
    dump_read_options opt_;
    detail::dump_header h_;
    std::vector<std::string_view> tok_;
    std::vector<std::string> names_;
    std::size_t ntypes_ = 0;
    bool names_fixed_ = false;
    std::size_t done_ = 0;
};


/// Frame `frame_index` (0-based; negative counts from the end, -1 = last).
template <int D>
    requires supported_dimension<D>
frame<D> read_dump(std::istream& in, const std::string& source, std::int64_t frame_index = -1,
                   const dump_read_options& opt = {}) {
    dump_reader<D> rd(in, source, opt);
    return detail::read_frame_at<dump_reader<D>, frame<D>>(rd, frame_index, "dump");
}

template <int D>
    requires supported_dimension<D>
frame<D> read_dump(const std::filesystem::path& path, std::int64_t frame_index = -1,
                   const dump_read_options& opt = {}) {
    dump_reader<D> rd(path, opt);
    return detail::read_frame_at<dump_reader<D>, frame<D>>(rd, frame_index, "dump");
}

inline std::size_t count_dump_frames(std::istream& in, const std::string& source) {
    dump_reader<3> rd(in, source);
    while (rd.skip()) {
    }
    return rd.frames_done();
}

inline std::size_t count_dump_frames(const std::filesystem::path& path) {
    dump_reader<3> rd(path);
    while (rd.skip()) {
    }
    return rd.frames_done();
}

struct dump_write_options {
    /// Columns in order; empty: id type [element] x y z [ix iy iz] [vx vy vz] [fx fy fz] [q] + every property.
    std::vector<std::string> columns;
    std::int64_t timestep = 0;
    bool append = false;  ///< path overload: append a frame instead of truncating
};

namespace detail {

template <int D>
std::vector<std::string> default_dump_columns(const amorph::system<D>& sys) {
    std::vector<std::string> c{"id", "type"};
    // Species names that are not just the type numbers go into an element column.
    bool named = false;
    for (std::size_t t = 0; t < sys.species.size(); ++t) named = named || sys.species[t].name != std::to_string(t + 1);
    if (named) c.push_back("element");
    c.insert(c.end(), {"x", "y", "z"});
    if (sys.has_image()) c.insert(c.end(), {"ix", "iy", "iz"});
    if (sys.has_velocities()) c.insert(c.end(), {"vx", "vy", "vz"});
    if (sys.has_forces()) c.insert(c.end(), {"fx", "fy", "fz"});
    if (sys.has_charges()) c.push_back("q");
    // Properties, unless their name is already a column (a property "x" read
    // from a dump whose positions came from xs, say).
    for (const auto& p : sys.properties)
        if (std::find(c.begin(), c.end(), p.name) == c.end()) c.push_back(p.name);
    return c;
}

}  // namespace detail

template <int D>
    requires supported_dimension<D>
void write_dump(std::ostream& out, const amorph::system<D>& sys, const dump_write_options& opt = {}) {
    using detail::put;
    using detail::put_int;
    sys.validate();
    const auto cols = opt.columns.empty() ? detail::default_dump_columns(sys) : opt.columns;
    // Resolve every column to a getter kind before writing anything.
    enum class kind { id, type, element, mass, pos, scaled, unwrapped, scaled_unwrapped, image, vel, force, q, prop };
    struct col_t {
        kind k;
        int axis = 0;
        const property* p = nullptr;
    };
    std::vector<col_t> cs;
    static const char* const sets[4][3] = {{"x", "y", "z"}, {"xs", "ys", "zs"}, {"xu", "yu", "zu"},
                                           {"xsu", "ysu", "zsu"}};
    static const kind set_kind[4] = {kind::pos, kind::scaled, kind::unwrapped, kind::scaled_unwrapped};
    for (const auto& n : cols) {
        if (n.empty() || detail::tokenize(n).size() != 1)
            throw invalid_argument("write_dump: invalid column name '" + n + "'");
        col_t c{kind::prop};
        bool found = true;
        if (n == "id") c.k = kind::id;
        else if (n == "type") c.k = kind::type;
        else if (n == "element") c.k = kind::element;
        else if (n == "mass") c.k = kind::mass;
        else if (n == "q") c.k = kind::q;
        else found = false;
        for (int s = 0; s < 4 && !found; ++s)
            for (int a = 0; a < 3; ++a)
                if (n == sets[s][a]) c = {set_kind[s], a}, found = true;
        const char* trip[3][3] = {{"ix", "iy", "iz"}, {"vx", "vy", "vz"}, {"fx", "fy", "fz"}};
        const kind tk[3] = {kind::image, kind::vel, kind::force};
        for (int s = 0; s < 3 && !found; ++s)
            for (int a = 0; a < 3; ++a)
                if (n == trip[s][a]) c = {tk[s], a}, found = true;
        // A standard column whose data the system lacks falls back to a property of that name.
        const bool missing = (c.k == kind::q && !sys.has_charges()) || (c.k == kind::vel && !sys.has_velocities()) ||
                             (c.k == kind::force && !sys.has_forces()) || (c.k == kind::image && !sys.has_image()) ||
                             (c.k == kind::mass && !sys.species.all_masses_known());
        if (!found || missing) {
            c = {kind::prop, 0, sys.find_property(n)};
            if (!c.p) throw invalid_argument("write_dump: the system has no data for column '" + n + "'");
        }
        cs.push_back(c);
    }
    const auto cell = detail::lammps_cell_of(sys.box, false);
    const auto& L = cell.bounds;
    detail::check_writable(L, L.triclinic());
    std::string s;
    s += "ITEM: TIMESTEP\n";
    put_int(s, opt.timestep);
    s += "\nITEM: NUMBER OF ATOMS\n";
    put_int(s, sys.size());
    s += "\nITEM: BOX BOUNDS ";
    const bool tri = L.triclinic();
    if (tri) s += "xy xz yz ";
    for (int k = 0; k < 3; ++k) {
        const bool p = k < D ? sys.box.periodic(k) : true;
        s += p ? "pp" : "ff";
        s += k < 2 ? " " : "\n";
    }
    const auto b = lammps_to_dump_bounds(L);
    const double tilt[3] = {L.xy, L.xz, L.yz};
    for (int k = 0; k < 3; ++k) {
        put(s, tri ? b[static_cast<std::size_t>(2 * k)] : (k == 0 ? L.xlo : k == 1 ? L.ylo : L.zlo));
        s += ' ';
        put(s, tri ? b[static_cast<std::size_t>(2 * k + 1)] : (k == 0 ? L.xhi : k == 1 ? L.yhi : L.zhi));
        if (tri) {
            s += ' ';
            put(s, tilt[k]);
        }
        s += '\n';
    }
    s += "ITEM: ATOMS";
    for (const auto& n : cols) {
        s += ' ';
        s += n;
    }
    s += '\n';
    out << s;
    s.clear();
    const bool need_unwrapped = std::any_of(cs.begin(), cs.end(), [](const col_t& c) {
        return c.k == kind::unwrapped || c.k == kind::scaled_unwrapped;
    });
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const auto I = static_cast<Eigen::Index>(i);
        const vec<D> x0 = sys.positions.col(I);
        vec<D> xu0 = x0;
        if (need_unwrapped && sys.has_image()) xu0 += sys.box.h() * sys.image.col(I).template cast<double>();
        const vec<D> x = cell.position(x0);
        const vec<D> xu = cell.position(xu0);
        for (std::size_t c = 0; c < cs.size(); ++c) {
            if (c) s += ' ';
            const auto& col = cs[c];
            const int a = col.axis;
            auto comp = [&](const vec<D>& v) { put(s, a < D ? detail::writable(v(a), "coordinate") : 0.0); };
            switch (col.k) {
                case kind::id: put_int(s, sys.ids[i]); break;
                case kind::type: put_int(s, sys.types[i] + 1); break;
                case kind::element: s += sys.species[static_cast<std::size_t>(sys.types[i])].name; break;
                case kind::mass: put(s, sys.mass(i)); break;
                case kind::q: put(s, sys.charges[i]); break;
                case kind::pos: comp(x); break;
                case kind::unwrapped: comp(xu); break;
                case kind::scaled: comp(sys.box.to_fractional(x0)); break;
                case kind::scaled_unwrapped: comp(sys.box.to_fractional(xu0)); break;
                case kind::image: put_int(s, a < D ? cell.image(sys.image.col(I))(a) : 0); break;
                case kind::vel: comp(cell.vector(sys.velocities.col(I))); break;
                case kind::force: put(s, a < D ? cell.vector(sys.forces.col(I))(a) : 0.0); break;
                case kind::prop: put(s, col.p->values[i]); break;
            }
        }
        s += '\n';
        if (s.size() > (1u << 16)) {
            out << s;
            s.clear();
        }
    }
    out << s;
    if (!out) throw io_error("write_dump: write failed");
}

template <int D>
    requires supported_dimension<D>
void write_dump(const std::filesystem::path& path, const amorph::system<D>& sys, const dump_write_options& opt = {}) {
    std::ofstream out(path, opt.append ? std::ios::app : std::ios::trunc);
    if (!out) throw io_error("cannot open " + path.string() + " for writing");
    write_dump(out, sys, opt);
    out.close();
    if (!out) throw io_error("write failed: " + path.string());
}

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_LAMMPS_DUMP_TEMPLATES(P, D)                                                                              \
    P template class dump_reader<D>;                                                                                   \
    P template frame<D> read_dump<D>(std::istream&, const std::string&, std::int64_t, const dump_read_options&);      \
    P template frame<D> read_dump<D>(const std::filesystem::path&, std::int64_t, const dump_read_options&);           \
    P template void write_dump<D>(std::ostream&, const amorph::system<D>&, const dump_write_options&);                \
    P template void write_dump<D>(const std::filesystem::path&, const amorph::system<D>&, const dump_write_options&);
AMORPH_EXTERN_TEMPLATES(AMORPH_LAMMPS_DUMP_TEMPLATES)

}  // namespace amorph::io
