// apps/amorph/app.hpp — the amorph command line: subcommand registry and entry point.
//
// Each subcommand lives in its own cmd_NAME.cpp and registers itself with
// add_NAME_command(app, registry): it adds a CLI11 subcommand with its options
// and registers it with add_command (which adds --threads and --quiet) and a
// run function called after parsing. run() turns every error into one
// line "amorph: error: ..." on stderr:
//   exit 0  success
//   exit 1  an amorph::error (parse errors read "FILE:LINE: FIELD: MESSAGE") or
//           any other exception
//   exit 2  a command-line usage error (unknown option, missing argument, ...)
#pragma once

#include <CLI/App.hpp>

#include <functional>
#include <string>
#include <vector>

namespace amorph::cli {

/// --threads and --quiet mean one thing in every subcommand; add_command
/// registers both, so no subcommand can lack them (tests/cli/check_cli_doc.py
/// checks every one).
struct run_options {
    int threads = 0;     ///< --threads N: oneTBB worker threads (0: all cores)
    bool quiet = false;  ///< --quiet: no progress bar, thermo or informational lines; results still print
};

struct subcommand {
    CLI::App* app;
    const run_options* common;  ///< owned by the subcommand's options, which `body` keeps alive
    std::function<int()> body;

    /// Run the subcommand with oneTBB's parallelism capped at --threads.
    int run() const;
};
using registry = std::vector<subcommand>;

/// Add --threads and --quiet (stored in `common`, a member of the options
/// object that `body` captures) to cmd and register it.
void add_command(registry& reg, CLI::App* cmd, run_options& common, std::function<int()> body);

void add_info_command(CLI::App& app, registry& reg);
void add_convert_command(CLI::App& app, registry& reg);
void add_sample_command(CLI::App& app, registry& reg);
// potentials and dynamics (issues 3, 4): cmd_energy.cpp, cmd_minimize.cpp, cmd_md.cpp, cmd_quench.cpp
void add_energy_command(CLI::App& app, registry& reg);
void add_minimize_command(CLI::App& app, registry& reg);
void add_md_command(CLI::App& app, registry& reg);
void add_quench_command(CLI::App& app, registry& reg);
// normal modes (issue 28): cmd_modes.cpp
void add_modes_command(CLI::App& app, registry& reg);

/// Parse argv, run the chosen subcommand, map errors to messages and exit codes.
int run(int argc, char** argv);

}  // namespace amorph::cli
