// amorph/dynamics/concepts.hpp — the policy contracts of the dynamics layer.
//
//   force_provider<F, D>   evaluates energy, forces and virial of a system:
//       F::dim == D
//       f.compute(sys) -> const potential::result<D>&   brings its neighbor
//           list up to date for sys (which it may wrap into the cell, as LAMMPS
//           does on reneighboring), evaluates, and copies the forces into
//           sys.forces; the result stays valid until the next call
//       f.last() -> const potential::result<D>&          the last result
//       f.options() -> potential::compute_options&       what compute() asks for
//                                                        (virial, per-atom terms)
//   integrator<I, D, F>    one MD step with explicit state:
//       typename I::state                                 everything that evolves
//       i.init(sys, f, ctx) -> I::state                   fresh state + setup; f.last()
//                                                         must hold the forces of sys
//       i.setup(state, sys, f, ctx)                       (re)start a run with a state
//       i.step(state, sys, f, ctx)                        advance sys by ctx.dt to ctx.step
//       i.reservoir_energy(state, sys) -> double          thermostat/barostat energy
//                                                         (LAMMPS fix nvt/npt scalar)
//       state.save(archive_writer&), state.load(archive_reader&)
//
// step_context carries the step being computed and the bounds of the current
// run, so that targets ramp as in LAMMPS: fraction() = (step - begin) /
// (end - begin) (0 when end == begin), the `delta` of fix_nh.cpp.
#pragma once

#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/potential/result.hpp"

#include <concepts>
#include <cstdint>

namespace amorph::dynamics {

struct step_context {
    std::int64_t step = 0;   ///< the step being computed (LAMMPS ntimestep)
    std::int64_t begin = 0;  ///< first step of the run (LAMMPS beginstep)
    std::int64_t end = 0;    ///< last step of the run (LAMMPS endstep)
    double dt = 0.0;         ///< timestep

    double fraction() const noexcept {
        if (end == begin) return 0.0;
        double delta = static_cast<double>(step - begin);
        if (delta != 0.0) delta /= static_cast<double>(end - begin);
        return delta;
    }
};

template <class F, int D>
concept force_provider = (F::dim == D) && requires(F& f, amorph::system<D>& s) {
    { f.compute(s) } -> std::convertible_to<const potential::result<D>&>;
    { f.last() } -> std::convertible_to<const potential::result<D>&>;
    { f.options() } -> std::convertible_to<potential::compute_options&>;
};

template <class S>
concept saveable_state = requires(const S& cs, S& s, archive_writer& w, archive_reader& r) {
    cs.save(w);
    s.load(r);
};

template <class I, int D, class F>
concept integrator = force_provider<F, D> && saveable_state<typename I::state> &&
                     requires(const I& i, typename I::state& st, amorph::system<D>& s, F& f, const step_context& c) {
                         { i.init(s, f, c) } -> std::same_as<typename I::state>;
                         i.setup(st, s, f, c);
                         i.step(st, s, f, c);
                         { i.reservoir_energy(st, s) } -> std::convertible_to<double>;
                     };

}  // namespace amorph::dynamics
