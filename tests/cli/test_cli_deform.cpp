// `amorph aqs` and `amorph d2min` run as a user would (the built executable):
//   aqs    xy shear of the 2D LJ glass fixture (N = 500, lj/smooth/linear):
//          the CSV has exactly the documented columns and its pe/pxx/pyy/pxy
//          equal LAMMPS's change_box + minimize curve (1e-6); --save-at files;
//          --shuffle-seed reports an agreement; usage errors
//   d2min  a homogeneous shear of the glass gives D2min < 1e-12 and the
//          analytic von Mises strain; a planted displacement on a triangular
//          lattice gives 6 |delta|^2 (and 2/3 |delta|^2 for its neighbors);
//          --cumulative sums sqrt(D2min) over frames (sqrt 6 |d| per planted move)
//   deform --loading rate (plane stress: fix npt y 0 0 + fix deform x erate)
//          and --loading steps (change_box x scale + minimize + fix nvt run +
//          fix ave/time): the CSV equals LAMMPS's thermo / averages within
//          the CSV's 10 printed digits
#include "../dynamics/lammps_md.hpp"
#include "cli_run.hpp"

#include <amorph/io/io.hpp>
#include <amorph/protocol/deformation.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;
using namespace amorph;
using cli_test::run_amorph;
using cli_test::slurp;
using cli_test::workdir;

namespace {

/// The header line of a CSV and its columns.
std::pair<std::string, std::map<std::string, std::vector<double>>> read_csv_header(const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string header, line;
    std::getline(in, header);
    std::vector<std::string> names;
    {
        std::stringstream ss(header);
        for (std::string w; std::getline(ss, w, ',');) names.push_back(w);
    }
    std::map<std::string, std::vector<double>> cols;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::size_t k = 0;
        for (std::string w; std::getline(ss, w, ',');) cols[names.at(k++)].push_back(std::stod(w));
    }
    return {header, cols};
}

const std::string glass = test::data_dir() + "lj2d_glass.data";
const std::string pot_lines =
    "pair_style lj/smooth/linear 2.5\npair_coeff 1 1 0.5 0.6180339887 1.5450849719\n"
    "pair_coeff 2 2 0.5 1.1755705046 2.9389262615\npair_coeff 1 2 1.0 1.0 2.5\n";

}  // namespace

TEST_CASE("cli aqs: CSV columns and the curve equal LAMMPS's", "[cli][aqs]") {
    const auto dir = workdir("aqs");
    std::ofstream(dir / "pot.in") << pot_lines;
    const auto r = run_amorph(dir, "aqs " + glass +
                                       " --units lj --potential pot.in --dgamma 1e-3 --max-strain 4e-3 --csv curve.csv "
                                       "--save-at 0.002 --save-prefix saved_ --quiet -o final.data");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto [header, c] = read_csv_header(dir / "curve.csv");
    CHECK(header == "strain,pe,pxx,pyy,pzz,pxy,pxz,pyz,tau,iterations,evaluations,fnorm,converged,plastic");
    REQUIRE(c.at("strain").size() == 5);
    CHECK(c.at("strain")[4] == Approx(4e-3));
    CHECK(fs::exists(dir / "saved_0.002.data"));
    CHECK(fs::exists(dir / "final.data"));

    const std::string s = "units lj\ndimension 2\nboundary p p p\natom_style atomic\natom_modify map array\nread_data " +
                          glass + "\nchange_box all triclinic\n" + pot_lines +
                          "neighbor 0.3 bin\nneigh_modify delay 0 every 1 check yes\nvelocity all set 0 0 0\n"
                          "fix 2d all enforce2d\nthermo_style custom step pe pxx pyy pxy\nthermo_modify norm no\nthermo 0\nmin_style cg\n"
                          "minimize 0 1e-8 10000 100000\nprint \"AQS $(pe:%.17g) $(pxx:%.17g) $(pyy:%.17g) $(pxy:%.17g)\"\n"
                          "variable dxy equal 1e-3*ly\nvariable i loop 4\nlabel aqs\n"
                          "change_box all xy delta ${dxy} remap units box\nminimize 0 1e-8 10000 100000\n"
                          "print \"AQS $(pe:%.17g) $(pxx:%.17g) $(pyy:%.17g) $(pxy:%.17g)\"\nnext i\njump SELF aqs\n";
    const auto l = test::run_lammps_script(s, "cli_aqs");
    std::istringstream in(l.log);
    std::size_t row = 0;
    double dmax = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("AQS ", 0) != 0) continue;
        std::istringstream ls(line.substr(4));
        double pe, pxx, pyy, pxy;
        ls >> pe >> pxx >> pyy >> pxy;
        REQUIRE(row < 5);
        // the CSV prints 10 significant digits (table.hpp): half a unit in the last place is 5e-10
        CHECK(c.at("pe")[row] == Approx(pe).epsilon(6e-10));
        dmax = std::max({dmax, std::abs(c.at("pxx")[row] - pxx), std::abs(c.at("pyy")[row] - pyy),
                         std::abs(c.at("pxy")[row] - pxy)});
        ++row;
    }
    fs::remove_all(l.dir);
    CHECK(row == 5);
    CHECK(dmax < 1e-6);

    const auto sh = run_amorph(dir, "aqs " + glass +
                                        " --units lj --potential pot.in --dgamma 1e-3 --max-strain 2e-3 --min-style lbfgs "
                                        "--shuffle-seed 3 --d2min-cutoff 2.5 --top-fraction 0.02 --quiet");
    INFO(sh.err);
    REQUIRE(sh.code == 0);
    CHECK(sh.out.find("shuffled-order agreement") != std::string::npos);

    const auto bad = run_amorph(dir, "aqs " + glass + " --units lj --potential pot.in --orientation 3 --quiet");
    CHECK(bad.code == 1);
    CHECK(bad.err.find("3D") != std::string::npos);
    const auto bad2 = run_amorph(dir, "aqs " + glass + " --units lj --potential pot.in --direction 1,1 --plane 1,0 --quiet");
    CHECK(bad2.code == 1);
    CHECK(bad2.err.find("orthogonal") != std::string::npos);
}

TEST_CASE("cli d2min: homogeneous shear, planted displacement, cumulative D", "[cli][d2min]") {
    const auto dir = workdir("d2min");
    auto ref = io::read_lammps_data<2>(glass);
    auto cur = ref;
    cur.deform(protocol::simple_shear_xy<2>().gradient(0.2));
    io::write_system(dir / "cur.data", cur);
    auto r = run_amorph(dir, "d2min " + glass + " cur.data --cutoff 2.0 --csv d.csv -o out.xyz");
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto [h, c] = read_csv_header(dir / "d.csv");
    CHECK(h == "id,type,d2min,shear_strain,valid");
    REQUIRE(c.at("d2min").size() == 500);
    // E = (F^T F - I)/2 for F = [[1, .2], [0, 1]]: E_xy = 0.1, E_yy = 0.02; eta = sqrt(0.01 + 0.02^2/4)
    const double eta = std::sqrt(0.01 + 0.0001);
    for (std::size_t k = 0; k < 500; ++k) {
        CHECK(c.at("d2min")[k] < 1e-12);
        CHECK(c.at("shear_strain")[k] == Approx(eta).epsilon(6e-10));  // 10 printed digits
        CHECK(c.at("valid")[k] == 1.0);
    }
    CHECK(slurp(dir / "out.xyz").find("d2min") != std::string::npos);

    // planted displacements on a triangular lattice, three frames
    const double a = 1.1, dy = a * std::sqrt(3.0) / 2;
    const int n = 10;
    mat<2> hm;
    hm << n * a, 0, 0, n * dy;
    amorph::system<2> lat(box<2>(hm), static_cast<std::size_t>(n * n));
    lat.species.add("A", 1.0);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) lat.x(static_cast<std::size_t>(j * n + i)) = vec<2>((i + 0.5 * (j % 2)) * a, j * dy);
    // frame 1 moves atom c0, frame 2 (relative to frame 1) moves atom c1 far from c0
    const std::size_t c0 = 4 * n + 5, c1 = 8 * n;
    auto f1 = lat;
    const vec<2> d1(0.05, 0.02), d2(-0.03, 0.04);
    f1.x(c0) += d1;
    auto f2 = f1;
    f2.x(c1) += d2;
    io::write_system(dir / "f0.data", lat);
    io::write_system(dir / "f1.data", f1);
    io::write_system(dir / "f2.data", f2);
    r = run_amorph(dir, "d2min f0.data f1.data --cutoff 1.3 --csv p.csv");
    REQUIRE(r.code == 0);
    auto [h2, p] = read_csv_header(dir / "p.csv");
    CHECK(p.at("d2min")[c0] == Approx(6 * d1.squaredNorm()).epsilon(1e-9));
    r = run_amorph(dir, "d2min --cumulative f0.data f1.data f2.data --cutoff 1.3 --csv cum.csv");
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto [h3, q] = read_csv_header(dir / "cum.csv");
    CHECK(h3 == "id,type,d2min,shear_strain,valid,D");
    CHECK(q.at("D")[c0] == Approx(std::sqrt(6.0) * d1.norm()).epsilon(1e-9));
    CHECK(q.at("D")[c1] == Approx(std::sqrt(6.0) * d2.norm()).epsilon(1e-9));
    CHECK(q.at("D")[c0 + 1] == Approx(std::sqrt(2.0 / 3.0) * d1.norm()).epsilon(1e-9));
    CHECK(q.at("D")[2] == Approx(0.0).margin(1e-12));
    // usage errors
    r = run_amorph(dir, "d2min f0.data f1.data f2.data --cutoff 1.3");
    CHECK(r.code == 1);
    r = run_amorph(dir, "d2min f0.data f1.data");
    CHECK(r.code == 2);
}

namespace {
std::vector<std::vector<double>> tagged(const std::string& log, const std::string& tag) {
    std::vector<std::vector<double>> out;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(tag + " ", 0) != 0) continue;
        std::istringstream ls(line.substr(tag.size() + 1));
        std::vector<double> v;
        for (double x; ls >> x;) v.push_back(x);
        out.push_back(v);
    }
    return out;
}
const std::string lmp_head = "units lj\ndimension 2\nboundary p p p\natom_style atomic\natom_modify map array\nread_data " +
                             glass + "\n" + pot_lines +
                             "neighbor 0.3 bin\nneigh_modify delay 0 every 1 check yes\ntimestep 0.005\n";
}  // namespace

TEST_CASE("cli deform: constant rate (plane stress) and stepwise curves equal LAMMPS's", "[cli][deform]") {
    const auto dir = workdir("deform");
    std::ofstream(dir / "pot.in") << pot_lines;
    // (a) x erate 0.05, lateral stress zero (MTK on y), NVT 0.1, 100 steps, a row every 10
    const auto r = run_amorph(dir, "deform " + glass +
                                       " --units lj --potential pot.in --loading rate --direction x --rate 0.05 "
                                       "--steps 100 --thermo 10 --temp 0.1 --tdamp 0.5 --lateral stress --pdamp 2.0 "
                                       "--dt 0.005 --csv rate.csv --quiet -o final.data");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(fs::exists(dir / "final.data"));
    const auto [h1, c1] = read_csv_header(dir / "rate.csv");
    CHECK(h1 == "step,time,strain,stress,pe,temp,vol,pxx,pyy,pzz,pxy,pxz,pyz");
    REQUIRE(c1.at("step").size() == 11);
    const auto l1 = test::run_lammps_script(
        lmp_head + "fix 1 all npt temp 0.1 0.1 0.5 y 0 0 2.0\nfix 2 all deform 1 x erate 0.05 remap x flip no\n"
                   "thermo 10\nthermo_style custom step pe temp pxx pyy pxy lx\n"
                   "thermo_modify norm no format float %.17g\nrun 100\n",
        "cli_deform_rate");
    REQUIRE(l1.thermo.size() == 1);
    const auto& t = l1.thermo[0];
    REQUIRE(t.rows.size() == 11);
    double dp = 0, ds = 0;
    for (std::size_t k = 0; k < 11; ++k) {
        CHECK(c1.at("step")[k] == t.at(k, "Step"));
        CHECK(c1.at("pe")[k] == Approx(t.at(k, "PotEng")).epsilon(6e-10));
        CHECK(c1.at("temp")[k] == Approx(t.at(k, "Temp")).epsilon(6e-10));
        dp = std::max({dp, std::abs(c1.at("pxx")[k] - t.at(k, "Pxx")), std::abs(c1.at("pyy")[k] - t.at(k, "Pyy")),
                       std::abs(c1.at("pxy")[k] - t.at(k, "Pxy")), std::abs(c1.at("stress")[k] + t.at(k, "Pxx"))});
        ds = std::max(ds, std::abs(c1.at("strain")[k] - (t.at(k, "Lx") - t.at(0, "Lx")) / t.at(0, "Lx")));
    }
    fs::remove_all(l1.dir);
    CHECK(dp < 1e-8);  // |P| < ~1: 10 printed digits
    CHECK(ds < 1e-12);
    CHECK(c1.at("strain").back() == Approx(0.05 * 100 * 0.005).epsilon(1e-9));

    // (b) 2 steps of 1 % along x (plane strain), CG, hold 50 NVT steps, average the last 20
    const auto s = run_amorph(dir, "deform " + glass +
                                       " --units lj --potential pot.in --loading steps --direction x --dstrain 0.01 "
                                       "--max-strain 0.02 --hold 50 --sample 20 --temp 0.1 --tdamp 0.5 --dt 0.005 "
                                       "--csv steps.csv --save-prefix held_ --quiet");
    INFO(s.err);
    REQUIRE(s.code == 0);
    CHECK(fs::exists(dir / "held_0.02.data"));
    const auto [h2, c2] = read_csv_header(dir / "steps.csv");
    CHECK(h2 == "step,strain,stress,pe,temp,pxx,pyy,pzz,pxy,pxz,pyz,pe_min,pxx_min,pyy_min,pzz_min,pxy_min,pxz_min,"
                "pyz_min,iterations,evaluations,converged");
    REQUIRE(c2.at("step").size() == 3);
    std::string sc = lmp_head +
                     "fix 1 all nvt temp 0.1 0.1 0.5\ncompute pv all pressure NULL virial\n"
                     "thermo_style custom step pe c_pv[1] c_pv[2] c_pv[4]\nthermo 0\nmin_style cg\n";
    const std::string step =
        "minimize 0 1e-8 10000 100000\nprint \"MIN $(c_thermo_pe:%.17g) $(c_pv[1]:%.17g) $(c_pv[2]:%.17g) "
        "$(c_pv[4]:%.17g)\"\nreset_timestep 0\nfix avg all ave/time 1 20 50 c_thermo_press[1] c_thermo_press[2] "
        "c_thermo_press[4] c_thermo_pe c_thermo_temp\nrun 50\nprint \"AVG $(f_avg[1]:%.17g) $(f_avg[2]:%.17g) "
        "$(f_avg[3]:%.17g) $(f_avg[4]:%.17g) $(f_avg[5]:%.17g)\"\nunfix avg\n";
    sc += step;
    for (int k = 1; k <= 2; ++k) sc += "change_box all x scale " + test::f17((1.0 + k * 0.01) / (1.0 + (k - 1) * 0.01)) + " remap\n" + step;
    const auto l2 = test::run_lammps_script(sc, "cli_deform_steps");
    const auto mins = tagged(l2.log, "MIN"), avgs = tagged(l2.log, "AVG");
    fs::remove_all(l2.dir);
    REQUIRE(mins.size() == 3);
    REQUIRE(avgs.size() == 3);
    double dmin = 0, davg = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(c2.at("strain")[k] == Approx(0.01 * k));
        CHECK(c2.at("converged")[k] == 1.0);
        CHECK(c2.at("pe_min")[k] == Approx(mins[k][0]).epsilon(6e-10));
        CHECK(c2.at("pe")[k] == Approx(avgs[k][3]).epsilon(6e-10));
        CHECK(c2.at("temp")[k] == Approx(avgs[k][4]).epsilon(6e-10));
        dmin = std::max({dmin, std::abs(c2.at("pxx_min")[k] - mins[k][1]), std::abs(c2.at("pyy_min")[k] - mins[k][2]),
                         std::abs(c2.at("pxy_min")[k] - mins[k][3])});
        davg = std::max({davg, std::abs(c2.at("pxx")[k] - avgs[k][0]), std::abs(c2.at("pyy")[k] - avgs[k][1]),
                         std::abs(c2.at("pxy")[k] - avgs[k][2]), std::abs(c2.at("stress")[k] + avgs[k][0])});
    }
    std::cout << "[cli deform] rate: max |dP| " << dp << " max |dstrain| " << ds << "; steps: minimized max |dP| " << dmin
              << ", hold averages max |dP| " << davg << "\n";
    CHECK(dmin < 1e-8);
    CHECK(davg < 1e-8);

    const auto bad = run_amorph(dir, "deform " + glass + " --units lj --potential pot.in --loading rate --direction xz --rate 1 --steps 1 --temp 0.1 --quiet");
    CHECK(bad.code == 1);
    CHECK(bad.err.find("3D") != std::string::npos);
}
