// amorph/learn/model.hpp — a trained linear model with its scaler and feature
// definition, and its JSON file format.
//
// A linear_model maps a raw feature row x to
//   z = (x - mean) / scale          (the training-set scaler; identity if none)
//   f = w . z + b                   (decision value; SVR prediction, e.g. SF = ln v_flex)
//   S = f / |w|                     (softness: signed distance to the hyperplane)
// and remembers how its features were made (descriptor settings and the
// species names that fix the column order), so that applying it to a
// configuration recomputes exactly those features, and applying it to a
// feature matrix of the wrong width fails.
//
// File format (JSON, one object; numbers round-trip exactly):
// {
//   "format": "amorph-linear-model", "version": 1,
//   "task": "classification" | "regression",
//   "loss": "squared_hinge" | "squared_epsilon_insensitive",
//   "C": 1, "epsilon": 0.1,
//   "bias": "regularized" | "unregularized" | "none", "bias_value": 1,
//   "n_features": d,
//   "weights": [d numbers], "intercept": b,
//   "scaler": {"mean": [d], "scale": [d]} | null,
//   "descriptor": null | {
//       "radial": null | {"mu": [...], "width": L, "form": "two_l2" | "l2",
//                         "cutoff": rc, "cutoff_inclusive": false,
//                         "distance_unit": [...], "tail_tolerance": 1e-16},
//       "angular": null | {"terms": [[xi, lambda, zeta], ...], "cutoff": rc,
//                          "order": "unordered" | "ordered", "tail_tolerance": 1e-16},
//       "bias": false },
//   "species": ["Al", "O"],          // descriptor column order (may be empty)
//   "center_species": ["Al"],        // the atoms the model was trained on (may be empty)
//   "training": {"objective": ..., "iterations": ..., "converged": true, "n_samples": n,
//                "train_score": ...}   // informative only
// }
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/descriptor/structure_functions.hpp"
#include "amorph/learn/json.hpp"
#include "amorph/learn/linear_svm.hpp"
#include "amorph/learn/scaler.hpp"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace amorph::learn {

struct linear_model {
    task kind = task::classification;
    linear_options options;
    standard_scaler scaler;                           ///< empty: features used as given
    linear_fit fit;
    std::optional<descriptor::settings> descriptor;   ///< how the features are made, if known
    std::vector<std::string> species;                 ///< descriptor species order
    std::vector<std::string> center_species;          ///< atoms the model applies to (empty: all)
    std::size_t n_samples = 0;                        ///< training set size (informative)
    double train_score = 0;                           ///< accuracy or Pearson rho on the training set

    Eigen::Index n_features() const { return fit.w.size(); }

    /// Decision values w . z + b of raw feature rows.
    Eigen::VectorXd decision(const Eigen::Ref<const row_matrix>& X) const {
        if (X.cols() != n_features())
            throw invalid_argument("model: feature matrix has " + std::to_string(X.cols()) + " columns, the model " +
                                   std::to_string(n_features()));
        if (scaler.empty()) return fit.decision(X);
        return fit.decision(scaler.transformed(X));
    }
    /// Signed distance to the hyperplane (softness) of raw feature rows.
    Eigen::VectorXd softness(const Eigen::Ref<const row_matrix>& X) const {
        const double n = fit.w.norm();
        if (!(n > 0)) throw invalid_argument("model: the weight vector is zero");
        return decision(X) / n;
    }
};

// --- JSON ----------------------------------------------------------------------

/// Descriptor settings and linear models as JSON values (format above).
AMORPH_FUNC json::value to_json(const descriptor::settings& s);
AMORPH_FUNC descriptor::settings settings_from_json(const json::value& v);
AMORPH_FUNC json::value to_json(const linear_model& m);
AMORPH_FUNC linear_model model_from_json(const json::value& v);
/// A model file: write, read (parse errors name the file).
AMORPH_FUNC void save_model(const std::filesystem::path& path, const linear_model& m);
AMORPH_FUNC linear_model load_model(const std::filesystem::path& path);

// Definitions: here when header-only, in amorph::compiled otherwise (core/compiled.hpp).
#if AMORPH_DEFINITIONS
namespace detail {
inline const char* form_name(descriptor::gaussian_form f) { return f == descriptor::gaussian_form::l2 ? "l2" : "two_l2"; }
inline const char* bias_name(bias_mode b) {
    return b == bias_mode::regularized ? "regularized" : b == bias_mode::unregularized ? "unregularized" : "none";
}
inline std::vector<std::string> to_strings(const json::value& v, const std::string& what) {
    std::vector<std::string> out;
    for (const auto& e : v.as_array(what)) out.push_back(e.as_string(what));
    return out;
}
inline json::value string_array(const std::vector<std::string>& s) {
    json::array a;
    for (const auto& x : s) a.emplace_back(x);
    return json::value(std::move(a));
}
inline json::value scalar_or(const json::value& obj, const char* key, json::value dflt) {
    const json::value* v = obj.find(key);
    return v ? *v : dflt;
}
}  // namespace detail

AMORPH_FUNC json::value to_json(const descriptor::settings& s) {
    json::value radial = nullptr, angular = nullptr;
    if (s.radial) {
        const auto& r = *s.radial;
        radial = json::object{{"mu", json::number_array(r.mu)},
                              {"width", r.width},
                              {"form", detail::form_name(r.form)},
                              {"cutoff", r.cutoff},
                              {"cutoff_inclusive", r.cutoff_inclusive},
                              {"distance_unit", json::number_array(r.distance_unit)},
                              {"tail_tolerance", r.tail_tolerance}};
    }
    if (s.angular) {
        const auto& a = *s.angular;
        json::array terms(a.terms.size());
        for (std::size_t k = 0; k < a.terms.size(); ++k)
            terms[k] = json::array{a.terms[k].xi, a.terms[k].lambda, a.terms[k].zeta};
        angular = json::object{{"terms", std::move(terms)},
                               {"cutoff", a.cutoff},
                               {"order", a.order == descriptor::pair_order::ordered ? "ordered" : "unordered"},
                               {"tail_tolerance", a.tail_tolerance}};
    }
    // (built from initializer lists: GCC 12 reports a false -Warray-bounds on
    // emplace_back into a vector of pair<string, value>)
    return json::object{{"radial", std::move(radial)}, {"angular", std::move(angular)}, {"bias", s.bias}};
}

AMORPH_FUNC descriptor::settings settings_from_json(const json::value& v) {
    descriptor::settings s;
    if (const auto* r = v.find("radial"); r && !r->is_null()) {
        descriptor::radial_settings rs;
        rs.mu = json::to_numbers(r->at("mu"), "radial.mu");
        rs.width = r->at("width").as_number("radial.width");
        const std::string form = detail::scalar_or(*r, "form", "two_l2").as_string("radial.form");
        if (form == "two_l2") rs.form = descriptor::gaussian_form::two_l2;
        else if (form == "l2") rs.form = descriptor::gaussian_form::l2;
        else throw invalid_argument("json: radial.form must be \"two_l2\" or \"l2\", got \"" + form + "\"");
        rs.cutoff = detail::scalar_or(*r, "cutoff", 0.0).as_number("radial.cutoff");
        rs.cutoff_inclusive = detail::scalar_or(*r, "cutoff_inclusive", false).as_bool("radial.cutoff_inclusive");
        if (const auto* u = r->find("distance_unit")) rs.distance_unit = json::to_numbers(*u, "radial.distance_unit");
        rs.tail_tolerance = detail::scalar_or(*r, "tail_tolerance", 1e-16).as_number("radial.tail_tolerance");
        s.radial = rs;
    }
    if (const auto* a = v.find("angular"); a && !a->is_null()) {
        descriptor::angular_settings as;
        for (const auto& t : a->at("terms").as_array("angular.terms")) {
            const auto x = json::to_numbers(t, "angular term");
            if (x.size() != 3) throw invalid_argument("json: an angular term is [xi, lambda, zeta]");
            as.terms.push_back({x[0], x[1], x[2]});
        }
        as.cutoff = detail::scalar_or(*a, "cutoff", 0.0).as_number("angular.cutoff");
        const std::string order = detail::scalar_or(*a, "order", "unordered").as_string("angular.order");
        if (order == "unordered") as.order = descriptor::pair_order::unordered;
        else if (order == "ordered") as.order = descriptor::pair_order::ordered;
        else throw invalid_argument("json: angular.order must be \"unordered\" or \"ordered\", got \"" + order + "\"");
        as.tail_tolerance = detail::scalar_or(*a, "tail_tolerance", 1e-16).as_number("angular.tail_tolerance");
        s.angular = as;
    }
    s.bias = detail::scalar_or(v, "bias", false).as_bool("bias");
    return s;
}

AMORPH_FUNC json::value to_json(const linear_model& m) {
    const bool cls = m.kind == task::classification;
    json::value scaler = nullptr;
    if (!m.scaler.empty())
        scaler = json::object{{"mean", json::number_array(m.scaler.mean)}, {"scale", json::number_array(m.scaler.scale)}};
    return json::object{
        {"format", "amorph-linear-model"},
        {"version", 1},
        {"task", cls ? "classification" : "regression"},
        {"loss", cls ? "squared_hinge" : "squared_epsilon_insensitive"},
        {"C", m.options.C},
        {"epsilon", m.options.epsilon},
        {"bias", detail::bias_name(m.options.bias)},
        {"bias_value", m.options.bias_value},
        {"n_features", static_cast<std::size_t>(m.n_features())},
        {"weights", json::number_array(m.fit.w)},
        {"intercept", m.fit.b},
        {"scaler", std::move(scaler)},
        {"descriptor", m.descriptor ? to_json(*m.descriptor) : json::value(nullptr)},
        {"species", detail::string_array(m.species)},
        {"center_species", detail::string_array(m.center_species)},
        {"training", json::object{{"objective", m.fit.objective},
                                  {"iterations", m.fit.iterations},
                                  {"converged", m.fit.converged},
                                  {"n_samples", m.n_samples},
                                  {"train_score", m.train_score}}}};
}

AMORPH_FUNC linear_model model_from_json(const json::value& v) {
    if (detail::scalar_or(v, "format", "").as_string("format") != "amorph-linear-model")
        throw invalid_argument("json: not an amorph linear model (\"format\" must be \"amorph-linear-model\")");
    if (v.at("version").as_number("version") != 1) throw unsupported("json: unsupported model version");
    linear_model m;
    const std::string t = v.at("task").as_string("task");
    if (t == "classification") m.kind = task::classification;
    else if (t == "regression") m.kind = task::regression;
    else throw invalid_argument("json: task must be \"classification\" or \"regression\"");
    m.options.C = v.at("C").as_number("C");
    m.options.epsilon = detail::scalar_or(v, "epsilon", 0.1).as_number("epsilon");
    const std::string b = v.at("bias").as_string("bias");
    if (b == "regularized") m.options.bias = bias_mode::regularized;
    else if (b == "unregularized") m.options.bias = bias_mode::unregularized;
    else if (b == "none") m.options.bias = bias_mode::none;
    else throw invalid_argument("json: bias must be \"regularized\", \"unregularized\" or \"none\"");
    m.options.bias_value = detail::scalar_or(v, "bias_value", 1.0).as_number("bias_value");
    const auto w = json::to_numbers(v.at("weights"), "weights");
    const double nf = v.at("n_features").as_number("n_features");
    if (nf != static_cast<double>(w.size()))
        throw invalid_argument("json: n_features (" + std::to_string(nf) + ") differs from the number of weights (" +
                               std::to_string(w.size()) + ")");
    m.fit.w = Eigen::Map<const Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size()));
    m.fit.b = v.at("intercept").as_number("intercept");
    if (!m.fit.w.allFinite() || !std::isfinite(m.fit.b)) throw invalid_argument("json: non-finite weight");
    if (const auto* s = v.find("scaler"); s && !s->is_null()) {
        const auto mean = json::to_numbers(s->at("mean"), "scaler.mean");
        const auto scale = json::to_numbers(s->at("scale"), "scaler.scale");
        if (mean.size() != w.size() || scale.size() != w.size())
            throw invalid_argument("json: scaler size differs from the number of weights");
        for (double x : scale)
            if (!(x > 0) || !std::isfinite(x)) throw invalid_argument("json: scaler scale must be positive");
        m.scaler.mean = Eigen::Map<const Eigen::VectorXd>(mean.data(), static_cast<Eigen::Index>(mean.size()));
        m.scaler.scale = Eigen::Map<const Eigen::VectorXd>(scale.data(), static_cast<Eigen::Index>(scale.size()));
    }
    if (const auto* d = v.find("species")) m.species = detail::to_strings(*d, "species");
    if (const auto* d = v.find("center_species")) m.center_species = detail::to_strings(*d, "center_species");
    if (const auto* d = v.find("descriptor"); d && !d->is_null()) {
        m.descriptor = settings_from_json(*d);
        if (m.species.empty()) throw invalid_argument("json: a model with a descriptor must name its species");
        descriptor::validate(*m.descriptor, m.species.size());
        const auto expect = descriptor::feature_count(*m.descriptor, m.species.size());
        if (expect != w.size())
            throw invalid_argument("json: the descriptor makes " + std::to_string(expect) + " features for " +
                                   std::to_string(m.species.size()) + " species, the model has " +
                                   std::to_string(w.size()) + " weights");
    }
    if (const auto* tr = v.find("training"); tr && tr->is_object()) {
        if (const auto* x = tr->find("objective"); x && x->is_number()) m.fit.objective = x->as_number();
        if (const auto* x = tr->find("iterations"); x && x->is_number()) m.fit.iterations = static_cast<std::size_t>(x->as_number());
        if (const auto* x = tr->find("converged"); x && x->is_bool()) m.fit.converged = x->as_bool();
        if (const auto* x = tr->find("n_samples"); x && x->is_number()) m.n_samples = static_cast<std::size_t>(x->as_number());
        if (const auto* x = tr->find("train_score"); x && x->is_number()) m.train_score = x->as_number();
    }
    return m;
}

AMORPH_FUNC void save_model(const std::filesystem::path& path, const linear_model& m) {
    std::ofstream out(path);
    if (!out) throw io_error("cannot open " + path.string() + " for writing");
    out << json::dump(to_json(m)) << '\n';
    if (!out) throw io_error("cannot write " + path.string());
}

AMORPH_FUNC linear_model load_model(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw io_error("cannot open " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    try {
        return model_from_json(json::parse(ss.str(), path.string()));
    } catch (const parse_error&) {
        throw;
    } catch (const error& e) {
        throw parse_error(path.string(), 0, "", e.what());
    }
}

#endif  // AMORPH_DEFINITIONS

}  // namespace amorph::learn
