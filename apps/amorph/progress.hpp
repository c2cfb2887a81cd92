// apps/amorph/progress.hpp — a one-line progress bar on stderr.
//
// Shown only when enabled (not --quiet) and stderr is a terminal; otherwise
// every call is a no-op, so scripts and CI logs stay clean. Redraws at most
// ten times a second: "label [#########.........]  45%  1.2 s".
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace amorph::cli {

class progress_bar {
public:
    /// `total` units of work; `enabled` is usually !quiet. The bar is drawn
    /// only when enabled and stderr is a TTY.
    progress_bar(std::string label, std::size_t total, bool enabled);
    ~progress_bar();
    progress_bar(const progress_bar&) = delete;
    progress_bar& operator=(const progress_bar&) = delete;

    /// Report `done` units finished (monotone; clamped to total).
    void update(std::size_t done);
    /// Draw 100 % and end the line (idempotent).
    void finish();

    bool active() const noexcept { return active_; }

    /// Whether stderr is a terminal.
    static bool stderr_is_tty();

private:
    void draw(std::size_t done);

    std::string label_;
    std::size_t total_;
    bool active_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace amorph::cli
