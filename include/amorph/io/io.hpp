// amorph/io/io.hpp — one entry point for every file format amorph reads and writes.
//
// detect_format: from the first lines of the content (at most 64 lines read):
//   * the first non-blank line starts with "ITEM:"            -> LAMMPS dump
//   * some line after the first reads "<integer> atoms"       -> LAMMPS data
//     (unless the first line is a lone integer and the second contains '=',
//     i.e. an extxyz comment line)
//   * the first line is a lone integer                        -> extxyz / xyz
//   * otherwise parse_error(source, 1, "format", ...).
// format_from_extension: .data .lmp (and .data.* / data.*) -> data,
//   .dump .lammpstrj -> dump, .xyz .extxyz -> extxyz.
// detect_dimension: the file (frame opt.frame of a trajectory) is read as 3D;
//   it is 2D when it has at least one atom, every z coordinate is exactly 0,
//   and the cell is flat in z: a and b have no z component and c lies along
//   z (LAMMPS xz = yz = 0). That is what LAMMPS writes for `dimension 2` and
//   what amorph writes for a 2D system. A single 3D layer at z = 0 is also
//   reported as 2D.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/io/common.hpp"
#include "amorph/io/detail/text.hpp"
#include "amorph/io/extxyz.hpp"
#include "amorph/io/lammps_data.hpp"
#include "amorph/io/lammps_dump.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <string>
#include <vector>

namespace amorph::io {

/// Format from content. The stream is read from its current position and put
/// back there (it must be seekable). Throws parse_error when nothing matches.
inline file_format detect_format(std::istream& in, const std::string& source = "<stream>") {
    const auto start = in.tellg();
    std::vector<std::string> lines;
    std::string line;
    while (lines.size() < 64 && std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    in.clear();
    if (start != std::streampos(-1)) in.seekg(start);
    std::size_t first = 0;
    while (first < lines.size() && detail::trim(lines[first]).empty()) ++first;
    if (first == lines.size()) throw parse_error(source, 1, "format", "empty file");
    if (detail::trim(lines[first]).substr(0, 5) == "ITEM:") return file_format::lammps_dump;
    const auto t0 = detail::tokenize(lines[0]);
    const bool lone_int = t0.size() == 1 && detail::parse_int<std::int64_t>(t0[0]).has_value();
    const bool kv_second = lines.size() > 1 && lines[1].find('=') != std::string::npos;
    if (!(lone_int && kv_second)) {
        for (std::size_t i = 1; i < lines.size(); ++i) {
            const auto t = detail::tokenize(detail::split_comment(lines[i]).first);
            if (t.size() == 2 && t[1] == "atoms" && detail::parse_int<std::int64_t>(t[0])) return file_format::lammps_data;
        }
    }
    if (lone_int) return file_format::extxyz;
    throw parse_error(source, 1, "format", "cannot detect the file format (not a LAMMPS data file, LAMMPS dump or extxyz)");
}

inline file_format detect_format(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw io_error("cannot open " + path.string());
    return detect_format(in, path.string());
}

/// Format from a file name: .data/.lmp -> lammps_data, .dump/.lammpstrj ->
/// lammps_dump, .xyz/.extxyz -> extxyz; throws invalid_argument otherwise.
inline file_format format_from_extension(const std::filesystem::path& path) {
    const std::string ext = detail::lower(path.extension().string());
    const std::string stem = detail::lower(path.filename().string());
    if (ext == ".data" || ext == ".lmp") return file_format::lammps_data;
    if (ext == ".dump" || ext == ".lammpstrj") return file_format::lammps_dump;
    if (ext == ".xyz" || ext == ".extxyz") return file_format::extxyz;
    if (stem.rfind("data.", 0) == 0) return file_format::lammps_data;
    if (stem.rfind("dump.", 0) == 0) return file_format::lammps_dump;
    throw invalid_argument("cannot tell the file format from the name '" + path.filename().string() +
                           "' (use .data/.lmp, .dump/.lammpstrj or .xyz/.extxyz)");
}

struct read_options {
    file_format format = file_format::auto_detect;
    std::int64_t frame = -1;                       ///< trajectories: 0-based, negative from the end
    atom_style style = atom_style::auto_detect;    ///< data files
    std::vector<std::string> species;              ///< names for types 1..n / species order
};

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_system(std::istream& in, const std::string& source, const read_options& opt = {}) {
    const file_format f = opt.format == file_format::auto_detect ? detect_format(in, source) : opt.format;
    switch (f) {
        case file_format::lammps_data: {
            data_read_options o;
            o.style = opt.style;
            o.species = opt.species;
            return read_lammps_data<D>(in, source, o);
        }
        case file_format::lammps_dump: {
            dump_read_options o;
            o.species = opt.species;
            return read_dump<D>(in, source, opt.frame, o).system;
        }
        case file_format::extxyz: {
            extxyz_read_options o;
            o.species = opt.species;
            return read_extxyz<D>(in, source, opt.frame, o).system;
        }
        default: break;
    }
    throw invalid_argument("read_system: no format");
}

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_system(const std::filesystem::path& path, const read_options& opt = {}) {
    std::ifstream in(path);
    if (!in) throw io_error("cannot open " + path.string());
    return read_system<D>(in, path.string(), opt);
}

/// True when a 3D system is really 2D (see the rule at the top of this file).
inline bool is_flat(const amorph::system<3>& s) {
    if (s.empty()) return false;
    const auto& h = s.box.h();
    if (h(2, 0) != 0.0 || h(2, 1) != 0.0 || h(0, 2) != 0.0 || h(1, 2) != 0.0) return false;
    return (s.positions.row(2).array() == 0.0).all();
}

/// 2 when the (requested frame of the) file is two-dimensional, else 3.
inline int detect_dimension(const std::filesystem::path& path, const read_options& opt = {}) {
    return is_flat(read_system<3>(path, opt)) ? 2 : 3;
}

struct write_options {
    file_format format = file_format::auto_detect;  ///< auto: from the extension
    atom_style style = atom_style::auto_detect;     ///< data files
    std::vector<std::string> columns;               ///< dump columns / extxyz extra properties
    std::int64_t timestep = 0;
    bool append = false;                            ///< dump/extxyz: append a frame
};

template <int D>
    requires supported_dimension<D>
void write_system(const std::filesystem::path& path, const amorph::system<D>& sys, const write_options& opt = {}) {
    const file_format f = opt.format == file_format::auto_detect ? format_from_extension(path) : opt.format;
    switch (f) {
        case file_format::lammps_data: {
            if (opt.append) throw invalid_argument("write_system: a data file holds one frame (append not possible)");
            data_write_options o;
            o.style = opt.style;
            write_lammps_data(path, sys, o);
            return;
        }
        case file_format::lammps_dump: {
            dump_write_options o;
            o.columns = opt.columns;
            o.timestep = opt.timestep;
            o.append = opt.append;
            write_dump(path, sys, o);
            return;
        }
        case file_format::extxyz: {
            extxyz_write_options o;
            o.properties = opt.columns;
            o.timestep = opt.timestep;
            o.append = opt.append;
            write_extxyz(path, sys, o);
            return;
        }
        default: break;
    }
    throw invalid_argument("write_system: no format");
}

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_IO_TEMPLATES(P, D)                                                                              \
    P template amorph::system<D> read_system<D>(std::istream&, const std::string&, const read_options&);     \
    P template amorph::system<D> read_system<D>(const std::filesystem::path&, const read_options&);          \
    P template void write_system<D>(const std::filesystem::path&, const amorph::system<D>&, const write_options&);
AMORPH_EXTERN_TEMPLATES(AMORPH_IO_TEMPLATES)

}  // namespace amorph::io
