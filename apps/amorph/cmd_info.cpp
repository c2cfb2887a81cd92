// apps/amorph/cmd_info.cpp — `amorph info FILE`: what is in a configuration file.
//
// Prints: format, dimension, atoms, atoms per species (name, LAMMPS type, mass),
// the per-atom arrays present (velocities, image flags, charges, extra columns),
// the cell vectors (columns of the h-matrix) and origin, LAMMPS's form of the
// cell (lx ly lz xy xz yz after the rotation to_lammps() applies), periodic
// flags, volume V (area in 2D) = det h, number density N / V, and the mass
// density sum_i m_i / V when every species mass is known:
//   metal, 3D: g/cm^3 = (amu / A^3) * 1.66053906660  (1 amu = 1.66053906660e-24 g,
//              1 A^3 = 1e-24 cm^3)
//   metal, 2D: amu/A^2;   lj: mass / sigma^D (reduced).
// --csv writes the same quantities as "quantity,value,unit" rows.
#include "app.hpp"
#include "common.hpp"
#include "table.hpp"

#include <amorph/core/lammps_cell.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace amorph::cli {

namespace {

struct info_options {
    input_options in;
    std::string units = "metal";
    std::string csv;
    run_options run;  ///< --threads, --quiet
};

template <int D>
std::string vector_text(const Eigen::Matrix<double, D, 1>& v) {
    std::string s = "(";
    for (int k = 0; k < D; ++k) s += (k ? ", " : "") + format_number(v(k));
    return s + ")";
}

template <int D>
scalar_report info_report(const amorph::system<D>& sys, const info_options& o, io::file_format fmt) {
    const auto& u = units::by_name(o.units);
    const bool lj = u.reduced();
    const std::string len(u.length);
    const std::string vol_unit = units::volume_unit(u, D);

    scalar_report r;
    r.add_text("file", o.in.file);
    r.add_text("format", io::to_string(fmt));
    r.add("dimension", D);
    r.add("atoms", static_cast<double>(sys.size()));
    r.add("species", static_cast<double>(sys.species.size()));
    const auto counts = sys.type_counts();
    for (std::size_t t = 0; t < sys.species.size(); ++t) {
        const auto& sp = sys.species[t];
        std::string unit = "(type " + std::to_string(t + 1);
        unit += sp.has_mass() ? ", mass " + format_number(sp.mass) + ")" : ", mass unknown)";
        r.add("count " + sp.name, static_cast<double>(counts[t]), unit);
    }

    std::string arrays = "id type position";
    if (sys.has_velocities()) arrays += " velocity";
    if (sys.has_forces()) arrays += " force";
    if (sys.has_image()) arrays += " image";
    if (sys.has_charges()) arrays += " charge";
    for (const auto& p : sys.properties) arrays += " " + p.name;
    r.add_text("per-atom data", arrays);

    const auto& box = sys.box;
    const char* axis = "abc";
    for (int k = 0; k < D; ++k)
        r.add_text(std::string("cell vector ") + axis[k], vector_text<D>(box.h().col(k)));
    r.add_text("origin", vector_text<D>(box.origin()));

    const auto L = to_lammps(box).bounds;
    r.add("lx", L.xhi - L.xlo, len);
    r.add("ly", L.yhi - L.ylo, len);
    if constexpr (D == 3) r.add("lz", L.zhi - L.zlo, len);
    r.add("xy", L.xy, len);
    if constexpr (D == 3) {
        r.add("xz", L.xz, len);
        r.add("yz", L.yz, len);
    }
    std::string pbc;
    for (int k = 0; k < D; ++k) pbc += std::string(k ? " " : "") + (box.periodic(k) ? "p" : "f");
    r.add_text("periodic", pbc);

    const double V = box.volume();
    r.add(D == 3 ? "volume" : "area", V, vol_unit);
    r.add("number density", static_cast<double>(sys.size()) / V, "1/" + vol_unit);
    if (sys.species.all_masses_known()) {
        double m = 0;
        for (std::size_t t = 0; t < counts.size(); ++t) m += static_cast<double>(counts[t]) * sys.species[t].mass;
        if (lj)
            r.add("mass density", m / V, "mass/" + vol_unit);
        else if (D == 3)
            r.add("mass density", m / V * units::amu_per_A3_in_g_per_cm3, "g/cm^3");
        else
            r.add("mass density", m / V, "amu/A^2");
    } else {
        r.add_text("mass density", "unknown (name the types with --species, or give Masses in the file)");
    }
    return r;
}

int run_info(const info_options& o) {
    const int dim = resolve_dimension(o.in);
    const auto fmt = input_format(o.in);
    return with_dimension(dim, [&](auto d) {
        constexpr int D = decltype(d)::value;
        const auto sys = load_system<D>(o.in);
        const auto report = info_report<D>(sys, o, fmt);
        report.print(std::cout);
        if (!o.csv.empty()) report.write_csv(o.csv);
        return 0;
    });
}

}  // namespace

void add_info_command(CLI::App& app, registry& reg) {
    auto opts = std::make_shared<info_options>();
    auto* cmd = app.add_subcommand("info", "atoms, species, cell, volume and densities of a configuration");
    add_input_options(*cmd, opts->in);
    add_units_option(*cmd, opts->units);
    add_csv_option(*cmd, opts->csv);
    add_command(reg, cmd, opts->run, [opts] { return run_info(*opts); });
}

}  // namespace amorph::cli
