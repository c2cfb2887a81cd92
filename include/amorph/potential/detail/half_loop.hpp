// amorph/potential/detail/half_loop.hpp — the pair force loop over a half
// neighbor list, shared by pair_potential (pair kernels) and eam (its second
// pass). For every entry (i, j, image): d = x_j - x_i + shift(image),
// r2 = |d|^2; `pair(i, j, r2, ti, tj, v)` returns false beyond the cutoff or
// fills v = {E, g} with g = -(dE/dr)/r; then
//     f_i -= g d,  f_j += g d,  energy += E,  W += g d (x) d,
// and E/2, g d (x) d / 2 go to each atom's per-atom energy / virial (LAMMPS's
// ev_tally). Chunked and deterministic (chunked.hpp).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/detail/chunked.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/result.hpp"

#include <cstddef>

namespace amorph::potential::detail {

template <int D, bool EA, bool VA, class List, class PairFn>
void half_pair_loop_impl(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out,
                         workspace& ws, const PairFn& pair) {
    constexpr int nv = voigt_size<D>;
    const std::size_t n = sys.size();
    const bool vg = opt.virial;
    const auto o = outputs_of(out, opt);
    const double* X = sys.positions.data();
    const double* S = nl.shifts().data();
    const int* T = sys.types.data();

    auto body = [&](std::size_t b, std::size_t e, const sink<3>& s, ev_sums<D>& acc) {
        double energy = 0.0;
        double w[nv] = {};
        for (std::size_t i = b; i < e; ++i) {
            const double* xi = X + i * D;
            const int ti = T[i];
            double fi[D] = {};
            double ei = 0.0;
            double wi[nv] = {};
            for (const auto& en : nl.neighbors(i)) {
                const std::size_t j = en.j;
                if (j < i) [[unlikely]]
                    throw invalid_argument("potential: the neighbor list is not a half list (j < i)");
                const double* xj = X + j * D;
                const double* sh = S + static_cast<std::size_t>(en.image) * D;
                double d[D];
                double r2 = 0.0;
                for (int a = 0; a < D; ++a) {
                    d[a] = xj[a] - xi[a] + sh[a];
                    r2 += d[a] * d[a];
                }
                pair_value pv;
                if (!pair(i, j, r2, ti, T[j], pv)) continue;
                const double g = pv.force_over_r;
                double* fj = s.at(0, j, D);
                for (int a = 0; a < D; ++a) {
                    const double fa = d[a] * g;
                    fi[a] -= fa;
                    fj[a] += fa;
                }
                energy += pv.energy;
                if constexpr (EA) {
                    ei += 0.5 * pv.energy;
                    s.at(1, j, 1)[0] += 0.5 * pv.energy;
                }
                if (vg || VA) {
                    double v[nv];
                    for (int m = 0; m < nv; ++m) v[m] = d[voigt_a<D>(m)] * d[voigt_b<D>(m)] * g;
                    if (vg)
                        for (int m = 0; m < nv; ++m) w[m] += v[m];
                    if constexpr (VA) {
                        double* wj = s.at(2, j, nv);
                        for (int m = 0; m < nv; ++m) {
                            wi[m] += 0.5 * v[m];
                            wj[m] += 0.5 * v[m];
                        }
                    }
                }
            }
            double* fo = s.at(0, i, D);
            for (int a = 0; a < D; ++a) fo[a] += fi[a];
            if constexpr (EA) s.at(1, i, 1)[0] += ei;
            if constexpr (VA) {
                double* wo = s.at(2, i, nv);
                for (int m = 0; m < nv; ++m) wo[m] += wi[m];
            }
        }
        acc.energy += energy;
        for (int m = 0; m < nv; ++m) acc.w[static_cast<std::size_t>(m)] += w[m];
    };
    const auto sums = run_chunks<3, ev_sums<D>>(n, ws.bounds, o.ptr, o.stride, true, ws, body);
    add_sums(out, sums, vg);
}

/// Dispatch on the per-atom outputs asked for. `ws.bounds` must hold the chunks.
template <int D, class List, class PairFn>
void half_pair_loop(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out,
                    workspace& ws, const PairFn& pair) {
    if (opt.energy_per_atom) {
        if (opt.virial_per_atom) half_pair_loop_impl<D, true, true>(sys, nl, opt, out, ws, pair);
        else half_pair_loop_impl<D, true, false>(sys, nl, opt, out, ws, pair);
    } else {
        if (opt.virial_per_atom) half_pair_loop_impl<D, false, true>(sys, nl, opt, out, ws, pair);
        else half_pair_loop_impl<D, false, false>(sys, nl, opt, out, ws, pair);
    }
}

/// Chunk bounds of a list: equal numbers of entries per chunk.
template <class List>
void list_chunks(const List& nl, std::size_t n, const compute_options& opt, workspace& ws) {
    const std::size_t chunks = opt.chunks ? opt.chunks : default_chunks(n);
    partition(n, chunks, [&](std::size_t i) { return nl.neighbors(i).size(); }, ws.bounds);
}

}  // namespace amorph::potential::detail
