// apps/amorph/cmd_sample.cpp — `amorph sample MODEL -o FILE`: generate a random
// starting configuration (see sample.hpp). Models: lj2d.
#include "app.hpp"
#include "common.hpp"
#include "progress.hpp"
#include "sample.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace amorph::cli {

namespace {

struct sample_options {
    std::string model;
    lj2d_sample_options lj2d;
    output_options out;
    bool quiet = false;
};

int run_sample(const sample_options& o) {
    const auto fmt = output_format_for(o.out.output, o.out.output_format);  // fail before working
    progress_bar bar("placing atoms", o.lj2d.atoms, !o.quiet);
    const auto sys = lj2d_sample(o.lj2d, [&](std::size_t k) { bar.update(k); });
    bar.finish();
    save_system<2>(o.out.output, sys, fmt);
    if (!o.quiet) {
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
                    "lj2d: 2D binary LJ glass former (Lancon / Falk-Langer), lj units")
        ->required()
        ->check(CLI::IsMember({"lj2d"}));
    add_output_options(*cmd, opts->out, /*required=*/true);
    cmd->add_option("-n,--atoms", opts->lj2d.atoms, "number of atoms")->capture_default_str();
    cmd->add_option("--density", opts->lj2d.density, "number density (sigma^-2)")->capture_default_str();
    cmd->add_option("--seed", opts->lj2d.seed, "random seed")->capture_default_str();
    cmd->add_option("--min-sep", opts->lj2d.min_separation,
                    "minimum distance between atoms, in units of sigma_ij")
        ->capture_default_str();
    add_quiet_option(*cmd, opts->quiet);
    reg.push_back({cmd, [opts] { return run_sample(*opts); }});
}

}  // namespace amorph::cli
