// amorph/protocol/stepwise_strain.hpp — deformation by strain steps, each
// minimized, held with MD and its stress sampled (alumina loading 2).
// Constant strain rate during MD: deform_rate.hpp.
//
// stepwise_strain(sys, ff, minimizer, deformation, integrator,
// md_state, options): for k = 1 .. n (n = round(max_strain / dstrain)):
//   apply the strain increment s_{k-1} -> s_k = k dstrain of the loading
//     (protocol/deformation.hpp, affine remap; LAMMPS `change_box all x scale
//     ((1 + s_k)/(1 + s_{k-1})) remap` for tension),
//   minimize at fixed cell (plane stress: the lateral axes relaxed to zero
//     normal stress, as the AQS driver does),
//   run `hold` MD steps of the integrator (NVT: `run hold` with the same fix
//     nvt throughout; the velocities carry over from the previous hold, the
//     minimizer does not touch them, as LAMMPS's min cg),
//   average the thermo pressure tensor over the last `sample` steps of the
//     hold (LAMMPS `fix ave/time 1 sample hold c_thermo_press[*]`), and the
//     pe and temperature likewise;
//   record strain, the minimized pe and static pressure tensor, the minimizer
//   statistics, the averaged P, pe, T and the resolved stress of the loading
//   tau = resolved_stress(def, <P>) (aqs.hpp; tension: -<P_aa>);
//   call on_step(record, sys) (the caller saves configurations or computes
//   D2min there; on_minimized(record, sys) is called before the hold).
// Step 0 records the start (optionally minimized and held the same way).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/box_relax.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/minimize.hpp"
#include "amorph/dynamics/observer.hpp"
#include "amorph/dynamics/run.hpp"
#include "amorph/protocol/aqs.hpp"
#include "amorph/protocol/deformation.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

namespace amorph::protocol {

struct stepwise_record {
    std::size_t step = 0;
    double strain = 0.0;
    // after the minimization
    double pe_min = 0.0;
    mat<3> pressure_min = mat<3>::Zero();  ///< static pressure tensor (virial only)
    std::size_t iterations = 0, evaluations = 0;
    bool converged = true;
    std::string stop;
    // averages over the last `sample` steps of the hold
    mat<3> pressure = mat<3>::Zero();  ///< <P> (thermo pressure tensor, top-left D x D used)
    double tau = 0.0;                  ///< resolved stress of the loading from <P>
    double pe = 0.0, temp = 0.0;       ///< <pe>, <temp>
    std::size_t samples = 0;
};

template <int D>
struct stepwise_options {
    double dstrain = 0.01;
    double max_strain = 0.1;
    std::int64_t hold = 1000;        ///< MD steps after each minimization
    std::int64_t sample = 100;       ///< the last `sample` steps of the hold are averaged
    double dt = 0.0;                 ///< 0: the unit system's default
    bool start = true;               ///< also minimize + hold + sample at strain 0 (record 0)
    dynamics::min_options minimize{};
    dynamics::box_relax_options lateral{.couple = dynamics::cell_coupling::aniso};  ///< plane stress
    std::function<void(const stepwise_record&, const amorph::system<D>&)> on_minimized{};
    std::function<void(const stepwise_record&, const amorph::system<D>&)> on_step{};
};

struct stepwise_result {
    std::vector<stepwise_record> steps;
    std::size_t evaluations = 0;  ///< minimizer force evaluations
};

namespace detail {
/// Averages the thermo pressure tensor, pe and temp over steps > end - m.
template <int D>
struct hold_sampler {
    std::int64_t m = 0;
    std::int64_t from = 0;  ///< first sampled step
    mat<D> p = mat<D>::Zero();
    double pe = 0.0, temp = 0.0;
    std::size_t n = 0;
    bool wants_virial(std::int64_t step) const { return step >= from; }
    void observe(const dynamics::observation<D>& o) {
        if (o.step < from || o.step == o.begin) return;
        const auto t = o.thermo();
        p += t.pressure_tensor;
        pe += t.potential;
        temp += t.temperature;
        ++n;
    }
};
}  // namespace detail

/// Stepwise strain + minimize + MD hold + stress sampling (see the header).
template <int D, class F, class M, class I>
    requires dynamics::integrator<I, D, F> && dynamics::minimizer<M, D, F>
stepwise_result stepwise_strain(amorph::system<D>& sys, F& ff, const M& minimizer, const deformation<D>& def,
                                const I& integ, dynamics::md_state<I>& st, const stepwise_options<D>& opt) {
    if (!(opt.dstrain != 0.0) || !std::isfinite(opt.dstrain)) throw invalid_argument("stepwise_strain: dstrain must be non-zero");
    if (!(opt.max_strain / opt.dstrain >= 0.0))
        throw invalid_argument("stepwise_strain: max_strain and dstrain must have the same sign");
    if (opt.hold < 1 || opt.sample < 1 || opt.sample > opt.hold)
        throw invalid_argument("stepwise_strain: need hold >= 1 and 1 <= sample <= hold");
    const auto nsteps = static_cast<std::size_t>(std::llround(opt.max_strain / opt.dstrain));
    stepwise_result res;

    auto one = [&](std::size_t k) {
        stepwise_record rec;
        rec.step = k;
        rec.strain = static_cast<double>(k) * opt.dstrain;
        std::size_t extra = 0;
        const dynamics::min_result mr = minimize_at_strain(sys, ff, minimizer, def, opt.minimize, opt.lateral, extra);
        ff.options().virial = true;
        const auto& r = ff.compute(sys);
        rec.pe_min = r.energy;
        rec.pressure_min.template topLeftCorner<D, D>() = dynamics::static_pressure(sys, r.virial);
        rec.iterations = mr.iterations;
        rec.evaluations = mr.evaluations + extra;
        rec.converged = mr.converged();
        rec.stop = mr.message;
        res.evaluations += rec.evaluations;
        if (opt.on_minimized) opt.on_minimized(rec, sys);

        detail::hold_sampler<D> smp;
        smp.m = opt.sample;
        smp.from = st.step + opt.hold - opt.sample + 1;
        dynamics::run(sys, ff, integ, st, {.steps = opt.hold, .dt = opt.dt}, smp);
        const double inv = 1.0 / static_cast<double>(smp.n);
        const mat<D> P = smp.p * inv;
        rec.pressure.template topLeftCorner<D, D>() = P;
        rec.tau = resolved_stress(def, P);
        rec.pe = smp.pe * inv;
        rec.temp = smp.temp * inv;
        rec.samples = smp.n;
        res.steps.push_back(rec);
        if (opt.on_step) opt.on_step(rec, sys);
    };

    if (opt.start) one(0);
    for (std::size_t k = 1; k <= nsteps; ++k) {
        apply_strain(sys, def, static_cast<double>(k - 1) * opt.dstrain, opt.dstrain, true);
        one(k);
    }
    return res;
}

}  // namespace amorph::protocol
