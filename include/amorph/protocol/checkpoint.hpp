// amorph/protocol/checkpoint.hpp — checkpoint and restart of MD runs.
//
// A checkpoint holds everything a run needs to continue bit for bit: the
// system (cell, positions, velocities, image flags, types, ids, species,
// units), the md_state (step, time, run bounds, integrator state such as the
// Nose-Hoover chain and barostat variables), the force provider's neighbor
// list reference (the list is rebuilt from it identically), and an optional
// caller blob (e.g. the position in a schedule, an RNG state). Single-threaded
// or not, a resumed run ends bitwise identical to the uninterrupted one
// (the force loops are deterministic for any thread count).
//
// Files are written atomically: the bytes go to "<path>.tmp.<pid>", are
// flushed to disk (fsync), and the temporary file is renamed over <path>
// (rename is atomic on POSIX file systems), then the directory is synced. A
// run killed at any instant leaves either the previous or the new checkpoint,
// never a torn one; the envelope's length and checksum (dynamics/archive.hpp)
// catch a file damaged otherwise.
//
//   checkpointer<D>(path, every[, extra])   observer: writes every `every` steps
//   write_checkpoint(path, observation[, extra])
//   read_checkpoint(path, sys, ff, state) -> extra blob
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/observer.hpp"
#include "amorph/dynamics/run.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <utility>

namespace amorph::protocol {

/// Replace `path` by `bytes` atomically (temp file, fsync, rename, dir fsync).
inline void write_atomically(const std::filesystem::path& path, const std::string& bytes) {
    const std::filesystem::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw io_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw io_error("cannot write " + tmp.string() + ": " + std::strerror(e));
        }
        done += static_cast<std::size_t>(w);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw io_error("cannot flush " + tmp.string() + ": " + std::strerror(errno));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        throw io_error("cannot rename " + tmp.string() + " to " + path.string() + ": " + std::strerror(e));
    }
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

inline std::string read_whole_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error("cannot open " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline constexpr const char* checkpoint_tag = "amorph-md-checkpoint";

/// Write a checkpoint of the run an observer sees (with an optional blob).
template <int D>
void write_checkpoint(const std::filesystem::path& path, const dynamics::observation<D>& o,
                      const std::string& extra = {}) {
    dynamics::archive_writer w;
    w.tag(checkpoint_tag);
    w.put(extra);
    o.save(w);
    write_atomically(path, w.seal());
}

/// Restore a checkpoint into (sys, ff, state); returns the caller blob. The
/// next dynamics::run(sys, ff, integ, state, ...) finishes the interrupted run.
template <int D, class F, class I>
std::string read_checkpoint(const std::filesystem::path& path, amorph::system<D>& sys, F& ff,
                            dynamics::md_state<I>& st) {
    auto r = dynamics::archive_reader::open(read_whole_file(path), path.string());
    r.tag(checkpoint_tag);
    std::string extra;
    r.get(extra);
    dynamics::load_run(r, sys, ff, st);
    if (!r.at_end()) throw io_error(path.string() + ": trailing data in checkpoint");
    return extra;
}

/// Observer: a checkpoint every `every` steps (not at the first step of a
/// run, which is the state it started from). `extra` supplies the blob.
template <int D>
class checkpointer {
public:
    checkpointer(std::filesystem::path path, std::int64_t every, std::function<std::string()> extra = {})
        : path_(std::move(path)), every_(every), extra_(std::move(extra)) {
        if (every_ <= 0) throw invalid_argument("checkpointer: `every` must be > 0");
    }
    void observe(const dynamics::observation<D>& o) {
        if (o.step % every_ != 0 || o.step == o.begin) return;
        write_checkpoint(path_, o, extra_ ? extra_() : std::string{});
        ++written_;
        last_step_ = o.step;
    }
    std::size_t written() const noexcept { return written_; }
    std::int64_t last_step() const noexcept { return last_step_; }
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
    std::int64_t every_;
    std::function<std::string()> extra_;
    std::size_t written_ = 0;
    std::int64_t last_step_ = -1;
};

}  // namespace amorph::protocol
