// apps/amorph/frame_mean.hpp — per-atom rows averaged over the frames of
// --frames, atoms matched by id (`sf --frames`, `softness predict --frames`).
//
// The first frame fixes the atoms and their row order; every later frame must
// hold the same atoms (in any order) and as many columns, else one error line
// names the file and the frame.
#pragma once

#include <amorph/core/error.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace amorph::cli {

class frame_mean {
public:
    using matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

    explicit frame_mean(std::string source) : source_(std::move(source)) {}

    /// Add frame `frame`: ids[j] owns row j of `rows`.
    template <class Rows>
    void add(std::int64_t frame, const std::vector<std::int64_t>& ids, const Rows& rows) {
        if (frames_++ == 0) {
            sum_ = rows;
            ids_ = ids;
            for (std::size_t j = 0; j < ids.size(); ++j) row_[ids[j]] = static_cast<Eigen::Index>(j);
            return;
        }
        if (rows.rows() != sum_.rows() || rows.cols() != sum_.cols())
            throw invalid_argument(source_ + ": frame " + std::to_string(frame) + " gives " + std::to_string(rows.rows()) +
                                   " x " + std::to_string(rows.cols()) + " values, the first frame " +
                                   std::to_string(sum_.rows()) + " x " + std::to_string(sum_.cols()));
        for (std::size_t j = 0; j < ids.size(); ++j)
            sum_.row(row_of(frame, ids[j])) += rows.row(static_cast<Eigen::Index>(j));
    }

    /// The mean, rows in the first frame's order (ids()).
    matrix mean() const { return sum_ / static_cast<double>(frames_); }
    const std::vector<std::int64_t>& ids() const noexcept { return ids_; }
    std::size_t frames() const noexcept { return frames_; }
    /// The row of atom `id` (an atom of the first frame).
    Eigen::Index row_of(std::int64_t frame, std::int64_t id) const {
        const auto it = row_.find(id);
        if (it == row_.end())
            throw invalid_argument(source_ + ": atom id " + std::to_string(id) + " of frame " + std::to_string(frame) +
                                   " is not among the first frame's atoms");
        return it->second;
    }

private:
    std::string source_;
    matrix sum_;
    std::vector<std::int64_t> ids_;
    std::unordered_map<std::int64_t, Eigen::Index> row_;
    std::size_t frames_ = 0;
};

}  // namespace amorph::cli
