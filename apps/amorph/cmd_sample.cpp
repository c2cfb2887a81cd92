// apps/amorph/cmd_sample.cpp — `amorph sample MODEL -o FILE`: generate a random
// starting configuration (see sample.hpp). Models: lj2d (2D, lj units), alox
// (Al2O3 with charges, metal units) and cuzr (Cu_x Zr_(1-x), metal units).
#include "app.hpp"
#include "common.hpp"
#include "progress.hpp"
#include "sample.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <type_traits>

namespace amorph::cli {

namespace {

struct sample_options {
    std::string model;
    std::size_t atoms = 0;         ///< 0: the model's default
    double density = 0.0;          ///< lj2d number density; 0: default
    double mass_density = 0.0;     ///< alox, g/cm^3; 0: default
    double composition = 0.5;      ///< cuzr: Cu fraction x
    double volume = 0.0;           ///< cuzr: A^3 per atom; 0: default
    std::uint64_t seed = 1;
    double min_sep = -1.0;         ///< < 0: the model's default
    output_options out;
    run_options run;
};

int run_sample(const sample_options& o, const CLI::App& cmd) {
    const auto fmt = output_format_for(o.out.output, o.out.output_format);  // fail before working
    // place `atoms` atoms with a progress bar, write the file, return the system
    auto place = [&](std::size_t atoms, const auto& generate) {
        progress_bar bar("placing atoms", atoms, !o.run.quiet);
        const auto sys = generate([&](std::size_t k) { bar.update(k); });
        bar.finish();
        save_system<std::remove_cvref_t<decltype(sys)>::dim>(o.out.output, sys, fmt);
        return sys;
    };
    if (o.model != "cuzr" && (cmd.count("--composition") || cmd.count("--volume")))
        throw invalid_argument("sample " + o.model + ": --composition and --volume are for cuzr");
    if (o.model == "cuzr") {
        if (cmd.count("--density") || cmd.count("--mass-density"))
            throw invalid_argument("sample cuzr: give the density as --volume (A^3 per atom)");
        cuzr_sample_options c;
        if (o.atoms) c.atoms = o.atoms;
        c.cu_fraction = o.composition;
        if (cmd.count("--volume")) c.volume = o.volume;
        c.seed = o.seed;
        if (cmd.count("--min-sep")) c.min_separation = o.min_sep;
        const auto sys = place(c.atoms, [&](const auto& progress) { return cuzr_sample(c, progress); });
        if (!o.run.quiet) {
            const auto counts = sys.type_counts();
            std::cout << "wrote " << sys.size() << " atoms (" << counts[0] << " Cu, " << counts[1]
                      << " Zr) in a cube of side " << sys.box.h()(0, 0) << " A to " << o.out.output << "\n";
        }
        return 0;
    }
    if (o.model == "alox") {
        if (cmd.count("--density"))
            throw invalid_argument("sample alox: give the density as --mass-density (g/cm^3)");
        alox_sample_options a;
        if (o.atoms) a.atoms = o.atoms;
        if (cmd.count("--mass-density")) a.mass_density = o.mass_density;
        a.seed = o.seed;
        if (cmd.count("--min-sep")) a.min_separation = o.min_sep;
        const auto sys = place(a.atoms, [&](const auto& progress) { return alox_sample(a, progress); });
        if (!o.run.quiet) {
            const auto counts = sys.type_counts();
            std::cout << "wrote " << sys.size() << " atoms (" << counts[0] << " Al, " << counts[1]
                      << " O, charges +1.4175 / -0.945) in a cube of side " << sys.box.h()(0, 0) << " A to "
                      << o.out.output << "\n";
        }
        return 0;
    }
    if (cmd.count("--mass-density")) throw invalid_argument("sample lj2d: --mass-density is for alox; use --density");
    lj2d_sample_options l;
    if (o.atoms) l.atoms = o.atoms;
    if (cmd.count("--density")) l.density = o.density;
    l.seed = o.seed;
    if (cmd.count("--min-sep")) l.min_separation = o.min_sep;
    const auto sys = place(l.atoms, [&](const auto& progress) { return lj2d_sample(l, progress); });
    if (!o.run.quiet) {
        const auto counts = sys.type_counts();
        std::cout << "wrote " << sys.size() << " atoms (" << counts[0] << " small S, " << counts[1]
                  << " large L) in a " << sys.box.h()(0, 0) << " x " << sys.box.h()(1, 1)
                  << " box (lj units) to " << o.out.output << "\n";
    }
    return 0;
}

}  // namespace

void add_sample_command(CLI::App& app, registry& reg) {
    auto opts = std::make_shared<sample_options>();
    auto* cmd = app.add_subcommand("sample", "generate a random starting configuration");
    cmd->add_option("MODEL", opts->model,
                    "lj2d: 2D binary LJ glass former (Lancon / Falk-Langer), lj units; "
                    "alox: Matsui Al2O3 with charges (preset alox-matsui), metal units; "
                    "cuzr: Cu_x Zr_(1-x) (preset cuzr-mendelev), metal units")
        ->required()
        ->check(CLI::IsMember({"lj2d", "alox", "cuzr"}));
    add_output_options(*cmd, opts->out, /*required=*/true);
    cmd->add_option("-n,--atoms", opts->atoms, "number of atoms (default: lj2d 10000, alox 8100, a multiple of 5, cuzr 2000)");
    cmd->add_option("--density", opts->density, "lj2d: number density (sigma^-2; default 1.02436)");
    cmd->add_option("--mass-density", opts->mass_density, "alox: mass density (g/cm^3; default 3.175)");
    cmd->add_option("--composition", opts->composition, "cuzr: Cu fraction x of Cu_x Zr_(1-x)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--volume", opts->volume, "cuzr: volume per atom (A^3; default 18.5)");
    cmd->add_option("--seed", opts->seed, "random seed")->capture_default_str();
    cmd->add_option("--min-sep", opts->min_sep,
                    "minimum distances: lj2d in units of sigma_ij (default 0.8); alox a factor on "
                    "Al-Al 2.4, O-O 2.0, Al-O 1.6 A (default 1); cuzr in A (default 2.2)");
    add_command(reg, cmd, opts->run, [opts, cmd] { return run_sample(*opts, *cmd); });
}

}  // namespace amorph::cli
