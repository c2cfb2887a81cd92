// Runs the built `amorph` executable as a user would: on files written here by
// hand (with known boxes) and on samples it generates itself. Checks the values
// `info` reports, `convert` round trips, and the error convention: one line
// "amorph: error: FILE:LINE: ..." on stderr and a non-zero exit status.
#include "cli_run.hpp"

#include <amorph/io/io.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

using namespace cli_test;

void write(const fs::path& p, const std::string& text) {
    std::ofstream f(p);
    f << text;
}

// Fields of one CSV line ("..." quoting with "" escapes).
std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> f(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') f.back() += '"', ++i;
            else if (c == '"') quoted = false;
            else f.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            f.emplace_back();
        } else {
            f.back() += c;
        }
    }
    return f;
}

// quantity -> value from `info --csv`.
std::map<std::string, std::string> read_csv(const fs::path& p) {
    std::map<std::string, std::string> m;
    std::istringstream in(slurp(p));
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "quantity,value,unit");
    while (std::getline(in, line)) {
        const auto f = csv_fields(line);
        INFO(line);
        REQUIRE(f.size() == 3);
        m[f[0]] = f[1];
    }
    return m;
}

double num(const std::map<std::string, std::string>& m, const std::string& key) {
    INFO("quantity " << key);
    REQUIRE(m.count(key) == 1);
    return std::stod(m.at(key));
}

// One line, "amorph: error: " first.
void check_error_line(const result& r) {
    INFO("stderr: " << r.err);
    CHECK(r.err.rfind("amorph: error: ", 0) == 0);
    REQUIRE(!r.err.empty());
    CHECK(r.err.back() == '\n');
    CHECK(r.err.find('\n') == r.err.size() - 1);
}

// A triclinic cell in LAMMPS form: lx 10, ly 12, lz 14, xy 2, xz 1, yz -1.5.
const std::string triclinic_data_head =
    "LAMMPS data file for the amorph CLI tests\n"
    "\n"
    "4 atoms\n"
    "2 atom types\n"
    "\n"
    "0.0 10.0 xlo xhi\n"
    "0.0 12.0 ylo yhi\n"
    "0.0 14.0 zlo zhi\n"
    "2.0 1.0 -1.5 xy xz yz\n"
    "\n";
const std::string triclinic_atoms =
    "Atoms # atomic\n"
    "\n"
    "1 1 1.0 1.0 1.0\n"
    "2 2 2.0 2.0 2.0\n"
    "3 1 3.0 3.0 3.0\n"
    "4 2 4.0 4.0 4.0\n";

}  // namespace

TEST_CASE("info: a triclinic 3D data file with masses", "[cli]") {
    const auto dir = workdir("info3d");
    write(dir / "tri.data", triclinic_data_head + "Masses\n\n1 63.546\n2 91.224\n\n" + triclinic_atoms);
    const auto r = run_amorph(dir, "info " + (dir / "tri.data").string() + " --csv " + (dir / "tri.csv").string());
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("volume") != std::string::npos);
    const auto m = read_csv(dir / "tri.csv");
    CHECK(num(m, "dimension") == 3);
    CHECK(num(m, "atoms") == 4);
    CHECK(num(m, "species") == 2);
    CHECK(num(m, "count 1") == 2);
    CHECK(num(m, "count 2") == 2);
    CHECK(num(m, "lx") == Approx(10.0));
    CHECK(num(m, "ly") == Approx(12.0));
    CHECK(num(m, "lz") == Approx(14.0));
    CHECK(num(m, "xy") == Approx(2.0));
    CHECK(num(m, "xz") == Approx(1.0));
    CHECK(num(m, "yz") == Approx(-1.5));
    CHECK(num(m, "volume") == Approx(1680.0).epsilon(1e-10));
    CHECK(num(m, "number density") == Approx(4.0 / 1680.0).epsilon(1e-9));
    // (2 * 63.546 + 2 * 91.224) amu / 1680 A^3 in g/cm^3.
    CHECK(num(m, "mass density") == Approx(309.54 / 1680.0 * 1.66053906660).epsilon(1e-9));
    CHECK(m.at("periodic") == "p p p");
    CHECK(m.at("format") == "lammps-data");
}

TEST_CASE("info: --species names the types and supplies element masses", "[cli]") {
    const auto dir = workdir("species");
    write(dir / "tri.data", triclinic_data_head + triclinic_atoms);  // no Masses section
    auto r = run_amorph(dir, "info " + (dir / "tri.data").string() + " --csv " + (dir / "a.csv").string());
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto m = read_csv(dir / "a.csv");
    CHECK(m.at("mass density").rfind("unknown", 0) == 0);

    r = run_amorph(dir, "info --species Cu,Zr " + (dir / "tri.data").string() + " --csv " + (dir / "b.csv").string());
    REQUIRE(r.code == 0);
    m = read_csv(dir / "b.csv");
    CHECK(num(m, "count Cu") == 2);
    CHECK(num(m, "count Zr") == 2);
    CHECK(num(m, "mass density") == Approx(309.54 / 1680.0 * 1.66053906660).epsilon(1e-9));
    // metal units by default: lengths in A
    CHECK(r.out.find("g/cm^3") != std::string::npos);
}

TEST_CASE("sample + info: a 2D lj2d configuration", "[cli]") {
    const auto dir = workdir("sample2d");
    const auto data = (dir / "s.data").string();
    auto r = run_amorph(dir, "sample lj2d -n 500 --density 0.9 --seed 3 -o " + data);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());  // no progress bar without a terminal
    r = run_amorph(dir, "info --units lj " + data + " --csv " + (dir / "s.csv").string());
    REQUIRE(r.code == 0);
    const auto m = read_csv(dir / "s.csv");
    CHECK(num(m, "dimension") == 2);
    CHECK(num(m, "atoms") == 500);
    CHECK(num(m, "area") == Approx(500.0 / 0.9).epsilon(1e-9));
    CHECK(num(m, "number density") == Approx(0.9).epsilon(1e-9));
    CHECK(num(m, "mass density") == Approx(0.9).epsilon(1e-9));
    CHECK(m.at("periodic") == "p p");
    // N_L = round(500 (1+sqrt5) / (5+sqrt5)) = 224 large, 276 small.
    CHECK(num(m, "count S") == 276);
    CHECK(num(m, "count L") == 224);
}

TEST_CASE("convert: data -> extxyz -> dump -> data keeps every atom", "[cli]") {
    const auto dir = workdir("convert");
    const auto d0 = (dir / "a.data").string(), x = (dir / "b.xyz").string(), dmp = (dir / "c.dump").string(),
               d1 = (dir / "d.data").string();
    REQUIRE(run_amorph(dir, "sample lj2d -n 300 --seed 9 -q -o " + d0).code == 0);
    for (const auto& [from, to] : {std::pair{d0, x}, {x, dmp}, {dmp, d1}}) {
        const auto r = run_amorph(dir, "convert " + from + " " + to);
        INFO(from << " -> " << to << ": " << r.err);
        REQUIRE(r.code == 0);
        CHECK(r.out.find("wrote 300 atoms (2D)") != std::string::npos);
    }
    const auto a = amorph::io::read_system<2>(d0), b = amorph::io::read_system<2>(x),
               c = amorph::io::read_system<2>(dmp), d = amorph::io::read_system<2>(d1);
    for (const auto* s : {&b, &c, &d}) {
        REQUIRE(s->size() == a.size());
        CHECK(s->ids == a.ids);
        CHECK(s->types == a.types);
        CHECK((s->positions - a.positions).cwiseAbs().maxCoeff() < 1e-8);
        CHECK((s->box.h() - a.box.h()).cwiseAbs().maxCoeff() < 1e-8);
    }
    // --format overrides detection; --output-format overrides the extension.
    auto r = run_amorph(dir, "convert --format extxyz " + x + " " + (dir / "e.out").string() + " --output-format data");
    INFO(r.err);
    REQUIRE(r.code == 0);
    amorph::io::read_options as_data;
    as_data.format = amorph::io::file_format::lammps_data;
    CHECK(amorph::io::read_system<2>((dir / "e.out").string(), as_data).size() == 300);
    // An unknown output extension fails before any work.
    r = run_amorph(dir, "convert " + d0 + " " + (dir / "x.unknown").string());
    CHECK(r.code == 1);
    check_error_line(r);
}

TEST_CASE("info --frame picks a dump frame (0-based, negative from the end)", "[cli]") {
    const auto dir = workdir("frames");
    auto frame = [](int step, int n, double side) {
        std::ostringstream s;
        s << "ITEM: TIMESTEP\n" << step << "\nITEM: NUMBER OF ATOMS\n" << n << "\nITEM: BOX BOUNDS pp pp pp\n";
        for (int k = 0; k < 3; ++k) s << "0 " << side << "\n";
        s << "ITEM: ATOMS id type x y z c_pe\n";
        for (int i = 1; i <= n; ++i) s << i << " 1 " << 0.5 * i << " 1.5 2.5 -3.25\n";
        return s.str();
    };
    write(dir / "t.dump", frame(0, 2, 5.0) + frame(100, 3, 6.0));
    // Returns atoms * 1000 + volume: 3216 for the last frame, 2125 for the first.
    auto atoms_volume = [&](const std::string& opt) {
        const auto csv = (dir / "f.csv").string();
        const auto r = run_amorph(dir, "info " + (dir / "t.dump").string() + " " + opt + " --csv " + csv);
        INFO(opt << ": " << r.err);
        REQUIRE(r.code == 0);
        const auto m = read_csv(csv);
        return num(m, "atoms") * 1000 + num(m, "volume");
    };
    CHECK(atoms_volume("") == Approx(3216.0));
    CHECK(atoms_volume("--frame 0") == Approx(2125.0));
    CHECK(atoms_volume("--frame -2") == Approx(2125.0));
    CHECK(atoms_volume("--frame 1") == Approx(3216.0));
    const auto m = read_csv(dir / "f.csv");
    CHECK(m.at("per-atom data") == "id type position c_pe");
    CHECK(m.at("format") == "lammps-dump");
    const auto r = run_amorph(dir, "info " + (dir / "t.dump").string() + " --frame 5");
    CHECK(r.code == 1);
    check_error_line(r);
}

TEST_CASE("malformed input: one line 'amorph: error: FILE:LINE: ...', exit 1", "[cli]") {
    const auto dir = workdir("malformed");
    const auto bad = (dir / "bad.data").string();
    // Line 14 is the second atom line; its x is not a number.
    write(bad, triclinic_data_head + "Atoms # atomic\n\n1 1 1.0 1.0 1.0\n2 2 abc 2.0 2.0\n3 1 3.0 3.0 3.0\n4 2 4.0 4.0 4.0\n");
    auto r = run_amorph(dir, "info " + bad);
    CHECK(r.code == 1);
    check_error_line(r);
    CHECK(r.err.rfind("amorph: error: " + bad + ":14: ", 0) == 0);
    CHECK(r.out.empty());

    // Truncated: the header promises 4 atoms, the file has 2.
    const auto cut = (dir / "cut.data").string();
    write(cut, triclinic_data_head + "Atoms # atomic\n\n1 1 1.0 1.0 1.0\n2 2 2.0 2.0 2.0\n");
    r = run_amorph(dir, "convert " + cut + " " + (dir / "out.xyz").string());
    CHECK(r.code == 1);
    check_error_line(r);
    CHECK(r.err.find(cut + ":") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out.xyz"));

    // A file that does not exist.
    r = run_amorph(dir, "info " + (dir / "missing.data").string());
    CHECK(r.code == 1);
    check_error_line(r);
    CHECK(r.err.find("missing.data") != std::string::npos);
}

TEST_CASE("usage errors: one line, exit 2, --help and --version exit 0", "[cli]") {
    const auto dir = workdir("usage");
    for (const std::string args : {"", "info", "frobnicate", "info x.data --bogus", "info x.data --dim 4",
                                   "info x.data --format pdb", "info x.data --species Cu,,Zr", "sample lj2d", "sample lj3d -o x.data"}) {
        INFO("amorph " << args);
        const auto r = run_amorph(dir, args);
        CHECK(r.code == 2);
        check_error_line(r);
    }
    auto r = run_amorph(dir, "--help");
    CHECK(r.code == 0);
    CHECK(r.out.find("info") != std::string::npos);
    CHECK(r.out.find("convert") != std::string::npos);
    r = run_amorph(dir, "info --help");
    CHECK(r.code == 0);
    CHECK(r.out.find("--species") != std::string::npos);
    r = run_amorph(dir, "--version");
    CHECK(r.code == 0);
    CHECK(r.out.rfind("amorph ", 0) == 0);
}

TEST_CASE("sample: a request that cannot be met fails with one line", "[cli]") {
    const auto dir = workdir("sample_fail");
    const auto r = run_amorph(dir, "sample lj2d -n 200 --min-sep 2 -o " + (dir / "x.data").string());
    CHECK(r.code == 1);
    check_error_line(r);
    CHECK(r.err.find("could not place atom") != std::string::npos);
}
