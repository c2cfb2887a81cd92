// apps/amorph/cmd_softness.cpp — `amorph softness train|predict`: the linear
// SVM softness (and SVR structural flexibility) of amorph/learn/.
//
// train: --features X.npy --labels y.npy [--task classification|regression]
//        [--C 1] [--epsilon 0.1] [--cv C1,C2,...] [--folds 5] [--groups ids.npy]
//        [--seed 1] [--no-standardize] [--min-std 1e-12] [--bias regularized|unregularized|none]
//        [--descriptor settings.json --species A,B [--center-species A]] -o model.json
//   Prints the training score and the k-fold cross-validated score (accuracy,
//   or Pearson rho for regression) at each C of --cv (default: just --C); with
//   --cv the model is trained at the best C. --groups keeps the samples of one
//   atom in one fold. --descriptor stores the feature definition in the model
//   so that `predict FILE` can recompute the features.
// predict: --model model.json (--features X.npy | FILE) -o OUT
//   With --features: the softness (signed distance to the hyperplane; for a
//   regression model the prediction) of every row -> OUT.npy. With FILE: the
//   model's own features of the atoms of the model's center species, and OUT
//   is .npy (one value per center, --ids-out for their ids) or a configuration
//   file (.xyz/.dump/.data) with the per-atom property "softness" (NaN for
//   atoms that are not centers). --frames A:B[:S] averages each center's
//   softness over those frames of a trajectory (time-averaged softness;
//   centers matched by id), written on the last frame.
#include "cmd_learn.hpp"
#include "common.hpp"
#include "frame_mean.hpp"
#include "table.hpp"

#include <amorph/learn/cross_validation.hpp>
#include <amorph/learn/model.hpp>
#include <amorph/learn/npy.hpp>
#include <amorph/learn/softness.hpp>

#include <CLI/CLI.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

namespace amorph::cli {

namespace {

struct train_cli {
    std::string features, labels, groups, task = "classification", bias = "regularized", descriptor, output;
    std::vector<std::string> species, center_species;
    std::vector<double> cv;
    double C = 1, epsilon = 0.1;
    int folds = 5;
    std::uint64_t seed = 1;
    bool no_standardize = false;
    run_options run;  ///< --threads, --quiet
    double min_std = 1e-12;
};

struct predict_cli {
    input_options in;
    std::string model, features, output, ids_out, output_format = "auto";
    run_options run;
};

learn::bias_mode parse_bias(const std::string& b) {
    if (b == "unregularized") return learn::bias_mode::unregularized;
    if (b == "none") return learn::bias_mode::none;
    return learn::bias_mode::regularized;
}

int run_train(const train_cli& o) {
    const auto X = learn::read_npy(o.features).matrix();
    const bool cls = o.task == "classification";
    const auto ynpy = learn::read_npy(o.labels);
    std::vector<std::int64_t> groups;
    if (!o.groups.empty())
        for (double g : learn::read_npy(o.groups).vector()) groups.push_back(static_cast<std::int64_t>(g));
    learn::cv_options cvo;
    cvo.folds = o.folds;
    cvo.seed = o.seed;
    cvo.standardize = !o.no_standardize;
    cvo.min_std = o.min_std;
    cvo.fit.epsilon = o.epsilon;
    cvo.fit.bias = parse_bias(o.bias);
    cvo.fit.seed = o.seed;
    const std::vector<double> Cs = o.cv.empty() ? std::vector<double>{o.C} : o.cv;
    std::vector<learn::cv_point> scan;
    std::vector<int> yi;
    std::vector<double> yd;
    if (cls) yi = ynpy.labels();
    else yd = ynpy.vector();
    scan = cls ? learn::cross_validate_svc(X, yi, Cs, cvo, groups) : learn::cross_validate_svr(X, yd, Cs, cvo, groups);
    const auto best = learn::best(scan);
    learn::train_options to;
    to.standardize = !o.no_standardize;
    to.min_std = o.min_std;
    to.svm = cvo.fit;
    to.svm.C = o.cv.empty() ? o.C : best.C;
    learn::feature_origin origin;
    if (!o.descriptor.empty()) {
        std::ifstream in(o.descriptor);
        if (!in) throw io_error("cannot open " + o.descriptor);
        std::stringstream ss;
        ss << in.rdbuf();
        origin.descriptor = learn::settings_from_json(learn::json::parse(ss.str(), o.descriptor));
        if (o.species.empty()) throw invalid_argument("softness train: --descriptor needs --species (column order)");
        origin.species = o.species;
        origin.center_species = o.center_species;
        const auto nf = descriptor::feature_count(*origin.descriptor, o.species.size());
        if (nf != static_cast<std::size_t>(X.cols()))
            throw invalid_argument("softness train: the descriptor makes " + std::to_string(nf) + " features, " +
                                   o.features + " has " + std::to_string(X.cols()) + " columns");
    }
    const auto m = cls ? learn::train_softness(X, yi, to, origin) : learn::train_regressor(X, yd, to, origin);
    learn::save_model(o.output, m);
    if (!o.run.quiet) {
        const char* score = cls ? "accuracy" : "pearson_rho";
        table t({"C", std::string("train_") + score, std::string("cv_") + score, "cv_std"});
        for (const auto& p : scan) t.add_row({p.C, p.train_score, p.test_score, p.test_std});
        std::cout << X.rows() << " samples, " << X.cols() << " features, " << o.folds << "-fold cross-validation"
                  << (groups.empty() ? "" : " (grouped)") << "\n";
        t.print(std::cout);
        std::cout << "model at C = " << to.svm.C << ": training " << score << " " << format_number(m.train_score)
                  << (m.fit.converged ? "" : " (solver did not converge)") << "; wrote " << o.output << "\n";
    }
    return 0;
}

int run_predict(const predict_cli& o) {
    const auto m = learn::load_model(o.model);
    auto to_vector = [](const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); };
    if (!o.features.empty()) {
        if (!o.in.file.empty()) throw invalid_argument("softness predict: give --features or FILE, not both");
        const auto X = learn::read_npy(o.features).matrix();
        const Eigen::VectorXd s = m.kind == learn::task::classification ? m.softness(X) : m.decision(X);
        learn::write_npy(o.output, to_vector(s));
        if (!o.run.quiet) std::cout << "wrote " << s.size() << " values to " << o.output << "\n";
        return 0;
    }
    if (o.in.file.empty()) throw invalid_argument("softness predict: give --features X.npy or a configuration FILE");
    const int dim = resolve_dimension(o.in);
    return with_dimension(dim, [&](auto d) {
        constexpr int D = decltype(d)::value;
        // one frame, or each center's mean over --frames (time-averaged
        // softness; centers matched by id, written on the last frame)
        amorph::system<D> sys;
        std::vector<std::size_t> centers;
        frame_mean acc(o.in.file);
        for_each_input_frame<D>(o.in, [&](std::int64_t k, amorph::system<D>& fr) {
            centers = learn::atoms_of_species(fr, m.center_species);
            std::vector<std::int64_t> ids;
            for (std::size_t c : centers) ids.push_back(fr.ids[c]);
            acc.add(k, ids, learn::apply_model(fr, centers, m));
            sys = std::move(fr);
        });
        // rows in the order of the last frame's centers
        const auto mean = acc.mean();
        Eigen::VectorXd s(mean.rows());
        for (std::size_t j = 0; j < centers.size(); ++j)
            s(static_cast<Eigen::Index>(j)) = mean(acc.row_of(-1, sys.ids[centers[j]]), 0);
        const bool npy = o.output.size() >= 4 && o.output.substr(o.output.size() - 4) == ".npy";
        if (npy) {
            learn::write_npy(o.output, to_vector(s));
            if (!o.ids_out.empty()) {
                std::vector<std::int64_t> ids;
                for (std::size_t c : centers) ids.push_back(sys.ids[c]);
                learn::write_npy(o.ids_out, ids);
            }
        } else {
            std::vector<double> per_atom(sys.size(), std::numeric_limits<double>::quiet_NaN());
            for (std::size_t k = 0; k < centers.size(); ++k) per_atom[centers[k]] = s(static_cast<Eigen::Index>(k));
            sys.set_property(m.kind == learn::task::classification ? "softness" : "prediction", per_atom);
            save_system<D>(o.output, sys, output_format_for(o.output, o.output_format));
        }
        if (!o.run.quiet)
            std::cout << "wrote " << (m.kind == learn::task::classification ? "softness" : "predictions") << " of "
                      << centers.size() << " atoms to " << o.output << "\n";
        return 0;
    });
}

}  // namespace

void add_softness_command(CLI::App& app, registry& reg) {
    auto* cmd = app.add_subcommand("softness", "train / apply a linear SVM softness (or SVR) model");
    cmd->require_subcommand(1);

    auto t = std::make_shared<train_cli>();
    auto* tr = cmd->add_subcommand("train", "train on features.npy + labels.npy -> model.json");
    tr->add_option("--features", t->features, "feature matrix .npy (samples x features)")->required()->check(CLI::ExistingFile);
    tr->add_option("--labels", t->labels, "labels .npy (1 / 0, or targets for regression)")->required()->check(CLI::ExistingFile);
    tr->add_option("--task", t->task, "classification (SVM, softness) | regression (SVR)")
        ->check(CLI::IsMember({"classification", "regression"}));
    tr->add_option("--C", t->C, "regularization parameter (default 1)");
    tr->add_option("--epsilon", t->epsilon, "SVR tube half-width (default 0.1)");
    add_list_option(*tr, "--cv", t->cv, "values of C to cross-validate; the best is used");
    tr->add_option("--folds", t->folds, "cross-validation folds (default 5)")->check(CLI::Range(2, 1000));
    tr->add_option("--groups", t->groups, "group key per sample (.npy, e.g. atom ids): one group never in two folds");
    tr->add_option("--seed", t->seed, "seed of the folds and of the solver (default 1)");
    tr->add_flag("--no-standardize", t->no_standardize, "use the features as given (no mean/std scaling)");
    tr->add_option("--min-std", t->min_std,
                   "features whose training std is below this x max(1, |mean|) are not scaled (default 1e-12)")
        ->check(non_negative);
    tr->add_option("--bias", t->bias, "regularized (LIBLINEAR -B 1, default) | unregularized | none")
        ->check(CLI::IsMember({"regularized", "unregularized", "none"}));
    tr->add_option("--descriptor", t->descriptor, "feature definition JSON (from `amorph sf --save-settings`)");
    add_list_option(*tr, "--species", t->species, "species order of the features (with --descriptor)");
    add_list_option(*tr, "--center-species", t->center_species, "species the model applies to");
    tr->add_option("-o,--output", t->output, "model JSON")->required();
    add_command(reg, tr, t->run, [t] { return run_train(*t); });

    auto p = std::make_shared<predict_cli>();
    auto* pr = cmd->add_subcommand("predict", "softness of a feature matrix or of a configuration");
    pr->add_option("FILE", p->in.file, "configuration (LAMMPS data, dump or extxyz); or use --features");
    pr->add_option("--format", p->in.format, "input format: auto | data | dump | extxyz")
        ->check(CLI::IsMember({"auto", "data", "dump", "extxyz", "poscar"}));
    pr->add_option("--frame", p->in.frame, "trajectory frame (default -1 = last)");
    add_frames_option(*pr, p->in, "each center's softness averaged over them (matched by id; output on the last frame)");
    add_list_option(*pr, "--species", p->in.species, "names for LAMMPS types 1, 2, ...");
    pr->add_option("--dim", p->in.dim, "2 | 3 | auto")->check(CLI::IsMember({"auto", "2", "3"}));
    pr->add_option("--model", p->model, "model JSON from `softness train`")->required()->check(CLI::ExistingFile);
    pr->add_option("--features", p->features, "feature matrix .npy instead of FILE");
    pr->add_option("-o,--output", p->output, ".npy, or a configuration file with the per-atom property")->required();
    pr->add_option("--output-format", p->output_format, "auto | data | dump | extxyz")
        ->check(CLI::IsMember({"auto", "data", "dump", "extxyz", "poscar"}));
    pr->add_option("--ids-out", p->ids_out, "with FILE and .npy output: ids of the centers");
    add_command(reg, pr, p->run, [p] { return run_predict(*p); });
}

}  // namespace amorph::cli
