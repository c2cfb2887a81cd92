// Athermal shear modulus of SW diamond Si (protocol/modulus.hpp): internal
// relaxation matters (relaxed C44 is about half the unrelaxed one); checked
// against LAMMPS change_box xy delta + minimize on the same crystal (peer) and
// the literature value of the relaxed C44 = 56.4 GPa (Cowley 1988). The
// affine (Born) modulus against LAMMPS change_box xy delta remap without the
// second minimization: the unrelaxed C44.
#include "../dynamics/lammps_md.hpp"

#include <amorph/core/lattice.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/io/lammps_data.hpp>
#include <amorph/potential/stillinger_weber.hpp>
#include <amorph/protocol/modulus.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

using namespace amorph;

namespace {

amorph::system<3> si_diamond(int n, double a) {
    return make_crystal(lattices::diamond(a), {n, n, n}, species_list::from_names({"Si"}));
}

const std::string sw_file = "/usr/share/lammps/potentials/Si.sw";

/// LAMMPS: sigma_xy = -pxy after change_box xy delta (+-gamma ly) remap, then
/// minimize (relax) or not.
std::pair<double, double> lammps_shear_stress(const amorph::system<3>& s, double gamma, bool relax = true) {
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_mod_data_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    io::write_lammps_data(dir / "si.data", s);
    std::string script;
    for (int sign : {1, -1}) {
        script += "clear\nunits metal\nboundary p p p\natom_style atomic\nread_data " + (dir / "si.data").string() +
                  "\nchange_box all triclinic\npair_style sw\npair_coeff * * " + sw_file +
                  " Si\nneighbor 1.0 bin\nneigh_modify delay 0 every 1 check yes\nmin_style cg\n"
                  "minimize 0 1e-12 100000 1000000\nchange_box all xy delta " +
                  test::f17(sign * gamma * s.box.h()(1, 1)) +
                  " remap units box\n" + (relax ? "minimize 0 1e-12 100000 1000000\n" : "") +
                  "thermo_style custom step pe pxy\nrun 0\nprint \"RESULT_PXY $(pxy:%.17g)\"\n";
    }
    const auto r = test::run_lammps_script(script, "modulus");
    std::regex re("RESULT_PXY ([-+0-9.eE]+)");
    std::vector<double> p;
    for (std::sregex_iterator it(r.log.begin(), r.log.end(), re), end; it != end; ++it) p.push_back(std::stod((*it)[1]));
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(r.dir);
    if (p.size() < 2) throw std::runtime_error("no RESULT_PXY in the LAMMPS log");
    // the print line is echoed in the log once as a command and once as output; take the last two values
    return {-p[p.size() - 2], -p[p.size() - 1]};
}

}  // namespace

TEST_CASE("athermal G of SW diamond Si equals LAMMPS and the relaxed C44", "[protocol][modulus][peer]") {
    auto s = si_diamond(2, 5.431);  // 64 atoms
    auto ff = dynamics::make_force_field<3>(potential::stillinger_weber::from_file(sw_file, {"Si"}), 1.0);
    protocol::shear_modulus_options o;
    o.strain = 1e-3;
    o.min.ftol = 1e-12;
    const auto r = protocol::athermal_shear_modulus(s, ff, o);
    const auto [sp, sm] = lammps_shear_stress(s, o.strain);
    const double g_lmp = (sp - sm) / (2 * o.strain);
    INFO("G xy " << r.planes[0].modulus << " bar, LAMMPS " << g_lmp << " bar");
    CHECK(r.planes[0].stress_plus == Approx(sp).epsilon(1e-6).margin(1e-3));
    CHECK(r.planes[0].stress_minus == Approx(sm).epsilon(1e-6).margin(1e-3));
    CHECK(r.planes[0].modulus == Approx(g_lmp).epsilon(1e-6));
    CHECK(r.modulus / 1e4 == Approx(56.4).epsilon(0.01));  // GPa
}


TEST_CASE("affine (Born) G of SW diamond Si equals LAMMPS's unrelaxed response", "[protocol][modulus][peer]") {
    auto s = si_diamond(2, 5.431);
    auto ff = dynamics::make_force_field<3>(potential::stillinger_weber::from_file(sw_file, {"Si"}), 1.0);
    protocol::shear_modulus_options o;
    o.min.ftol = 1e-12;
    const auto r = protocol::affine_shear_modulus(s, ff, o);
    const double gamma = 1e-4;
    const auto [sp, sm] = lammps_shear_stress(s, gamma, false);
    const double g_lmp = (sp - sm) / (2 * gamma);
    const auto relaxed = protocol::athermal_shear_modulus(s, ff, o);
    INFO("affine G xy " << r.planes[0].modulus << " bar (Born " << r.planes[0].born << ", stress "
                        << r.planes[0].stress << "), LAMMPS unrelaxed " << g_lmp << " bar, relaxed "
                        << relaxed.modulus << " bar");
    REQUIRE(r.planes.size() == 3);
    CHECK(r.planes[0].modulus == Approx(g_lmp).epsilon(1e-6));
    for (const auto& p : r.planes) CHECK(p.modulus == Approx(r.modulus).epsilon(1e-6));  // cubic: C44^0 on every plane
    CHECK(r.modulus > 1.8 * relaxed.modulus);  // the internal relaxation of the two-atom basis
}
