// src/learn.cpp — amorph::compiled: the non-template functions of the
// headers, compiled here once instead of inline in every program: those of the
// learn layer (JSON and .npy files, model files, the .amcnn reader and writer,
// the CNN runtime with its SIMD kernels) and the normal-mode eigensolvers of
// analysis/modes.hpp (Spectra). This is the one source that defines
// AMORPH_COMPILED_SOURCE (CMakeLists.txt), so the headers give their
// definitions here, non-inline (core/compiled.hpp).
#ifndef AMORPH_COMPILED_SOURCE
#error "src/learn.cpp must be compiled with AMORPH_COMPILED_SOURCE defined"
#endif
#include <amorph/analysis/modes.hpp>
#include <amorph/learn/cnn.hpp>
#include <amorph/learn/cnn_model.hpp>
#include <amorph/learn/json.hpp>
#include <amorph/learn/model.hpp>
#include <amorph/learn/npy.hpp>
