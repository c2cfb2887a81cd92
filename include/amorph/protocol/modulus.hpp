// amorph/protocol/modulus.hpp — shear modulus from the stress response to
// small simple-shear strains (thesis ch2 sec 2.2: G at small strain averaged
// over +-xy, +-xz, +-yz).
//
// Planes (a, b) = xy, xz, yz in 3D, xy in 2D. For plane (a, b) and strain
// gamma the cell and the atoms are deformed about the cell centre by
//     F = I + gamma e_a e_b^T          (x_a += gamma x_b; LAMMPS change_box
//                                        `xy delta gamma*ly remap` for xy)
// and the shear stress is sigma_ab = -P_ab (P the pressure tensor in the
// unit system's pressure unit, LAMMPS's sign). Per plane
//     G_ab = (sigma_ab(+gamma) - sigma_ab(-gamma)) / (2 gamma)
// (central difference: the residual stress and the even-order terms cancel),
// and G is the mean over the planes.
//
// athermal_shear_modulus: the configuration is first relaxed at fixed cell
//   (minimizer policy M, default CG; `min` options), then each strained copy
//   of that minimum is relaxed again; P is the virial stress (no kinetic
//   part). For a crystal with a basis this is the relaxed elastic constant
//   (e.g. C44 of diamond), for a glass the athermal (nonaffine) modulus.
//   error = 0 (no statistics); spread = standard deviation over planes.
// thermal_shear_modulus: each of the 2 x planes strained copies runs
//   Nose-Hoover NVT at T (`equilibration` steps, then `steps` steps sampling
//   P_ab every `sample_every` steps, kinetic part included); the time series
//   is cut into `blocks` blocks and the standard error of sigma_ab is the
//   standard deviation of the block means / sqrt(blocks). error(G_ab) =
//   sqrt(e+^2 + e-^2) / (2 gamma); error(G) = sqrt(sum_ab error^2) / planes.
//   Velocities: those of the configuration when it has any (non-zero), else
//   Maxwell-Boltzmann at T with `seed`. The copies run in parallel (oneTBB);
//   each is deterministic, so the result does not depend on the thread count.
// Both sort the atoms by id first (results independent of atom order).
//
// The Born (stress-fluctuation) route: the same G_ab from the unstrained
// cell, with Lagrangian strain eta and the second Piola-Kirchhoff stress
// S = (1/V0) dU/d eta = -(1/V0) F^-1 W F^-T (W the virial sum r (x) f of the
// deformed state; S = the configurational Cauchy stress at eta = 0):
//     Born term     C^B_abab = (1/V) d^2 U / d eta_ab d eta_ab
//                            = (S_ab(+e) - S_ab(-e)) / (4 e)
//       by a central difference at eta_ab = eta_ba = +-e (F = (I + 2 eta)^1/2,
//       symmetric: no rotation), so it holds for every potential (pair, EAM,
//       SW, Coulomb) and includes the impulsive term of a force that jumps
//       at the cutoff, which the analytic pair formula
//       (1/V) sum (phi'' - phi'/r) r_a^2 r_b^2 / r^2 misses;
//     canonical elastic constant (Squire, Holt & Hoover 1969; Lutsko 1989)
//       C_abab = <C^B_abab> - (V / kT) (<S_ab^2> - <S_ab>^2) + N kT / V
//       (N = dof / D with the thermo's dof = D N - D: momentum is conserved);
//     and, as the strain route measures d sigma_ab / d gamma of the simple
//     shear x_a += gamma x_b of a prestressed cell (pure shear + rotation),
//       G_ab = C_abab + <sigma_bb>
//     with sigma the total Cauchy stress (kinetic part included, tension
//     > 0). An ideal gas has C_abab = N kT / V = -<sigma_bb>: G = 0.
// born_shear_modulus: one Nose-Hoover NVT run at T (same setup as
//   thermal_shear_modulus), sampling every `sample_every` steps; 2 x planes
//   extra force evaluations per sample. error: the standard deviation of the
//   estimates from `blocks` blocks of the series / sqrt(blocks), for each
//   plane and for the plane mean (the planes share one trajectory).
//   Sampling: the fluctuation term needs the run to sample the canonical
//   distribution of the modes that couple to S_ab. In a glass or a hot,
//   anharmonic crystal many modes do and it converges (tests: LJ fcc at
//   T = 0.25). In a small, nearly harmonic crystal with a basis it is carried
//   by a few optical modes whose energies exchange slowly: for 64-atom SW
//   diamond at 300 K, 20-100 ps gave G_ab from -73 to +104 GPa across the
//   three (cubic-equivalent) planes against 55.3 +- 0.2 GPa from the strain
//   route, with block errors of 4-12 GPa that miss it. On a 1,024-atom Cu-Zr
//   EAM glass at 50 K (tests/dynamics/data/cuzr_glass.data, quenched from
//   2000 K in 10 ps; a 5 ps run) one plane gave G_yz = -2449 +- 251 GPa (a
//   fluctuation term of ~2500 GPa; a stress drift or a rearrangement of this
//   very fast-quenched glass is the likely cause, not verified) where the
//   strain route gave
//   47.7 +- 0.6 GPa and the affine modulus is 87 GPa on every plane. The plane
//   spread is the warning sign; thermal_shear_modulus is the robust route.
// affine_shear_modulus: T = 0 at the minimum (relaxed at fixed cell as
//   athermal_shear_modulus does): G_ab = C^B_abab + S_bb, the unrelaxed
//   (affine) modulus. It equals the athermal strain route for a Bravais
//   lattice and exceeds it when atoms relax nonaffinely (crystal with a
//   basis, glass): the difference is the T -> 0 limit of the fluctuation term.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/cg.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/minimize.hpp"
#include "amorph/dynamics/nose_hoover.hpp"
#include "amorph/dynamics/run.hpp"
#include "amorph/dynamics/velocity.hpp"

#include <tbb/parallel_for.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace amorph::protocol {

struct shear_modulus_options {
    double strain = 0.005;        ///< gamma (thesis: 0.5 %)
    // athermal
    dynamics::min_options min{.etol = 0.0, .ftol = 1e-10, .max_iterations = 100000, .max_evaluations = 1000000};
    // thermal
    double temperature = 0.0;
    std::int64_t equilibration = 1000;
    std::int64_t steps = 5000;
    std::int64_t sample_every = 10;
    int blocks = 5;
    double dt = 0.0;              ///< 0: the unit system's default
    double t_damp = 0.0;          ///< 0: 100 dt
    std::uint64_t seed = 4928459;
    // Born route
    double born_step = 1e-5;      ///< e of the central difference of the Born term
};

struct shear_plane {
    int a = 0, b = 1;
    std::string name;             ///< "xy", "xz", "yz"
    double stress_plus = 0.0, stress_minus = 0.0;  ///< sigma_ab at +gamma, -gamma
    double error_plus = 0.0, error_minus = 0.0;
    double modulus = 0.0, error = 0.0;
};

struct shear_modulus_result {
    std::vector<shear_plane> planes;
    double modulus = 0.0;         ///< mean over planes (pressure unit)
    double error = 0.0;           ///< statistical error of the mean (thermal)
    double spread = 0.0;          ///< standard deviation over planes
    double strain = 0.0;
    double temperature_mean = 0.0;   ///< thermal: mean kinetic T over all samples
    double temperature_error = 0.0;  ///< thermal: its standard error (block averages of each run, combined)
};

/// One plane of the Born route; every term in the unit system's pressure unit.
struct born_plane {
    int a = 0, b = 1;
    std::string name;
    double born = 0.0;            ///< <C^B_abab>
    double fluctuation = 0.0;     ///< (V / kT) (<S_ab^2> - <S_ab>^2) (subtracted)
    double kinetic = 0.0;         ///< N kT / V
    double stress = 0.0;          ///< <sigma_bb>, total Cauchy stress (tension > 0)
    double modulus = 0.0, error = 0.0;  ///< G_ab = born - fluctuation + kinetic + stress
};

struct born_modulus_result {
    std::vector<born_plane> planes;
    double modulus = 0.0;         ///< mean over planes
    double error = 0.0;           ///< block error of the mean (thermal)
    double spread = 0.0;          ///< standard deviation over planes
    double temperature_mean = 0.0;
    double temperature_error = 0.0;  ///< block standard error of temperature_mean
    std::size_t samples = 0;
};

namespace detail {

template <int D>
std::vector<shear_plane> shear_planes() {
    std::vector<shear_plane> p;
    const char* axis = "xyz";
    for (int a = 0; a < D; ++a)
        for (int b = a + 1; b < D; ++b) {
            shear_plane s;
            s.a = a;
            s.b = b;
            s.name = std::string(1, axis[a]) + axis[b];
            p.push_back(s);
        }
    return p;
}

template <int D>
mat<D> shear_gradient(int a, int b, double gamma) {
    mat<D> F = mat<D>::Identity();
    F(a, b) = gamma;
    return F;
}

/// G = mean of the planes' G_ab, and their standard deviation (spread).
template <class R>
void finish_spread(R& r) {
    double m = 0.0;
    for (const auto& p : r.planes) m += p.modulus;
    const double n = static_cast<double>(r.planes.size());
    r.modulus = m / n;
    double v = 0.0;
    for (const auto& p : r.planes) v += (p.modulus - r.modulus) * (p.modulus - r.modulus);
    r.spread = r.planes.size() > 1 ? std::sqrt(v / (n - 1)) : 0.0;
}

inline void finish_planes(shear_modulus_result& r) {
    double e2 = 0.0;
    for (auto& p : r.planes) {
        p.modulus = (p.stress_plus - p.stress_minus) / (2.0 * r.strain);
        p.error = std::sqrt(p.error_plus * p.error_plus + p.error_minus * p.error_minus) / (2.0 * r.strain);
        e2 += p.error * p.error;
    }
    r.error = std::sqrt(e2) / static_cast<double>(r.planes.size());
    finish_spread(r);
}

inline void check_strain(double g) {
    if (!(g > 0.0) || !(g < 0.5)) throw invalid_argument("shear modulus: strain must be in (0, 0.5)");
}

inline void check_born_step(double e) {
    if (!(e > 0.0) || !(e < 0.01)) throw invalid_argument("Born term: born_step must be in (0, 0.01)");
}

template <int D>
struct stress_sampler {
    int a = 0, b = 1;
    std::int64_t every = 1;
    double dof = 0.0;
    std::vector<double> sigma, temperature;
    bool wants_virial(std::int64_t step) const { return step % every == 0; }
    void observe(const dynamics::observation<D>& o) {
        if (o.step % every != 0 || o.step == o.begin) return;
        sigma.push_back(-dynamics::pressure_tensor(o.sys, o.forces)(a, b));
        temperature.push_back(dynamics::temperature(o.sys, dof));
    }
};

/// Mean and block standard error of a series.
inline std::pair<double, double> block_mean(const std::vector<double>& x, int blocks) {
    const std::size_t n = x.size();
    double m = 0.0;
    for (double v : x) m += v;
    m /= static_cast<double>(n);
    const auto nb = static_cast<std::size_t>(blocks);
    const std::size_t len = n / nb;
    if (nb < 2 || len == 0) return {m, 0.0};
    std::vector<double> bm(nb, 0.0);
    for (std::size_t k = 0; k < nb; ++k) {
        for (std::size_t i = k * len; i < (k + 1) * len; ++i) bm[k] += x[i];
        bm[k] /= static_cast<double>(len);
    }
    double bmean = 0.0, v = 0.0;
    for (double q : bm) bmean += q;
    bmean /= static_cast<double>(nb);
    for (double q : bm) v += (q - bmean) * (q - bmean);
    return {m, std::sqrt(v / static_cast<double>(nb - 1) / static_cast<double>(nb))};
}

/// Mean and standard error (standard deviation / sqrt(n)) of n estimates.
inline std::pair<double, double> mean_error(const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    double m = 0.0, v = 0.0;
    for (double q : x) m += q;
    m /= n;
    for (double q : x) v += (q - m) * (q - m);
    return {m, x.size() > 1 ? std::sqrt(v / (n - 1) / n) : 0.0};
}

/// The configuration sorted by id, relaxed at fixed cell, at rest.
template <int D, class F, class M>
    requires dynamics::minimizer<M, D, F>
amorph::system<D> relaxed_reference(const amorph::system<D>& input, const F& ff, const shear_modulus_options& opt,
                                    const M& minimizer, const char* who) {
    if (input.empty()) throw invalid_argument(std::string(who) + ": the system has no atoms");
    amorph::system<D> ref = input;
    ref.sort_by_id();
    ref.velocities.resize(D, 0);
    F f(ff);
    dynamics::minimize(ref, f, minimizer, opt.min);
    return ref;
}

/// What the NVT runs start from: the configuration sorted by id, with its
/// velocities (Maxwell-Boltzmann at T with `seed` when it has none), the
/// timestep, the thermostat and the thermo degrees of freedom.
template <int D>
struct thermal_setup {
    amorph::system<D> ref;
    double dt = 0.0, dof = 0.0;
    dynamics::nose_hoover<D> thermostat;
};

template <int D>
thermal_setup<D> thermal_reference(const amorph::system<D>& input, const shear_modulus_options& opt,
                                   const char* who) {
    const std::string w(who);
    if (!(opt.temperature > 0.0)) throw invalid_argument(w + ": temperature must be > 0");
    if (opt.steps <= 0 || opt.sample_every <= 0 || opt.equilibration < 0)
        throw invalid_argument(w + ": steps and sample_every must be > 0, equilibration >= 0");
    if (opt.blocks < 2 || opt.steps / opt.sample_every < opt.blocks)
        throw invalid_argument(w + ": need blocks >= 2 and at least one sample per block");
    if (input.empty()) throw invalid_argument(w + ": the system has no atoms");
    amorph::system<D> ref = input;
    ref.sort_by_id();
    if (!ref.has_velocities() || ref.velocities.squaredNorm() == 0.0)
        dynamics::create_velocities(ref, opt.temperature, opt.seed);
    const double dt = opt.dt > 0.0 ? opt.dt : ref.units->dt;
    const double tdamp = opt.t_damp > 0.0 ? opt.t_damp : 100.0 * dt;
    const double dof = dynamics::degrees_of_freedom(ref);
    return {std::move(ref), dt, dof, dynamics::nose_hoover<D>(dynamics::nvt(opt.temperature, opt.temperature, tdamp))};
}

/// F = (I + 2 eta)^(1/2) for eta_ab = eta_ba = e, every other component 0:
/// in the (a, b) block [[c, s], [s, c]], c, s = (sqrt(1 + 2e) +- sqrt(1 - 2e)) / 2.
template <int D>
mat<D> symmetric_shear_gradient(int a, int b, double e) {
    mat<D> F = mat<D>::Identity();
    const double p = std::sqrt(1.0 + 2.0 * e), m = std::sqrt(1.0 - 2.0 * e);
    F(a, a) = F(b, b) = 0.5 * (p + m);
    F(a, b) = F(b, a) = 0.5 * (p - m);
    return F;
}

/// C^B_abab of s in energy / volume: (S_ab(+e) - S_ab(-e)) / (4 e) with
/// S = -(1/V0) F^-1 W F^-T. `f` (virial on) evaluates the strained copies in
/// `scratch` (a copy of s's atoms; its positions and cell are overwritten).
template <int D, class F>
double born_term(const amorph::system<D>& s, F& f, amorph::system<D>& scratch, int a, int b, double e) {
    double S[2];
    for (int k = 0; k < 2; ++k) {
        const mat<D> G = symmetric_shear_gradient<D>(a, b, k == 0 ? e : -e);
        scratch.positions = s.positions;
        scratch.box = s.box;
        scratch.deform(G);
        const auto& r = f.compute(scratch);
        const mat<D> Gi = G.inverse();
        S[k] = -(Gi * r.virial * Gi.transpose())(a, b);
    }
    return (S[0] - S[1]) / (4.0 * e * s.box.volume());
}

/// Samples, every `every` steps, per plane: C^B_abab, S_ab (configurational)
/// and sigma_bb (total), in energy / volume; sample-major series.
template <int D, class F>
struct born_sampler {
    born_sampler(const F& ff, std::vector<born_plane> p, std::int64_t every_, double e_, double dof_)
        : planes(std::move(p)), every(every_), e(e_), dof(dof_), f(ff) {
        f.options().virial = true;
    }
    std::vector<born_plane> planes;
    std::int64_t every;
    double e, dof;
    F f;
    amorph::system<D> scratch;
    std::vector<double> cb, sab, sbb, temperature;
    std::size_t n = 0;

    bool wants_virial(std::int64_t step) const { return step % every == 0; }
    void observe(const dynamics::observation<D>& o) {
        if (o.step % every != 0 || o.step == o.begin) return;
        if (scratch.size() != o.sys.size()) scratch = o.sys;
        const double v = o.sys.box.volume();
        const mat<D> kin = dynamics::kinetic_tensor(o.sys);
        for (const auto& p : planes) {
            sab.push_back(-o.forces.virial(p.a, p.b) / v);
            sbb.push_back(-(o.forces.virial(p.b, p.b) + kin(p.b, p.b)) / v);
            cb.push_back(born_term(o.sys, f, scratch, p.a, p.b, e));
        }
        temperature.push_back(dynamics::temperature(o.sys, dof));
        ++n;
    }

    /// Plane k's terms from samples [i0, i1): born, fluctuation (V / kT var S_ab), stress.
    std::array<double, 3> terms(std::size_t k, std::size_t i0, std::size_t i1, double v_over_kt) const {
        const std::size_t np = planes.size();
        double b = 0.0, s = 0.0, s2 = 0.0, t = 0.0;
        for (std::size_t i = i0; i < i1; ++i) {
            b += cb[i * np + k];
            s += sab[i * np + k];
            t += sbb[i * np + k];
        }
        const double m = static_cast<double>(i1 - i0);
        s /= m;
        for (std::size_t i = i0; i < i1; ++i) s2 += (sab[i * np + k] - s) * (sab[i * np + k] - s);
        return {b / m, v_over_kt * s2 / m, t / m};
    }
};

template <int D>
std::vector<born_plane> born_planes() {
    std::vector<born_plane> out;
    for (const auto& p : shear_planes<D>()) {
        born_plane b;
        b.a = p.a;
        b.b = p.b;
        b.name = p.name;
        out.push_back(b);
    }
    return out;
}

}  // namespace detail

/// Athermal shear modulus (see the header). `ff` is copied for every strained state.
template <int D, class F, class M = dynamics::conjugate_gradient<D>>
    requires dynamics::minimizer<M, D, F> && std::copy_constructible<F>
shear_modulus_result athermal_shear_modulus(const amorph::system<D>& input, const F& ff,
                                            const shear_modulus_options& opt = {}, const M& minimizer = M{}) {
    detail::check_strain(opt.strain);
    const amorph::system<D> ref = detail::relaxed_reference(input, ff, opt, minimizer, "athermal_shear_modulus");
    shear_modulus_result r;
    r.strain = opt.strain;
    r.planes = detail::shear_planes<D>();
    const std::size_t jobs = 2 * r.planes.size();
    std::vector<double> sig(jobs);
    tbb::parallel_for(std::size_t{0}, jobs, [&](std::size_t j) {
        const auto& p = r.planes[j / 2];
        amorph::system<D> s = ref;
        s.deform(detail::shear_gradient<D>(p.a, p.b, j % 2 == 0 ? opt.strain : -opt.strain));
        F f(ff);
        dynamics::minimize(s, f, minimizer, opt.min);
        f.options().virial = true;
        f.compute(s);
        sig[j] = -(f.last().virial(p.a, p.b) * s.units->nktv2p / s.box.volume());
    });
    for (std::size_t k = 0; k < r.planes.size(); ++k) {
        r.planes[k].stress_plus = sig[2 * k];
        r.planes[k].stress_minus = sig[2 * k + 1];
    }
    detail::finish_planes(r);
    r.error = 0.0;
    return r;
}

/// Thermal (NVT) shear modulus at opt.temperature (see the header).
template <int D, class F>
    requires dynamics::force_provider<F, D> && std::copy_constructible<F>
shear_modulus_result thermal_shear_modulus(const amorph::system<D>& input, const F& ff,
                                           const shear_modulus_options& opt) {
    detail::check_strain(opt.strain);
    const auto setup = detail::thermal_reference(input, opt, "thermal_shear_modulus");
    const amorph::system<D>& ref = setup.ref;
    const double dt = setup.dt, dof = setup.dof;

    shear_modulus_result r;
    r.strain = opt.strain;
    r.planes = detail::shear_planes<D>();
    const std::size_t jobs = 2 * r.planes.size();
    std::vector<std::pair<double, double>> sig(jobs);
    std::vector<std::pair<double, double>> temp(jobs);
    tbb::parallel_for(std::size_t{0}, jobs, [&](std::size_t j) {
        const auto& p = r.planes[j / 2];
        amorph::system<D> s = ref;
        s.deform(detail::shear_gradient<D>(p.a, p.b, j % 2 == 0 ? opt.strain : -opt.strain));
        F f(ff);
        const dynamics::nose_hoover<D>& nh = setup.thermostat;
        dynamics::md_state<dynamics::nose_hoover<D>> st;
        detail::stress_sampler<D> smp;
        smp.a = p.a;
        smp.b = p.b;
        smp.every = opt.sample_every;
        smp.dof = dof;
        if (opt.equilibration > 0) {
            detail::stress_sampler<D> none;
            none.every = opt.equilibration + 1;
            dynamics::run(s, f, nh, st, {.steps = opt.equilibration, .dt = dt}, none);
        }
        dynamics::run(s, f, nh, st, {.steps = opt.steps, .dt = dt}, smp);
        sig[j] = detail::block_mean(smp.sigma, opt.blocks);
        temp[j] = detail::block_mean(smp.temperature, opt.blocks);
    });
    double tm = 0.0, te2 = 0.0;
    for (std::size_t k = 0; k < r.planes.size(); ++k) {
        r.planes[k].stress_plus = sig[2 * k].first;
        r.planes[k].error_plus = sig[2 * k].second;
        r.planes[k].stress_minus = sig[2 * k + 1].first;
        r.planes[k].error_minus = sig[2 * k + 1].second;
    }
    for (const auto& [t, e] : temp) {
        tm += t;
        te2 += e * e;
    }
    r.temperature_mean = tm / static_cast<double>(jobs);
    r.temperature_error = std::sqrt(te2) / static_cast<double>(jobs);  // the runs are independent
    detail::finish_planes(r);
    return r;
}

/// Affine (unrelaxed) shear modulus at the minimum (see the header):
/// G_ab = C^B_abab + S_bb. opt.strain is not used; opt.born_step is e.
template <int D, class F, class M = dynamics::conjugate_gradient<D>>
    requires dynamics::minimizer<M, D, F> && std::copy_constructible<F>
born_modulus_result affine_shear_modulus(const amorph::system<D>& input, const F& ff,
                                         const shear_modulus_options& opt = {}, const M& minimizer = M{}) {
    detail::check_born_step(opt.born_step);
    amorph::system<D> ref = detail::relaxed_reference(input, ff, opt, minimizer, "affine_shear_modulus");
    F f(ff);
    f.options().virial = true;
    const mat<D> w = f.compute(ref).virial;
    const double v = ref.box.volume(), conv = ref.units->nktv2p;
    amorph::system<D> scratch = ref;
    born_modulus_result r;
    r.planes = detail::born_planes<D>();
    for (auto& p : r.planes) {
        p.born = detail::born_term(ref, f, scratch, p.a, p.b, opt.born_step) * conv;
        p.stress = -w(p.b, p.b) / v * conv;
        p.modulus = p.born + p.stress;
    }
    detail::finish_spread(r);
    return r;
}

/// Shear modulus at opt.temperature by the Born + stress-fluctuation route
/// (see the header): one NVT run of the unstrained cell.
template <int D, class F>
    requires dynamics::force_provider<F, D> && std::copy_constructible<F>
born_modulus_result born_shear_modulus(const amorph::system<D>& input, const F& ff, const shear_modulus_options& opt) {
    detail::check_born_step(opt.born_step);
    auto setup = detail::thermal_reference(input, opt, "born_shear_modulus");
    amorph::system<D>& s = setup.ref;
    F f(ff);
    dynamics::md_state<dynamics::nose_hoover<D>> st;
    if (opt.equilibration > 0) {
        detail::stress_sampler<D> none;
        none.every = opt.equilibration + 1;
        dynamics::run(s, f, setup.thermostat, st, {.steps = opt.equilibration, .dt = setup.dt}, none);
    }
    detail::born_sampler<D, F> smp(ff, detail::born_planes<D>(), opt.sample_every, opt.born_step, setup.dof);
    dynamics::run(s, f, setup.thermostat, st, {.steps = opt.steps, .dt = setup.dt}, smp);

    const double v = s.box.volume(), kt = s.units->boltz * opt.temperature, conv = s.units->nktv2p;
    const double kinetic = setup.dof / D * kt / v;  // N kT / V with the thermo's N = dof / D
    born_modulus_result r;
    r.planes = smp.planes;
    r.samples = smp.n;
    std::tie(r.temperature_mean, r.temperature_error) = detail::block_mean(smp.temperature, opt.blocks);
    const std::size_t np = r.planes.size(), nb = static_cast<std::size_t>(opt.blocks), len = smp.n / nb;
    auto modulus = [&](std::size_t k, std::size_t i0, std::size_t i1) {
        const auto t = smp.terms(k, i0, i1, v / kt);
        return t[0] - t[1] + kinetic + t[2];
    };
    std::vector<double> mean_blocks(nb, 0.0);
    for (std::size_t k = 0; k < np; ++k) {
        auto& p = r.planes[k];
        const auto t = smp.terms(k, 0, smp.n, v / kt);
        p.born = t[0] * conv;
        p.fluctuation = t[1] * conv;
        p.kinetic = kinetic * conv;
        p.stress = t[2] * conv;
        p.modulus = p.born - p.fluctuation + p.kinetic + p.stress;
        std::vector<double> blocks(nb);
        for (std::size_t j = 0; j < nb; ++j) {
            blocks[j] = modulus(k, j * len, (j + 1) * len) * conv;
            mean_blocks[j] += blocks[j] / static_cast<double>(np);
        }
        p.error = detail::mean_error(blocks).second;
    }
    detail::finish_spread(r);
    r.error = detail::mean_error(mean_blocks).second;
    return r;
}

}  // namespace amorph::protocol
