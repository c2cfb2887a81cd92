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
// Per type-pair radii: for pair potentials whose cutoffs differ by type pair
// (P::kernel().cutoff_sq(ti, tj)), the list is built with the radii
// r_ij = cut_ij + skin + margin (neighbor::pair_radii, as LAMMPS's per-type
// neighbor cutoffs). Valid because, with the list's own criterion met
// (smin(F) r_list - (m1 + m2) >= cut_max, F = h h_build^-1, m1 + m2 the two
// largest non-affine motions), a pair absent with |d0| >= r_ij is now at
// |d| >= smin(F) r_ij - (m1 + m2) >= cut_ij as long as
// smin(F) margin >= (smin(F) - 1)(cut_max - cut_min); the list is also rebuilt
// when the cell has expanded past that (always true without expansion).
// Option `prune`.
//
// Checkpointing: the cell and positions of the last rebuild are kept, so that
// save()/load() restore the very same list (the build is deterministic; load()
// leaves it to the next compute(), which has the atoms' types), and a
// resumed run evaluates bit-identical forces and rebuilds on the same steps;
// a k-space solver's g_ewald and mesh (fixed at its first evaluation) are
// saved and restored with them.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/neighbor/verlet_list.hpp"
#include "amorph/potential/compute.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/result.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace amorph::dynamics {

struct force_field_options {
    bool wrap = true;            ///< wrap atoms into the cell when the list is rebuilt
    bool prune = true;           ///< per type-pair list radii for pair potentials (see above)
    double prune_margin = 0.1;   ///< extra radius, as a fraction of the skin
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
        : pot_(std::move(pot)), list_(pot_.cutoff(), skin), fopt_(opt) {
        setup_pruning();
    }
    force_field(const force_field& o) : force_field(o.pot_, o.list_.skin(), o.fopt_) {}
    force_field& operator=(const force_field&) = delete;

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
    /// Whether the list is built with per type-pair radii.
    bool pruning() const noexcept { return pruning_; }
    /// Pairs in the list the force loop uses.
    std::size_t pair_count() const noexcept { return list_.pair_count(); }

    const potential::result<D>& compute(amorph::system<D>& sys) {
        if (pending_) {  // the list of a loaded checkpoint
            rebuild(pending_->first, pending_->second, sys.types);
            pending_.reset();
        }
        if (list_.size() != sys.size() || list_.needs_rebuild(sys.box, sys.positions) || expanded_too_far(sys.box)) {
            if (fopt_.wrap) sys.wrap_positions();
            rebuild(sys.box, sys.positions, sys.types);
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
    void invalidate() {
        list_ = list_type(pot_.cutoff(), list_.skin());
        pending_.reset();
    }

    void save(archive_writer& w) const {
        w.tag("force_field");
        if constexpr (requires { pot_.kspace_solver().resolved(); }) {
            // the k-space solver's g_ewald and mesh, fixed at its first evaluation
            const auto& st = pot_.kspace_solver().resolved();
            w.put(static_cast<bool>(st));
            if (st) {
                w.put(st->g_ewald);
                for (int n : st->mesh) w.put(n);
            }
        }
        if (pending_) {  // loaded and not yet rebuilt: the loaded reference
            w.put(true);
            w.put(pending_->first.h());
            w.put(pending_->first.origin());
            for (bool p : pending_->first.periodic()) w.put(p);
            w.put(pending_->second);
            return;
        }
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
        if constexpr (requires { pot_.kspace_solver().resolved(); }) {
            bool resolved = false;
            r.get(resolved);
            if (resolved) {
                typename std::remove_cvref_t<decltype(pot_.kspace_solver())>::state st;
                r.get(st.g_ewald);
                for (int& n : st.mesh) r.get(n);
                pot_.kspace_solver().restore(st);
            }
        }
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
        pending_.emplace(box<D>(h, o, per), std::move(x));  // rebuilt by the next compute(), with the atoms' types
    }

private:
    void setup_pruning() {
        if constexpr (requires(const P& p) {
                          p.kernel().cutoff_sq(0, 0);
                          p.num_types();
                      }) {
            if (!fopt_.prune) return;
            ntypes_ = pot_.num_types();
            const double margin = fopt_.prune_margin * list_.skin();
            prune_r2_.assign(static_cast<std::size_t>(ntypes_ * ntypes_), 0.0);
            cut_min_ = pot_.cutoff();
            for (int i = 0; i < ntypes_; ++i)
                for (int j = 0; j < ntypes_; ++j) {
                    const double c = std::sqrt(pot_.kernel().cutoff_sq(i, j));
                    cut_min_ = std::min(cut_min_, c);
                    const double r = c + list_.skin() + margin;
                    prune_r2_[static_cast<std::size_t>(i * ntypes_ + j)] = r * r;
                }
            margin_ = margin;
            // worth it only when some pair's radius is clearly shorter than the list radius
            pruning_ = cut_min_ + list_.skin() + margin < 0.95 * list_.list_radius();
        }
    }

    /// True when the cell expanded so much since the build that a trimmed
    /// list could miss a pair (see the header).
    bool expanded_too_far(const box<D>& b) const {
        if (!pruning_ || !built_ || b.h() == build_h_) return false;
        const mat<D> F = b.h() * build_h_.inverse();
        Eigen::SelfAdjointEigenSolver<mat<D>> eig;
        eig.computeDirect(F.transpose() * F, Eigen::EigenvaluesOnly);
        const double smin = std::sqrt(std::max(0.0, eig.eigenvalues()(0)));
        return !(smin * margin_ >= (smin - 1.0) * (pot_.cutoff() - cut_min_));
    }

    void rebuild(const box<D>& b, const coords<D>& x, const std::vector<int>& types) {
        if (pruning_) {
            if (types.size() != static_cast<std::size_t>(x.cols()))
                throw invalid_argument("force_field: positions and types have different sizes");
            potential::detail::check_types(types, ntypes_, "force_field");
            list_.build(b, x, neighbor::pair_radii{types.data(), prune_r2_.data(), ntypes_});
        } else {
            list_.build(b, x);
        }
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
    // per type-pair radii
    bool pruning_ = false;
    int ntypes_ = 0;
    double cut_min_ = 0.0, margin_ = 0.0;
    std::vector<double> prune_r2_;
    std::optional<std::pair<box<D>, coords<D>>> pending_;  ///< a loaded checkpoint's build reference
};

/// Deduction helper: make_force_field<D>(potential, skin).
template <int D, class P>
force_field<D, P> make_force_field(P pot, double skin, force_field_options opt = {}) {
    return force_field<D, P>(std::move(pot), skin, opt);
}

}  // namespace amorph::dynamics

#ifdef AMORPH_COMPILED
// The force fields of the run-time potentials and the drivers over
// any_force_field<D> are compiled in amorph::compiled: see their extern
// declarations (core/compiled.hpp) at the end of any_force_field.hpp.
#include "amorph/dynamics/any_force_field.hpp"
#endif
