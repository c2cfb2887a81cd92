// src/core.cpp — amorph::compiled: cells, systems and neighbor lists in 2D
// and 3D (the explicit instantiations declared extern in their headers;
// core/compiled.hpp).
#include <amorph/core/box.hpp>
#include <amorph/core/system.hpp>
#include <amorph/neighbor/cell_list.hpp>
#include <amorph/neighbor/verlet_list.hpp>

namespace amorph {
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_BOX_TEMPLATES)
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_SYSTEM_TEMPLATES)
}  // namespace amorph

namespace amorph::neighbor {
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_CELL_LIST_TEMPLATES)
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_VERLET_LIST_TEMPLATES)
}  // namespace amorph::neighbor
