// amorph/amorph.hpp — the whole library: every layer's umbrella header, in
// layer order (each layer depends only on the levels below it;
// docs/architecture.md). Include a layer's umbrella, or single headers, to
// compile less.
#pragma once

#include "amorph/core.hpp"
#include "amorph/io.hpp"
#include "amorph/neighbor.hpp"
#include "amorph/potential.hpp"
#include "amorph/analysis.hpp"
#include "amorph/descriptor.hpp"
#include "amorph/dynamics.hpp"
#include "amorph/learn.hpp"
#include "amorph/protocol.hpp"
