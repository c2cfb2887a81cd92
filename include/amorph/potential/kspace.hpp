// amorph/potential/kspace.hpp — the k-space solver of a long-range Coulomb
// potential (LAMMPS's kspace_style), chosen at run time: ewald (ewald.hpp)
// or pppm (pppm.hpp).
//
//   kspace ks = kspace::pppm(1e-5);        // kspace_style pppm 1.0e-5
//   ks.set_order(5); ks.set_mesh({32, 32, 32}); ks.set_g_ewald(0.3);   // kspace_modify
//
// The splitting parameter g_ewald (and the PPPM mesh) are chosen as LAMMPS
// chooses them at `run` setup: from the accuracy, the number of atoms, the
// sum of q^2, the real-space cutoff and the cell of the first system the
// solver evaluates, and kept from then on (resolved() / restore() carry
// them across a checkpoint; reset() chooses again, e.g. for another system).
// The Ewald k-vectors and the PPPM influence function follow the cell at
// every evaluation, as LAMMPS's setup() does on a box change.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/potential/detail/kspace_common.hpp"
#include "amorph/potential/ewald.hpp"
#include "amorph/potential/pppm.hpp"
#include "amorph/potential/result.hpp"

#include <array>
#include <cmath>
#include <optional>
#include <string>

namespace amorph::potential {

class kspace {
public:
    enum class style { none, ewald, pppm };

    /// What was resolved at the first evaluation.
    struct state {
        double g_ewald = 0.0;
        std::array<int, 3> mesh{};
        friend bool operator==(const state&, const state&) = default;
    };

    kspace() = default;
    static kspace ewald(double accuracy_relative) { return kspace(style::ewald, accuracy_relative); }
    static kspace pppm(double accuracy_relative) { return kspace(style::pppm, accuracy_relative); }

    style type() const noexcept { return style_; }
    bool active() const noexcept { return style_ != style::none; }
    std::string name() const { return style_ == style::ewald ? "ewald" : style_ == style::pppm ? "pppm" : "none"; }
    double accuracy_relative() const noexcept { return accuracy_; }

    /// kspace_modify gewald G (0: chosen from the accuracy).
    void set_g_ewald(double g) {
        if (!(g >= 0.0) || !std::isfinite(g)) throw invalid_argument("kspace_modify gewald: must be >= 0");
        g_fixed_ = g;
        state_.reset();
    }
    /// kspace_modify mesh NX NY NZ (PPPM; zeros: chosen from the accuracy).
    void set_mesh(std::array<int, 3> n) {
        if (style_ != style::pppm) throw invalid_argument("kspace_modify mesh: only for kspace_style pppm");
        for (int v : n)
            if (v < 0) throw invalid_argument("kspace_modify mesh: sizes must be >= 0");
        mesh_ = n;
        state_.reset();
    }
    /// kspace_modify order P (PPPM, 2..7; LAMMPS's default 5).
    void set_order(int p) {
        if (style_ != style::pppm) throw invalid_argument("kspace_modify order: only for kspace_style pppm");
        pppm_ = pppm_solver(p);
        state_.reset();
    }
    int order() const noexcept { return pppm_.order(); }

    /// g_ewald and the mesh, once resolved (empty before the first evaluation).
    const std::optional<state>& resolved() const noexcept { return state_; }
    /// Use these instead of resolving them at the next evaluation (checkpoints).
    void restore(const state& s) const { state_ = s; }
    /// Choose g_ewald and the mesh again at the next evaluation (for a system
    /// other than the one the solver first saw, as LAMMPS re-initialises at
    /// each `run`).
    void reset() const { state_.reset(); }

    /// Resolve (once) and return g_ewald for this system and real-space cutoff.
    template <int D>
    double prepare(const amorph::system<D>& sys, const detail::charge_sums& cs, double cutoff) const {
        if constexpr (D != 3) {
            throw unsupported("kspace_style " + name() + ": 3D systems only (as LAMMPS)");
        } else {
            if (state_) return state_->g_ewald;
            const double accuracy = accuracy_ * sys.units->qqr2e;
            const double q2 = cs.qsqsum * sys.units->qqr2e;
            state s;
            if (style_ == style::ewald) {
                s.g_ewald = g_fixed_ > 0.0 ? g_fixed_ : ewald_sum::estimate_g_ewald(accuracy, q2, cs.n, cutoff, sys.box.h());
            } else {
                const auto m = pppm_.choose(accuracy, q2, cs.n, cutoff, sys.box.h(), mesh_, g_fixed_);
                s.g_ewald = m.g_ewald;
                s.mesh = m.n;
            }
            state_ = s;
            return s.g_ewald;
        }
    }

    /// Add the reciprocal-space and self terms (after prepare()).
    template <int D>
    void accumulate(const amorph::system<D>& sys, const detail::charge_sums& cs, const compute_options& opt,
                    result<D>& out) const {
        if (!state_) throw invalid_argument("kspace: accumulate() before prepare()");
        if (style_ == style::ewald)
            ewald_sum::accumulate(sys, state_->g_ewald, accuracy_ * sys.units->qqr2e, cs, opt, out);
        else if (style_ == style::pppm)
            pppm_.accumulate(sys, pppm_solver::mesh_choice{state_->mesh, state_->g_ewald}, cs, opt, out);
    }

private:
    kspace(style s, double acc) : style_(s), accuracy_(std::abs(acc)) {
        if (!(accuracy_ > 0.0) || !std::isfinite(accuracy_))
            throw invalid_argument("kspace_style " + name() + ": the accuracy must be a positive number");
    }

    style style_ = style::none;
    double accuracy_ = 0.0;
    double g_fixed_ = 0.0;
    std::array<int, 3> mesh_{};
    pppm_solver pppm_{};
    mutable std::optional<state> state_;
};

}  // namespace amorph::potential
