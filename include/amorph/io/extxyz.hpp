// amorph/io/extxyz.hpp — extended XYZ (ASE / OVITO / QUIP flavour).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/io/common.hpp"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace amorph::io {

struct extxyz_read_options {
    /// Species order (type 0, 1, ...); empty: the file's own order (see below).
    std::vector<std::string> species;
};

template <int D>
    requires supported_dimension<D>
class extxyz_reader {
public:
    extxyz_reader(std::istream& in, std::string source, extxyz_read_options opt = {});
    explicit extxyz_reader(const std::filesystem::path& path, extxyz_read_options opt = {});
    bool next(frame<D>& f);
    bool skip();
    std::size_t frames_done() const noexcept;
};

template <int D>
    requires supported_dimension<D>
frame<D> read_extxyz(std::istream& in, const std::string& source, std::int64_t frame_index = -1,
                     const extxyz_read_options& opt = {});
template <int D>
    requires supported_dimension<D>
frame<D> read_extxyz(const std::filesystem::path& path, std::int64_t frame_index = -1,
                     const extxyz_read_options& opt = {});

std::size_t count_extxyz_frames(std::istream& in, const std::string& source);
std::size_t count_extxyz_frames(const std::filesystem::path& path);

struct extxyz_write_options {
    /// Extra per-atom properties to write (by name); empty: all of them.
    std::vector<std::string> properties;
    /// Extra key=value pairs for the comment line.
    std::vector<std::pair<std::string, std::string>> info;
    std::int64_t timestep = 0;  ///< written as Timestep= when non-zero
    bool append = false;        ///< path overload: append a frame
};

template <int D>
    requires supported_dimension<D>
void write_extxyz(std::ostream& out, const amorph::system<D>& sys, const extxyz_write_options& opt = {});
template <int D>
    requires supported_dimension<D>
void write_extxyz(const std::filesystem::path& path, const amorph::system<D>& sys,
                  const extxyz_write_options& opt = {});

}  // namespace amorph::io
