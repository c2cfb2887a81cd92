// src/force_field_3d.cpp — amorph::compiled: in 3D, the kernels of every
// run-time potential (on Verlet and pruned lists), their force fields,
// make_any_force_field, and minimization, box relaxation and AQS of
// any_force_field<3> with CG, FIRE and L-BFGS (core/compiled.hpp). One
// source per dimension: these are the heaviest instantiations.
#include <amorph/dynamics/any_force_field.hpp>
#include <amorph/protocol/aqs.hpp>

namespace amorph::potential {
AMORPH_POTENTIAL_TEMPLATES(, 3)
AMORPH_PRUNED_ACCUMULATE_TEMPLATES(, 3)
}  // namespace amorph::potential

namespace amorph::dynamics {
AMORPH_FORCE_FIELD_TEMPLATES(, 3)
}  // namespace amorph::dynamics

namespace amorph::protocol {
AMORPH_AQS_TEMPLATES(, 3)
}  // namespace amorph::protocol
