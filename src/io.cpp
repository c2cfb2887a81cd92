// src/io.cpp — amorph::compiled: the LAMMPS data, LAMMPS dump and extended
// XYZ readers and writers in 2D and 3D (core/compiled.hpp).
#include <amorph/io/extxyz.hpp>
#include <amorph/io/io.hpp>
#include <amorph/io/lammps_data.hpp>
#include <amorph/io/lammps_dump.hpp>

namespace amorph::io {
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_LAMMPS_DATA_TEMPLATES)
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_LAMMPS_DUMP_TEMPLATES)
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_EXTXYZ_TEMPLATES)
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_IO_TEMPLATES)
}  // namespace amorph::io
