// MD deformation (protocol/deform_rate.hpp, stepwise_strain.hpp) against LAMMPS from the same data
// file with velocities:
//  (a) constant engineering strain rate: `fix nvt` + `fix deform 1 x erate R
//      remap x` (plane strain), `xy erate` (shear), and `fix npt ... y 0 0
//      Pdamp [z 0 0 Pdamp]` + `fix deform x erate` (plane stress), thermo
//      every step (pe, temp, pxx, pyy, pxy, lx, ly, xy) and the final
//      positions (write_dump, 17 digits);
//  (b) stepwise: `change_box all x scale f remap` + `minimize` + `run N` with
//      the same fix nvt + `fix ave/time 1 M N c_thermo_press[*]`: the
//      minimized pe/pressure and the hold averages per strain step.
// Unit level: the engineering strain after n steps is n R dt.
#include "../dynamics/lammps_md.hpp"

#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/nose_hoover.hpp>
#include <amorph/dynamics/run.hpp>
#include <amorph/protocol/checkpoint.hpp>
#include <amorph/protocol/deform_rate.hpp>
#include <amorph/protocol/stepwise_strain.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

using namespace amorph;
using namespace amorph::dynamics;
using amorph::test::f17;

namespace {

std::string header(const std::string& units, int dim, const std::string& data, const std::string& pair, double skin,
                   double dt, bool triclinic) {
    return "units " + units + "\ndimension " + std::to_string(dim) +
           "\nboundary p p p\natom_style atomic\natom_modify map array\nread_data " + test::data_dir() + data + "\n" +
           (triclinic ? "change_box all triclinic\n" : "") + pair + "neighbor " + f17(skin) +
           " bin\nneigh_modify delay 0 every 1 check yes\ntimestep " + f17(dt) + "\n";
}

/// Final positions by id from a LAMMPS `write_dump all custom F id x y z`.
std::map<long, std::array<double, 3>> read_dump(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::string line;
    std::map<long, std::array<double, 3>> out;
    bool atoms = false;
    while (std::getline(in, line)) {
        if (line.rfind("ITEM: ATOMS", 0) == 0) {
            atoms = true;
            continue;
        }
        if (!atoms) continue;
        std::istringstream ls(line);
        long id;
        std::array<double, 3> x{};
        ls >> id >> x[0] >> x[1] >> x[2];
        if (ls) out[id] = x;
    }
    return out;
}

struct rate_case {
    std::string what, units, data, pair, fix, deform;
    double skin, dt;
    int steps;
    bool triclinic;
};

template <int D, class P, class I>
void compare_rate(const rate_case& c, P pot, const I& integ, std::vector<protocol::rate_component> comps, double tol) {
    const std::string script = header(c.units, D, c.data, c.pair, c.skin, c.dt, c.triclinic) + "fix 1 all " + c.fix +
                               "\nfix 2 all deform 1 " + c.deform +
                               " remap x flip no\nthermo 1\nthermo_style custom step temp pe pxx pyy pxy lx ly xy "
                               "xlo ylo\nthermo_modify format float %.17g norm no\nrun " +
                               std::to_string(c.steps) +
                               "\nwrite_dump all custom final.dump id x y z modify format float %.17g\n";
    const auto lmp = test::run_lammps_script(script, "dmd");
    REQUIRE(lmp.thermo.size() == 1);
    const auto& t = lmp.thermo[0];
    REQUIRE(t.rows.size() == static_cast<std::size_t>(c.steps + 1));

    auto sys = test::read_fixture<D>(c.data, units::by_name(c.units));
    auto ff = make_force_field<D>(std::move(pot), c.skin);
    const auto def = protocol::make_deforming<D>(integ, comps);
    md_state<std::remove_cvref_t<decltype(def)>> st;
    protocol::strain_log<D> log(1, comps.front(), sys.box);
    run(sys, ff, def, st, {.steps = c.steps, .dt = c.dt}, log);
    REQUIRE(log.rows().size() == t.rows.size());

    // per column: max over steps |ours - LAMMPS| / max over steps |LAMMPS|
    const char* cols[] = {"Temp", "PotEng", "Pxx", "Pyy", "Pxy", "Lx", "Ly", "Xy", "Xlo"};
    double worst = 0;
    std::cout << "[" << c.what << "] max rel err vs LAMMPS over " << c.steps << " steps:";
    for (const char* col : cols) {
        double scale = 0, err = 0;
        for (std::size_t k = 0; k < t.rows.size(); ++k) {
            const auto& r = log.rows()[k];
            const auto& Pt = r.pressure;
            double ours = 0;
            const std::string n = col;
            if (n == "Temp") ours = r.temp;
            else if (n == "PotEng") ours = r.pe;
            else if (n == "Pxx") ours = Pt(0, 0);
            else if (n == "Pyy") ours = Pt(1, 1);
            else if (n == "Pxy") ours = Pt(0, 1);
            else if (n == "Lx") ours = r.cell(0, 0);
            else if (n == "Ly") ours = r.cell(1, 1);
            else if (n == "Xy") ours = r.cell(0, 1);
            else if (n == "Xlo") ours = r.origin(0);
            scale = std::max(scale, std::abs(t.at(k, n)));
            err = std::max(err, std::abs(ours - t.at(k, n)));
        }
        const double e = scale > 0 ? err / scale : err;
        std::cout << " " << col << " " << e;
        worst = std::max(worst, e);
    }
    // strain column: the LAMMPS box lengths at every step
    double strain_err = 0;
    const auto& c0 = comps.front();
    const double L0 = c0.tilt() ? t.at(0, c0.j == 1 ? "Ly" : "Lz") : t.at(0, "Lx");
    for (std::size_t k = 0; k < t.rows.size(); ++k) {
        const double lmp_strain = c0.tilt() ? (t.at(k, "Xy") - t.at(0, "Xy")) / L0 : (t.at(k, "Lx") - L0) / L0;
        strain_err = std::max(strain_err, std::abs(log.rows()[k].strain - lmp_strain));
    }
    std::cout << " strain(abs) " << strain_err;
    // final positions, minimum image
    const auto ref = read_dump(lmp.dir / "final.dump");
    REQUIRE(ref.size() == sys.size());
    double dx = 0;
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const auto& r = ref.at(static_cast<long>(sys.ids[i]));
        vec<D> d;
        for (int a = 0; a < D; ++a) d(a) = sys.positions(a, static_cast<Eigen::Index>(i)) - r[static_cast<std::size_t>(a)];
        dx = std::max(dx, sys.box.minimum_image(d).norm());
    }
    std::cout << " final max |dx| " << dx << "\n";
    CHECK(worst < tol);
    CHECK(strain_err < 1e-13);
    CHECK(dx < tol * sys.box.h()(0, 0));
    std::filesystem::remove_all(lmp.dir);
}

}  // namespace

TEST_CASE("deform_md: engineering strain after n steps is n rate dt", "[deform_md]") {
    auto sys = test::read_fixture<2>("lj2d_glass.data", units::lj);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    const double rate = 0.03, dt = 0.005;
    const auto def = protocol::make_deforming<2>(nose_hoover<2>(nvt(0.1, 0.1, 0.5)),
                                                  {protocol::rate_along("x", rate), protocol::rate_along("xy", -rate)});
    md_state<std::remove_cvref_t<decltype(def)>> st;
    protocol::strain_log<2> lx(1, protocol::rate_along("x", rate), sys.box);
    protocol::strain_log<2> lxy(1, protocol::rate_along("xy", -rate), sys.box);
    run(sys, ff, def, st, {.steps = 40, .dt = dt}, lx, lxy);
    REQUIRE(lx.rows().size() == 41);
    double e = 0;
    for (std::size_t n = 0; n < lx.rows().size(); ++n) {
        e = std::max(e, std::abs(lx.rows()[n].strain - static_cast<double>(n) * rate * dt));
        e = std::max(e, std::abs(lxy.rows()[n].strain + static_cast<double>(n) * rate * dt));
    }
    CHECK(e < 1e-14);
    CHECK(lx.rows().back().strain == Approx(40 * rate * dt).epsilon(1e-12));
}

TEST_CASE("deform_md: a run resumed from a mid-run checkpoint ends bitwise identical", "[deform_md]") {
    const auto path = std::filesystem::temp_directory_path() / ("amorph_deform_md_ckpt_" + std::to_string(::getpid()));
    const auto def = protocol::make_deforming<2>(nose_hoover<2>(protocol::plane_stress_npt<2>(0, 0.1, 0.5, 2.0)),
                                                  {protocol::rate_along("x", 0.05), protocol::rate_along("xy", 0.02)});
    using I = std::remove_cvref_t<decltype(def)>;
    auto a = test::read_fixture<2>("lj2d_glass.data", units::lj);
    a.box = box<2>(mat<2>{{a.box.h()(0, 0), 0.5}, {0.0, a.box.h()(1, 1)}}, a.box.origin(), a.box.periodic());
    auto b = a;
    {
        auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
        md_state<I> st;
        auto ck = on_step<2>([&](const observation<2>& o) {
            if (o.step == 20) protocol::write_checkpoint(path, o, "");
        });
        run(a, ff, def, st, {.steps = 40, .dt = 0.005}, ck);
    }
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    md_state<I> st;
    protocol::read_checkpoint(path, b, ff, st);
    CHECK(st.step == 20);
    auto none = on_step<2>([](const observation<2>&) {});  // (run() with no observer trips -Wunused-but-set-parameter)
    run(b, ff, def, st, {.steps = 40, .dt = 0.005}, none);
    CHECK(st.step == 40);
    CHECK(a.box.h() == b.box.h());
    CHECK(a.box.origin() == b.box.origin());
    CHECK(a.positions == b.positions);
    CHECK(a.velocities == b.velocities);
    std::filesystem::remove(path);
}

TEST_CASE("deform_md: fix nvt + fix deform x erate (plane strain), 2D LJ, equals LAMMPS", "[deform_md][peer]") {
    compare_rate<2>({"nvt+deform x 2D LJ", "lj", "lj2d_glass.data", test::lj2d_sf_lammps(), "nvt temp 0.1 0.1 0.5",
                     "x erate 0.05", 0.3, 0.005, 200, false},
                    test::lj2d_sf(), nose_hoover<2>(nvt(0.1, 0.1, 0.5)), {protocol::rate_along("x", 0.05)}, 1e-10);
}

TEST_CASE("deform_md: fix nvt + fix deform xy erate (shear), 2D LJ, equals LAMMPS", "[deform_md][peer]") {
    compare_rate<2>({"nvt+deform xy 2D LJ", "lj", "lj2d_glass.data", test::lj2d_sf_lammps(), "nvt temp 0.1 0.1 0.5",
                     "xy erate 0.05", 0.3, 0.005, 200, true},
                    test::lj2d_sf(), nose_hoover<2>(nvt(0.1, 0.1, 0.5)), {protocol::rate_along("xy", 0.05)}, 1e-10);
}

TEST_CASE("deform_md: fix npt y 0 0 + fix deform x erate (plane stress), 2D LJ, equals LAMMPS", "[deform_md][peer]") {
    compare_rate<2>({"npt y+deform x 2D LJ", "lj", "lj2d_glass.data", test::lj2d_sf_lammps(),
                     "npt temp 0.1 0.1 0.5 y 0 0 2.0", "x erate 0.05", 0.3, 0.005, 200, false},
                    test::lj2d_sf(), nose_hoover<2>(protocol::plane_stress_npt<2>(0, 0.1, 0.5, 2.0)),
                    {protocol::rate_along("x", 0.05)}, 1e-10);
}

TEST_CASE("deform_md: fix npt y/z 0 0 + fix deform x erate (plane stress), Cu-Zr EAM, equals LAMMPS", "[deform_md][peer]") {
    compare_rate<3>({"npt y z+deform x CuZr", "metal", "cuzr_glass.data", test::cuzr_lammps(),
                     "npt temp 300 300 0.1 y 0 0 1.0 z 0 0 1.0", "x erate 0.05", 2.0, 0.002, 100, false},
                    test::cuzr_eam(), nose_hoover<3>(protocol::plane_stress_npt<3>(0, 300, 0.1, 1.0)),
                    {protocol::rate_along("x", 0.05)}, 1e-10);
}

TEST_CASE("deform_md: stepwise strain + minimize + NVT hold + sampled stress equals LAMMPS", "[deform_md][peer]") {
    const double de = 0.01, dt = 0.005;
    const int nstep = 3, hold = 100, sample = 40;
    std::string s = header("lj", 2, "lj2d_glass.data", test::lj2d_sf_lammps(), 0.3, dt, false);
    // the minimized pressure without the kinetic part (min cg leaves the velocities alone)
    s += "fix 1 all nvt temp 0.1 0.1 0.5\ncompute pv all pressure NULL virial\n"
         "thermo_style custom step pe pxx pyy pxy temp c_pv[1] c_pv[2] c_pv[4]\nthermo_modify norm no\n"
         "thermo 0\nmin_style cg\n";
    const std::string minpr = "print \"MIN $(pe:%.17g) $(c_pv[1]:%.17g) $(c_pv[2]:%.17g) $(c_pv[4]:%.17g)\"\n";
    const std::string hold_s =
        "reset_timestep 0\nfix avg all ave/time 1 " + std::to_string(sample) + " " + std::to_string(hold) +
        " c_thermo_press[1] c_thermo_press[2] c_thermo_press[4] c_thermo_pe c_thermo_temp\nrun " +
        std::to_string(hold) +
        "\nprint \"AVG $(f_avg[1]:%.17g) $(f_avg[2]:%.17g) $(f_avg[3]:%.17g) $(f_avg[4]:%.17g) $(f_avg[5]:%.17g)\"\n"
        "unfix avg\n";
    s += "minimize 0 1e-8 10000 100000\n" + minpr + hold_s;
    for (int k = 1; k <= nstep; ++k) {
        s += "change_box all x scale " + f17((1.0 + k * de) / (1.0 + (k - 1) * de)) + " remap\n";
        s += "minimize 0 1e-8 10000 100000\n" + minpr + hold_s;
    }
    const auto lmp = test::run_lammps_script(s, "dmdstep");
    std::vector<std::array<double, 4>> mins;
    std::vector<std::array<double, 5>> avgs;
    {
        std::istringstream in(lmp.log);
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream ls(line.substr(std::min<std::size_t>(4, line.size())));
            if (line.rfind("MIN ", 0) == 0) {
                std::array<double, 4> a{};
                ls >> a[0] >> a[1] >> a[2] >> a[3];
                if (ls) mins.push_back(a);
            } else if (line.rfind("AVG ", 0) == 0) {
                std::array<double, 5> a{};
                ls >> a[0] >> a[1] >> a[2] >> a[3] >> a[4];
                if (ls) avgs.push_back(a);
            }
        }
    }
    REQUIRE(mins.size() == nstep + 1);
    REQUIRE(avgs.size() == nstep + 1);

    auto sys = test::read_fixture<2>("lj2d_glass.data", units::lj);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    nose_hoover<2> nh(nvt(0.1, 0.1, 0.5));
    md_state<nose_hoover<2>> st;
    protocol::stepwise_options<2> opt;
    opt.dstrain = de;
    opt.max_strain = de * nstep;
    opt.hold = hold;
    opt.sample = sample;
    opt.dt = dt;
    opt.minimize.ftol = 1e-8;
    opt.minimize.normalize = false;
    std::size_t calls = 0;
    opt.on_step = [&](const protocol::stepwise_record&, const amorph::system<2>&) { ++calls; };
    const auto res = protocol::stepwise_strain(sys, ff, conjugate_gradient<2>{}, protocol::tension<2>(0, false), nh, st, opt);
    REQUIRE(res.steps.size() == nstep + 1);
    CHECK(calls == res.steps.size());
    double emin = 0, pmin = 0, eavg = 0, pavg = 0, tavg = 0;
    for (std::size_t k = 0; k < res.steps.size(); ++k) {
        const auto& r = res.steps[k];
        CHECK(r.samples == static_cast<std::size_t>(sample));
        CHECK(r.converged);
        emin = std::max(emin, std::abs(r.pe_min - mins[k][0]) / std::abs(mins[k][0]));
        pmin = std::max({pmin, std::abs(r.pressure_min(0, 0) - mins[k][1]), std::abs(r.pressure_min(1, 1) - mins[k][2]),
                         std::abs(r.pressure_min(0, 1) - mins[k][3])});
        pavg = std::max({pavg, std::abs(r.pressure(0, 0) - avgs[k][0]), std::abs(r.pressure(1, 1) - avgs[k][1]),
                         std::abs(r.pressure(0, 1) - avgs[k][2])});
        eavg = std::max(eavg, std::abs(r.pe - avgs[k][3]) / std::abs(avgs[k][3]));
        tavg = std::max(tavg, std::abs(r.temp - avgs[k][4]) / avgs[k][4]);
        CHECK(r.tau == Approx(-r.pressure(0, 0)));
    }
    std::cout << "[stepwise 2D LJ] " << nstep << " steps of " << de << ", hold " << hold << " sample " << sample
              << ": minimized rel dpe " << emin << " max |dP| " << pmin << "; hold averages |dP| " << pavg
              << " rel dpe " << eavg << " rel dT " << tavg << " (|P| ~ " << std::abs(avgs.back()[0]) << ")\n";
    CHECK(emin < 1e-10);
    CHECK(pmin < 1e-8);
    CHECK(pavg < 1e-8);
    CHECK(eavg < 1e-10);
    CHECK(tavg < 1e-8);
    std::filesystem::remove_all(lmp.dir);
}
