// amorph/core.hpp — the core layer: vectors, box, system, species, units, errors, crystals.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/lammps_cell.hpp"
#include "amorph/core/lattice.hpp"
#include "amorph/core/species.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/units.hpp"
#include "amorph/core/vec.hpp"
