// amorph/dynamics/box_relax.hpp — relax atoms and cell together to a target
// pressure (inherent structures at zero pressure), the purpose of LAMMPS's
// `fix box/relax iso|aniso P` + `minimize`.
//
// Method (nested, robust rather than LAMMPS's extra-dof CG): the static
// pressure of the relaxed structure, P(e) with P = W / V nktv2p (virial only,
// no kinetic part), is driven to the target by quasi-Newton steps on the
// logarithmic cell strains e:
//   iso:   one strain, the cell scaled by exp(de) along every axis; the
//          secant slope dP/de (from a first probe step `probe` and then the
//          last two outer iterations) gives de = -(P - P_target) / slope;
//   aniso: one strain per axis (x, y[, z]), the diagonal stresses P_aa; the
//          D x D Jacobian is probed once by finite strains and then updated
//          by Broyden's rule; de = -J^-1 (P_diag - P_target).
// Every cell change is affine about the cell centre (atoms move with it,
// amorph::system::deform), followed by an atom relaxation with the given
// minimizer at fixed cell. Steps are capped at |de| <= max_strain. It stops
// when |P - P_target| <= ptol (each barostatted component) after an atom
// relaxation that met its own criterion, or after max_outer iterations.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/minimize.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace amorph::dynamics {

enum class cell_coupling { iso, aniso };

struct box_relax_options {
    double pressure = 0.0;           ///< target (pressure units of the system)
    cell_coupling couple = cell_coupling::iso;
    double ptol = 0.0;               ///< |P - P_target| tolerance; 0: 1e-6 of nktv2p (1.6 bar in metal, 1e-6 in lj)
    std::size_t max_outer = 100;
    double probe = 1e-4;             ///< first strain probe
    double max_strain = 0.02;        ///< largest strain change per outer iteration
    /// aniso only: which axes are barostatted (the others keep their size),
    /// e.g. the lateral axes of plane-stress tension
    std::array<bool, 3> axes{true, true, true};
};

struct box_relax_result {
    bool converged = false;
    std::string message;
    std::size_t outer_iterations = 0;
    std::size_t evaluations = 0;      ///< force evaluations of all relaxations
    min_result last;                  ///< the last atom relaxation
    double pressure = 0.0;            ///< final static pressure (trace / D)
    mat<3> pressure_tensor = mat<3>::Zero();  ///< final static pressure tensor (top-left D x D)
    double volume = 0.0;
};

template <int D>
mat<D> static_pressure(const amorph::system<D>& sys, const mat<D>& virial) {
    return virial * (sys.units->nktv2p / sys.box.volume());
}

template <int D, class F, class M>
    requires minimizer<M, D, F>
box_relax_result relax_box(amorph::system<D>& sys, F& ff, const M& method, const min_options& mopt,
                           const box_relax_options& bopt) {
    using vecD = vec<D>;
    using matD = mat<D>;
    const double ptol = bopt.ptol > 0.0 ? bopt.ptol : 1e-6 * sys.units->nktv2p;
    const bool iso = bopt.couple == cell_coupling::iso;
    auto on = [&](int a) { return bopt.axes[static_cast<std::size_t>(a)]; };
    box_relax_result res;

    auto relax = [&]() -> vecD {
        res.last = minimize(sys, ff, method, mopt);
        res.evaluations += res.last.evaluations + 1;
        ff.options().virial = true;
        const auto& r = ff.compute(sys);
        const matD p = static_pressure(sys, r.virial);
        vecD g;
        if (iso) g.setConstant(p.trace() / D - bopt.pressure);
        else
            for (int a = 0; a < D; ++a) g(a) = on(a) ? p(a, a) - bopt.pressure : 0.0;
        res.pressure = p.trace() / D;
        res.pressure_tensor.setZero();
        res.pressure_tensor.template topLeftCorner<D, D>() = p;
        res.volume = sys.box.volume();
        return g;
    };
    auto strain = [&](const vecD& de) {
        matD def = matD::Identity();
        for (int a = 0; a < D; ++a) def(a, a) = std::exp(de(a));
        sys.deform(def, true);
    };
    auto cap = [&](vecD de) {
        const double m = de.cwiseAbs().maxCoeff();
        if (m > bopt.max_strain) de *= bopt.max_strain / m;
        return de;
    };
    auto done = [&](const vecD& g) { return res.last.converged() && g.cwiseAbs().maxCoeff() <= ptol; };

    vecD g = relax();
    if (done(g)) {
        res.converged = true;
        res.message = "pressure tolerance";
        return res;
    }
    // probe the response: J = d(P_aa)/d(e_b)
    matD J;
    if (iso) {
        const double e = g(0) > 0 ? bopt.probe : -bopt.probe;  // expand when the pressure is too high
        strain(vecD::Constant(e));
        const vecD g1 = relax();
        ++res.outer_iterations;
        J = matD::Identity() * ((g1(0) - g(0)) / e);
        g = g1;
    } else {
        J.setIdentity();  // rows/columns of fixed axes stay those of the identity
        for (int b = 0; b < D; ++b) {
            if (!on(b)) continue;
            vecD de = vecD::Zero();
            de(b) = g(b) > 0 ? bopt.probe : -bopt.probe;
            strain(de);
            const vecD g1 = relax();
            ++res.outer_iterations;
            J.col(b) = (g1 - g) / de(b);
            g = g1;
        }
    }
    while (res.outer_iterations < bopt.max_outer) {
        if (done(g)) {
            res.converged = true;
            res.message = "pressure tolerance";
            return res;
        }
        vecD de;
        if (iso) {
            de.setConstant(J(0, 0) != 0.0 ? -g(0) / J(0, 0) : 0.0);
            if (!(J(0, 0) < 0.0)) de.setConstant(g(0) > 0 ? bopt.probe : -bopt.probe);  // non-physical slope: probe
        } else {
            de = J.fullPivLu().solve(-g);
            if (!de.allFinite()) de = -g.cwiseSign() * (-bopt.probe);
        }
        de = cap(de);
        strain(de);
        const vecD g1 = relax();
        ++res.outer_iterations;
        if (iso) {
            const double slope = (g1(0) - g(0)) / de(0);
            if (std::isfinite(slope) && slope != 0.0) J(0, 0) = slope;
        } else {
            const double dd = de.squaredNorm();
            if (dd > 0.0) J += ((g1 - g) - J * de) * de.transpose() / dd;  // Broyden
        }
        g = g1;
    }
    res.converged = done(g);
    res.message = res.converged ? "pressure tolerance" : "max outer iterations";
    return res;
}

}  // namespace amorph::dynamics
