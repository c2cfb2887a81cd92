// amorph/protocol/quench.hpp — run a temperature/pressure schedule with
// Nose-Hoover dynamics, optionally checkpointed and resumable, and end in a
// minimized inherent structure.
//
// quench(sys, ff, schedule, options, observers...):
//   for each segment k of the schedule: one LAMMPS-style run of
//   round(duration / dt) steps with `fix nvt temp T0 T1 Tdamp` or `fix npt
//   temp T0 T1 Tdamp iso|aniso P0 P1 Pdamp`; the thermostat/barostat state
//   carries over between segments of the same ensemble (as one LAMMPS fix
//   over several runs) and starts afresh when the ensemble changes (unfix +
//   fix). Damping defaults follow the LAMMPS advice: Tdamp = 100 dt, Pdamp =
//   1000 dt. The system must have velocities (dynamics::create_velocities).
//   With options.checkpoint, a checkpoint (with the segment index) is
//   written every checkpoint_every steps; with options.resume and an existing
//   checkpoint file, the quench continues where that checkpoint left off and
//   ends bitwise identical to an uninterrupted quench.
//   With options.minimize, the final configuration is relaxed by CG
//   (dynamics::conjugate_gradient, LAMMPS `min_style cg`) to its inherent
//   structure; velocities are then zeroed.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/cg.hpp"
#include "amorph/dynamics/minimize.hpp"
#include "amorph/dynamics/nose_hoover.hpp"
#include "amorph/dynamics/run.hpp"
#include "amorph/protocol/checkpoint.hpp"
#include "amorph/protocol/schedule.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace amorph::protocol {

struct quench_options {
    double dt = 0.0;      ///< timestep (0: the unit system's default)
    double t_damp = 0.0;  ///< Tdamp (0: 100 dt)
    double p_damp = 0.0;  ///< Pdamp (0: 1000 dt)
    bool aniso = false;   ///< NPT segments: aniso instead of iso
    int tchain = 3;
    int pchain = 3;
    std::filesystem::path checkpoint{};  ///< empty: no checkpoints
    std::int64_t checkpoint_every = 0;
    bool resume = false;  ///< continue from `checkpoint` when the file exists
    std::optional<dynamics::min_options> minimize{};  ///< relax to the inherent structure at the end
};

struct quench_result {
    std::int64_t steps = 0;        ///< MD steps (state.step at the end)
    double time = 0.0;             ///< simulated time
    std::size_t segments = 0;      ///< segments run by this call
    bool resumed = false;          ///< started from a checkpoint
    std::optional<dynamics::min_result> minimization{};
};

namespace detail {
template <int D>
struct optional_checkpointer {
    std::optional<checkpointer<D>> cp;
    void observe(const dynamics::observation<D>& o) {
        if (cp) cp->observe(o);
    }
};
}  // namespace detail

template <int D, class F, class... Obs>
    requires dynamics::force_provider<F, D>
quench_result quench(amorph::system<D>& sys, F& ff, const schedule& sch, const quench_options& opt, Obs&... obs) {
    if (sch.empty()) throw invalid_argument("quench: the schedule has no segments");
    if (!sys.has_velocities()) throw invalid_argument("quench: the system has no velocities (create them first)");
    const double dt = opt.dt > 0.0 ? opt.dt : sys.units->dt;
    const double tdamp = opt.t_damp > 0.0 ? opt.t_damp : 100.0 * dt;
    const double pdamp = opt.p_damp > 0.0 ? opt.p_damp : 1000.0 * dt;
    if (!opt.checkpoint.empty() && opt.checkpoint_every <= 0)
        throw invalid_argument("quench: checkpoint_every must be > 0 with a checkpoint file");

    using integ_t = dynamics::nose_hoover<D>;
    dynamics::md_state<integ_t> st;
    quench_result res;
    std::size_t first = 0;
    if (opt.resume && !opt.checkpoint.empty() && std::filesystem::exists(opt.checkpoint)) {
        const std::string extra = read_checkpoint(opt.checkpoint, sys, ff, st);
        std::size_t used = 0;
        try {
            first = std::stoull(extra, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != extra.size() || first >= sch.segments().size())
            throw io_error(opt.checkpoint.string() + ": not a checkpoint of this quench (segment '" + extra + "')");
        res.resumed = true;
    }
    const auto& segs = sch.segments();
    for (std::size_t k = first; k < segs.size(); ++k) {
        const segment& s = segs[k];
        dynamics::nose_hoover_params p = dynamics::nvt(s.t_start, s.t_stop, tdamp);
        if (s.ens == ensemble::npt)
            p.press = opt.aniso ? dynamics::barostat_params::aniso(s.p_start, s.p_stop, pdamp)
                                : dynamics::barostat_params::iso(s.p_start, s.p_stop, pdamp);
        p.tchain = opt.tchain;
        p.pchain = opt.pchain;
        const bool resuming_this = res.resumed && k == first && st.in_run;
        if (!resuming_this && k > 0 && segs[k - 1].ens != s.ens) st.initialized = false;
        const integ_t nh(p);
        detail::optional_checkpointer<D> cp;
        if (!opt.checkpoint.empty())
            cp.cp.emplace(opt.checkpoint, opt.checkpoint_every, [k] { return std::to_string(k); });
        dynamics::run(sys, ff, nh, st, {.steps = s.steps(dt), .dt = dt}, cp, obs...);
        ++res.segments;
    }
    res.steps = st.step;
    res.time = st.time;
    if (opt.minimize) {
        res.minimization = dynamics::minimize(sys, ff, dynamics::conjugate_gradient<D>{}, *opt.minimize);
        sys.velocities.setZero();
    }
    return res;
}

}  // namespace amorph::protocol
