// apps/amorph/app.cpp — see app.hpp.
#include "app.hpp"
#include "common.hpp"
#include "cmd_deform.hpp"
#include "cmd_flex.hpp"
#include "cmd_learn.hpp"
#include "cmd_structure.hpp"

#include <amorph/core/error.hpp>

#include <CLI/CLI.hpp>

#include <tbb/global_control.h>

#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace amorph::cli {

namespace {

// One line: newlines in a message (CLI11 joins some with them) become "; ".
std::string one_line(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    std::string out;
    for (char c : s) {
        if (c == '\n') out += "; ";
        else out += c;
    }
    return out;
}

int report(const std::string& msg, int code) {
    std::fprintf(stderr, "amorph: error: %s\n", one_line(msg).c_str());
    return code;
}

}  // namespace

void add_command(registry& reg, CLI::App* cmd, run_options& common, std::function<int()> body) {
    cmd->add_option("--threads", common.threads, "worker threads (default: all cores)")
        ->check(non_negative);
    cmd->add_flag("-q,--quiet", common.quiet,
                  "no progress bar, thermo or informational lines (results and summaries still print)");
    reg.push_back({cmd, &common, std::move(body)});
}

int subcommand::run() const {
    std::optional<tbb::global_control> cap;
    if (common->threads > 0)
        cap.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(common->threads));
    return body();
}

int run(int argc, char** argv) {
    CLI::App app{"amorph — analysis and simulation of amorphous solids"};
    app.name("amorph");
    app.set_version_flag("--version", "amorph " AMORPH_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);

    registry reg;
    add_info_command(app, reg);
    add_convert_command(app, reg);
    add_sample_command(app, reg);
    add_deform_commands(app, reg);
    add_sf_command(app, reg);
    add_phop_command(app, reg);
    add_softness_command(app, reg);
    add_sdm_commands(app, reg);
    add_voronoi_command(app, reg);
    add_rdf_command(app, reg);
    add_coord_command(app, reg);
    add_bonds_command(app, reg);
    add_clusters_command(app, reg);
    add_stress_command(app, reg);
    add_orient_command(app, reg);
    add_corr_command(app, reg);
    add_profile_command(app, reg);
    add_energy_command(app, reg);
    add_minimize_command(app, reg);
    add_md_command(app, reg);
    add_quench_command(app, reg);
    add_modes_command(app, reg);
    add_flex_commands(app, reg);

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --help-all, --version
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return report(std::string(e.what()) + " (see 'amorph --help')", 2);
    }

    try {
        for (auto& s : reg)
            if (s.app->parsed()) return s.run();
        return report("no subcommand given (see 'amorph --help')", 2);
    } catch (const amorph::error& e) {
        return report(e.what(), 1);
    } catch (const CLI::Error& e) {
        return report(e.what(), 2);
    } catch (const std::exception& e) {
        return report(e.what(), 1);
    } catch (...) {
        return report("unknown failure", 1);
    }
}

}  // namespace amorph::cli
