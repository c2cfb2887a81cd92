// Minimization against LAMMPS `minimize` from the same start: FIRE 2.0 and CG
// (quadratic line search), 2D LJ glass (shifted force), Cu-Zr EAM glass, and a
// perturbed crystal (a unique minimum).
#include "lammps_md.hpp"

#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/fire.hpp>
#include <amorph/dynamics/lbfgs.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/minimize.hpp>
#include <amorph/dynamics/random.hpp>
#include <amorph/io/lammps_data.hpp>

#include <catch2/catch.hpp>

#include <iostream>
#include <regex>

using namespace amorph;
using namespace amorph::dynamics;
using amorph::test::f17;

namespace {

struct lammps_min {
    double energy = 0, fnorm = 0;
    long iterations = 0, evaluations = 0;
    std::string stop;
};

lammps_min run_lammps_min(const std::string& units, int dim, const std::string& data, const std::string& pair,
                          double skin, const std::string& style, double dt, double etol, double ftol, int maxiter,
                          int maxeval, const std::string& extra = "") {
    const std::string script =
        "units " + units + "\ndimension " + std::to_string(dim) +
        "\nboundary p p p\natom_style atomic\natom_modify map array\nread_data " + data + "\n" + pair + "neighbor " +
        f17(skin) + " bin\nneigh_modify delay 0 every 1 check yes\ntimestep " + f17(dt) + "\nmin_style " + style +
        "\n" + extra + "thermo 1000\nminimize " + f17(etol) + " " + f17(ftol) + " " + std::to_string(maxiter) + " " +
        std::to_string(maxeval) + "\nprint \"FINAL $(" + std::string(units == "lj" ? "pe*atoms" : "pe") + ":%.17g) $(fnorm:%.17g)\"\n";
    const auto r = test::run_lammps_script(script, "min_" + style);
    lammps_min out;
    std::smatch m;
    if (std::regex_search(r.log, m, std::regex("FINAL ([^ ]+) ([^ \\n]+)"))) {
        out.energy = std::stod(m[1]);
        out.fnorm = std::stod(m[2]);
    }
    if (std::regex_search(r.log, m, std::regex("Iterations, force evaluations = ([0-9]+) ([0-9]+)"))) {
        out.iterations = std::stol(m[1]);
        out.evaluations = std::stol(m[2]);
    }
    if (std::regex_search(r.log, m, std::regex("Stopping criterion = ([^\\n]+)"))) out.stop = m[1];
    std::filesystem::remove_all(r.dir);
    return out;
}

void report(const std::string& what, const min_result& a, const lammps_min& b) {
    std::cout << "[min " << what << "] amorph: E " << f17(a.energy) << " |F| " << a.fnorm2 << " iter " << a.iterations
              << " evals " << a.evaluations << " (" << a.message << ")\n"
              << "[min " << what << "] LAMMPS: E " << f17(b.energy) << " |F| " << b.fnorm << " iter " << b.iterations
              << " evals " << b.evaluations << " (" << b.stop << ")  rel dE "
              << std::abs(a.energy - b.energy) / std::abs(b.energy) << "\n";
}

}  // namespace

TEST_CASE("minimize 2D LJ glass: CG and FIRE reach LAMMPS's minimum", "[dynamics][minimize][peer]") {
    const std::string data = test::data_dir() + "lj2d_glass.data";
    const double skin = 0.3, dt = 0.005;
    SECTION("cg") {
        const auto ref = run_lammps_min("lj", 2, data, test::lj2d_sf_lammps(), skin, "cg", dt, 0.0, 1e-8, 10000, 100000);
        auto sys = test::read_fixture<2>("lj2d_glass.data", units::lj);
        auto ff = make_force_field<2>(test::lj2d_sf(), skin);
        const auto res = minimize(sys, ff, conjugate_gradient<2>{}, {.etol = 0.0, .ftol = 1e-8});
        report("2D LJ cg", res, ref);
        CHECK(res.reason == min_stop::force_tolerance);
        CHECK(std::abs(res.energy - ref.energy) < 1e-8 * std::abs(ref.energy));
        // L-BFGS (not in LAMMPS) reaches the same minimum
        auto s2 = test::read_fixture<2>("lj2d_glass.data", units::lj);
        auto ff2 = make_force_field<2>(test::lj2d_sf(), skin);
        const auto lb = minimize(s2, ff2, lbfgs<2>{}, {.etol = 0.0, .ftol = 1e-8});
        report("2D LJ lbfgs (vs LAMMPS cg)", lb, ref);
        CHECK(lb.reason == min_stop::force_tolerance);
        CHECK(std::abs(lb.energy - ref.energy) < 1e-8 * std::abs(ref.energy));
    }
    SECTION("fire") {
        const auto ref =
            run_lammps_min("lj", 2, data, test::lj2d_sf_lammps(), skin, "fire", dt, 0.0, 1e-8, 10000, 100000);
        auto sys = test::read_fixture<2>("lj2d_glass.data", units::lj);
        auto ff = make_force_field<2>(test::lj2d_sf(), skin);
        const auto res = minimize(sys, ff, fire<2>{}, {.etol = 0.0, .ftol = 1e-8});
        report("2D LJ fire", res, ref);
        CHECK(std::abs(res.energy - ref.energy) < 1e-8 * std::abs(ref.energy));
    }
}

TEST_CASE("minimize Cu-Zr EAM glass: CG and FIRE reach LAMMPS's minimum", "[dynamics][minimize][peer]") {
    const std::string data = test::data_dir() + "cuzr_glass.data";
    const double skin = 2.0, dt = 0.001;
    SECTION("cg") {
        const auto ref = run_lammps_min("metal", 3, data, test::cuzr_lammps(), skin, "cg", dt, 0.0, 1e-6, 10000, 100000);
        auto sys = test::read_fixture<3>("cuzr_glass.data", units::metal);
        auto ff = make_force_field<3>(test::cuzr_eam(), skin);
        const auto res = minimize(sys, ff, conjugate_gradient<3>{}, {.etol = 0.0, .ftol = 1e-6});
        report("CuZr cg", res, ref);
        CHECK(std::abs(res.energy - ref.energy) < 1e-8 * std::abs(ref.energy));
        auto s2 = test::read_fixture<3>("cuzr_glass.data", units::metal);
        auto ff2 = make_force_field<3>(test::cuzr_eam(), skin);
        const auto lb = minimize(s2, ff2, lbfgs<3>{}, {.etol = 0.0, .ftol = 1e-6});
        report("CuZr lbfgs (vs LAMMPS cg)", lb, ref);
        CHECK(lb.reason == min_stop::force_tolerance);
        CHECK(std::abs(lb.energy - ref.energy) < 1e-8 * std::abs(ref.energy));
    }
    SECTION("fire") {
        const auto ref =
            run_lammps_min("metal", 3, data, test::cuzr_lammps(), skin, "fire", dt, 0.0, 1e-6, 10000, 100000);
        auto sys = test::read_fixture<3>("cuzr_glass.data", units::metal);
        auto ff = make_force_field<3>(test::cuzr_eam(), skin);
        const auto res = minimize(sys, ff, fire<3>{}, {.etol = 0.0, .ftol = 1e-6});
        report("CuZr fire", res, ref);
        CHECK(std::abs(res.energy - ref.energy) < 1e-8 * std::abs(ref.energy));
    }
}

TEST_CASE("minimize a perturbed 2D crystal: the same minimum as LAMMPS to round-off", "[dynamics][minimize][peer]") {
    // triangular lattice of large (type 2) atoms near its LJ spacing, 12 x 12,
    // every atom displaced by up to 0.1 sigma: the minimum is the lattice
    const double a = 1.30;
    const int nx = 12, ny = 12;
    amorph::system<2> sys(box<2>::orthogonal(vec<2>(0, 0), vec<2>(nx * a, ny * a * std::sqrt(3.0) / 2)), nx * ny);
    sys.species.add("1", 1.0);
    sys.species.add("2", 1.0);
    sys.units = &units::lj;
    rng gen(7);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            const auto k = static_cast<std::size_t>(j * nx + i);
            sys.types[k] = 1;
            sys.positions(0, static_cast<Eigen::Index>(k)) = (i + 0.5 * (j % 2)) * a + 0.1 * (gen.uniform() - 0.5);
            sys.positions(1, static_cast<Eigen::Index>(k)) = j * a * std::sqrt(3.0) / 2 + 0.1 * (gen.uniform() - 0.5);
        }
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_minxtal_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    io::write_lammps_data(dir / "x.data", sys);
    for (const std::string style : {"cg", "fire", "lbfgs"}) {
        const auto ref = run_lammps_min("lj", 2, (dir / "x.data").string(), test::lj2d_sf_lammps(), 0.3,
                                        style == "lbfgs" ? "cg" : style, 0.005, 0.0, 1e-10, 10000, 100000);
        auto s = sys;
        auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
        const auto res = style == "cg"     ? minimize(s, ff, conjugate_gradient<2>{}, {.ftol = 1e-10})
                         : style == "fire" ? minimize(s, ff, fire<2>{}, {.ftol = 1e-10})
                                           : minimize(s, ff, lbfgs<2>{}, {.ftol = 1e-10});
        report("2D crystal " + style, res, ref);
        CHECK(res.converged());
        CHECK(std::abs(res.energy - ref.energy) < 1e-13 * std::abs(ref.energy));
    }
    std::filesystem::remove_all(dir);
}
