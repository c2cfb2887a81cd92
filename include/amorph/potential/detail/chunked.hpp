// amorph/potential/detail/chunked.hpp — deterministic parallel scatter-accumulation.
//
// The force loops run over atoms i and add contributions to i and to other
// atoms (j of a half list, j and k of a three-body term). To run them in
// parallel and still get bitwise the same answer for any number of threads:
//
//   1. the atoms [0, N) are cut into C contiguous chunks of about equal work
//      (a weight per atom, e.g. its number of list entries); the cut depends
//      only on the weights and C, never on the threads;
//   2. each chunk runs sequentially and adds into its own arrays: chunk 0
//      straight into the output arrays, chunk c > 0 into private zeroed
//      buffers that cover the atoms [lo_c, N) it can touch (lo_c = its first
//      atom for half lists, where j >= i, and 0 otherwise);
//   3. the buffers are added to the outputs atom by atom in chunk order
//      1, 2, ..., C-1, and the per-chunk scalars (energy, virial) are summed
//      in chunk order.
//
// Every floating-point sum therefore has a fixed order. The price is zeroing
// and reducing the buffers, O(C N) memory traffic, small next to the pair work
// for the default C (see default_chunks).
//
// Workspaces (the chunk buffers) come from a small mutex-protected pool, so
// concurrent or nested evaluations never share one.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace amorph::potential::detail {

/// Where one chunk writes: F arrays of per-atom values (atom-major, the
/// strides are known to the caller), addressed relative to `offset`.
template <std::size_t F>
struct sink {
    std::array<double*, F> p{};
    std::size_t offset = 0;

    double* at(std::size_t field, std::size_t atom, std::size_t stride) const noexcept {
        return p[field] + (atom - offset) * stride;
    }
};

/// Buffers of one evaluation; pooled.
struct workspace {
    std::vector<std::vector<double>> buffers;
    std::vector<std::size_t> bounds;
    std::vector<double> scratch;
};

class workspace_pool {
public:
    std::unique_ptr<workspace> acquire() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (free_.empty()) return std::make_unique<workspace>();
        auto w = std::move(free_.back());
        free_.pop_back();
        return w;
    }
    void release(std::unique_ptr<workspace> w) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (free_.size() < 16) free_.push_back(std::move(w));
    }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<workspace>> free_;
};

inline workspace_pool& global_pool() {
    static workspace_pool pool;
    return pool;
}

/// RAII handle on a pooled workspace.
class workspace_lease {
public:
    workspace_lease() : w_(global_pool().acquire()) {}
    ~workspace_lease() { global_pool().release(std::move(w_)); }
    workspace_lease(const workspace_lease&) = delete;
    workspace_lease& operator=(const workspace_lease&) = delete;
    workspace& operator*() const { return *w_; }
    workspace* operator->() const { return w_.get(); }

private:
    std::unique_ptr<workspace> w_;
};

/// Default chunk count (a function of N only): 1 below 2048 atoms, else an
/// even number, 2 per 8192 atoms, at most 8 (2, 4 or 8 threads get equal
/// shares; each extra chunk costs a buffer to zero and reduce, ~1-2 % of an
/// LJ evaluation).
inline std::size_t default_chunks(std::size_t n) {
    if (n < 2048) return 1;
    return std::clamp<std::size_t>(2 * ((n + 8191) / 8192), 2, 8);
}

/// Cut [0, n) into `chunks` contiguous ranges of about equal total weight
/// (weight(i) >= 0, plus 1 per atom); bounds has chunks + 1 entries.
template <class Weight>
void partition(std::size_t n, std::size_t chunks, Weight&& weight, std::vector<std::size_t>& bounds) {
    chunks = std::max<std::size_t>(1, std::min(chunks, std::max<std::size_t>(n, 1)));
    bounds.assign(chunks + 1, n);
    bounds[0] = 0;
    if (chunks == 1) return;
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) total += 1.0 + static_cast<double>(weight(i));
    std::size_t c = 1;
    double acc = 0.0;
    for (std::size_t i = 0; i < n && c < chunks; ++i) {
        acc += 1.0 + static_cast<double>(weight(i));
        while (c < chunks && acc >= total * static_cast<double>(c) / static_cast<double>(chunks)) bounds[c++] = i + 1;
    }
}

/// partition() from the prefix sums P(k) = sum_{i < k} (1 + weight(i))
/// (P(0) = 0, increasing, exact integers in doubles): bounds[c] is the
/// smallest k >= 1 with P(k) >= P(n) c / chunks, partition()'s cut, found by
/// binary search.
template <class Prefix>
void partition_prefix(std::size_t n, std::size_t chunks, Prefix&& prefix, std::vector<std::size_t>& bounds) {
    chunks = std::max<std::size_t>(1, std::min(chunks, std::max<std::size_t>(n, 1)));
    bounds.assign(chunks + 1, n);
    bounds[0] = 0;
    if (chunks == 1) return;
    const double total = prefix(n);
    std::size_t lo = 1;
    for (std::size_t c = 1; c < chunks; ++c) {
        const double cut = total * static_cast<double>(c) / static_cast<double>(chunks);
        std::size_t a = lo, b = n;  // smallest k in [a, n] with prefix(k) >= cut (prefix(n) = total >= cut)
        while (a < b) {
            const std::size_t mid = a + (b - a) / 2;
            if (prefix(mid) >= cut) b = mid;
            else a = mid + 1;
        }
        bounds[c] = a;
        lo = a;
    }
}

/// Run body(begin, end, sink<F>&, Scalars&) over the chunks in `bounds`, in
/// parallel, and reduce deterministically. `out[f]` are the output arrays (n *
/// stride[f] doubles, already holding values to add to); `lower_is_begin`:
/// a chunk only touches atoms >= its first atom (half lists). Scalars must be
/// default-constructible to zero and have operator+=; returned summed in
/// chunk order.
template <std::size_t F, class Scalars, class Body>
Scalars run_chunks(std::size_t n, const std::vector<std::size_t>& bounds, const std::array<double*, F>& out,
                   const std::array<std::size_t, F>& stride, bool lower_is_begin, workspace& ws, Body&& body) {
    const std::size_t chunks = bounds.size() - 1;
    std::vector<Scalars> partial(chunks);
    ws.buffers.resize(std::max(ws.buffers.size(), (chunks - 1) * F));

    auto lo_of = [&](std::size_t c) { return lower_is_begin ? bounds[c] : std::size_t{0}; };

    auto run_one = [&](std::size_t c) {
        sink<F> s;
        if (c == 0) {
            s.p = out;
            s.offset = 0;
        } else {
            const std::size_t lo = lo_of(c);
            s.offset = lo;
            for (std::size_t f = 0; f < F; ++f) {
                auto& buf = ws.buffers[(c - 1) * F + f];
                const std::size_t len = (n - lo) * stride[f];
                if (buf.size() < len) buf.resize(len);
                std::fill(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(len), 0.0);
                s.p[f] = buf.data();
            }
        }
        body(bounds[c], bounds[c + 1], s, partial[c]);
    };

    if (chunks == 1) {
        run_one(0);
        return partial[0];
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) run_one(c);
    }, tbb::simple_partitioner());

    // Reduce buffers into the outputs, atom by atom, chunks in order.
    constexpr std::size_t block = 1024;
    const std::size_t nblocks = (n + block - 1) / block;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nblocks), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b) {
            const std::size_t a0 = b * block, a1 = std::min(n, a0 + block);
            for (std::size_t c = 1; c < chunks; ++c) {
                const std::size_t lo = lo_of(c);
                const std::size_t s0 = std::max(a0, lo);
                if (s0 >= a1) continue;
                for (std::size_t f = 0; f < F; ++f) {
                    const std::size_t st = stride[f];
                    const double* src = ws.buffers[(c - 1) * F + f].data() + (s0 - lo) * st;
                    double* dst = out[f] + s0 * st;
                    const std::size_t len = (a1 - s0) * st;
                    for (std::size_t k = 0; k < len; ++k) dst[k] += src[k];
                }
            }
        }
    });

    Scalars total = partial[0];
    for (std::size_t c = 1; c < chunks; ++c) total += partial[c];
    return total;
}

/// Deterministic parallel per-atom map with a scalar sum: body(begin, end,
/// Scalars&) over fixed chunks, partial scalars summed in chunk order.
template <class Scalars, class Body>
Scalars run_per_atom(const std::vector<std::size_t>& bounds, Body&& body) {
    const std::size_t chunks = bounds.size() - 1;
    std::vector<Scalars> partial(chunks);
    if (chunks == 1) {
        body(bounds[0], bounds[1], partial[0]);
        return partial[0];
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) body(bounds[c], bounds[c + 1], partial[c]);
    }, tbb::simple_partitioner());
    Scalars total = partial[0];
    for (std::size_t c = 1; c < chunks; ++c) total += partial[c];
    return total;
}

}  // namespace amorph::potential::detail
