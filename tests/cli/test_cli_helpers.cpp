// Tests of the CLI's helpers: number/CSV formatting, tables, and the lj2d
// random sample generator (checked against a brute-force pair search).
#include "sample.hpp"
#include "table.hpp"

#include <amorph/core/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <sstream>

using namespace amorph::cli;

TEST_CASE("numbers print with 10 significant digits, CSV fields are quoted when needed", "[cli]") {
    CHECK(format_number(98.8045) == "98.8045");
    CHECK(format_number(1.0 / 3.0) == "0.3333333333");
    CHECK(format_number(1e-12) == "1e-12");
    CHECK(format_number(10000) == "10000");
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
}

TEST_CASE("scalar report: aligned text and CSV rows", "[cli]") {
    scalar_report r;
    r.add_text("file", "x.data");
    r.add("atoms", 4);
    r.add("volume", 1680, "A^3");
    r.add_note("(a note)");
    std::ostringstream text, csv;
    r.print(text);
    r.write_csv(csv);
    CHECK(text.str() == "file    x.data\natoms   4\nvolume  1680 A^3\n        (a note)\n");
    CHECK(csv.str() == "quantity,value,unit\nfile,x.data,\natoms,4,\nvolume,1680,A^3\n");
    CHECK(r.value("volume") == 1680);
    CHECK_THROWS(r.value("nope"));
    CHECK_THROWS_AS(r.write_csv(std::string("/nonexistent-dir/x.csv")), amorph::io_error);
}

TEST_CASE("curve table: header, alignment, CSV", "[cli]") {
    table t({"r", "g(r)"});
    t.add_row({0.5, 0});
    t.add_row({1.25, 2.5});
    CHECK_THROWS_AS(t.add_row({1.0}), amorph::invalid_argument);
    std::ostringstream text, csv;
    t.print(text);
    t.write_csv(csv);
    CHECK(text.str() == " # r  g(r)\n 0.5     0\n1.25   2.5\n");
    CHECK(csv.str() == "r,g(r)\n0.5,0\n1.25,2.5\n");
}

TEST_CASE("lj2d sample: composition, box, minimum separation, determinism", "[cli]") {
    CHECK(amorph::potential::presets::lj2d_sigma(0, 0) == Approx(0.6180339887).epsilon(1e-10));
    CHECK(amorph::potential::presets::lj2d_sigma(1, 1) == Approx(1.1755705046).epsilon(1e-10));
    CHECK(amorph::potential::presets::lj2d_sigma(0, 1) == 1.0);

    lj2d_sample_options opt;
    opt.atoms = 1000;
    opt.seed = 42;
    std::size_t last_progress = 0;
    const auto sys = lj2d_sample(opt, [&](std::size_t k) { last_progress = k; });
    CHECK(last_progress == 1000);
    REQUIRE(sys.size() == 1000);
    // N_L : N_S = (1 + sqrt 5) : 4  ->  N_L = round(1000 * 3.2360680 / 7.2360680) = 447.
    const auto counts = sys.type_counts();
    CHECK(counts[1] == 447);
    CHECK(counts[0] == 553);
    // The study's N = 10000 gives its 5528 / 4472 split.
    {
        const double g = 1.0 + std::sqrt(5.0);
        CHECK(std::llround(10000.0 * g / (g + 4.0)) == 4472);
    }
    CHECK(sys.box.volume() == Approx(1000.0 / opt.density).epsilon(1e-12));
    CHECK(opt.density == Approx(1.02435).epsilon(1e-5));
    CHECK(sys.units->name == "lj");
    CHECK(sys.species[0].name == "S");
    CHECK(sys.species[1].mass == 1.0);

    // Brute force over all pairs and the 9 periodic images: no pair closer than f sigma_ij.
    const double L = sys.box.h()(0, 0);
    double worst = 1e300;
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const auto xi = sys.x(i);
        REQUIRE(xi(0) >= 0.0);
        REQUIRE(xi(0) < L);
        REQUIRE(xi(1) >= 0.0);
        REQUIRE(xi(1) < L);
        for (std::size_t j = i + 1; j < sys.size(); ++j)
            for (int a = -1; a <= 1; ++a)
                for (int b = -1; b <= 1; ++b) {
                    const double dx = sys.x(j)(0) - xi(0) + a * L, dy = sys.x(j)(1) - xi(1) + b * L;
                    const double ratio = std::sqrt(dx * dx + dy * dy) / amorph::potential::presets::lj2d_sigma(sys.types[i], sys.types[j]);
                    worst = std::min(worst, ratio);
                }
    }
    CHECK(worst >= opt.min_separation);
    CHECK(worst < opt.min_separation + 0.05);  // dense enough that the bound is nearly reached

    // Same seed, same positions; another seed, other positions.
    const auto again = lj2d_sample(opt);
    CHECK(again.positions == sys.positions);
    opt.seed = 43;
    const auto other = lj2d_sample(opt);
    CHECK(other.positions != sys.positions);
}

TEST_CASE("alox sample: composition, charges, density, minimum distances, determinism", "[cli]") {
    alox_sample_options opt;
    opt.atoms = 500;
    opt.seed = 7;
    const auto sys = alox_sample(opt);
    REQUIRE(sys.size() == 500);
    const auto counts = sys.type_counts();
    CHECK(counts[0] == 200);
    CHECK(counts[1] == 300);
    CHECK(sys.species[0].name == "Al");
    CHECK(sys.species[1].name == "O");
    REQUIRE(sys.has_charges());
    double q = 0.0;
    for (std::size_t i = 0; i < sys.size(); ++i) {
        CHECK(sys.charges[i] == (sys.types[i] == 0 ? 1.4175 : -0.945));
        q += sys.charges[i];
    }
    CHECK(std::abs(q) < 1e-10);
    // mass density 3.175 g/cm^3
    const double mass = 200 * 26.9815 + 300 * 15.9994;
    CHECK(mass / 6.02214076e23 / (sys.box.volume() * 1e-24) == Approx(3.175).epsilon(1e-12));
    // types in random order (not all Al first)
    std::size_t al_first = 0;
    for (std::size_t i = 0; i < 200; ++i) al_first += sys.types[i] == 0;
    CHECK(al_first < 150);
    // brute force over all pairs and the 27 images: no pair closer than its minimum
    const double L = sys.box.h()(0, 0);
    const double dmin[2][2] = {{2.4, 1.6}, {1.6, 2.0}};
    double worst = 1e300;
    for (std::size_t i = 0; i < sys.size(); ++i)
        for (std::size_t j = i + 1; j < sys.size(); ++j)
            for (int a = -1; a <= 1; ++a)
                for (int b = -1; b <= 1; ++b)
                    for (int c = -1; c <= 1; ++c) {
                        const amorph::vec<3> d = sys.x(j) - sys.x(i) + amorph::vec<3>(a * L, b * L, c * L);
                        worst = std::min(worst, d.norm() / dmin[sys.types[i]][sys.types[j]]);
                    }
    CHECK(worst >= 1.0);
    CHECK(worst < 1.1);
    CHECK(alox_sample(opt).positions == sys.positions);
    opt.atoms = 12;
    CHECK_THROWS_WITH(alox_sample(opt), Catch::Contains("multiple of 5"));
}

TEST_CASE("cuzr sample: composition, volume, minimum distance, determinism", "[cli]") {
    cuzr_sample_options opt;
    opt.atoms = 400;
    opt.cu_fraction = 0.64;
    opt.seed = 3;
    const auto sys = cuzr_sample(opt);
    REQUIRE(sys.size() == 400);
    const auto counts = sys.type_counts();
    CHECK(counts[0] == 256);  // round(0.64 * 400)
    CHECK(counts[1] == 144);
    CHECK(sys.species[0].name == "Cu");
    CHECK(sys.species[1].name == "Zr");
    CHECK(sys.species[1].mass == 91.224);
    CHECK(sys.box.volume() / 400 == Approx(18.5).epsilon(1e-12));
    std::size_t cu_first = 0;  // random type order
    for (std::size_t i = 0; i < 144; ++i) cu_first += sys.types[i] == 0;
    CHECK(cu_first < 130);
    const double L = sys.box.h()(0, 0);
    double worst = 1e300;
    for (std::size_t i = 0; i < sys.size(); ++i)
        for (std::size_t j = i + 1; j < sys.size(); ++j)
            for (int a = -1; a <= 1; ++a)
                for (int b = -1; b <= 1; ++b)
                    for (int c = -1; c <= 1; ++c)
                        worst = std::min(worst, (sys.x(j) - sys.x(i) + amorph::vec<3>(a * L, b * L, c * L)).norm());
    CHECK(worst >= 2.2);
    CHECK(worst < 2.4);
    CHECK(cuzr_sample(opt).positions == sys.positions);
    opt.volume = 4.0;  // no room for 2.2 A spheres
    opt.max_tries = 500;
    CHECK_THROWS_WITH(cuzr_sample(opt), Catch::Contains("could not place atom"));
    opt.volume = 18.5;
    opt.cu_fraction = 1.5;
    CHECK_THROWS_WITH(cuzr_sample(opt), Catch::Contains("--composition"));
}

TEST_CASE("lj2d sample: impossible requests fail with a message", "[cli]") {
    lj2d_sample_options opt;
    opt.atoms = 200;
    opt.min_separation = 1.5;  // far beyond random close packing
    opt.max_tries = 2000;
    CHECK_THROWS_WITH(lj2d_sample(opt), Catch::Contains("could not place atom"));
    opt.atoms = 1;
    CHECK_THROWS_AS(lj2d_sample(opt), amorph::invalid_argument);
    opt.atoms = 10;
    opt.density = -1;
    CHECK_THROWS_AS(lj2d_sample(opt), amorph::invalid_argument);
}
