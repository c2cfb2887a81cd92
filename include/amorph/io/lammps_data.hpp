// amorph/io/lammps_data.hpp — LAMMPS data files (read_data / write_data format).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/io/common.hpp"

#include <filesystem>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace amorph::io {

struct data_read_options {
    atom_style style = atom_style::auto_detect;
    /// Names for LAMMPS types 1..n (must match "atom types"); empty: from the
    /// Masses comments ("1 63.546 # Cu") when every type has one, else "1".."n".
    std::vector<std::string> species;
};

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_lammps_data(std::istream& in, const std::string& source,
                                   const data_read_options& opt = {}) {
    (void)in; (void)source; (void)opt;
    throw unsupported("read_lammps_data: not implemented yet");
}

template <int D>
    requires supported_dimension<D>
amorph::system<D> read_lammps_data(const std::filesystem::path& path, const data_read_options& opt = {});

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
    (void)out; (void)sys; (void)opt;
    throw unsupported("write_lammps_data: not implemented yet");
}

template <int D>
    requires supported_dimension<D>
void write_lammps_data(const std::filesystem::path& path, const amorph::system<D>& sys,
                       const data_write_options& opt = {});

}  // namespace amorph::io
