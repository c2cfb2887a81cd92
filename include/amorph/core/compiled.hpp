// amorph/core/compiled.hpp — header-only or compiled: how amorph's headers
// take part in the optional compiled library amorph::compiled.
//
// amorph is header-only by default: a program that includes the headers and
// links amorph::amorph compiles every template it uses itself. Programs that
// link amorph::compiled instead (CMake option AMORPH_COMPILED, ON by default
// for amorph's own build: the CLI, the examples and the tests link it) get
// the common cases compiled once, in the library: the force field of every
// run-time potential in 2D and 3D, the minimizers and the AQS driver over
// them, the file readers and writers, neighbor lists, Voronoi, structure
// functions and density maps (src/*.cpp list them). Their translation units
// see AMORPH_COMPILED defined (an INTERFACE definition of amorph::compiled),
// and each header then declares those specializations `extern template`, so
// the compiler does not instantiate them again (in the spirit of fmt's and
// spdlog's compiled modes). Results are the same either way: the library is
// built from the same headers with the same flags as its users.
//
// A header lists its specializations once, in a macro M(P, D) whose every
// declaration starts with P: `M(extern, D)` in the header declares them,
// `M(, D)` in src/ defines them. AMORPH_EXTERN_TEMPLATES(M) expands to the
// declarations for D = 2 and 3 when AMORPH_COMPILED is defined, else to
// nothing.
//
// Non-template functions (JSON and .npy files, model files, the CNN runtime)
// follow the same switch: header-only they are inline (AMORPH_FUNC = inline)
// and defined in the header; with AMORPH_COMPILED the header only declares
// them, and the one source that defines AMORPH_COMPILED_SOURCE
// (src/learn.cpp) compiles their definitions (AMORPH_DEFINITIONS = 1 there).
#pragma once

#ifdef AMORPH_COMPILED
#define AMORPH_FUNC
#else
#define AMORPH_FUNC inline
#endif

#if !defined(AMORPH_COMPILED) || defined(AMORPH_COMPILED_SOURCE)
#define AMORPH_DEFINITIONS 1
#else
#define AMORPH_DEFINITIONS 0
#endif

#ifdef AMORPH_COMPILED
#define AMORPH_EXTERN_TEMPLATES(M) M(extern, 2) M(extern, 3)
#else
#define AMORPH_EXTERN_TEMPLATES(M)
#endif

/// The definitions of M's specializations for D = 2 and 3 (src/ only).
#define AMORPH_INSTANTIATE_TEMPLATES(M) M(, 2) M(, 3)
