// src/hessian.cpp — amorph::compiled: the Hessian of every run-time potential
// (potential::hessian<D>(any_potential, ...)) in 2D and 3D (core/compiled.hpp).
#include <amorph/potential/hessian.hpp>

namespace amorph::potential {
AMORPH_INSTANTIATE_TEMPLATES(AMORPH_HESSIAN_TEMPLATES)
}  // namespace amorph::potential
