// amorph/potential/cutoff.hpp — cutoff treatments: wrappers that turn a bare
// pair_function P (energy E(r), force F(r) = -dE/dr) into a pair_kernel.
//
//   truncated<P>       E_c(r) = E(r)                                  (LAMMPS lj/cut, buck)
//   shifted<P>         E_c(r) = E(r) - E(rc)                          (pair_modify shift yes)
//   shifted_force<P>   E_c(r) = E(r) - E(rc) + (r - rc) F(rc)         (lj/smooth/linear)
//                      F_c(r) = F(r) - F(rc)
// The stiffness (concepts.hpp, for the Hessian) passes through truncated and
// shifted; shifted_force adds the derivative of -F(rc)/r: h += F(rc) / r^3.
// each for r < rc (rc per species pair, from P::cutoff), zero beyond. The
// truncated energy jumps at rc; the shifted one is continuous but its force
// jumps; the shifted-force one has continuous energy and force (AQS/CG need
// one of the latter two, see shared/peers/lammps/BASELINES.md).
//
// LAMMPS computes E(rc) and F(rc) with closed formulas (e.g. lj/cut's offset
// 4 eps ((sigma/rc)^12 - (sigma/rc)^6)); here they come from P::raw(rc^2),
// which agrees to round-off (|delta| ~ 1e-16 |E(rc)|).
//
// pair_sum<A, B> adds two kernels, each with its own cutoffs, in one loop
// (e.g. a short-range term and a real-space Coulomb term later).
#pragma once

#include "amorph/potential/concepts.hpp"
#include "amorph/potential/pair_table.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace amorph::potential {

namespace detail {
template <class P>
double max_cutoff_of(const P& p) {
    double m = 0.0;
    for (int i = 0; i < p.num_types(); ++i)
        for (int j = 0; j < p.num_types(); ++j) m = std::max(m, p.cutoff(i, j));
    return m;
}
}  // namespace detail

/// Plain truncation at rc (LAMMPS lj/cut, buck).
template <class P>
class truncated {
    static_assert(pair_function<P>,
                  "amorph::potential::truncated<P>: P must be a pair_function "
                  "(num_types(), cutoff(ti, tj), raw(r2, ti, tj) -> pair_value)");

public:
    using base_type = P;
    explicit truncated(P base) : base_(std::move(base)), cutsq_(base_.num_types()) {
        for (int i = 0; i < base_.num_types(); ++i)
            for (int j = 0; j < base_.num_types(); ++j) cutsq_(i, j) = base_.cutoff(i, j) * base_.cutoff(i, j);
        max_cut_ = detail::max_cutoff_of(base_);
    }
    int num_types() const noexcept { return base_.num_types(); }
    double cutoff_sq(int ti, int tj) const noexcept { return cutsq_(ti, tj); }
    double max_cutoff() const noexcept { return max_cut_; }
    pair_value evaluate(double r2, int ti, int tj) const noexcept { return base_.raw(r2, ti, tj); }
    pair_stiffness stiffness(double r2, int ti, int tj) const noexcept
        requires requires(const P& p) { p.stiffness(r2, ti, tj); }
    {
        return base_.stiffness(r2, ti, tj);
    }
    const P& base() const noexcept { return base_; }

    /// Species ti against every tj, when the base function has rows.
    auto row(int ti) const noexcept
        requires requires(const P& p) { p.row(0); }
    {
        struct view {
            const double* cutsq;
            decltype(base_.row(0)) b;
            double cutoff_sq(int tj) const noexcept { return cutsq[tj]; }
            pair_value evaluate(double r2, int tj) const noexcept { return b.raw(r2, tj); }
        };
        return view{&cutsq_(ti, 0), base_.row(ti)};
    }

private:
    P base_;
    dense_pair_array<double> cutsq_;
    double max_cut_ = 0.0;
};

/// Energy shifted to zero at rc (LAMMPS pair_modify shift yes).
template <class P>
class shifted {
    static_assert(pair_function<P>,
                  "amorph::potential::shifted<P>: P must be a pair_function "
                  "(num_types(), cutoff(ti, tj), raw(r2, ti, tj) -> pair_value)");

public:
    using base_type = P;
    explicit shifted(P base) : base_(std::move(base)), t_(base_.num_types()) {
        for (int i = 0; i < base_.num_types(); ++i)
            for (int j = 0; j < base_.num_types(); ++j) {
                const double rc = base_.cutoff(i, j);
                t_(i, j) = {rc * rc, base_.raw(rc * rc, i, j).energy};
            }
        max_cut_ = detail::max_cutoff_of(base_);
    }
    int num_types() const noexcept { return base_.num_types(); }
    double cutoff_sq(int ti, int tj) const noexcept { return t_(ti, tj).cutsq; }
    double max_cutoff() const noexcept { return max_cut_; }
    pair_value evaluate(double r2, int ti, int tj) const noexcept {
        pair_value v = base_.raw(r2, ti, tj);
        v.energy -= t_(ti, tj).offset;
        return v;
    }
    pair_stiffness stiffness(double r2, int ti, int tj) const noexcept
        requires requires(const P& p) { p.stiffness(r2, ti, tj); }
    {
        return base_.stiffness(r2, ti, tj);
    }
    /// E(rc) for the pair (LAMMPS's `offset`).
    double offset(int ti, int tj) const noexcept { return t_(ti, tj).offset; }
    const P& base() const noexcept { return base_; }

    auto row(int ti) const noexcept
        requires requires(const P& p) { p.row(0); }
    {
        struct view {
            const entry* t;
            decltype(base_.row(0)) b;
            double cutoff_sq(int tj) const noexcept { return t[tj].cutsq; }
            pair_value evaluate(double r2, int tj) const noexcept {
                pair_value v = b.raw(r2, tj);
                v.energy -= t[tj].offset;
                return v;
            }
        };
        return view{&t_(ti, 0), base_.row(ti)};
    }

private:
    struct entry {
        double cutsq, offset;
    };
    P base_;
    dense_pair_array<entry> t_;
    double max_cut_ = 0.0;
};

/// Energy and force shifted to zero at rc (LAMMPS lj/smooth/linear).
template <class P>
class shifted_force {
    static_assert(pair_function<P>,
                  "amorph::potential::shifted_force<P>: P must be a pair_function "
                  "(num_types(), cutoff(ti, tj), raw(r2, ti, tj) -> pair_value)");

public:
    using base_type = P;
    explicit shifted_force(P base) : base_(std::move(base)), t_(base_.num_types()) {
        for (int i = 0; i < base_.num_types(); ++i)
            for (int j = 0; j < base_.num_types(); ++j) {
                const double rc = base_.cutoff(i, j);
                const pair_value at = base_.raw(rc * rc, i, j);
                t_(i, j) = {rc * rc, rc, at.energy, at.force_over_r * rc};
            }
        max_cut_ = detail::max_cutoff_of(base_);
    }
    int num_types() const noexcept { return base_.num_types(); }
    double cutoff_sq(int ti, int tj) const noexcept { return t_(ti, tj).cutsq; }
    double max_cutoff() const noexcept { return max_cut_; }
    pair_value evaluate(double r2, int ti, int tj) const noexcept {
        const entry& e = t_(ti, tj);
        pair_value v = base_.raw(r2, ti, tj);
        const double r = std::sqrt(r2);
        v.energy = v.energy - e.ec + (r - e.rc) * e.fc;
        v.force_over_r -= e.fc / r;
        return v;
    }
    /// g = g_P - fc / r, h = h_P + fc / r^3.
    pair_stiffness stiffness(double r2, int ti, int tj) const noexcept
        requires requires(const P& p) { p.stiffness(r2, ti, tj); }
    {
        const entry& e = t_(ti, tj);
        pair_stiffness s = base_.stiffness(r2, ti, tj);
        const double r = std::sqrt(r2);
        s.force_over_r -= e.fc / r;
        s.slope_over_r += e.fc / (r2 * r);
        return s;
    }
    const P& base() const noexcept { return base_; }

    auto row(int ti) const noexcept
        requires requires(const P& p) { p.row(0); }
    {
        struct view {
            const entry* t;
            decltype(base_.row(0)) b;
            double cutoff_sq(int tj) const noexcept { return t[tj].cutsq; }
            pair_value evaluate(double r2, int tj) const noexcept {
                const entry& e = t[tj];
                pair_value v = b.raw(r2, tj);
                const double r = std::sqrt(r2);
                v.energy = v.energy - e.ec + (r - e.rc) * e.fc;
                v.force_over_r -= e.fc / r;
                return v;
            }
        };
        return view{&t_(ti, 0), base_.row(ti)};
    }

private:
    struct entry {
        double cutsq, rc, ec, fc;
    };
    P base_;
    dense_pair_array<entry> t_;
    double max_cut_ = 0.0;
};

/// Sum of two pair kernels over the same types, evaluated in one loop; each
/// term keeps its own cutoffs.
template <class A, class B>
class pair_sum {
    static_assert(pair_kernel<A> && pair_kernel<B>,
                  "amorph::potential::pair_sum<A, B>: A and B must be pair_kernels (num_types(), "
                  "cutoff_sq(ti, tj), max_cutoff(), evaluate(r2, ti, tj) -> pair_value)");

public:
    pair_sum(A a, B b) : a_(std::move(a)), b_(std::move(b)), cutsq_(a_.num_types()) {
        if (a_.num_types() != b_.num_types())
            throw invalid_argument("pair_sum: the two terms have different numbers of types");
        for (int i = 0; i < num_types(); ++i)
            for (int j = 0; j < num_types(); ++j) cutsq_(i, j) = std::max(a_.cutoff_sq(i, j), b_.cutoff_sq(i, j));
    }
    int num_types() const noexcept { return a_.num_types(); }
    double cutoff_sq(int ti, int tj) const noexcept { return cutsq_(ti, tj); }
    double max_cutoff() const noexcept { return std::max(a_.max_cutoff(), b_.max_cutoff()); }
    pair_value evaluate(double r2, int ti, int tj) const noexcept {
        pair_value v{};
        if (r2 < a_.cutoff_sq(ti, tj)) v = a_.evaluate(r2, ti, tj);
        if (r2 < b_.cutoff_sq(ti, tj)) {
            const pair_value w = b_.evaluate(r2, ti, tj);
            v.energy += w.energy;
            v.force_over_r += w.force_over_r;
        }
        return v;
    }
    pair_stiffness stiffness(double r2, int ti, int tj) const noexcept
        requires pair_kernel_with_stiffness<A> && pair_kernel_with_stiffness<B>
    {
        pair_stiffness s{};
        if (r2 < a_.cutoff_sq(ti, tj)) s = a_.stiffness(r2, ti, tj);
        if (r2 < b_.cutoff_sq(ti, tj)) {
            const pair_stiffness w = b_.stiffness(r2, ti, tj);
            s.force_over_r += w.force_over_r;
            s.slope_over_r += w.slope_over_r;
        }
        return s;
    }
    const A& first() const noexcept { return a_; }
    const B& second() const noexcept { return b_; }

private:
    A a_;
    B b_;
    dense_pair_array<double> cutsq_;
};

}  // namespace amorph::potential
