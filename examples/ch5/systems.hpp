// examples/ch5/systems.hpp — the two glasses of the ch5 study driver (ch5.cpp),
// as a traits class study_system<D>: what differs between the 2D study
// (thesis 5.7) and the 3D one (thesis 5.8); everything else in the driver is
// one dimension-generic code path.
//
//   lj2d (D = 2)  the 2D binary LJ mixture of Lancon / Falk-Langer (preset
//                 lj2d-binary, shifted force at 2.5 sigma_ij), lj units.
//                 Glass: random start (apps/amorph/sample.hpp), quick
//                 pre-relaxation, Nose-Hoover NVT at T_hi = 1.08 T_g = 0.351
//                 for t_equil, linear quench to T_lo = 0.092 T_g = 0.0299
//                 over t_quench, CG. Loadings (thesis 5.7.2): ss+ / ss-
//                 simple shear gamma_xy = +-gamma, ps+ / ps- pure shear
//                 eps_xx = -eps_yy = -+gamma/2 (ps+ compresses x), in the
//                 frames of learn::loading_frame_2d. SDM 50^2 x 2 (r_c = 5,
//                 Delta = 0.2 sigma). Structure functions fan2020 (r0 0.5,
//                 r_c 5, xi 0.75..5 sigma).
//   cuzr (D = 3)  Cu50Zr50 with the Mendelev EAM (preset cuzr-mendelev),
//                 metal units. Glass: random start (cuzr_sample, 18.5 A^3
//                 per atom, >= 2.2 A apart), Nose-Hoover NPT at 0 bar, dt
//                 2 fs: 2000 K for t_equil, to 1000 K over 10 ps, to 500 K
//                 over t_quench (the rate through the glass transition;
//                 50 ps = 1e13 K/s), to 50 K over 4.5 ps (1e14 K/s), CG.
//                 Loadings: simple shear along the 24 orientations of thesis
//                 Table 5.1 (protocol::orientation(K), named o01..o24; o(2m-1)
//                 and o(2m) are opposite directions on the same plane), the
//                 cell not rotated nor replicated, frame x = shear direction,
//                 y = plane normal (descriptor::loading_frame). SDM 32^3 x 2
//                 (r_c = 9.6 A, Delta = 0.6 A, thesis) or grid^3 x 2 at the
//                 same r_c. Structure functions fan2020 (r0 2, r_c 9.6, xi
//                 3..8 A).
#pragma once

#include "sample.hpp"  // apps/amorph: the random starts

#include <amorph/descriptor/sdm.hpp>
#include <amorph/descriptor/structure_functions.hpp>
#include <amorph/dynamics/any_force_field.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/lbfgs.hpp>
#include <amorph/dynamics/minimize.hpp>
#include <amorph/dynamics/velocity.hpp>
#include <amorph/learn/sdm_cnn.hpp>
#include <amorph/potential/factory.hpp>
#include <amorph/potential/presets.hpp>
#include <amorph/protocol/deformation.hpp>
#include <amorph/protocol/quench.hpp>
#include <amorph/protocol/schedule.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace ch5 {

using namespace amorph;

/// One loading of the study: its name (file names, dataset protocols), the
/// AQS deformation, the AQS strain parameter per gamma, the SDM frame.
template <int D>
struct loading {
    std::string name;
    protocol::deformation<D> def;
    double scale = 1.0;  ///< pure shear: eps = gamma / 2
    mat<D> frame;
};

/// What the glass stage needs: the options the two systems share.
struct glass_options {
    std::size_t atoms = 0;
    std::uint64_t seed = 1;
    double t_equil = 0.0, t_quench = 0.0;
};

/// A quenched glass and what the log reports of it.
template <int D>
struct glass_result {
    amorph::system<D> sys;
    std::int64_t steps = 0;
    double energy_per_atom = 0.0;
};

template <int D>
struct study_system;

template <>
struct study_system<2> {
    static constexpr const char* name = "lj2d";
    static constexpr double t_g = 0.325;  // T_g of the 2D LJ mixture (thesis 5.7.1)
    static std::vector<std::string> species() { return {"S", "L"}; }
    static const unit_system& units() { return units::lj; }
    static potential::any_potential potential() {
        return potential::any_potential(potential::presets::lj2d_binary(), "lj2d-binary");
    }
    // The shifted-force model behind any_force_field<2>: the force field, the
    // minimizer and the AQS driver are then the ones amorph::compiled holds
    // (one virtual call per force evaluation, nothing per pair).
    static dynamics::any_force_field<2> force_field() {
        return dynamics::any_force_field<2>(dynamics::make_force_field<2>(potential::presets::lj2d_binary(), 0.3));
    }
    static std::vector<loading<2>> loadings() {
        const vec<2> x(1, 0), y(0, 1);
        return {loading<2>{"ss+", protocol::simple_shear<2>(x, y), 1.0, learn::loading_frame_2d("ss+")},
                loading<2>{"ss-", protocol::simple_shear<2>(vec<2>(-x), y), 1.0, learn::loading_frame_2d("ss-")},
                // eps_xx = -gamma/2 (compress x), eps_yy = +gamma/2
                loading<2>{"ps+", protocol::pure_shear<2>(y, x), 0.5, learn::loading_frame_2d("ps+")},
                loading<2>{"ps-", protocol::pure_shear<2>(x, y), 0.5, learn::loading_frame_2d("ps-")}};
    }
    /// grid 0: the thesis map (50 x 50)
    static descriptor::sdm_settings<2> sdm(std::size_t grid) {
        auto s = descriptor::sdm_thesis_2d();
        if (grid > 0) s.delta = 2 * s.cutoff / static_cast<double>(grid);
        return s;
    }
    static descriptor::settings structure_functions(double delta) {
        return descriptor::presets::fan2020(0.5, 5.0, delta, 0.75, 5.0);
    }
    static glass_result<2> glass(const glass_options& o) {
        cli::lj2d_sample_options so;
        so.atoms = o.atoms;
        so.seed = o.seed;
        auto sys = cli::lj2d_sample(so);
        sys.units = &units::lj;
        auto ff = force_field();
        dynamics::min_options pre;  // remove the random-addition overlaps before MD
        pre.ftol = 1e-3;
        pre.max_iterations = 2000;
        dynamics::minimize(sys, ff, dynamics::lbfgs<2>{}, pre);
        const double t_hi = 1.08 * t_g, t_lo = 0.092 * t_g;
        dynamics::create_velocities(sys, t_hi, so.seed);
        protocol::schedule sch(t_hi);
        sch.hold(o.t_equil, "equilibrate at 1.08 Tg");
        sch.ramp_over(t_lo, o.t_quench, "quench to 0.092 Tg");
        protocol::quench_options qo;
        qo.minimize = dynamics::min_options{};
        const auto res = protocol::quench(sys, ff, sch, qo);
        sys.velocities.resize(2, 0);
        const double e = res.minimization ? res.minimization->energy / static_cast<double>(sys.size()) : 0.0;
        return {std::move(sys), res.steps, e};
    }
};

template <>
struct study_system<3> {
    static constexpr const char* name = "cuzr";
    static std::vector<std::string> species() { return {"Cu", "Zr"}; }
    static const unit_system& units() { return units::metal; }
    static potential::any_potential potential() {
        return potential::make_potential(potential::presets::find_model("cuzr-mendelev").lammps, 2, "preset cuzr-mendelev");
    }
    static dynamics::any_force_field<3> force_field() { return dynamics::make_any_force_field<3>(potential(), 2.0); }
    static std::vector<loading<3>> loadings() {
        std::vector<loading<3>> out;
        for (int k = 1; k <= 24; ++k) {
            char name[8];
            std::snprintf(name, sizeof name, "o%02d", k);
            const auto def = protocol::orientation(k);
            out.push_back({name, def, 1.0, descriptor::loading_frame<3>(def.direction, def.normal)});
        }
        return out;
    }
    /// grid 0: the thesis map (32^3)
    static descriptor::sdm_settings<3> sdm(std::size_t grid) {
        auto s = descriptor::sdm_thesis_3d();
        if (grid > 0) s.delta = 2 * s.cutoff / static_cast<double>(grid);
        return s;
    }
    static descriptor::settings structure_functions(double delta) {
        return descriptor::presets::fan2020(2.0, 9.6, delta, 3.0, 8.0);
    }
    static glass_result<3> glass(const glass_options& o) {
        cli::cuzr_sample_options so;
        so.atoms = o.atoms;
        so.seed = o.seed;
        auto sys = cli::cuzr_sample(so);
        auto ff = force_field();
        dynamics::create_velocities(sys, 2000.0, so.seed);
        protocol::schedule sch(2000.0, 0.0);  // NPT at 0 bar throughout
        sch.hold(o.t_equil, "liquid at 2000 K");
        sch.ramp_over(1000.0, 10.0, "to 1000 K (1e14 K/s)");
        sch.ramp_over(500.0, o.t_quench, "to 500 K (the quench rate)");
        sch.ramp_over(50.0, 4.5, "to 50 K (1e14 K/s)");
        protocol::quench_options qo;
        qo.dt = 0.002;
        qo.minimize = dynamics::min_options{};
        const auto res = protocol::quench(sys, ff, sch, qo);
        sys.velocities.resize(3, 0);
        const double e = res.minimization ? res.minimization->energy / static_cast<double>(sys.size()) : 0.0;
        return {std::move(sys), res.steps, e};
    }
};

}  // namespace ch5
