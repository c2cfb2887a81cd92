// amorph/protocol.hpp — the protocol layer: schedules, quench, checkpoints, deformations,
// AQS and the shuffled-order experiment, MD deformation, vibrational MSD
// ensembles, elastic moduli.
#pragma once

#include "amorph/protocol/aqs.hpp"
#include "amorph/protocol/checkpoint.hpp"
#include "amorph/protocol/deform_rate.hpp"
#include "amorph/protocol/deformation.hpp"
#include "amorph/protocol/modulus.hpp"
#include "amorph/protocol/quench.hpp"
#include "amorph/protocol/schedule.hpp"
#include "amorph/protocol/shuffled_order.hpp"
#include "amorph/protocol/stepwise_strain.hpp"
#include "amorph/protocol/vibration.hpp"
