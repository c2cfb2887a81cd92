// Round trips through every writer and reader: exact for what the format
// stores, and the documented transformation (rotation, tilt reduction) for
// general cells in LAMMPS formats.
#include "amorph/io/io.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <sstream>

#include <unistd.h>

using namespace amorph;
using iotest::cell;

namespace {

template <int D>
amorph::system<D> data_roundtrip(const amorph::system<D>& s, const io::data_write_options& w = {}) {
    std::stringstream ss;
    io::write_lammps_data(ss, s, w);
    return io::read_lammps_data<D>(ss, "rt.data");
}

template <int D>
amorph::system<D> dump_roundtrip(const amorph::system<D>& s, const io::dump_write_options& w = {}) {
    std::stringstream ss;
    io::write_dump(ss, s, w);
    return io::read_dump<D>(ss, "rt.dump").system;
}

template <int D>
amorph::system<D> xyz_roundtrip(const amorph::system<D>& s) {
    std::stringstream ss;
    io::write_extxyz(ss, s);
    return io::read_extxyz<D>(ss, "rt.xyz").system;
}

/// The same atoms after a LAMMPS-form rewrite: positions o + R (x - o), with
/// unwrapped positions preserved (image flags remapped after tilt reduction).
template <int D>
void require_same_after_rotation(const amorph::system<D>& a, const amorph::system<D>& b) {
    const auto lf = to_lammps(a.box);
    const mat<D> R = lf.rotation;
    const vec<D> o = a.box.origin();
    REQUIRE(a.size() == b.size());
    CHECK(a.ids == b.ids);
    CHECK(a.types == b.types);
    CHECK(b.box.volume() == Approx(a.box.volume()).epsilon(1e-12));
    // Same lattice: b's cell vectors are integer combinations of R a's.
    const mat<D> n = (R * a.box.h()).inverse() * b.box.h();
    for (int i = 0; i < D; ++i)
        for (int j = 0; j < D; ++j) CHECK(n(i, j) == Approx(std::round(n(i, j))).margin(1e-9));
    const double scale = a.box.h().norm();
    const coords<D> ua = a.unwrapped_positions(), ub = b.unwrapped_positions();
    for (Eigen::Index i = 0; i < ua.cols(); ++i) {
        const vec<D> expect = o + R * (ua.col(i) - o);
        CHECK((ub.col(i) - expect).norm() <= 1e-12 * scale);
        if (a.has_velocities()) CHECK((b.velocities.col(i) - R * a.velocities.col(i)).norm() <= 1e-14);
    }
}

}  // namespace

TEMPLATE_TEST_CASE_SIG("data file round trip is exact for LAMMPS-form cells", "[io][data]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(11);
    for (cell c : {cell::orthogonal, cell::triclinic}) {
        auto s = iotest::random_system<D>(rng, 50, c);
        s.properties.clear();  // a data file has no extra columns
        const auto b = data_roundtrip(s);
        iotest::require_identical(s, b, false);
        CHECK(b.box.h().isApprox(s.box.h(), 1e-15));
        // Writing the read system again gives the same text (a fixed point).
        std::stringstream t1, t2;
        io::write_lammps_data(t1, b);
        io::write_lammps_data(t2, data_roundtrip(b));
        CHECK(t1.str() == t2.str());
    }
}

TEMPLATE_TEST_CASE_SIG("data file: atomic style drops charges, keeps masses and names", "[io][data]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(12);
    auto s = iotest::random_system<D>(rng, 10, cell::orthogonal);
    io::data_write_options w;
    w.style = io::atom_style::atomic;
    const auto b = data_roundtrip(s, w);
    CHECK_FALSE(b.has_charges());
    CHECK(b.species[0].name == "Cu");
    CHECK(b.species[1].mass == s.species[1].mass);
    CHECK(b.positions == s.positions);
}

TEMPLATE_TEST_CASE_SIG("data file: general cell is rotated and tilt-reduced for LAMMPS", "[io][data]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(13);
    for (int trial = 0; trial < 10; ++trial) {
        auto s = iotest::random_system<D>(rng, 30, cell::general);
        s.properties.clear();
        std::stringstream ss;
        io::write_lammps_data(ss, s);
        const auto b = io::read_lammps_data<D>(ss, "rt.data");
        require_same_after_rotation(s, b);
        // LAMMPS's limits on the tilt factors hold.
        const auto L = to_lammps(b.box).bounds;
        CHECK(std::abs(L.xy) <= 0.5 * (L.xhi - L.xlo) * (1 + 1e-12));
        CHECK(std::abs(L.xz) <= 0.5 * (L.xhi - L.xlo) * (1 + 1e-12));
        CHECK(std::abs(L.yz) <= 0.5 * (L.yhi - L.ylo) * (1 + 1e-12));
    }
}

TEMPLATE_TEST_CASE_SIG("dump round trip is exact, any column order, extra columns", "[io][dump]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(21);
    for (cell c : {cell::orthogonal, cell::triclinic}) {
        auto s = iotest::random_system<D>(rng, 40, c);
        s.enable_forces();
        s.forces.setRandom();
        const auto b = dump_roundtrip(s);
        iotest::require_identical(s, b, false);
        CHECK(b.box.h().isApprox(s.box.h(), 1e-14));
        REQUIRE(b.find_property("c_pe"));
        CHECK(b.find_property("c_pe")->values == s.find_property("c_pe")->values);
        CHECK(b.forces == s.forces);
        // Shuffled columns, with element and mass.
        io::dump_write_options w;
        w.columns = {"vy", "c_pe", "x", "element", "ix", "id", "vx", "iy", "q", "y", "mass", "type", "z", "vz", "iz"};
        const auto e = dump_roundtrip(s, w);
        CHECK(e.positions == s.positions);
        CHECK(e.velocities == s.velocities);
        CHECK(e.image == s.image);
        CHECK(e.ids == s.ids);
        CHECK(e.species[1].name == "Zr");
        CHECK(e.species[1].mass == s.species[1].mass);
    }
}

TEMPLATE_TEST_CASE_SIG("dump: scaled and unwrapped coordinates", "[io][dump]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(22);
    const auto s = iotest::random_system<D>(rng, 30, cell::triclinic);
    const coords<D> unwrapped = s.unwrapped_positions();
    const double tol = 1e-12 * s.box.h().norm();
    for (const char* set : {"xs", "xu", "xsu"}) {
        const std::string a = set;
        const std::string suffix = a.substr(1);
        io::dump_write_options w;
        w.columns = {"id", "type", "x" + suffix, "y" + suffix, "z" + suffix, "ix", "iy", "iz"};
        const auto b = dump_roundtrip(s, w);
        const bool unwrapped_set = suffix.find('u') != std::string::npos;
        const coords<D>& ref = unwrapped_set ? unwrapped : s.positions;
        CHECK((b.positions - ref).cwiseAbs().maxCoeff() <= tol);
        // Image flags belong to wrapped positions; with unwrapped ones they are properties.
        CHECK(b.has_image() == !unwrapped_set);
        CHECK((b.find_property("ix") != nullptr) == unwrapped_set);
    }
    // With both x and xu given, x is used and xu kept as properties.
    io::dump_write_options w;
    w.columns = {"id", "type", "xu", "yu", "zu", "x", "y", "z"};
    const auto b = dump_roundtrip(s, w);
    CHECK(b.positions == s.positions);
    CHECK(b.find_property("xu") != nullptr);
    CHECK((b.find_property("zu") != nullptr) == (D == 3));
}

TEMPLATE_TEST_CASE_SIG("dump: general cell is written rotated", "[io][dump]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(23);
    const auto s = iotest::random_system<D>(rng, 30, cell::general);
    std::stringstream ss;
    io::write_dump(ss, s);
    const auto b = io::read_dump<D>(ss, "rt.dump").system;
    require_same_after_rotation(s, b);
}

TEMPLATE_TEST_CASE_SIG("dump: several frames streamed, frame index and count", "[io][dump]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(24);
    std::stringstream ss;
    std::vector<amorph::system<D>> frames;
    for (int f = 0; f < 5; ++f) {
        frames.push_back(iotest::random_system<D>(rng, 5 + static_cast<std::size_t>(f), f % 2 ? cell::triclinic : cell::orthogonal));
        io::dump_write_options w;
        w.timestep = 1000 * f;
        io::write_dump(ss, frames.back(), w);
    }
    const std::string text = ss.str();
    {
        std::istringstream in(text);
        io::dump_reader<D> rd(in, "multi.dump");
        io::frame<D> f;
        int k = 0;
        while (rd.next(f)) {
            CHECK(f.timestep == 1000 * k);
            CHECK(f.system.positions == frames[static_cast<std::size_t>(k)].positions);
            ++k;
        }
        CHECK(k == 5);
    }
    for (std::int64_t idx : {0, 3, 4, -1, -2, -5}) {
        std::istringstream in(text);
        const auto f = io::read_dump<D>(in, "multi.dump", idx);
        const auto k = static_cast<std::size_t>(idx >= 0 ? idx : 5 + idx);
        CHECK(f.timestep == 1000 * static_cast<std::int64_t>(k));
        CHECK(f.system.ids == frames[k].ids);
    }
    std::istringstream in(text);
    CHECK(io::count_dump_frames(in, "multi.dump") == 5);
    std::istringstream in2(text);
    CHECK_THROWS_AS(io::read_dump<D>(in2, "multi.dump", 5), invalid_argument);
    std::istringstream in3(text);
    CHECK_THROWS_AS(io::read_dump<D>(in3, "multi.dump", -6), invalid_argument);
}

TEMPLATE_TEST_CASE_SIG("extxyz round trip is exact, general cells included", "[io][extxyz]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(31);
    for (cell c : {cell::orthogonal, cell::triclinic, cell::general}) {
        auto s = iotest::random_system<D>(rng, 40, c);
        s.enable_forces();
        s.forces.setRandom();
        s.box = box<D>(s.box.h(), s.box.origin(), [] {
            typename box<D>::flags_t p{};
            p.fill(true);
            p[0] = false;
            return p;
        }());
        const auto b = xyz_roundtrip(s);
        iotest::require_identical(s, b, true);
        CHECK(b.forces == s.forces);
        CHECK(b.find_property("c_pe")->values == s.find_property("c_pe")->values);
    }
}

TEST_CASE("extxyz: 2D systems are written with a flat third vector and read back as 2D", "[io][extxyz]") {
    std::mt19937_64 rng(32);
    const auto s = iotest::random_system<2>(rng, 20, cell::triclinic);
    std::stringstream ss;
    io::write_extxyz(ss, s);
    const std::string text = ss.str();
    CHECK(text.find("pbc=\"T T F\"") != std::string::npos);
    CHECK(text.find(" 0 0 1\" Properties=") != std::string::npos);
    std::istringstream in(text);
    const auto s3 = io::read_extxyz<3>(in, "flat.xyz").system;
    CHECK(io::is_flat(s3));
    CHECK(s3.box.h()(2, 2) == 1.0);
    CHECK_FALSE(s3.box.periodic(2));
    const auto b = xyz_roundtrip(s);
    iotest::require_identical(s, b, true);
}

TEST_CASE("data file: a tilt too large for 32-bit image flags is refused, not overflowed", "[io][data]") {
    // fuzz finding: xz = 2.2e11 on a 3-wide cell; reducing the tilt maps image
    // flags by a matrix with entries ~7e10 (the product overflowed int); n' = M n is
    // computed in 64-bit and refused beyond int
    const std::string text = "general\n\n1 atoms\n1 atom types\n3 0 0 avec\n5 3 0 bvec\n"
                             "+222222222222.5 0.2 1 cvec\n0 0 0 abc origin\n\nAtoms\n\n1 1 0 1 0.5 2 -1 3\n";
    std::istringstream in(text);
    const auto s = io::read_lammps_data<3>(in, "huge_tilt.data");
    REQUIRE(s.has_image());
    std::stringstream out;
    CHECK_THROWS_AS(io::write_lammps_data(out, s), amorph::unsupported);
    // a tilt of 1e8 cell lengths maps within int, but M n with n = 100 does not
    const std::string text2 = "general\n\n1 atoms\n1 atom types\n3 0 0 avec\n0 3 0 bvec\n"
                              "3e8 0 3 cvec\n0 0 0 abc origin\n\nAtoms\n\n1 1 0 1 0.5 0 0 100\n";
    std::istringstream in2(text2);
    const auto s2 = io::read_lammps_data<3>(in2, "big_tilt.data");
    std::stringstream out2;
    CHECK_THROWS_WITH(io::write_lammps_data(out2, s2), Catch::Contains("does not fit in an int"));
    // a tilt of 3e11 lengths: M beyond 2^30, where M n could overflow 64 bits
    const std::string text3 = "general\n\n1 atoms\n1 atom types\n3 0 0 avec\n0 3 0 bvec\n"
                              "1e12 0 3 cvec\n0 0 0 abc origin\n\nAtoms\n\n1 1 0 1 0.5 0 0 1\n";
    std::istringstream in3(text3);
    const auto s3 = io::read_lammps_data<3>(in3, "huge_tilt2.data");
    std::stringstream out3;
    CHECK_THROWS_WITH(io::write_lammps_data(out3, s3), Catch::Contains("more than 2^30 cells"));
}

TEST_CASE("extxyz: species names with a backslash round-trip", "[io][extxyz]") {
    // fuzz finding: species_order="... HLattice\" ended in an escaped quote
    std::mt19937_64 rng(5);
    auto s = iotest::random_system<3>(rng, 6, cell::orthogonal);
    s.properties.clear();
    s.species = species_list::from_names({"A\\", "B\\x"});
    for (std::size_t i = 0; i < s.size(); ++i) s.types[i] = static_cast<int>(i % 2);
    const auto b = xyz_roundtrip(s);
    REQUIRE(b.species.size() == 2);
    CHECK(b.species[0].name == "A\\");
    CHECK(b.species[1].name == "B\\x");
    CHECK(b.types == s.types);
    s.species = species_list::from_names({"A", "B\"x"});  // a quote is refused by name
    std::stringstream out;
    CHECK_THROWS_AS(io::write_extxyz(out, s), amorph::invalid_argument);
}

TEST_CASE("extxyz: multiple frames, species order kept across frames", "[io][extxyz]") {
    std::stringstream ss;
    ss << "2\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:3 Time=0.5\nZr 0 0 0\nCu 1 1 1\n"
       << "3\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:3 step=20\nCu 0 0 0\nAl 1 1 1\nZr 2 2 2\n";
    const std::string text = ss.str();
    std::istringstream in(text);
    io::extxyz_reader<3> rd(in, "two.xyz");
    io::frame<3> f;
    REQUIRE(rd.next(f));
    CHECK(f.info.size() == 1);
    CHECK(f.info[0].first == "Time");
    CHECK(f.system.species[0].name == "Zr");
    CHECK(f.system.ids == std::vector<std::int64_t>{1, 2});
    REQUIRE(rd.next(f));
    CHECK(f.timestep == 20);
    CHECK(f.system.species.size() == 3);
    CHECK(f.system.types == std::vector<int>{1, 2, 0});  // Zr stays type 0
    CHECK(f.system.species[2].mass == Approx(26.982));
    CHECK_FALSE(rd.next(f));
    std::istringstream in2(text);
    CHECK(io::count_extxyz_frames(in2, "two.xyz") == 2);
    std::istringstream in3(text);
    CHECK(io::read_extxyz<3>(in3, "two.xyz", 0).system.size() == 2);
}

TEST_CASE("extxyz: ASE-style file with vector and logical columns", "[io][extxyz]") {
    std::istringstream in(
        "2\nLattice=\"5.0 0.0 0.0 0.0 5.0 0.0 0.0 0.0 5.0\" Properties=species:S:1:pos:R:3:momenta:R:3:fixed:L:1:tag:I:1 "
        "energy=-3.25 pbc=\"T T T\" config_type=bulk\n"
        "Si 0.0 0.0 0.0 0.1 0.2 0.3 T 4\nSi 1.35 1.35 1.35 0.0 0.0 0.0 F 5\n");
    const auto s = io::read_extxyz<3>(in, "ase.xyz").system;
    REQUIRE(s.find_property("momenta_1"));
    CHECK(s.find_property("momenta_1")->values == std::vector<double>{0.2, 0.0});
    CHECK(s.find_property("fixed")->values == std::vector<double>{1.0, 0.0});
    CHECK(s.find_property("tag")->values == std::vector<double>{4.0, 5.0});
    CHECK(s.species[0].mass == Approx(28.085));
    CHECK(s.box.volume() == Approx(125.0));
}

TEST_CASE("plain xyz without a lattice gets a non-periodic bounding cell", "[io][extxyz]") {
    std::istringstream in("3\nwater molecule\nO 0 0 0\nH 0.96 0 0\nH -0.24 0.93 0\n");
    const auto f = io::read_extxyz<3>(in, "water.xyz");
    CHECK(f.system.size() == 3);
    CHECK_FALSE(f.system.box.periodic(0));
    CHECK(f.info.at(0).second == "water molecule");
    for (Eigen::Index i = 0; i < 3; ++i) {
        const vec<3> s = f.system.box.to_fractional(f.system.positions.col(i));
        CHECK((s.array() > 0).all());
        CHECK((s.array() < 1).all());
    }
}

TEST_CASE("format detection, dimension detection and write_system by extension", "[io]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("amorph_io_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::mt19937_64 rng(41);
    const auto s2 = iotest::random_system<2>(rng, 12, cell::triclinic);
    auto s3 = iotest::random_system<3>(rng, 12, cell::orthogonal);
    for (const char* name : {"a.data", "a.lmp", "a.dump", "a.lammpstrj", "a.xyz", "a.extxyz"}) {
        io::write_system(dir / name, s2);
        io::write_system(dir / (std::string("3d_") + name), s3);
    }
    CHECK(io::detect_format(dir / "a.data") == io::file_format::lammps_data);
    CHECK(io::detect_format(dir / "a.lmp") == io::file_format::lammps_data);
    CHECK(io::detect_format(dir / "a.dump") == io::file_format::lammps_dump);
    CHECK(io::detect_format(dir / "a.lammpstrj") == io::file_format::lammps_dump);
    CHECK(io::detect_format(dir / "a.xyz") == io::file_format::extxyz);
    CHECK(io::detect_format(dir / "a.extxyz") == io::file_format::extxyz);
    // The names users give (--format, format=) name the formats detection finds.
    CHECK(io::format_named("data") == io::detect_format(dir / "a.data"));
    CHECK(io::format_named("dump") == io::detect_format(dir / "a.dump"));
    CHECK(io::format_named("extxyz") == io::detect_format(dir / "a.xyz"));
    CHECK(io::format_named("poscar") == io::file_format::poscar);
    CHECK(io::format_named("auto") == io::file_format::auto_detect);
    CHECK_THROWS_WITH(io::format_named("xyz"), "unknown format 'xyz' (auto, data, dump, extxyz, poscar)");
    for (const char* name : {"a.data", "a.dump", "a.xyz"}) {
        INFO(name);
        CHECK(io::detect_dimension(dir / name) == 2);
        CHECK(io::detect_dimension(dir / (std::string("3d_") + name)) == 3);
        const auto b = io::read_system<2>(dir / name);
        CHECK(b.ids == s2.ids);
        CHECK((b.positions - s2.positions).norm() <= 1e-12 * s2.positions.norm());
    }
    // Append frames.
    io::write_options w;
    w.append = true;
    w.timestep = 5;
    io::write_system(dir / "a.dump", s2, w);
    CHECK(io::count_dump_frames(dir / "a.dump") == 2);
    CHECK(io::read_dump<2>(dir / "a.dump", -1).timestep == 5);
    CHECK_THROWS_AS(io::write_system(dir / "a.txt", s2), invalid_argument);
    CHECK_THROWS_AS(io::read_system<3>(dir / "missing.data"), io_error);
    fs::remove_all(dir);
}

TEST_CASE("read_system applies species names and frame selection", "[io]") {
    std::stringstream ss;
    ss << "ITEM: TIMESTEP\n10\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 3\n0 3\n0 3\n"
          "ITEM: ATOMS id type x y z\n1 1 0 0 0\n2 2 1 1 1\n"
          "ITEM: TIMESTEP\n20\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 3\n0 3\n0 3\n"
          "ITEM: ATOMS id type x y z\n7 2 2 2 2\n";
    io::read_options o;
    o.species = {"Cu", "Zr"};
    o.frame = 0;
    const auto s = io::read_system<3>(ss, "two.dump", o);
    CHECK(s.size() == 2);
    CHECK(s.species[1].name == "Zr");
    CHECK(s.species[1].mass == Approx(91.224));
    ss.clear();
    ss.seekg(0);
    o.frame = -1;
    const auto t = io::read_system<3>(ss, "two.dump", o);
    CHECK(t.ids == std::vector<std::int64_t>{7});
}

namespace {
// A stream that cannot seek (like a pipe): tellg() returns -1.
struct noseek_buf : std::streambuf {
    explicit noseek_buf(std::string s) : data(std::move(s)) { setg(data.data(), data.data(), data.data() + data.size()); }
    std::string data;
};
}  // namespace

TEST_CASE("last frame of a stream that cannot seek", "[io][dump][extxyz]") {
    std::mt19937_64 rng(51);
    std::stringstream ss, xs;
    std::vector<amorph::system<3>> frames;
    for (int f = 0; f < 3; ++f) {
        frames.push_back(iotest::random_system<3>(rng, 4 + static_cast<std::size_t>(f), cell::triclinic));
        io::dump_write_options w;
        w.timestep = f;
        io::write_dump(ss, frames.back(), w);
        io::write_extxyz(xs, frames.back());
    }
    noseek_buf b1(ss.str());
    std::istream in1(&b1);
    const auto f = io::read_dump<3>(in1, "pipe.dump", -1);
    CHECK(f.timestep == 2);
    CHECK(f.system.positions == frames[2].positions);
    noseek_buf b2(ss.str());
    std::istream in2(&b2);
    CHECK_THROWS_AS(io::read_dump<3>(in2, "pipe.dump", -2), invalid_argument);
    noseek_buf b3(xs.str());
    std::istream in3(&b3);
    CHECK(io::read_extxyz<3>(in3, "pipe.xyz", -1).system.ids == frames[2].ids);
    noseek_buf b4(ss.str());
    std::istream in4(&b4);
    CHECK(io::read_dump<3>(in4, "pipe.dump", 1).system.ids == frames[1].ids);
}

TEST_CASE("fixtures written by LAMMPS 29Sep2021 (data/lammps_tri_charge.in)", "[io][data][dump]") {
    // The same 75 atoms from write_data, write_dump custom (%.17g) and
    // write_dump atom (scaled, %g, image flags); LAMMPS printed vol = 1440 and
    // x[5] = 1.6809457590714754.
    const std::string dir = AMORPH_TEST_DATA_DIR;
    auto data = io::read_system<3>(dir + "/lammps_tri_charge.data");
    data.sort_by_id();
    CHECK(io::detect_format(dir + "/lammps_tri_charge.data") == io::file_format::lammps_data);
    CHECK(io::detect_format(dir + "/lammps_tri_charge.dump") == io::file_format::lammps_dump);
    CHECK(data.size() == 75);
    CHECK(data.box.volume() == Approx(1440.0).epsilon(1e-15));
    CHECK(data.positions(0, static_cast<Eigen::Index>(data.index_of_ids().at(5))) == 1.6809457590714754);
    CHECK(data.has_charges());
    CHECK(data.species[1].mass == 16.0);
    const auto dump = io::read_system<3>(dir + "/lammps_tri_charge.dump");
    CHECK(dump.ids == data.ids);
    CHECK(dump.positions == data.positions);
    CHECK(dump.velocities == data.velocities);
    CHECK(dump.image == data.image);
    CHECK(dump.charges == data.charges);
    CHECK_FALSE(dump.box.periodic(2));  // boundary p p f
    CHECK(dump.box.h().isApprox(data.box.h(), 1e-15));
    const auto atom = io::read_system<3>(dir + "/lammps_tri_charge_atom.dump");
    CHECK(atom.image == data.image);
    CHECK((atom.positions - data.positions).cwiseAbs().maxCoeff() < 1e-4);
}

TEST_CASE("last frame of a file without a final newline", "[io][dump][extxyz]") {
    const std::string f1 = "ITEM: TIMESTEP\n1\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 4\n0 4\n0 4\n"
                           "ITEM: ATOMS id type x y z\n1 1 0 0 0\n";
    const std::string f2 = "ITEM: TIMESTEP\n2\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 4\n0 4\n0 4\n"
                           "ITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 1 1 1";  // no '\n'
    std::istringstream in(f1 + f2);
    const auto f = io::read_dump<3>(in, "nonl.dump", -1);
    CHECK(f.timestep == 2);
    CHECK(f.system.size() == 2);
    std::istringstream in2(f1 + f2);
    CHECK(io::read_dump<3>(in2, "nonl.dump", -2).timestep == 1);
    std::istringstream in3("1\nProperties=species:S:1:pos:R:3\nCu 0 0 0\n2\nProperties=species:S:1:pos:R:3\nCu 0 0 0\nZr 1 1 1");
    CHECK(io::read_extxyz<3>(in3, "nonl.xyz", -1).system.size() == 2);
}
