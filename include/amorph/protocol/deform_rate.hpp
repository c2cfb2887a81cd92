// amorph/protocol/deform_rate.hpp — deformation at a constant engineering
// strain rate during molecular dynamics (alumina loading 1; LAMMPS fix deform).
// Stepwise strain + minimization + hold: stepwise_strain.hpp.
//
// deforming<D, I> wraps any integrator I (velocity_verlet,
// nose_hoover NVT or NPT) so that after each of its steps the cell follows
// LAMMPS's `fix deform N=1 ... erate R ... remap x` (fix_deform.cpp, called at
// end_of_step, i.e. after the integrator's final_integrate and before the
// thermo output of that step). Components: a length x, y, z (`x erate R`) or
// a tilt xy, xz, yz (`xy erate R`). At the start of every run (LAMMPS's
// FixDeform::init) the controlled values are taken from the current cell:
//   length a:  lo0, hi0, L0 = hi0 - lo0, T = (end - begin) dt,
//              lo_stop = lo0 - 0.5 T R L0,  hi_stop = hi0 + 0.5 T R L0
//   tilt:      t_stop = t0 + T R L0_perp   (xy: L0_perp = ly; xz, yz: lz)
// and at step n of the run, with f = (n - begin) / (end - begin),
//   lo = lo0 + f (lo_stop - lo0),  hi = hi0 + f (hi_stop - hi0),
//   t  = t0 + f (t_stop - t0), shifted by whole box lengths to the value
//        nearest the current tilt exactly as fix_deform.cpp does,
// so the engineering strain (L - L0)/L0 = n R dt (tilt: (t - t0)/L0_perp)
// grows linearly within a run. Atoms are remapped affinely through fractional
// coordinates (LAMMPS x2lamda with the old cell, lamda2x with the new one);
// velocities are not changed (remap x, not the SLLOD `remap v`). Axes that are
// not controlled keep their current values, so a barostat may move them.
//   plane strain (alumina loading 2 in MD form): nose_hoover NVT, the lateral
//     sizes fixed = LAMMPS `fix nvt` + `fix deform x erate R`;
//   plane stress (alumina loading 1): MTK NPT on the lateral axes only with
//     target 0 (plane_stress_npt(): `fix npt temp T T Tdamp y 0 0 Pdamp
//     z 0 0 Pdamp` + `fix deform x erate R`; the barostat sees the cell
//     fix deform left, as in LAMMPS).
// The wrapper's state (the start values of the run and the force result of
// the last step, which predates the cell change and so cannot be recomputed
// on resume) is part of md_state, so dynamics::run's checkpoint/resume
// (protocol/checkpoint.hpp) continues a run bitwise identically.
// Unlike LAMMPS (`flip yes`), the cell is never flipped when a tilt exceeds
// half the box length: amorph's general cell needs no flip (compare with
// LAMMPS's `flip no` beyond |xy| > lx/2).
// strain_log<D> is an observer recording every N steps the engineering strain
// of the controlled component relative to a reference cell, the thermo
// pressure tensor P = (K + W)/V nktv2p (LAMMPS pxx ..., positive in
// compression; at a step's output the virial is that of the forces before the
// cell change and V the new volume, as LAMMPS's thermo after fix deform), the
// stress along the loading sigma = -P_ab, pe and temp.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/lammps_cell.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/nose_hoover.hpp"
#include "amorph/dynamics/observer.hpp"
#include "amorph/dynamics/run.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace amorph::protocol {

/// One cell component driven at a constant engineering strain rate.
struct rate_component {
    int i = 0, j = 0;   ///< (a, a): the length of axis a; (0, 1) xy, (0, 2) xz, (1, 2) yz tilt
    double rate = 0.0;  ///< engineering strain rate (1/time)

    bool tilt() const noexcept { return i != j; }
    /// The axis whose start length scales the change: a for a length, y for xy, z for xz/yz.
    int reference_axis() const noexcept { return tilt() ? j : i; }
};

/// Parse "x", "y", "z", "xy", "xz", "yz" (LAMMPS fix deform keywords).
inline rate_component rate_along(const std::string& what, double rate) {
    if (what == "x") return {0, 0, rate};
    if (what == "y") return {1, 1, rate};
    if (what == "z") return {2, 2, rate};
    if (what == "xy") return {0, 1, rate};
    if (what == "xz") return {0, 2, rate};
    if (what == "yz") return {1, 2, rate};
    throw invalid_argument("deform: component must be x, y, z, xy, xz or yz, got '" + what + "'");
}

/// An integrator I followed by `fix deform ... erate ... remap x` (see the header).
template <int D, class I>
    requires supported_dimension<D>
class deforming {
public:
    deforming(I inner, std::vector<rate_component> comps) : inner_(std::move(inner)), comps_(std::move(comps)) {
        if (comps_.empty()) throw invalid_argument("deforming: no component to deform");
        for (const auto& c : comps_) {
            if (c.i < 0 || c.j < 0 || c.i >= D || c.j >= D || c.i > c.j)
                throw invalid_argument("deforming: component out of range for the dimension");
            if (!std::isfinite(c.rate)) throw invalid_argument("deforming: the strain rate must be finite");
        }
    }

    const I& inner() const noexcept { return inner_; }
    const std::vector<rate_component>& components() const noexcept { return comps_; }

    struct state {
        typename I::state inner{};
        std::array<double, 3> lo0{}, hi0{}, lo_stop{}, hi_stop{};
        std::array<double, 3> tilt0{}, tilt_stop{};  ///< xy, xz, yz
        // the force result of the last step, taken before the cell change: the
        // next step starts from it (a resumed run cannot recompute it)
        double last_energy = 0.0;
        mat<D> last_virial = mat<D>::Zero();
        coords<D> last_forces;
        bool resumed = false;  ///< set by load(): the next step uses the saved result

        void save(dynamics::archive_writer& w) const {
            w.tag("deforming");
            inner.save(w);
            for (const auto* a : {&lo0, &hi0, &lo_stop, &hi_stop, &tilt0, &tilt_stop})
                for (double x : *a) w.put(x);
            w.put(last_energy);
            w.put(last_virial);
            w.put(last_forces);
        }
        void load(dynamics::archive_reader& r) {
            r.tag("deforming");
            inner.load(r);
            for (auto* a : {&lo0, &hi0, &lo_stop, &hi_stop, &tilt0, &tilt_stop})
                for (double& x : *a) r.get(x);
            r.get(last_energy);
            r.get(last_virial);
            r.get(last_forces);
            resumed = true;
        }
    };

    bool needs_virial(const state& s) const { return dynamics::detail::integrator_needs_virial(inner_, s.inner); }

    template <class F>
    state init(amorph::system<D>& sys, F& ff, const dynamics::step_context& ctx) const {
        check_cell(sys.box);
        state s;
        s.inner = inner_.init(sys, ff, ctx);
        capture(s, sys.box, ctx);
        return s;
    }

    template <class F>
    void setup(state& s, amorph::system<D>& sys, F& ff, const dynamics::step_context& ctx) const {
        check_cell(sys.box);
        inner_.setup(s.inner, sys, ff, ctx);
        capture(s, sys.box, ctx);
    }

    template <class F>
    void step(state& s, amorph::system<D>& sys, F& ff, const dynamics::step_context& ctx) const {
        if (s.resumed && static_cast<std::size_t>(s.last_forces.cols()) == sys.size()) {
            // resumed from a checkpoint: start from the saved (pre-deformation) forces and virial
            s.resumed = false;
            sys.forces = s.last_forces;
            saved_provider<F> px{ff, {}, false};
            px.saved.energy = s.last_energy;
            px.saved.virial = s.last_virial;
            px.saved.forces = s.last_forces;
            inner_.step(s.inner, sys, px, ctx);
        } else {
            s.resumed = false;
            inner_.step(s.inner, sys, ff, ctx);
        }
        s.last_energy = ff.last().energy;
        s.last_virial = ff.last().virial;
        s.last_forces = sys.forces;
        apply(s, sys, ctx);
    }

    double reservoir_energy(const state& s, const amorph::system<D>& sys) const {
        return inner_.reservoir_energy(s.inner, sys);
    }

private:
    /// Force provider whose last() is a saved result until the first compute().
    template <class F>
    struct saved_provider {
        static constexpr int dim = D;
        F& ff;
        potential::result<D> saved;
        bool fresh;
        const potential::result<D>& compute(amorph::system<D>& sys) {
            fresh = true;
            return ff.compute(sys);
        }
        const potential::result<D>& last() const { return fresh ? ff.last() : saved; }
        potential::compute_options& options() { return ff.options(); }
    };

    static int tilt_index(int i, int j) { return i == 0 ? (j == 1 ? 0 : 1) : 2; }  // xy, xz, yz

    static void check_cell(const box<D>& b) {
        for (int r = 0; r < D; ++r)
            for (int c = 0; c < r; ++c)
                if (b.h()(r, c) != 0.0)
                    throw unsupported("deforming: the cell must be in LAMMPS form (upper-triangular h)");
    }

    void capture(state& s, const box<D>& b, const dynamics::step_context& ctx) const {
        const double T = static_cast<double>(ctx.end - ctx.begin) * ctx.dt;
        for (int a = 0; a < D; ++a) {
            const auto k = static_cast<std::size_t>(a);
            s.lo0[k] = b.origin()(a);
            s.hi0[k] = b.origin()(a) + b.h()(a, a);
        }
        for (const auto& c : comps_) {
            if (c.tilt()) continue;
            const auto k = static_cast<std::size_t>(c.i);
            s.lo_stop[k] = s.lo0[k] - 0.5 * T * c.rate * (s.hi0[k] - s.lo0[k]);
            s.hi_stop[k] = s.hi0[k] + 0.5 * T * c.rate * (s.hi0[k] - s.lo0[k]);
            if (!(s.hi_stop[k] > s.lo_stop[k])) throw invalid_argument("deforming: final box length would be <= 0");
        }
        for (const auto& c : comps_) {
            if (!c.tilt()) continue;
            const auto t = static_cast<std::size_t>(tilt_index(c.i, c.j));
            const auto r = static_cast<std::size_t>(c.reference_axis());
            s.tilt0[t] = b.h()(c.i, c.j);
            s.tilt_stop[t] = s.tilt0[t] + T * c.rate * (s.hi0[r] - s.lo0[r]);
        }
    }

    void apply(const state& s, amorph::system<D>& sys, const dynamics::step_context& ctx) const {
        const double f = ctx.fraction();
        const mat<D> h = sys.box.h();
        const vec<D> lo = sys.box.origin();
        std::array<double, 3> lo_t{}, hi_t{};
        for (int a = 0; a < D; ++a) {
            lo_t[static_cast<std::size_t>(a)] = lo(a);
            hi_t[static_cast<std::size_t>(a)] = lo(a) + h(a, a);
        }
        for (const auto& c : comps_) {
            if (c.tilt()) continue;
            const auto k = static_cast<std::size_t>(c.i);
            lo_t[k] = s.lo0[k] + f * (s.lo_stop[k] - s.lo0[k]);
            hi_t[k] = s.hi0[k] + f * (s.hi_stop[k] - s.hi0[k]);
        }
        mat<D> hn = h;
        vec<D> lon;
        for (int a = 0; a < D; ++a) {
            const auto k = static_cast<std::size_t>(a);
            lon(a) = lo_t[k];
            hn(a, a) = hi_t[k] - lo_t[k];
        }
        for (const auto& c : comps_) {
            if (!c.tilt()) continue;
            const auto t = static_cast<std::size_t>(tilt_index(c.i, c.j));
            double target = s.tilt0[t] + f * (s.tilt_stop[t] - s.tilt0[t]);
            // fix_deform.cpp: move by whole box lengths to the value nearest the current tilt
            const int idenom = c.i;  // xy, xz: x; yz: y
            const double denom = hi_t[static_cast<std::size_t>(idenom)] - lo_t[static_cast<std::size_t>(idenom)];
            const double current = h(c.i, c.j) / h(idenom, idenom);
            while (target / denom - current > 0.0) target -= denom;
            while (target / denom - current < 0.0) target += denom;
            if (std::abs(target / denom - 1.0 - current) < std::abs(target / denom - current)) target -= denom;
            hn(c.i, c.j) = target;
        }
        lammps_remap<D>(sys.positions, lammps_h_inv<D>(h), lo, hn, lon);
        sys.box = box<D>(hn, lon, sys.box.periodic());
    }

    I inner_;
    std::vector<rate_component> comps_;
};

template <int D, class I>
deforming<D, I> make_deforming(I inner, std::vector<rate_component> comps) {
    return deforming<D, I>(std::move(inner), std::move(comps));
}

/// MTK NPT with the axes other than `axis` barostatted to zero normal stress
/// (LAMMPS `fix npt temp T T Tdamp y 0 0 Pdamp z 0 0 Pdamp` for axis x).
template <int D>
dynamics::nose_hoover_params plane_stress_npt(int axis, double temp, double t_damp, double p_damp) {
    if (axis < 0 || axis >= D) throw invalid_argument("plane_stress_npt: axis out of range");
    dynamics::barostat_params b;
    for (int a = 0; a < D; ++a)
        if (a != axis) b.along(a, 0.0, 0.0, p_damp);
    return dynamics::npt(temp, temp, t_damp, b);
}

/// One row of strain_log.
template <int D>
struct strain_sample {
    std::int64_t step = 0;
    double time = 0.0;
    double strain = 0.0;  ///< engineering strain of the component relative to the reference cell
    double stress = 0.0;  ///< -P_ij of the component (tensile/shear stress, pressure units)
    double pe = 0.0, temp = 0.0, volume = 0.0;
    mat<D> pressure = mat<D>::Zero();  ///< thermo pressure tensor (LAMMPS pxx ...)
    mat<D> cell = mat<D>::Zero();      ///< the cell h (lx = cell(0,0), xy = cell(0,1), ...)
    vec<D> origin = vec<D>::Zero();    ///< the cell origin (xlo, ylo[, zlo])
};

/// Observer: every `every` steps (and at the first and last step of a run) the
/// strain of component `c` relative to `reference` and the thermo stress.
template <int D>
class strain_log {
public:
    strain_log(std::int64_t every, rate_component c, const box<D>& reference)
        : every_(every), c_(c), ref_len_(reference.h()(c.reference_axis(), c.reference_axis())),
          ref_val_(reference.h()(c.i, c.j)) {}

    bool wants_virial(std::int64_t step) const { return due(step); }

    void observe(const dynamics::observation<D>& o) {
        begin_ = o.begin;
        end_ = o.end;
        if (!due(o.step)) return;
        if (!rows_.empty() && rows_.back().step == o.step) return;
        const auto t = o.thermo();
        strain_sample<D> s;
        s.step = o.step;
        s.time = o.time;
        s.strain = (o.sys.box.h()(c_.i, c_.j) - ref_val_) / ref_len_;
        s.pressure = t.pressure_tensor;
        s.stress = -t.pressure_tensor(c_.i, c_.j);
        s.pe = t.potential;
        s.temp = t.temperature;
        s.volume = t.volume;
        s.cell = o.sys.box.h();
        s.origin = o.sys.box.origin();
        rows_.push_back(s);
        if (on_row) on_row(s);
    }

    const std::vector<strain_sample<D>>& rows() const noexcept { return rows_; }
    std::function<void(const strain_sample<D>&)> on_row{};

private:
    bool due(std::int64_t step) const {
        return (every_ > 0 && step % every_ == 0) || step == begin_ || step == end_;
    }
    std::int64_t every_;
    rate_component c_;
    double ref_len_, ref_val_;
    std::int64_t begin_ = -1, end_ = -1;
    std::vector<strain_sample<D>> rows_;
};

}  // namespace amorph::protocol
