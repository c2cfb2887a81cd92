// `amorph msd`, `amorph flex`, `amorph modulus` (issue 9) through the built
// executable:
//  * msd on an LJ fcc crystal: the mean of the per-atom MSD written with -o
//    equals the harmonic normal-mode prediction (analytic Hessian, exact
//    velocity-Verlet modes: tests/protocol/harmonic_reference.hpp) within its
//    statistical error, and every atom's MSD equals the library's ensemble with
//    the same settings;
//  * flex: v_flex = msd a with a = (a0^3/4)^(1/3) on the fcc lattice;
//  * msd on a liquid: one error line "no MSD plateau", exit 1;
//  * modulus (athermal) on SW diamond Si: the relaxed C44 = 56.4 GPa
//    (Cowley 1988; LAMMPS gives the same, tests/protocol).
#include "../protocol/harmonic_reference.hpp"
#include "../protocol/vibration_common.hpp"
#include "cli_run.hpp"

#include <amorph/core/lattice.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/io/extxyz.hpp>
#include <amorph/io/lammps_data.hpp>
#include <amorph/protocol/vibration.hpp>

#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>

#include <numeric>

#include <cmath>
#include <fstream>

using namespace amorph;
using namespace cli_test;

namespace {

const std::vector<double>& column(const amorph::system<3>& s, const std::string& name) {
    for (const auto& p : s.properties)
        if (p.name == name) return p.values;
    throw std::runtime_error("no column " + name);
}

const std::string lj_pot = "pair_style lj/smooth/linear 2.5\npair_coeff 1 1 1.0 1.0 2.5\n";

}  // namespace

TEST_CASE("amorph msd and flex on an LJ crystal", "[cli][flex]") {
    const auto dir = workdir("msd_fcc");
    const double a0 = 1.56;
    auto s = test::lj_fcc(4, a0);
    io::write_lammps_data(dir / "fcc.data", s);
    std::ofstream(dir / "pot.in") << lj_pot;
    const std::string common =
        "fcc.data --units lj --potential pot.in --temp 0.001 --runs 4 --steps 600 --every 2 --seed 7 --quiet";
    auto r = run_amorph(dir, "msd " + common + " -o msd.xyz");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto out = io::read_extxyz<3>(dir / "msd.xyz").system;
    const auto& msd = column(out, "msd");

    auto ff = dynamics::make_force_field<3>(test::lj_sf_1type(), 0.3);
    protocol::msd_options o;
    o.temperature = 0.001;
    o.runs = 4;
    o.steps = 600;
    o.sample_every = 2;
    o.seed = 7;
    o.dt = 0.005;
    const auto lib = protocol::vibrational_msd(s, ff, o);
    REQUIRE(msd.size() == lib.msd.size());
    for (std::size_t i = 0; i < msd.size(); ++i) CHECK(msd[i] == Approx(lib.msd[i]).epsilon(1e-9));
    // the independent reference: the harmonic crystal's normal modes (velocities drawn at
    // 2 T from the minimum), within 4 standard errors over the runs plus 1 % for
    // anharmonicity at T = 1e-3
    {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(test::lj_sf_hessian(s, test::lj_cut), Eigen::EigenvaluesOnly);
        const double pred = test::harmonic_msd(es.eigenvalues(), 2 * 0.001, 0.005, 600, 2, s.size());
        const double mean = std::accumulate(msd.begin(), msd.end(), 0.0) / static_cast<double>(msd.size());
        INFO("CLI mean MSD " << mean << " +- " << lib.mean_error << ", harmonic " << pred);
        CHECK(lib.mean_error < 0.1 * pred);
        CHECK(std::abs(mean - pred) < 4 * lib.mean_error + 0.01 * pred);
    }

    r = run_amorph(dir, "flex " + common + " -o flex.xyz");
    REQUIRE(r.code == 0);
    const auto fx = io::read_extxyz<3>(dir / "flex.xyz").system;
    const double a = std::cbrt(a0 * a0 * a0 / 4);
    const auto& v = column(fx, "vflex");
    const auto& m2 = column(fx, "msd");
    const auto& sp = column(fx, "a");
    for (std::size_t i = 0; i < v.size(); ++i) {
        CHECK(sp[i] == Approx(a).epsilon(1e-9));
        CHECK(v[i] == Approx(m2[i] * a).epsilon(1e-9));
    }
    // the summary is printed without --quiet
    r = run_amorph(dir, "flex " + common.substr(0, common.size() - 8));
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("predicted G") && Catch::Contains("plateau"));
}

TEST_CASE("amorph msd refuses a liquid", "[cli][flex]") {
    const auto dir = workdir("msd_liquid");
    std::ofstream(dir / "pot.in") << "pair_style lj/smooth/linear 2.5\n"
                                     "pair_coeff 1 1 0.5 0.6180339887 1.5450849719\n"
                                     "pair_coeff 2 2 0.5 1.1755705046 2.9389262615\n"
                                     "pair_coeff 1 2 1.0 1.0 2.5\n";
    const auto r = run_amorph(dir, std::string("msd ") + AMORPH_SOURCE_DIR +
                                       "/tests/dynamics/data/lj2d_liquid.data --units lj --potential pot.in "
                                       "--temp 0.4 --runs 2 --time 15 --every 5 --start thermal --quiet");
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::StartsWith("amorph: error:") && Catch::Contains("no MSD plateau"));
}

TEST_CASE("amorph modulus: relaxed C44 of SW silicon", "[cli][flex]") {
    const auto dir = workdir("modulus_si");
    const auto s = make_crystal(lattices::diamond(5.431), {2, 2, 2}, species_list::from_names({"Si"}));  // 64 atoms
    io::write_lammps_data(dir / "si.data", s);
    // `amorph modulus` on si.data with SW Si and ARGS, writing CSV: its result and the CSV's values
    auto modulus = [&](const std::string& args, const std::string& csv) {
        auto run = run_amorph(dir, "modulus si.data --pair-style sw --pair-coeff '*' '*' "
                                   "/usr/share/lammps/potentials/Si.sw Si " +
                                       args + " --csv " + csv + " --quiet");
        INFO(run.err);
        REQUIRE(run.code == 0);
        return std::make_pair(run, read_scalar_csv(dir / csv));
    };
    const auto [r, m] = modulus("--strain 0.001 --ftol 1e-12", "g.csv");
    REQUIRE(m.count("athermal G"));
    CHECK(m.at("athermal G") == Approx(56.4).epsilon(0.01));
    CHECK(m.at("athermal G_xy") == Approx(m.at("athermal G_yz")).epsilon(1e-8));

    // the unrelaxed (affine) C44 of the same crystal, by the Born term
    const auto [a, ma] = modulus("--method affine", "a.csv");
    REQUIRE(ma.count("affine G"));
    CHECK(ma.at("affine G") > 1.8 * m.at("athermal G"));
    CHECK(ma.at("affine G") == Approx(ma.at("affine Born term") + ma.at("affine stress term")).epsilon(1e-9));
    CHECK(ma.count("affine fluctuation term") == 0);

    // the Born-fluctuation route on this small, nearly harmonic crystal does not
    // converge in 2 ps (protocol/modulus.hpp): the planes disagree, and it says so
    const auto [b, mb] = modulus("--method born --temp 300 --steps 2000 --equil 500", "b.csv");
    REQUIRE(mb.count("born G spread over planes"));
    CHECK(mb.at("born G spread over planes") > 5 * mb.at("born G_xy error"));
    CHECK_THAT(b.err, Catch::Contains("warning: the planes' born G differ by") &&
                          Catch::Contains("the fluctuation term has not converged"));
    CHECK(a.err.find("warning") == std::string::npos);  // affine: no statistics, no warning
}

TEST_CASE("amorph modulus --method born needs a temperature", "[cli][flex]") {
    const auto dir = workdir("modulus_born_temp");
    const auto r = run_amorph(dir, std::string("modulus ") + AMORPH_SOURCE_DIR +
                                       "/tests/dynamics/data/lj2d_liquid.data --units lj --method born --quiet");
    CHECK(r.code != 0);
    CHECK_THAT(r.err, Catch::Contains("--method born needs --temp T"));
}
