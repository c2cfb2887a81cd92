// amorph/io/detail/frames.hpp — frame selection shared by the trajectory readers.
//
// read_frame_at(reader, k): frame k (0-based) of a streaming reader with
// next(frame&), skip(), position(), seek() and source(). k >= 0 skips k
// frames (counting their lines, not parsing them). k < 0 counts from the end
// (-1 = last): on a seekable stream every frame start is recorded in one
// skipping pass, then the reader seeks back to frame n + k; on a stream that
// cannot seek only -1 is possible, by parsing every frame and keeping the
// last (two frames in memory at most).
#pragma once

#include "amorph/core/error.hpp"

#include <cstdint>
#include <ios>
#include <string>
#include <utility>
#include <vector>

namespace amorph::io::detail {

/// More atom types than this in a file is treated as malformed (bounds memory).
inline constexpr std::int64_t max_dump_types = 1000000;

/// Frame `index` of a streaming reader (dump_reader or extxyz_reader).
template <class Reader, class Frame>
Frame read_frame_at(Reader& rd, std::int64_t index, const char* what) {
    Frame f;
    if (index >= 0) {
        for (std::int64_t i = 0; i < index; ++i)
            if (!rd.skip())
                throw invalid_argument(rd.source() + ": frame " + std::to_string(index) + " requested, the " + what +
                                       " has " + std::to_string(i) + " frames");
        if (!rd.next(f))
            throw invalid_argument(rd.source() + ": frame " + std::to_string(index) + " requested, the " + what +
                                   " has " + std::to_string(index) + " frames");
        return f;
    }
    // Negative: record where every frame starts, then seek back.
    std::vector<std::pair<std::streampos, std::size_t>> starts;
    bool seekable = true;
    for (;;) {
        const auto p = rd.position();
        if (p.first == std::streampos(-1)) {
            if (rd.exhausted()) break;  // the last line had no newline: end of input
            seekable = false;
            break;
        }
        if (!rd.skip()) break;
        starts.push_back(p);
    }
    if (!seekable) {
        // Non-seekable stream: only -1 is possible (keeps two frames in memory).
        if (index != -1 || starts.size() > 0)
            throw invalid_argument(rd.source() + ": negative frame index needs a seekable stream");
        Frame tmp;
        bool any = false;
        while (rd.next(tmp)) {
            f = std::move(tmp);
            any = true;
        }
        if (!any) throw parse_error(rd.source(), 0, "", std::string("no frames in the ") + what);
        return f;
    }
    if (starts.empty()) throw parse_error(rd.source(), 0, "", std::string("no frames in the ") + what);
    const auto n = static_cast<std::int64_t>(starts.size());
    if (-index > n)
        throw invalid_argument(rd.source() + ": frame " + std::to_string(index) + " requested, the " + what + " has " +
                               std::to_string(n) + " frames");
    const auto k = static_cast<std::size_t>(n + index);
    rd.seek(starts[k], k);
    if (!rd.next(f)) throw io_error(rd.source() + ": frame vanished while seeking");
    return f;
}

}  // namespace amorph::io::detail
