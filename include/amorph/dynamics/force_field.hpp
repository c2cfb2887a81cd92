// amorph/dynamics/force_field.hpp — the force provider integrators and
// minimizers use: a potential plus its Verlet list with a skin.
//
// compute(sys):
//   * if the list is stale for (sys.box, sys.positions) (the deformation-aware
//     criterion of neighbor::verlet_list, i.e. LAMMPS's `neigh_modify every 1
//     delay 0 check yes`), wrap the atoms into the cell (accumulating image
//     flags, as LAMMPS's pbc() does on reneighboring; option `wrap`) and
//     rebuild; else, when the cell changed since the last call, refresh the
//     list's periodic shifts for the new cell;
//   * evaluate energy, forces and what options() asks for (virial by default)
//     into a result kept here (no allocation per call), and copy the forces
//     into sys.forces.
// Results are bitwise independent of the number of threads (the potential
// layer's chunked reductions).
//
// Checkpointing: the cell and positions of the last rebuild are kept, so that
// save()/load() restore the very same list (the build is deterministic), and a
// resumed run evaluates bit-identical forces and rebuilds on the same steps.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/neighbor/verlet_list.hpp"
#include "amorph/potential/compute.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/result.hpp"

#include <cmath>
#include <cstddef>
#include <utility>

namespace amorph::dynamics {

struct force_field_options {
    bool wrap = true;  ///< wrap atoms into the cell when the list is rebuilt
};

template <int D, class P>
    requires supported_dimension<D> && potential::potential<P>
class force_field {
public:
    static constexpr int dim = D;
    using potential_type = P;
    using list_type = neighbor::verlet_list<D, typename P::list_kind>;

    /// `skin` as LAMMPS's `neighbor SKIN bin` (list radius = cutoff + skin).
    force_field(P pot, double skin, force_field_options opt = {})
        : pot_(std::move(pot)), list_(pot_.cutoff(), skin), fopt_(opt) {}

    const P& potential() const noexcept { return pot_; }
    const list_type& list() const noexcept { return list_; }
    double skin() const noexcept { return list_.skin(); }
    bool wrap() const noexcept { return fopt_.wrap; }
    void set_wrap(bool w) noexcept { fopt_.wrap = w; }

    potential::compute_options& options() noexcept { return opt_; }
    const potential::compute_options& options() const noexcept { return opt_; }

    const potential::result<D>& last() const noexcept { return res_; }
    /// Number of compute() calls and of list builds so far.
    std::size_t evaluations() const noexcept { return evals_; }
    std::size_t builds() const noexcept { return list_.build_count(); }

    const potential::result<D>& compute(amorph::system<D>& sys) {
        if (list_.size() != sys.size() || list_.needs_rebuild(sys.box, sys.positions)) {
            if (fopt_.wrap) sys.wrap_positions();
            rebuild(sys.box, sys.positions);
        } else if (sys.box.h() != shifts_h_) {
            list_.update(sys.box, sys.positions);  // refreshes the shifts (no rebuild: checked above)
            shifts_h_ = sys.box.h();
        }
        res_.reset(sys.size(), opt_);
        potential::accumulate(pot_, sys, list_, opt_, res_);
        if (static_cast<std::size_t>(sys.forces.cols()) != sys.size()) sys.forces.resize(D, res_.forces.cols());
        sys.forces = res_.forces;
        ++evals_;
        return res_;
    }

    /// Force the next compute() to rebuild the list.
    void invalidate() { list_ = list_type(pot_.cutoff(), list_.skin()); }

    void save(archive_writer& w) const {
        w.tag("force_field");
        w.put(built_);
        if (!built_) return;
        w.put(build_h_);
        w.put(build_o_);
        for (bool p : build_periodic_) w.put(p);
        w.put(build_x_);
    }

    /// Restore the list of the saved run (rebuilt from the saved reference).
    void load(archive_reader& r) {
        r.tag("force_field");
        bool built = false;
        r.get(built);
        invalidate();
        built_ = false;
        if (!built) return;
        mat<D> h;
        vec<D> o;
        typename box<D>::flags_t per{};
        coords<D> x;
        r.get(h);
        r.get(o);
        for (auto& p : per) {
            bool b;
            r.get(b);
            p = b;
        }
        r.get(x);
        rebuild(box<D>(h, o, per), x);
    }

private:
    void rebuild(const box<D>& b, const coords<D>& x) {
        list_.build(b, x);
        built_ = true;
        build_h_ = b.h();
        build_o_ = b.origin();
        build_periodic_ = b.periodic();
        build_x_ = x;
        shifts_h_ = b.h();
    }

    P pot_;
    list_type list_;
    force_field_options fopt_;
    potential::compute_options opt_{};
    potential::result<D> res_;
    std::size_t evals_ = 0;
    bool built_ = false;
    mat<D> build_h_ = mat<D>::Zero();
    vec<D> build_o_ = vec<D>::Zero();
    typename box<D>::flags_t build_periodic_{};
    coords<D> build_x_;
    mat<D> shifts_h_ = mat<D>::Zero();
};

/// Deduction helper: make_force_field<D>(potential, skin).
template <int D, class P>
force_field<D, P> make_force_field(P pot, double skin, force_field_options opt = {}) {
    return force_field<D, P>(std::move(pot), skin, opt);
}

}  // namespace amorph::dynamics
