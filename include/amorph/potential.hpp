// amorph/potential.hpp — the potential layer: pair functions and cutoffs, the pair loop, EAM,
// Stillinger-Weber, Coulomb (cut, DSF, Wolf, Ewald, PPPM), results in LAMMPS conventions, the LAMMPS-syntax factory, presets.
#pragma once

#include "amorph/potential/buckingham.hpp"
#include "amorph/potential/charged_pair.hpp"
#include "amorph/potential/compute.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/coulomb.hpp"
#include "amorph/potential/cutoff.hpp"
#include "amorph/potential/eam.hpp"
#include "amorph/potential/ewald.hpp"
#include "amorph/potential/factory.hpp"
#include "amorph/potential/hessian.hpp"
#include "amorph/potential/kspace.hpp"
#include "amorph/potential/lennard_jones.hpp"
#include "amorph/potential/pair.hpp"
#include "amorph/potential/pair_table.hpp"
#include "amorph/potential/pppm.hpp"
#include "amorph/potential/presets.hpp"
#include "amorph/potential/result.hpp"
#include "amorph/potential/stillinger_weber.hpp"
