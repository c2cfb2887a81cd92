// amorph/io/io.hpp — one entry point for every file format amorph reads and writes.
#pragma once

#include "amorph/io/common.hpp"
#include "amorph/io/extxyz.hpp"
#include "amorph/io/lammps_data.hpp"
#include "amorph/io/lammps_dump.hpp"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace amorph::io {

/// Format from content. The stream is read from its current position and put
/// back there (it must be seekable). Throws parse_error when nothing matches.
file_format detect_format(std::istream& in, const std::string& source = "<stream>");
file_format detect_format(const std::filesystem::path& path);

/// Format from a file name: .data/.lmp -> lammps_data, .dump/.lammpstrj ->
/// lammps_dump, .xyz/.extxyz -> extxyz; throws invalid_argument otherwise.
file_format format_from_extension(const std::filesystem::path& path);

struct read_options {
    file_format format = file_format::auto_detect;
    std::int64_t frame = -1;                       ///< trajectories: 0-based, negative from the end
    atom_style style = atom_style::auto_detect;    ///< data files
    std::vector<std::string> species;              ///< names for types 1..n / species order
};

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_system(std::istream& in, const std::string& source, const read_options& opt = {});
template <int D>
    requires supported_dimension<D>
amorph::system<D> read_system(const std::filesystem::path& path, const read_options& opt = {});

/// 2 when the (requested frame of the) file is two-dimensional, else 3.
int detect_dimension(const std::filesystem::path& path, const read_options& opt = {});

struct write_options {
    file_format format = file_format::auto_detect;  ///< auto: from the extension
    atom_style style = atom_style::auto_detect;     ///< data files
    std::vector<std::string> columns;               ///< dump columns / extxyz extra properties
    std::int64_t timestep = 0;
    bool append = false;                            ///< dump/extxyz: append a frame
};

template <int D>
    requires supported_dimension<D>
void write_system(const std::filesystem::path& path, const amorph::system<D>& sys, const write_options& opt = {});

}  // namespace amorph::io
