// Tests of the potential-spec parsing hook (apps/amorph/potential_spec.hpp):
// LAMMPS-syntax lines from files, presets and command-line options.
#include "common.hpp"
#include "potential_spec.hpp"

#include <amorph/core/error.hpp>

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace amorph::cli;
using words = std::vector<std::string>;

namespace {

// Run `f`, require a parse_error, return it.
template <class F>
amorph::parse_error catch_parse_error(F&& f) {
    try {
        f();
    } catch (const amorph::parse_error& e) {
        return e;
    }
    FAIL("no parse_error thrown");
    throw;  // unreachable
}

potential_spec parse_args(const std::string& args) {
    CLI::App app;
    potential_options opts;
    add_potential_options(app, opts);
    app.parse(args, false);
    return resolve_potential(opts);
}

}  // namespace

TEST_CASE("LAMMPS word splitting: comments, quotes, whitespace", "[potential]") {
    CHECK(split_lammps_words("  pair_style\tlj/cut 2.5   # comment") == words{"pair_style", "lj/cut", "2.5"});
    CHECK(split_lammps_words("pair_coeff * * 'my file.eam' Cu \"Zr\"") ==
          words{"pair_coeff", "*", "*", "my file.eam", "Cu", "Zr"});
    CHECK(split_lammps_words("# only a comment").empty());
    CHECK(split_lammps_words("").empty());
    CHECK(split_lammps_words("a '#not a comment' b") == words{"a", "#not a comment", "b"});
    const auto e = catch_parse_error([] { split_lammps_words("pair_coeff 'open", "f.pot", 7); });
    CHECK(e.file() == "f.pot");
    CHECK(e.line() == 7);
}

TEST_CASE("a potential file with comments, continuation lines and every command", "[potential]") {
    const std::string text =
        "# Al2O3\n"
        "\n"
        "pair_style buck/coul/long 10.0   # rc\n"
        "pair_coeff 1 1 3.1571e7 0.068 14.051\n"
        "pair_coeff 1 2 28477.0 &\n"
        "           0.172 34.578\n"
        "pair_coeff 2 2 6462.69 0.276 85.093\r\n"
        "pair_modify shift yes mix arithmetic\n"
        "kspace_style pppm 1.0e-5\n"
        "kspace_modify order 5\n";
    const auto s = parse_potential_text(text, "alox.pot");
    CHECK(s.style == "buck/coul/long");
    CHECK(s.style_args == words{"10.0"});
    CHECK(s.style_line.line == 3);
    REQUIRE(s.coeffs.size() == 3);
    CHECK(s.coeffs[1].args == words{"1", "2", "28477.0", "0.172", "34.578"});
    CHECK(s.coeffs[1].line == 5);  // a continued command is reported at its first line
    CHECK(s.coeffs[2].line == 7);
    CHECK(s.coeffs[2].args.back() == "85.093");  // CR of a CRLF line stripped
    CHECK(s.coeffs[0].source == "alox.pot");
    REQUIRE(s.modify.size() == 1);
    CHECK(s.modify[0].args == words{"shift", "yes", "mix", "arithmetic"});
    CHECK(s.kspace_style == "pppm");
    CHECK(s.kspace_args == words{"1.0e-5"});
    REQUIRE(s.kspace_modify.size() == 1);
    CHECK(s.kspace_modify[0].line == 10);

    // to_lammps() writes LAMMPS lines that parse back to the same commands.
    const auto again = parse_potential_text(s.to_lammps(), "again");
    CHECK(again.same_commands(s));
    CHECK(s.to_lammps().rfind("pair_style buck/coul/long 10.0\npair_coeff 1 1 3.1571e7", 0) == 0);
}

TEST_CASE("potential file errors name FILE:LINE and the command", "[potential]") {
    struct bad {
        std::string text;
        std::size_t line;
        std::string field;
        std::string fragment;
    };
    const std::vector<bad> cases{
        {"pair_style lj/cut 2.5\npair_coeff 1 1 1 1\nmass 1 1.0\n", 3, "mass", "unknown command"},
        {"\n# c\npair_coeff 1 1 1.0 1.0\n", 3, "pair_coeff", "before pair_style"},
        {"pair_style lj/cut 2.5\npair_style lj/cut 3.0\n", 2, "pair_style", "given twice"},
        {"pair_style\n", 1, "pair_style", "needs a style name"},
        {"pair_style lj/cut 2.5\npair_coeff 1\n", 2, "pair_coeff", "two atom types"},
        {"pair_style lj/cut 2.5\npair_coeff 0 1 1 1\n", 2, "pair_coeff I", "not an atom type"},
        {"pair_style lj/cut 2.5\npair_coeff 1 x 1 1\n", 2, "pair_coeff J", "not an atom type"},
        {"pair_style lj/cut 2.5\npair_coeff 1** * 1 1\n", 2, "pair_coeff I", "not an atom type"},
        {"pair_style lj/cut 2.5\npair_modify shift\n", 2, "pair_modify", "keyword/value"},
        {"pair_style lj/cut 2.5\nkspace_style pppm 1e-5\nkspace_style ewald 1e-6\n", 3, "kspace_style",
         "twice"},
        {"pair_style lj/cut 2.5\nkspace_modify order 5\n", 2, "kspace_modify", "before kspace_style"},
        {"pair_style lj/cut 2.5\npair_coeff 1 1 'x\n", 2, "", "unterminated"},
        {"pair_style lj/cut 2.5\npair_coeff 1 1 &\n", 2, "", "continued"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        const auto e = catch_parse_error([&] { parse_potential_text(c.text, "my.pot"); });
        CHECK(e.file() == "my.pot");
        CHECK(e.line() == c.line);
        CHECK(e.field() == c.field);
        CHECK_THAT(e.what(), Catch::Contains(c.fragment));
        CHECK_THAT(e.what(), Catch::StartsWith("my.pot:" + std::to_string(c.line) + ": "));
    }
    // No pair_style at all: an error about the whole file.
    const auto e = catch_parse_error([] { parse_potential_text("# nothing\n\n", "empty.pot"); });
    CHECK(e.line() == 0);
    CHECK_THAT(e.what(), Catch::StartsWith("empty.pot: pair_style: "));
}

TEST_CASE("valid LAMMPS type ranges in pair_coeff", "[potential]") {
    for (const std::string r : {"1", "12", "*", "2*", "*3", "1*3", "10*20"}) {
        INFO(r);
        const auto s = parse_potential_text("pair_style lj/cut 2.5\npair_coeff " + r + " " + r + " 1 1\n", "p");
        CHECK(s.coeffs.at(0).args.at(0) == r);
    }
    for (const std::string r : {"0", "-1", "a", "**", "1*2*3", "1.5", "0*2", "Cu"}) {
        INFO(r);
        CHECK_THROWS_AS(parse_potential_text("pair_style lj/cut 2.5\npair_coeff " + r + " 1 1 1\n", "p"),
                        amorph::parse_error);
    }
}

TEST_CASE("options: --pair-style with repeated --pair-coeff, --pair-modify and --kspace", "[potential]") {
    const auto s = parse_args(
        "--pair-style lj/cut 2.5 --pair-coeff 1 1 0.5 0.6180339887 --pair-coeff 2 2 0.5 1.1755705046 "
        "--pair-coeff 1 2 1.0 1.0 --pair-modify shift yes --kspace ewald 1e-6");
    CHECK(s.style == "lj/cut");
    CHECK(s.style_args == words{"2.5"});
    REQUIRE(s.coeffs.size() == 3);
    CHECK(s.coeffs[0].args == words{"1", "1", "0.5", "0.6180339887"});
    CHECK(s.coeffs[2].args == words{"1", "2", "1.0", "1.0"});
    CHECK(s.coeffs[2].source == "--pair-coeff");
    CHECK(s.coeffs[2].line == 0);
    REQUIRE(s.modify.size() == 1);
    CHECK(s.modify[0].args == words{"shift", "yes"});
    CHECK(s.kspace_style == "ewald");

    // Negative coefficients are values, not options.
    const auto neg = parse_args("--pair-style table linear 1000 --pair-coeff 1 1 -0.5 2.0");
    CHECK(neg.coeffs.at(0).args == words{"1", "1", "-0.5", "2.0"});

    CHECK(parse_args("").empty());
}

TEST_CASE("command-line potential errors name the option", "[potential]") {
    auto msg = [](const std::string& args) {
        try {
            parse_args(args);
        } catch (const amorph::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(msg("--pair-coeff 1 1 1 1"), Catch::Contains("need --pair-style, --potential or --preset"));
    CHECK_THAT(msg("--pair-style lj/cut 2.5 --preset lj2d-sf"), Catch::Contains("only one of"));
    CHECK_THAT(msg("--pair-style lj/cut 2.5 --pair-coeff 1 q 1 1"),
               Catch::StartsWith("--pair-coeff (pair_coeff J): 'q' is not an atom type"));
    CHECK_THAT(msg("--preset nonsense"), Catch::Contains("unknown preset 'nonsense'") &&
                                             Catch::Contains("lj2d-sf") && Catch::Contains("cuzr-mendelev"));
    // CLI11 itself refuses an option without its words.
    CLI::App app;
    potential_options o;
    add_potential_options(app, o);
    CHECK_THROWS_AS(app.parse("--pair-style", false), CLI::ParseError);
}

TEST_CASE("options: --potential FILE reads LAMMPS lines from disk and extra options append", "[potential]") {
    const auto dir = std::filesystem::temp_directory_path() / "amorph_test_potential_spec";
    std::filesystem::create_directories(dir);
    const auto path = (dir / "cuzr.pot").string();
    {
        std::ofstream f(path);
        f << "# Cu-Zr\npair_style eam/fs\npair_coeff * * /usr/share/lammps/potentials/CuZr_mm.eam.fs Cu Zr\n";
    }
    const auto s = parse_args("--potential " + path + " --pair-modify shift no");
    CHECK(s.style == "eam/fs");
    REQUIRE(s.coeffs.size() == 1);
    CHECK(s.coeffs[0].source == path);
    CHECK(s.coeffs[0].line == 3);
    CHECK(s.coeffs[0].args.at(2) == "/usr/share/lammps/potentials/CuZr_mm.eam.fs");
    REQUIRE(s.modify.size() == 1);
    CHECK(s.modify[0].source == "--pair-modify");

    {
        std::ofstream f(path);
        f << "pair_style eam/fs\n\npair_coef * * x Cu Zr\n";
    }
    const auto e = catch_parse_error([&] { parse_args("--potential " + path); });
    CHECK(std::string(e.what()) == path + ":3: pair_coef: unknown command (a potential file holds "
                                          "pair_style, pair_coeff, pair_modify, kspace_style and "
                                          "kspace_modify lines)");
    CHECK_THROWS_AS(parse_args("--potential " + (dir / "missing.pot").string()), amorph::io_error);
    std::filesystem::remove_all(dir);
}

TEST_CASE("every preset parses and matches its LAMMPS lines", "[potential]") {
    REQUIRE(presets().size() >= 6);
    for (const auto& p : presets()) {
        INFO(p.name);
        const auto s = preset_potential(p.name);
        CHECK(s.preset == p.name);
        CHECK((s.units == "lj" || s.units == "metal"));
        CHECK_FALSE(s.empty());
        CHECK(parse_potential_text(s.to_lammps(), "x").same_commands(s));
        CHECK_FALSE(p.description.empty());
    }
    const auto lj = preset_potential("lj2d-shift");
    CHECK(lj.style == "lj/cut");
    CHECK(lj.coeffs.size() == 3);
    CHECK(lj.modify.at(0).args == words{"shift", "yes"});
    CHECK(lj.coeffs[0].source == "preset lj2d-shift");
    const auto alox = preset_potential("alox-matsui");
    CHECK(alox.kspace_style == "pppm");

    // --kspace replaces the preset's kspace_style; the rest stays.
    const auto mod = parse_args("--preset alox-matsui --kspace pppm 1e-6");
    CHECK(mod.kspace_args == words{"1e-6"});
    CHECK(mod.coeffs.size() == 3);
    // Presets that name LAMMPS potential files point at files that exist here.
    for (const auto& name : {"cuzr-mendelev", "si-sw"}) {
        const auto s = preset_potential(name);
        const auto& file = s.coeffs.at(0).args.at(2);
        INFO(file);
        CHECK(std::filesystem::exists(file));
    }
}
