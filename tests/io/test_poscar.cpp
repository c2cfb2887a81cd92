// VASP POSCAR / CONTCAR (io/poscar.hpp): the layouts VASP 4 and 5 allow
// (names or not, scale, negative scale = volume, three scale factors,
// Selective dynamics, Direct / Cartesian), hand-computed positions, a write ->
// read round trip, detection by content and by name, one-line errors with
// the line number. ASE's own POSCARs: tests/io/test_ase_peer.cpp.
#include "amorph/io/io.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <sstream>

#include <unistd.h>

using namespace amorph;

namespace {
amorph::system<3> parse(const std::string& text, const io::poscar_read_options& o = {}) {
    std::istringstream in(text);
    return io::read_poscar<3>(in, "POSCAR", o);
}
}  // namespace

TEST_CASE("poscar: VASP 5 direct coordinates, selective dynamics, species and counts", "[io][poscar]") {
    const auto s = parse("Cu Zr test\n 2.0\n 2 0 0\n 0.5 3 0\n 0 0 4\n Cu Zr\n 2 1\nSelective dynamics\nDirect\n"
                         "0 0 0 T T T\n0.5 0.5 0.5 F F F\n0.25 0 0.75 T F T Zr\n");
    REQUIRE(s.size() == 3);
    REQUIRE(s.species.size() == 2);
    CHECK(s.species[0].name == "Cu");
    CHECK(s.species[1].name == "Zr");
    CHECK(s.species[1].mass == Approx(91.224));
    CHECK(s.types == std::vector<int>{0, 0, 1});
    CHECK(s.ids == std::vector<std::int64_t>{1, 2, 3});
    CHECK(s.box.h()(0, 0) == 4.0);
    CHECK(s.box.h()(0, 1) == 1.0);  // b = 2 (0.5, 3, 0)
    CHECK(s.box.h()(1, 1) == 6.0);
    CHECK(s.box.h()(2, 2) == 8.0);
    // x = h f: (0.5, 0.5, 0.5) -> (0.5*4 + 0.5*1, 0.5*6, 0.5*8)
    CHECK(s.positions(0, 1) == 2.5);
    CHECK(s.positions(1, 1) == 3.0);
    CHECK(s.positions(2, 1) == 4.0);
    CHECK(s.positions(0, 2) == 1.0);
    CHECK(s.positions(2, 2) == 6.0);
}

TEST_CASE("poscar: VASP 4 (no names), negative scale, three scales, Cartesian", "[io][poscar]") {
    // no names: "1", "2" or the caller's; scale -V sets the volume
    const auto a = parse("old\n-64\n1 0 0\n0 1 0\n0 0 1\n1 1\nCartesian\n0 0 0\n0.5 0.25 0\n");
    CHECK(a.species[0].name == "1");
    CHECK(a.box.volume() == Approx(64.0).epsilon(1e-14));
    CHECK(a.positions(0, 1) == Approx(2.0).epsilon(1e-14));  // Cartesian positions scaled too (factor 4)
    CHECK(a.positions(1, 1) == Approx(1.0).epsilon(1e-14));
    io::poscar_read_options o;
    o.species = {"Ni", "P"};
    CHECK(parse("old\n-64\n1 0 0\n0 1 0\n0 0 1\n1 1\nCartesian\n0 0 0\n0.5 0.25 0\n", o).species[1].name == "P");
    const auto b = parse("axes\n1 2 3\n1 0 0\n0 1 0\n0 0 1\nSi\n1\nCartesian\n1 1 1\n");
    CHECK(b.box.h()(1, 1) == 2.0);
    CHECK(b.box.h()(2, 2) == 3.0);
    CHECK(b.positions(2, 0) == 3.0);
}

TEST_CASE("poscar: write -> read round trip, 3D and 2D, detection", "[io][poscar]") {
    std::mt19937_64 rng(9);
    auto s3 = iotest::random_system<3>(rng, 60, iotest::cell::triclinic, false);
    s3.box = amorph::box<3>(s3.box.h());  // POSCAR has no origin
    for (Eigen::Index i = 0; i < s3.positions.cols(); ++i) s3.positions.col(i) = s3.box.wrap(s3.positions.col(i));
    std::stringstream ss;
    io::write_poscar(ss, s3);
    const auto back = io::read_poscar<3>(ss, "rt");
    REQUIRE(back.size() == s3.size());
    CHECK(back.box.h() == s3.box.h());
    // grouped by type, file order within a type
    std::size_t k = 0;
    for (int t = 0; t < 2; ++t)
        for (std::size_t i = 0; i < s3.size(); ++i)
            if (s3.types[i] == t) {
                CHECK(back.types[k] == t);
                CHECK(back.positions.col(static_cast<Eigen::Index>(k)) == s3.positions.col(static_cast<Eigen::Index>(i)));
                ++k;
            }
    std::ostringstream none;  // VASP has no empty configuration
    CHECK_THROWS_AS(io::write_poscar(none, amorph::system<3>(s3.box, 0)), unsupported);
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_poscar_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto s2 = iotest::random_system<2>(rng, 40, iotest::cell::orthogonal, false);
    s2.box = amorph::box<2>(s2.box.h());
    io::write_system(dir / "flat.vasp", s2);
    CHECK(io::format_from_extension(dir / "CONTCAR") == io::file_format::poscar);
    CHECK(io::detect_format(dir / "flat.vasp") == io::file_format::poscar);
    CHECK(io::detect_dimension(dir / "flat.vasp") == 2);
    const auto b2 = io::read_system<2>(dir / "flat.vasp");
    CHECK(b2.box.h() == s2.box.h());
    CHECK(b2.size() == 40);
    std::filesystem::remove_all(dir);
}

TEST_CASE("poscar: malformed files are one-line errors with the line", "[io][poscar]") {
    auto fails_at = [](const std::string& text, std::size_t line, const char* field) {
        INFO(text);
        try {
            parse(text);
            FAIL("parsed");
        } catch (const parse_error& e) {
            CHECK(e.line() == line);
            CHECK(e.field() == field);
        }
    };
    fails_at("c\n", 2, "scale");
    fails_at("c\n1 2\n", 2, "scale");
    fails_at("c\n0\n1 0 0\n0 1 0\n0 0 1\n", 2, "scale");
    fails_at("c\n1\n1 0 0\n0 1\n", 4, "lattice");
    fails_at("c\n1\n1 0 0\n0 1 0\n0 0 0\nA\n1\nC\n0 0 0\n", 5, "lattice");
    fails_at("c\n1\n1 0 0\n0 1 0\n0 0 1\nA B\n1\nC\n0 0 0\n", 7, "counts");
    fails_at("c\n1\n1 0 0\n0 1 0\n0 0 1\nA\n-1\nC\n", 7, "counts");
    fails_at("c\n1\n1 0 0\n0 1 0\n0 0 1\nA\n2\nX\n", 8, "coordinates");
    fails_at("c\n1\n1 0 0\n0 1 0\n0 0 1\nA\n2\nDirect\n0 0 0\n", 10, "positions");
    fails_at("c\n1\n1 0 0\n0 1 0\n0 0 1\nA\n1\nDirect\n0 nan 0\n", 9, "positions");
    // a repeated name is one species (ASE's runs of unsorted atoms)
    const auto runs = parse("c\n1\n1 0 0\n0 1 0\n0 0 1\nCu Zr Cu\n1 1 1\nC\n0 0 0\n1 1 1\n0.5 0 0\n");
    CHECK(runs.species.size() == 2);
    CHECK(runs.types == std::vector<int>{0, 1, 0});
}
