// `amorph energy` against LAMMPS `run 0` on the same data files: total energy,
// pressure tensor, forces, pe/atom and stress/atom for every pair style the CLI
// accepts, with the potential given as --pair-style/--pair-coeff/--pair-modify,
// --potential FILE and --preset; 2D and 3D, orthogonal and triclinic, cells
// narrower than twice the cutoff, with and without velocities (kinetic parts).
// Tolerance 1e-10 (norm-wise relative, as tests/potential); both -o formats.
#include "cli_potdyn.hpp"

#include "../potential/configs.hpp"

#include <cmath>
#include <iostream>

using namespace amorph::test;
using namespace amorph::test::cli;
using cli_test::rel;

namespace {

const std::string pot_dir = "/usr/share/lammps/potentials/";
constexpr double tolerance = 1e-10;

const std::string lj2d_coeffs =
    "pair_coeff 1 1 0.5 0.61803398874989479 1.545084971874737\n"
    "pair_coeff 2 2 0.5 1.1755705045849463 2.9389262614623659\n"
    "pair_coeff 1 2 1 1 2.5\n";

struct energy_case {
    std::string name;
    lammps_case c;        ///< configuration + LAMMPS pair lines
    std::string options;  ///< amorph potential options (may name files in the work dir)
    std::string potential_file;  ///< text of pot.in when options use --potential pot.in
    std::string output = "atoms.dump";
    double tolerance = 1e-10;
};



template <int D>
lammps_case with_velocities(lammps_case c, unsigned seed, double scale) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0.0, scale);
    c.v.clear();
    for (std::size_t i = 0; i < c.x.size(); ++i) c.v.push_back({g(rng), g(rng), D == 3 ? g(rng) : 0.0});
    return c;
}

model_scale lj2d() {
    const double pi = std::acos(-1.0);
    const double nl = (1.0 + std::sqrt(5.0)) / 4.0, ns = 1.0;
    return {"lj", 1.0243, 0.75, 2.5 * 2 * std::sin(pi / 5), {ns / (ns + nl), nl / (ns + nl)}, {1.0, 1.0},
            0.5, 0.05, 0.004, 250};
}

model_scale metal(double density, double rmin, double cutoff, std::vector<double> fractions,
                  std::vector<double> masses, std::size_t n = 200) {
    model_scale m;
    m.units = "metal";
    m.density = density;
    m.rmin = rmin;
    m.cutoff = cutoff;
    m.fractions = std::move(fractions);
    m.masses = std::move(masses);
    m.n = n;
    return m;
}

template <int D>
lammps_case random_cfg(const model_scale& m, double tilt, std::size_t n, std::uint64_t seed, double cells = 0.0) {
    const double vol = cells > 0.0 ? std::pow(cells * m.cutoff, D) : static_cast<double>(n) / m.density;
    if (cells > 0.0) n = static_cast<std::size_t>(std::max(4.0, std::round(vol * m.density)));
    return random_case<D>(m, make_lammps_box<D>(vol, tilt, 0.2), n, m.rmin, seed);
}

/// Al2O3-like random configuration with exactly 2:3 Al:O (neutral with
/// charges +1.4175 / -0.945 per type).
lammps_case alox_cfg(double tilt, std::uint64_t seed) {
    auto c = random_cfg<3>(metal(0.0938, 1.8, 8.0, {0.4, 0.6}, {26.9815, 15.9994}, 150), tilt, 150, seed);
    c.charges.clear();
    for (std::size_t i = 0; i < c.types.size(); ++i) {
        c.types[i] = i < 60 ? 1 : 2;
        c.charges.push_back(c.types[i] == 1 ? 1.4175 : -0.945);
    }
    return c;
}
const std::string alox_buck =
    "pair_coeff 1 1 3.1571e7 0.068 14.051\npair_coeff 1 2 28477.0 0.172 34.578\npair_coeff 2 2 6462.69 0.276 85.093\n";

std::vector<energy_case> cases() {
    std::vector<energy_case> out;
    {
        auto c = random_cfg<2>(lj2d(), 0.8, 250, 21);
        c.pair_lines = "pair_style lj/cut 2.5\n" + lj2d_coeffs + "pair_modify shift yes\n";
        out.push_back({"lj/cut shift 2D triclinic", c,
                       "--units lj --pair-style lj/cut 2.5 --pair-coeff 1 1 0.5 0.61803398874989479 "
                       "1.545084971874737 --pair-coeff 2 2 0.5 1.1755705045849463 2.9389262614623659 "
                       "--pair-coeff 1 2 1 1 2.5 --pair-modify shift yes",
                       ""});
    }
    {
        auto c = with_velocities<2>(random_cfg<2>(lj2d(), 0.0, 250, 22), 5, 0.7);
        c.pair_lines = "pair_style lj/cut 2.5\n" + lj2d_coeffs;
        out.push_back({"lj/cut 2D moving (file)", c, "--units lj --potential pot.in", c.pair_lines, "atoms.xyz"});
    }
    {
        auto c = with_velocities<2>(random_cfg<2>(lj2d(), -0.9, 0, 23, 1.5), 6, 0.5);
        c.pair_lines = "pair_style lj/smooth/linear 2.5\n" + lj2d_coeffs;
        out.push_back({"preset lj2d-binary 2D small triclinic moving", c, "--preset lj2d-binary", ""});
    }
    {
        auto c = random_cfg<3>(metal(0.0965, 1.6, 8.0, {0.4, 0.6}, {26.9815385, 15.999}), 0.9, 200, 24);
        c = with_velocities<3>(c, 7, 10.0);
        c.pair_lines =
            "pair_style buck 8.0\npair_coeff 1 1 3.1571e7 0.068 14.051\npair_coeff 1 2 28477.0 0.172 34.578 6.5\n"
            "pair_coeff 2 2 6462.69 0.276 85.093\npair_modify shift yes\n";
        out.push_back({"buck shift 3D triclinic moving (file)", c, "--potential pot.in", c.pair_lines});
    }
    {
        auto c = random_cfg<3>(metal(0.058, 2.2, 7.6, {0.5, 0.5}, {63.546, 91.224}), -0.7, 0, 25, 1.5);
        c.pair_lines = "pair_style eam/fs\npair_coeff * * " + pot_dir + "CuZr_mm.eam.fs Cu Zr\n";
        out.push_back({"eam/fs CuZr small triclinic (preset)", c, "--preset cuzr-mendelev", ""});
    }
    {
        auto c = random_cfg<3>(metal(0.085, 1.9, 5.0, {0.6, 0.4}, {63.546, 58.6934}), 0.5, 200, 26);
        c = with_velocities<3>(c, 8, 5.0);
        c.pair_lines = "pair_style eam/alloy\npair_coeff * * " + pot_dir + "CuNi.eam.alloy Cu Ni\n";
        out.push_back({"eam/alloy CuNi 3D triclinic moving", c,
                       "--pair-style eam/alloy --pair-coeff '*' '*' " + pot_dir + "CuNi.eam.alloy Cu Ni", "",
                       "atoms.xyz"});
    }
    {
        auto c = random_cfg<3>(metal(0.085, 1.9, 4.95, {1.0}, {63.55}), 0.0, 150, 27);
        c.pair_lines = "pair_style eam\npair_coeff 1 1 " + pot_dir + "Cu_u3.eam\n";
        out.push_back({"eam funcfl Cu 3D", c, "--pair-style eam --pair-coeff 1 1 " + pot_dir + "Cu_u3.eam", ""});
    }
    {
        auto c = random_cfg<3>(metal(0.05, 2.0, 3.77, {1.0}, {28.0855}), 0.6, 0, 28, 1.6);
        c = with_velocities<3>(c, 9, 5.0);
        c.pair_lines = "pair_style sw\npair_coeff * * " + pot_dir + "Si.sw Si\n";
        out.push_back({"sw Si small triclinic moving (preset)", c, "--preset si-sw", ""});
    }
    {
        auto c = random_cfg<3>(metal(0.05, 2.0, 3.77, {1.0}, {28.0855}), 0.0, 216, 29);
        c.pair_lines = "pair_style sw\npair_coeff * * " + pot_dir + "Si.sw Si\n";
        out.push_back({"sw Si 3D", c, "--pair-style sw --pair-coeff '*' '*' " + pot_dir + "Si.sw Si", ""});
    }
    {
        // the Matsui Al2O3 preset: buck/coul/long 10 A + PPPM 1e-5; PPPM equals LAMMPS's
        // to ~1e-9 (LAMMPS writes 4 pi as 12.5663706 in its influence function)
        auto c = with_velocities<3>(alox_cfg(0.0, 31), 10, 5.0);
        c.pair_lines = "pair_style buck/coul/long 10.0\n" + alox_buck + "pair_modify table 0\nkspace_style pppm 1.0e-5\n";
        out.push_back({"preset alox-matsui (PPPM)", c, "--preset alox-matsui", "", "atoms.dump", 1e-7});
    }
    {
        auto c = alox_cfg(0.8, 32);
        c.pair_lines = "pair_style buck/coul/long 7.0\n" + alox_buck + "pair_modify table 0\nkspace_style ewald 1.0e-10\n";
        out.push_back({"buck/coul/long + ewald triclinic, --charge (file)", c,
                       "--potential pot.in --charge 1=1.4175,2=-0.945 --species Al,O", c.pair_lines, "atoms.xyz"});
    }
    {
        auto c = alox_cfg(-0.5, 33);
        c.pair_lines = "pair_style hybrid/overlay buck 7.0 coul/dsf 0.2 8.0\npair_coeff 1 1 buck 3.1571e7 0.068 14.051\n"
                       "pair_coeff 1 2 buck 28477.0 0.172 34.578\npair_coeff 2 2 buck 6462.69 0.276 85.093\n"
                       "pair_coeff * * coul/dsf\n";
        out.push_back({"hybrid/overlay buck + coul/dsf", c,
                       "--pair-style hybrid/overlay buck 7.0 coul/dsf 0.2 8.0 --pair-coeff 1 1 buck 3.1571e7 0.068 "
                       "14.051 --pair-coeff 1 2 buck 28477.0 0.172 34.578 --pair-coeff 2 2 buck 6462.69 0.276 85.093 "
                       "--pair-coeff '*' '*' coul/dsf",
                       ""});
    }
    return out;
}


}  // namespace

TEST_CASE("energy: LAMMPS run 0 values for every pair style", "[cli][energy][peer]") {
    const auto all = cases();
    std::vector<lammps_case> lc;
    for (const auto& e : all) lc.push_back(e.c);
    const auto refs = run_lammps(lc, "cli_energy");
    for (std::size_t k = 0; k < all.size(); ++k) {
        const auto& e = all[k];
        const auto& ref = refs[k];
        INFO(e.name);
        const auto dir = workdir("energy_" + std::to_string(k));
        write_data_file(e.c, dir / "in.data", e.name);
        if (!e.potential_file.empty()) write_text(dir / "pot.in", e.potential_file);
        const auto r = run_amorph(dir, "energy in.data " + e.options + " --csv report.csv -o " + e.output);
        INFO("stderr: " << r.err);
        REQUIRE(r.code == 0);
        const auto rep = read_report(dir / "report.csv");
        CHECK(at(rep, "atoms") == static_cast<double>(ref.atoms.size()));
        const double err_e = rel(at(rep, "energy"), ref.pe);
        double pmax = 0, pd = 0;
        const char* pn[6] = {"pxx", "pyy", "pzz", "pxy", "pxz", "pyz"};
        for (int c = 0; c < 6; ++c) {
            pmax = std::max(pmax, std::abs(ref.p[static_cast<std::size_t>(c)]));
            pd = std::max(pd, std::abs(at(rep, pn[c]) - ref.p[static_cast<std::size_t>(c)]));
        }
        const double err_p = std::max(pd / pmax, rel(at(rep, "pressure"), ref.press));

        const bool xyz = e.output.ends_with(".xyz");
        const auto atoms = xyz ? read_extxyz(dir / e.output) : read_dump(dir / e.output);
        REQUIRE(atoms.size() == ref.atoms.size());
        const std::string fcol[3] = {xyz ? "forces_0" : "fx", xyz ? "forces_1" : "fy", xyz ? "forces_2" : "fz"};
        const char* scol[6] = {"stress_xx", "stress_yy", "stress_zz", "stress_xy", "stress_xz", "stress_yz"};
        const int dim = e.c.dimension;
        double fmax = 0, fd = 0, emax = 0, ed = 0, smax = 0, sd = 0;
        for (const auto& a : ref.atoms) {
            REQUIRE(atoms.count(a.id) == 1);
            const auto& row = atoms.at(a.id);
            for (int c = 0; c < dim; ++c) {
                fmax = std::max(fmax, std::abs(a.f[static_cast<std::size_t>(c)]));
                fd = std::max(fd, std::abs(row.at(fcol[c]) - a.f[static_cast<std::size_t>(c)]));
            }
            emax = std::max(emax, std::abs(a.pe));
            ed = std::max(ed, std::abs(row.at("pe") - a.pe));
            for (int c = 0; c < 6; ++c) {
                smax = std::max(smax, std::abs(a.s[static_cast<std::size_t>(c)]));
                sd = std::max(sd, std::abs(row.at(scol[c]) - a.s[static_cast<std::size_t>(c)]));
            }
        }
        const double err_f = fd / fmax, err_pe = ed / emax, err_s = sd / smax;
        std::cout << "[cli energy] " << e.name << " (N=" << ref.atoms.size() << "): E " << err_e << "  P " << err_p
                  << "  F " << err_f << "  pe/atom " << err_pe << "  stress/atom " << err_s << "\n";
        CHECK(err_e <= e.tolerance);
        CHECK(err_p <= e.tolerance);
        CHECK(err_f <= e.tolerance);
        CHECK(err_pe <= e.tolerance);
        CHECK(err_s <= e.tolerance);
    }
}

TEST_CASE("energy: usage errors are one line with a non-zero exit", "[cli][energy]") {
    const auto dir = workdir("energy_errors");
    auto c = random_cfg<3>(metal(0.085, 1.9, 4.95, {1.0}, {63.55}), 0.0, 20, 30);
    write_data_file(c, dir / "in.data", "errors");
    auto one_line = [](const process_result& r) {
        INFO("stderr: " << r.err);
        CHECK(r.err.rfind("amorph: error: ", 0) == 0);
        CHECK(r.err.find('\n') == r.err.size() - 1);
    };
    auto r = run_amorph(dir, "energy in.data");  // no potential
    CHECK(r.code == 1);
    one_line(r);
    r = run_amorph(dir, "energy in.data --pair-style lj/cutt 2.5 --pair-coeff 1 1 1 1");
    CHECK(r.code == 1);
    one_line(r);
    CHECK(r.err.find("lj/cutt") != std::string::npos);
    r = run_amorph(dir, "energy in.data --pair-style lj/cut 2.5 --pair-coeff 1 2 1 1");  // type 2 does not exist
    CHECK(r.code == 1);
    one_line(r);
    r = run_amorph(dir, "energy in.data --preset alox-matsui");  // a one-type file for a two-type model
    CHECK(r.code == 1);
    one_line(r);
    // a preset is refused on a system of another dimension or other species (issue 24: the Cu-Zr EAM
    // on a 2D LJ glass gave 1.2e13 eV without a word)
    REQUIRE(run_amorph(dir, "sample lj2d -n 100 -o lj.data --quiet").code == 0);
    r = run_amorph(dir, "energy lj.data --preset cuzr-mendelev");
    CHECK(r.code == 1);
    one_line(r);
    CHECK(r.err.find("3D model; the system is 2D") != std::string::npos);
    CHECK(run_amorph(dir, "energy lj.data --preset lj2d-sf").code == 0);

    // charges: missing, not neutral, malformed --charge, unknown species
    auto a = alox_cfg(0.0, 34);
    a.charges.clear();
    write_data_file(a, dir / "nocharge.data", "no charges");
    r = run_amorph(dir, "energy nocharge.data --preset alox-matsui -o out.dump");
    CHECK(r.code == 1);
    one_line(r);
    CHECK(r.err.find("needs per-atom charges") != std::string::npos);
    CHECK(!std::filesystem::exists(dir / "out.dump"));
    r = run_amorph(dir, "energy nocharge.data --preset alox-matsui --charge 1=1.4175,2=-0.9 -o out.dump");
    CHECK(r.code == 1);
    one_line(r);
    CHECK(r.err.find("not charge neutral") != std::string::npos);
    CHECK(!std::filesystem::exists(dir / "out.dump"));
    r = run_amorph(dir, "energy nocharge.data --species Ni,P --preset cuzr-mendelev");
    CHECK(r.code == 1);
    one_line(r);
    CHECK(r.err.find("is for species Cu Zr") != std::string::npos);
    r = run_amorph(dir, "energy nocharge.data --preset alox-matsui --charge Al:1.4");
    CHECK(r.code != 0);
    CHECK(r.err.find("--charge") != std::string::npos);
    r = run_amorph(dir, "energy nocharge.data --preset alox-matsui --charge Al=1.4175,O=-0.945");
    CHECK(r.code == 1);
    one_line(r);
    CHECK(r.err.find("no species 'Al'") != std::string::npos);
    r = run_amorph(dir, "energy nocharge.data --preset alox-matsui --charge 1=1.4175,2=-0.945 --kspace msm 1e-4");
    CHECK(r.code == 1);
    one_line(r);
    CHECK(r.err.find("msm") != std::string::npos);
    r = run_amorph(dir, "energy nocharge.data --preset alox-matsui --charge 1=1.4175,2=-0.945 --units metal");
    CHECK(r.code == 0);
}
