// amorph/dynamics/nose_hoover.hpp — Nose-Hoover chain thermostat and MTK
// barostat: the equations, splitting and parameters of LAMMPS's `fix nvt`,
// `fix npt` and `fix nph` (fix_nh.cpp; Shinoda, Shiga, Mikami, PRB 69, 134103
// (2004); Martyna, Tuckerman, Tobias, Klein, Mol. Phys. 87, 1117 (1996);
// Tuckerman et al., J. Phys. A 39, 5629 (2006)).
//
// Parameters: temperature T(t) = T_start + f (T_stop - T_start) with the run
// fraction f (concepts.hpp), Tdamp (t_freq = 1/Tdamp); pressure targets per
// axis P_a(t) likewise, Pdamp_a (p_freq_a = 1/Pdamp_a); chain lengths tchain
// = pchain = 3; tloop = ploop = 1 (n_c, no Suzuki-Yoshida weights); mtk yes;
// drag 0; dilate all; fixed point = cell centre at init; tilts scaled with
// their axis (LAMMPS's scalexy/xz/yz defaults).
// Couplings: iso (x, y[, z] coupled to the hydrostatic pressure; pstyle ISO),
// aniso (each axis on its own diagonal stress), and any subset of x, y, z
// (deviatoric: the other axes keep their size, the target stress enters
// through sigma), with `couple` xy/yz/xz/xyz. Off-diagonal (tri/xy/xz/yz)
// barostatting is not implemented.
//
// With dof = D N - D, k = k_B:
//   thermostat masses Q_1 = dof k T / t_freq^2, Q_k = k T / t_freq^2;
//   barostat masses  W_a = (N + 1) k T / p_freq_a^2; barostat-thermostat
//   masses k T / p_freq_max^2.
// One step (dt; dt2, dt4, dt8 = dt/2, dt/4, dt/8; all in the order of
// fix_nh.cpp so that round-off agrees):
//   [pstat] barostat chain half step (nhc_press_integrate)
//   [tstat] T target, thermostat chain half step (nhc_temp_integrate):
//       G_1 = (dof k T_cur - dof k T_target)/Q_1; chain from the top:
//       eta_dot_k *= exp(-dt8 eta_dot_{k+1}); eta_dot_k += G_k dt4; again *=;
//       v *= exp(-dt2 eta_dot_1); T_cur *= that^2; eta_k += dt2 eta_dot_k;
//       chain from the bottom with G_k = (Q_{k-1} eta_dot_{k-1}^2 - k T)/Q_k
//   [pstat] P now (kinetic part from the current v), P target,
//       omega_dot_a += dt2 ((P_a - P_hydro) V / (W_a nktv2p) + mtk1/W_a
//                          - fdev_a/(W_a nktv2p)),
//       mtk1 = dof k T_cur / (pdim N) (iso) or sum_a K_aa / (pdim N),
//       mtk2 = sum_a omega_dot_a / (pdim N);
//       v_a *= exp(-dt4 (omega_dot_a + mtk2)) twice (nh_v_press)
//   v += dt2 ftm2v F/m
//   [pstat] cell and atoms scaled about the fixed point by exp(dt2 omega_dot_a)
//   x += dt v
//   [pstat] cell and atoms scaled again
//   forces
//   v += dt2 ftm2v F/m
//   [pstat] nh_v_press; T_cur from v; P from v and the new virial; omega_dot
//   [tstat] thermostat chain half step
//   [pstat] barostat chain half step
// Deviatoric targets: sigma = V0 h0^-1 (P_target - P_hydro I) h0^-T and
// fdev = h sigma h^T (h0, V0 the cell at init).
// reservoir_energy() is LAMMPS's fix scalar (econserve = etotal + it):
//   dof k T eta_1 + sum_k>1 k T eta_k + sum_k Q_k eta_dot_k^2 / 2
//   + sum_a (W_a omega_dot_a^2 / 2 + P_hydro (V - V0) / (pdim nktv2p))
//   + barostat chain terms + strain energy tr(sigma h h^T) / (2 nktv2p)
//   (in 2D plus LAMMPS's constant z-row term -V0 P_hydro / (2 nktv2p)).
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/lammps_cell.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/verlet.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace amorph::dynamics {

struct thermostat_params {
    double t_start = 0.0;
    double t_stop = 0.0;
    double t_damp = 0.0;  ///< LAMMPS Tdamp (time units)
};

enum class pressure_coupling { none, xyz, xy, yz, xz };

struct barostat_params {
    std::array<bool, 3> axis{};  ///< barostatted axes x, y, z
    std::array<double, 3> p_start{}, p_stop{}, p_damp{};
    pressure_coupling couple = pressure_coupling::none;
    bool deviatoric = false;  ///< set by per-axis specification (LAMMPS x/y/z keywords)

    /// LAMMPS `iso P0 P1 Pdamp` (in 2D only x and y).
    static barostat_params iso(double p0, double p1, double pdamp) {
        barostat_params b;
        b.axis = {true, true, true};
        b.p_start.fill(p0);
        b.p_stop.fill(p1);
        b.p_damp.fill(pdamp);
        b.couple = pressure_coupling::xyz;
        return b;
    }
    /// LAMMPS `aniso P0 P1 Pdamp`.
    static barostat_params aniso(double p0, double p1, double pdamp) {
        barostat_params b = iso(p0, p1, pdamp);
        b.couple = pressure_coupling::none;
        return b;
    }
    /// LAMMPS `x|y|z P0 P1 Pdamp` for axis a (0, 1, 2); chainable.
    barostat_params& along(int a, double p0, double p1, double pdamp) {
        if (a < 0 || a > 2) throw invalid_argument("barostat_params::along: axis must be 0, 1 or 2");
        const auto k = static_cast<std::size_t>(a);
        axis[k] = true;
        p_start[k] = p0;
        p_stop[k] = p1;
        p_damp[k] = pdamp;
        deviatoric = true;
        return *this;
    }
};

struct nose_hoover_params {
    std::optional<thermostat_params> temp{};
    std::optional<barostat_params> press{};
    int tchain = 3;
    int pchain = 3;
    int tloop = 1;
    int ploop = 1;
    bool mtk = true;
    double drag = 0.0;
    std::optional<double> ptemp{};  ///< barostat reference temperature without thermostat (LAMMPS ptemp)
};

/// fix nvt temp T0 T1 Tdamp
inline nose_hoover_params nvt(double t_start, double t_stop, double t_damp) {
    nose_hoover_params p;
    p.temp = thermostat_params{t_start, t_stop, t_damp};
    return p;
}
/// fix npt temp T0 T1 Tdamp + a barostat specification
inline nose_hoover_params npt(double t_start, double t_stop, double t_damp, barostat_params b) {
    nose_hoover_params p = nvt(t_start, t_stop, t_damp);
    p.press = b;
    return p;
}
/// fix nph with a barostat specification
inline nose_hoover_params nph(barostat_params b) {
    nose_hoover_params p;
    p.press = b;
    return p;
}

template <int D>
    requires supported_dimension<D>
class nose_hoover {
public:
    explicit nose_hoover(nose_hoover_params p) : p_(std::move(p)) { validate(); }

    const nose_hoover_params& params() const noexcept { return p_; }
    /// Change the temperature ramp (e.g. the next segment of a schedule); the
    /// state carries on.
    void set_temperature(double t_start, double t_stop) {
        if (!p_.temp) throw invalid_argument("nose_hoover::set_temperature: no thermostat");
        p_.temp->t_start = t_start;
        p_.temp->t_stop = t_stop;
        validate();
    }
    void set_pressure(double p_start, double p_stop) {
        if (!p_.press) throw invalid_argument("nose_hoover::set_pressure: no barostat");
        for (std::size_t a = 0; a < 3; ++a)
            if (p_.press->axis[a]) {
                p_.press->p_start[a] = p_start;
                p_.press->p_stop[a] = p_stop;
            }
    }

    struct state {
        // thermostat
        std::vector<double> eta, eta_dot, eta_dotdot, eta_mass;
        double t_target = 0, ke_target = 0, t_current = 0, tdof = 0;
        // barostat
        std::array<double, 3> omega{}, omega_dot{}, omega_mass{}, p_target{}, p_current{};
        std::vector<double> etap, etap_dot, etap_dotdot, etap_mass;
        double p_hydro = 0, vol0 = 0, t0 = 0, mtk_term1 = 0, mtk_term2 = 0;
        double mvv_flagged = 0;  ///< sum of the barostatted diagonal kinetic-tensor terms
        mat<D> h0_inv = mat<D>::Zero(), sigma = mat<D>::Zero(), fdev = mat<D>::Zero();
        vec<D> fixedpoint = vec<D>::Zero();

        void save(archive_writer& w) const {
            w.tag("nose_hoover");
            w.put(eta);
            w.put(eta_dot);
            w.put(eta_dotdot);
            w.put(eta_mass);
            for (double x : {t_target, ke_target, t_current, tdof}) w.put(x);
            for (const auto* a : {&omega, &omega_dot, &omega_mass, &p_target, &p_current})
                for (double x : *a) w.put(x);
            w.put(etap);
            w.put(etap_dot);
            w.put(etap_dotdot);
            w.put(etap_mass);
            for (double x : {p_hydro, vol0, t0, mtk_term1, mtk_term2, mvv_flagged}) w.put(x);
            w.put(h0_inv);
            w.put(sigma);
            w.put(fdev);
            w.put(fixedpoint);
        }
        void load(archive_reader& r) {
            r.tag("nose_hoover");
            r.get(eta);
            r.get(eta_dot);
            r.get(eta_dotdot);
            r.get(eta_mass);
            for (double* x : {&t_target, &ke_target, &t_current, &tdof}) r.get(*x);
            for (auto* a : {&omega, &omega_dot, &omega_mass, &p_target, &p_current})
                for (double& x : *a) r.get(x);
            r.get(etap);
            r.get(etap_dot);
            r.get(etap_dotdot);
            r.get(etap_mass);
            for (double* x : {&p_hydro, &vol0, &t0, &mtk_term1, &mtk_term2, &mvv_flagged}) r.get(*x);
            r.get(h0_inv);
            r.get(sigma);
            r.get(fdev);
            r.get(fixedpoint);
        }
    };

    bool needs_virial(const state&) const noexcept { return pstat(); }

    template <class F>
    state init(amorph::system<D>& sys, F& ff, const step_context& ctx) const {
        state s;
        if (tstat()) {
            const auto m = static_cast<std::size_t>(p_.tchain);
            s.eta.assign(m, 0.0);
            s.eta_dot.assign(m + 1, 0.0);
            s.eta_dotdot.assign(m, 0.0);
            s.eta_mass.assign(m, 0.0);
        }
        if (pstat()) {
            check_cell(sys.box);
            const auto m = static_cast<std::size_t>(p_.pchain);
            s.etap.assign(m, 0.0);
            s.etap_dot.assign(m + 1, 0.0);
            s.etap_dotdot.assign(m, 0.0);
            s.etap_mass.assign(m, 0.0);
            s.vol0 = volume(sys.box);
            s.h0_inv = lammps_h_inv<D>(sys.box.h());
            for (int a = 0; a < D; ++a) s.fixedpoint(a) = sys.box.origin()(a) + 0.5 * sys.box.h()(a, a);
        }
        setup(s, sys, ff, ctx);
        return s;
    }

    template <class F>
    void setup(state& s, amorph::system<D>& sys, F& ff, const step_context& ctx) const {
        sys.enable_velocities();
        const double boltz = sys.units->boltz;
        s.tdof = degrees_of_freedom(sys);
        s.t_current = temperature(sys, s.tdof);
        if (tstat()) {
            temp_target(s, sys, ctx);
        } else if (pstat()) {
            if (s.t0 == 0.0) {
                if (p_.ptemp) s.t0 = *p_.ptemp;
                else {
                    s.t0 = s.t_current;
                    if (s.t0 < 1.0e-6)
                        throw invalid_argument("nose_hoover: current temperature too close to zero for a barostat "
                                               "without thermostat (give ptemp)");
                }
            }
            s.t_target = s.t0;
        }
        if (pstat()) {
            press_target(s, ctx);
            pressure_now(s, sys, ff.last(), s.t_current);
        }
        if (tstat()) {
            const double tf = t_freq();
            s.eta_mass[0] = s.tdof * boltz * s.t_target / (tf * tf);
            for (std::size_t k = 1; k < s.eta_mass.size(); ++k) s.eta_mass[k] = boltz * s.t_target / (tf * tf);
            for (std::size_t k = 1; k < s.eta_mass.size(); ++k)
                s.eta_dotdot[k] = (s.eta_mass[k - 1] * s.eta_dot[k - 1] * s.eta_dot[k - 1] - boltz * s.t_target) /
                                  s.eta_mass[k];
        }
        if (pstat()) {
            const double kt = boltz * s.t_target;
            const double nkt = (static_cast<double>(sys.size()) + 1.0) * kt;
            for (int a = 0; a < D; ++a)
                if (flag(a)) s.omega_mass[static_cast<std::size_t>(a)] = nkt / (pfreq(a) * pfreq(a));
            if (p_.pchain > 0) {
                const double pm = p_freq_max();
                for (std::size_t k = 0; k < s.etap_mass.size(); ++k) s.etap_mass[k] = kt / (pm * pm);
                for (std::size_t k = 1; k < s.etap_mass.size(); ++k)
                    s.etap_dotdot[k] = (s.etap_mass[k - 1] * s.etap_dot[k - 1] * s.etap_dot[k - 1] - kt) /
                                       s.etap_mass[k];
            }
        }
    }

    template <class F>
    void step(state& s, amorph::system<D>& sys, F& ff, const step_context& ctx) const {
        detail::require_md_ready(sys, "nose_hoover");
        const auto mass = type_masses(sys);
        const double dt = ctx.dt;
        const double dtf = 0.5 * dt * sys.units->ftm2v;

        // --- initial_integrate
        if (pstat() && p_.pchain > 0) nhc_press_integrate(s, sys, dt);
        if (tstat()) {
            temp_target(s, sys, ctx);
            nhc_temp_integrate(s, sys, dt);
        }
        if (pstat()) {
            // the kinetic part from the current velocities; t_current keeps the
            // value scaled by the thermostat (as fix_nh does)
            pressure_now(s, sys, ff.last(), temperature(sys, s.tdof));
            press_target(s, ctx);
            nh_omega_dot(s, sys, dt);
            nh_v_press(s, sys, dt);
        }
        detail::half_kick(sys, dtf, mass);
        if (pstat()) remap(s, sys, dt);
        detail::drift(sys, dt);
        if (pstat()) remap(s, sys, dt);

        ff.compute(sys);

        // --- final_integrate
        detail::half_kick(sys, dtf, mass);
        if (pstat()) nh_v_press(s, sys, dt);
        s.t_current = temperature(sys, s.tdof);
        if (pstat()) {
            pressure_now(s, sys, ff.last(), s.t_current);
            nh_omega_dot(s, sys, dt);
        }
        if (tstat()) nhc_temp_integrate(s, sys, dt);
        if (pstat() && p_.pchain > 0) nhc_press_integrate(s, sys, dt);
    }

    /// LAMMPS's fix nvt/npt scalar: thermostat + barostat energy.
    double reservoir_energy(const state& s, const amorph::system<D>& sys) const {
        const double boltz = sys.units->boltz;
        const double kt = boltz * s.t_target;
        double e = 0.0, lkt_press = 0.0;
        if (tstat() && !s.eta.empty()) {
            e += s.ke_target * s.eta[0] + 0.5 * s.eta_mass[0] * s.eta_dot[0] * s.eta_dot[0];
            for (std::size_t k = 1; k < s.eta.size(); ++k)
                e += kt * s.eta[k] + 0.5 * s.eta_mass[k] * s.eta_dot[k] * s.eta_dot[k];
        }
        if (pstat()) {
            const double vol = volume(sys.box);
            const double nktv2p = sys.units->nktv2p;
            const int pd = pdim();
            for (int a = 0; a < D; ++a)
                if (flag(a)) {
                    const auto k = static_cast<std::size_t>(a);
                    e += 0.5 * s.omega_dot[k] * s.omega_dot[k] * s.omega_mass[k] +
                         s.p_hydro * (vol - s.vol0) / (pd * nktv2p);
                    lkt_press += kt;
                }
            if (p_.pchain > 0) {
                e += lkt_press * s.etap[0] + 0.5 * s.etap_mass[0] * s.etap_dot[0] * s.etap_dot[0];
                for (std::size_t k = 1; k < s.etap.size(); ++k)
                    e += kt * s.etap[k] + 0.5 * s.etap_mass[k] * s.etap_dot[k] * s.etap_dot[k];
            }
            if (p_.press->deviatoric) {
                const mat<D>& h = sys.box.h();
                e += 0.5 * (s.sigma * h * h.transpose()).trace() / nktv2p;
                // LAMMPS keeps a z row in 2D: sigma_zz = V0 (0 - P_hydro) / lz^2,
                // a constant strain-energy offset -V0 P_hydro / (2 nktv2p)
                if constexpr (D == 2) e += 0.5 * s.vol0 * (0.0 - s.p_hydro) / nktv2p;
            }
        }
        return e;
    }

private:
    bool tstat() const noexcept { return p_.temp.has_value(); }
    bool pstat() const noexcept { return p_.press.has_value(); }
    bool flag(int a) const noexcept { return pstat() && a < D && p_.press->axis[static_cast<std::size_t>(a)]; }
    double pfreq(int a) const { return 1.0 / p_.press->p_damp[static_cast<std::size_t>(a)]; }
    double t_freq() const { return 1.0 / p_.temp->t_damp; }
    int pdim() const {
        int n = 0;
        for (int a = 0; a < D; ++a) n += flag(a);
        return n;
    }
    double p_freq_max() const {
        double m = 0.0;
        for (int a = 0; a < D; ++a)
            if (flag(a)) m = std::max(m, pfreq(a));
        return m;
    }
    /// LAMMPS pstyle ISO: everything coupled to the hydrostatic pressure.
    bool iso() const {
        return pstat() && (p_.press->couple == pressure_coupling::xyz ||
                           (D == 2 && p_.press->couple == pressure_coupling::xy));
    }

    void validate() {
        if (p_.tchain < 1) throw invalid_argument("nose_hoover: tchain must be >= 1");
        if (p_.pchain < 0) throw invalid_argument("nose_hoover: pchain must be >= 0");
        if (p_.tloop < 1 || p_.ploop < 1) throw invalid_argument("nose_hoover: tloop and ploop must be >= 1");
        if (p_.drag < 0.0) throw invalid_argument("nose_hoover: drag must be >= 0");
        if (!tstat() && !pstat()) throw invalid_argument("nose_hoover: neither a thermostat nor a barostat");
        if (tstat()) {
            const auto& t = *p_.temp;
            if (!(t.t_start > 0.0) || !(t.t_stop > 0.0))
                throw invalid_argument("nose_hoover: target temperature must be > 0 (LAMMPS: cannot be 0.0)");
            if (!(t.t_damp > 0.0)) throw invalid_argument("nose_hoover: Tdamp must be > 0");
        }
        if (pstat()) {
            auto& b = *p_.press;
            if (D == 2) {
                if (b.axis[2] && b.deviatoric)
                    throw invalid_argument("nose_hoover: z barostat in a 2D simulation");
                b.axis[2] = false;
                if (b.couple == pressure_coupling::yz || b.couple == pressure_coupling::xz)
                    throw invalid_argument("nose_hoover: yz/xz coupling in a 2D simulation");
            }
            bool any = false;
            for (int a = 0; a < D; ++a)
                if (b.axis[static_cast<std::size_t>(a)]) {
                    any = true;
                    if (!(b.p_damp[static_cast<std::size_t>(a)] > 0.0))
                        throw invalid_argument("nose_hoover: Pdamp must be > 0");
                }
            if (!any) throw invalid_argument("nose_hoover: no barostatted axis");
            auto need = [&](int a, int c) {
                if (!b.axis[static_cast<std::size_t>(a)] || !b.axis[static_cast<std::size_t>(c)])
                    throw invalid_argument("nose_hoover: coupled axes must both be barostatted");
                const auto i = static_cast<std::size_t>(a), j = static_cast<std::size_t>(c);
                if (b.p_start[i] != b.p_start[j] || b.p_stop[i] != b.p_stop[j] || b.p_damp[i] != b.p_damp[j])
                    throw invalid_argument("nose_hoover: coupled axes need the same pressure settings");
            };
            switch (b.couple) {
                case pressure_coupling::xyz:
                    need(0, 1);
                    if (D == 3) need(0, 2);
                    break;
                case pressure_coupling::xy: need(0, 1); break;
                case pressure_coupling::yz: need(1, 2); break;
                case pressure_coupling::xz: need(0, 2); break;
                case pressure_coupling::none: break;
            }
        }
    }

    static void check_cell(const box<D>& b) {
        const mat<D>& h = b.h();
        for (int i = 0; i < D; ++i)
            for (int j = 0; j < i; ++j)
                if (h(i, j) != 0.0)
                    throw unsupported("nose_hoover: the barostat needs a cell in LAMMPS form (upper-triangular h, "
                                      "as read from a LAMMPS data file)");
        for (int a = 0; a < D; ++a)
            if (!b.periodic(a)) throw invalid_argument("nose_hoover: the barostat needs a periodic cell");
    }

    static double volume(const box<D>& b) {
        double v = 1.0;
        for (int a = 0; a < D; ++a) v *= b.h()(a, a);
        return v;
    }

    void temp_target(state& s, const amorph::system<D>& sys, const step_context& ctx) const {
        const auto& t = *p_.temp;
        s.t_target = t.t_start + ctx.fraction() * (t.t_stop - t.t_start);
        s.ke_target = s.tdof * sys.units->boltz * s.t_target;
    }

    void press_target(state& s, const step_context& ctx) const {
        const double delta = ctx.fraction();
        const auto& b = *p_.press;
        s.p_hydro = 0.0;
        for (int a = 0; a < D; ++a)
            if (flag(a)) {
                const auto k = static_cast<std::size_t>(a);
                s.p_target[k] = b.p_start[k] + delta * (b.p_stop[k] - b.p_start[k]);
                s.p_hydro += s.p_target[k];
            }
        const int pd = pdim();
        if (pd > 0) s.p_hydro /= pd;
        if (b.deviatoric) {
            mat<D> pt = mat<D>::Zero();
            for (int a = 0; a < D; ++a) pt(a, a) = s.p_target[static_cast<std::size_t>(a)] - s.p_hydro;
            s.sigma = s.vol0 * (s.h0_inv * pt * s.h0_inv.transpose());
        }
    }

    /// p_current from the kinetic energy (temperature t, or the kinetic
    /// tensor for aniso) and the virial of the last force evaluation, coupled.
    void pressure_now(state& s, const amorph::system<D>& sys, const potential::result<D>& r, double t) const {
        const double inv_volume = 1.0 / volume(sys.box);
        const double nktv2p = sys.units->nktv2p;
        if (iso()) {
            double w = 0.0;
            for (int a = 0; a < D; ++a) w += r.virial(a, a);
            const double p = (s.tdof * sys.units->boltz * t + w) / D * inv_volume * nktv2p;
            s.p_current.fill(p);
            return;
        }
        const mat<D> ke = kinetic_tensor(sys);
        std::array<double, 3> tensor{};
        for (int a = 0; a < D; ++a) tensor[static_cast<std::size_t>(a)] = (ke(a, a) + r.virial(a, a)) * inv_volume * nktv2p;
        double mvv = 0.0;
        for (int a = 0; a < D; ++a)
            if (flag(a)) mvv += ke(a, a);
        s.mvv_flagged = mvv;
        switch (p_.press->couple) {
            case pressure_coupling::xyz: {
                const double ave = 1.0 / 3.0 * (tensor[0] + tensor[1] + tensor[2]);
                s.p_current = {ave, ave, ave};
                break;
            }
            case pressure_coupling::xy: {
                const double ave = 0.5 * (tensor[0] + tensor[1]);
                s.p_current = {ave, ave, tensor[2]};
                break;
            }
            case pressure_coupling::yz: {
                const double ave = 0.5 * (tensor[1] + tensor[2]);
                s.p_current = {tensor[0], ave, ave};
                break;
            }
            case pressure_coupling::xz: {
                const double ave = 0.5 * (tensor[0] + tensor[2]);
                s.p_current = {ave, tensor[1], ave};
                break;
            }
            case pressure_coupling::none: s.p_current = tensor; break;
        }
        for (double p : s.p_current)
            if (!std::isfinite(p)) throw error("nose_hoover: non-numeric pressure (simulation unstable)");
    }

    void nh_omega_dot(state& s, const amorph::system<D>& sys, double dt) const {
        const double vol = volume(sys.box);
        const double nktv2p = sys.units->nktv2p;
        const double natoms = static_cast<double>(sys.size());
        const int pd = pdim();
        if (p_.press->deviatoric) s.fdev = sys.box.h() * s.sigma * sys.box.h().transpose();
        s.mtk_term1 = 0.0;
        if (p_.mtk) {
            if (iso()) s.mtk_term1 = s.tdof * sys.units->boltz * s.t_current / (pd * natoms);
            else s.mtk_term1 = s.mvv_flagged / (pd * natoms);
        }
        const double pdrag = 1.0 - (dt * p_freq_max() * p_.drag / p_.ploop);
        for (int a = 0; a < D; ++a)
            if (flag(a)) {
                const auto k = static_cast<std::size_t>(a);
                double f = (s.p_current[k] - s.p_hydro) * vol / (s.omega_mass[k] * nktv2p) + s.mtk_term1 / s.omega_mass[k];
                if (p_.press->deviatoric) f -= s.fdev(a, a) / (s.omega_mass[k] * nktv2p);
                s.omega_dot[k] += f * (0.5 * dt);
                s.omega_dot[k] *= pdrag;
            }
        s.mtk_term2 = 0.0;
        if (p_.mtk) {
            for (int a = 0; a < D; ++a)
                if (flag(a)) s.mtk_term2 += s.omega_dot[static_cast<std::size_t>(a)];
            if (pd > 0) s.mtk_term2 /= pd * natoms;
        }
    }

    void nh_v_press(const state& s, amorph::system<D>& sys, double dt) const {
        const double dt4 = 0.25 * dt;
        std::array<double, D> factor;
        for (int a = 0; a < D; ++a) factor[static_cast<std::size_t>(a)] = std::exp(-dt4 * (s.omega_dot[static_cast<std::size_t>(a)] + s.mtk_term2));
        double* v = sys.velocities.data();
        for (std::size_t i = 0; i < sys.size(); ++i)
            for (int a = 0; a < D; ++a) {
                double& x = v[i * D + static_cast<std::size_t>(a)];
                x *= factor[static_cast<std::size_t>(a)];
                x *= factor[static_cast<std::size_t>(a)];
            }
    }

    void nhc_temp_integrate(state& s, amorph::system<D>& sys, double dt) const {
        const double boltz = sys.units->boltz;
        const double dthalf = 0.5 * dt, dt4 = 0.25 * dt, dt8 = 0.125 * dt;
        const std::size_t m = static_cast<std::size_t>(p_.tchain);
        const double tf = t_freq();
        const double tdrag = 1.0 - (dt * tf * p_.drag / p_.tloop);
        double kecurrent = s.tdof * boltz * s.t_current;
        s.eta_mass[0] = s.tdof * boltz * s.t_target / (tf * tf);
        for (std::size_t k = 1; k < m; ++k) s.eta_mass[k] = boltz * s.t_target / (tf * tf);
        if (s.eta_mass[0] > 0.0) s.eta_dotdot[0] = (kecurrent - s.ke_target) / s.eta_mass[0];
        else s.eta_dotdot[0] = 0.0;
        const double ncfac = 1.0 / p_.tloop;
        for (int loop = 0; loop < p_.tloop; ++loop) {
            double expfac;
            for (std::size_t k = m - 1; k > 0; --k) {
                expfac = std::exp(-ncfac * dt8 * s.eta_dot[k + 1]);
                s.eta_dot[k] *= expfac;
                s.eta_dot[k] += s.eta_dotdot[k] * ncfac * dt4;
                s.eta_dot[k] *= tdrag;
                s.eta_dot[k] *= expfac;
            }
            expfac = std::exp(-ncfac * dt8 * s.eta_dot[1]);
            s.eta_dot[0] *= expfac;
            s.eta_dot[0] += s.eta_dotdot[0] * ncfac * dt4;
            s.eta_dot[0] *= tdrag;
            s.eta_dot[0] *= expfac;
            const double factor_eta = std::exp(-ncfac * dthalf * s.eta_dot[0]);
            sys.velocities *= factor_eta;
            s.t_current *= factor_eta * factor_eta;
            kecurrent = s.tdof * boltz * s.t_current;
            if (s.eta_mass[0] > 0.0) s.eta_dotdot[0] = (kecurrent - s.ke_target) / s.eta_mass[0];
            else s.eta_dotdot[0] = 0.0;
            for (std::size_t k = 0; k < m; ++k) s.eta[k] += ncfac * dthalf * s.eta_dot[k];
            s.eta_dot[0] *= expfac;
            s.eta_dot[0] += s.eta_dotdot[0] * ncfac * dt4;
            s.eta_dot[0] *= expfac;
            for (std::size_t k = 1; k < m; ++k) {
                expfac = std::exp(-ncfac * dt8 * s.eta_dot[k + 1]);
                s.eta_dot[k] *= expfac;
                s.eta_dotdot[k] =
                    (s.eta_mass[k - 1] * s.eta_dot[k - 1] * s.eta_dot[k - 1] - boltz * s.t_target) / s.eta_mass[k];
                s.eta_dot[k] += s.eta_dotdot[k] * ncfac * dt4;
                s.eta_dot[k] *= expfac;
            }
        }
    }

    void nhc_press_integrate(state& s, const amorph::system<D>& sys, double dt) const {
        const double boltz = sys.units->boltz;
        const double kt = boltz * s.t_target;
        const double dthalf = 0.5 * dt, dt4 = 0.25 * dt, dt8 = 0.125 * dt;
        const std::size_t m = static_cast<std::size_t>(p_.pchain);
        const double pdrag = 1.0 - (dt * p_freq_max() * p_.drag / p_.ploop);
        double kecurrent = 0.0;
        int pdof = 0;
        for (int a = 0; a < D; ++a)
            if (flag(a)) {
                const auto k = static_cast<std::size_t>(a);
                kecurrent += s.omega_mass[k] * s.omega_dot[k] * s.omega_dot[k];
                ++pdof;
            }
        const double lkt_press = iso() ? kt : pdof * kt;
        s.etap_dotdot[0] = (kecurrent - lkt_press) / s.etap_mass[0];
        const double ncfac = 1.0 / p_.ploop;
        for (int loop = 0; loop < p_.ploop; ++loop) {
            double expfac;
            for (std::size_t k = m - 1; k > 0; --k) {
                expfac = std::exp(-ncfac * dt8 * s.etap_dot[k + 1]);
                s.etap_dot[k] *= expfac;
                s.etap_dot[k] += s.etap_dotdot[k] * ncfac * dt4;
                s.etap_dot[k] *= pdrag;
                s.etap_dot[k] *= expfac;
            }
            expfac = std::exp(-ncfac * dt8 * s.etap_dot[1]);
            s.etap_dot[0] *= expfac;
            s.etap_dot[0] += s.etap_dotdot[0] * ncfac * dt4;
            s.etap_dot[0] *= pdrag;
            s.etap_dot[0] *= expfac;
            for (std::size_t k = 0; k < m; ++k) s.etap[k] += ncfac * dthalf * s.etap_dot[k];
            const double factor_etap = std::exp(-ncfac * dthalf * s.etap_dot[0]);
            for (int a = 0; a < D; ++a)
                if (flag(a)) s.omega_dot[static_cast<std::size_t>(a)] *= factor_etap;
            kecurrent = 0.0;
            for (int a = 0; a < D; ++a)
                if (flag(a)) {
                    const auto k = static_cast<std::size_t>(a);
                    kecurrent += s.omega_mass[k] * s.omega_dot[k] * s.omega_dot[k];
                }
            s.etap_dotdot[0] = (kecurrent - lkt_press) / s.etap_mass[0];
            s.etap_dot[0] *= expfac;
            s.etap_dot[0] += s.etap_dotdot[0] * ncfac * dt4;
            s.etap_dot[0] *= expfac;
            for (std::size_t k = 1; k < m; ++k) {
                expfac = std::exp(-ncfac * dt8 * s.etap_dot[k + 1]);
                s.etap_dot[k] *= expfac;
                s.etap_dotdot[k] =
                    (s.etap_mass[k - 1] * s.etap_dot[k - 1] * s.etap_dot[k - 1] - boltz * s.t_target) / s.etap_mass[k];
                s.etap_dot[k] += s.etap_dotdot[k] * ncfac * dt4;
                s.etap_dot[k] *= expfac;
            }
        }
    }

    /// Scale the cell (and all atoms with it) about the fixed point by
    /// exp(dt/2 omega_dot_a) per barostatted axis; tilts follow their axis.
    void remap(state& s, amorph::system<D>& sys, double dt) const {
        const double dto = 0.5 * dt;
        for (int a = 0; a < D; ++a) s.omega[static_cast<std::size_t>(a)] += dto * s.omega_dot[static_cast<std::size_t>(a)];
        const box<D>& b = sys.box;
        const mat<D> h = b.h();
        const vec<D> lo = b.origin();
        vec<D> hi;
        for (int a = 0; a < D; ++a) hi(a) = lo(a) + h(a, a);
        mat<D> hn = h;
        vec<D> lon = lo, hin = hi;
        for (int a = 0; a < D; ++a) {
            if (!flag(a)) continue;
            const double expfac = std::exp(dto * s.omega_dot[static_cast<std::size_t>(a)]);
            lon(a) = (lo(a) - s.fixedpoint(a)) * expfac + s.fixedpoint(a);
            hin(a) = (hi(a) - s.fixedpoint(a)) * expfac + s.fixedpoint(a);
            // tilt scaling (LAMMPS scalexy with y, scalexz/scaleyz with z)
            if (a == 1 && h(0, 1) != 0.0 && b.periodic(1)) hn(0, 1) *= expfac;
            if constexpr (D == 3)
                if (a == 2 && b.periodic(2)) {
                    if (h(0, 2) != 0.0) hn(0, 2) *= expfac;
                    if (h(1, 2) != 0.0) hn(1, 2) *= expfac;
                }
        }
        for (int a = 0; a < D; ++a) hn(a, a) = hin(a) - lon(a);
        // LAMMPS x2lamda in the old cell, lamda2x in the new one
        lammps_remap<D>(sys.positions, lammps_h_inv<D>(h), lo, hn, lon);
        sys.box = box<D>(hn, lon, b.periodic());
    }

    nose_hoover_params p_;
};

}  // namespace amorph::dynamics
