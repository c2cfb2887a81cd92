// `amorph sdm`, `amorph cnn predict` and `amorph score` (issue 21) through the
// built executable:
//   - sdm: the maps of a two-atom cell against the Gaussian written out by
//     hand in the frame of each named loading (the frame conventions, not the
//     library's evaluator, are under test), the .npy layout and ids, and
//     --loading ss- equal to --direction -x --plane y;
//   - cnn predict: p equals learn::cnn_probability in-process, and p under ss-
//     equals p under ss+ of the glass mirrored x -> -x (a symmetry of the
//     physics that no implementation detail enforces);
//   - score: balanced accuracy and ROC AUC against scikit-learn's
//     balanced_accuracy_score / roc_auc_score on the same columns, C_rank and
//     R against learn/metrics.hpp; one-line errors for a missing column and a
//     malformed FILE:COLUMN.
#include "cli_run.hpp"

#include <amorph/io/io.hpp>
#include <amorph/learn/metrics.hpp>
#include <amorph/learn/npy.hpp>
#include <amorph/learn/sdm_cnn.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>

using namespace cli_test;

namespace {

const std::string ch5_glass = AMORPH_SOURCE_DIR "/tests/dynamics/data/lj2d_glass.data";
const std::string ch5_net = AMORPH_SOURCE_DIR "/examples/ch5/weights/lj2d_cnn.amcnn";

amorph::system<2> read2(const fs::path& p) {
    amorph::io::read_options ro;
    ro.species = {"S", "L"};
    return amorph::io::read_system<2>(p, ro);
}

void write_extxyz(const fs::path& p, const amorph::system<2>& s) {
    amorph::io::write_options wo;
    wo.format = amorph::io::file_format::extxyz;
    amorph::io::write_system<2>(p, s, wo);
}

}  // namespace

TEST_CASE("cli sdm: maps of a two-atom cell in the frame of each named loading", "[cli][ch5]") {
    const auto dir = workdir("ch5_sdm_pair");
    // atom 1 (type 1) at the origin, atom 2 (type 2) at (1.1, 0.45) in a 20 x 20 cell
    std::ofstream(dir / "pair.data") << "two atoms\n\n2 atoms\n2 atom types\n\n0 20 xlo xhi\n0 20 ylo yhi\n-0.5 0.5 zlo zhi\n\n"
                                        "Masses\n\n1 1\n2 1\n\nAtoms # atomic\n\n1 1 0 0 0\n2 2 1.1 0.45 0\n";
    const double r = 1.0 / std::numbers::sqrt2, dx = 1.1, dy = 0.45;
    // frame coordinates of atom 2 seen from atom 1: the rows of each frame
    // spelled out from the LAMMPS meaning of the name (elongation axis -> y = x)
    struct expect {
        std::string loading;
        double fx, fy;
    };
    const std::vector<expect> cases{{"ss+", dx, dy},
                                    {"ss-", -dx, dy},
                                    {"ps+", r * (-dx + dy), r * (dx + dy)},
                                    {"ps-", r * (dx - dy), r * (dx + dy)},
                                    {"shear:30", std::cos(std::numbers::pi / 6) * dx + std::sin(std::numbers::pi / 6) * dy,
                                     -std::sin(std::numbers::pi / 6) * dx + std::cos(std::numbers::pi / 6) * dy}};
    for (const auto& c : cases) {
        INFO(c.loading);
        const auto res = run_amorph(dir, "sdm pair.data --loading " + c.loading + " --rc 2 --delta 0.25 -o m.npy --quiet");
        REQUIRE(res.code == 0);
        const auto maps = amorph::learn::read_npy(dir / "m.npy");
        REQUIRE(maps.shape == std::vector<std::size_t>{2, 2, 16, 16});
        const auto ids = amorph::learn::read_npy(dir / "m_ids.npy");
        REQUIRE(ids.shape == std::vector<std::size_t>{2});
        CHECK(ids.values[0] == 1.0);
        CHECK(ids.values[1] == 2.0);
        // image of atom 1, channel 1 (type 2): one Gaussian of width W = delta
        double worst = 0;
        for (int iy = 0; iy < 16; ++iy)
            for (int ix = 0; ix < 16; ++ix) {
                const double cx = (ix + 0.5 - 8) * 0.25, cy = (iy + 0.5 - 8) * 0.25;
                const double want = std::exp(-((cx - c.fx) * (cx - c.fx) + (cy - c.fy) * (cy - c.fy)) / (2 * 0.0625));
                const double got = maps.values[static_cast<std::size_t>(((0 * 2 + 1) * 16 + iy) * 16 + ix)];
                worst = std::max(worst, std::abs(got - want));
            }
        CHECK(worst < 1e-6);
        // channel 0 of atom 1: the center itself at the origin
        const double center = maps.values[static_cast<std::size_t>((0 * 16 + 7) * 16 + 7)];
        CHECK(center == Approx(std::exp(-(0.125 * 0.125 * 2) / (2 * 0.0625))).epsilon(1e-6));
    }
    // the same frame spelled as a direction and a plane normal
    REQUIRE(run_amorph(dir, "sdm pair.data --loading ss- -o a.npy --ids-out a_ids.npy").code == 0);
    REQUIRE(run_amorph(dir, "sdm pair.data --direction -x --plane y -o b.npy").code == 0);
    CHECK(amorph::learn::read_npy(dir / "a.npy").values == amorph::learn::read_npy(dir / "b.npy").values);
    // one clear line for a bad loading, two loadings, a 2D name on nothing
    auto bad = run_amorph(dir, "sdm pair.data --loading ss -o c.npy");
    CHECK(bad.code != 0);
    CHECK(bad.err.find("unknown loading 'ss'") != std::string::npos);
    bad = run_amorph(dir, "sdm pair.data --loading ss+ --direction x --plane y -o c.npy");
    CHECK(bad.code != 0);
    CHECK(bad.err.find("give one loading") != std::string::npos);
    bad = run_amorph(dir, "sdm pair.data --loading shear:abc -o c.npy");
    CHECK(bad.code != 0);
    CHECK(bad.err.find("shear:THETA") != std::string::npos);
}

TEST_CASE("cli cnn predict: the library's probabilities, and ss- is ss+ of the mirrored glass", "[cli][ch5]") {
    const auto dir = workdir("ch5_cnn");
    const auto glass = read2(ch5_glass);
    write_extxyz(dir / "g.xyz", glass);
    // the glass mirrored x -> -x (positions x -> L_x - x, same cell)
    auto mirrored = glass;
    const double lx = glass.box.h()(0, 0);
    REQUIRE(glass.box.h()(0, 1) == 0.0);
    for (Eigen::Index i = 0; i < mirrored.positions.cols(); ++i)
        mirrored.positions(0, i) = glass.box.origin()(0) + lx - (mirrored.positions(0, i) - glass.box.origin()(0));
    write_extxyz(dir / "m.xyz", mirrored);

    REQUIRE(run_amorph(dir, "cnn predict g.xyz --species S,L --model " + ch5_net + " --loading ss- -o a.xyz --csv a.csv --threads 1 --quiet").code == 0);
    REQUIRE(run_amorph(dir, "cnn predict m.xyz --species S,L --model " + ch5_net + " --loading ss+ --csv b.csv --quiet").code == 0);
    const auto a = read_table_csv(dir / "a.csv"), b = read_table_csv(dir / "b.csv");
    REQUIRE(a.at("p").size() == glass.size());
    REQUIRE(a.at("id") == b.at("id"));
    double worst = 0;
    for (std::size_t i = 0; i < glass.size(); ++i) worst = std::max(worst, std::abs(a.at("p")[i] - b.at("p")[i]));
    CHECK(worst < 1e-5);

    // the written column is learn::cnn_probability (4 mirror images averaged)
    const auto net = amorph::learn::cnn::load(ch5_net);
    const auto back = read2(dir / "a.xyz");
    const auto* col = back.find_property("p");
    REQUIRE(col);
    auto s = amorph::descriptor::sdm_thesis_2d();
    s.frame = amorph::learn::loading_frame_2d("ss-");
    std::vector<std::size_t> all(glass.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    const auto p = amorph::learn::cnn_probability<2>(net, glass, s, all, true);
    worst = 0;
    for (std::size_t i = 0; i < all.size(); ++i) worst = std::max(worst, std::abs(col->values[i] - p[i]));
    CHECK(worst < 1e-9);
    // the plain map gives other numbers (the average is not a no-op)
    REQUIRE(run_amorph(dir, "cnn predict g.xyz --species S,L --model " + ch5_net + " --loading ss- --no-mirror-average --csv c.csv --quiet").code == 0);
    const auto c = read_table_csv(dir / "c.csv");
    double diff = 0;
    for (std::size_t i = 0; i < all.size(); ++i) diff = std::max(diff, std::abs(c.at("p")[i] - p[i]));
    CHECK(diff > 1e-3);
    // without --grid / --delta the maps take the net's size (here 50^2 at r_c 4)
    REQUIRE(run_amorph(dir, "cnn predict g.xyz --species S,L --model " + ch5_net + " --loading ss+ --rc 4 --quiet").code == 0);
    // a net whose input does not match the maps: one line naming the sizes
    const auto bad = run_amorph(dir, "cnn predict g.xyz --species S,L --model " + ch5_net + " --loading ss+ --rc 4 --delta 0.2 --quiet");
    CHECK(bad.code != 0);
    CHECK(bad.err.find("floats per image") != std::string::npos);
}

TEST_CASE("cli score: balanced accuracy and ROC AUC equal scikit-learn's", "[cli][ch5][peer]") {
    const auto dir = workdir("ch5_score");
    auto sys = read2(ch5_glass);
    const std::size_t n = sys.size();
    std::mt19937_64 rng(7);
    std::normal_distribution<double> g;
    std::vector<double> label(n), pred(n);
    for (std::size_t i = 0; i < n; ++i) {
        label[i] = std::exp(g(rng));
        pred[i] = 1.0 / (1.0 + std::exp(-(0.8 * std::log(label[i]) + g(rng))));  // correlated, in (0, 1)
    }
    for (std::size_t i = 0; i < n; i += 17) pred[i] = pred[(i + 5) % n];  // ties
    sys.set_property("truth", label);
    write_extxyz(dir / "label.xyz", sys);
    // the prediction file lists the atoms in another order (matched by id)
    auto shuffled = sys;
    shuffled.properties.clear();
    shuffled.set_property("q_pred", pred);
    std::vector<std::size_t> perm(n);
    for (std::size_t i = 0; i < n; ++i) perm[i] = (i * 7 + 3) % n;  // n is not a multiple of 7
    REQUIRE(n % 7 != 0);
    auto permuted = shuffled;
    for (std::size_t i = 0; i < n; ++i) {
        permuted.positions.col(static_cast<Eigen::Index>(i)) = shuffled.positions.col(static_cast<Eigen::Index>(perm[i]));
        permuted.types[i] = shuffled.types[perm[i]];
        permuted.ids[i] = shuffled.ids[perm[i]];
        permuted.properties[0].values[i] = pred[perm[i]];
    }
    write_extxyz(dir / "pred.xyz", permuted);
    const double f = 0.05;
    const auto r = run_amorph(dir, "score --pred pred.xyz:q_pred --label label.xyz:truth --fraction 0.05 --csv s.csv");
    REQUIRE(r.code == 0);
    std::map<std::string, double> got;
    {
        std::istringstream in(slurp(dir / "s.csv"));
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
            got[line.substr(0, c1)] = std::stod(line.substr(c1 + 1, c2 - c1 - 1));
        }
    }
    // scikit-learn on the same columns (label: top f of truth, as the tool defines it)
    {
        std::ofstream csv(dir / "cols.csv");
        csv.precision(17);
        for (std::size_t i = 0; i < n; ++i) csv << pred[i] << ',' << label[i] << '\n';
    }
    const std::string py =
        "import numpy as np, sys\n"
        "from sklearn.metrics import roc_auc_score, balanced_accuracy_score\n"
        "a = np.loadtxt(sys.argv[1], delimiter=',')\n"
        "p, t = a[:, 0], a[:, 1]\n"
        "k = max(1, int(round(0.05 * len(t))))\n"
        "y = np.zeros(len(t), int); y[np.argsort(-t, kind='stable')[:k]] = 1\n"
        "print(repr(roc_auc_score(y, p)), repr(balanced_accuracy_score(y, (p > 0.5).astype(int))))\n";
    std::ofstream(dir / "ref.py") << py;
    const std::string cmd = "/usr/bin/python3 '" + (dir / "ref.py").string() + "' '" + (dir / "cols.csv").string() + "' > '" +
                            (dir / "ref.txt").string() + "' 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::istringstream ref(slurp(dir / "ref.txt"));
    double auc = 0, bacc = 0;
    ref >> auc >> bacc;
    CHECK(got.at("ROC AUC") == Approx(auc).epsilon(1e-12));
    CHECK(got.at("balanced accuracy") == Approx(bacc).epsilon(1e-12));
    CHECK(got.at("C_rank") == Approx(amorph::learn::c_rank(pred, label, f)).epsilon(1e-12));
    CHECK(got.at("overlap R") == Approx(amorph::learn::overlap_ratio(pred, label, f)).epsilon(1e-12));
    CHECK(got.at("atoms scored") == static_cast<double>(n));
    CHECK(auc > 0.6);  // the columns are correlated: the check is not trivially 0.5

    auto bad = run_amorph(dir, "score --pred pred.xyz:nope --label label.xyz:truth --fraction 0.05");
    CHECK(bad.code != 0);
    CHECK(bad.err.find("pred.xyz: no per-atom column 'nope'") != std::string::npos);
    bad = run_amorph(dir, "score --pred pred.xyz --label label.xyz:truth --fraction 0.05");
    CHECK(bad.code != 0);
    CHECK(bad.err.find("FILE:COLUMN") != std::string::npos);
    bad = run_amorph(dir, "score --pred pred.xyz:q_pred --label label.xyz:truth --fraction 1.5");
    CHECK(bad.code != 0);
}
