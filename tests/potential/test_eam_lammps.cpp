// Peer test: EAM (eam/fs, eam/alloy, eam funcfl incl. two different funcfl
// files) against LAMMPS `run 0` on the configurations of configs.hpp.
#include "configs.hpp"

#include <amorph/neighbor/verlet_list.hpp>
#include <amorph/potential/compute.hpp>
#include <amorph/potential/eam.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

using namespace amorph;
using namespace amorph::potential;
using namespace amorph::test;

namespace {

const std::string pot_dir = "/usr/share/lammps/potentials/";
constexpr double eam_tolerance = 1e-10;

void run_all(const eam& pot, const std::string& pair_lines, model_scale m, const std::string& label) {
    for (int t = 0; t < pot.num_types(); ++t) m.masses[static_cast<std::size_t>(t)] = pot.mass(t);
    const auto cfgs = standard_configs<3>(m);
    std::vector<lammps_case> cases;
    for (const auto& cfg : cfgs) {
        cases.push_back(cfg.base);
        cases.back().pair_lines = pair_lines;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto refs = run_lammps(cases, label);
    const auto t1 = std::chrono::steady_clock::now();
    std::cout << label << ": LAMMPS " << std::chrono::duration<double>(t1 - t0).count() << " s\n";
    for (std::size_t k = 0; k < cfgs.size(); ++k) {
        const auto sys = system_from<3>(cases[k], refs[k]);
        neighbor::verlet_list<3, neighbor::half_t> nl(pot.cutoff(), 1.0);
        nl.build(sys.box, sys.positions);
        const auto r = compute(pot, sys, nl, compute_options::all());
        const auto e = compare(sys, r, refs[k]);
        std::cout << label << " " << cfgs[k].name << " (N=" << sys.size() << "): " << e << "\n";
        INFO(label << " " << cfgs[k].name << ": " << e);
        CHECK(e.worst() <= eam_tolerance);
    }
}

model_scale metal_scale(double density, double rmin, double cutoff, std::vector<double> fractions) {
    model_scale m;
    m.units = "metal";
    m.density = density;
    m.rmin = rmin;
    m.cutoff = cutoff;
    m.fractions = std::move(fractions);
    m.masses.assign(m.fractions.size(), 1.0);
    m.t_liquid = 2000;
    m.t_glass = 300;
    m.dt = 0.002;
    m.n = 200;
    m.md_steps = 150;
    m.quench_steps = 300;
    return m;
}

}  // namespace

TEST_CASE("eam/fs CuZr_mm matches LAMMPS", "[potential][peer]") {
    const auto pot = eam::fs(pot_dir + "CuZr_mm.eam.fs", {"Cu", "Zr"});
    run_all(pot, "pair_style eam/fs\npair_coeff * * " + pot_dir + "CuZr_mm.eam.fs Cu Zr\n",
            metal_scale(0.058, 2.2, pot.cutoff(), {0.5, 0.5}), "eamfs");
}

TEST_CASE("eam/alloy Cu_mishin1 matches LAMMPS", "[potential][peer]") {
    const auto pot = eam::alloy(pot_dir + "Cu_mishin1.eam.alloy", {"Cu"});
    run_all(pot, "pair_style eam/alloy\npair_coeff * * " + pot_dir + "Cu_mishin1.eam.alloy Cu\n",
            metal_scale(0.08, 1.9, pot.cutoff(), {1.0}), "eamalloy");
}

TEST_CASE("eam/alloy CuNi (two elements, types in reverse file order) matches LAMMPS", "[potential][peer]") {
    const auto pot = eam::alloy(pot_dir + "CuNi.eam.alloy", {"Cu", "Ni"});
    run_all(pot, "pair_style eam/alloy\npair_coeff * * " + pot_dir + "CuNi.eam.alloy Cu Ni\n",
            metal_scale(0.085, 1.9, pot.cutoff(), {0.6, 0.4}), "eamalloy2");
}

TEST_CASE("eam funcfl Cu_u3 matches LAMMPS", "[potential][peer]") {
    const auto pot = eam::funcfl({pot_dir + "Cu_u3.eam"});
    run_all(pot, "pair_style eam\npair_coeff 1 1 " + pot_dir + "Cu_u3.eam\n",
            metal_scale(0.085, 1.9, pot.cutoff(), {1.0}), "eamfuncfl");
}

TEST_CASE("eam funcfl Cu_u3 + Ni_u3 (different grids) matches LAMMPS", "[potential][peer]") {
    const auto pot = eam::funcfl({pot_dir + "Cu_u3.eam", pot_dir + "Ni_u3.eam"});
    run_all(pot,
            "pair_style eam\npair_coeff 1 1 " + pot_dir + "Cu_u3.eam\npair_coeff 2 2 " + pot_dir + "Ni_u3.eam\n",
            metal_scale(0.087, 1.9, pot.cutoff(), {0.5, 0.5}), "eamfuncfl2");
}
