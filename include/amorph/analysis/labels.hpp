// amorph/analysis/labels.hpp — training labels for the softness classifiers.
//
// p_hop events (alumina, Methods; Schoenholz et al. 2016). p_hop_events takes
// the rows of a p_hop_stream in frame order and keeps
//   rearranging samples: (atom, frame t) where p_hop has a local maximum in
//       time above the threshold (default 0.2 A^2):
//           p(t) > threshold,  p(t) >= p(t-1),  p(t) > p(t+1)
//       (the first and last frames of the series, lacking a neighbor, never
//       hold a peak); with min_separation = m > 0, two peaks of one atom
//       closer than m frames count once (the higher one is kept);
//   non-rearranging candidates: (atom, frame) with p(t) < quiet threshold
//       (default 0.05 A^2), of which a uniform random subset of at most
//       `reservoir` is kept (reservoir sampling, algorithm R, seeded), so
//       memory stays bounded for long trajectories.
// balanced_hop_samples() then returns as many non-rearranging samples as
// rearranging ones (drawn without replacement, seeded; if either set is
// smaller the other is subsampled to match), labelled 1 and 0.
//
// Top-fraction labels (thesis ch. 5: top f_thres of D2min at a strain,
// balanced with random others): the round(f_thres N) atoms (at least 1) with the
// largest value (ties: lower index first) get label 1; round(ratio n_1) atoms
// drawn uniformly without replacement from the others get label 0.
//
// All samples are returned sorted by (frame, atom). Randomness: std::mt19937_64
// with index = engine() mod range, so the same seed gives the same samples on
// every platform. To keep one atom out of both training and test sets, split
// with learn::group_split using the atom ids as groups.
#pragma once

#include "amorph/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace amorph::analysis {

/// One labelled (atom, frame) sample; `atom` indexes the atom order of the
/// source (p_hop_stream::ids() or the caller's per-atom array).
struct labelled_sample {
    std::size_t atom = 0;
    std::size_t frame = 0;
    int label = 0;       ///< 1 rearranging / top fraction, 0 other
    double value = 0;    ///< p_hop or the ranked quantity
    friend bool operator==(const labelled_sample&, const labelled_sample&) = default;
};

struct p_hop_event_options {
    double rearranging = 0.2;         ///< peak threshold (A^2)
    double quiet = 0.05;              ///< non-rearranging threshold (A^2)
    std::size_t min_separation = 0;   ///< frames; 0: every peak counts
    std::size_t reservoir = std::size_t{1} << 20;
    std::uint64_t seed = 1;
};

namespace detail {
inline void sort_samples(std::vector<labelled_sample>& s) {
    std::sort(s.begin(), s.end(), [](const labelled_sample& a, const labelled_sample& b) {
        return a.frame != b.frame ? a.frame < b.frame : a.atom < b.atom;
    });
}

/// k distinct indices of [0, n), uniformly, by a partial Fisher-Yates shuffle.
inline std::vector<std::size_t> choose(std::size_t n, std::size_t k, std::mt19937_64& rng) {
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    k = std::min(k, n);
    for (std::size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + static_cast<std::size_t>(rng() % (n - i))]);
    idx.resize(k);
    return idx;
}
}  // namespace detail

/// Streaming collector of rearranging / non-rearranging samples.
class p_hop_events {
public:
    explicit p_hop_events(p_hop_event_options o = {}) : o_(o), rng_(o.seed) {
        if (!(o_.quiet <= o_.rearranging)) throw invalid_argument("p_hop events: quiet threshold above the peak threshold");
        if (o_.reservoir == 0) throw invalid_argument("p_hop events: reservoir must hold at least one sample");
    }

    /// Add the p_hop of every atom at `frame`; frames must be consecutive.
    void add(std::size_t frame, std::span<const double> p) {
        if (rows_ == 0) {
            n_ = p.size();
            last_kept_.assign(n_, none);
        } else {
            if (p.size() != n_) throw invalid_argument("p_hop events: the number of atoms changed");
            if (frame != frame_ + 1) throw invalid_argument("p_hop events: frames must be consecutive");
        }
        // peaks at frame - 1
        if (rows_ >= 2)
            for (std::size_t i = 0; i < n_; ++i) {
                const double c = prev_[i];
                if (c > o_.rearranging && c >= prev2_[i] && c > p[i]) add_peak(i, frame - 1, c);
            }
        // quiet candidates at frame
        for (std::size_t i = 0; i < n_; ++i) {
            if (!(p[i] < o_.quiet)) continue;
            ++quiet_seen_;
            const labelled_sample s{i, frame, 0, p[i]};
            if (reservoir_.size() < o_.reservoir) reservoir_.push_back(s);
            else {
                const auto j = static_cast<std::size_t>(rng_() % quiet_seen_);
                if (j < o_.reservoir) reservoir_[j] = s;
            }
        }
        prev2_.swap(prev_);
        prev_.assign(p.begin(), p.end());
        frame_ = frame;
        ++rows_;
    }

    /// Rearranging samples found so far (label 1), in discovery order.
    const std::vector<labelled_sample>& rearranging() const noexcept { return events_; }
    /// Number of (atom, frame) pairs below the quiet threshold seen so far.
    std::size_t quiet_seen() const noexcept { return quiet_seen_; }
    /// The uniform random subset of them kept.
    const std::vector<labelled_sample>& quiet_reservoir() const noexcept { return reservoir_; }

private:
    static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

    void add_peak(std::size_t atom, std::size_t frame, double value) {
        const std::size_t k = last_kept_[atom];
        if (o_.min_separation > 0 && k != none && frame - events_[k].frame < o_.min_separation) {
            if (value > events_[k].value) events_[k] = {atom, frame, 1, value};
            return;
        }
        last_kept_[atom] = events_.size();
        events_.push_back({atom, frame, 1, value});
    }

    p_hop_event_options o_;
    std::mt19937_64 rng_;
    std::size_t n_ = 0, rows_ = 0, frame_ = 0, quiet_seen_ = 0;
    std::vector<double> prev_, prev2_;
    std::vector<std::size_t> last_kept_;
    std::vector<labelled_sample> events_, reservoir_;
};

/// Equal numbers of rearranging (1) and non-rearranging (0) samples, sorted
/// by (frame, atom); at most max_per_class of each.
inline std::vector<labelled_sample> balanced_hop_samples(const p_hop_events& ev, std::uint64_t seed,
                                                         std::size_t max_per_class = std::numeric_limits<std::size_t>::max()) {
    const auto& pos = ev.rearranging();
    const auto& neg = ev.quiet_reservoir();
    const std::size_t n = std::min({pos.size(), neg.size(), max_per_class});
    std::mt19937_64 rng(seed);
    std::vector<labelled_sample> out;
    out.reserve(2 * n);
    for (std::size_t k : detail::choose(pos.size(), n, rng)) out.push_back(pos[k]);
    for (std::size_t k : detail::choose(neg.size(), n, rng)) out.push_back(neg[k]);
    detail::sort_samples(out);
    return out;
}

/// Label the top fraction f of `values` 1 and round(ratio x their number)
/// random others 0 (frame = 0), sorted by atom.
inline std::vector<labelled_sample> top_fraction_labels(std::span<const double> values, double fraction,
                                                        std::uint64_t seed, double negatives_per_positive = 1.0) {
    const std::size_t n = values.size();
    if (n == 0) throw invalid_argument("top-fraction labels: no values");
    if (!(fraction > 0 && fraction < 1)) throw invalid_argument("top-fraction labels: fraction must be in (0, 1)");
    if (!(negatives_per_positive >= 0) || !std::isfinite(negatives_per_positive))
        throw invalid_argument("top-fraction labels: negatives per positive must be >= 0");
    for (double v : values)
        if (std::isnan(v)) throw invalid_argument("top-fraction labels: NaN value");
    const auto npos = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n))));
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
    std::vector<labelled_sample> out;
    for (std::size_t k = 0; k < npos; ++k) out.push_back({order[k], 0, 1, values[order[k]]});
    const std::size_t rest = n - npos;
    const auto nneg = static_cast<std::size_t>(std::llround(negatives_per_positive * static_cast<double>(npos)));
    std::mt19937_64 rng(seed);
    for (std::size_t k : detail::choose(rest, nneg, rng)) {
        const std::size_t a = order[npos + k];
        out.push_back({a, 0, 0, values[a]});
    }
    detail::sort_samples(out);
    return out;
}

/// top_fraction_labels over the atoms with valid[k] != 0 only (e.g. D2min
/// flagged invalid: fewer than D neighbors); invalid atoms get no label, the
/// fraction is of the valid atoms; `atom` indexes the full array.
inline std::vector<labelled_sample> top_fraction_labels(std::span<const double> values, std::span<const char> valid,
                                                        double fraction, std::uint64_t seed,
                                                        double negatives_per_positive = 1.0) {
    if (valid.size() != values.size()) throw invalid_argument("top-fraction labels: values and validity flags differ in size");
    std::vector<std::size_t> keep;
    std::vector<double> sub;
    for (std::size_t k = 0; k < values.size(); ++k)
        if (valid[k]) {
            keep.push_back(k);
            sub.push_back(values[k]);
        }
    auto out = top_fraction_labels(std::span<const double>(sub), fraction, seed, negatives_per_positive);
    for (auto& s : out) s.atom = keep[s.atom];
    return out;  // keep is increasing: still sorted by atom
}

/// Fraction of the label-1 atoms of `a` that are also label 1 in `b` (the
/// thesis' upper-bound agreement of top-f labels, section 5.7.6).
inline double top_label_agreement(const std::vector<labelled_sample>& a, const std::vector<labelled_sample>& b) {
    std::vector<std::size_t> pa, pb;
    for (const auto& s : a)
        if (s.label == 1) pa.push_back(s.atom);
    for (const auto& s : b)
        if (s.label == 1) pb.push_back(s.atom);
    if (pa.empty()) return 0.0;
    std::sort(pa.begin(), pa.end());
    std::sort(pb.begin(), pb.end());
    std::vector<std::size_t> both;
    std::set_intersection(pa.begin(), pa.end(), pb.begin(), pb.end(), std::back_inserter(both));
    return static_cast<double>(both.size()) / static_cast<double>(pa.size());
}

}  // namespace amorph::analysis
