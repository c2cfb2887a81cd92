// amorph/amorph.hpp — the whole library: every layer's umbrella header, in
// layer order (each layer depends only on the ones before it;
// docs/architecture.md). Include a layer's umbrella, or single headers, to
// compile less.
#pragma once

#include "amorph/core.hpp"
#include "amorph/neighbor.hpp"
#include "amorph/io.hpp"
#include "amorph/potential.hpp"
#include "amorph/dynamics.hpp"
#include "amorph/protocol.hpp"
#include "amorph/analysis.hpp"
#include "amorph/descriptor.hpp"
#include "amorph/learn.hpp"
