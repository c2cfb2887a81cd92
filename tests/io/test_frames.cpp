// Frame ranges "A:B[:S]" and io::for_each_frame: the frames a Python slice
// selects, visited in order from a stream, for dump, extxyz (plain and gzip)
// and data files; empty selections are errors.
#include "amorph/io/io.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace amorph;

namespace {

/// The frames Python's list(range(n))[slice] selects.
std::vector<std::int64_t> python_slice(std::int64_t n, const io::frame_range& r) {
    auto fix = [&](std::optional<std::int64_t> v, std::int64_t none) {
        if (!v) return none;
        return *v >= 0 ? std::min(*v, n) : std::max<std::int64_t>(n + *v, 0);
    };
    std::vector<std::int64_t> out;
    for (std::int64_t k = fix(r.start, 0); k < fix(r.stop, n); k += r.step) out.push_back(k);
    return out;
}

}  // namespace

TEST_CASE("frame ranges parse as Python slices", "[io][frames]") {
    const auto r = io::parse_frame_range("2:10:3");
    CHECK(r.start == 2);
    CHECK(r.stop == 10);
    CHECK(r.step == 3);
    const auto open = io::parse_frame_range("-3:");
    CHECK(open.start == -3);
    CHECK_FALSE(open.stop);
    const auto every = io::parse_frame_range("::2");
    CHECK_FALSE(every.start);
    CHECK(every.step == 2);
    CHECK(io::parse_frame_range("4").stop == 5);
    CHECK_FALSE(io::parse_frame_range("-1").stop);
    CHECK(io::parse_frame_range("-2").stop == -1);
    for (const char* bad : {"", "a:b", "1:2:3:4", "1:2:0", "1:2:-1", "1.5:3", ":"}) {
        INFO(bad);
        if (std::string(bad) == ":") {
            CHECK_NOTHROW(io::parse_frame_range(bad));  // every frame
        } else {
            CHECK_THROWS_AS(io::parse_frame_range(bad), invalid_argument);
        }
    }
}

TEST_CASE("for_each_frame visits the slice's frames in order, from dump and extxyz", "[io][frames]") {
    const fs::path dir = fs::temp_directory_path() / ("amorph_frames_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::mt19937_64 rng(7);
    const std::int64_t n = 7;
    std::vector<amorph::system<3>> frames;
    for (std::int64_t f = 0; f < n; ++f) frames.push_back(iotest::random_system<3>(rng, 50, iotest::cell::triclinic));
    for (const std::string name : {"t.dump", "t.xyz"}) {
        io::write_options w;
        for (std::int64_t f = 0; f < n; ++f) {
            w.append = f > 0;
            io::write_system(dir / name, frames[static_cast<std::size_t>(f)], w);
        }
        for (const char* text : {"0:7", "2:5", "::2", "1::3", "-3:", ":-2", "-5:-1:2", "3", "-1", "5:100"}) {
            INFO(name << " " << text);
            const auto r = io::parse_frame_range(text);
            std::vector<std::int64_t> seen;
            io::for_each_frame<3>(dir / name, {}, r, [&](std::int64_t k, io::frame<3>& fr) {
                seen.push_back(k);
                CHECK(fr.system.positions == frames[static_cast<std::size_t>(k)].positions);
            });
            CHECK(seen == python_slice(n, r));
        }
        CHECK_THROWS_AS(io::for_each_frame<3>(dir / name, {}, io::parse_frame_range("7:"), [](auto, auto&) {}),
                        invalid_argument);
        CHECK_THROWS_AS(io::for_each_frame<3>(dir / name, {}, io::parse_frame_range("3:3"), [](auto, auto&) {}),
                        invalid_argument);
    }
    io::write_system(dir / "one.data", frames[0]);
    std::size_t calls = 0;
    CHECK(io::for_each_frame<3>(dir / "one.data", {}, io::parse_frame_range("0:"), [&](auto, auto&) { ++calls; }) == 1);
    CHECK(calls == 1);
    CHECK_THROWS_AS(io::for_each_frame<3>(dir / "one.data", {}, io::parse_frame_range("1:"), [](auto, auto&) {}),
                    invalid_argument);
    fs::remove_all(dir);
}
