// amorph/potential/charged_pair.hpp — a short-range pair kernel plus the
// Coulomb interaction of per-atom charges, with an optional k-space solver:
// LAMMPS's buck/coul/long, lj/cut/coul/long, coul/long (+ kspace_style ewald
// or pppm), buck/coul/cut, and hybrid/overlay of a short-range style with
// coul/dsf or coul/wolf.
//
//   E = sum_pairs [E_K(r_ij; t_i, t_j) + E_C(r_ij; q_i, q_j)] + sum_i E_self,C(q_i) + E_k-space
//
// with E_K the short-range kernel K (a pair_kernel: its own per-type-pair
// cutoffs and cutoff treatment; no_short_range for a bare Coulomb style),
// E_C the real-space Coulomb term of coulomb.hpp (one cutoff for every pair),
// E_self its self term (dsf, wolf), and E_k-space the kspace solver's
// reciprocal and self terms (kspace.hpp) when E_C is coul/long. One loop over
// a half list evaluates both pair terms (the loop of pair.hpp); per-atom
// energy and virial as LAMMPS's eatom / vatom.
//
// The charges are the system's (system::charges); every atom needs one, and a
// k-space solver needs a neutral cell (kspace_common.hpp). The Coulomb
// constant is the system's unit system's qqr2e.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/coulomb.hpp"
#include "amorph/potential/detail/chunked.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/detail/half_loop.hpp"
#include "amorph/potential/detail/kspace_common.hpp"
#include "amorph/potential/kspace.hpp"
#include "amorph/potential/pair.hpp"
#include "amorph/potential/result.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

namespace amorph::potential {

/// The pair kernel of a Coulomb-only style: no short-range term.
class no_short_range {
public:
    explicit no_short_range(int ntypes) : n_(ntypes) {}
    int num_types() const noexcept { return n_; }
    double cutoff_sq(int, int) const noexcept { return 0.0; }
    double max_cutoff() const noexcept { return 0.0; }
    pair_value evaluate(double, int, int) const noexcept { return {}; }
    pair_stiffness stiffness(double, int, int) const noexcept { return {}; }

private:
    int n_;
};
static_assert(pair_kernel<no_short_range>);

template <class K>
class charged_pair_potential {
    static_assert(pair_kernel<K>, "amorph::potential::charged_pair_potential<K>: K must be a pair_kernel");

public:
    using list_kind = neighbor::half_t;
    using kernel_type = K;

    charged_pair_potential(K short_range, coulomb_real coul, kspace ks = {})
        : k_(std::move(short_range)), coul_(coul), ks_(std::move(ks)) {
        if (ks_.active() && coul_.type() != coulomb_real::kind::long_range)
            throw invalid_argument("kspace_style " + ks_.name() + " needs a coul/long pair term (e.g. buck/coul/long)");
        if (!ks_.active() && coul_.type() == coulomb_real::kind::long_range)
            throw invalid_argument("pair style coul/long needs a kspace_style (ewald or pppm)");
    }

    double cutoff() const noexcept { return std::max(k_.max_cutoff(), coul_.cutoff()); }
    int num_types() const noexcept { return k_.num_types(); }
    const K& short_range() const noexcept { return k_; }
    const coulomb_real& coulomb() const noexcept { return coul_; }
    const kspace& kspace_solver() const noexcept { return ks_; }

    template <int D, class List>
    void accumulate(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out) const {
        static_assert(neighbor_list<List>, "charged_pair_potential: the list argument is not a neighbor list");
        static_assert(is_half_list<List>, "charged_pair_potential needs a half neighbor list");
        detail::check_inputs(sys, nl, cutoff(), num_types(), "charged_pair_potential");
        detail::charge_sums cs;
        coulomb_real c = coul_;
        if (ks_.active()) {
            cs = detail::kspace_charges(sys, [&] { return "pair style " + coul_.style() + " + kspace_style " + ks_.name(); });
            c.set_g_ewald(ks_.prepare(sys, cs, coul_.cutoff()));
        } else if (coul_.active()) {
            detail::require_charges(sys, [&] { return "pair style " + coul_.style(); });
        }
        detail::prepare(out, sys.size(), opt);
        {
            detail::workspace_lease ws;
            detail::list_chunks(nl, sys.size(), opt, *ws);
            const double* Q = coul_.active() ? sys.charges.data() : nullptr;
            const double k_e = sys.units->qqr2e;
            const double ccut = c.active() ? c.cutoff_sq() : 0.0;
            // Long: coul/long with LAMMPS's erfc (Ewald, PPPM) gets its own loop
            // without the per-pair dispatch on the Coulomb kind
            auto loop = [&](auto long_only) {
                constexpr bool Long = decltype(long_only)::value;
                struct row_fn {
                    const K& k;
                    const coulomb_real& c;
                    const double* Q;
                    double k_e, ccut;
                    auto row(std::size_t i, int ti) const noexcept {
                        struct adapter {
                            decltype(kernel_row(std::declval<const K&>(), 0)) sr;
                            const coulomb_real& c;
                            const double* Q;
                            double qi, ccut;
                            double cutsq(int tj) const noexcept { return std::max(sr.cutsq(tj), ccut); }
                            pair_value eval(std::size_t j, double r2, int tj) const noexcept {
                                pair_value v{};
                                if (r2 < sr.cutsq(tj)) v = sr.eval(j, r2, tj);
                                if (r2 < ccut) {
                                    const pair_value w = Long ? c.evaluate_long(qi * Q[j], r2) : c.evaluate(qi * Q[j], r2);
                                    v.energy += w.energy;
                                    v.force_over_r += w.force_over_r;
                                }
                                return v;
                            }
                        };
                        return adapter{kernel_row(k, ti), c, Q, Q ? k_e * Q[i] : 0.0, ccut};
                    }
                };
                detail::half_pair_loop(sys, nl, opt, out, *ws, row_fn{k_, c, Q, k_e, ccut});
            };
            if (c.type() == coulomb_real::kind::long_range && c.erfc() == erfc_method::lammps)
                loop(std::true_type{});
            else
                loop(std::false_type{});
        }
        if (c.type() == coulomb_real::kind::dsf || c.type() == coulomb_real::kind::wolf) {
            const double k_e = sys.units->qqr2e;
            double e = 0.0;
            for (std::size_t i = 0; i < sys.size(); ++i) {
                const double s = c.self_energy(k_e * sys.charges[i] * sys.charges[i]);
                e += s;
                if (opt.energy_per_atom) out.energy_per_atom[i] += s;
            }
            out.energy += e;
        }
        if (ks_.active()) ks_.accumulate(sys, cs, opt, out);
    }

private:
    K k_;
    coulomb_real coul_;
    kspace ks_;
};

}  // namespace amorph::potential
