// amorph/descriptor.hpp — the descriptor layer: structure functions, reduced partial-PDF
// features and spatial density maps.
#pragma once

#include "amorph/descriptor/concepts.hpp"
#include "amorph/descriptor/sdm.hpp"
#include "amorph/descriptor/structure_functions.hpp"
