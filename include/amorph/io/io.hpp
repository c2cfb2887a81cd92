// amorph/io/io.hpp — one entry point for every file format amorph reads and writes.
//
// detect_format: from the first lines of the content (at most 64 lines read):
//   * the first non-blank line starts with "ITEM:"            -> LAMMPS dump
//   * some line after the first reads "<integer> atoms"       -> LAMMPS data
//     (unless the first line is a lone integer and the second contains '=',
//     i.e. an extxyz comment line)
//   * the first line is a lone integer                        -> extxyz / xyz
//   * line 2 holds one or three numbers and lines 3-5 three
//     numbers each                                            -> VASP POSCAR
//   * otherwise parse_error(source, 1, "format", ...).
// format_from_extension: .data .lmp (and .data.* / data.*) -> data,
//   .dump .lammpstrj -> dump, .xyz .extxyz -> extxyz, .vasp .poscar and
//   names starting with POSCAR / CONTCAR -> poscar.
// frame_range / for_each_frame: "A:B[:S]" frame slices, streamed frame by
//   frame (rdf --frames, d2min --ref-frame/--cumulative).
// Files are opened by detail::open_input: gzip-compressed files (any name)
//   are inflated on the fly, so everything below accepts them.
// detect_dimension: the file (frame opt.frame of a trajectory) is read as 3D;
//   it is 2D when it has at least one atom, every z coordinate is exactly 0,
//   and the cell is flat in z: a and b have no z component and c lies along
//   z (LAMMPS xz = yz = 0). That is what LAMMPS writes for `dimension 2` and
//   what amorph writes for a 2D system. A single 3D layer at z = 0 is also
//   reported as 2D.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/io/common.hpp"
#include "amorph/io/detail/input_file.hpp"
#include "amorph/io/detail/text.hpp"
#include "amorph/io/extxyz.hpp"
#include "amorph/io/lammps_data.hpp"
#include "amorph/io/lammps_dump.hpp"
#include "amorph/io/poscar.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <optional>
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
    auto numbers = [&](std::size_t i) {
        if (i >= lines.size()) return std::size_t{0};
        const auto t = detail::tokenize(lines[i]);
        std::size_t k = 0;
        while (k < t.size() && detail::parse_double(t[k])) ++k;
        return k;
    };
    if ((numbers(1) == 1 || numbers(1) == 3) && detail::tokenize(lines[1]).size() == numbers(1) && numbers(2) >= 3 &&
        numbers(3) >= 3 && numbers(4) >= 3)
        return file_format::poscar;
    throw parse_error(source, 1, "format",
                      "cannot detect the file format (not a LAMMPS data file, LAMMPS dump, extxyz or POSCAR)");
}

inline file_format detect_format(const std::filesystem::path& path) {
    const auto in = detail::open_input(path);
    return detect_format(*in, path.string());
}

/// Format from a file name: .data/.lmp -> lammps_data, .dump/.lammpstrj ->
/// lammps_dump, .xyz/.extxyz -> extxyz; throws invalid_argument otherwise.
inline file_format format_from_extension(const std::filesystem::path& path) {
    const std::string ext = detail::lower(path.extension().string());
    const std::string stem = detail::lower(path.filename().string());
    if (ext == ".data" || ext == ".lmp") return file_format::lammps_data;
    if (ext == ".dump" || ext == ".lammpstrj") return file_format::lammps_dump;
    if (ext == ".xyz" || ext == ".extxyz") return file_format::extxyz;
    if (ext == ".vasp" || ext == ".poscar") return file_format::poscar;
    if (stem.rfind("data.", 0) == 0) return file_format::lammps_data;
    if (stem.rfind("dump.", 0) == 0) return file_format::lammps_dump;
    if (stem.rfind("poscar", 0) == 0 || stem.rfind("contcar", 0) == 0) return file_format::poscar;
    throw invalid_argument("cannot tell the file format from the name '" + path.filename().string() +
                           "' (use .data/.lmp, .dump/.lammpstrj, .xyz/.extxyz or .vasp/POSCAR)");
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
        case file_format::poscar: {
            if (opt.frame != 0 && opt.frame != -1)
                throw invalid_argument(source + ": a POSCAR holds one configuration (frame 0 or -1), not frame " +
                                       std::to_string(opt.frame));
            poscar_read_options o;
            o.species = opt.species;
            return read_poscar<D>(in, source, o);
        }
        default: break;
    }
    throw invalid_argument("read_system: no format");
}

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_system(const std::filesystem::path& path, const read_options& opt = {}) {
    const auto in = detail::open_input(path);
    return read_system<D>(*in, path.string(), opt);
}

/// A range of trajectory frames, written "A:B[:S]" as a Python slice: frames
/// A, A+S, A+2S, ... before B (B excluded); A empty = 0, B empty = to the
/// end, negative values count from the end (-1 = the last frame); S >= 1.
/// "K" alone is the one frame K.
struct frame_range {
    std::optional<std::int64_t> start, stop;
    std::int64_t step = 1;
};

/// Parse "A:B[:S]" or "K"; invalid_argument naming `option` otherwise.
inline frame_range parse_frame_range(const std::string& text, const std::string& option = "--frames") {
    auto bad = [&]() -> invalid_argument {
        return invalid_argument(option + ": expected A:B[:S] (a Python slice of frames, e.g. 0:10, 5:, ::2, -3:) or "
                                         "one frame K, got '" + text + "'");
    };
    std::vector<std::string> parts{""};
    for (char c : text) {
        if (c == ':') parts.emplace_back();
        else parts.back() += c;
    }
    if (parts.size() > 3) throw bad();
    auto num = [&](const std::string& t) -> std::optional<std::int64_t> {
        const auto w = detail::trim(t);
        if (w.empty()) return std::nullopt;
        const auto v = detail::parse_int<std::int64_t>(w);
        if (!v) throw bad();
        return *v;
    };
    frame_range r;
    if (parts.size() == 1) {  // one frame K
        const auto k = num(parts[0]);
        if (!k) throw bad();
        r.start = *k;
        if (*k != -1) r.stop = *k + 1;  // -1: to the end
        return r;
    }
    r.start = num(parts[0]);
    r.stop = num(parts[1]);
    if (parts.size() == 3) {
        const auto st = num(parts[2]);
        if (st) {
            if (*st < 1) throw invalid_argument(option + ": the step S of A:B:S must be >= 1, got '" + text + "'");
            r.step = *st;
        }
    }
    return r;
}

/// Call f(index, frame<D>&) on each frame of `r` in order (index: 0-based
/// frame number in the file), reading frame by frame: one frame in memory,
/// unselected frames skipped without parsing their numbers, so trajectories
/// of any size stream (gzip included). A data file is one frame. Negative
/// bounds count the frames first (one skipping pass). Returns the number of
/// frames visited; invalid_argument when the range selects none.
template <int D, class F>
    requires supported_dimension<D>
std::size_t for_each_frame(const std::filesystem::path& path, const read_options& opt, const frame_range& r, F&& f) {
    const file_format fmt = opt.format == file_format::auto_detect ? detect_format(path) : opt.format;
    std::int64_t n = -1;  // frames in the file, counted only when needed
    auto count = [&] {
        if (n < 0) {
            if (fmt == file_format::lammps_data || fmt == file_format::poscar) n = 1;
            else if (fmt == file_format::lammps_dump) n = static_cast<std::int64_t>(count_dump_frames(path));
            else n = static_cast<std::int64_t>(count_extxyz_frames(path));
        }
        return n;
    };
    auto resolve = [&](const std::optional<std::int64_t>& v, std::int64_t none) {
        if (!v) return none;
        return *v >= 0 ? *v : std::max<std::int64_t>(count() + *v, 0);
    };
    const std::int64_t a = resolve(r.start, 0);
    const std::int64_t b = resolve(r.stop, std::numeric_limits<std::int64_t>::max());
    std::size_t visited = 0;
    std::int64_t k = 0;
    auto walk = [&](auto& rd) {
        frame<D> fr;
        for (; k < b; ++k) {
            if (k >= a && (k - a) % r.step == 0) {
                if (!rd.next(fr)) break;
                f(k, fr);
                ++visited;
            } else if (!rd.skip()) {
                break;
            }
        }
    };
    if (fmt == file_format::lammps_data || fmt == file_format::poscar) {  // one configuration
        if (a == 0 && b > 0) {
            read_options o = opt;
            o.format = fmt;
            o.frame = 0;
            frame<D> fr;
            fr.system = read_system<D>(path, o);
            f(std::int64_t{0}, fr);
            visited = 1;
        }
        k = 1;
    } else if (fmt == file_format::lammps_dump) {
        dump_read_options o;
        o.species = opt.species;
        dump_reader<D> rd(path, o);
        walk(rd);
    } else if (fmt == file_format::extxyz) {
        extxyz_read_options o;
        o.species = opt.species;
        extxyz_reader<D> rd(path, o);
        walk(rd);
    } else {
        throw invalid_argument("for_each_frame: no format");
    }
    if (visited == 0) {
        auto show = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
        throw invalid_argument(path.string() + ": the frames " + show(r.start) + ":" + show(r.stop) + ":" +
                               std::to_string(r.step) + " select none (the file has " +
                               std::to_string(n >= 0 ? n : k) + " frame" + ((n >= 0 ? n : k) == 1 ? "" : "s") + ")");
    }
    return visited;
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
        case file_format::poscar: {
            if (opt.append) throw invalid_argument("write_system: a POSCAR holds one configuration (append not possible)");
            write_poscar(path, sys);
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
