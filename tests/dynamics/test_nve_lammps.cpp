// NVE (velocity Verlet) against LAMMPS `fix nve` from identical positions and
// velocities (a data file both read): per-step thermo pe, ke, etotal, press.
#include "lammps_md.hpp"

#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/run.hpp>
#include <amorph/dynamics/verlet.hpp>

#include <catch2/catch.hpp>

#include <iostream>

using namespace amorph;
using namespace amorph::dynamics;
using amorph::test::f17;

namespace {

struct series {
    std::vector<double> pe, ke, et, press;
};

series lammps_series(const test::thermo_table& t) {
    series s;
    for (std::size_t k = 0; k < t.rows.size(); ++k) {
        s.pe.push_back(t.at(k, "PotEng"));
        s.ke.push_back(t.at(k, "KinEng"));
        s.et.push_back(t.at(k, "TotEng"));
        s.press.push_back(t.at(k, "Press"));
    }
    return s;
}

template <int D>
series amorph_series(const thermo_log<D>& log) {
    series s;
    for (const auto& x : log.samples()) {
        s.pe.push_back(x.potential);
        s.ke.push_back(x.kinetic);
        s.et.push_back(x.total);
        s.press.push_back(x.pressure);
    }
    return s;
}

double scale_of(const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m = std::max(m, std::abs(x));
    return m;
}

struct errors {
    double pe, ke, et, press;
    double worst() const { return std::max({pe, ke, et, press}); }
};

errors compare(const series& a, const series& b, std::size_t upto) {
    auto cut = [&](const std::vector<double>& v) {
        return std::vector<double>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(upto + 1, v.size())));
    };
    return {test::max_rel(cut(a.pe), cut(b.pe), scale_of(b.pe)), test::max_rel(cut(a.ke), cut(b.ke), scale_of(b.ke)),
            test::max_rel(cut(a.et), cut(b.et), scale_of(b.et)),
            test::max_rel(cut(a.press), cut(b.press), scale_of(b.press))};
}

std::string nve_script(const std::string& units, int dim, const std::string& data, const std::string& pair,
                       double skin, double dt, int steps) {
    return "units " + units + "\ndimension " + std::to_string(dim) +
           "\nboundary p p p\natom_style atomic\natom_modify map array\nread_data " + data + "\n" + pair +
           "neighbor " + f17(skin) + " bin\nneigh_modify delay 0 every 1 check yes\ntimestep " + f17(dt) +
           "\nfix 1 all nve\nthermo 1\nthermo_style custom step temp pe ke etotal press\n"
           "thermo_modify format float %.17g norm no\nrun " +
           std::to_string(steps) + "\n";
}

}  // namespace

TEST_CASE("NVE 2D LJ (shifted force) follows LAMMPS fix nve", "[dynamics][nve][peer]") {
    const int steps = 1000;
    const double dt = 0.005, skin = 0.3;
    const auto lmp = test::run_lammps_script(
        nve_script("lj", 2, test::data_dir() + "lj2d_liquid.data", test::lj2d_sf_lammps(), skin, dt, steps), "nve2d");
    REQUIRE(lmp.thermo.size() == 1);
    const auto ref = lammps_series(lmp.thermo[0]);
    REQUIRE(ref.pe.size() == steps + 1);

    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    auto ff = make_force_field<2>(test::lj2d_sf(), skin);
    velocity_verlet<2> nve;
    md_state<velocity_verlet<2>> st;
    thermo_log<2> log(1);
    run(sys, ff, nve, st, {.steps = steps, .dt = dt}, log);
    const auto ours = amorph_series(log);
    REQUIRE(ours.pe.size() == steps + 1);

    const auto e0 = compare(ours, ref, 0), e100 = compare(ours, ref, 100), e1000 = compare(ours, ref, steps);
    std::cout << "[nve 2D LJ N=500] max rel err vs LAMMPS  step 0: " << e0.worst() << "  steps 0-100: pe " << e100.pe
              << " ke " << e100.ke << " etot " << e100.et << " press " << e100.press << "  steps 0-1000: "
              << e1000.worst() << "\n";
    double drift_ours = 0, drift_lmp = 0;
    for (std::size_t k = 0; k < ours.et.size(); ++k) {
        drift_ours = std::max(drift_ours, std::abs(ours.et[k] - ours.et[0]) / std::abs(ours.et[0]));
        drift_lmp = std::max(drift_lmp, std::abs(ref.et[k] - ref.et[0]) / std::abs(ref.et[0]));
    }
    std::cout << "[nve 2D LJ N=500] max |E(t)-E(0)|/|E(0)| over 1000 steps: amorph " << drift_ours << "  LAMMPS "
              << drift_lmp << "  (list builds: " << ff.builds() << ")\n";
    CHECK(e0.worst() < 1e-13);
    CHECK(e100.worst() < 1e-9);
    // steps 0-1000 of a liquid: round-off amplified by chaotic dynamics (1.1e-9
    // seen); a wrong force or integrator step would differ at 1e-3 or more
    CHECK(e1000.worst() < 1e-6);
    // total-energy fluctuation of velocity Verlet at dt = 0.005 in this liquid:
    // the same as LAMMPS's (same trajectory), not a drift
    CHECK(std::abs(drift_ours - drift_lmp) < 0.05 * drift_lmp);
    std::filesystem::remove_all(lmp.dir);
}

TEST_CASE("NVE Cu-Zr EAM follows LAMMPS fix nve", "[dynamics][nve][peer]") {
    const int steps = 300;
    const double dt = 0.002, skin = 2.0;
    const auto lmp = test::run_lammps_script(
        nve_script("metal", 3, test::data_dir() + "cuzr_liquid.data", test::cuzr_lammps(), skin, dt, steps), "nvecuzr");
    REQUIRE(lmp.thermo.size() == 1);
    const auto ref = lammps_series(lmp.thermo[0]);

    auto sys = test::read_fixture<3>("cuzr_liquid.data", units::metal);
    auto ff = make_force_field<3>(test::cuzr_eam(), skin);
    velocity_verlet<3> nve;
    md_state<velocity_verlet<3>> st;
    thermo_log<3> log(1);
    run(sys, ff, nve, st, {.steps = steps, .dt = dt}, log);
    const auto ours = amorph_series(log);
    REQUIRE(ours.pe.size() == ref.pe.size());

    const auto e0 = compare(ours, ref, 0), e100 = compare(ours, ref, 100), eall = compare(ours, ref, steps);
    std::cout << "[nve CuZr EAM N=1024] max rel err vs LAMMPS  step 0: " << e0.worst() << "  steps 0-100: pe "
              << e100.pe << " ke " << e100.ke << " etot " << e100.et << " press " << e100.press << "  steps 0-"
              << steps << ": " << eall.worst() << "\n";
    double drift = 0;
    for (double e : ours.et) drift = std::max(drift, std::abs(e - ours.et[0]) / std::abs(ours.et[0]));
    std::cout << "[nve CuZr EAM N=1024] max |E(t)-E(0)|/|E(0)| over " << steps << " steps: " << drift << "\n";
    CHECK(e0.worst() < 1e-12);
    CHECK(e100.worst() < 1e-9);
    CHECK(eall.worst() < 1e-9);  // 7e-14 seen over the 300 steps
    CHECK(drift < 1e-4);         // 3.7e-6 seen: velocity Verlet at 2 fs conserves E
    std::filesystem::remove_all(lmp.dir);
}
