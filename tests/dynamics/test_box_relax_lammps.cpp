// Box relaxation to a target pressure against LAMMPS `fix box/relax` +
// `minimize` (CG): a compressed, perturbed Cu fcc crystal (EAM, iso and aniso,
// unique minimum: same energy and cell to round-off) and the 2D LJ glass
// inherent structure at zero pressure (neighbouring minima: see below).
#include "lammps_md.hpp"

#include <amorph/dynamics/box_relax.hpp>
#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/random.hpp>
#include <amorph/io/lammps_data.hpp>

#include <catch2/catch.hpp>

#include <iostream>
#include <regex>

using namespace amorph;
using namespace amorph::dynamics;
using amorph::test::f17;

namespace {

struct lammps_relaxed {
    double pe = 0, press = 0, lx = 0, ly = 0, lz = 0;
};

lammps_relaxed lammps_box_relax(const std::string& units, int dim, const std::string& data, const std::string& pair,
                                double skin, const std::string& fixargs, double ftol) {
    const std::string script =
        "units " + units + "\ndimension " + std::to_string(dim) +
        "\nboundary p p p\natom_style atomic\natom_modify map array\nread_data " + data + "\n" + pair + "neighbor " +
        f17(skin) + " bin\nneigh_modify delay 0 every 1 check yes\nthermo_modify norm no\nfix r all box/relax " +
        fixargs + "\nmin_style cg\nminimize 0 " + f17(ftol) +
        " 100000 1000000\nunfix r\nminimize 0 " + f17(ftol) + " 100000 1000000\n"
        "print \"FINAL $(pe:%.17g) $(press:%.17g) $(lx:%.17g) $(ly:%.17g) $(lz:%.17g)\"\n";
    const auto r = test::run_lammps_script(script, "boxrelax");
    lammps_relaxed out;
    std::smatch m;
    REQUIRE(std::regex_search(r.log, m, std::regex("FINAL ([^ ]+) ([^ ]+) ([^ ]+) ([^ ]+) ([^ \\n]+)")));
    out.pe = std::stod(m[1]);
    out.press = std::stod(m[2]);
    out.lx = std::stod(m[3]);
    out.ly = std::stod(m[4]);
    out.lz = std::stod(m[5]);
    std::filesystem::remove_all(r.dir);
    return out;
}

amorph::system<3> cu_crystal(double a, int n, double jitter) {
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    amorph::system<3> s(box<3>::orthogonal(vec<3>::Zero(), vec<3>(n * a, n * a, 1.05 * n * a)), 4 * n * n * n);
    s.species.add("Cu", 63.546);
    s.species.add("Zr", 91.224);
    s.units = &units::metal;
    rng g(3);
    std::size_t k = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int l = 0; l < n; ++l)
                for (const auto& b : basis) {
                    s.positions.col(static_cast<Eigen::Index>(k)) =
                        vec<3>((i + b[0]) * a, (j + b[1]) * a, (l + b[2]) * a * 1.05) +
                        jitter * vec<3>(g.uniform() - 0.5, g.uniform() - 0.5, g.uniform() - 0.5);
                    s.types[k++] = 0;
                }
    return s;
}

}  // namespace

TEST_CASE("box relax: perturbed Cu crystal reaches LAMMPS's relaxed cell", "[dynamics][box_relax][peer]") {
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_boxrelax_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto start = cu_crystal(3.55, 4, 0.05);  // compressed (a0 ~ 3.64 A for this potential), z stretched 5 %
    io::write_lammps_data(dir / "cu.data", start);
    for (const auto couple : {cell_coupling::iso, cell_coupling::aniso}) {
        const bool iso = couple == cell_coupling::iso;
        const auto ref = lammps_box_relax("metal", 3, (dir / "cu.data").string(), test::cuzr_lammps(), 2.0,
                                          iso ? "iso 0.0 vmax 0.001" : "aniso 0.0 vmax 0.001", 1e-10);
        auto sys = start;
        auto ff = make_force_field<3>(test::cuzr_eam(), 2.0);
        min_options mo;
        mo.ftol = 1e-10;
        box_relax_options bo;
        bo.couple = couple;
        bo.ptol = 1e-3;  // bar
        const auto res = relax_box(sys, ff, conjugate_gradient<3>{}, mo, bo);
        const auto& h = sys.box.h();
        std::cout << "[box relax Cu " << (iso ? "iso" : "aniso") << "] amorph: E " << f17(ff.last().energy) << " P "
                  << res.pressure << " L " << h(0, 0) << " " << h(1, 1) << " " << h(2, 2) << " outer "
                  << res.outer_iterations << " evals " << res.evaluations << " (" << res.message << ")\n"
                  << "[box relax Cu " << (iso ? "iso" : "aniso") << "] LAMMPS: E " << f17(ref.pe) << " P " << ref.press
                  << " L " << ref.lx << " " << ref.ly << " " << ref.lz << "\n";
        CHECK(res.converged);
        CHECK(std::abs(ff.last().energy - ref.pe) < 1e-9 * std::abs(ref.pe));
        CHECK(std::abs(h(0, 0) - ref.lx) < 1e-6 * ref.lx);
        CHECK(std::abs(h(2, 2) - ref.lz) < 1e-6 * ref.lz);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("box relax: 2D LJ glass inherent structure at zero pressure", "[dynamics][box_relax][peer]") {
    const auto ref = lammps_box_relax("lj", 2, test::data_dir() + "lj2d_glass.data", test::lj2d_sf_lammps(), 0.3,
                                      "iso 0.0 vmax 0.001", 1e-10);
    auto sys = test::read_fixture<2>("lj2d_glass.data", units::lj);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    min_options mo;
    mo.ftol = 1e-10;
    box_relax_options bo;
    bo.ptol = 1e-7;
    const auto res = relax_box(sys, ff, conjugate_gradient<2>{}, mo, bo);
    const double area = sys.box.volume(), area_ref = ref.lx * ref.ly;
    std::cout << "[box relax 2D LJ glass] amorph: E " << f17(ff.last().energy) << " P " << res.pressure << " A " << area
              << " outer " << res.outer_iterations << " evals " << res.evaluations << " (" << res.message << ")\n"
              << "[box relax 2D LJ glass] LAMMPS: E " << f17(ref.pe) << " P " << ref.press << " A " << area_ref << "\n";
    CHECK(res.converged);
    CHECK(std::abs(res.pressure) < 1e-6);
    // A glass has many inherent structures: LAMMPS's coupled cell+atom CG and
    // the nested relaxation take different paths and end in neighbouring
    // minima (measured: energies 1.7e-4 apart, areas 5e-4 apart; LAMMPS also
    // leaves P ~ 0.05 after its final fixed-cell minimize). Only agreement at
    // that level is meaningful here; the crystal case above is the exact test.
    CHECK(std::abs(ff.last().energy - ref.pe) < 1e-3 * std::abs(ref.pe));
    CHECK(std::abs(area - area_ref) < 2e-3 * area_ref);
}
