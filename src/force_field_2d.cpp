// src/force_field_2d.cpp — amorph::compiled: the force fields and drivers in 2D
// (src/force_field.inc).
#define AMORPH_SRC_DIM 2
#include "force_field.inc"
