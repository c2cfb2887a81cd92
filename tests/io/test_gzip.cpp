// gzip-compressed inputs (io/detail/input_file.hpp): every reader accepts a
// .gz wherever it accepts the plain file, with the same result bit for bit;
// frames are found by index (forward, backward, from the end) in a stream
// that is inflated on the fly; damaged and truncated files are errors naming
// the file. LAMMPS's own `dump custom/gz` is read as its plain `dump custom`
// of the same run (peer test, tests/io/test_lammps_peer.cpp).
#include "amorph/io/io.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace amorph;

namespace {

struct tmpdir {
    fs::path p = fs::temp_directory_path() / ("amorph_gzip_" + std::to_string(::getpid()));
    tmpdir() { fs::create_directories(p); }
    ~tmpdir() {
        std::error_code ec;
        fs::remove_all(p, ec);
    }
    fs::path operator/(const std::string& f) const { return p / f; }
};

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// gzip `from` into `to` with zlib (as `gzip` and LAMMPS's dump */gz do).
void gzip_file(const fs::path& from, const fs::path& to) {
    const std::string text = slurp(from);
    gzFile f = gzopen(to.string().c_str(), "wb");
    REQUIRE(f != nullptr);
    REQUIRE(gzwrite(f, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
    REQUIRE(gzclose(f) == Z_OK);
}

template <int D>
void require_identical(const amorph::system<D>& a, const amorph::system<D>& b) {
    REQUIRE(a.size() == b.size());
    CHECK(a.ids == b.ids);
    CHECK(a.types == b.types);
    CHECK(a.box.h() == b.box.h());
    CHECK(a.box.origin() == b.box.origin());
    CHECK(a.positions == b.positions);
    REQUIRE(a.has_velocities() == b.has_velocities());
    if (a.has_velocities()) CHECK(a.velocities == b.velocities);
}

}  // namespace

TEST_CASE("gzip: a multi-frame dump and extxyz read frame by frame as the plain files", "[io][gzip]") {
    tmpdir dir;
    std::mt19937_64 rng(11);
    // ~5 MB of text per trajectory: larger than the 128 KiB inflate buffer, so
    // frames start in other buffers and backward seeks re-inflate.
    std::vector<amorph::system<3>> frames;
    for (int f = 0; f < 6; ++f) frames.push_back(iotest::random_system<3>(rng, 8000, iotest::cell::triclinic));
    for (const std::string name : {"traj.dump", "traj.xyz"}) {
        io::write_options w;
        for (std::size_t f = 0; f < frames.size(); ++f) {
            w.append = f > 0;
            w.timestep = static_cast<std::int64_t>(100 * f);
            io::write_system(dir / name, frames[f], w);
        }
        gzip_file(dir / name, dir / (name + ".gz"));
        CHECK(io::detect_format(dir / (name + ".gz")) == io::detect_format(dir / name));
        for (const std::int64_t frame : {0, 3, 5, -1, -6, 2, 1}) {
            INFO(name << " frame " << frame);
            io::read_options o;
            o.frame = frame;
            require_identical(io::read_system<3>(dir / (name + ".gz"), o), io::read_system<3>(dir / name, o));
        }
        io::read_options past;
        past.frame = 6;
        CHECK_THROWS(io::read_system<3>(dir / (name + ".gz"), past));
    }
    // a dump reader walking the whole trajectory
    io::dump_reader<3> plain(dir / "traj.dump"), gz(dir / "traj.dump.gz");
    io::frame<3> a, b;
    std::size_t n = 0;
    while (plain.next(a)) {
        REQUIRE(gz.next(b));
        CHECK(a.timestep == b.timestep);
        require_identical(a.system, b.system);
        ++n;
    }
    CHECK_FALSE(gz.next(b));
    CHECK(n == frames.size());
}

TEST_CASE("gzip: data files, 2D detection, any file name", "[io][gzip]") {
    tmpdir dir;
    std::mt19937_64 rng(3);
    const auto s2 = iotest::random_system<2>(rng, 300, iotest::cell::triclinic);
    io::write_system(dir / "g.data", s2);
    gzip_file(dir / "g.data", dir / "compressed.bin");  // the content decides, not the name
    CHECK(io::detect_format(dir / "compressed.bin") == io::file_format::lammps_data);
    CHECK(io::detect_dimension(dir / "compressed.bin") == 2);
    require_identical(io::read_system<2>(dir / "compressed.bin"), io::read_system<2>(dir / "g.data"));
    require_identical(io::read_lammps_data<2>(dir / "compressed.bin"), io::read_lammps_data<2>(dir / "g.data"));
}

TEST_CASE("gzip: truncated and damaged files are errors naming the file", "[io][gzip]") {
    tmpdir dir;
    std::mt19937_64 rng(5);
    io::write_options w;
    for (int f = 0; f < 3; ++f) {
        w.append = f > 0;
        io::write_system(dir / "t.dump", iotest::random_system<3>(rng, 4000, iotest::cell::orthogonal), w);
    }
    gzip_file(dir / "t.dump", dir / "t.dump.gz");
    const std::string gz = slurp(dir / "t.dump.gz");
    REQUIRE(gz.size() > 20000);

    std::ofstream(dir / "cut.gz", std::ios::binary) << gz.substr(0, gz.size() / 2);
    try {
        io::read_system<3>(dir / "cut.gz");
        FAIL("a truncated gzip file was read");
    } catch (const io_error& e) {
        CHECK_THAT(e.what(), Catch::Contains((dir / "cut.gz").string()) && Catch::Contains("gzip"));
    }

    std::string bad = gz;
    for (std::size_t k = bad.size() / 3; k < bad.size() / 3 + 64; ++k) bad[k] = static_cast<char>(bad[k] ^ 0x5a);
    std::ofstream(dir / "bad.gz", std::ios::binary) << bad;
    CHECK_THROWS_AS(io::read_system<3>(dir / "bad.gz"), amorph::error);

    CHECK_THROWS_AS(io::read_system<3>(dir / "missing.gz"), io_error);
}
