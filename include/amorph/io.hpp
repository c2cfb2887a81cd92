// amorph/io.hpp — the io layer: LAMMPS data and dump files, extended XYZ, format detection.
#pragma once

#include "amorph/io/common.hpp"
#include "amorph/io/extxyz.hpp"
#include "amorph/io/io.hpp"
#include "amorph/io/lammps_data.hpp"
#include "amorph/io/lammps_dump.hpp"
#include "amorph/io/poscar.hpp"
