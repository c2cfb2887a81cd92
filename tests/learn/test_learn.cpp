// Unit tests of the learn layer: JSON, scaler, metrics, the two SVM/SVR
// solvers against each other and against the optimality conditions, splits,
// cross-validation, model files and the softness workflow.
#include "amorph/analysis/p_hop.hpp"
#include "amorph/descriptor/sdm.hpp"
#include "amorph/learn/cross_validation.hpp"
#include "amorph/learn/json.hpp"
#include "amorph/learn/linear_svm.hpp"
#include "amorph/learn/metrics.hpp"
#include "amorph/learn/model.hpp"
#include "amorph/learn/npy.hpp"
#include "amorph/learn/scaler.hpp"
#include "amorph/learn/softness.hpp"
#include "learn_data.hpp"

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>

using namespace amorph;
using namespace amorph::learn;

namespace {

/// Gradient of the primal objective (bias regularized or not) at a fit.
Eigen::VectorXd primal_gradient(const row_matrix& X, std::span<const double> t, const linear_fit& m,
                                const linear_options& o, bool classification) {
    const Eigen::Index d = X.cols();
    Eigen::VectorXd g(d + 1);
    const double wb = m.b / o.bias_value;
    g.head(d) = m.w;
    g(d) = o.bias == bias_mode::regularized ? wb : 0.0;
    const Eigen::VectorXd f = m.decision(X);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        double l1 = 0;
        const double yi = t[static_cast<std::size_t>(i)];
        if (classification) {
            const double mg = 1 - yi * f(i);
            if (mg > 0) l1 = -2 * o.C * yi * mg;
        } else {
            const double r = yi - f(i), a = std::abs(r) - o.epsilon;
            if (a > 0) l1 = -2 * o.C * (r > 0 ? 1 : -1) * a;
        }
        g.head(d) += l1 * X.row(i).transpose();
        g(d) += l1 * o.bias_value;
    }
    if (o.bias == bias_mode::none) return g.head(d);  // no bias weight
    return g;
}

}  // namespace

TEST_CASE("json reads and writes values exactly", "[learn][json]") {
    const std::string text = R"({"a": [1, -2.5e-3, 0.1, 1e300], "s": "q\"\\\n\u00e9\ud83d\ude00", "t": true, "n": null,
                                "o": {"x": {}}, "e": []})";
    const auto v = json::parse(text);
    CHECK(v.at("a").as_array().size() == 4);
    CHECK(v.at("a").as_array()[1].as_number() == -2.5e-3);
    CHECK(v.at("s").as_string() == "q\"\\\n\xc3\xa9\xf0\x9f\x98\x80");
    CHECK(v.at("t").as_bool());
    CHECK(v.at("n").is_null());
    const auto again = json::parse(json::dump(v));
    CHECK(json::dump(again) == json::dump(v));
    CHECK(json::dump(again, -1) == json::dump(v, -1));
    // doubles round-trip bit for bit
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(-1e5, 1e5);
    std::vector<double> xs;
    for (int k = 0; k < 200; ++k) xs.push_back(u(rng) * std::pow(10.0, static_cast<int>(rng() % 40) - 20));
    const auto back = json::to_numbers(json::parse(json::dump(json::number_array(xs))), "xs");
    CHECK(back == xs);
    for (const char* bad : {"{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"\\x\"", "{\"a\":1,\"a\":2}", "[1] 2",
                            "\"\\ud800\"", "-"})
        CHECK_THROWS_AS(json::parse(bad, "bad.json"), parse_error);
    try {
        json::parse("{\n\"a\": [1,\n 2,, 3]}", "f.json");
        FAIL("no throw");
    } catch (const parse_error& e) {
        CHECK(e.file() == "f.json");
        CHECK(e.line() == 3);
    }
}

TEST_CASE("standard scaler and metrics", "[learn]") {
    row_matrix X(4, 3);
    X << 1, 5, 2, 2, 5, 4, 3, 5, 6, 6, 5, 8;
    const auto s = standard_scaler::fit(X);
    CHECK(s.mean(0) == Approx(3.0));
    CHECK(s.scale(0) == Approx(std::sqrt(3.5)));  // population std of 1,2,3,6
    CHECK(s.mean(1) == 0.0);                       // constant column passed through
    CHECK(s.scale(1) == 1.0);
    const auto Z = s.transformed(X);
    CHECK(Z.col(0).mean() == Approx(0).margin(1e-15));
    CHECK(Z.col(2).squaredNorm() / 4 == Approx(1.0));
    CHECK((Z.col(1).array() == 5.0).all());
    row_matrix bad(2, 2);
    CHECK_THROWS_AS(s.transform(bad), invalid_argument);

    // min_std: a column of numerical dust (std 4e-12, above the default 1e-12
    // threshold) is standardized by default and passed through with min_std 1e-6
    row_matrix dust(4, 2);
    dust << 1e-12, 1, 5e-12, 2, 1e-11, 3, 3e-12, 4;
    CHECK(standard_scaler::fit(dust).scale(0) == Approx(3.5e-12).epsilon(0.1));
    const auto robust = standard_scaler::fit(dust, 1e-6);
    CHECK(robust.mean(0) == 0.0);
    CHECK(robust.scale(0) == 1.0);
    CHECK(robust.scale(1) == Approx(std::sqrt(1.25)));
    CHECK_THROWS_AS(standard_scaler::fit(dust, -1.0), invalid_argument);

    const std::vector<int> y{1, 0, 1, -1};
    const std::vector<double> d{0.3, -0.1, -2.0, 0.0};
    CHECK(accuracy(y, d) == 0.75);
    const std::vector<double> a{1, 2, 3, 4}, b{2, 4, 5, 9};
    // by hand: da = (-1.5, -0.5, 0.5, 1.5), db = (-3, -1, 0, 4): 11 / sqrt(5 * 26)
    CHECK(pearson(a, b) == Approx(11.0 / std::sqrt(5.0 * 26.0)));
    CHECK(std::isnan(pearson(a, std::vector<double>{1, 1, 1, 1})));
}

TEST_CASE("SVC: dual coordinate descent and primal Newton reach the same optimum", "[learn][svm]") {
    row_matrix X;
    std::vector<int> y;
    test::make_classification(5, 300, 8, X, y);
    X = standard_scaler::fit(X).transformed(X);  // the dual converges slowly on badly scaled data
    std::vector<double> t(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) t[i] = y[i] ? 1 : -1;
    for (double C : {0.01, 1.0, 50.0})
        for (bias_mode bm : {bias_mode::regularized, bias_mode::none}) {
            linear_options o;
            o.C = C;
            o.bias = bm;
            o.tol = 1e-10;
            o.bias_value = bm == bias_mode::none ? 1.0 : 2.0;
            const auto dual = fit_svc(X, y, o);
            o.method = solver::primal_newton;
            const auto primal = fit_svc(X, y, o);
            CHECK(dual.converged);
            CHECK(primal.converged);
            const double gd = primal_gradient(X, t, dual, o, true).norm();
            const double gp = primal_gradient(X, t, primal, o, true).norm();
            const double dw = (dual.w - primal.w).cwiseAbs().maxCoeff() / primal.w.cwiseAbs().maxCoeff();
            INFO("C=" << C << " |grad| dual " << gd << " primal " << gp << " rel w diff " << dw << " Newton steps "
                      << primal.iterations << " dual passes " << dual.iterations);
            CHECK(gp < 1e-9 * std::max(1.0, C * 300));
            CHECK(dw < 1e-6);
            CHECK(std::abs(dual.objective - primal.objective) <= 1e-9 * primal.objective);
            CHECK(primal.objective <= dual.objective * (1 + 1e-13));
            if (bm == bias_mode::none) CHECK(dual.b == 0.0);
        }
    // unregularized intercept: only the primal solver; the gradient (incl. the
    // bias component, which is the sum of the loss derivatives) vanishes
    linear_options o;
    o.bias = bias_mode::unregularized;
    const auto m = fit_svc(X, y, o);
    CHECK(m.converged);
    CHECK(primal_gradient(X, t, m, o, true).norm() < 1e-8);
    o.method = solver::dual_cd;
    CHECK_THROWS_AS(fit_svc(X, y, o), invalid_argument);
    // same seed, same result; other labels rejected
    linear_options d;
    CHECK(fit_svc(X, y, d).w == fit_svc(X, y, d).w);
    std::vector<int> bad = y;
    bad[3] = 2;
    CHECK_THROWS_AS(fit_svc(X, bad), invalid_argument);
    std::vector<int> one(y.size(), 1);
    CHECK_THROWS_AS(fit_svc(X, one), invalid_argument);
}

TEST_CASE("SVR: dual coordinate descent and primal Newton reach the same optimum", "[learn][svm]") {
    row_matrix X;
    std::vector<double> y;
    test::make_regression(6, 250, 7, X, y);
    X = standard_scaler::fit(X).transformed(X);
    for (double C : {0.05, 1.0, 100.0})
        for (double eps : {0.0, 0.3}) {
            linear_options o;
            o.C = C;
            o.epsilon = eps;
            o.tol = 1e-9;
            const auto dual = fit_svr(X, y, o);
            o.method = solver::primal_newton;
            const auto primal = fit_svr(X, y, o);
            const double gp = primal_gradient(X, y, primal, o, false).norm();
            const double dw = (dual.w - primal.w).cwiseAbs().maxCoeff() / primal.w.cwiseAbs().maxCoeff();
            INFO("C=" << C << " eps=" << eps << " |grad| primal " << gp << " rel w diff " << dw);
            CHECK(dual.converged);
            CHECK(primal.converged);
            CHECK(gp < 1e-9 * std::max(1.0, C * 250));
            CHECK(dw < 1e-6);
            CHECK(std::abs(dual.objective - primal.objective) <= 1e-9 * primal.objective);
        }
    // a noiseless linear target with large C is recovered
    row_matrix Xc;
    std::vector<double> yc;
    test::make_regression(8, 200, 5, Xc, yc, 0.0);
    linear_options o;
    o.C = 1e4;
    o.epsilon = 0;
    o.bias = bias_mode::unregularized;
    const auto m = fit_svr(Xc, yc, o);
    const Eigen::VectorXd pred = m.decision(Xc);
    CHECK(pearson(yc, std::span<const double>(pred.data(), static_cast<std::size_t>(pred.size()))) > 0.999999);
    CHECK(m.b == Approx(0.7).margin(1e-3));
}

TEST_CASE("group splits and folds keep groups together, are seeded and balanced", "[learn][cv]") {
    std::vector<std::int64_t> groups;
    for (int i = 0; i < 500; ++i) groups.push_back((i * 7919) % 97);  // 97 groups, ~5 samples each
    const auto f = group_folds(groups.size(), 5, 42, groups);
    CHECK(f == group_folds(groups.size(), 5, 42, groups));
    CHECK(f != group_folds(groups.size(), 5, 43, groups));
    std::map<std::int64_t, int> fold_of;
    std::vector<int> count(5, 0);
    for (std::size_t i = 0; i < f.size(); ++i) {
        auto [it, fresh] = fold_of.emplace(groups[i], f[i]);
        CHECK(it->second == f[i]);
        ++count[static_cast<std::size_t>(f[i])];
    }
    for (int c : count) CHECK(std::abs(c - 100) <= 6);
    const auto s = group_split(groups.size(), 0.2, 9, groups);
    std::set<std::int64_t> tr, te;
    for (auto i : s.train) tr.insert(groups[i]);
    for (auto i : s.test) te.insert(groups[i]);
    for (auto g : te) CHECK(tr.count(g) == 0);
    CHECK(s.train.size() + s.test.size() == 500);
    CHECK(s.test.size() >= 100);
    CHECK(s.test.size() < 112);
    CHECK_THROWS_AS(group_folds(3, 5, 1), invalid_argument);
}

TEST_CASE("cross-validation over C is deterministic and thread-count independent", "[learn][cv]") {
    row_matrix X;
    std::vector<int> y;
    test::make_classification(21, 400, 10, X, y, 0.7);
    const std::vector<double> Cs{0.001, 0.1, 10};
    cv_options o;
    o.folds = 4;
    const auto a = cross_validate_svc(X, y, Cs, o);
    std::vector<cv_point> b;
    {
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        b = cross_validate_svc(X, y, Cs, o);
    }
    REQUIRE(a.size() == 3);
    for (std::size_t k = 0; k < a.size(); ++k) {
        CHECK(a[k].test_score == b[k].test_score);
        CHECK(a[k].train_score == b[k].train_score);
        CHECK(a[k].test_score > 0.7);
        CHECK(a[k].test_score <= a[k].train_score + 0.05);
    }
    // the held-out score of one fold, recomputed by hand
    const auto fold = group_folds(400, 4, o.seed);
    double mean = 0;
    for (int f = 0; f < 4; ++f) {
        std::vector<std::size_t> itr, ite;
        for (std::size_t i = 0; i < 400; ++i) (fold[i] == f ? ite : itr).push_back(i);
        auto Xtr = take_rows(X, itr), Xte = take_rows(X, ite);
        const auto sc = standard_scaler::fit(Xtr);
        sc.transform(Xtr);
        sc.transform(Xte);
        const auto ytr = take(std::span<const int>(y), std::span<const std::size_t>(itr));
        const auto yte = take(std::span<const int>(y), std::span<const std::size_t>(ite));
        linear_options lo;
        lo.C = 0.1;
        const auto m = fit_svc(Xtr, ytr, lo);
        const Eigen::VectorXd d = m.decision(Xte);
        mean += accuracy(yte, std::span<const double>(d.data(), static_cast<std::size_t>(d.size()))) / 4;
    }
    CHECK(a[1].test_score == Approx(mean).epsilon(1e-14));
    CHECK(best(a).test_score >= a[0].test_score);

    row_matrix Xr;
    std::vector<double> yr;
    test::make_regression(3, 300, 6, Xr, yr, 1.0);
    const auto r = cross_validate_svr(Xr, yr, Cs, o);
    CHECK(r[2].test_score > 0.8);
}

TEST_CASE("model files round-trip and refuse mismatched features", "[learn][model]") {
    row_matrix X;
    std::vector<int> y;
    test::make_classification(31, 200, 4 + 2 * 3, X, y);  // 10 columns: radial 2x2 + angular 3x2
    descriptor::settings s;
    descriptor::radial_settings r;
    r.mu = {1.0, 2.0};
    r.width = 0.3;
    r.form = descriptor::gaussian_form::l2;
    r.cutoff = 4.5;
    r.distance_unit = {1.0, 1.1, 1.1, 1.3};
    s.radial = r;
    descriptor::angular_settings a;
    a.terms = {{1.5, -1, 1}, {2.0, 1, 16}};
    a.cutoff = 3.3;
    a.order = descriptor::pair_order::ordered;
    s.angular = a;
    train_options o;
    o.svm.C = 0.5;
    auto m = train_softness(X, y, o, {s, {"Al", "O"}, {"Al"}});
    const auto path = std::filesystem::temp_directory_path() / ("amorph_model_" + std::to_string(::getpid()) + ".json");
    save_model(path, m);
    const auto back = load_model(path);
    std::filesystem::remove(path);
    CHECK(back.fit.w == m.fit.w);
    CHECK(back.fit.b == m.fit.b);
    CHECK(back.scaler.mean == m.scaler.mean);
    CHECK(back.scaler.scale == m.scaler.scale);
    CHECK(back.species == m.species);
    CHECK(back.center_species == m.center_species);
    CHECK(back.options.C == 0.5);
    REQUIRE(back.descriptor);
    CHECK(back.descriptor->radial->mu == r.mu);
    CHECK(back.descriptor->radial->distance_unit == r.distance_unit);
    CHECK(back.descriptor->radial->form == descriptor::gaussian_form::l2);
    CHECK(back.descriptor->angular->order == descriptor::pair_order::ordered);
    CHECK(back.descriptor->angular->terms[1].zeta == 16);
    CHECK(back.softness(X) == m.softness(X));
    CHECK(m.train_score > 0.8);
    // wrong width, inconsistent descriptor
    row_matrix narrow(3, 9);
    narrow.setZero();
    CHECK_THROWS_AS(m.decision(narrow), invalid_argument);
    m.species = {"Al"};
    CHECK_THROWS_AS(model_from_json(to_json(m)), invalid_argument);
    CHECK_THROWS_AS(model_from_json(json::parse("{\"format\": \"other\"}")), invalid_argument);
}

TEST_CASE("softness workflow: features -> scaler -> SVM -> signed distance, applied to a configuration",
          "[learn][softness]") {
    // a random 2-species 3D configuration; label = 1 for atoms with a close neighbor
    std::mt19937_64 rng(4);
    const double L = 9.0;
    amorph::system<3> sys(box<3>(mat<3>::Identity() * L), 300);
    sys.species = species_list::from_names({"A", "B"});
    std::uniform_real_distribution<double> u(0, L);
    for (std::size_t i = 0; i < sys.size(); ++i) {
        sys.positions.col(static_cast<Eigen::Index>(i)) = vec<3>(u(rng), u(rng), u(rng));
        sys.types[i] = static_cast<int>(i % 2);
    }
    descriptor::settings s = descriptor::presets::fan2020(0.5, 3.0, 0.25, 1.0, 2.5);
    const auto all = atoms_of_species(sys, {});
    const descriptor::feature_matrix F = descriptor::compute_structure_functions(sys, s, all);
    std::vector<int> label(sys.size());
    for (std::size_t i = 0; i < sys.size(); ++i) {
        double dmin = 1e9;
        for (std::size_t j = 0; j < sys.size(); ++j)
            if (j != i)
                dmin = std::min(dmin, sys.box.minimum_image(vec<3>(sys.positions.col(static_cast<Eigen::Index>(j)) -
                                                                   sys.positions.col(static_cast<Eigen::Index>(i))))
                                          .norm());
        label[i] = dmin < 1.0 ? 1 : 0;
    }
    train_options o;
    o.svm.C = 1.0;
    const auto m = train_softness(F, label, o, {s, {"A", "B"}, {}});
    CHECK(m.train_score > 0.9);
    // apply_model recomputes the features in batches and equals the manual path
    const Eigen::VectorXd S = apply_model(sys, all, m, 37);
    const Eigen::VectorXd ref = m.softness(F);
    CHECK((S - ref).cwiseAbs().maxCoeff() < 1e-12);
    // signed distance: |w| S = w.z + b
    const auto Z = m.scaler.transformed(F);
    CHECK(((Z * m.fit.w).array() + m.fit.b - m.fit.w.norm() * S.array()).abs().maxCoeff() < 1e-10);
    // centers of one species only
    const auto onlyB = atoms_of_species(sys, {"B"});
    CHECK(onlyB.size() == 150);
    const Eigen::VectorXd SB = apply_model(sys, onlyB, m);
    for (std::size_t k = 0; k < onlyB.size(); ++k) CHECK(SB(static_cast<Eigen::Index>(k)) == Approx(S(static_cast<Eigen::Index>(onlyB[k]))).margin(1e-12));
    // wrong species order is refused
    auto other = sys;
    other.species = species_list::from_names({"B", "A"});
    CHECK_THROWS_AS(apply_model(other, all, m), invalid_argument);

    // structural flexibility: SVR without scaler or intercept on features with a bias column
    const auto rp = descriptor::presets::reduced_pdf({1.0}, 0.6, 3.0, 0.05);
    const auto Fr = descriptor::compute_structure_functions(sys, rp, all);
    std::vector<double> target(sys.size());
    for (std::size_t i = 0; i < sys.size(); ++i) target[i] = 0.05 * Fr.row(static_cast<Eigen::Index>(i)).head(40).sum() - 1.0;
    const auto sf = train_structural_flexibility(Fr, target, 10.0, 0.0, {rp, {"A", "B"}, {}});
    CHECK(sf.scaler.empty());
    CHECK(sf.fit.b == 0.0);
    CHECK(sf.train_score > 0.99);
    const Eigen::VectorXd SF = apply_model(sys, all, sf);
    CHECK((SF - Fr * sf.fit.w).cwiseAbs().maxCoeff() < 1e-12);
}

namespace user {

// A user's own descriptor, outside amorph: the distance to the nearest other
// atom and the number of atoms within `r` (brute force over minimum images).
struct nearest_settings {
    double r = 1.2;
};

template <int D>
struct nearest_evaluator {
    const amorph::system<D>* sys;
    double r;
    std::size_t n_features() const { return 2; }
    void compute(std::span<const std::size_t> centers, Eigen::Ref<descriptor::feature_matrix> out) const {
        for (std::size_t k = 0; k < centers.size(); ++k) {
            const std::size_t i = centers[k];
            double dmin = 1e300, count = 0;
            for (std::size_t j = 0; j < sys->size(); ++j) {
                if (j == i) continue;
                const double d = sys->box.minimum_image(vec<D>(sys->x(j) - sys->x(i))).norm();
                dmin = std::min(dmin, d);
                count += d < r ? 1.0 : 0.0;
            }
            out(static_cast<Eigen::Index>(k), 0) = dmin;
            out(static_cast<Eigen::Index>(k), 1) = count;
        }
    }
};

template <int D>
nearest_evaluator<D> make_evaluator(const nearest_settings& s, const amorph::system<D>& sys) {
    return {&sys, s.r};
}

}  // namespace user

static_assert(descriptor::descriptor<user::nearest_settings, 3>);
static_assert(descriptor::feature_evaluator<descriptor::structure_functions<3>>);
static_assert(descriptor::feature_evaluator<descriptor::sdm_evaluator<2>>);
static_assert(!descriptor::descriptor<int, 3>);

TEST_CASE("softness with a user's own descriptor: features at samples, training, apply_model", "[learn][softness]") {
    std::mt19937_64 rng(5);
    const double L = 8.0;
    amorph::system<3> sys(box<3>(mat<3>::Identity() * L), 200);
    sys.species = species_list::from_names({"A"});
    std::uniform_real_distribution<double> u(0, L);
    for (std::size_t i = 0; i < sys.size(); ++i) {
        sys.positions.col(static_cast<Eigen::Index>(i)) = vec<3>(u(rng), u(rng), u(rng));
        sys.ids[i] = static_cast<std::int64_t>(10 * i + 3);
    }
    const user::nearest_settings desc{1.2};
    const auto all = atoms_of_species(sys, {});
    // the evaluator the concept binds gives the same rows as calling it by hand
    descriptor::feature_matrix F(static_cast<Eigen::Index>(all.size()), 2);
    make_evaluator(desc, sys).compute(all, F);
    // samples at frame 0 of a one-frame trajectory: every atom, label = has a neighbor within 0.9
    std::vector<analysis::labelled_sample> samples;
    std::vector<int> label;
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const int y = F(static_cast<Eigen::Index>(i), 0) < 0.9 ? 1 : 0;
        samples.push_back({i, 0, y});
        label.push_back(y);
    }
    REQUIRE(std::count(label.begin(), label.end(), 1) > 10);
    bool given = false;
    auto next = [&](amorph::system<3>& s, std::int64_t& step) {
        if (given) return false;
        s = sys;
        step = 0;
        given = true;
        return true;
    };
    const auto Fs = features_at_samples<3>(next, samples, sys.ids, desc);
    CHECK(Fs == F);
    train_options o;
    o.svm.C = 10.0;
    const auto m = train_softness(Fs, label, o, {std::nullopt, {"A"}, {}});
    CHECK(m.train_score > 0.95);
    // applied with the user's descriptor, in batches: the softness of the rows
    const Eigen::VectorXd S = apply_model(sys, all, m, desc, 17);
    CHECK((S - m.softness(F)).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("softness pipeline: p_hop events -> samples -> features at their frames -> grouped split -> SVM",
          "[learn][softness]") {
    std::mt19937_64 rng(12);
    std::normal_distribution<double> g(0, 1);
    std::uniform_real_distribution<double> u(0, 1);
    const int n = 80, T = 30;
    const std::size_t h = 3;
    const box<3> b(mat<3>::Identity() * 7.0);
    coords<3> cage(3, n);
    for (int i = 0; i < n; ++i) cage.col(i) = vec<3>(7 * u(rng), 7 * u(rng), 7 * u(rng));
    std::vector<amorph::system<3>> frames;
    for (int t = 0; t < T; ++t) {
        for (int i = 0; i < n; ++i)
            if (u(rng) < 0.01) cage.col(i) += vec<3>(0.8, 0.0, 0.0);  // planted hops: p_hop peak (3/4)^1.5 0.64 = 0.42
        amorph::system<3> s(b, static_cast<std::size_t>(n));
        s.species = species_list::from_names({"A", "B"});
        for (int i = 0; i < n; ++i) {
            s.positions.col(i) = cage.col(i) + 0.03 * vec<3>(g(rng), g(rng), g(rng));
            s.types[static_cast<std::size_t>(i)] = i % 2;
            s.ids[static_cast<std::size_t>(i)] = 1000 + 3 * i;
        }
        std::vector<std::size_t> order(static_cast<std::size_t>(n));
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::shuffle(order.begin(), order.end(), rng);  // file order changes from frame to frame
        s.permute(order);
        frames.push_back(s);
    }
    analysis::p_hop_stream<3> stream(h);
    analysis::p_hop_events events;
    for (const auto& f : frames) stream.push(f, [&](std::size_t t, std::span<const double> p) { events.add(t, p); });
    const auto samples = analysis::balanced_hop_samples(events, 3);
    REQUIRE(samples.size() >= 20);
    const auto s = descriptor::presets::fan2020(0.5, 3.0, 0.25, 1.0, 2.5);
    std::size_t k = 0;
    auto next = [&](amorph::system<3>& sys, std::int64_t& step) {
        if (k == frames.size()) return false;
        step = static_cast<std::int64_t>(k);
        sys = frames[k++];
        return true;
    };
    const auto F = features_at_samples<3>(next, samples, stream.ids(), s);
    REQUIRE(F.rows() == static_cast<Eigen::Index>(samples.size()));
    for (std::size_t r = 0; r < samples.size(); r += 7) {
        const auto& fr = frames[samples[r].frame];
        const std::size_t i = fr.index_of_ids().at(stream.ids()[samples[r].atom]);
        const std::vector<std::size_t> c{i};
        CHECK(F.row(static_cast<Eigen::Index>(r)) == descriptor::compute_structure_functions(fr, s, c).row(0));
    }
    const auto groups = sample_ids(samples, stream.ids());
    const auto y = sample_labels(samples);
    const auto sp = group_split(samples.size(), 0.25, 5, groups);
    std::set<std::int64_t> tr;
    for (auto i : sp.train) tr.insert(groups[i]);
    for (auto i : sp.test) CHECK(tr.count(groups[i]) == 0);
    const auto Xtr = take_rows(F, sp.train);
    const auto ytr = take(std::span<const int>(y), std::span<const std::size_t>(sp.train));
    const auto m = train_softness(Xtr, ytr);
    const Eigen::VectorXd S = m.softness(take_rows(F, sp.test));
    CHECK(S.allFinite());
}

TEST_CASE(".npy writer/reader round trip and malformed files", "[learn][npy]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("amorph_npy_unit_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    row_matrix X(2, 3);
    X << 1, 2, 3, 4, 5, 6.5;
    write_npy(dir / "a.npy", X);
    CHECK(fs::file_size(dir / "a.npy") == 128 + 6 * 8);  // header padded to 64-byte alignment
    CHECK(read_npy(dir / "a.npy").matrix() == X);
    CHECK(read_npy(dir / "a.npy").dtype == "<f8");
    write_npy(dir / "e.npy", std::vector<double>{});
    CHECK(read_npy(dir / "e.npy").shape == std::vector<std::size_t>{0});
    // corruptions
    auto bytes = [&](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    auto put = [&](const std::string& s) {
        std::ofstream out(dir / "bad.npy", std::ios::binary);
        out << s;
    };
    const std::string good = bytes(dir / "a.npy");
    put(good.substr(0, good.size() - 3));
    CHECK_THROWS_AS(read_npy(dir / "bad.npy"), parse_error);
    std::string s = good;
    s[1] = 'X';
    put(s);
    CHECK_THROWS_AS(read_npy(dir / "bad.npy"), parse_error);
    s = good;
    s.replace(s.find("<f8"), 3, "<c8");
    put(s);
    CHECK_THROWS_AS(read_npy(dir / "bad.npy"), parse_error);
    s = good;
    s.replace(s.find("(2, 3)"), 6, "(9, 9)");
    put(s);
    CHECK_THROWS_AS(read_npy(dir / "bad.npy"), parse_error);
    put("\x93NUMPY");
    CHECK_THROWS_AS(read_npy(dir / "bad.npy"), parse_error);
    CHECK_THROWS_AS(read_npy(dir / "missing.npy"), io_error);
    CHECK_THROWS_AS(read_npy(dir / "a.npy").labels(), invalid_argument);  // 6.5 and 2-D
    fs::remove_all(dir);
}
