// apps/amorph/common.hpp — options and helpers shared by every amorph subcommand.
//
// Conventions (every subcommand follows them; later subcommands reuse these helpers):
//   FILE            input: LAMMPS data, LAMMPS dump, extxyz or VASP POSCAR, detected from
//                   content, gzip-compressed or not
//   --format F      override detection: data | dump | extxyz | poscar
//   --frame N       trajectory frame, 0-based, negative from the end (default -1 = last)
//   --frames A:B[:S] a frame range (Python slice) where a command averages or
//                   accumulates over frames (rdf, d2min --cumulative, ...)
//   --species A,B   names for LAMMPS types 1, 2, ... (masses from the element table)
//   --cell L,L[,L]  a periodic cell for files without one (plain xyz): edge lengths,
//                   or the cell vectors a,b[,c] (4 or 9 numbers); replaces the file's
//   --dim 2|3|auto  dimension (auto: from the file, see amorph::io::detect_dimension)
//   --units U       metal | real | lj, for derived quantities (default metal)
//   -o FILE         per-atom output: extxyz (.xyz/.extxyz), dump (.dump/.lammpstrj),
//                   data (.data/.lmp) by extension
//   --csv FILE      scalars/curves also as CSV
//   --threads N     oneTBB worker threads (default: all cores)   } every subcommand,
//   --quiet         no progress bar / informational lines        } via add_command (app.hpp)
//   potential       --pair-style/--pair-coeff/--pair-modify/--kspace, --potential FILE,
//                   --preset NAME (see potential_spec.hpp)
// Errors: every amorph::error and CLI11 parse error becomes one line
// "amorph: error: ..." on stderr and exit status 1 (2 for usage errors); see app.cpp.
#pragma once

#include "potential_spec.hpp"

#include <amorph/core/system.hpp>
#include <amorph/core/units.hpp>
#include <amorph/io/common.hpp>

#include <CLI/App.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace amorph::cli {

struct input_options {
    std::string file;
    std::string format = "auto";        ///< auto | data | dump | extxyz
    std::int64_t frame = -1;
    std::vector<std::string> species;
    std::string dim = "auto";           ///< auto | 2 | 3
    std::vector<std::pair<std::string, double>> charges;  ///< --charge NAME=Q,...: per-species charges
    std::string frames;                 ///< --frames A:B[:S] (commands that take a frame range)
    std::vector<double> cell;           ///< --cell: LX,LY[,LZ] or the vectors a,b[,c] (2 or 3, 4 or 9 numbers)
};

struct output_options {
    std::string output;                 ///< -o FILE (empty: none)
    std::string output_format = "auto"; ///< auto (by extension) | data | dump | extxyz
};

/// Number checks for options, with a one-line message ("--bins: must be a
/// positive number, got '0'"); CLI::PositiveNumber would print its range as a
/// 300-digit number.
extern const CLI::Validator positive;      ///< a finite number > 0
extern const CLI::Validator non_negative;  ///< a finite number >= 0

/// Register FILE (positional, required) and --format/--frame/--species/--dim/--charge.
void add_input_options(CLI::App& cmd, input_options& in, const std::string& file_name = "FILE",
                       const std::string& file_help = "input file (LAMMPS data, LAMMPS dump, extxyz or POSCAR; .gz too)");
/// Register --frames A:B[:S]: a Python slice of trajectory frames (io::frame_range).
void add_frames_option(CLI::App& cmd, input_options& in, const std::string& what = "average over these frames");
/// Register -o/--output FILE and --output-format.
void add_output_options(CLI::App& cmd, output_options& out, bool required = false);
/// Register --csv FILE.
void add_csv_option(CLI::App& cmd, std::string& csv);
/// Register --units metal|real|lj.
void add_units_option(CLI::App& cmd, std::string& units);
/// Register --pair-style, --pair-coeff, --pair-modify, --kspace, --potential, --preset.
void add_potential_options(CLI::App& cmd, potential_options& pot);

/// The input's format: --format, else detected from the content.
io::file_format input_format(const input_options& in);

/// The dimension to use: --dim, else detected from the file.
int resolve_dimension(const input_options& in);

/// The output format of a path: --output-format, else by extension.
io::file_format output_format_for(const std::string& path, const std::string& override_name = "auto");

// Reading and writing live in input.cpp, the one translation unit that
// includes amorph/io/io.hpp (explicitly instantiated for D = 2 and 3), so the
// subcommands compile quickly.

/// Read the input file (--format, --frame, --species) as a system<D>.
template <int D>
amorph::system<D> load_system(const input_options& in);

/// Call f(frame_index, system) on each frame of --frames (or on the one
/// --frame when --frames is not given), streamed one frame at a time, with
/// --species / --charge applied as load_system does. Returns the frame count.
template <int D>
std::size_t for_each_input_frame(const input_options& in,
                                 const std::function<void(std::int64_t, amorph::system<D>&)>& f);

/// Write a system in `format` (an io::file_format; auto_detect: by extension).
template <int D>
void save_system(const std::string& path, const amorph::system<D>& sys, io::file_format format);

/// Type index of a species given by name or by LAMMPS type number (1-based);
/// invalid_argument naming the file's species otherwise.
template <int D>
int species_index(const amorph::system<D>& sys, const std::string& name);

/// A direction from "x", "-y", "z" or comma-separated components
/// ("1,1,0"); `what` names the option in errors.
template <int D>
vec<D> parse_direction(const std::string& s, const char* what);
extern template vec<2> parse_direction<2>(const std::string&, const char*);
extern template vec<3> parse_direction<3>(const std::string&, const char*);

extern template int species_index<2>(const amorph::system<2>&, const std::string&);
extern template int species_index<3>(const amorph::system<3>&, const std::string&);
extern template amorph::system<2> load_system<2>(const input_options&);
extern template amorph::system<3> load_system<3>(const input_options&);
extern template std::size_t for_each_input_frame<2>(const input_options&,
                                                    const std::function<void(std::int64_t, amorph::system<2>&)>&);
extern template std::size_t for_each_input_frame<3>(const input_options&,
                                                    const std::function<void(std::int64_t, amorph::system<3>&)>&);
extern template void save_system<2>(const std::string&, const amorph::system<2>&, io::file_format);
extern template void save_system<3>(const std::string&, const amorph::system<3>&, io::file_format);

/// Call f(std::integral_constant<int, D>{}) with D = dim (2 or 3).
template <class F>
decltype(auto) with_dimension(int dim, F&& f) {
    if (dim == 2) return f(std::integral_constant<int, 2>{});
    if (dim == 3) return f(std::integral_constant<int, 3>{});
    throw invalid_argument("dimension must be 2 or 3, got " + std::to_string(dim));
}

}  // namespace amorph::cli
