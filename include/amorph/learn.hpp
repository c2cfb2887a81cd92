// amorph/learn.hpp — the learn layer: scaling, linear SVM/SVR, cross-validation, scores,
// model files, softness, .npy and JSON, the CNN runtime, SDM datasets, SDM -> CNN prediction.
#pragma once

#include "amorph/learn/cnn.hpp"
#include "amorph/learn/cnn_architecture.hpp"
#include "amorph/learn/cnn_model.hpp"
#include "amorph/learn/cross_validation.hpp"
#include "amorph/learn/json.hpp"
#include "amorph/learn/linear_svm.hpp"
#include "amorph/learn/metrics.hpp"
#include "amorph/learn/model.hpp"
#include "amorph/learn/npy.hpp"
#include "amorph/learn/scaler.hpp"
#include "amorph/learn/sdm_cnn.hpp"
#include "amorph/learn/sdm_dataset.hpp"
#include "amorph/learn/softness.hpp"
