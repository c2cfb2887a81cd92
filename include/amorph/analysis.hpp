// amorph/analysis.hpp — the analysis layer: Voronoi, g(r), coordination, bond
// switching, clusters, spatial and orientational correlations, slab profiles,
// atomic stress, D2min / atomic strain / cumulative D, p_hop and labels,
// MSD ensembles as data and the flexibility volume.
#pragma once

#include "amorph/analysis/atomic_stress.hpp"
#include "amorph/analysis/bonds.hpp"
#include "amorph/analysis/clusters.hpp"
#include "amorph/analysis/correlation.hpp"
#include "amorph/analysis/d2min.hpp"
#include "amorph/analysis/flexibility.hpp"
#include "amorph/analysis/labels.hpp"
#include "amorph/analysis/modes.hpp"
#include "amorph/analysis/msd.hpp"
#include "amorph/analysis/orientational.hpp"
#include "amorph/analysis/p_hop.hpp"
#include "amorph/analysis/profile.hpp"
#include "amorph/analysis/rdf.hpp"
#include "amorph/analysis/voronoi.hpp"
