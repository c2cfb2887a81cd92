// apps/amorph/progress.cpp — see progress.hpp.
#include "progress.hpp"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace amorph::cli {

bool progress_bar::stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

progress_bar::progress_bar(std::string label, std::size_t total, bool enabled)
    : label_(std::move(label)),
      total_(std::max<std::size_t>(total, 1)),
      active_(enabled && stderr_is_tty()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {
    if (active_) draw(0);
}

progress_bar::~progress_bar() {
    if (active_ && !finished_) std::fputs("\n", stderr);
}

void progress_bar::update(std::size_t done) {
    if (!active_ || finished_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
    draw(std::min(done, total_));
}

void progress_bar::finish() {
    if (!active_ || finished_) return;
    draw(total_);
    std::fputs("\n", stderr);
    finished_ = true;
}

void progress_bar::draw(std::size_t done) {
    constexpr int width = 30;
    last_draw_ = std::chrono::steady_clock::now();
    const double f = static_cast<double>(done) / static_cast<double>(total_);
    const int fill = static_cast<int>(f * width);
    char bar[width + 1];
    for (int i = 0; i < width; ++i) bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    const double secs = std::chrono::duration<double>(last_draw_ - start_).count();
    std::fprintf(stderr, "\r%s [%s] %3d%%  %.1f s", label_.c_str(), bar, static_cast<int>(f * 100.0), secs);
    std::fflush(stderr);
}

}  // namespace amorph::cli
