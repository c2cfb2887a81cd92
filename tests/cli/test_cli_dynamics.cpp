// `amorph minimize`, `amorph md` and `amorph quench` against LAMMPS on the 2D
// LJ fixtures of tests/dynamics/data (N = 500, lj/smooth/linear, made by
// LAMMPS from tests/dynamics/data/make_fixtures.lmp):
//   minimize  CG / FIRE / L-BFGS to ftol 1e-8: LAMMPS's minimized energy
//             (min_style cg / fire) within 1e-8 relative; the written
//             configuration re-evaluated by `amorph energy` has that energy
//   md        nve, nvt (T ramp) and npt with per-axis coupling for 100 steps
//             from the liquid's positions and velocities: the thermo CSV
//             (pe, ke, press, vol) agrees with LAMMPS's thermo to 1e-8
//   md        checkpoint every 30 steps, resume from the last one: the resumed
//             run runs only the remaining steps (its thermo starts after step
//             90) and ends bitwise identical to the uninterrupted run, and to
//             the run with 2 threads (deterministic reductions)
//   quench    a schedule file (0.4 -> 0.1 over 100 steps) then CG: LAMMPS's
//             fix nvt + minimize energy within 1e-8 relative
//   md        Al2O3 (Matsui, charges) liquid of 150 atoms made by LAMMPS: NVT
//             and NPT with Ewald and with PPPM (the alox-matsui preset) for 100
//             steps against LAMMPS's thermo, and a PPPM run resumed from its
//             checkpoint ends bitwise identical; the preset runs minimize,
//             md, quench, aqs, deform and modulus (smoke: exit 0, finite)
//   units real  an Ar-Kr LJ crystal made by LAMMPS in `units real`: nve, nvt
//             and npt thermo for 100 steps at the default 1 fs step, and the
//             mass density of `amorph info` against LAMMPS's `density`
#include "cli_potdyn.hpp"

#include "../potential/lammps_peer.hpp"

#include <cmath>
#include <iostream>
#include <array>
#include <random>
#include <regex>

using namespace amorph::test::cli;
using cli_test::rel;

namespace {

const std::string data_dir = AMORPH_SOURCE_DIR "/tests/dynamics/data/";
// the fixtures' own potential lines (as make_fixtures.lmp)
const std::string lj2d_pot =
    "pair_style lj/smooth/linear 2.5\n"
    "pair_coeff 1 1 0.5 0.6180339887 1.5450849719\n"
    "pair_coeff 2 2 0.5 1.1755705046 2.9389262615\n"
    "pair_coeff 1 2 1.0 1.0 2.5\n";

std::string lammps_head(const std::string& data) {
    return "units lj\ndimension 2\nboundary p p p\natom_style atomic\natom_modify map array\nread_data " + data +
           "\n" + lj2d_pot + "neighbor 0.3 bin\nneigh_modify delay 0 every 1 check yes\ntimestep 0.005\n";
}

double lammps_final(const std::string& log) {
    std::smatch m;
    REQUIRE(std::regex_search(log, m, std::regex("\\nFINAL ([^ \\n]+)")));
    return std::stod(m[1]);
}

/// LAMMPS thermo rows (Step Temp PotEng KinEng Press Volume), norm no.
std::vector<std::vector<double>> lammps_thermo(const std::string& log) {
    std::vector<std::vector<double>> rows;
    std::istringstream in(log);
    std::string line;
    bool on = false;
    while (std::getline(in, line)) {
        if (line.rfind("Step Temp PotEng KinEng Press Volume", 0) == 0) {
            on = true;
            continue;
        }
        if (on) {
            std::istringstream ls(line);
            std::vector<double> v(6);
            for (auto& x : v) ls >> x;
            if (!ls) {
                on = false;
                continue;
            }
            rows.push_back(v);
        }
    }
    return rows;
}


/// amorph md thermo CSV against LAMMPS thermo (every 10 steps, 100 steps).
void compare_thermo(const fs::path& csv, const std::string& log, const std::string& what, double tolerance = 1e-8) {
    const auto a = read_csv_table(csv);
    const auto b = lammps_thermo(log);
    REQUIRE(b.size() == 11);
    REQUIRE(a.size() == b.size());
    double worst = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        CHECK(a[k].at("step") == b[k][0]);
        worst = std::max({worst, rel(a[k].at("temp"), b[k][1]), rel(a[k].at("pe"), b[k][2]),
                          rel(a[k].at("ke"), b[k][3]), std::abs(a[k].at("press") - b[k][4]) / std::abs(b[k][4]),
                          rel(a[k].at("vol"), b[k][5])});
    }
    std::cout << "[cli md] " << what << ": largest relative thermo difference vs LAMMPS over 100 steps " << worst
              << "\n";
    CHECK(worst < tolerance);
}

const std::string thermo_every_10 =
    "thermo_style custom step temp pe ke press vol\nthermo_modify format float %.17g norm no\nthermo 10\n";

struct md_case {
    std::string name, fix, options;  ///< LAMMPS fix line, amorph md options
};

/// Each case for 100 steps: LAMMPS (`head`, the case's fix, `after_fix`, thermo
/// every 10 steps) against `amorph md_args OPTIONS --thermo 10`, by compare_thermo.
void compare_md_cases(const fs::path& dir, const std::string& head, const std::string& after_fix,
                      const std::string& md_args, const std::vector<md_case>& cases, const std::string& what) {
    for (const auto& c : cases) {
        INFO(c.name);
        const auto log = run_lmp(dir, head + c.fix + after_fix + thermo_every_10 + "run 100\n", "md_" + c.name + ".lmp");
        const auto r = run_amorph(dir, md_args + " " + c.options + " --thermo 10 --quiet --csv " + c.name + ".csv");
        INFO("stderr: " << r.err);
        REQUIRE(r.code == 0);
        compare_thermo(dir / (c.name + ".csv"), log, what + c.name);
    }
}

}  // namespace

TEST_CASE("minimize: CG, FIRE and L-BFGS reach LAMMPS's minimum", "[cli][minimize][peer]") {
    const auto dir = workdir("minimize");
    write_text(dir / "pot.in", lj2d_pot);
    const std::string data = data_dir + "lj2d_glass.data";
    double ref_cg = 0, ref_fire = 0;
    for (const std::string style : {"cg", "fire"}) {
        const auto log = run_lmp(dir, lammps_head(data) + "min_style " + style +
                                          "\nthermo 1000\nminimize 0 1e-8 10000 100000\nprint \"FINAL $(pe*atoms:%.17g)\"\n",
                                 "min_" + style + ".lmp");
        (style == "cg" ? ref_cg : ref_fire) = lammps_final(log);
    }
    for (const std::string style : {"cg", "fire", "lbfgs"}) {
        INFO(style);
        const auto r = run_amorph(dir, "minimize " + data + " --units lj --potential pot.in --min-style " + style +
                                           " --ftol 1e-8 --csv " + style + ".csv -o " + style + ".data");
        INFO("stderr: " << r.err);
        REQUIRE(r.code == 0);
        const auto rep = read_report(dir / (style + ".csv"));
        const double ref = style == "fire" ? ref_fire : ref_cg;
        const double e = at(rep, "energy final");
        std::cout << "[cli minimize] " << style << ": E " << f17(e) << " (LAMMPS " << f17(ref) << ", rel "
                  << rel(e, ref) << "), " << at(rep, "force evaluations") << " force evaluations, |F| "
                  << at(rep, "force 2-norm") << "\n";
        CHECK(rel(e, ref) < 1e-8);
        CHECK(at(rep, "force 2-norm") <= 1e-8);
        CHECK(at(rep, "energy per atom") == Approx(e / 500).epsilon(1e-14));
        // the written inherent structure has that energy
        const auto r3 = run_amorph(dir, "energy " + style + ".data --units lj --potential pot.in --csv e_" + style +
                                            ".csv");
        REQUIRE(r3.code == 0);
        const auto rep2 = read_report(dir / ("e_" + style + ".csv"));
        CHECK(rel(at(rep2, "energy"), e) < 1e-12);
    }
}

TEST_CASE("md: nve, nvt and npt (per axis) follow LAMMPS for 100 steps", "[cli][md][peer]") {
    const auto dir = workdir("md");
    write_text(dir / "pot.in", lj2d_pot);
    const std::string data = data_dir + "lj2d_liquid.data";
    const std::vector<md_case> cases{
        {"nve", "fix 1 all nve\n", "--ensemble nve"},
        {"nvt", "fix 1 all nvt temp 0.4 0.3 0.5\n", "--ensemble nvt --temp 0.4 0.3 --tdamp 0.5"},
        {"npt-x", "fix 1 all npt temp 0.4 0.4 0.5 x 1.0 1.5 5.0\n",
         "--ensemble npt --temp 0.4 --tdamp 0.5 --press 1.0 1.5 --pdamp 5.0 --couple x"},
        {"npt-iso", "fix 1 all npt temp 0.4 0.4 0.5 iso 2.0 2.0 5.0\n",
         "--ensemble npt --temp 0.4 --tdamp 0.5 --press 2.0 --pdamp 5.0"},
    };
    compare_md_cases(dir, lammps_head(data), "fix 2d all enforce2d\n",
                     "md " + data + " --units lj --potential pot.in --steps 100 --dt 0.005", cases, "");
}

TEST_CASE("md: a run resumed from its last checkpoint ends bitwise identical, 1 and 2 threads agree bitwise",
          "[cli][md][checkpoint]") {
    const auto dir = workdir("md_resume");
    write_text(dir / "pot.in", lj2d_pot);
    const std::string common = "md " + data_dir + "lj2d_liquid.data --units lj --potential pot.in "
                               "--ensemble nvt --temp 0.4 0.2 --steps 100 --quiet --threads ";
    auto r = run_amorph(dir, common + "1 -o full.data");
    REQUIRE(r.code == 0);
    // deterministic reductions: 2 threads give the same trajectory bit for bit
    r = run_amorph(dir, common + "2 -o two_threads.data");
    REQUIRE(r.code == 0);
    CHECK(slurp(dir / "two_threads.data") == slurp(dir / "full.data"));
    // checkpoints at steps 30, 60, 90: the file keeps step 90, as if the run had died after it
    r = run_amorph(dir, common + "1 --checkpoint ck.bin --every 30 -o first.data");
    REQUIRE(r.code == 0);
    r = run_amorph(dir, common + "1 --resume ck.bin --thermo 10 --csv resumed.csv -o resumed.data");
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    // it resumed: it ran only steps 91..100 (a restore that did nothing would rerun 0..100)
    const auto rows = read_csv_table(dir / "resumed.csv");
    REQUIRE(rows.size() == 1);
    CHECK(rows.front().at("step") == 100);
    const auto full = slurp(dir / "full.data"), resumed = slurp(dir / "resumed.data");
    REQUIRE(!full.empty());
    CHECK(resumed == full);
    CHECK(slurp(dir / "first.data") == full);
}

TEST_CASE("quench: schedule file then CG reaches LAMMPS's inherent structure", "[cli][quench][peer]") {
    const auto dir = workdir("quench");
    write_text(dir / "pot.in", lj2d_pot);
    write_text(dir / "schedule.txt", "# 0.4 -> 0.1 over 0.5 tau (100 steps of 0.005)\ntemperature 0.4\nramp 0.1 time 0.5\n");
    const std::string data = data_dir + "lj2d_liquid.data";
    const auto log = run_lmp(dir, lammps_head(data) + "fix 1 all nvt temp 0.4 0.1 0.5\nfix 2d all enforce2d\nrun 100\n"
                                  "unfix 1\nminimize 0 1e-8 10000 100000\nprint \"FINAL $(pe*atoms:%.17g)\"\n");
    const double ref = lammps_final(log);
    const auto r = run_amorph(dir, "quench " + data +
                                       " --units lj --potential pot.in --schedule schedule.txt --quiet -o is.data "
                                       "--csv q.csv");
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    const auto r2 = run_amorph(dir, "energy is.data --units lj --potential pot.in --csv e.csv");
    REQUIRE(r2.code == 0);
    const double e = at(read_report(dir / "e.csv"), "energy");
    std::cout << "[cli quench] E " << f17(e) << " LAMMPS " << f17(ref) << " rel " << rel(e, ref) << "\n";
    CHECK(rel(e, ref) < 1e-8);
    const auto q = read_report(dir / "q.csv");
    CHECK(at(q, "steps") == 100);
    CHECK(rel(at(q, "energy"), e) < 1e-12);
}

TEST_CASE("md: Al2O3 with Ewald and PPPM follows LAMMPS for 100 steps, a PPPM run resumes bitwise",
          "[cli][md][coulomb][peer]") {
    const auto dir = workdir("md_alox");
    const std::string buck = "pair_coeff 1 1 3.1571e7 0.068 14.051\npair_coeff 1 2 28477.0 0.172 34.578\n"
                             "pair_coeff 2 2 6462.69 0.276 85.093\npair_modify table 0\n";
    const std::string pppm = "pair_style buck/coul/long 10.0\n" + buck + "kspace_style pppm 1.0e-5\n";
    const std::string ewald = "pair_style buck/coul/long 7.0\n" + buck + "kspace_style ewald 1.0e-8\n";
    // a random start with exactly 60 Al + 90 O, relaxed and melted by LAMMPS
    {
        amorph::test::lammps_case c;
        const double L = std::cbrt(150 / 0.0938);
        c.box.xlo = c.box.ylo = c.box.zlo = 0.0;
        c.box.xhi = c.box.yhi = c.box.zhi = L;
        c.masses = {26.9815, 15.9994};
        std::mt19937_64 rng(2024);
        std::uniform_real_distribution<double> u(0.0, L);
        while (c.x.size() < 150) {
            const std::array<double, 3> x{u(rng), u(rng), u(rng)};
            bool ok = true;
            for (const auto& y : c.x) {
                double r2 = 0;
                for (int k = 0; k < 3; ++k) {
                    double d = x[static_cast<std::size_t>(k)] - y[static_cast<std::size_t>(k)];
                    d -= L * std::round(d / L);
                    r2 += d * d;
                }
                ok = ok && r2 > 1.8 * 1.8;
            }
            if (!ok) continue;
            c.x.push_back(x);
            c.types.push_back(c.x.size() <= 60 ? 1 : 2);
            c.charges.push_back(c.types.back() == 1 ? 1.4175 : -0.945);
        }
        amorph::test::write_data_file(c, dir / "rsa.data", "alox rsa");
        run_lmp(dir,
                "units metal\natom_style charge\nboundary p p p\nread_data rsa.data\n" + pppm +
                    "neighbor 2.0 bin\nneigh_modify delay 0 every 1 check yes\nmin_style cg\nmin_modify dmax 0.05\n"
                    "minimize 1e-6 1e-3 100 1000\nreset_timestep 0\ntimestep 0.001\n"
                    "velocity all create 3000 4711 dist gaussian mom yes\nfix 1 all nvt temp 3000 3000 0.1\nrun 200\n"
                    "write_data start.data nocoeff\n",
                "prep.lmp");
    }
    struct md_case {  // each with its own potential lines and tolerance
        std::string name, lines, fix, options;
        double tolerance;
    };
    // PPPM equals LAMMPS's to ~1e-9 per evaluation (its 4 pi is 12.5663706); a liquid
    // amplifies that over 100 steps
    const std::vector<md_case> cases{
        {"ewald-nvt", ewald, "fix 1 all nvt temp 3000 2500 0.1\n", "--potential ewald.in --ensemble nvt --temp 3000 2500 --tdamp 0.1", 1e-8},
        {"ewald-npt", ewald, "fix 1 all npt temp 3000 3000 0.1 iso 1000 1000 1.0\n",
         "--potential ewald.in --ensemble npt --temp 3000 --tdamp 0.1 --press 1000 --pdamp 1.0", 1e-8},
        {"pppm-nvt", pppm, "fix 1 all nvt temp 3000 3000 0.1\n", "--preset alox-matsui --ensemble nvt --temp 3000 --tdamp 0.1", 1e-6},
        {"pppm-npt", pppm, "fix 1 all npt temp 3000 3000 0.1 aniso 0 0 1.0\n",
         "--preset alox-matsui --ensemble npt --temp 3000 --tdamp 0.1 --press 0 --pdamp 1.0 --couple aniso", 1e-6},
    };
    write_text(dir / "ewald.in", ewald);
    for (const auto& c : cases) {
        INFO(c.name);
        const auto log = run_lmp(dir,
                                 "units metal\natom_style charge\nboundary p p p\nread_data start.data\n" + c.lines +
                                     "neighbor 2.0 bin\nneigh_modify delay 0 every 1 check yes\ntimestep 0.001\n" +
                                     c.fix + thermo_every_10 + "run 100\n",
                                 "md_" + c.name + ".lmp");
        const auto r = run_amorph(dir, "md start.data " + c.options + " --steps 100 --dt 0.001 --thermo 10 --quiet --csv " +
                                           c.name + ".csv");
        INFO("stderr: " << r.err);
        REQUIRE(r.code == 0);
        compare_thermo(dir / (c.name + ".csv"), log, c.name, c.tolerance);
    }
    // checkpoint / resume with PPPM (g_ewald and the mesh travel in the checkpoint)
    const std::string common = "md start.data --preset alox-matsui --ensemble npt --temp 3000 --press 0 --pdamp 1.0 "
                               "--steps 60 --quiet --threads 2 ";
    auto r = run_amorph(dir, common + "-o full.data");
    REQUIRE(r.code == 0);
    r = run_amorph(dir, common + "--checkpoint ck.bin --every 25 -o first.data");
    REQUIRE(r.code == 0);
    r = run_amorph(dir, common + "--resume ck.bin --thermo 10 --csv resumed.csv -o resumed.data");
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    const auto rows = read_csv_table(dir / "resumed.csv");  // it ran steps 51..60 only
    REQUIRE(rows.size() == 1);
    CHECK(rows.front().at("step") == 60);
    CHECK(slurp(dir / "resumed.data") == slurp(dir / "full.data"));
}

TEST_CASE("the alox-matsui preset (PPPM) runs every protocol", "[cli][coulomb]") {
    const auto dir = workdir("alox_protocols");
    auto ok = [&](const std::string& args) {
        const auto r = run_amorph(dir, args);
        INFO(args << "\nstderr: " << r.err);
        REQUIRE(r.code == 0);
    };
    ok("sample alox -n 150 --seed 3 -q -o start.data");
    // PPPM forces are not the exact gradient of its energy: tolerances above that
    ok("minimize start.data --preset alox-matsui --dmax 0.05 --maxiter 60 --ftol 1e-2 --csv min.csv -o min.data");
    const auto m = read_report(dir / "min.csv");
    CHECK(at(m, "energy final") < at(m, "energy initial"));
    ok("md min.data --preset alox-matsui --ensemble nvt --temp 300 --steps 20 --seed 5 -q -o hot.data");
    ok("md hot.data --preset alox-matsui --ensemble npt --temp 300 --press 0 --steps 20 -q --csv npt.csv");
    CHECK(read_csv_table(dir / "npt.csv").size() >= 1);
    write_text(dir / "schedule.txt", "temperature 300\nramp 100 time 0.02\n");
    ok("quench hot.data --preset alox-matsui --schedule schedule.txt --ftol 1e-2 -q -o q.data");
    ok("aqs min.data --preset alox-matsui --min-style fire --dgamma 0.005 --max-strain 0.01 --ftol 1e-2 --maxiter 60 "
       "-q --csv aqs.csv");
    const auto a = read_csv_table(dir / "aqs.csv");
    REQUIRE(a.size() == 3);
    for (const auto& row : a) CHECK(std::isfinite(row.at("tau")));
    ok("deform hot.data --preset alox-matsui --lateral stress --rate 0.01 --steps 20 --temp 300 -q --csv deform.csv");
    ok("modulus min.data --preset alox-matsui --method born --temp 300 --steps 40 --equil 20 --every 10 --blocks 2 "
       "--csv modulus.csv");
    CHECK(std::isfinite(at(read_report(dir / "modulus.csv"), "born Born term")));
}

TEST_CASE("units real: energy, nve, nvt and npt of a Lennard-Jones Ar-Kr crystal follow LAMMPS", "[cli][md][peer][units]") {
    // LAMMPS `units real` (kcal/mol, A, fs, atm): the constants of core/units.hpp
    // (boltz, mvv2e, nktv2p) and the default timestep, through the whole CLI
    const auto dir = workdir("md_real");
    const std::string pot = "pair_style lj/cut 10.0\npair_coeff 1 1 0.2381 3.405\npair_coeff 2 2 0.3 3.6\n"
                            "pair_coeff 1 2 0.27 3.5\n";
    write_text(dir / "pot.in", pot);
    run_lmp(dir, "units real\natom_style atomic\natom_modify map array\nlattice fcc 5.26\n"
                 "region box block 0 4 0 4 0 4\ncreate_box 2 box\ncreate_atoms 1 box\n"
                 "set type 1 type/fraction 2 0.3 4321\nmass 1 39.948\nmass 2 83.798\n" + pot +
                 "velocity all create 300 87287 mom yes rot yes\nwrite_data real.data nocoeff\n",
            "make.lmp");
    const std::string head = "units real\natom_style atomic\natom_modify map array\nread_data real.data\n" + pot +
                             "neighbor 2.0 bin\nneigh_modify delay 0 every 1 check yes\n";
    const std::vector<md_case> cases{
        {"nve", "fix 1 all nve\n", "--ensemble nve"},
        {"nvt", "fix 1 all nvt temp 300 250 100\n", "--ensemble nvt --temp 300 250 --tdamp 100"},
        {"npt", "fix 1 all npt temp 300 300 100 iso 1 500 1000\n",
         "--ensemble npt --temp 300 --tdamp 100 --press 1 500 --pdamp 1000"},
    };
    // LAMMPS's default timestep in real units is 1 fs: amorph's too (no --dt)
    compare_md_cases(dir, head, "", "md real.data --units real --potential pot.in --steps 100", cases, "real ");
    // the mass density in g/cm^3, as LAMMPS's `density` in real units
    const auto log = run_lmp(dir, head + "thermo_style custom step density\nthermo_modify format float %.17g\nrun 0\n",
                             "density.lmp");
    std::smatch m;
    REQUIRE(std::regex_search(log, m, std::regex("\\n\\s+0\\s+([0-9.eE+-]+)\\s*\\n")));
    const auto info = run_amorph(dir, "info real.data --units real --csv info.csv");
    REQUIRE(info.code == 0);
    // LAMMPS's mv2d is 1 / 0.602214129 (Avogadro, CODATA 2010); amorph uses
    // 1 amu = 1.66053906660e-24 g (CODATA 2018): 8.8e-8 apart
    CHECK(read_report(dir / "info.csv").at("mass density") == Approx(std::stod(m[1])).epsilon(1.2e-7));
}
