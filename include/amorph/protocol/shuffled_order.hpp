// amorph/protocol/shuffled_order.hpp — the "upper bound" experiment of
// thesis 5.7.6: how reproducible are the top-f D2min labels of an AQS run?
//
// shuffled_order_agreement(start, make_ff, minimizer, loading, aqs options,
// cutoff, f, seed): the same AQS (protocol/aqs.hpp) is run twice, the second
// time with the atoms stored in a random order (seeded); round-off then
// differs, and past instabilities the two trajectories can take different
// paths. D2min (start -> final strain, analysis/d2min.hpp) of both runs gives
// top-f labels (analysis/labels.hpp, matched by id); the agreement
//     A = |top_f(a) & top_f(b)| / |top_f(a)|
// is the accuracy any structural predictor can hope to reach.
#pragma once

#include "amorph/analysis/d2min.hpp"
#include "amorph/analysis/labels.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/minimize.hpp"
#include "amorph/protocol/aqs.hpp"
#include "amorph/protocol/deformation.hpp"

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace amorph::protocol {

/// Result of the shuffled-order experiment.
struct shuffle_agreement {
    double agreement = 0.0;              ///< |top_f(a) & top_f(b)| / |top_f(a)|
    std::vector<std::int64_t> ids;       ///< atom ids (order of the input system)
    std::vector<double> d2min_original, d2min_shuffled;  ///< start -> strain, by ids
    std::size_t top_count = 0;
};

/// Run the same AQS on sys and on a copy with its atoms in a random order
/// (seed), compute D2min (cutoff) from the start to the final strain, and
/// compare the top-`fraction` labels (thesis 5.7.6). `make_ff` returns a fresh
/// force provider; the input system is not modified.
template <int D, class MakeFF, class M>
    requires dynamics::minimizer<M, D, std::invoke_result_t<MakeFF&>>
shuffle_agreement shuffled_order_agreement(const amorph::system<D>& start, MakeFF make_ff, const M& minimizer,
                                           const deformation<D>& def, aqs_options<D> opt, double cutoff,
                                           double fraction, std::uint64_t seed) {
    opt.checkpoint.clear();
    opt.on_save = {};
    auto run = [&](amorph::system<D> s) {
        auto ff = make_ff();
        if (opt.relax_start) {
            dynamics::minimize(s, ff, minimizer, opt.minimize);
        }
        const amorph::system<D> ref = s;
        auto o = opt;
        o.relax_start = false;
        aqs(s, ff, minimizer, def, o);
        return analysis::atomic_strain(ref, s, analysis::d2min_options{cutoff, false});
    };
    const auto a = run(start);
    amorph::system<D> shuffled = start;
    std::vector<std::size_t> order(shuffled.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::mt19937_64 rng(seed);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<std::size_t>(rng() % i)]);
    shuffled.permute(order);
    const auto b = run(shuffled);

    shuffle_agreement out;
    out.ids = start.ids;
    const auto ia = [&] {
        std::unordered_map<std::int64_t, std::size_t> m;
        for (std::size_t k = 0; k < a.ids.size(); ++k) m[a.ids[k]] = k;
        return m;
    }();
    const auto ib = [&] {
        std::unordered_map<std::int64_t, std::size_t> m;
        for (std::size_t k = 0; k < b.ids.size(); ++k) m[b.ids[k]] = k;
        return m;
    }();
    std::vector<char> va(start.size()), vb(start.size());
    out.d2min_original.resize(start.size());
    out.d2min_shuffled.resize(start.size());
    for (std::size_t k = 0; k < start.size(); ++k) {
        const std::size_t p = ia.at(start.ids[k]), q = ib.at(start.ids[k]);
        out.d2min_original[k] = a.d2min[p];
        out.d2min_shuffled[k] = b.d2min[q];
        va[k] = a.valid[p];
        vb[k] = b.valid[q];
    }
    const auto la = analysis::top_fraction_labels(out.d2min_original, va, fraction, seed, 0.0);
    const auto lb = analysis::top_fraction_labels(out.d2min_shuffled, vb, fraction, seed, 0.0);
    out.top_count = la.size();
    out.agreement = analysis::top_label_agreement(la, lb);
    return out;
}

}  // namespace amorph::protocol
