// amorph/io/lammps_data.hpp — LAMMPS data files (read_data / write_data format).
//
// Reading (read_lammps_data<D>):
//   * line 1 is the title and is skipped; '#' starts a comment anywhere;
//   * header lines: "N atoms", "N atom types", "xlo xhi", "ylo yhi", "zlo zhi"
//     (default -0.5 0.5 as in LAMMPS), "xy xz yz", LAMMPS's general-triclinic
//     "ax ay az avec" / "bvec" / "cvec" / "ox oy oz abc origin", and the
//     headers LAMMPS accepts for other styles (bonds, angles, dihedrals,
//     impropers and their types, "extra ... per atom", ellipsoids/lines/
//     triangles/bodies = 0); any other header line is an error;
//   * sections in any order: Masses, Atoms, Velocities; the force-field and
//     topology sections (Pair Coeffs, PairIJ Coeffs, Bond Coeffs, ...,
//     Bonds, Angles, Dihedrals, Impropers) are skipped by their line count as
//     LAMMPS defines it (ntypes lines, ntypes(ntypes+1)/2 for PairIJ, the
//     header count for topology); any other section name is an error, as in
//     LAMMPS ("Unknown identifier in data file");
//   * Atoms: style from options, else from the "Atoms # style" comment, else
//     from the column count of the first line (5/8 atomic, 6/9 charge, 7/10
//     full); each line may carry three image flags (-> system::image);
//   * Velocities may come before or after Atoms (matched by id);
//   * species: names from options, else from Masses comments ("1 63.546 # Cu",
//     as OVITO and amorph write them) when every type has a one-word comment,
//     else "1".."n"; masses from Masses, else from the element table;
//   * errors: parse_error at the offending line, field = the column name
//     ("x", "id", "type", ...), the header keyword, or the section name;
//   * the box is periodic along every axis (a data file does not record it).
//   * D = 2: z columns, zlo/zhi, xz/yz, vz and iz are read, checked and dropped.
//
// Writing (write_lammps_data): atom style atomic or charge, Masses (when every
// species mass is known, with the species name as comment), Atoms with image
// flags, Velocities. Numbers are printed in the shortest form that reads back
// exactly. A general cell is written in LAMMPS's restricted form (see
// detail/lammps_cell.hpp): tilts beyond LAMMPS's limit are reduced
// (with_reduced_tilt, core/lammps_cell.hpp) and a rotated cell is rotated into place
// (box::to_lammps), positions and velocities with it. 2D systems are written
// with z = 0 and zlo zhi = -0.5 0.5, as LAMMPS expects for `dimension 2`.
// A valid system the format cannot hold (an origin so large that lo + length
// rounds to lo, a rotated coordinate that overflows) throws amorph::unsupported.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/io/common.hpp"
#include "amorph/io/detail/lammps_cell.hpp"
#include "amorph/io/detail/input_file.hpp"
#include "amorph/io/detail/text.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace amorph::io {

struct data_read_options {
    atom_style style = atom_style::auto_detect;
    /// Names for LAMMPS types 1..n (must match "atom types"); empty: from the
    /// Masses comments ("1 63.546 # Cu") when every type has one, else "1".."n".
    std::vector<std::string> species;
};

namespace detail {

/// More atom types than this is treated as a malformed header (bounds memory).
inline constexpr std::int64_t max_atom_types = 1000000;

inline std::optional<atom_style> atom_style_from_name(std::string_view s) {
    if (s == "atomic") return atom_style::atomic;
    if (s == "charge") return atom_style::charge;
    if (s == "molecular" || s == "bond" || s == "angle") return atom_style::molecular;
    if (s == "full") return atom_style::full;
    return std::nullopt;
}

struct atom_columns {
    int n;      ///< columns without image flags
    int mol;    ///< column of the molecule id, or -1
    int type;
    int q;      ///< column of the charge, or -1
    int x;      ///< first coordinate column
};

inline atom_columns columns_of(atom_style s) {
    switch (s) {
        case atom_style::charge: return {6, -1, 1, 2, 3};
        case atom_style::molecular: return {6, 1, 2, -1, 3};
        case atom_style::full: return {7, 1, 2, 3, 4};
        default: return {5, -1, 1, -1, 2};
    }
}

/// Which kind of count a skipped section has.
enum class skip_count { ntypes, pairij, nbondtypes, nangletypes, ndihedraltypes, nimpropertypes,
                        nbonds, nangles, ndihedrals, nimpropers };

inline std::optional<skip_count> skipped_section(std::string_view s) {
    if (s == "Pair Coeffs") return skip_count::ntypes;
    if (s == "PairIJ Coeffs") return skip_count::pairij;
    if (s == "Bond Coeffs") return skip_count::nbondtypes;
    if (s == "Angle Coeffs" || s == "BondBond Coeffs" || s == "BondAngle Coeffs" || s == "UreyBradley Coeffs")
        return skip_count::nangletypes;
    if (s == "Dihedral Coeffs" || s == "MiddleBondTorsion Coeffs" || s == "EndBondTorsion Coeffs" ||
        s == "AngleTorsion Coeffs" || s == "AngleAngleTorsion Coeffs" || s == "BondBond13 Coeffs")
        return skip_count::ndihedraltypes;
    if (s == "Improper Coeffs" || s == "AngleAngle Coeffs") return skip_count::nimpropertypes;
    if (s == "Bonds") return skip_count::nbonds;
    if (s == "Angles") return skip_count::nangles;
    if (s == "Dihedrals") return skip_count::ndihedrals;
    if (s == "Impropers") return skip_count::nimpropers;
    return std::nullopt;
}

inline bool is_data_section(std::string_view s) {
    return s == "Atoms" || s == "Velocities" || s == "Masses" || s == "Ellipsoids" || s == "Lines" ||
           s == "Triangles" || s == "Bodies" || skipped_section(s).has_value();
}

}  // namespace detail

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_lammps_data(std::istream& in, const std::string& source,
                                   const data_read_options& opt = {}) {
    using namespace detail;
    line_reader r(in, source);
    if (!r.next()) throw parse_error(source, 1, "", "empty file (a LAMMPS data file starts with a title line)");

    // ---- header -------------------------------------------------------------
    std::int64_t natoms = 0, ntypes = 0;
    std::array<std::int64_t, 4> ntopo{0, 0, 0, 0};       // bonds angles dihedrals impropers
    std::array<std::int64_t, 4> ntopo_types{0, 0, 0, 0};
    lammps_box lb;
    bool have_general = false;
    std::array<bool, 4> have_vec{false, false, false, false};
    std::array<vec<3>, 3> abc{vec<3>::Zero(), vec<3>::Zero(), vec<3>::Zero()};
    vec<3> abc_origin = vec<3>::Zero();
    bool have_xlo = false, have_ylo = false, have_zlo = false, have_tilt = false;
    std::size_t box_line = 0, x_line = 0, y_line = 0, z_line = 0;
    std::vector<std::string_view> tok;
    std::string keyword;

    auto join = [&](std::size_t from) {
        std::string s;
        for (std::size_t i = from; i < tok.size(); ++i) {
            if (!s.empty()) s += ' ';
            s.append(tok[i]);
        }
        return s;
    };

    bool in_header = true;
    while (in_header && r.next()) {
        const auto data = trim(split_comment(r.text()).first);
        if (data.empty()) continue;
        if (is_data_section(data)) {
            r.push_back();
            break;
        }
        tokenize(data, tok);
        const std::size_t n = tok.size();
        auto set_once = [&](bool& flag, const std::string& kw) {
            if (flag) r.fail(kw, "header keyword given twice");
            flag = true;
        };
        if (n == 2 && tok[1] == "atoms") {
            natoms = r.to_count(tok[0], "atoms");
        } else if (n == 3 && tok[1] == "atom" && tok[2] == "types") {
            ntypes = r.to_count(tok[0], "atom types");
            if (ntypes > max_atom_types)
                r.fail("atom types", "more than " + std::to_string(max_atom_types) + " atom types");
        } else if (n == 2 && (tok[1] == "bonds" || tok[1] == "angles" || tok[1] == "dihedrals" ||
                              tok[1] == "impropers")) {
            const std::size_t k = tok[1] == "bonds" ? 0 : tok[1] == "angles" ? 1 : tok[1] == "dihedrals" ? 2 : 3;
            ntopo[k] = r.to_count(tok[0], std::string(tok[1]));
        } else if (n == 3 && tok[2] == "types" &&
                   (tok[1] == "bond" || tok[1] == "angle" || tok[1] == "dihedral" || tok[1] == "improper")) {
            const std::size_t k = tok[1] == "bond" ? 0 : tok[1] == "angle" ? 1 : tok[1] == "dihedral" ? 2 : 3;
            ntopo_types[k] = r.to_count(tok[0], join(1));
        } else if (n == 2 && (tok[1] == "ellipsoids" || tok[1] == "lines" || tok[1] == "triangles" ||
                              tok[1] == "bodies")) {
            if (r.to_count(tok[0], std::string(tok[1])) != 0)
                throw parse_error(source, r.line(), std::string(tok[1]),
                                  "atom styles with " + std::string(tok[1]) + " are not supported");
        } else if (n == 5 && tok[1] == "extra" && tok[3] == "per" && tok[4] == "atom") {
            r.to_count(tok[0], join(1));
        } else if (n == 4 && tok[2] == "xlo" && tok[3] == "xhi") {
            set_once(have_xlo, "xlo xhi");
            lb.xlo = r.to_finite(tok[0], "xlo");
            lb.xhi = r.to_finite(tok[1], "xhi");
            box_line = x_line = r.line();
        } else if (n == 4 && tok[2] == "ylo" && tok[3] == "yhi") {
            set_once(have_ylo, "ylo yhi");
            lb.ylo = r.to_finite(tok[0], "ylo");
            lb.yhi = r.to_finite(tok[1], "yhi");
            box_line = y_line = r.line();
        } else if (n == 4 && tok[2] == "zlo" && tok[3] == "zhi") {
            set_once(have_zlo, "zlo zhi");
            lb.zlo = r.to_finite(tok[0], "zlo");
            lb.zhi = r.to_finite(tok[1], "zhi");
            box_line = z_line = r.line();
        } else if (n == 6 && tok[3] == "xy" && tok[4] == "xz" && tok[5] == "yz") {
            set_once(have_tilt, "xy xz yz");
            lb.xy = r.to_finite(tok[0], "xy");
            lb.xz = r.to_finite(tok[1], "xz");
            lb.yz = r.to_finite(tok[2], "yz");
            box_line = r.line();
        } else if (n == 4 && (tok[3] == "avec" || tok[3] == "bvec" || tok[3] == "cvec")) {
            const std::size_t k = tok[3] == "avec" ? 0 : tok[3] == "bvec" ? 1 : 2;
            set_once(have_vec[k], std::string(tok[3]));
            for (int i = 0; i < 3; ++i)
                abc[k](i) = r.to_finite(tok[static_cast<std::size_t>(i)], std::string(tok[3]));
            have_general = true;
            box_line = r.line();
        } else if (n == 5 && tok[3] == "abc" && tok[4] == "origin") {
            set_once(have_vec[3], "abc origin");
            for (int i = 0; i < 3; ++i)
                abc_origin(i) = r.to_finite(tok[static_cast<std::size_t>(i)], "abc origin");
            have_general = true;
            box_line = r.line();
        } else {
            // A line that is neither a header keyword nor a known section.
            if (!tok.empty() && parse_double(tok[0]))
                r.fail("header", "unknown header keyword " + show(join(1)));
            r.fail("section", "unknown section " + show(data));
        }
    }
    if (ntopo[0] + ntopo[1] + ntopo[2] + ntopo[3] > 0 && opt.style != atom_style::auto_detect &&
        opt.style != atom_style::molecular && opt.style != atom_style::full)
        r.fail("bonds", "topology (bonds, angles, ...) needs a molecular atom style");

    // ---- box -----------------------------------------------------------------
    amorph::box<D> bx;
    {
        if (have_general) {
            if (have_xlo || have_ylo || have_zlo || have_tilt)
                throw parse_error(source, box_line, "avec", "general triclinic vectors mixed with xlo xhi bounds");
            if (!have_vec[0] || !have_vec[1] || !have_vec[2])
                throw parse_error(source, box_line, "avec", "general triclinic box needs avec, bvec and cvec");
            try {
                if constexpr (D == 2) {
                    mat<2> h;
                    h << abc[0](0), abc[1](0), abc[0](1), abc[1](1);
                    bx = amorph::box<2>(h, vec<2>(abc_origin(0), abc_origin(1)));
                } else {
                    mat<3> h;
                    h.col(0) = abc[0];
                    h.col(1) = abc[1];
                    h.col(2) = abc[2];
                    bx = amorph::box<3>(h, abc_origin);
                }
            } catch (const invalid_argument& e) {
                throw parse_error(source, box_line, "avec", std::string("invalid box: ") + e.what());
            }
        } else {
            if (!have_xlo) lb.xlo = -0.5, lb.xhi = 0.5;
            if (!have_ylo) lb.ylo = -0.5, lb.yhi = 0.5;
            auto check = [&](double lo, double hi, std::size_t line, const char* kw) {
                if (!(hi > lo))
                    throw parse_error(source, line, kw, "hi must be greater than lo (zero or negative box length)");
            };
            check(lb.xlo, lb.xhi, x_line, "xlo xhi");
            check(lb.ylo, lb.yhi, y_line, "ylo yhi");
            check(lb.zlo, lb.zhi, z_line, "zlo zhi");
            bx = box_from_lammps<D>(lb, {true, true, true}, source, box_line, "box");
        }
    }

    // ---- sections ----------------------------------------------------------------
    std::vector<std::int64_t> ids;
    std::vector<int> types;
    std::vector<double> xyz, charges, mols;
    std::vector<int> images;
    bool any_image = false;
    ids.reserve(bounded_reserve(natoms));
    std::unordered_map<std::int64_t, std::size_t> index_of;
    struct vel_entry {
        std::int64_t id;
        std::array<double, 3> v;
        std::size_t line;
    };
    std::vector<vel_entry> vels;
    // Masses by type index; filled from the file only (never sized by the header).
    std::unordered_map<std::size_t, std::pair<double, std::string>> masses;
    bool have_atoms = false, have_vels = false, have_masses = false;
    atom_style style = opt.style;

    auto count_of = [&](skip_count c) -> std::int64_t {
        switch (c) {
            case skip_count::ntypes: return ntypes;
            case skip_count::pairij: return ntypes * (ntypes + 1) / 2;
            case skip_count::nbondtypes: return ntopo_types[0];
            case skip_count::nangletypes: return ntopo_types[1];
            case skip_count::ndihedraltypes: return ntopo_types[2];
            case skip_count::nimpropertypes: return ntopo_types[3];
            case skip_count::nbonds: return ntopo[0];
            case skip_count::nangles: return ntopo[1];
            case skip_count::ndihedrals: return ntopo[2];
            case skip_count::nimpropers: return ntopo[3];
        }
        return 0;
    };

    // Read the next content line of a section of `count` lines named `name`.
    auto section_line = [&](const std::string& name, std::int64_t count, std::int64_t done) {
        if (!r.next_content())
            r.fail_eof(name, "expected " + std::to_string(count) + " lines in section " + name + ", found " +
                                 std::to_string(done));
        const auto data = trim(split_comment(r.text()).first);
        if (is_data_section(data))
            r.fail(name, "expected " + std::to_string(count) + " lines in section " + name + ", found " +
                             std::to_string(done) + " before section " + show(data));
        tokenize(data, tok);
    };

    while (r.next_content()) {
        const auto [data_part, comment] = split_comment(r.text());
        const std::string name(trim(data_part));
        if (!is_data_section(name)) {
            tokenize(name, tok);
            if (!tok.empty() && parse_double(tok[0]))
                r.fail("section", "more lines than the section's count, or a missing section keyword, at " +
                                      show(name));
            r.fail("section", "unknown section " + show(name));
        }
        auto once = [&](bool& flag) {
            if (flag) r.fail(name, "section given twice");
            flag = true;
        };
        if (name == "Atoms") {
            once(have_atoms);
            if (style == atom_style::auto_detect) {
                const auto c = trim(comment);
                if (!c.empty()) {
                    tokenize(c, tok);
                    if (!tok.empty()) {
                        auto s = atom_style_from_name(tok[0]);
                        if (!s) r.fail("Atoms", "unsupported atom style " + show(tok[0]) +
                                                    " (amorph reads atomic, charge, molecular, full)");
                        style = *s;
                    }
                }
            }
            for (std::int64_t i = 0; i < natoms; ++i) {
                section_line("Atoms", natoms, i);
                const int n = static_cast<int>(tok.size());
                if (style == atom_style::auto_detect) {
                    if (n == 5 || n == 8) style = atom_style::atomic;
                    else if (n == 6 || n == 9) style = atom_style::charge;
                    else if (n == 7 || n == 10) style = atom_style::full;
                    else r.fail("Atoms", "cannot infer the atom style from " + std::to_string(n) + " columns");
                }
                const atom_columns c = columns_of(style);
                if (n != c.n && n != c.n + 3)
                    r.fail("Atoms", "expected " + std::to_string(c.n) + " or " + std::to_string(c.n + 3) +
                                        " columns for atom style " + to_string(style) + ", got " +
                                        std::to_string(n));
                auto T = [&](int k) { return tok[static_cast<std::size_t>(k)]; };
                const auto id = r.to_int<std::int64_t>(T(0), "id");
                if (id <= 0) r.fail("id", "atom id must be positive, got " + show(T(0)));
                const auto type = r.to_int<std::int64_t>(T(c.type), "type");
                if (type < 1 || type > ntypes)
                    r.fail("type", "atom type " + show(T(c.type)) + " out of range 1.." + std::to_string(ntypes));
                double p[3];
                static const char* const cn[3] = {"x", "y", "z"};
                for (int k = 0; k < 3; ++k) p[k] = r.to_finite(T(c.x + k), cn[k]);
                double q = 0.0, mol = 0.0;
                if (c.q >= 0) q = r.to_finite(T(c.q), "q");
                if (c.mol >= 0) mol = static_cast<double>(r.to_int<std::int64_t>(T(c.mol), "mol"));
                int img[3] = {0, 0, 0};
                if (n == c.n + 3) {
                    static const char* const in_[3] = {"ix", "iy", "iz"};
                    for (int k = 0; k < 3; ++k) img[k] = r.to_int<int>(T(c.n + k), in_[k]);
                    any_image = true;
                }
                const auto [it, fresh] = index_of.emplace(id, ids.size());
                if (!fresh) r.fail("id", "duplicate atom id " + std::to_string(id));
                (void)it;
                ids.push_back(id);
                types.push_back(static_cast<int>(type - 1));
                for (int k = 0; k < D; ++k) xyz.push_back(p[k]);
                for (int k = 0; k < D; ++k) images.push_back(img[k]);
                if (c.q >= 0) charges.push_back(q);
                if (c.mol >= 0) mols.push_back(mol);
            }
        } else if (name == "Velocities") {
            once(have_vels);
            vels.reserve(bounded_reserve(natoms));
            for (std::int64_t i = 0; i < natoms; ++i) {
                section_line("Velocities", natoms, i);
                if (tok.size() != 4)
                    r.fail("Velocities", "expected 4 columns (id vx vy vz), got " + std::to_string(tok.size()));
                vel_entry e;
                e.id = r.to_int<std::int64_t>(tok[0], "id");
                e.v = {r.to_finite(tok[1], "vx"), r.to_finite(tok[2], "vy"), r.to_finite(tok[3], "vz")};
                e.line = r.line();
                vels.push_back(e);
            }
        } else if (name == "Masses") {
            once(have_masses);
            for (std::int64_t i = 0; i < ntypes; ++i) {
                section_line("Masses", ntypes, i);
                if (tok.size() != 2)
                    r.fail("Masses", "expected 2 columns (type mass), got " + std::to_string(tok.size()));
                const auto t = r.to_int<std::int64_t>(tok[0], "type");
                if (t < 1 || t > ntypes)
                    r.fail("type", "atom type " + show(tok[0]) + " out of range 1.." + std::to_string(ntypes));
                const double m = r.to_finite(tok[1], "mass");
                if (!(m > 0.0)) r.fail("mass", "mass must be positive, got " + show(tok[1]));
                const auto cm = tokenize(split_comment(r.text()).second);
                masses[static_cast<std::size_t>(t - 1)] = {m, cm.size() == 1 ? std::string(cm[0]) : std::string()};
            }
        } else if (auto sk = skipped_section(name)) {
            const std::int64_t count = count_of(*sk);
            if (count == 0) r.fail(name, "section " + name + " present but its header count is 0");
            for (std::int64_t i = 0; i < count; ++i) section_line(name, count, i);
        } else {
            r.fail(name, "section " + show(name) + " needs an atom style amorph does not read");
        }
    }
    if (natoms > 0 && !have_atoms) r.fail_eof("Atoms", "no Atoms section for " + std::to_string(natoms) + " atoms");

    // ---- assemble -----------------------------------------------------------------
    const std::size_t N = ids.size();
    const auto NI = static_cast<Eigen::Index>(N);
    amorph::system<D> sys;
    sys.box = bx;
    sys.positions = Eigen::Map<const coords<D>>(xyz.data(), D, NI);
    sys.ids = std::move(ids);
    sys.types = std::move(types);
    if (any_image) sys.image = Eigen::Map<const icoords<D>>(images.data(), D, NI);
    if (!charges.empty()) sys.charges = std::move(charges);
    if (!mols.empty()) sys.properties.push_back({"mol", std::move(mols)});
    if (have_vels) {
        sys.velocities = coords<D>::Zero(D, NI);
        std::vector<char> seen(N, 0);
        for (const auto& e : vels) {
            const auto it = index_of.find(e.id);
            if (it == index_of.end())
                throw parse_error(source, e.line, "id", "velocity for unknown atom id " + std::to_string(e.id));
            if (seen[it->second]) throw parse_error(source, e.line, "id", "duplicate velocity for atom id " +
                                                                              std::to_string(e.id));
            seen[it->second] = 1;
            for (int k = 0; k < D; ++k) sys.velocities(k, static_cast<Eigen::Index>(it->second)) = e.v[static_cast<std::size_t>(k)];
        }
    }
    // species
    std::vector<std::string> names = opt.species;
    if (!names.empty() && static_cast<std::int64_t>(names.size()) != ntypes)
        throw invalid_argument(source + ": " + std::to_string(names.size()) + " species names given for " +
                               std::to_string(ntypes) + " atom types");
    if (names.empty() && ntypes > 0 && static_cast<std::int64_t>(masses.size()) == ntypes) {
        std::vector<std::string> mass_names(static_cast<std::size_t>(ntypes));
        bool all = true;
        for (const auto& [t, e] : masses) {
            mass_names[t] = e.second;
            all = all && !e.second.empty();
        }
        if (all) {
            auto sorted = mass_names;
            std::sort(sorted.begin(), sorted.end());
            if (std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()) names = mass_names;
        }
    }
    if (names.empty()) {
        sys.species = species_list::numbered(static_cast<std::size_t>(ntypes));
    } else {
        check_species_names(opt.species, source);
        sys.species = make_species(names);
    }
    for (const auto& [t, e] : masses) sys.species[t].mass = e.first;
    return sys;
}

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_lammps_data(const std::filesystem::path& path, const data_read_options& opt = {}) {
    const auto in = detail::open_input(path);
    return read_lammps_data<D>(*in, path.string(), opt);
}

struct data_write_options {
    atom_style style = atom_style::auto_detect;  ///< atomic or charge (auto: charge iff charges)
    bool velocities = true;  ///< write a Velocities section when the system has velocities
    bool image = true;       ///< write image flags when the system has them
    bool masses = true;      ///< write Masses when every species mass is known
    std::string title;       ///< first line (default: "LAMMPS data file written by amorph")
};

template <int D>
    requires supported_dimension<D>
void write_lammps_data(std::ostream& out, const amorph::system<D>& sys, const data_write_options& opt = {}) {
    using detail::put;
    using detail::put_int;
    sys.validate();
    atom_style style = opt.style;
    if (style == atom_style::auto_detect) style = sys.has_charges() ? atom_style::charge : atom_style::atomic;
    if (style != atom_style::atomic && style != atom_style::charge)
        throw invalid_argument("write_lammps_data: amorph writes atom styles atomic and charge only");
    const auto cell = detail::lammps_cell_of(sys.box, true);
    const auto& L = cell.bounds;
    detail::check_writable(L, false);
    std::string s;
    std::string title = opt.title.empty() ? "LAMMPS data file written by amorph" : opt.title;
    for (char& c : title)
        if (c == '\n' || c == '\r') c = ' ';
    s += title;
    s += "\n\n";
    put_int(s, sys.size());
    s += " atoms\n";
    put_int(s, sys.species.size());
    s += " atom types\n\n";
    auto pair = [&](double a, double b, const char* kw) {
        put(s, a);
        s += ' ';
        put(s, b);
        s += kw;
    };
    pair(L.xlo, L.xhi, " xlo xhi\n");
    pair(L.ylo, L.yhi, " ylo yhi\n");
    pair(L.zlo, L.zhi, " zlo zhi\n");
    if (L.triclinic()) {
        put(s, L.xy);
        s += ' ';
        put(s, L.xz);
        s += ' ';
        put(s, L.yz);
        s += " xy xz yz\n";
    }
    out << s;
    s.clear();
    if (opt.masses && sys.species.all_masses_known()) {
        s += "\nMasses\n\n";
        for (std::size_t t = 0; t < sys.species.size(); ++t) {
            put_int(s, t + 1);
            s += ' ';
            put(s, sys.species[t].mass);
            const auto& nm = sys.species[t].name;
            if (detail::tokenize(nm).size() == 1 && nm.find('#') == std::string::npos) {
                s += " # ";
                s += nm;
            }
            s += '\n';
        }
    }
    s += "\nAtoms # ";
    s += to_string(style);
    s += "\n\n";
    const bool img = opt.image && sys.has_image();
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const auto I = static_cast<Eigen::Index>(i);
        put_int(s, sys.ids[i]);
        s += ' ';
        put_int(s, sys.types[i] + 1);
        if (style == atom_style::charge) {
            s += ' ';
            put(s, sys.has_charges() ? sys.charges[i] : 0.0);
        }
        const vec<D> x = cell.position(sys.positions.col(I));
        for (int k = 0; k < 3; ++k) {
            s += ' ';
            put(s, k < D ? detail::writable(x(k), "coordinate") : 0.0);
        }
        if (img) {
            const ivec<D> n = cell.image(sys.image.col(I));
            for (int k = 0; k < 3; ++k) {
                s += ' ';
                put_int(s, k < D ? n(k) : 0);
            }
        }
        s += '\n';
        if (s.size() > (1u << 16)) {
            out << s;
            s.clear();
        }
    }
    if (opt.velocities && sys.has_velocities()) {
        s += "\nVelocities\n\n";
        for (std::size_t i = 0; i < sys.size(); ++i) {
            put_int(s, sys.ids[i]);
            const vec<D> v = cell.vector(sys.velocities.col(static_cast<Eigen::Index>(i)));
            for (int k = 0; k < 3; ++k) {
                s += ' ';
                put(s, k < D ? detail::writable(v(k), "velocity") : 0.0);
            }
            s += '\n';
            if (s.size() > (1u << 16)) {
                out << s;
                s.clear();
            }
        }
    }
    out << s;
    if (!out) throw io_error("write_lammps_data: write failed");
}

template <int D>
    requires supported_dimension<D>
void write_lammps_data(const std::filesystem::path& path, const amorph::system<D>& sys,
                       const data_write_options& opt = {}) {
    std::ofstream out(path);
    if (!out) throw io_error("cannot open " + path.string() + " for writing");
    write_lammps_data(out, sys, opt);
    out.close();
    if (!out) throw io_error("write failed: " + path.string());
}

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_LAMMPS_DATA_TEMPLATES(P, D)                                                                          \
    P template amorph::system<D> read_lammps_data<D>(std::istream&, const std::string&, const data_read_options&); \
    P template amorph::system<D> read_lammps_data<D>(const std::filesystem::path&, const data_read_options&);      \
    P template void write_lammps_data<D>(std::ostream&, const amorph::system<D>&, const data_write_options&);      \
    P template void write_lammps_data<D>(const std::filesystem::path&, const amorph::system<D>&, const data_write_options&);
AMORPH_EXTERN_TEMPLATES(AMORPH_LAMMPS_DATA_TEMPLATES)

}  // namespace amorph::io
