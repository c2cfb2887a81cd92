// Runs more subcommands of the built `amorph` executable:
//   stress    per-atom stress x Voronoi volume vs LAMMPS `compute stress/atom NULL`
//             (lmp binary, LJ glass-like random packing), volumes vs the library
//   orient    g_zeta(r, theta) CSV vs a brute-force count of the header's formula and
//             the library
//   corr      C(r) CSV vs a brute-force pair sum and the library
//   sf / phop / softness (issue 7) are registered in the executable: sf's .npy equals
//             the library's structure functions, softness train runs on it
#include "cli_run.hpp"

#include <amorph/analysis/correlation.hpp>
#include <amorph/analysis/orientational.hpp>
#include <amorph/analysis/voronoi.hpp>
#include <amorph/descriptor/structure_functions.hpp>
#include <amorph/io/io.hpp>
#include <amorph/learn/npy.hpp>

#include "../peer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

using namespace amorph;
using namespace cli_test;

namespace {

// A jittered simple-cubic packing (no overlaps, every atom inside the cell), two species.
amorph::system<3> jittered(int m, double a, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-0.15, 0.15);
    const auto n = static_cast<std::size_t>(m * m * m);
    amorph::system<3> sys(box<3>(mat<3>::Identity() * (m * a)), n);
    sys.species = species_list::from_names({"Cu", "Zr"});
    std::size_t i = 0;
    for (int x = 0; x < m; ++x)
        for (int y = 0; y < m; ++y)
            for (int z = 0; z < m; ++z, ++i) {
                sys.positions.col(static_cast<Eigen::Index>(i)) = a * vec<3>(x + 0.5 + u(rng), y + 0.5 + u(rng), z + 0.5 + u(rng));
                sys.types[i] = static_cast<int>((x + y + z) % 3 == 0);
            }
    return sys;
}

// Brute-force references from the formulas of the headers, independent of the
// library's cell lists and loops.
vec<3> min_image(const amorph::system<3>& s, std::size_t i, std::size_t j) {
    return s.box.minimum_image(vec<3>(s.positions.col(static_cast<Eigen::Index>(j)) - s.positions.col(static_cast<Eigen::Index>(i))));
}

/// g_zeta(r, theta) (orientational.hpp; minimum images, r_max < half the cell): centers of species 0, neighbors of species b,
/// theta = arccos |r^ . zeta^| in angle_bins over [0, pi/2], bin volume
/// kappa = 4/3 pi (r_hi^3 - r_lo^3) (cos theta_lo - cos theta_hi), density N_b / V.
std::vector<std::vector<double>> brute_g_zeta(const amorph::system<3>& s, int b, vec<3> zeta, double rmax, int nr, int na) {
    zeta.normalize();
    std::vector<std::vector<double>> g(static_cast<std::size_t>(nr), std::vector<double>(static_cast<std::size_t>(na), 0.0));
    std::size_t centers = 0, nb = 0;
    for (std::size_t j = 0; j < s.size(); ++j) nb += s.types[j] == b;
    const double dr = rmax / nr, dt = std::numbers::pi / 2 / na, rho = static_cast<double>(nb) / s.box.volume();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.types[i] != 0) continue;
        ++centers;
        for (std::size_t j = 0; j < s.size(); ++j) {
            if (j == i || s.types[j] != b) continue;
            const vec<3> d = min_image(s, i, j);
            const double r = d.norm();
            if (r >= rmax) continue;
            const double th = std::acos(std::min(1.0, std::abs(d.dot(zeta)) / r));
            const int k = static_cast<int>(r / dr), a = std::min(na - 1, static_cast<int>(th / dt));
            g[static_cast<std::size_t>(k)][static_cast<std::size_t>(a)] += 1.0;
        }
    }
    for (int k = 0; k < nr; ++k)
        for (int a = 0; a < na; ++a) {
            const double rl = k * dr, rh = (k + 1) * dr;
            const double kappa = 4.0 / 3.0 * std::numbers::pi * (rh * rh * rh - rl * rl * rl) * (std::cos(a * dt) - std::cos((a + 1) * dt));
            g[static_cast<std::size_t>(k)][static_cast<std::size_t>(a)] /= kappa * rho * static_cast<double>(centers);
        }
    return g;
}

/// C(r) (correlation.hpp, r_max < the cell): over the unordered pairs in each bin,
/// <v_i v_j> - (mean of (v_i + v_j) / 2)^2.
std::pair<std::vector<double>, std::vector<double>> brute_corr(const amorph::system<3>& s, const std::vector<double>& v,
                                                               double rmax, int nb) {
    std::vector<double> sum_vv(static_cast<std::size_t>(nb)), sum_v(static_cast<std::size_t>(nb)), n(static_cast<std::size_t>(nb));
    // every periodic image (r_max may exceed half the cell, not the cell)
    for (std::size_t i = 0; i < s.size(); ++i)
        for (std::size_t j = i + 1; j < s.size(); ++j)
            for (int a = -1; a <= 1; ++a)
                for (int b = -1; b <= 1; ++b)
                    for (int c = -1; c <= 1; ++c) {
                        const vec<3> d = min_image(s, i, j) + s.box.h() * vec<3>(a, b, c);
                        const double r = d.norm();
                        if (r >= rmax) continue;
                        const auto k = static_cast<std::size_t>(r / (rmax / nb));
                        sum_vv[k] += v[i] * v[j];
                        sum_v[k] += (v[i] + v[j]) / 2;
                        n[k] += 1;
                    }
    std::vector<double> c(static_cast<std::size_t>(nb));
    for (std::size_t k = 0; k < c.size(); ++k)
        if (n[k] > 0) c[k] = sum_vv[k] / n[k] - (sum_v[k] / n[k]) * (sum_v[k] / n[k]);
    return {c, n};
}

}  // namespace

TEST_CASE("amorph stress: per-atom stress x volume equals LAMMPS stress/atom", "[cli][stress][peer]") {
    if (!amorph_test::peer_available(std::system("command -v lmp >/dev/null 2>&1") == 0, "LAMMPS (lmp) is not installed"))
        return;
    const auto d = workdir("stress");
    auto sys = jittered(6, 1.1, 4);
    sys.species[0].mass = 1.0;
    sys.species[1].mass = 1.0;
    io::write_system<3>(d / "conf.data", sys);
    {
        std::ofstream in(d / "in.lmp");
        in << "units lj\natom_style atomic\nboundary p p p\nread_data conf.data\n"
              "pair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0\npair_coeff 1 2 1.2 1.1\npair_coeff 2 2 0.8 1.2\n"
              "compute s all stress/atom NULL\n"
              "dump d all custom 1 stress.dump id c_s[1] c_s[2] c_s[3] c_s[4] c_s[5] c_s[6]\n"
              "dump_modify d sort id format float %.17g\n"
              "thermo_style custom step pxx pyy pzz pxy\nthermo_modify format float %.17g\nrun 0\n";
    }
    REQUIRE(std::system(("cd \"" + d.string() + "\" && lmp -in in.lmp -log none -screen none").c_str()) == 0);
    std::map<std::int64_t, std::array<double, 6>> peer;
    {
        std::ifstream in(d / "stress.dump");
        std::string line;
        for (int k = 0; k < 9; ++k) std::getline(in, line);
        std::int64_t id;
        std::array<double, 6> s;
        while (in >> id >> s[0] >> s[1] >> s[2] >> s[3] >> s[4] >> s[5]) peer[id] = s;
    }
    REQUIRE(peer.size() == sys.size());
    const auto r = run_amorph(d, "stress \"" + (d / "conf.data").string() +
                                     "\" --units lj --pair-style lj/cut 2.5 --pair-coeff 1 1 1.0 1.0 --pair-coeff 1 2 1.2 1.1 "
                                     "--pair-coeff 2 2 0.8 1.2 -o \"" +
                                     (d / "out.xyz").string() + "\" --csv \"" + (d / "s.csv").string() + "\"");
    INFO(r.err << r.out);
    REQUIRE(r.code == 0);
    const auto out = io::read_system<3>(d / "out.xyz");
    const auto lib = analysis::voronoi<3>(sys.box, sys.positions);
    const std::array<const char*, 6> names{"sxx", "syy", "szz", "sxy", "sxz", "syz"};
    const auto& vol = out.find_property("volume")->values;
    const auto& hyd = out.find_property("hydrostatic")->values;
    double worst = 0, scale = 0, sum_xx = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        REQUIRE(vol[i] == Approx(lib.volume[i]).epsilon(1e-14));
        const auto& p = peer.at(out.ids[i]);
        for (std::size_t k = 0; k < 6; ++k) {
            const double s = out.find_property(names[k])->values[i] * vol[i];
            worst = std::max(worst, std::abs(s - p[k]));
            scale = std::max(scale, std::abs(p[k]));
        }
        sum_xx += p[0];
        CHECK(hyd[i] * vol[i] == Approx((p[0] + p[1] + p[2]) / 3.0).epsilon(1e-10).margin(1e-12 * scale));
    }
    CHECK(worst <= 1e-10 * scale);
    const auto s = read_scalar_csv(d / "s.csv");
    CHECK(s.at("sum s_xx / V") == Approx(sum_xx / sys.box.volume()).epsilon(1e-9));
}

TEST_CASE("amorph orient and corr equal brute-force sums and the library", "[cli][orient]") {
    const auto d = workdir("orient_corr");
    auto sys = jittered(8, 1.2, 6);
    std::vector<double> v(sys.size());
    for (std::size_t i = 0; i < sys.size(); ++i)
        v[i] = std::sin(sys.positions(0, static_cast<Eigen::Index>(i))) + 0.1 * sys.types[i];
    sys.set_property("val", v);
    io::write_system<3>(d / "conf.xyz", sys);
    auto r = run_amorph(d, "orient \"" + (d / "conf.xyz").string() + "\" --select species=Cu --neighbor Zr --zeta 1,1,0 "
                                                                    "--rmax 3 --bins 10 --angle-bins 3 --csv \"" +
                               (d / "o.csv").string() + "\"");
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::vector<std::size_t> centers;
    for (std::size_t i = 0; i < sys.size(); ++i)
        if (sys.types[i] == 0) centers.push_back(i);
    const auto g = analysis::g_zeta_theta<3>(sys.box, sys.positions, sys.types, centers, 1, vec<3>(1, 1, 0), {3.0, 10, 3});
    auto t = read_table_csv(d / "o.csv");
    REQUIRE(t.size() == 4);
    int col = 0;
    for (const auto& [name, vals] : t) {
        if (name == "r") continue;
        // columns theta_15, theta_45, theta_75 sort in angle order
        for (int k = 0; k < 10; ++k) CHECK(vals[static_cast<std::size_t>(k)] == Approx(g.g(k, col)).epsilon(1e-9).margin(1e-12));
        ++col;
    }
    // and a brute-force count of the same formula
    const auto bg = brute_g_zeta(sys, 1, vec<3>(1, 1, 0), 3.0, 10, 3);
    col = 0;
    double nonzero = 0;
    for (const auto& [name, vals] : t) {
        if (name == "r") continue;
        for (std::size_t k = 0; k < 10; ++k) {
            CHECK(vals[k] == Approx(bg[k][static_cast<std::size_t>(col)]).epsilon(1e-9).margin(1e-12));
            nonzero += bg[k][static_cast<std::size_t>(col)] > 0;
        }
        ++col;
    }
    CHECK(nonzero >= 10);  // the check is not on empty bins
    r = run_amorph(d, "orient \"" + (d / "conf.xyz").string() + "\" --zeta 0,0,1 --phi --iota 1,0,0 --eta 0,1,0 --rmax 3 --csv \"" +
                          (d / "phi.csv").string() + "\"");
    INFO(r.err);
    CHECK(r.code == 0);

    r = run_amorph(d, "corr \"" + (d / "conf.xyz").string() + "\" --property val --rmax 5 --bins 20 --csv \"" +
                          (d / "c.csv").string() + "\"");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto c = analysis::spatial_correlation<3>(sys.box, sys.positions, v, {5.0, 20});
    t = read_table_csv(d / "c.csv");
    const auto [bc, bn] = brute_corr(sys, v, 5.0, 20);
    for (std::size_t k = 0; k < 20; ++k) {
        CHECK(t.at("C")[k] == Approx(c.c[k]).epsilon(1e-9).margin(1e-12));
        CHECK(t.at("pairs")[k] == c.pairs[k]);
        CHECK(t.at("pairs")[k] == bn[k]);  // brute force over minimum images
        CHECK(t.at("C")[k] == Approx(bc[k]).epsilon(1e-8).margin(1e-10));
    }
    CHECK(r.out.find("correlation length") != std::string::npos);
}

TEST_CASE("sf, phop and softness are registered in the amorph executable", "[cli][learn]") {
    const auto d = workdir("learn_registered");
    const auto sys = jittered(5, 1.3, 2);
    io::write_system<3>(d / "conf.data", sys);
    auto r = run_amorph(d, "sf \"" + (d / "conf.data").string() + "\" --radial 1:3:0.5 --width 0.3 --cutoff 3.5 -o \"" +
                               (d / "X.npy").string() + "\" --quiet");
    INFO(r.err);
    REQUIRE(r.code == 0);
    descriptor::settings s;
    descriptor::radial_settings rs;
    rs.mu = descriptor::grid(1, 3, 0.5, true);
    rs.width = 0.3;
    rs.cutoff = 3.5;
    s.radial = rs;
    const auto ref = descriptor::structure_functions<3>(sys, s).compute_all();
    const auto X = learn::read_npy(d / "X.npy").matrix();
    REQUIRE(X.rows() == ref.rows());
    CHECK(X == ref);
    std::vector<int> y(sys.size());
    for (std::size_t i = 0; i < sys.size(); ++i) y[i] = sys.types[i];
    learn::write_npy(d / "y.npy", y);
    r = run_amorph(d, "softness train --features \"" + (d / "X.npy").string() + "\" --labels \"" + (d / "y.npy").string() +
                          "\" --cv 0.1,1 --folds 3 -o \"" + (d / "model.json").string() + "\"");
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("cv_accuracy") != std::string::npos);
    r = run_amorph(d, "phop --help");
    CHECK(r.code == 0);
    CHECK(r.out.find("--window") != std::string::npos);
}
