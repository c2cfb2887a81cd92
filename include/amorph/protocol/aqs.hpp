// amorph/protocol/aqs.hpp — athermal quasistatic (AQS) deformation.
//
// aqs(sys, ff, minimizer, deformation, options):
//   step 0: (optionally) minimize the start configuration and record it;
//   step k = 1 .. n (n = round(max_strain / dstrain)): apply the strain
//   increment F(s + ds) F(s)^-1 of the loading (protocol/deformation.hpp) to
//   the cell and the atoms (affine remap, LAMMPS `change_box ... remap`;
//   for xy simple shear the same arithmetic as `change_box all xy delta
//   (ds ly) remap`), then minimize at fixed cell (`minimize etol ftol
//   maxiter maxeval` with the given minimizer; plane-stress tension instead
//   relaxes the lateral axes to zero normal stress with dynamics::relax_box),
//   and record the strain s_k = k ds, the potential energy, the pressure
//   tensor P = W / V nktv2p (LAMMPS pxx ... pyz: virial only; the minimized
//   system has no kinetic part; pzz, pxz, pyz are 0 in 2D) and the
//   minimizer's statistics.
// The resolved stress of the loading is tau = -iota.P.eta (simple shear),
// -(a.P.a - b.P.b)/2 (pure shear), -a.P.a (tension). Step k is a plastic
// event when tau_{k-1} - tau_k > stress_drop or E_{k-1} - E_k > energy_drop
// (each test off when its threshold is 0).
//
// Options: `extrapolate` starts each minimization from the affine map plus
// the previous step's nonaffine relaxation (displacement by the minimizer,
// minimum image), a predictor that saves ~15-20 % of the force evaluations on
// the elastic branches (2D LJ 10k; bench/protocol); `save_at` strains at which
// on_save(strain, sys) is called (the references for D2min labels);
// `checkpoint` + `checkpoint_every` write an atomic checkpoint (system, the
// force provider's list reference, the records, the predictor) every that
// many steps, and `resume` continues from it; a resumed run ends bitwise
// identical to an uninterrupted one for minimizers without memory across
// minimizations (CG, FIRE, L-BFGS without warm_start).
//
// The shuffled-order experiment built on it (thesis 5.7.6) is
// shuffled_order.hpp.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/box_relax.hpp"
#include "amorph/dynamics/minimize.hpp"
#include "amorph/dynamics/run.hpp"
#include "amorph/protocol/checkpoint.hpp"
#include "amorph/protocol/deformation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace amorph::protocol {

/// One row of the AQS record.
struct aqs_step {
    std::size_t step = 0;
    double strain = 0.0;
    double pe = 0.0;                       ///< total potential energy
    mat<3> pressure = mat<3>::Zero();      ///< P tensor (LAMMPS pxx ..), top-left D x D used
    double tau = 0.0;                      ///< resolved stress of the loading (-P projected)
    std::size_t iterations = 0, evaluations = 0;
    double fnorm = 0.0;                    ///< ||F||_2 at the end of the minimization
    std::string stop;                      ///< minimizer's stopping criterion
    bool converged = true;
    bool plastic = false;                  ///< stress or energy drop at this step
    double seconds = 0.0;                  ///< wall time of the step (not checkpointed exactly)
};

template <int D>
struct aqs_options {
    double dstrain = 1e-4;
    double max_strain = 0.01;
    bool relax_start = true;             ///< minimize at strain 0 first
    dynamics::min_options minimize{};
    dynamics::box_relax_options lateral{.couple = dynamics::cell_coupling::aniso};  ///< plane stress
    bool extrapolate = false;            ///< nonaffine predictor (see the header)
    double stress_drop = -1.0;           ///< < 0: 1e-4 nktv2p; 0: off
    double energy_drop = 0.0;            ///< 0: off
    std::vector<double> save_at{};       ///< strains for on_save (matched to the nearest step)
    std::function<void(double, const amorph::system<D>&)> on_save{};
    std::function<void(const aqs_step&)> on_step{};
    std::filesystem::path checkpoint{};
    std::size_t checkpoint_every = 0;
    bool resume = false;
};

struct aqs_result {
    std::vector<aqs_step> steps;          ///< step 0 (start) .. n
    std::vector<std::size_t> events;      ///< steps flagged plastic
    std::size_t evaluations = 0;          ///< force evaluations of this call
    bool resumed = false;
    /// Index of the first plastic event, or steps.size() when none.
    std::size_t first_event() const { return events.empty() ? steps.size() : events.front(); }
};

/// Resolved stress of a loading for the pressure tensor P (see the header).
template <int D>
double resolved_stress(const deformation<D>& def, const mat<D>& P) {
    switch (def.mode) {
        case loading::simple_shear: return -def.direction.dot(P * def.normal);
        case loading::pure_shear:
            return -0.5 * (def.direction.dot(P * def.direction) - def.normal.dot(P * def.normal));
        default: return -def.direction.dot(P * def.direction);
    }
}

namespace detail {
inline constexpr const char* aqs_tag = "amorph-aqs-checkpoint";

inline void save_steps(dynamics::archive_writer& w, const std::vector<aqs_step>& s) {
    w.put(static_cast<std::uint64_t>(s.size()));
    for (const auto& r : s) {
        w.put(static_cast<std::uint64_t>(r.step));
        w.put(r.strain);
        w.put(r.pe);
        w.put(r.pressure);
        w.put(r.tau);
        w.put(static_cast<std::uint64_t>(r.iterations));
        w.put(static_cast<std::uint64_t>(r.evaluations));
        w.put(r.fnorm);
        w.put(r.stop);
        w.put(r.converged);
        w.put(r.plastic);
        w.put(r.seconds);
    }
}
inline void load_steps(dynamics::archive_reader& r, std::vector<aqs_step>& s) {
    const auto n = r.get<std::uint64_t>();
    if (n > (std::uint64_t{1} << 32)) throw io_error(r.source() + ": implausible AQS step count");
    s.resize(static_cast<std::size_t>(n));
    for (auto& x : s) {
        x.step = static_cast<std::size_t>(r.get<std::uint64_t>());
        r.get(x.strain);
        r.get(x.pe);
        r.get(x.pressure);
        r.get(x.tau);
        x.iterations = static_cast<std::size_t>(r.get<std::uint64_t>());
        x.evaluations = static_cast<std::size_t>(r.get<std::uint64_t>());
        r.get(x.fnorm);
        r.get(x.stop);
        r.get(x.converged);
        r.get(x.plastic);
        r.get(x.seconds);
    }
}
}  // namespace detail

/// The minimization at one strain of `def`: at fixed cell, or, when the
/// loading relaxes its lateral axes (plane stress), dynamics::relax_box on
/// those axes to zero normal stress (options `lateral`, coupling aniso).
/// Returns the last inner minimization; `extra` receives the force
/// evaluations of the earlier box iterations (0 at fixed cell). Shared by
/// aqs() and stepwise_strain() (stepwise_strain.hpp).
template <int D, class F, class M>
    requires dynamics::minimizer<M, D, F>
dynamics::min_result minimize_at_strain(amorph::system<D>& sys, F& ff, const M& minimizer, const deformation<D>& def,
                                        const dynamics::min_options& minimize,
                                        const dynamics::box_relax_options& lateral, std::size_t& extra) {
    if (def.lateral_relaxation()) {
        dynamics::box_relax_options b = lateral;
        b.couple = dynamics::cell_coupling::aniso;
        b.axes = def.lateral_axes();
        auto br = dynamics::relax_box(sys, ff, minimizer, minimize, b);
        extra = br.evaluations - br.last.evaluations;
        return br.last;
    }
    extra = 0;
    return dynamics::minimize(sys, ff, minimizer, minimize);
}

template <int D, class F, class M>
    requires dynamics::minimizer<M, D, F>
aqs_result aqs(amorph::system<D>& sys, F& ff, const M& minimizer, const deformation<D>& def, const aqs_options<D>& opt) {
    if (!(opt.dstrain != 0.0) || !std::isfinite(opt.dstrain)) throw invalid_argument("aqs: dstrain must be non-zero");
    if (!(opt.max_strain / opt.dstrain >= 0.0)) throw invalid_argument("aqs: max_strain and dstrain must have the same sign");
    if (!opt.checkpoint.empty() && opt.checkpoint_every == 0)
        throw invalid_argument("aqs: checkpoint_every must be > 0 with a checkpoint file");
    const auto nsteps = static_cast<std::size_t>(std::llround(opt.max_strain / opt.dstrain));
    const double stress_drop = opt.stress_drop < 0.0 ? 1e-4 * sys.units->nktv2p : opt.stress_drop;
    using clock = std::chrono::steady_clock;

    aqs_result res;
    coords<D> nonaffine;  // predictor
    std::size_t first = 0;
    if (opt.resume && !opt.checkpoint.empty() && std::filesystem::exists(opt.checkpoint)) {
        dynamics::archive_reader rd = dynamics::archive_reader::open(read_whole_file(opt.checkpoint), opt.checkpoint.string());
        rd.tag(detail::aqs_tag);
        double ds = 0.0;
        std::uint64_t n = 0;
        rd.get(ds);
        rd.get(n);
        if (ds != opt.dstrain || n != nsteps)
            throw io_error(opt.checkpoint.string() + ": checkpoint of another AQS (dstrain or number of steps differ)");
        dynamics::load_system(rd, sys);
        ff.load(rd);
        detail::load_steps(rd, res.steps);
        rd.get(nonaffine);
        if (!rd.at_end()) throw io_error(opt.checkpoint.string() + ": trailing data in checkpoint");
        if (res.steps.empty()) throw io_error(opt.checkpoint.string() + ": checkpoint without steps");
        for (const auto& s : res.steps)
            if (s.plastic) res.events.push_back(s.step);
        first = res.steps.back().step + 1;
        res.resumed = true;
    }

    auto measure = [&](std::size_t k, const dynamics::min_result& mr, std::size_t extra_evals, double secs) {
        ff.options().virial = true;
        const auto& r = ff.compute(sys);
        const mat<D> P = dynamics::static_pressure(sys, r.virial);
        aqs_step s;
        s.step = k;
        s.strain = static_cast<double>(k) * opt.dstrain;
        s.pe = r.energy;
        s.pressure.template topLeftCorner<D, D>() = P;
        s.tau = resolved_stress(def, P);
        s.iterations = mr.iterations;
        s.evaluations = mr.evaluations + extra_evals;
        s.fnorm = mr.fnorm2;
        s.stop = mr.message;
        s.converged = mr.converged();
        s.seconds = secs;
        if (!res.steps.empty()) {
            const aqs_step& p = res.steps.back();
            s.plastic = (stress_drop > 0.0 && p.tau - s.tau > stress_drop) || (opt.energy_drop > 0.0 && p.pe - s.pe > opt.energy_drop);
        }
        res.evaluations += s.evaluations;
        if (s.plastic) res.events.push_back(k);
        res.steps.push_back(s);
        if (opt.on_step) opt.on_step(s);
        for (double a : opt.save_at)
            if (std::llround(a / opt.dstrain) == static_cast<long long>(k) && opt.on_save) opt.on_save(s.strain, sys);
    };
    auto relax = [&](std::size_t& extra) {
        return minimize_at_strain(sys, ff, minimizer, def, opt.minimize, opt.lateral, extra);
    };

    if (!res.resumed) {
        const auto t0 = clock::now();
        dynamics::min_result mr;
        std::size_t extra = 0;
        if (opt.relax_start) mr = relax(extra);
        else {
            mr.reason = dynamics::min_stop::force_tolerance;
            mr.message = "not minimized";
        }
        measure(0, mr, extra, std::chrono::duration<double>(clock::now() - t0).count());
        first = 1;
    }
    for (std::size_t k = first; k <= nsteps; ++k) {
        const auto t0 = clock::now();
        apply_strain(sys, def, static_cast<double>(k - 1) * opt.dstrain, opt.dstrain, true);
        coords<D> affine;
        if (opt.extrapolate) {
            affine = sys.positions;
            if (nonaffine.cols() == sys.positions.cols()) sys.positions += nonaffine;
        }
        std::size_t extra = 0;
        const dynamics::min_result mr = relax(extra);
        if (opt.extrapolate) {
            if (affine.cols() == sys.positions.cols() && !def.lateral_relaxation()) {
                nonaffine.resize(D, sys.positions.cols());
                for (Eigen::Index i = 0; i < affine.cols(); ++i)
                    nonaffine.col(i) = sys.box.minimum_image(vec<D>(sys.positions.col(i) - affine.col(i)));
            } else {
                nonaffine.resize(D, 0);  // the atoms were wrapped: no predictor this time
            }
        }
        measure(k, mr, extra, std::chrono::duration<double>(clock::now() - t0).count());
        if (!opt.checkpoint.empty() && (k % opt.checkpoint_every == 0 || k == nsteps)) {
            dynamics::archive_writer w;
            w.tag(detail::aqs_tag);
            w.put(opt.dstrain);
            w.put(static_cast<std::uint64_t>(nsteps));
            dynamics::save_system(w, sys);
            ff.save(w);
            detail::save_steps(w, res.steps);
            w.put(nonaffine);
            write_atomically(opt.checkpoint, w.seal());
        }
    }
    return res;
}

}  // namespace amorph::protocol

#ifdef AMORPH_COMPILED
#include "amorph/dynamics/any_force_field.hpp"
#endif

// AQS of any_force_field<D> with each minimizer, compiled once in
// amorph::compiled (core/compiled.hpp).
namespace amorph::protocol {
#define AMORPH_AQS_TEMPLATE(P_, D, M)                                                                          \
    P_ template aqs_result aqs(amorph::system<D>&, dynamics::any_force_field<D>&, const M&, const deformation<D>&, \
                               const aqs_options<D>&);
#define AMORPH_AQS_TEMPLATES(P_, D)                            \
    AMORPH_AQS_TEMPLATE(P_, D, dynamics::conjugate_gradient<D>) \
    AMORPH_AQS_TEMPLATE(P_, D, dynamics::fire<D>)               \
    AMORPH_AQS_TEMPLATE(P_, D, dynamics::lbfgs<D>)
AMORPH_EXTERN_TEMPLATES(AMORPH_AQS_TEMPLATES)
}  // namespace amorph::protocol
