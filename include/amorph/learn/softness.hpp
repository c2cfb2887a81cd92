// amorph/learn/softness.hpp — the softness and structural-flexibility workflows.
//
// Softness (Cubuk et al. 2015; alumina, Methods):
//   features X (e.g. structure functions of the atoms of labelled events)
//   -> standard_scaler fitted on the training rows
//   -> L2-regularized L2-loss linear SVM classifier (label 1 = rearranging / soft)
//   -> S_i = (w . z_i + b) / |w|, the signed distance to the hyperplane.
// Structural flexibility (thesis ch. 4, eq 4.4/4.7):
//   features x_i = reduced partial-PDF features with the constant 1 (eq 4.6)
//   -> L2-regularized L2-loss linear SVR on y_i = ln v_flex,i, no separate
//      intercept (the weight of the constant feature plays that role)
//   -> SF_i = w . x_i.
//   The thesis scales x_i before the fit (4.6.2); train_structural_flexibility()
//   takes the features as given (eq 4.4 literally), while train_regressor()
//   with its default standardize = true, which `amorph softness train --svr`
//   and examples/ch4 use, fits on standardized features as the thesis did.
// features_at_samples() streams a trajectory once more and computes the
// features of labelled (atom, frame) samples (e.g. balanced_hop_samples of the
// p_hop events) at their own frames, with any descriptor (the concept of
// descriptor/concepts.hpp: structure functions, SDMs or a user's own).
// train_* fit on the rows given; apply_model() computes the features of a
// configuration (in batches, with the descriptor settings stored in the model
// or with a descriptor given) and returns the softness (classification) or
// the prediction (regression) per center atom.
#pragma once

#include "amorph/analysis/labels.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/descriptor/concepts.hpp"
#include "amorph/descriptor/structure_functions.hpp"
#include "amorph/learn/linear_svm.hpp"
#include "amorph/learn/metrics.hpp"
#include "amorph/learn/model.hpp"
#include "amorph/learn/scaler.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace amorph::learn {

struct train_options {
    linear_options svm;        ///< C, epsilon, bias, solver, tolerances
    bool standardize = true;   ///< fit a standard_scaler on the training rows
    double min_std = 1e-12;    ///< columns with a smaller std pass through (scaler.hpp)
};

/// Describe where the features come from (stored in the model).
struct feature_origin {
    std::optional<descriptor::settings> descriptor;
    std::vector<std::string> species;
    std::vector<std::string> center_species;
};

/// Train a softness classifier (labels: 1 = soft/rearranging, 0 or -1 = not).
inline linear_model train_softness(const Eigen::Ref<const row_matrix>& X, std::span<const int> labels,
                                   const train_options& o = {}, feature_origin origin = {}) {
    linear_model m;
    m.kind = task::classification;
    m.options = o.svm;
    if (o.standardize) m.scaler = standard_scaler::fit(X, o.min_std);
    m.fit = fit_svc(o.standardize ? m.scaler.transformed(X) : row_matrix(X), labels, o.svm);
    m.descriptor = std::move(origin.descriptor);
    m.species = std::move(origin.species);
    m.center_species = std::move(origin.center_species);
    m.n_samples = static_cast<std::size_t>(X.rows());
    const Eigen::VectorXd d = m.decision(X);
    m.train_score = accuracy(labels, std::span<const double>(d.data(), static_cast<std::size_t>(d.size())));
    return m;
}

/// Train a linear SVR (e.g. SF on y = ln v_flex). Defaults follow the thesis:
/// set o.svm.bias = bias_mode::none when X holds the constant-1 column.
inline linear_model train_regressor(const Eigen::Ref<const row_matrix>& X, std::span<const double> y,
                                    const train_options& o = {}, feature_origin origin = {}) {
    linear_model m;
    m.kind = task::regression;
    m.options = o.svm;
    if (o.standardize) m.scaler = standard_scaler::fit(X, o.min_std);
    m.fit = fit_svr(o.standardize ? m.scaler.transformed(X) : row_matrix(X), y, o.svm);
    m.descriptor = std::move(origin.descriptor);
    m.species = std::move(origin.species);
    m.center_species = std::move(origin.center_species);
    m.n_samples = static_cast<std::size_t>(X.rows());
    const Eigen::VectorXd d = m.decision(X);
    m.train_score = pearson(y, std::span<const double>(d.data(), static_cast<std::size_t>(d.size())));
    return m;
}

/// Structural flexibility model of eq 4.4 taken literally: no scaler, no
/// intercept (features carry the bias column), SVR with the given C and
/// epsilon. For the thesis's fit on scaled features use train_regressor().
inline linear_model train_structural_flexibility(const Eigen::Ref<const row_matrix>& X, std::span<const double> ln_vflex,
                                                 double C, double epsilon, feature_origin origin = {}) {
    train_options o;
    o.standardize = false;
    o.svm.C = C;
    o.svm.epsilon = epsilon;
    o.svm.bias = bias_mode::none;
    return train_regressor(X, ln_vflex, o, std::move(origin));
}

/// Indices of the atoms of `sys` whose species is one of `names` (all atoms if empty).
template <int D>
std::vector<std::size_t> atoms_of_species(const amorph::system<D>& sys, const std::vector<std::string>& names) {
    std::vector<std::size_t> out;
    std::vector<char> want(sys.species.size(), names.empty() ? 1 : 0);
    for (const auto& n : names) {
        const auto t = sys.species.find(n);
        if (!t) throw invalid_argument("model: species \"" + n + "\" is not in the configuration");
        want[static_cast<std::size_t>(*t)] = 1;
    }
    for (std::size_t i = 0; i < sys.size(); ++i)
        if (want.at(static_cast<std::size_t>(sys.types[i]))) out.push_back(i);
    return out;
}

/// Features of labelled samples at their frames: streams frames from
/// next(system, timestep) -> bool (frame k = k-th call), and for every sample
/// with frame == k computes the features of the atom with id ids[sample.atom]
/// (ids: the atom order of the samples, e.g. p_hop_stream::ids()). Row r of
/// the result belongs to samples[r]. Stops reading after the last needed frame.
template <int D, class Next, class Desc>
    requires descriptor::descriptor<Desc, D>
descriptor::feature_matrix features_at_samples(Next&& next, std::span<const analysis::labelled_sample> samples,
                                               std::span<const std::int64_t> ids, const Desc& desc) {
    std::size_t last = 0;
    for (const auto& x : samples) {
        if (x.atom >= ids.size())
            throw invalid_argument("features at samples: atom index " + std::to_string(x.atom) + " beyond the " +
                                   std::to_string(ids.size()) + " ids");
        last = std::max(last, x.frame);
    }
    // rows of each frame
    std::unordered_map<std::size_t, std::vector<std::size_t>> by_frame;
    for (std::size_t r = 0; r < samples.size(); ++r) by_frame[samples[r].frame].push_back(r);
    descriptor::feature_matrix out;
    amorph::system<D> sys;
    std::int64_t step = 0;
    std::size_t done = 0;
    for (std::size_t k = 0; !samples.empty() && k <= last; ++k) {
        if (!next(sys, step))
            throw invalid_argument("features at samples: the trajectory ends at frame " + std::to_string(k) +
                                   ", samples need frame " + std::to_string(last));
        const auto it = by_frame.find(k);
        if (it == by_frame.end()) continue;
        const auto sf = make_evaluator(desc, sys);
        if (out.rows() == 0) out.resize(static_cast<Eigen::Index>(samples.size()), static_cast<Eigen::Index>(sf.n_features()));
        if (out.cols() != static_cast<Eigen::Index>(sf.n_features()))
            throw invalid_argument("features at samples: the number of species changed at frame " + std::to_string(k));
        const auto index = sys.index_of_ids();
        std::vector<std::size_t> centers;
        for (std::size_t r : it->second) {
            const auto f = index.find(ids[samples[r].atom]);
            if (f == index.end())
                throw invalid_argument("features at samples: atom id " + std::to_string(ids[samples[r].atom]) +
                                       " is missing from frame " + std::to_string(k));
            centers.push_back(f->second);
        }
        descriptor::feature_matrix rows(static_cast<Eigen::Index>(centers.size()), out.cols());
        sf.compute(centers, rows);
        for (std::size_t q = 0; q < centers.size(); ++q)
            out.row(static_cast<Eigen::Index>(it->second[q])) = rows.row(static_cast<Eigen::Index>(q));
        done += centers.size();
    }
    if (done != samples.size()) throw invalid_argument("features at samples: internal count mismatch");
    return out;
}

/// Atom ids of the samples (the groups for learn::group_split / group_folds).
inline std::vector<std::int64_t> sample_ids(std::span<const analysis::labelled_sample> samples,
                                            std::span<const std::int64_t> ids) {
    std::vector<std::int64_t> g(samples.size());
    for (std::size_t r = 0; r < samples.size(); ++r) g[r] = ids[samples[r].atom];
    return g;
}

/// Labels (0/1) of the samples.
inline std::vector<int> sample_labels(std::span<const analysis::labelled_sample> samples) {
    std::vector<int> y(samples.size());
    for (std::size_t r = 0; r < samples.size(); ++r) y[r] = samples[r].label;
    return y;
}

/// Apply a model to the given atoms of a configuration with descriptor `desc`
/// (any descriptor::descriptor, e.g. a user's own): softness
/// (classification) or prediction (regression) per center, features computed
/// in batches of `batch` atoms. The configuration's species names must equal
/// the model's, in order.
template <int D, class Desc>
    requires descriptor::descriptor<Desc, D>
Eigen::VectorXd apply_model(const amorph::system<D>& sys, std::span<const std::size_t> centers, const linear_model& m,
                            const Desc& desc, std::size_t batch = 16384) {
    std::vector<std::string> names;
    for (const auto& s : sys.species) names.push_back(s.name);
    if (names != m.species) {
        std::string a, b;
        for (const auto& s : names) a += (a.empty() ? "" : ",") + s;
        for (const auto& s : m.species) b += (b.empty() ? "" : ",") + s;
        throw invalid_argument("model: species of the configuration (" + a + ") differ from the model's (" + b + ")");
    }
    const auto sf = make_evaluator(desc, sys);
    if (static_cast<Eigen::Index>(sf.n_features()) != m.n_features())
        throw invalid_argument("model: descriptor makes " + std::to_string(sf.n_features()) + " features, the model has " +
                               std::to_string(m.n_features()) + " weights");
    Eigen::VectorXd out(static_cast<Eigen::Index>(centers.size()));
    batch = std::max<std::size_t>(batch, 1);
    descriptor::feature_matrix X;
    for (std::size_t start = 0; start < centers.size(); start += batch) {
        const std::size_t len = std::min(batch, centers.size() - start);
        X.resize(static_cast<Eigen::Index>(len), static_cast<Eigen::Index>(sf.n_features()));
        sf.compute(centers.subspan(start, len), X);
        out.segment(static_cast<Eigen::Index>(start), static_cast<Eigen::Index>(len)) =
            m.kind == task::classification ? m.softness(X) : m.decision(X);
    }
    return out;
}

/// apply_model with the structure-function descriptor stored in the model.
template <int D>
Eigen::VectorXd apply_model(const amorph::system<D>& sys, std::span<const std::size_t> centers, const linear_model& m,
                            std::size_t batch = 16384) {
    if (!m.descriptor) throw invalid_argument("model: no descriptor settings stored; compute the features yourself");
    return apply_model(sys, centers, m, *m.descriptor, batch);
}

}  // namespace amorph::learn
