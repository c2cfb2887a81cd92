// Peer test: Stillinger-Weber (Si.sw, and the two-element GaN.sw) against
// LAMMPS `run 0` on the configurations of configs.hpp plus a perturbed
// diamond crystal.
#include "configs.hpp"

#include <amorph/core/lattice.hpp>
#include <amorph/neighbor/verlet_list.hpp>
#include <amorph/potential/compute.hpp>
#include <amorph/potential/stillinger_weber.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

using namespace amorph;
using namespace amorph::potential;
using namespace amorph::test;

namespace {

const std::string sw_dir = "/usr/share/lammps/potentials/";
constexpr double sw_tolerance = 1e-10;

/// Diamond crystal, n^3 cubic cells of edge a, atoms displaced by up to `jitter`.
lammps_case diamond(int n, double a, double jitter, std::uint64_t seed) {
    lammps_case c;
    c.units = "metal";
    c.box.xlo = c.box.ylo = c.box.zlo = 0.0;
    c.box.xhi = c.box.yhi = c.box.zhi = n * a;
    const auto s = make_crystal(lattices::diamond(a), {n, n, n}, species_list::from_names({"Si"}));
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-jitter, jitter);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const vec<3> p = s.positions.col(static_cast<Eigen::Index>(i));
        const double dx = u(rng), dy = u(rng), dz = u(rng);
        c.x.push_back({p(0) + dx, p(1) + dy, p(2) + dz});
        c.types.push_back(1);
    }
    return c;
}

void run_all(const stillinger_weber& pot, const std::string& pair_lines, const model_scale& m,
             std::vector<config_spec> extra, const std::string& label) {
    auto cfgs = standard_configs<3>(m);
    for (auto& e : extra) cfgs.push_back(std::move(e));
    std::vector<lammps_case> cases;
    for (const auto& cfg : cfgs) {
        cases.push_back(cfg.base);
        cases.back().pair_lines = pair_lines;
        cases.back().masses = m.masses;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto refs = run_lammps(cases, label);
    const auto t1 = std::chrono::steady_clock::now();
    std::cout << label << ": LAMMPS " << std::chrono::duration<double>(t1 - t0).count() << " s\n";
    for (std::size_t k = 0; k < cfgs.size(); ++k) {
        const auto sys = system_from<3>(cases[k], refs[k]);
        neighbor::verlet_list<3, neighbor::full_t> nl(pot.cutoff(), 1.0);
        nl.build(sys.box, sys.positions);
        const auto r = compute(pot, sys, nl, compute_options::all());
        const auto e = compare(sys, r, refs[k]);
        std::cout << label << " " << cfgs[k].name << " (N=" << sys.size() << "): " << e << "\n";
        INFO(label << " " << cfgs[k].name << ": " << e);
        CHECK(e.worst() <= sw_tolerance);
    }
}

model_scale metal_scale(double density, double rmin, double cutoff, std::vector<double> fractions,
                        std::vector<double> masses) {
    model_scale m;
    m.units = "metal";
    m.density = density;
    m.rmin = rmin;
    m.cutoff = cutoff;
    m.fractions = std::move(fractions);
    m.masses = std::move(masses);
    m.t_liquid = 3500;
    m.t_glass = 300;
    m.dt = 0.001;
    m.n = 216;
    m.md_steps = 300;
    m.quench_steps = 300;
    return m;
}

}  // namespace

TEST_CASE("sw Si matches LAMMPS", "[potential][peer]") {
    const auto pot = stillinger_weber::from_file(sw_dir + "Si.sw", {"Si"});
    std::vector<config_spec> extra{{"crystal", diamond(3, 5.431, 0.15, 3)}, {"crystal-small", diamond(1, 5.431, 0.2, 4)}};
    run_all(pot, "pair_style sw\npair_coeff * * " + sw_dir + "Si.sw Si\n",
            metal_scale(0.05, 2.0, pot.cutoff(), {1.0}, {28.0855}), extra, "swSi");
}

TEST_CASE("sw GaN (two elements) matches LAMMPS", "[potential][peer]") {
    const auto pot = stillinger_weber::from_file(sw_dir + "GaN.sw", {"N", "Ga"});
    run_all(pot, "pair_style sw\npair_coeff * * " + sw_dir + "GaN.sw N Ga\n",
            metal_scale(0.07, 1.75, pot.cutoff(), {0.5, 0.5}, {14.007, 69.723}), {}, "swGaN");
}
