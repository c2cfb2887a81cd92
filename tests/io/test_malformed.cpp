// Malformed input: every error class raises amorph::parse_error naming the
// file, the line and the field at fault.
#include "amorph/io/io.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

using namespace amorph;

namespace {

template <class F>
void expect_parse_error(F&& f, std::size_t line, const std::string& field, const std::string& words = "") {
    try {
        f();
        FAIL("no parse_error thrown");
    } catch (const parse_error& e) {
        INFO(e.what());
        CHECK(e.line() == line);
        CHECK(e.field() == field);
        CHECK(e.file() == "bad.in");
        if (!words.empty()) CHECK(std::string(e.what()).find(words) != std::string::npos);
    }
}

void data_error(const std::string& text, std::size_t line, const std::string& field, const std::string& words = "") {
    for (int d : {2, 3}) {
        INFO("D = " << d << "\n" << text);
        expect_parse_error(
            [&] {
                std::istringstream in(text);
                if (d == 2) (void)io::read_lammps_data<2>(in, "bad.in");
                else (void)io::read_lammps_data<3>(in, "bad.in");
            },
            line, field, words);
    }
}

void dump_error(const std::string& text, std::size_t line, const std::string& field, const std::string& words = "",
                std::vector<std::string> species = {}) {
    for (int d : {2, 3}) {
        INFO("D = " << d << "\n" << text);
        expect_parse_error(
            [&] {
                std::istringstream in(text);
                io::dump_read_options o;
                o.species = species;
                if (d == 2) (void)io::read_dump<2>(in, "bad.in", 0, o);
                else (void)io::read_dump<3>(in, "bad.in", 0, o);
            },
            line, field, words);
    }
}

void xyz_error(const std::string& text, std::size_t line, const std::string& field, const std::string& words = "",
               std::vector<std::string> species = {}) {
    for (int d : {2, 3}) {
        INFO("D = " << d << "\n" << text);
        expect_parse_error(
            [&] {
                std::istringstream in(text);
                io::extxyz_read_options o;
                o.species = species;
                if (d == 2) (void)io::read_extxyz<2>(in, "bad.in", 0, o);
                else (void)io::read_extxyz<3>(in, "bad.in", 0, o);
            },
            line, field, words);
    }
}

// Header of a 2-atom data file (7 lines, the Atoms keyword on line 9).
const std::string H0 = "title\n\n2 atoms\n2 atom types\n0 4 xlo xhi\n0 4 ylo yhi\n0 4 zlo zhi\n\n";
const std::string H = H0 + "Atoms # atomic\n\n";

const std::string DH = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 4\n0 4\n0 4\n";

}  // namespace

TEST_CASE("data file errors", "[io][data][malformed]") {
    // sanity: the base file is valid
    {
        std::istringstream in(H + "1 1 0 0 0\n2 2 1 1 1\n");
        CHECK(io::read_lammps_data<3>(in, "ok").size() == 2);
    }
    data_error("", 1, "", "empty file");
    data_error(H + "1 1 0 0 0\n", 12, "Atoms", "unexpected end of file");                 // truncated
    data_error(H + "1 1 0 0 0\n\nVelocities\n\n1 0 0 0\n", 13, "Atoms", "found 1");     // wrong atom count
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n3 1 2 2 2\n", 13, "section", "more lines");    // more atoms than the header
    data_error(H + "1 1 0 abc 0\n2 2 1 1 1\n", 11, "y", "expected a number");            // non-numeric field
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n\nPair Stuff\n\n1 1\n", 14, "section", "unknown section");
    data_error(H + "7 1 0 0 0\n7 2 1 1 1\n", 12, "id", "duplicate atom id 7");          // duplicated id
    data_error(H + "1 1 0 0 nan\n2 2 1 1 1\n", 11, "z", "finite");                        // NaN coordinate
    data_error(H + "1 1 inf 0 0\n2 2 1 1 1\n", 11, "x", "finite");                        // inf coordinate
    data_error(H + "1 1 0 0 0\n2 3 1 1 1\n", 12, "type", "out of range");                 // type out of range
    data_error(H + "1 0 0 0 0\n2 1 1 1 1\n", 11, "type", "out of range");
    data_error(H + "1 1 0 0 0 0\n2 2 1 1 1\n", 11, "Atoms", "columns");                   // wrong column count
    data_error(H + "1 1 0 0 0 1 1\n2 2 1 1 1\n", 11, "Atoms", "columns");
    data_error(H + "1 1 0 0 0 1 1 x\n2 2 1 1 1\n", 11, "iz", "integer");                  // bad image flag
    data_error(H + "-1 1 0 0 0\n2 2 1 1 1\n", 11, "id", "positive");
    data_error(H + "1.5 1 0 0 0\n2 2 1 1 1\n", 11, "id", "integer");
    // zero / negative volume boxes
    data_error("t\n\n1 atoms\n1 atom types\n0 0 xlo xhi\n", 5, "xlo xhi", "zero or negative");
    data_error("t\n\n1 atoms\n1 atom types\n0 4 xlo xhi\n0 4 ylo yhi\n3 -1 zlo zhi\n", 7, "zlo zhi", "zero or negative");
    data_error("t\n\n1 atoms\n1 atom types\n1 0 0 avec\n2 0 0 bvec\n0 0 1 cvec\n", 7, "avec", "zero volume");
    data_error("t\n\n1 atoms\n1 atom types\n0 nan xlo xhi\n", 5, "xhi", "finite");
    // header problems
    data_error("t\n\n1e18 atoms\n", 3, "atoms", "integer");
    data_error("t\n\n-5 atoms\n", 3, "atoms", ">= 0");
    data_error("t\n\n2 widgets\n", 3, "header", "unknown header keyword");
    data_error("t\n\n2 atoms\n2 atoms\n0 1 xlo xhi\n0 1 xlo xhi\n", 6, "xlo xhi", "twice");
    data_error("t\n\n1 atoms\n2000000 atom types\n", 4, "atom types", "more than");
    // a header claiming a huge atom count is bounded by the file, not reserved
    data_error("t\n\n1000000000000000000 atoms\n1 atom types\n\nAtoms\n\n1 1 0 0 0\n", 9, "Atoms", "end of file");
    data_error("t\n\n2 atoms\n1 atom types\n", 5, "Atoms", "no Atoms section");
    // styles
    data_error(H0 + "Atoms # sphere\n\n1 1 0 0 0\n", 9, "Atoms", "unsupported atom style");
    data_error(H0 + "Atoms # charge\n\n1 1 0 0 0\n2 1 0 0 0\n", 11, "Atoms", "columns for atom style charge");
    // sections
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n\nVelocities\n\n1 0 0 0\n9 0 0 0\n", 17, "id", "unknown atom id 9");
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n\nVelocities\n\n1 0 0 0\n2 0 inf 0\n", 17, "vy", "finite");
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n\nMasses\n\n1 1.0\n2 -1.0\n", 17, "mass", "positive");
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n\nMasses\n\n1 1.0\n3 1.0\n", 17, "type", "out of range");
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n\nAtoms\n\n", 14, "Atoms", "given twice");
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n\nBonds\n\n1 1 1 2\n", 14, "Bonds", "header count is 0");
    data_error(H + "1 1 0 0 0\n2 2 1 1 1\n\nEllipsoids\n\n", 14, "Ellipsoids", "atom style");
}

TEST_CASE("data file: tolerated LAMMPS syntax", "[io][data]") {
    // Comments anywhere, extra headers, skipped coefficient sections, image flags, tabs, CRLF.
    const std::string text =
        "LAMMPS data file via write_data, version 29 Sep 2021, timestep = 0\r\n\r\n"
        "3 atoms # count\n2 atom types\n0 bonds\n0 angles\n1 bond types\n"
        "0 extra bond per atom\n\n"
        "-2 2 xlo xhi\n-2 2 ylo yhi\n-2 2 zlo zhi\n"
        "# a comment line\n"
        "Pair Coeffs # lj/cut\n\n1 1 1\n2 1 1.1 # comment\n\n"
        "PairIJ Coeffs\n\n1 1 1 1\n1 2 1 1\n2 2 1 1\n\n"
        "Bond Coeffs\n\n1 1 1\n\n"
        "Atoms # atomic\n\n"
        "1\t1 0 0 0 0 0 0\n2 2 1 1 1 -1 2 0 # with image\n3 1 1.5 -1.5 0.25\n\n"
        "Masses\n\n1 26.98 # Al\n2 16.00 # O\n";
    std::istringstream in(text);
    const auto s = io::read_lammps_data<3>(in, "ok.data");
    CHECK(s.size() == 3);
    CHECK(s.has_image());
    CHECK(s.image(0, 1) == -1);
    CHECK(s.image(1, 1) == 2);
    CHECK(s.image(0, 2) == 0);
    CHECK(s.species[0].name == "Al");
    CHECK(s.species[1].mass == 16.0);
    // Column-count inference without the style comment: 6 columns -> charge.
    std::istringstream in2("t\n\n1 atoms\n1 atom types\n\nAtoms\n\n1 1 -0.5 0 0 0\n");
    const auto c = io::read_lammps_data<3>(in2, "c.data");
    REQUIRE(c.has_charges());
    CHECK(c.charges[0] == -0.5);
    // Full style keeps the molecule id.
    std::istringstream in3("t\n\n1 atoms\n1 atom types\n\nAtoms # full\n\n1 4 1 -0.5 0 0 0\n");
    const auto f = io::read_lammps_data<3>(in3, "f.data");
    CHECK(f.find_property("mol")->values[0] == 4.0);
    // An explicit option wins over the column count.
    io::data_read_options o;
    o.style = io::atom_style::molecular;
    std::istringstream in4("t\n\n1 atoms\n1 atom types\n\nAtoms\n\n1 4 1 0 0 0\n");
    CHECK(io::read_lammps_data<3>(in4, "m.data", o).find_property("mol"));
    // Wrong number of species names is the caller's error.
    o.style = io::atom_style::auto_detect;
    o.species = {"A", "B", "C"};
    std::istringstream in5(text);
    CHECK_THROWS_AS(io::read_lammps_data<3>(in5, "ok.data", o), invalid_argument);
}

TEST_CASE("dump errors", "[io][dump][malformed]") {
    const std::string A = "ITEM: ATOMS id type x y z\n";  // line 9
    {
        std::istringstream in(DH + A + "1 1 0 0 0\n2 2 1 1 1\n");
        CHECK(io::read_dump<3>(in, "ok", 0).system.size() == 2);
    }
    dump_error(DH + A + "1 1 0 0 0\n", 11, "ATOMS", "end of file");                  // truncated
    dump_error(DH + A + "1 1 0 0 0\n" + DH + A, 11, "ATOMS", "before the next ITEM");  // wrong atom count
    dump_error(DH + A + "1 1 0 zz 0\n2 2 1 1 1\n", 10, "y", "expected a number");
    dump_error(DH + A + "1 1 0 0 0\n1 2 1 1 1\n", 11, "id", "duplicate atom id 1");
    dump_error(DH + A + "1 1 nan 0 0\n2 2 1 1 1\n", 10, "x", "finite");
    dump_error(DH + "ITEM: ATOMS id type xs ys zs\n1 1 -inf 0 0\n2 2 1 1 1\n", 10, "xs", "finite");
    dump_error(DH + A + "1 1 0 0\n2 2 1 1 1\n", 10, "ATOMS", "columns");
    dump_error(DH + "ITEM: ATOMS id type x z\n1 1 0 0\n2 2 1 1\n", 9, "ATOMS", "missing required position");
    dump_error(DH + "ITEM: ATOMS id type y\n1 1 0\n2 2 1\n", 9, "ATOMS", "missing required position");
    dump_error(DH + "ITEM: ATOMS id x y z x\n", 9, "ATOMS", "twice");
    dump_error(DH + A + "1 0 0 0 0\n2 2 1 1 1\n", 10, "type", "out of range");
    dump_error(DH + A + "1 1 0 0 0\n2 3 1 1 1\n", 11, "type", "out of range", {"Cu", "Zr"});
    dump_error(DH + "ITEM: ATOMS id type element x y z\n1 1 Cu 0 0 0\n2 1 Zr 1 1 1\n", 11, "element", "both");
    dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 0\n0 4\n0 4\n" + A +
                   "1 1 0 0 0\n",
               5, "BOX BOUNDS", "zero or negative");
    dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 4\n0 4 5\n0 4\n", 7,
               "BOX BOUNDS", "expected 2 numbers");
    dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp px pp\n", 5, "BOX BOUNDS",
               "boundary flag");
    dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 4\n0 4\n0 nan\n", 8,
               "z bounds", "finite");
    dump_error("ITEM: TIMESTEP\n0\nITEM: COLOR\n", 3, "ITEM", "unknown item");
    dump_error("ITEM: TIMESTEP\nzero\n", 2, "TIMESTEP", "integer");
    dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1e18\n", 4, "NUMBER OF ATOMS", "integer");
    dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1000000000000000000\nITEM: BOX BOUNDS pp pp pp\n0 4\n0 4\n0 4\n" +
                   A + "1 1 0 0 0\n",
               11, "ATOMS", "end of file");
    dump_error("hello\n", 1, "ITEM", "expected 'ITEM: TIMESTEP'");
    dump_error("ITEM: TIMESTEP\n0\nITEM: ATOMS id x y z\n", 3, "NUMBER OF ATOMS", "missing");
    dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n", 4, "NUMBER OF ATOMS", "end of file");
    // An empty file has no frame 0.
    std::istringstream empty("");
    CHECK_THROWS_AS(io::read_dump<3>(empty, "bad.in", 0), invalid_argument);
    std::istringstream empty2("\n\n");
    CHECK_THROWS_AS(io::read_dump<3>(empty2, "bad.in", -1), parse_error);
}

TEST_CASE("extxyz errors", "[io][extxyz][malformed]") {
    const std::string L = "Lattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:3:id:I:1";
    {
        std::istringstream in("2\n" + L + "\nCu 0 0 0 1\nZr 1 1 1 2\n");
        CHECK(io::read_extxyz<3>(in, "ok", 0).system.size() == 2);
    }
    xyz_error("2\n" + L + "\nCu 0 0 0 1\n", 4, "atoms", "end of file");                // truncated
    xyz_error("2\n" + L + "\nCu 0 0 0 1\nZr 1 1 1\n", 4, "atoms", "columns");          // column count
    xyz_error("two\n" + L + "\n", 1, "count", "integer");
    xyz_error("2 atoms\n" + L + "\n", 1, "count", "alone");
    xyz_error("2\n" + L + "\nCu 0 0 0 1\nZr 1 nan 1 2\n", 4, "y", "finite");          // NaN coordinate
    xyz_error("2\n" + L + "\nCu 0 0 0 1\nZr 1 x 1 2\n", 4, "y", "expected a number"); // non-numeric
    xyz_error("2\n" + L + "\nCu 0 0 0 3\nZr 1 1 1 3\n", 4, "id", "duplicate atom id 3");
    xyz_error("1\nLattice=\"4 0 0 0 4 0 0 0\" Properties=species:S:1:pos:R:3\nCu 0 0 0\n", 2, "Lattice", "expected 9");
    xyz_error("1\nLattice=\"4 0 0 8 0 0 0 0 4\" Properties=species:S:1:pos:R:3\nCu 0 0 0\n", 2, "Lattice", "zero volume");
    xyz_error("1\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1\nCu\n", 2, "Properties", "missing required column pos");
    xyz_error("1\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:X:3\nCu 0 0 0\n", 2, "Properties", "type must be");
    xyz_error("1\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:2\nCu 0 0\n", 2, "Properties", "R:3");
    xyz_error("1\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:3:a:R:0\nCu 0 0 0\n", 2, "Properties", "count");
    xyz_error("1\nLattice=\"4 0 0 0 4 0 0 0 4 Properties=species:S:1:pos:R:3\nCu 0 0 0\n", 2, "comment", "unbalanced");
    xyz_error("1\nLattice=\"4 0 0 0 4 0 0 0 4\" pbc=\"T T\"\nCu 0 0 0\n", 2, "pbc", "three");
    xyz_error("1\npbc=\"T T T\"\nCu 0 0 0\n", 2, "pbc", "need a Lattice");
    xyz_error("2\n" + L + "\nCu 0 0 0 1\nAl 1 1 1 2\n", 4, "species", "not among", {"Cu", "Zr"});
    xyz_error("1\nProperties=Z:I:1:pos:R:3\n0 0 0 0\n", 3, "Z", "atomic number");
}

TEST_CASE("huge type numbers are bounded and fast", "[io][malformed]") {
    // Regression (fuzzing): a single atom of type 900000 used to build the
    // species list in O(n^2).
    const std::string dump = DH.substr(0, DH.find("ITEM: NUMBER")) +
                             "ITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 4\n0 4\n0 4\n"
                             "ITEM: ATOMS id type x y z\n1 900000 0 0 0\n";
    std::istringstream in(dump);
    const auto f = io::read_dump<3>(in, "big.dump");
    CHECK(f.system.species.size() == 900000);
    CHECK(f.system.types[0] == 899999);
    std::istringstream in2(dump.substr(0, dump.size() - 17) + "1 1000001 0 0 0\n");
    CHECK_THROWS_AS(io::read_dump<3>(in2, "big.dump"), parse_error);
    std::istringstream in3("t\n\n1 atoms\n1000000 atom types\n\nAtoms\n\n1 1000000 0 0 0\n");
    const auto s = io::read_lammps_data<3>(in3, "big.data");
    CHECK(s.species.size() == 1000000);
    CHECK(s.species[999999].name == "1000000");
    // Caller-given names must be unique.
    io::dump_read_options o;
    o.species = {"Cu", "Cu"};
    std::istringstream in4(dump);
    CHECK_THROWS_AS(io::read_dump<3>(in4, "big.dump", -1, o), invalid_argument);
}

TEST_CASE("a cell LAMMPS cannot represent is refused by the writers, not corrupted", "[io][malformed]") {
    // Regression (fuzzing): origin 1e308 with a 3 A cell: xlo + lx rounds to xlo.
    const mat<3> h = mat<3>::Identity() * 3.0;
    amorph::system<3> s(box<3>(h, vec<3>(0, 1e308, 0)), 2);
    s.species = species_list::numbered(1);
    std::stringstream xyz;
    io::write_extxyz(xyz, s);  // extxyz stores the origin separately: fine
    CHECK(io::read_extxyz<3>(xyz, "big.xyz").system.box.origin()(1) == 1e308);
    std::ostringstream out;
    CHECK_THROWS_AS(io::write_lammps_data(out, s), unsupported);
    CHECK_THROWS_AS(io::write_dump(out, s), unsupported);
}
