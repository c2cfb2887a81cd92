// src/analysis.cpp — amorph::compiled: Voronoi tessellation, structure
// functions and spatial density maps in 2D and 3D (core/compiled.hpp).
#include <amorph/analysis/voronoi.hpp>
#include <amorph/descriptor/sdm.hpp>
#include <amorph/descriptor/structure_functions.hpp>

namespace amorph::analysis {
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_VORONOI_TEMPLATES)
}  // namespace amorph::analysis

namespace amorph::descriptor {
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_STRUCTURE_FUNCTIONS_TEMPLATES)
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_SDM_TEMPLATES)
}  // namespace amorph::descriptor
