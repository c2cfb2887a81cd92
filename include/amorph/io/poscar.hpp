// amorph/io/poscar.hpp — VASP POSCAR / CONTCAR files (one configuration).
//
// Reading (VASP 4 and 5 layouts, as ASE and pymatgen write them):
//   line 1   comment (ignored)
//   line 2   scale: one number s > 0 (lengths multiplied by s), s < 0 (|s| is
//            the cell volume), or three numbers (one factor per Cartesian axis)
//   3-5      the cell vectors a, b, c (one per line, Cartesian)
//   6        species names (VASP 5; absent in VASP 4: names from the caller's
//            `species`, else "1", "2", ...); a name may repeat (groups of
//            one species, as ASE writes unsorted atoms)
//   7        atom counts per species
//   [Selective dynamics]   a line starting with S/s (its T/F flags are ignored)
//   Direct | Cartesian     first letter D/d (fractional) or C/c/K/k (Cartesian,
//            scaled like the cell)
//   N lines  three coordinates (anything after them, flags or a name, ignored)
// Whatever follows the positions (CONTCAR velocities, predictor-corrector
// data) is not read. Atoms get ids 1..N in file order; every cell direction is
// periodic; the origin is 0. D = 2 drops z (a flat file: c along z, z = 0).
// Content detection (io.hpp) recognizes the layout: a number (or three) on
// line 2 and three numbers on each of lines 3-5.
//
// Writing: VASP 5 with species names (VASP 4 when every name is a number,
// e.g. unnamed LAMMPS types), scale 1, Cartesian coordinates relative
// to the cell origin, atoms grouped by species in type order (file order
// within a species; POSCAR has no ids, so ids are not kept). A 2D system gets
// c = (0, 0, 1) and z = 0, which reads back as 2D.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/io/common.hpp"
#include "amorph/io/detail/input_file.hpp"
#include "amorph/io/detail/text.hpp"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace amorph::io {

struct poscar_read_options {
    /// Species names of the count groups when the file has none (VASP 4), or
    /// to rename them; empty: the file's names, else "1", "2", ...
    std::vector<std::string> species;
};

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_poscar(std::istream& in, const std::string& source, const poscar_read_options& opt = {}) {
    detail::line_reader r(in, source);
    std::vector<std::string_view> tok;
    auto line = [&](const char* field) {
        if (!r.next()) r.fail_eof(field, std::string("missing the ") + field + " line");
        detail::tokenize(r.text(), tok);
    };
    line("comment");
    line("scale");
    if (tok.size() != 1 && tok.size() != 3) r.fail("scale", "expected one scale factor or three, got " +
                                                               std::to_string(tok.size()) + " words");
    std::vector<double> scale;
    for (auto t : tok) scale.push_back(r.to_finite(t, "scale"));
    for (double s : scale)
        if (s == 0 || (tok.size() == 3 && s < 0)) r.fail("scale", "scale factors must be non-zero (and positive when three)");
    Eigen::Matrix3d h;  // columns: a, b, c
    for (int k = 0; k < 3; ++k) {
        line("lattice");
        if (tok.size() < 3) r.fail("lattice", "expected three numbers for cell vector " + std::to_string(k + 1));
        for (int c = 0; c < 3; ++c) h(c, k) = r.to_finite(tok[static_cast<std::size_t>(c)], "lattice");
    }
    // one factor per Cartesian axis, for the cell and Cartesian positions alike
    Eigen::Vector3d sc = Eigen::Vector3d::Constant(scale[0]);
    if (scale.size() == 3) {
        sc = Eigen::Vector3d(scale[0], scale[1], scale[2]);
    } else if (scale[0] < 0) {  // |s| is the volume
        const double v = std::abs(h.determinant());
        if (!(v > 0) || !std::isfinite(v)) r.fail("lattice", "the cell has no volume");
        sc.setConstant(std::cbrt(-scale[0] / v));
    }
    h = sc.asDiagonal() * h;
    if (!(std::abs(h.determinant()) > 0) || !std::isfinite(h.determinant())) r.fail("lattice", "the cell has no volume");

    // species names (VASP 5) or directly the counts (VASP 4)
    line("species");
    std::vector<std::string> names;
    if (!tok.empty() && !detail::parse_int<std::int64_t>(tok[0])) {
        for (auto t : tok) names.emplace_back(t);
        line("counts");
    }
    if (tok.empty()) r.fail("counts", "expected the number of atoms of each species");
    std::vector<std::int64_t> counts;
    std::int64_t n = 0;
    for (auto t : tok) {
        const auto c = r.to_count(t, "counts");
        if (c > (std::int64_t{1} << 40) || n > (std::int64_t{1} << 40)) r.fail("counts", "too many atoms");
        counts.push_back(c);
        n += c;
    }
    if (!names.empty() && names.size() != counts.size())
        r.fail("counts", std::to_string(names.size()) + " species names but " + std::to_string(counts.size()) + " counts");
    if (!opt.species.empty()) {
        if (opt.species.size() != counts.size())
            throw invalid_argument(source + ": " + std::to_string(opt.species.size()) + " species names given, the file has " +
                                   std::to_string(counts.size()) + " species");
        names = opt.species;
    }
    if (names.empty())
        for (std::size_t t = 0; t < counts.size(); ++t) names.push_back(std::to_string(t + 1));
    // a name may come back (ASE writes unsorted atoms as runs: "Cu Zr Cu"):
    // each group is the species of its name, in order of first appearance
    std::vector<std::string> unique;
    std::unordered_map<std::string, int> type_of;  // O(1) per group, whatever the line holds
    std::vector<int> group_type;
    for (const auto& nm : names) {
        if (nm.empty()) r.fail("species", "empty species name");
        const auto [it, added] = type_of.emplace(nm, static_cast<int>(unique.size()));
        if (added) unique.push_back(nm);
        group_type.push_back(it->second);
    }

    line("coordinates");
    if (!tok.empty() && (tok[0][0] == 'S' || tok[0][0] == 's')) line("coordinates");  // Selective dynamics
    if (tok.empty()) r.fail("coordinates", "expected Direct or Cartesian");
    const char mode = tok[0][0];
    const bool direct = mode == 'D' || mode == 'd';
    if (!direct && mode != 'C' && mode != 'c' && mode != 'K' && mode != 'k')
        r.fail("coordinates", "expected Direct or Cartesian, got " + detail::show(tok[0]));

    mat<D> hd = h.topLeftCorner<D, D>();
    amorph::system<D> sys(amorph::box<D>(hd), 0);
    sys.species = detail::make_species(unique);
    std::vector<double> xyz;
    xyz.reserve(detail::bounded_reserve(n) * D);
    std::vector<int> types;
    types.reserve(detail::bounded_reserve(n));
    for (std::size_t t = 0; t < counts.size(); ++t)
        for (std::int64_t i = 0; i < counts[t]; ++i) {
            if (!r.next()) r.fail_eof("positions", "expected " + std::to_string(n) + " atom lines");
            detail::tokenize(r.text(), tok);
            if (tok.size() < 3) r.fail("positions", "expected three coordinates, got " + std::to_string(tok.size()) + " words");
            Eigen::Vector3d p;
            for (int c = 0; c < 3; ++c) p(c) = r.to_finite(tok[static_cast<std::size_t>(c)], "positions");
            p = direct ? Eigen::Vector3d(h * p) : Eigen::Vector3d(sc.asDiagonal() * p);
            for (int c = 0; c < D; ++c) xyz.push_back(p(c));
            types.push_back(group_type[t]);
        }
    sys.resize(types.size());
    for (std::size_t i = 0; i < types.size(); ++i) {
        for (int c = 0; c < D; ++c) sys.positions(c, static_cast<Eigen::Index>(i)) = xyz[i * D + static_cast<std::size_t>(c)];
        sys.types[i] = types[i];
        sys.ids[i] = static_cast<std::int64_t>(i + 1);
    }
    return sys;
}

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_poscar(const std::filesystem::path& path, const poscar_read_options& opt = {}) {
    const auto in = detail::open_input(path);
    return read_poscar<D>(*in, path.string(), opt);
}

template <int D>
    requires supported_dimension<D>
void write_poscar(std::ostream& out, const amorph::system<D>& sys, const std::string& comment = "written by amorph") {
    sys.validate();
    for (const auto& sp : sys.species)
        if (sp.name.empty() || detail::tokenize(sp.name).size() != 1)
            throw invalid_argument("write_poscar: species name '" + sp.name + "' is not one word");
    std::string s;
    for (char c : comment) s += (c == '\n' || c == '\r') ? ' ' : c;
    s += "\n1.0\n";
    Eigen::Matrix3d h = Eigen::Matrix3d::Identity();
    h.topLeftCorner<D, D>() = sys.box.h();
    for (int k = 0; k < 3; ++k) {
        for (int c = 0; c < 3; ++c) {
            s += c ? " " : "  ";
            detail::put(s, h(c, k));
        }
        s += '\n';
    }
    const auto counts = sys.type_counts();
    // names that read as numbers would read back as the counts line: all
    // numbered species ("1", "2": unnamed LAMMPS types) give VASP 4 (no names)
    std::size_t numbered = 0, present = 0;
    for (std::size_t t = 0; t < sys.species.size(); ++t)
        if (counts[t]) {
            ++present;
            numbered += detail::parse_int<std::int64_t>(sys.species[t].name).has_value();
        }
    if (present == 0) throw unsupported("write_poscar: a POSCAR needs at least one atom");
    if (numbered && numbered != present)
        throw unsupported("write_poscar: species names that are numbers mixed with others; rename the species");
    if (!numbered) {
        for (std::size_t t = 0; t < sys.species.size(); ++t) {
            if (!counts[t]) continue;  // VASP has no empty species
            s += ' ';
            s += sys.species[t].name;
        }
        s += '\n';
    }
    for (std::size_t t = 0; t < sys.species.size(); ++t) {
        if (!counts[t]) continue;
        s += ' ';
        detail::put_int(s, counts[t]);
    }
    s += "\nCartesian\n";
    const vec<D> o = sys.box.origin();
    for (std::size_t t = 0; t < sys.species.size(); ++t)
        for (std::size_t i = 0; i < sys.size(); ++i) {
            if (static_cast<std::size_t>(sys.types[i]) != t) continue;
            const vec<D> x = sys.positions.col(static_cast<Eigen::Index>(i)) - o;
            for (int c = 0; c < 3; ++c) {
                s += c ? " " : "  ";
                detail::put(s, c < D ? x(c) : 0.0);
            }
            s += '\n';
            if (s.size() > (1u << 16)) {
                out << s;
                s.clear();
            }
        }
    out << s;
    if (!out) throw io_error("write_poscar: write failed");
}

template <int D>
    requires supported_dimension<D>
void write_poscar(const std::filesystem::path& path, const amorph::system<D>& sys) {
    std::ofstream out(path, std::ios::trunc);
    if (!out) throw io_error("cannot open " + path.string() + " for writing");
    write_poscar(out, sys);
    out.close();
    if (!out) throw io_error("cannot write " + path.string());
}

}  // namespace amorph::io
