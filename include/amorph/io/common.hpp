// amorph/io/common.hpp — types shared by the amorph file readers and writers.
//
//   file_format  which reader/writer to use (auto_detect: from content when
//                reading, from the file extension when writing);
//                format_named() maps the names the CLI's --format and the
//                Python module's format= take (auto, data, dump, extxyz, poscar)
//   atom_style   the LAMMPS data-file atom styles amorph reads and writes
//   frame<D>     one snapshot of a trajectory: the atoms plus the timestep and
//                any other per-frame key=value information of the file
//
// Conventions of every reader in amorph::io:
//   * a reader takes a std::istream plus a source name (used in messages) or a
//     path; malformed input throws amorph::parse_error(file, line, field, msg),
//     an unreadable file throws amorph::io_error;
//   * atom ids are preserved exactly; atoms are stored in file order;
//   * LAMMPS type t (1-based) is amorph type t-1; species names can be given
//     by the caller (`species`), else come from the file, else are "1", "2", ...
//   * D = 2 reads of files that carry z (LAMMPS always does) drop every z
//     quantity (z coordinate, zlo/zhi, xz/yz tilts, vz, fz, iz) — a non-zero z
//     coordinate is accepted and dropped, not rejected;
//   * counts from headers never size an allocation beyond what the file
//     actually contains (a header claiming 1e18 atoms fails on the missing
//     lines, it does not reserve memory).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace amorph::io {

enum class file_format { auto_detect, lammps_data, lammps_dump, extxyz, poscar };

/// LAMMPS atom styles understood by the data-file reader and writer.
///   atomic:    id type x y z
///   charge:    id type q x y z
///   molecular: id mol type x y z      (also "bond", "angle"; read only)
///   full:      id mol type q x y z    (read only)
/// Molecule ids are kept as the property "mol". auto_detect: from the
/// "Atoms # style" comment, else from the column count (5/8 atomic, 6/9
/// charge), when reading; charge if the system has charges, else atomic, when
/// writing.
enum class atom_style { auto_detect, atomic, charge, molecular, full };

inline const char* to_string(atom_style s) noexcept {
    switch (s) {
        case atom_style::atomic: return "atomic";
        case atom_style::charge: return "charge";
        case atom_style::molecular: return "molecular";
        case atom_style::full: return "full";
        default: return "auto";
    }
}

inline const char* to_string(file_format f) noexcept {
    switch (f) {
        case file_format::lammps_data: return "lammps-data";
        case file_format::lammps_dump: return "lammps-dump";
        case file_format::extxyz: return "extxyz";
        case file_format::poscar: return "poscar";
        default: return "auto";
    }
}

/// The format a user names: auto, data, dump, extxyz or poscar.
inline file_format format_named(const std::string& name) {
    if (name == "auto") return file_format::auto_detect;
    if (name == "data") return file_format::lammps_data;
    if (name == "dump") return file_format::lammps_dump;
    if (name == "extxyz") return file_format::extxyz;
    if (name == "poscar") return file_format::poscar;
    throw invalid_argument("unknown format '" + name + "' (auto, data, dump, extxyz, poscar)");
}

/// One snapshot of a trajectory file.
template <int D>
    requires supported_dimension<D>
struct frame {
    std::int64_t timestep = 0;  ///< LAMMPS timestep (dump) or Timestep=/step= key (extxyz); 0 if none
    amorph::system<D> system;
    /// Other per-frame information, in file order: extxyz comment-line keys
    /// other than Lattice/Properties/pbc/Origin, dump "ITEM: TIME"/"UNITS".
    std::vector<std::pair<std::string, std::string>> info;
};

namespace detail {

/// Throw invalid_argument unless caller-given species names are unique and non-empty.
inline void check_species_names(const std::vector<std::string>& names, const std::string& source) {
    std::vector<std::string> sorted = names;
    std::sort(sorted.begin(), sorted.end());
    if (!sorted.empty() && (sorted.front().empty() || std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()))
        throw invalid_argument(source + ": species names must be unique and non-empty");
}

/// A species list from names that the caller has checked to be unique and
/// non-empty, in O(n) (species_list::add checks uniqueness in O(n) per name,
/// which a file with 10^6 atom types would turn into a hang). Masses come
/// from the element table where a name is an element symbol.
inline species_list make_species(const std::vector<std::string>& names) {
    species_list s = species_list::numbered(names.size());
    for (std::size_t t = 0; t < names.size(); ++t) {
        s[t].name = names[t];
        s[t].mass = element_mass(names[t]).value_or(0.0);
    }
    return s;
}

}  // namespace detail
}  // namespace amorph::io
