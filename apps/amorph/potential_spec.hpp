// apps/amorph/potential_spec.hpp — potentials given the way LAMMPS users write them.
//
// A potential reaches the CLI in one of three ways, all ending in the same
// plain `potential_spec`:
//
//   --pair-style STYLE ARGS... [--pair-coeff I J ARGS...]... [--pair-modify KEY VALUE...]...
//       [--kspace STYLE ARGS...]
//   --potential FILE     a file of LAMMPS lines: pair_style, pair_coeff, pair_modify,
//                        kspace_style, kspace_modify; `#` comments, `&` line continuation,
//                        '...' / "..." quoting, blank lines
//   --preset NAME        a named, built-in set of such lines (see `presets()`)
//
// --pair-coeff, --pair-modify and --kspace may be added to a file or a preset
// (they are appended after its lines, as if written at its end).
//
// Parsing checks the syntax only: every command known, pair_style given once and
// first, pair_coeff type ranges in LAMMPS form (N, *, N*, *M, N*M with N, M >= 1),
// pair_modify as keyword/value words, kspace_style given at most once. Whether the
// style exists and its coefficients make sense is for the potential layer. Errors
// in a file throw amorph::parse_error naming FILE:LINE and the command; errors in
// command-line options throw amorph::invalid_argument naming the option.
#pragma once

#include <amorph/potential/presets.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace amorph::cli {

/// The words of one LAMMPS command (without the command name) and where they came from.
struct potential_line {
    std::vector<std::string> args;
    std::string source;    ///< file name, "preset NAME" or the command-line option
    std::size_t line = 0;  ///< 1-based line in `source`; 0 for a command-line option

    friend bool operator==(const potential_line&, const potential_line&) = default;
};

struct potential_spec {
    std::string style;                    ///< pair_style name ("lj/cut", "eam/fs", ...); empty: none
    std::vector<std::string> style_args;  ///< words after the style name
    potential_line style_line;            ///< where pair_style was given
    std::vector<potential_line> coeffs;   ///< pair_coeff lines, in order
    std::vector<potential_line> modify;   ///< pair_modify lines, in order
    std::string kspace_style;             ///< kspace_style name ("pppm", "ewald", ...); empty: none
    std::vector<std::string> kspace_args;
    std::vector<potential_line> kspace_modify;
    std::string preset;                   ///< the preset's name when one was used
    std::string units;                    ///< "metal"/"real"/"lj" when known (presets), else empty

    bool empty() const noexcept { return style.empty(); }

    /// The spec as LAMMPS input lines (pair_style, pair_coeff..., pair_modify...,
    /// kspace_style, kspace_modify...), one command per line.
    std::string to_lammps() const;

    /// Equal as LAMMPS would see it (sources and line numbers ignored).
    bool same_commands(const potential_spec& other) const;
};

/// A named potential built into amorph: the library's models
/// (potential/presets.hpp; name, units, description, LAMMPS lines).
using potential_preset = potential::presets::model;

/// Every preset, in a fixed order.
const std::vector<potential_preset>& presets();

/// Split one LAMMPS input line into words: whitespace separated, `#` starts a
/// comment outside quotes, '...' and "..." group words. Throws parse_error on an
/// unterminated quote.
std::vector<std::string> split_lammps_words(std::string_view line, const std::string& source = "",
                                            std::size_t line_no = 0);

/// Parse LAMMPS potential lines (the contents of a --potential file); `source`
/// names the file in error messages.
potential_spec parse_potential_text(std::string_view text, const std::string& source);

/// Read and parse a --potential file (io_error when it cannot be read).
potential_spec parse_potential_file(const std::string& path);

/// The spec of a named preset (invalid_argument listing the names when unknown).
potential_spec preset_potential(std::string_view name);

/// The raw potential options of a command line.
struct potential_options {
    std::vector<std::string> pair_style;               ///< --pair-style STYLE ARGS...
    std::vector<std::vector<std::string>> pair_coeff;  ///< each --pair-coeff I J ARGS...
    std::vector<std::vector<std::string>> pair_modify; ///< each --pair-modify KEY VALUE...
    std::vector<std::string> kspace;                   ///< --kspace STYLE ARGS...
    std::string file;                                  ///< --potential FILE
    std::string preset;                                ///< --preset NAME

    bool given() const noexcept {
        return !pair_style.empty() || !pair_coeff.empty() || !pair_modify.empty() ||
               !kspace.empty() || !file.empty() || !preset.empty();
    }
};

/// Combine the options into one spec (empty spec when none was given).
potential_spec resolve_potential(const potential_options& opts);

/// A --preset must fit the system it is applied to: its dimension and species
/// (potential::presets::check_fits); other specs are not checked.
template <class System>
void check_preset_fits(const potential_spec& spec, const System& sys) {
    if (spec.preset.empty()) return;
    std::vector<std::string> names;
    for (const auto& s : sys.species) names.push_back(s.name);
    potential::presets::check_fits(potential::presets::find_model(spec.preset), System::dim, names);
}

}  // namespace amorph::cli
