// amorph/analysis/p_hop.hpp — the hop indicator p_hop (Candelier, Dauchot &
// Biroli 2010; alumina eq 3) from a trajectory streamed frame by frame.
//
// For atom i and frame t, with the half window h (frames; t_R = 2 h dt) and the
// intervals A = frames [t - h, t] and B = [t, t + h] (h + 1 frames each, both
// containing t, as in the alumina paper: [t - t_R/2, t] and [t, t + t_R/2]),
//     p_hop(i, t) = sqrt( <|r_i - <r_i>_B|^2>_A  <|r_i - <r_i>_A|^2>_B ),
// <.>_A, <.>_B averages over the frames of A and B, r_i the unwrapped
// position. Units: length^2 (A^2 in metal units). p_hop is defined for
// t = h .. T-1-h of a T-frame trajectory; frame t's value is emitted as soon
// as frame t + h has been pushed. Each value is computed directly from the
// stored window (two passes over 2h+1 frames, no running sums), so it does not
// lose precision for large unwrapped coordinates.
//
// For a single planted hop r -> r + a between frames t0 - 1 and t0 the
// maximum is p_hop = (h / (h + 1))^{3/2} |a|^2, reached at t0 - 1 and t0.
//
// Unwrapping (unwrap_mode):
//   as_given             positions are already unwrapped (dump columns xu yu zu);
//   image_flags          r = x + h_cell n from the frame's image flags;
//   minimum_displacement r_t = r_{t-1} + minimum_image(x_t - x_{t-1}) (first
//                        frame as given): needs every atom to move less than
//                        half the smallest cell width between frames;
//   automatic (default)  image_flags when the frame has them, else
//                        minimum_displacement (which is also right for
//                        positions that are already unwrapped).
// Atoms are matched between frames by id; the first frame fixes the atom order
// of the results (ids()). Every frame must hold the same set of ids.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace amorph::analysis {

enum class unwrap_mode { automatic, as_given, image_flags, minimum_displacement };

/// Half window in frames for a full window t_R and a frame interval dt:
/// round(t_R / (2 dt)), at least 1.
inline std::size_t p_hop_half_window(double t_R, double frame_interval) {
    if (!(t_R > 0) || !(frame_interval > 0) || !std::isfinite(t_R / frame_interval))
        throw invalid_argument("p_hop: window and frame interval must be positive");
    const double h = std::round(0.5 * t_R / frame_interval);
    if (h < 1) throw invalid_argument("p_hop: window t_R is shorter than two frame intervals");
    if (h > 1e6) throw invalid_argument("p_hop: half window of more than 1e6 frames");
    return static_cast<std::size_t>(h);
}

/// p_hop of one atom from its positions over the 2h+1 frames of the window
/// (column k = frame t - h + k). Reference implementation, also used by the stream.
template <int D>
double p_hop_window(const Eigen::Ref<const coords<D>>& r) {
    const Eigen::Index w = r.cols();
    const Eigen::Index h = (w - 1) / 2;
    const vec<D> ma = r.leftCols(h + 1).rowwise().mean();
    const vec<D> mb = r.rightCols(h + 1).rowwise().mean();
    const double a = (r.leftCols(h + 1).colwise() - mb).colwise().squaredNorm().mean();
    const double b = (r.rightCols(h + 1).colwise() - ma).colwise().squaredNorm().mean();
    return std::sqrt(a * b);
}

/// Streaming p_hop: push frames in order; results come out h frames later.
template <int D>
    requires supported_dimension<D>
class p_hop_stream {
public:
    explicit p_hop_stream(std::size_t half_window, unwrap_mode mode = unwrap_mode::automatic)
        : h_(half_window), mode_(mode) {
        if (h_ < 1) throw invalid_argument("p_hop: half window must be at least one frame");
        if (h_ > 1000000) throw invalid_argument("p_hop: half window of more than 1e6 frames");
    }

    std::size_t half_window() const noexcept { return h_; }
    /// Atom ids in the order of the results (set by the first frame).
    const std::vector<std::int64_t>& ids() const noexcept { return ids_; }
    std::size_t frames_pushed() const noexcept { return pushed_; }

    /// Add the next frame. For each frame t whose window is now complete, calls
    /// on_result(t, values) with t the 0-based frame index and values[k] the
    /// p_hop of atom ids()[k] (the span is valid during the call only).
    template <class Fn>
    void push(const amorph::system<D>& frame, Fn&& on_result) {
        const std::size_t n = frame.size();
        if (pushed_ == 0) {
            ids_ = frame.ids;
            index_.clear();
            index_.reserve(n);
            for (std::size_t i = 0; i < n; ++i)
                if (!index_.emplace(ids_[i], i).second)
                    throw invalid_argument("p_hop: duplicate atom id " + std::to_string(ids_[i]) + " in frame 0");
            ring_.assign(2 * h_ + 1, coords<D>());
            values_.resize(n);
        } else if (n != ids_.size()) {
            throw invalid_argument("p_hop: frame " + std::to_string(pushed_) + " has " + std::to_string(n) +
                                   " atoms, frame 0 had " + std::to_string(ids_.size()));
        }
        if (frame.positions.cols() != static_cast<Eigen::Index>(n) || frame.ids.size() != n)
            throw invalid_argument("p_hop: frame " + std::to_string(pushed_) + " has inconsistent arrays");

        // the frame's positions in result order
        coords<D> x(D, static_cast<Eigen::Index>(n));
        coords<D> img;
        const bool use_images = mode_ == unwrap_mode::image_flags ||
                                (mode_ == unwrap_mode::automatic && frame.has_image());
        if (mode_ == unwrap_mode::image_flags && !frame.has_image())
            throw invalid_argument("p_hop: frame " + std::to_string(pushed_) + " has no image flags");
        const coords<D> src = use_images ? frame.unwrapped_positions() : frame.positions;
        const bool same_order = frame.ids == ids_;
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t k = i;
            if (!same_order) {
                const auto it = index_.find(frame.ids[i]);
                if (it == index_.end())
                    throw invalid_argument("p_hop: atom id " + std::to_string(frame.ids[i]) + " of frame " +
                                           std::to_string(pushed_) + " is not in frame 0");
                k = it->second;
            }
            x.col(static_cast<Eigen::Index>(k)) = src.col(static_cast<Eigen::Index>(i));
        }
        if (!same_order) {  // every id of frame 0 must have been seen once
            std::vector<char> seen(n, 0);
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t k = index_.at(frame.ids[i]);
                if (seen[k]++) throw invalid_argument("p_hop: duplicate atom id in frame " + std::to_string(pushed_));
            }
        }
        if (!x.allFinite()) throw invalid_argument("p_hop: non-finite position in frame " + std::to_string(pushed_));

        const bool min_disp = !use_images && (mode_ == unwrap_mode::minimum_displacement || mode_ == unwrap_mode::automatic);
        coords<D>& slot = ring_[pushed_ % ring_.size()];
        if (min_disp && pushed_ > 0) {
            const coords<D>& prev = ring_[(pushed_ - 1) % ring_.size()];
            slot.resize(D, static_cast<Eigen::Index>(n));
            for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(n); ++i)
                slot.col(i) = prev.col(i) + frame.box.minimum_image(vec<D>(x.col(i) - last_raw_.col(i)));
            last_raw_ = std::move(x);
        } else {
            if (min_disp) last_raw_ = x;
            slot = std::move(x);
        }
        ++pushed_;
        if (pushed_ < 2 * h_ + 1) return;

        // frame t = pushed_ - 1 - h is complete: window frames t-h .. t+h
        const std::size_t first = pushed_ - (2 * h_ + 1);
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const auto& range) {
            coords<D> w(D, static_cast<Eigen::Index>(2 * h_ + 1));
            for (std::size_t i = range.begin(); i != range.end(); ++i) {
                for (std::size_t k = 0; k < 2 * h_ + 1; ++k)
                    w.col(static_cast<Eigen::Index>(k)) = ring_[(first + k) % ring_.size()].col(static_cast<Eigen::Index>(i));
                values_[i] = p_hop_window<D>(w);
            }
        });
        on_result(first + h_, std::span<const double>(values_));
    }

private:
    std::size_t h_;
    unwrap_mode mode_;
    std::size_t pushed_ = 0;
    std::vector<std::int64_t> ids_;
    std::unordered_map<std::int64_t, std::size_t> index_;
    std::vector<coords<D>> ring_;   ///< unwrapped positions of the last 2h+1 frames
    coords<D> last_raw_;            ///< previous frame's positions as given (minimum displacement)
    std::vector<double> values_;
};

/// p_hop of a whole trajectory kept in memory: row k of `values` is frame
/// first_frame + k, columns follow `ids`.
struct p_hop_series {
    std::vector<std::int64_t> ids;
    std::size_t first_frame = 0;                 ///< = half window
    std::vector<std::int64_t> timesteps;         ///< timestep of each row (when read from a trajectory)
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> values;
};

/// Run a p_hop_stream over the frames produced by next(system, timestep) ->
/// bool and collect every row, e.g. with a LAMMPS dump:
///     io::dump_reader<3> rd(path);
///     io::frame<3> f;
///     auto s = p_hop_collect<3>([&](amorph::system<3>& sys, std::int64_t& step) {
///         if (!rd.next(f)) return false;
///         sys = std::move(f.system); step = f.timestep; return true; }, h);
template <int D, class Next>
p_hop_series p_hop_collect(Next&& next, std::size_t half_window, unwrap_mode mode = unwrap_mode::automatic) {
    p_hop_stream<D> s(half_window, mode);
    p_hop_series out;
    out.first_frame = half_window;
    std::vector<std::vector<double>> rows;
    std::vector<std::int64_t> steps;
    amorph::system<D> sys;
    std::int64_t step = 0;
    while (next(sys, step)) {
        steps.push_back(step);
        s.push(sys, [&](std::size_t t, std::span<const double> v) {
            rows.emplace_back(v.begin(), v.end());
            out.timesteps.push_back(steps[t]);
        });
    }
    out.ids = s.ids();
    out.values.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(out.ids.size()));
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t i = 0; i < rows[r].size(); ++i)
            out.values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(i)) = rows[r][i];
    return out;
}

}  // namespace amorph::analysis
