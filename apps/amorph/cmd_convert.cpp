// apps/amorph/cmd_convert.cpp — `amorph convert IN OUT`: rewrite a configuration
// in another format. The input format is detected from the content (--format to
// override), the output format from OUT's extension (--output-format to
// override). Atom ids, types, species names, masses, charges, velocities, image
// flags and extra per-atom columns are carried over wherever the output format
// has room for them.
#include "app.hpp"
#include "common.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>
#include <memory>

namespace amorph::cli {

namespace {

struct convert_options {
    input_options in;
    output_options out;
    std::vector<int> replicate;
    double mass_density = 0;
    run_options run;
};

template <int D>
void edit_system(amorph::system<D>& sys, const convert_options& o) {
    if (!o.replicate.empty()) {
        if (o.replicate.size() != static_cast<std::size_t>(D))
            throw invalid_argument("--replicate: give " + std::to_string(D) + " counts (NX,NY" +
                                   (D == 3 ? ",NZ" : "") + ") for a " + std::to_string(D) + "D file");
        std::array<int, D> n{};
        std::copy(o.replicate.begin(), o.replicate.end(), n.begin());
        sys = replicate(sys, n);
    }
    if (o.mass_density > 0) {
        if (D != 3 || sys.units != &units::metal)
            throw invalid_argument("--mass-density needs a 3D file in metal units");
        double m = 0;
        for (std::size_t i = 0; i < sys.size(); ++i) {
            if (!(sys.mass(i) > 0))
                throw invalid_argument("--mass-density: the mass of species '" +
                                       sys.species[static_cast<std::size_t>(sys.types[i])].name +
                                       "' is unknown (name the types with --species)");
            m += sys.mass(i);
        }
        const double now = m / sys.box.volume() * units::amu_per_A3_in_g_per_cm3;
        sys.deform(mat<D>::Identity() * std::cbrt(now / o.mass_density));
    }
}

int run_convert(const convert_options& o) {
    const auto out_format = output_format_for(o.out.output, o.out.output_format);  // fail early
    const int dim = resolve_dimension(o.in);
    return with_dimension(dim, [&](auto d) {
        constexpr int D = decltype(d)::value;
        auto sys = load_system<D>(o.in);
        edit_system(sys, o);
        save_system<D>(o.out.output, sys, out_format);
        if (!o.run.quiet)
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
                    "output file; format by extension: .xyz/.extxyz, .dump/.lammpstrj, .data/.lmp, .vasp/POSCAR")
        ->required();
    cmd->add_option("--output-format", opts->out.output_format, "output format (default: by extension)")
        ->check(CLI::IsMember({"auto", "data", "dump", "extxyz", "poscar"}))
        ->default_str("auto");
    cmd->add_option("--replicate", opts->replicate, "repeat the cell NX,NY[,NZ] times (LAMMPS replicate)")
        ->delimiter(',')
        ->check(positive);
    cmd->add_option("--mass-density", opts->mass_density,
                    "scale the cell and atoms isotropically to this mass density (g/cm^3, metal units)")
        ->check(positive);
    add_command(reg, cmd, opts->run, [opts] { return run_convert(*opts); });
}

}  // namespace amorph::cli
