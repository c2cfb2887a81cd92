// apps/amorph/cmd_convert.cpp — `amorph convert IN OUT`: rewrite a configuration
// in another format. The input format is detected from the content (--format to
// override), the output format from OUT's extension (--output-format to
// override). Atom ids, types, species names, masses, charges, velocities, image
// flags and extra per-atom columns are carried over wherever the output format
// has room for them.
#include "app.hpp"
#include "common.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace amorph::cli {

namespace {

struct convert_options {
    input_options in;
    output_options out;
    bool quiet = false;
};

int run_convert(const convert_options& o) {
    const auto out_format = output_format_for(o.out.output, o.out.output_format);  // fail early
    const int dim = resolve_dimension(o.in);
    return with_dimension(dim, [&](auto d) {
        constexpr int D = decltype(d)::value;
        const auto sys = load_system<D>(o.in);
        save_system<D>(o.out.output, sys, out_format);
        if (!o.quiet)
            std::cout << "wrote " << sys.size() << " atoms (" << D << "D) to " << o.out.output << " ("
                      << io::to_string(out_format) << ")\n";
        return 0;
    });
}

}  // namespace

void add_convert_command(CLI::App& app, registry& reg) {
    auto opts = std::make_shared<convert_options>();
    auto* cmd = app.add_subcommand("convert", "convert between LAMMPS data, LAMMPS dump and extxyz");
    add_input_options(*cmd, opts->in, "IN");
    cmd->add_option("OUT", opts->out.output,
                    "output file; format by extension: .xyz/.extxyz, .dump/.lammpstrj, .data/.lmp")
        ->required();
    cmd->add_option("--output-format", opts->out.output_format, "output format (default: by extension)")
        ->check(CLI::IsMember({"auto", "data", "dump", "extxyz"}))
        ->default_str("auto");
    add_quiet_option(*cmd, opts->quiet);
    reg.push_back({cmd, [opts] { return run_convert(*opts); }});
}

}  // namespace amorph::cli
