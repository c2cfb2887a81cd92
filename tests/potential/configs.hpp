// tests/potential/configs.hpp — the configurations every peer test runs on.
//
// Each case is a LAMMPS data set plus optional LAMMPS commands run before the
// measurement, so that "liquid" and "glass" states come from LAMMPS's own MD
// with the potential under test:
//   random        uniform random positions with a minimum separation
//   random-tri    the same in a triclinic cell (tilts within LAMMPS's limits)
//   small         a cell narrower than twice the cutoff (several images of
//                 the same atom interact; LAMMPS uses several ghost shells)
//   small-tri     the same, triclinic
//   moving        random positions with random velocities (kinetic pressure
//                 and kinetic part of stress/atom)
//   liquid        short relaxation, then NVE MD from a hot start
//   liquid-tri    the same in a triclinic cell
//   glass         liquid, then an NVT quench to a low temperature
//   dense         random at a higher density (strong repulsion)
//   dilute        random at low density (few neighbors, many beyond cutoff)
#pragma once

#include "helpers.hpp"
#include "lammps_peer.hpp"

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace amorph::test {

struct config_spec {
    std::string name;
    lammps_case base;  // without pair lines
};

/// Physical scales of a model for building its configurations.
struct model_scale {
    std::string units;        // "lj" / "metal"
    double density;           // atoms per volume (area in 2D)
    double rmin;              // minimum separation for random placement
    double cutoff;            // potential range (for the small cells)
    std::vector<double> fractions;  // type weights
    std::vector<double> masses;
    double t_liquid;          // temperature for the liquid runs
    double t_glass;           // final temperature of the quench
    double dt;                // MD timestep
    std::size_t n = 200;      // atoms in the ordinary cells
    int md_steps = 300;       // NVE steps of the liquid runs
    int quench_steps = 600;   // NVT steps of the quench
};

template <int D>
lammps_box make_lammps_box(double volume, double tilt_frac, double aspect_seed) {
    lammps_box b;
    // slightly anisotropic edges
    const double l = std::pow(volume, 1.0 / D);
    const double lx = l * (1.0 + 0.1 * aspect_seed), ly = l * (1.0 - 0.07 * aspect_seed);
    const double lz = D == 3 ? volume / (lx * ly) : 1.0;
    const double lyy = D == 3 ? ly : volume / lx;
    b.xlo = -0.3 * lx;
    b.xhi = b.xlo + lx;
    b.ylo = 0.1;
    b.yhi = b.ylo + lyy;
    if (D == 3) {
        b.zlo = -1.7;
        b.zhi = b.zlo + lz;
    } else {
        b.zlo = -0.5;
        b.zhi = 0.5;
    }
    b.xy = tilt_frac * 0.45 * lx;
    if (D == 3) {
        b.xz = -tilt_frac * 0.3 * lx;
        b.yz = tilt_frac * 0.4 * lyy;
    }
    return b;
}

template <int D>
lammps_case random_case(const model_scale& m, const lammps_box& lb, std::size_t n, double rmin, std::uint64_t seed) {
    const box<D> b = from_lammps<D>(lb);
    auto s = random_system<D>(b, n, m.fractions, rmin, seed);
    lammps_case c;
    c.units = m.units;
    c.dimension = D;
    c.box = lb;
    for (std::size_t i = 0; i < s.size(); ++i) {
        std::array<double, 3> x{0, 0, 0};
        for (int k = 0; k < D; ++k) x[static_cast<std::size_t>(k)] = s.positions(k, static_cast<Eigen::Index>(i));
        c.x.push_back(x);
        c.types.push_back(s.types[i] + 1);
    }
    c.masses = m.masses;
    return c;
}

template <int D>
std::vector<config_spec> standard_configs(const model_scale& m) {
    std::vector<config_spec> out;
    const double vol = static_cast<double>(m.n) / m.density;
    const std::string e2d = D == 2 ? "fix e2d all enforce2d\n" : "";
    const std::string relax = "min_style cg\nminimize 0 1e-6 40 400\nreset_timestep 0\n";
    auto liquid_cmds = [&](unsigned seed) {
        return relax + "timestep " + std::to_string(m.dt) + "\nvelocity all create " + std::to_string(m.t_liquid) +
               " " + std::to_string(seed) + " dist gaussian mom yes\n" + e2d + "fix md all nve\nrun " + std::to_string(m.md_steps) + "\nunfix md\n";
    };
    {
        config_spec c{"random", random_case<D>(m, make_lammps_box<D>(vol, 0.0, 0.3), m.n, m.rmin, 11)};
        out.push_back(c);
    }
    {
        config_spec c{"random-tri", random_case<D>(m, make_lammps_box<D>(vol, 0.9, -0.5), m.n, m.rmin, 12)};
        out.push_back(c);
    }
    {
        // small cells: about 1.5 cutoffs wide, so the cutoff exceeds half the cell
        const double l = 1.5 * m.cutoff;
        const double v = std::pow(l, D);
        const auto n = static_cast<std::size_t>(std::max(4.0, std::round(v * m.density)));
        out.push_back({"small", random_case<D>(m, make_lammps_box<D>(v, 0.0, 0.2), n, m.rmin, 13)});
        out.push_back({"small-tri", random_case<D>(m, make_lammps_box<D>(v, -1.0, 0.1), n, m.rmin, 14)});
    }
    {
        config_spec c{"moving", random_case<D>(m, make_lammps_box<D>(vol, 0.5, 0.0), m.n, m.rmin, 15)};
        std::mt19937_64 rng(99);
        std::normal_distribution<double> g(0.0, 1.0);
        for (std::size_t i = 0; i < c.base.x.size(); ++i) {
            std::array<double, 3> v{g(rng), g(rng), D == 3 ? g(rng) : 0.0};
            c.base.v.push_back(v);
        }
        out.push_back(c);
    }
    {
        config_spec c{"liquid", random_case<D>(m, make_lammps_box<D>(vol, 0.0, 0.1), m.n, m.rmin, 16)};
        c.base.pre_run = liquid_cmds(4242);
        out.push_back(c);
    }
    {
        config_spec c{"liquid-tri", random_case<D>(m, make_lammps_box<D>(vol, 0.7, 0.2), m.n, m.rmin, 17)};
        c.base.pre_run = liquid_cmds(777);
        out.push_back(c);
    }
    {
        config_spec c{"glass", random_case<D>(m, make_lammps_box<D>(vol, -0.4, -0.2), m.n, m.rmin, 18)};
        c.base.pre_run = liquid_cmds(31337) + e2d + "fix q all nvt temp " + std::to_string(m.t_liquid) + " " +
                         std::to_string(m.t_glass) + " " + std::to_string(100 * m.dt) + "\nrun " + std::to_string(m.quench_steps) + "\nunfix q\n";
        out.push_back(c);
    }
    {
        const double v = vol / 1.25;
        out.push_back({"dense", random_case<D>(m, make_lammps_box<D>(v, 0.3, 0.4), m.n, 0.92 * m.rmin, 19)});
    }
    {
        const double v = vol * 3.0;
        out.push_back({"dilute", random_case<D>(m, make_lammps_box<D>(v, -0.2, 0.0), m.n / 2, m.rmin, 20)});
    }
    return out;
}

}  // namespace amorph::test
