// amorph/neighbor.hpp — the neighbor layer: cell lists, Verlet lists, brute-force reference.
#pragma once

#include "amorph/neighbor/brute_force.hpp"
#include "amorph/neighbor/cell_list.hpp"
#include "amorph/neighbor/verlet_list.hpp"
