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

#include <cmath>
#include <cstdint>
#include <string>
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
    double temperature_mean = 0.0;  ///< thermal: mean kinetic T over all samples
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

inline void finish_planes(shear_modulus_result& r) {
    double m = 0.0, e2 = 0.0;
    for (auto& p : r.planes) {
        p.modulus = (p.stress_plus - p.stress_minus) / (2.0 * r.strain);
        p.error = std::sqrt(p.error_plus * p.error_plus + p.error_minus * p.error_minus) / (2.0 * r.strain);
        m += p.modulus;
        e2 += p.error * p.error;
    }
    const double n = static_cast<double>(r.planes.size());
    r.modulus = m / n;
    r.error = std::sqrt(e2) / n;
    double v = 0.0;
    for (const auto& p : r.planes) v += (p.modulus - r.modulus) * (p.modulus - r.modulus);
    r.spread = r.planes.size() > 1 ? std::sqrt(v / (n - 1)) : 0.0;
}

inline void check_strain(double g) {
    if (!(g > 0.0) || !(g < 0.5)) throw invalid_argument("shear modulus: strain must be in (0, 0.5)");
}

template <int D>
struct stress_sampler {
    int a = 0, b = 1;
    std::int64_t every = 1;
    double dof = 0.0;
    std::vector<double> sigma;
    double tsum = 0.0;
    bool wants_virial(std::int64_t step) const { return step % every == 0; }
    void observe(const dynamics::observation<D>& o) {
        if (o.step % every != 0 || o.step == o.begin) return;
        sigma.push_back(-dynamics::pressure_tensor(o.sys, o.forces)(a, b));
        tsum += dynamics::temperature(o.sys, dof);
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

}  // namespace detail

/// Athermal shear modulus (see the header). `ff` is copied for every strained state.
template <int D, class F, class M = dynamics::conjugate_gradient<D>>
    requires dynamics::force_provider<F, D> && std::copy_constructible<F>
shear_modulus_result athermal_shear_modulus(const amorph::system<D>& input, const F& ff,
                                            const shear_modulus_options& opt = {}, const M& minimizer = M{}) {
    detail::check_strain(opt.strain);
    if (input.empty()) throw invalid_argument("athermal_shear_modulus: the system has no atoms");
    amorph::system<D> ref = input;
    ref.sort_by_id();
    ref.velocities.resize(D, 0);
    {
        F f(ff);
        dynamics::minimize(ref, f, minimizer, opt.min);
    }
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
    if (!(opt.temperature > 0.0)) throw invalid_argument("thermal_shear_modulus: temperature must be > 0");
    if (opt.steps <= 0 || opt.sample_every <= 0 || opt.equilibration < 0)
        throw invalid_argument("thermal_shear_modulus: steps and sample_every must be > 0, equilibration >= 0");
    if (opt.blocks < 2 || opt.steps / opt.sample_every < opt.blocks)
        throw invalid_argument("thermal_shear_modulus: need blocks >= 2 and at least one sample per block");
    if (input.empty()) throw invalid_argument("thermal_shear_modulus: the system has no atoms");
    amorph::system<D> ref = input;
    ref.sort_by_id();
    if (!ref.has_velocities() || ref.velocities.squaredNorm() == 0.0)
        dynamics::create_velocities(ref, opt.temperature, opt.seed);
    const double dt = opt.dt > 0.0 ? opt.dt : ref.units->dt;
    const double tdamp = opt.t_damp > 0.0 ? opt.t_damp : 100.0 * dt;
    const double dof = dynamics::degrees_of_freedom(ref);

    shear_modulus_result r;
    r.strain = opt.strain;
    r.planes = detail::shear_planes<D>();
    const std::size_t jobs = 2 * r.planes.size();
    std::vector<std::pair<double, double>> sig(jobs);
    std::vector<double> temp(jobs);
    tbb::parallel_for(std::size_t{0}, jobs, [&](std::size_t j) {
        const auto& p = r.planes[j / 2];
        amorph::system<D> s = ref;
        s.deform(detail::shear_gradient<D>(p.a, p.b, j % 2 == 0 ? opt.strain : -opt.strain));
        F f(ff);
        const dynamics::nose_hoover<D> nh(dynamics::nvt(opt.temperature, opt.temperature, tdamp));
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
        temp[j] = smp.tsum / static_cast<double>(smp.sigma.size());
    });
    double tm = 0.0;
    for (std::size_t k = 0; k < r.planes.size(); ++k) {
        r.planes[k].stress_plus = sig[2 * k].first;
        r.planes[k].error_plus = sig[2 * k].second;
        r.planes[k].stress_minus = sig[2 * k + 1].first;
        r.planes[k].error_minus = sig[2 * k + 1].second;
    }
    for (double t : temp) tm += t;
    r.temperature_mean = tm / static_cast<double>(jobs);
    detail::finish_planes(r);
    return r;
}

}  // namespace amorph::protocol
