// apps/amorph/cmd_structure.hpp — the static-structure subcommands (issue 6) and
// the atom-selection language they share.
//
//   amorph voronoi FILE [-o out.xyz] [--radical --radii A:R,B:R]   cmd_voronoi.cpp
//   amorph stress FILE [potential] [-o out.xyz]                    cmd_stress.cpp
//   amorph rdf FILE --rmax R --bins N [--partial]                  cmd_pairs.cpp
//   amorph coord FILE --cutoff A-B:R ... [-o out.xyz]              cmd_pairs.cpp
//   amorph corr FILE --property NAME --rmax R --bins N             cmd_pairs.cpp
//   amorph orient FILE --rmax R --zeta X,Y,Z [--phi ...]           cmd_pairs.cpp
//   amorph bonds REF CUR --center Al --neighbor O --cutoff 2.25    cmd_selection.cpp
//   amorph clusters FILE --select ... --cutoff R [-o out.xyz]      cmd_selection.cpp
//   amorph profile FILE --select ... --axis z --width W            cmd_selection.cpp
//
// Curves print as tables (table.hpp) and go to --csv FILE; per-atom results
// become columns of the -o configuration (extxyz keeps every column).
//
// Selection (--select TERM, repeatable; an atom is selected when every term holds):
//   species=NAME        the atom's species (a name, or a LAMMPS type number)
//   PROP>V PROP>=V PROP<V PROP<=V PROP=V
//                       a per-atom column of the file (extxyz property, dump
//                       column) or id/type/x/y/z
//   top:PROP:F          of the atoms the other terms select, the fraction F
//   bottom:PROP:F       with the largest (smallest) PROP; ties broken by file order
// With no term every atom is selected.
#pragma once

#include "app.hpp"

#include <amorph/core/system.hpp>

#include <CLI/App.hpp>

#include <string>
#include <vector>

namespace amorph::cli {

void add_voronoi_command(CLI::App& app, registry& reg);
void add_stress_command(CLI::App& app, registry& reg);
void add_rdf_command(CLI::App& app, registry& reg);
void add_coord_command(CLI::App& app, registry& reg);
void add_corr_command(CLI::App& app, registry& reg);
void add_orient_command(CLI::App& app, registry& reg);
void add_bonds_command(CLI::App& app, registry& reg);
void add_clusters_command(CLI::App& app, registry& reg);
void add_profile_command(CLI::App& app, registry& reg);

/// Per-atom values of a column: a property, or id, type (1-based), x, y, z.
template <int D>
std::vector<double> atom_column(const amorph::system<D>& sys, const std::string& name);

/// Selection flags of the atoms (see the header comment for the terms).
template <int D>
std::vector<char> select_atoms(const amorph::system<D>& sys, const std::vector<std::string>& terms);

/// "A:R,B:R" (species radii) -> one radius per atom.
template <int D>
std::vector<double> radii_per_atom(const amorph::system<D>& sys, const std::string& spec);

/// "X,Y,Z" -> numbers (exactly `n` of them).
std::vector<double> parse_vector(const std::string& text, std::size_t n, const std::string& option);

extern template std::vector<double> atom_column<2>(const amorph::system<2>&, const std::string&);
extern template std::vector<double> atom_column<3>(const amorph::system<3>&, const std::string&);
extern template std::vector<char> select_atoms<2>(const amorph::system<2>&, const std::vector<std::string>&);
extern template std::vector<char> select_atoms<3>(const amorph::system<3>&, const std::vector<std::string>&);
extern template std::vector<double> radii_per_atom<2>(const amorph::system<2>&, const std::string&);
extern template std::vector<double> radii_per_atom<3>(const amorph::system<3>&, const std::string&);

}  // namespace amorph::cli
