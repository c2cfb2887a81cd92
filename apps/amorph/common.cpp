// apps/amorph/common.cpp — option registration shared by the subcommands (see common.hpp).
#include "common.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

namespace amorph::cli {

namespace {
/// The comma-separated items of one option word, empty items kept ("a,,b" has three).
std::vector<std::string> comma_items(const std::string& list) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        const auto comma = list.find(',', start);
        items.push_back(list.substr(start, comma - start));
        if (comma == std::string::npos) return items;
        start = comma + 1;
    }
}

/// The whole word as a finite number (strtod syntax); false otherwise.
bool parse_number(const std::string& text, double& v) {
    const char* begin = text.c_str();
    char* end = nullptr;
    v = std::strtod(begin, &end);
    return !text.empty() && end != begin && *end == '\0' && std::isfinite(v);
}

CLI::Validator number_check(bool (*ok)(double), const char* what, const char* name) {
    return CLI::Validator(
        [ok, what](std::string& text) -> std::string {
            double v = 0;
            if (!parse_number(text, v)) return std::string("expected a number, got '") + text + "'";
            if (!ok(v)) return std::string("must be ") + what + ", got '" + text + "'";
            return {};
        },
        what, name);
}
}  // namespace

const CLI::Validator positive = number_check([](double v) { return v > 0; }, "a positive number", "POSITIVE");
const CLI::Validator non_negative = number_check([](double v) { return v >= 0; }, "a number >= 0", "NONNEGATIVE");

void add_input_options(CLI::App& cmd, input_options& in, const std::string& file_name,
                       const std::string& file_help) {
    cmd.add_option(file_name, in.file, file_help)->required();
    cmd.add_option("--format", in.format, "input format (default: detected from the content)")
        ->check(CLI::IsMember({"auto", "data", "dump", "extxyz", "poscar"}))
        ->default_str("auto");
    cmd.add_option("--frame", in.frame,
                   "trajectory frame, 0-based; negative counts from the end (default: -1, the last)");
    // One word split at commas (a CLI11 vector option would swallow the file name).
    cmd.add_option_function<std::string>(
           "--species",
           [&in](const std::string& list) {
               in.species = comma_items(list);
               for (const auto& name : in.species)
                   if (name.empty()) throw CLI::ValidationError("--species", "empty species name in '" + list + "'");
           },
           "names of LAMMPS types 1,2,... e.g. Cu,Zr (masses from the element table)")
        ->type_name("A,B,...");
    cmd.add_option_function<std::string>(
           "--charge",
           [&in](const std::string& list) {
               in.charges.clear();
               for (const auto& item : comma_items(list)) {
                   const auto eq = item.find('=');
                   double q = 0.0;
                   std::size_t used = 0;
                   bool ok = eq != std::string::npos && eq > 0 && eq + 1 < item.size();
                   if (ok) {
                       try {
                           q = std::stod(item.substr(eq + 1), &used);
                       } catch (const std::exception&) {
                           ok = false;
                       }
                   }
                   if (!ok || used != item.size() - eq - 1 || !std::isfinite(q))
                       throw CLI::ValidationError("--charge", "expected SPECIES=CHARGE,..., e.g. Al=1.4175,O=-0.945; got '" +
                                                                 item + "'");
                   in.charges.emplace_back(item.substr(0, eq), q);
               }
           },
           "per-atom charges by species name or LAMMPS type, e.g. Al=1.4175,O=-0.945 or 1=1.4175,2=-0.945 "
           "(replace the file's charges)")
        ->type_name("S=Q,...");
    cmd.add_option_function<std::string>(
           "--cell",
           [&in](const std::string& list) {
               in.cell.clear();
               for (const auto& item : comma_items(list)) {
                   double v = 0;
                   if (!parse_number(item, v))
                       throw CLI::ValidationError("--cell", "expected numbers separated by commas, got '" + list + "'");
                   in.cell.push_back(v);
               }
               if (in.cell.size() != 2 && in.cell.size() != 3 && in.cell.size() != 4 && in.cell.size() != 9)
                   throw CLI::ValidationError("--cell", "give LX,LY[,LZ] or the cell vectors (4 numbers in 2D, 9 in 3D), got " +
                                                            std::to_string(in.cell.size()) + " numbers");
           },
           "periodic cell for a file without one (plain xyz), replacing the file's: LX,LY[,LZ] or the cell vectors "
           "ax,ay,bx,by (2D) / ax,ay,az,bx,by,bz,cx,cy,cz (3D); origin 0")
        ->type_name("L,L[,L]");
    cmd.add_option("--dim", in.dim, "dimension: 2, 3 or auto (default: from the file)")
        ->check(CLI::IsMember({"auto", "2", "3"}))
        ->default_str("auto");
}

void add_frames_option(CLI::App& cmd, input_options& in, const std::string& what) {
    cmd.add_option("--frames", in.frames,
                   "trajectory frames A:B[:S] as a Python slice (B excluded, negative from the end; e.g. 0:10, -5:, ::2): " +
                       what)
        ->type_name("A:B[:S]")
        ->excludes(cmd.get_option("--frame"));
}

void add_output_options(CLI::App& cmd, output_options& out, bool required) {
    auto* o = cmd.add_option("-o,--output", out.output,
                             "output file; format by extension: .xyz/.extxyz, .dump/.lammpstrj, .data/.lmp, .vasp/POSCAR");
    if (required) o->required();
    cmd.add_option("--output-format", out.output_format, "output format (default: by extension)")
        ->check(CLI::IsMember({"auto", "data", "dump", "extxyz", "poscar"}))
        ->default_str("auto");
}

void add_csv_option(CLI::App& cmd, std::string& csv) {
    cmd.add_option("--csv", csv, "also write the results as CSV to this file");
}

void add_units_option(CLI::App& cmd, std::string& units) {
    cmd.add_option("--units", units, "LAMMPS unit system of the file: metal, real or lj (default: metal)")
        ->check(CLI::IsMember({"metal", "real", "lj"}))
        ->default_str("metal");
}

void add_potential_options(CLI::App& cmd, potential_options& pot) {
    const std::string g = "Potential (LAMMPS syntax)";
    cmd.add_option("--pair-style", pot.pair_style, "pair_style STYLE ARGS..., e.g. --pair-style lj/cut 2.5")
        ->expected(1, -1)
        ->group(g);
    cmd.add_option("--pair-coeff", pot.pair_coeff, "pair_coeff I J ARGS... (repeat for each line)")
        ->expected(1, -1)
        ->group(g);
    cmd.add_option("--pair-modify", pot.pair_modify, "pair_modify KEYWORD VALUE... (repeatable)")
        ->expected(1, -1)
        ->group(g);
    cmd.add_option("--kspace", pot.kspace, "kspace_style STYLE ARGS..., e.g. --kspace pppm 1e-5")
        ->expected(1, -1)
        ->group(g);
    cmd.add_option("--potential", pot.file, "file of LAMMPS pair_style/pair_coeff/... lines")->group(g);
    std::string names;
    for (const auto& p : presets()) names += (names.empty() ? "" : ", ") + std::string(p.name);
    cmd.add_option("--preset", pot.preset, "a built-in potential: " + names)->group(g);
}

template <int D>
vec<D> parse_direction(const std::string& s, const char* what) {
    vec<D> v = vec<D>::Zero();
    std::string t = s;
    double sign = 1.0;
    if (!t.empty() && (t[0] == '-' || t[0] == '+') && t.size() == 2) {
        sign = t[0] == '-' ? -1.0 : 1.0;
        t = t.substr(1);
    }
    if (t == "x" || t == "y" || t == "z") {
        const int k = t[0] - 'x';
        if (k >= D) throw invalid_argument(std::string(what) + " '" + s + "' needs a 3D system");
        v(k) = sign;
        return v;
    }
    std::stringstream ss(s);
    std::string item;
    int k = 0;
    while (std::getline(ss, item, ',')) {
        if (k >= D) throw invalid_argument(std::string(what) + " '" + s + "' has more than " + std::to_string(D) + " components");
        std::size_t used = 0;
        try {
            v(k) = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size()) throw invalid_argument(std::string(what) + " '" + s + "': not a number: '" + item + "'");
        ++k;
    }
    if (k != D) throw invalid_argument(std::string(what) + " '" + s + "' needs " + std::to_string(D) + " components or x/y/z");
    return v;
}

template vec<2> parse_direction<2>(const std::string&, const char*);
template vec<3> parse_direction<3>(const std::string&, const char*);

}  // namespace amorph::cli
