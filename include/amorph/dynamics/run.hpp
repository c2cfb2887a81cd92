// amorph/dynamics/run.hpp — the MD loop: an integrator, a force provider and
// observers, with the whole resumable state explicit.
//
//   md_state<I>   step counter, elapsed time, the bounds of the current run,
//                 the integrator state; save()/load() with the system and the
//                 force provider make a checkpoint (protocol/checkpoint.hpp)
//   run(sys, ff, integ, state, {steps, dt}, observers...)
//       LAMMPS's `run N`: if no run is in progress, a new one starts at
//       state.step: forces are evaluated (setup), the integrator is
//       initialized (first run) or set up again with its state (later runs,
//       as a LAMMPS fix keeps its state across runs), the observers see the
//       first step; then N steps, each observed. If the state holds a run in
//       progress (it was loaded from a checkpoint), the run continues to its
//       end without a new setup, so the result is bit-identical to the
//       uninterrupted run.
// The virial is requested from the force provider only on steps where an
// observer wants it (wants_virial) or the integrator needs it (barostat).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/observer.hpp"

#include <cstdint>
#include <string>
#include <tuple>

namespace amorph::dynamics {

struct run_options {
    std::int64_t steps = 0;
    double dt = 0.0;          ///< timestep; 0 = the unit system's LAMMPS default
    double dof = -1.0;        ///< thermo degrees of freedom; < 0 = D N - D
};

template <class I>
struct md_state {
    std::int64_t step = 0;
    double time = 0.0;
    std::int64_t begin = 0, end = 0;  ///< bounds of the current (or last) run
    bool in_run = false;              ///< a run was interrupted (loaded from a checkpoint)
    bool initialized = false;         ///< integ holds an initialized state
    double dt = 0.0;
    typename I::state integ{};

    void save(archive_writer& w) const {
        w.tag("md_state");
        w.put(step);
        w.put(time);
        w.put(begin);
        w.put(end);
        w.put(in_run);
        w.put(initialized);
        w.put(dt);
        integ.save(w);
    }
    void load(archive_reader& r) {
        r.tag("md_state");
        r.get(step);
        r.get(time);
        r.get(begin);
        r.get(end);
        r.get(in_run);
        r.get(initialized);
        r.get(dt);
        integ.load(r);
    }
};

/// Write / read a system exactly (cell, atoms, velocities, image flags,
/// species, units; forces are recomputed on resume).
template <int D>
void save_system(archive_writer& w, const amorph::system<D>& s) {
    w.tag("system");
    w.put(static_cast<std::int32_t>(D));
    w.put(std::string(s.units->name));
    w.put(s.box.h());
    w.put(s.box.origin());
    for (bool p : s.box.periodic()) w.put(p);
    w.put(static_cast<std::uint64_t>(s.species.size()));
    for (const auto& sp : s.species) {
        w.put(sp.name);
        w.put(sp.mass);
    }
    w.put(s.positions);
    w.put(s.velocities);
    w.put(s.image);
    w.put(s.types);
    w.put(s.ids);
    w.put(s.charges);
}

template <int D>
void load_system(archive_reader& r, amorph::system<D>& s) {
    r.tag("system");
    if (r.get<std::int32_t>() != D) throw io_error(r.source() + ": checkpoint holds a system of another dimension");
    s.units = &units::by_name(r.get<std::string>());
    mat<D> h;
    vec<D> o;
    r.get(h);
    r.get(o);
    typename box<D>::flags_t per{};
    for (auto& p : per) p = r.get<bool>();
    const auto ns = r.get<std::uint64_t>();
    if (ns > 1000000) throw io_error(r.source() + ": implausible species count in checkpoint");
    species_list sl;
    for (std::uint64_t t = 0; t < ns; ++t) {
        auto name = r.get<std::string>();
        const double m = r.get<double>();
        sl.add(std::move(name), m);
    }
    amorph::system<D> out(box<D>(h, o, per), 0);
    out.species = std::move(sl);
    out.units = s.units;
    r.get(out.positions);
    r.get(out.velocities);
    r.get(out.image);
    r.get(out.types);
    r.get(out.ids);
    r.get(out.charges);
    out.validate();
    s = std::move(out);
}

namespace detail {
template <class I, class St>
bool integrator_needs_virial(const I& integ, const St& st) {
    if constexpr (requires { integ.needs_virial(st); }) return integ.needs_virial(st);
    else return false;
}
}  // namespace detail

/// Everything a checkpoint holds, in order: system, md_state, force provider.
template <int D, class F, class I>
void save_run(archive_writer& w, const amorph::system<D>& sys, const F& ff, const md_state<I>& st) {
    save_system(w, sys);
    st.save(w);
    ff.save(w);
}

/// Restore what save_run wrote; the next run() continues an interrupted run.
template <int D, class F, class I>
void load_run(archive_reader& r, amorph::system<D>& sys, F& ff, md_state<I>& st) {
    load_system(r, sys);
    st.load(r);
    ff.load(r);
}

/// Run `opt.steps` MD steps (or finish an interrupted run); see the header.
template <int D, class F, class I, class... Obs>
    requires integrator<I, D, F> && (observer_of<Obs, D> && ...)
void run(amorph::system<D>& sys, F& ff, const I& integ, md_state<I>& st, const run_options& opt, Obs&... obs) {
    const double dt = opt.dt > 0.0 ? opt.dt : sys.units->dt;
    const double dof = opt.dof >= 0.0 ? opt.dof : degrees_of_freedom(sys);
    if (opt.steps < 0) throw invalid_argument("run: the number of steps must be >= 0");

    auto want_virial = [&]([[maybe_unused]] std::int64_t step) {  // unused without observers
        bool w = detail::integrator_needs_virial(integ, st.integ);
        ((w = w || detail::wants_virial(obs, step)), ...);
        return w;
    };
    auto observe = [&](bool virial) {
        const observation<D> ob{sys,
                                ff.last(),
                                st.step,
                                st.begin,
                                st.end,
                                st.time,
                                dof,
                                integ.reservoir_energy(st.integ, sys),
                                virial,
                                [&](archive_writer& w) { save_run(w, sys, ff, st); }};
        (obs.observe(ob), ...);
    };

    step_context ctx;
    if (st.in_run) {
        // resume an interrupted run: same bounds, same dt, no new setup
        ctx = {st.step, st.begin, st.end, st.dt};
        ff.options().virial = want_virial(st.step) || detail::integrator_needs_virial(integ, st.integ);
        ff.compute(sys);
    } else {
        st.begin = st.step;
        st.end = st.step + opt.steps;
        st.dt = dt;
        ctx = {st.step, st.begin, st.end, dt};
        ff.options().virial = true;
        ff.compute(sys);
        if (!st.initialized) {
            st.integ = integ.init(sys, ff, ctx);
            st.initialized = true;
        } else {
            integ.setup(st.integ, sys, ff, ctx);
        }
        st.in_run = true;
        observe(true);
    }
    bool last_virial = true;
    while (st.step < st.end) {
        ctx.step = st.step + 1;
        last_virial = want_virial(ctx.step);
        ff.options().virial = last_virial;
        integ.step(st.integ, sys, ff, ctx);
        st.step = ctx.step;
        st.time += st.dt;
        observe(last_virial);
    }
    st.in_run = false;
    const observation<D> fin{sys, ff.last(), st.step, st.begin, st.end, st.time, dof,
                             integ.reservoir_energy(st.integ, sys), last_virial,
                             [&](archive_writer& w) { save_run(w, sys, ff, st); }};
    (detail::finish(obs, fin), ...);
}

}  // namespace amorph::dynamics
