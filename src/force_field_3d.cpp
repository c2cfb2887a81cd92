// src/force_field_3d.cpp — amorph::compiled: the force fields and drivers in 3D
// (src/force_field.inc).
#define AMORPH_SRC_DIM 3
#include "force_field.inc"
