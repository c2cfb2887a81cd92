// amorph/protocol/deform_md.hpp — deformation with molecular dynamics:
// a constant engineering strain rate (alumina loading 1) and stepwise strain +
// minimization + NVT hold + stress sampling (alumina loading 2).
//
// (a) Constant rate: deforming<D, I> wraps any integrator I (velocity_verlet,
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
//
// (b) Stepwise: stepwise_strain(sys, ff, minimizer, deformation, integrator,
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
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/box_relax.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/minimize.hpp"
#include "amorph/dynamics/nose_hoover.hpp"
#include "amorph/dynamics/observer.hpp"
#include "amorph/dynamics/run.hpp"
#include "amorph/protocol/aqs.hpp"
#include "amorph/protocol/deformation.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
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

namespace detail {

/// LAMMPS Domain::x2lamda with `hinv`, `lo`, then lamda2x with `h`, `lo_new`.
template <int D>
void lammps_remap(coords<D>& x, const mat<D>& hinv, const vec<D>& lo, const mat<D>& h, const vec<D>& lo_new) {
    for (Eigen::Index n = 0; n < x.cols(); ++n) {
        const vec<D> d = x.col(n) - lo;
        vec<D> lam;
        for (int r = 0; r < D; ++r) {
            double acc = hinv(r, r) * d(r);
            for (int c = r + 1; c < D; ++c) acc += hinv(r, c) * d(c);
            lam(r) = acc;
        }
        for (int r = 0; r < D; ++r) {
            double acc = h(r, r) * lam(r);
            for (int c = r + 1; c < D; ++c) acc += h(r, c) * lam(c);
            x(r, n) = acc + lo_new(r);
        }
    }
}

/// LAMMPS's h_inv of an upper-triangular h (Domain::set_global_box).
template <int D>
mat<D> lammps_h_inv(const mat<D>& h) {
    mat<D> hi = mat<D>::Zero();
    for (int a = 0; a < D; ++a) hi(a, a) = 1.0 / h(a, a);
    if constexpr (D == 2) {
        hi(0, 1) = -h(0, 1) / (h(0, 0) * h(1, 1));
    } else {
        hi(1, 2) = -h(1, 2) / (h(1, 1) * h(2, 2));
        hi(0, 2) = (h(1, 2) * h(0, 1) - h(1, 1) * h(0, 2)) / (h(0, 0) * h(1, 1) * h(2, 2));
        hi(0, 1) = -h(0, 1) / (h(0, 0) * h(1, 1));
    }
    return hi;
}

}  // namespace detail

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
        detail::lammps_remap<D>(sys.positions, detail::lammps_h_inv<D>(h), lo, hn, lon);
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

// ---------------------------------------------------------------- stepwise

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
    requires dynamics::integrator<I, D, F>
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
