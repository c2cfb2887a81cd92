// amorph/io/lammps_dump.hpp — LAMMPS text dumps (dump atom / dump custom).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/io/common.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace amorph::io {

struct dump_read_options {
    /// Names for LAMMPS types 1..n; empty: from an "element" column, else "1".."n".
    std::vector<std::string> species;
};

/// Streaming dump reader: holds one frame at a time.
template <int D>
    requires supported_dimension<D>
class dump_reader {
public:
    dump_reader(std::istream& in, std::string source, dump_read_options opt = {});
    explicit dump_reader(const std::filesystem::path& path, dump_read_options opt = {});

    /// Read the next frame into f; false at the end of the file.
    bool next(frame<D>& f);
    /// Skip the next frame (its header is checked, its atom lines counted); false at the end.
    bool skip();
    /// Number of frames read or skipped so far.
    std::size_t frames_done() const noexcept;
};

/// Frame `frame_index` (0-based; negative counts from the end, -1 = last).
template <int D>
    requires supported_dimension<D>
frame<D> read_dump(std::istream& in, const std::string& source, std::int64_t frame_index = -1,
                   const dump_read_options& opt = {});
template <int D>
    requires supported_dimension<D>
frame<D> read_dump(const std::filesystem::path& path, std::int64_t frame_index = -1,
                   const dump_read_options& opt = {});

std::size_t count_dump_frames(std::istream& in, const std::string& source);
std::size_t count_dump_frames(const std::filesystem::path& path);

struct dump_write_options {
    /// Columns in order; empty: id type x y z [ix iy iz] [vx vy vz] [fx fy fz] [q] + every property.
    std::vector<std::string> columns;
    std::int64_t timestep = 0;
    bool append = false;  ///< path overload: append a frame instead of truncating
};

template <int D>
    requires supported_dimension<D>
void write_dump(std::ostream& out, const amorph::system<D>& sys, const dump_write_options& opt = {});
template <int D>
    requires supported_dimension<D>
void write_dump(const std::filesystem::path& path, const amorph::system<D>& sys,
                const dump_write_options& opt = {});

}  // namespace amorph::io
