// amorph/dynamics.hpp — the dynamics layer: force fields, integrators (NVE, NVT, NPT),
// velocities, minimizers (FIRE, CG, L-BFGS), box relaxation, the MD loop, archives.
#pragma once

#include "amorph/dynamics/any_force_field.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/box_relax.hpp"
#include "amorph/dynamics/cg.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/fire.hpp"
#include "amorph/dynamics/force_field.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/lbfgs.hpp"
#include "amorph/dynamics/minimize.hpp"
#include "amorph/dynamics/nose_hoover.hpp"
#include "amorph/dynamics/observer.hpp"
#include "amorph/dynamics/random.hpp"
#include "amorph/dynamics/run.hpp"
#include "amorph/dynamics/velocity.hpp"
#include "amorph/dynamics/verlet.hpp"
