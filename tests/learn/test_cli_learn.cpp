// In-process tests of the sf / phop / softness subcommands (apps/amorph/cmd_*.cpp):
// every file they write is compared with the library computation it wraps, and sf's
// features with a brute-force evaluation of the structure-function sums.
#include "cmd_learn.hpp"

#include <amorph/analysis/p_hop.hpp>
#include <amorph/descriptor/structure_functions.hpp>
#include <amorph/io/io.hpp>
#include <amorph/learn/cross_validation.hpp>
#include <amorph/learn/model.hpp>
#include <amorph/learn/npy.hpp>
#include <amorph/learn/softness.hpp>

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace amorph;
namespace fs = std::filesystem;

namespace {

/// Parse and run one command line with the three subcommands; stdout captured.
int run_cli(const std::vector<std::string>& args, std::string* out = nullptr) {
    CLI::App app{"amorph"};
    app.require_subcommand(1);
    cli::registry reg;
    cli::add_sf_command(app, reg);
    cli::add_phop_command(app, reg);
    cli::add_softness_command(app, reg);
    std::vector<const char*> argv{"amorph"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    std::ostringstream capture;
    auto* old = std::cout.rdbuf(capture.rdbuf());
    int rc = -1;
    try {
        for (auto& s : reg)
            if (s.app->parsed()) rc = s.run();
    } catch (...) {
        std::cout.rdbuf(old);
        throw;
    }
    std::cout.rdbuf(old);
    if (out) *out = capture.str();
    return rc;
}

struct tmpdir {
    fs::path p = fs::temp_directory_path() / ("amorph_cli_learn_" + std::to_string(::getpid()));
    tmpdir() { fs::create_directories(p); }
    ~tmpdir() { fs::remove_all(p); }
    std::string operator/(const std::string& f) const { return (p / f).string(); }
};

amorph::system<3> sample_system() {
    std::mt19937_64 rng(8);
    std::uniform_real_distribution<double> u(0, 8.0);
    amorph::system<3> sys(box<3>(mat<3>::Identity() * 8.0), 120);
    sys.species = species_list::from_names({"A", "B"});
    for (std::size_t i = 0; i < sys.size(); ++i) {
        sys.positions.col(static_cast<Eigen::Index>(i)) = vec<3>(u(rng), u(rng), u(rng));
        sys.types[i] = static_cast<int>(i % 3 == 0);
    }
    return sys;
}

}  // namespace

TEST_CASE("amorph sf / softness train / softness predict on a configuration", "[cli][learn]") {
    tmpdir d;
    const auto sys = sample_system();
    io::write_system<3>(d / "conf.data", sys);
    const std::vector<std::string> feat = {"--radial", "1:4:0.5", "--width", "0.3", "--cutoff", "4.5",
                                           "--angular", "fan:1:3:4", "--angular-cutoff", "3.5"};
    std::vector<std::string> args{"sf", d / "conf.data", "-o", d / "X.npy", "--ids-out", d / "ids.npy",
                                  "--save-settings", d / "sf.json", "--quiet"};
    args.insert(args.end(), feat.begin(), feat.end());
    REQUIRE(run_cli(args) == 0);
    // the same features from the library
    descriptor::settings s;
    descriptor::radial_settings r;
    r.mu = descriptor::grid(1, 4, 0.5, true);
    r.width = 0.3;
    r.cutoff = 4.5;
    s.radial = r;
    descriptor::angular_settings a;
    a.terms = descriptor::presets::fan_terms(1, 3, 4);
    a.cutoff = 3.5;
    s.angular = a;
    const auto sys2 = io::read_system<3>(d / "conf.data");
    const auto ref = descriptor::structure_functions<3>(sys2, s).compute_all();
    const auto X = learn::read_npy(d / "X.npy").matrix();
    REQUIRE(X.rows() == ref.rows());
    CHECK(X == ref);
    // and a brute-force evaluation of the header's sums (every image within the radial
    // cutoff 4.5 of the 8-wide cell; the angular cutoff 3.5 sees one image of each atom)
    {
        const double L = 0.3;
        const auto h = sys2.box.h();
        double worst = 0, biggest = 0;
        for (std::size_t i = 0; i < sys2.size(); ++i) {
            std::vector<double> row;
            for (int b = 0; b < 2; ++b)
                for (double mu : r.mu) {
                    double g = 0;
                    for (std::size_t j = 0; j < sys2.size(); ++j) {
                        if (sys2.types[j] != b) continue;
                        const vec<3> d0 = sys2.box.minimum_image(vec<3>(sys2.x(j) - sys2.x(i)));
                        for (int a1 = -1; a1 <= 1; ++a1)
                            for (int a2 = -1; a2 <= 1; ++a2)
                                for (int a3 = -1; a3 <= 1; ++a3) {
                                    const double rr = (d0 + h * vec<3>(a1, a2, a3)).norm();
                                    if (rr > 0 && rr < 4.5) g += std::exp(-(rr - mu) * (rr - mu) / (2 * L * L));
                                }
                    }
                    row.push_back(g);
                }
            std::vector<std::pair<int, vec<3>>> nb;
            for (std::size_t j = 0; j < sys2.size(); ++j) {
                const vec<3> dd = sys2.box.minimum_image(vec<3>(sys2.x(j) - sys2.x(i)));
                if (j != i && dd.norm() < 3.5) nb.emplace_back(sys2.types[j], dd);
            }
            for (const auto& [ta, tb] : {std::pair{0, 0}, {0, 1}, {1, 1}})
                for (const auto& term : a.terms) {
                    double psi = 0;
                    for (std::size_t j = 0; j < nb.size(); ++j)
                        for (std::size_t k = j + 1; k < nb.size(); ++k) {
                            const int lo = std::min(nb[j].first, nb[k].first), hi = std::max(nb[j].first, nb[k].first);
                            if (lo != ta || hi != tb) continue;
                            const vec<3>& rij = nb[j].second;
                            const vec<3>& rik = nb[k].second;
                            const double c = rij.dot(rik) / (rij.norm() * rik.norm());
                            psi += std::exp(-(rij.squaredNorm() + rik.squaredNorm() + (rik - rij).squaredNorm()) / (term.xi * term.xi)) *
                                   std::pow(1 + term.lambda * c, term.zeta);
                        }
                    row.push_back(psi);
                }
            REQUIRE(row.size() == static_cast<std::size_t>(X.cols()));
            for (std::size_t f = 0; f < row.size(); ++f) {
                worst = std::max(worst, std::abs(X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(f)) - row[f]) /
                                            std::max(1.0, std::abs(row[f])));
                biggest = std::max(biggest, std::abs(row[f]));
            }
        }
        INFO("max relative |X - brute force| " << worst);
        CHECK(worst < 1e-12);
        CHECK(biggest > 1.0);  // not a comparison of zeros
    }
    CHECK(learn::read_npy(d / "ids.npy").values.size() == 120);

    std::string text;
    std::vector<std::string> desc{"sf", d / "conf.data", "--species", "A,B", "--describe"};
    desc.insert(desc.end(), feat.begin(), feat.end());
    REQUIRE(run_cli(desc, &text) == 0);
    CHECK(text.find("0 G[A](mu=1)") == 0);
    CHECK(text.find("Psi[B,B](xi=3,lambda=1,zeta=16)") != std::string::npos);

    // labels: atoms with a neighbor closer than 1.2
    std::vector<int> y(sys2.size(), 0);
    for (std::size_t i = 0; i < sys2.size(); ++i)
        for (std::size_t j = 0; j < sys2.size(); ++j)
            if (i != j && sys2.box.minimum_image(vec<3>(sys2.positions.col(static_cast<Eigen::Index>(j)) -
                                                        sys2.positions.col(static_cast<Eigen::Index>(i))))
                                  .norm() < 1.2)
                y[i] = 1;
    learn::write_npy(d / "y.npy", y);
    REQUIRE(run_cli({"softness", "train", "--features", d / "X.npy", "--labels", d / "y.npy", "--cv", "0.1,1,10",
                     "--folds", "3", "--descriptor", d / "sf.json", "--species", "A,B", "-o", d / "model.json"},
                    &text) == 0);
    CHECK(text.find("cv_accuracy") != std::string::npos);
    const auto m = learn::load_model(d / "model.json");
    REQUIRE(m.descriptor);
    // the model equals a library fit at the chosen C
    learn::cv_options cvo;
    cvo.folds = 3;
    const std::vector<double> Cs{0.1, 1, 10};
    const auto best = learn::best(learn::cross_validate_svc(X, y, Cs, cvo));
    learn::train_options to;
    to.svm.C = best.C;
    const auto lib = learn::train_softness(X, y, to);
    CHECK(m.options.C == best.C);
    CHECK(m.fit.w == lib.fit.w);

    REQUIRE(run_cli({"softness", "predict", "--features", d / "X.npy", "--model", d / "model.json", "-o", d / "s.npy",
                     "-q"}) == 0);
    const auto sv = learn::read_npy(d / "s.npy").vector();
    const Eigen::VectorXd sref = m.softness(X);
    for (std::size_t i = 0; i < sv.size(); ++i) CHECK(sv[i] == sref(static_cast<Eigen::Index>(i)));
    // from the configuration: the model recomputes its features
    // a data file numbers its species 1, 2: the model refuses them until they are named
    CHECK_THROWS_AS(run_cli({"softness", "predict", d / "conf.data", "--model", d / "model.json", "-o", d / "s2.npy"}),
                    invalid_argument);
    // (a comma list option before the positional FILE must not swallow it)
    REQUIRE(run_cli({"softness", "predict", "--species", "A,B", d / "conf.data", "--model", d / "model.json", "-o",
                     d / "s2.npy", "-q"}) == 0);
    const auto s2 = learn::read_npy(d / "s2.npy").vector();
    REQUIRE(s2.size() == sv.size());
    for (std::size_t i = 0; i < sv.size(); ++i) CHECK(s2[i] == Approx(sv[i]).margin(1e-12));
    REQUIRE(run_cli({"softness", "predict", d / "conf.data", "--species", "A,B", "--model", d / "model.json", "-o",
                     d / "out.xyz", "-q"}) == 0);
    const auto out = io::read_system<3>(d / "out.xyz");
    const auto* prop = out.find_property("softness");
    REQUIRE(prop);
    for (std::size_t i = 0; i < out.size(); ++i) CHECK(prop->values[i] == Approx(sv[i]).margin(1e-12));
    // errors
    CHECK_THROWS_AS(run_cli({"softness", "predict", "--model", d / "model.json", "-o", d / "z.npy"}), invalid_argument);
    CHECK_THROWS_AS(run_cli({"sf", d / "conf.data", "-o", d / "z.npy"}), invalid_argument);  // no features
}

TEST_CASE("amorph phop and sf --samples on a dump trajectory", "[cli][learn]") {
    tmpdir d;
    auto sys = sample_system();
    std::mt19937_64 rng(3);
    std::normal_distribution<double> g(0, 0.02);
    const std::size_t T = 20, t0 = 9;
    for (std::size_t t = 0; t < T; ++t) {
        auto f = sys;
        for (std::size_t i = 0; i < f.size(); ++i)
            f.positions.col(static_cast<Eigen::Index>(i)) += vec<3>(g(rng), g(rng), g(rng));
        if (t >= t0) f.positions.col(5) += vec<3>(0.9, 0, 0);  // a planted hop of atom id 6
        f.wrap_positions();
        io::dump_write_options o;
        o.timestep = static_cast<std::int64_t>(1000 * t);
        o.append = t > 0;
        io::write_dump(fs::path(d / "traj.dump"), f, o);
    }
    std::string text;
    REQUIRE(run_cli({"phop", d / "traj.dump", "--window", "6", "--dt", "0.001", "-o", d / "p.npy", "--ids-out",
                     d / "pid.npy", "--samples", d / "samples.csv"},
                    &text) == 0);
    // window 6 ps, 1 ps per frame: half window 3 frames
    CHECK(text.find("half window 3 frames") != std::string::npos);
    const auto P = learn::read_npy(d / "p.npy").matrix();
    CHECK(P.rows() == static_cast<Eigen::Index>(T - 6));
    // the library on the same file
    io::dump_reader<3> rd(fs::path(d / "traj.dump"));
    io::frame<3> f;
    const auto series = analysis::p_hop_collect<3>(
        [&](amorph::system<3>& s, std::int64_t& step) {
            if (!rd.next(f)) return false;
            s = std::move(f.system);
            step = f.timestep;
            return true;
        },
        3);
    CHECK(P == series.values);
    const auto rows = cli::read_samples_csv(d / "samples.csv");
    bool found = false;
    for (const auto& r : rows)
        if (r.label == 1 && r.atom_id == 6 && r.frame == t0 && r.timestep == static_cast<std::int64_t>(1000 * t0)) found = true;
    CHECK(found);
    int ones = 0;
    for (const auto& r : rows) ones += r.label;
    CHECK(2 * ones == static_cast<int>(rows.size()));

    REQUIRE(run_cli({"sf", d / "traj.dump", "--samples", d / "samples.csv", "--radial", "1:4:0.5", "--width", "0.3",
                     "-o", d / "Xs.npy", "--labels-out", d / "ys.npy", "--groups-out", d / "gs.npy", "-q"}) == 0);
    const auto Xs = learn::read_npy(d / "Xs.npy").matrix();
    CHECK(Xs.rows() == static_cast<Eigen::Index>(rows.size()));
    CHECK(learn::read_npy(d / "ys.npy").labels().size() == rows.size());
    // one row checked against the library at its frame
    const auto& r0 = rows.front();
    const auto fr = io::read_dump<3>(fs::path(d / "traj.dump"), static_cast<std::int64_t>(r0.frame)).system;
    descriptor::settings s;
    descriptor::radial_settings r;
    r.mu = descriptor::grid(1, 4, 0.5, true);
    r.width = 0.3;
    s.radial = r;
    const std::vector<std::size_t> c{fr.index_of_ids().at(r0.atom_id)};
    CHECK(Xs.row(0) == descriptor::compute_structure_functions(fr, s, c).row(0));
}
