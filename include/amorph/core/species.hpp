// amorph/core/species.hpp — species registry and the table of element masses.
//
// A species is what LAMMPS calls an atom type: a name and a mass. amorph
// stores types 0-based (LAMMPS type t is amorph type t-1). Naming species by
// element symbol is enough to get their masses: `species_list::from_names
// ({"Cu","Zr"})` looks the masses up in the table below (IUPAC 2013 standard
// atomic weights, conventional values, g/mol).
#pragma once

#include "amorph/core/error.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amorph {

namespace detail {
struct element_entry {
    std::string_view symbol;
    double mass;
};

// Elements 1..86 (H..Rn), standard atomic weights in g/mol.
inline constexpr std::array<element_entry, 86> element_table{{
    {"H", 1.008},      {"He", 4.0026},    {"Li", 6.94},      {"Be", 9.0122},    {"B", 10.81},
    {"C", 12.011},     {"N", 14.007},     {"O", 15.999},     {"F", 18.998},     {"Ne", 20.180},
    {"Na", 22.990},    {"Mg", 24.305},    {"Al", 26.982},    {"Si", 28.085},    {"P", 30.974},
    {"S", 32.06},      {"Cl", 35.45},     {"Ar", 39.948},    {"K", 39.098},     {"Ca", 40.078},
    {"Sc", 44.956},    {"Ti", 47.867},    {"V", 50.942},     {"Cr", 51.996},    {"Mn", 54.938},
    {"Fe", 55.845},    {"Co", 58.933},    {"Ni", 58.693},    {"Cu", 63.546},    {"Zn", 65.38},
    {"Ga", 69.723},    {"Ge", 72.630},    {"As", 74.922},    {"Se", 78.971},    {"Br", 79.904},
    {"Kr", 83.798},    {"Rb", 85.468},    {"Sr", 87.62},     {"Y", 88.906},     {"Zr", 91.224},
    {"Nb", 92.906},    {"Mo", 95.95},     {"Tc", 97.0},      {"Ru", 101.07},    {"Rh", 102.91},
    {"Pd", 106.42},    {"Ag", 107.87},    {"Cd", 112.41},    {"In", 114.82},    {"Sn", 118.71},
    {"Sb", 121.76},    {"Te", 127.60},    {"I", 126.90},     {"Xe", 131.29},    {"Cs", 132.91},
    {"Ba", 137.33},    {"La", 138.91},    {"Ce", 140.12},    {"Pr", 140.91},    {"Nd", 144.24},
    {"Pm", 145.0},     {"Sm", 150.36},    {"Eu", 151.96},    {"Gd", 157.25},    {"Tb", 158.93},
    {"Dy", 162.50},    {"Ho", 164.93},    {"Er", 167.26},    {"Tm", 168.93},    {"Yb", 173.05},
    {"Lu", 174.97},    {"Hf", 178.49},    {"Ta", 180.95},    {"W", 183.84},     {"Re", 186.21},
    {"Os", 190.23},    {"Ir", 192.22},    {"Pt", 195.08},    {"Au", 196.97},    {"Hg", 200.59},
    {"Tl", 204.38},    {"Pb", 207.2},     {"Bi", 208.98},    {"Po", 209.0},     {"At", 210.0},
    {"Rn", 222.0},
}};
}  // namespace detail

/// Standard atomic weight (g/mol) of an element given by symbol, or nullopt.
inline std::optional<double> element_mass(std::string_view symbol) {
    for (const auto& e : detail::element_table)
        if (e.symbol == symbol) return e.mass;
    return std::nullopt;
}

/// Atomic number of an element symbol, or nullopt.
inline std::optional<int> atomic_number(std::string_view symbol) {
    for (std::size_t i = 0; i < detail::element_table.size(); ++i)
        if (detail::element_table[i].symbol == symbol) return static_cast<int>(i) + 1;
    return std::nullopt;
}

/// One species (LAMMPS atom type). `mass` is 0 when unknown.
struct species {
    std::string name;
    double mass = 0.0;

    bool has_mass() const noexcept { return mass > 0.0; }
    friend bool operator==(const species&, const species&) = default;
};

/// The ordered list of species of a system; index = amorph type = LAMMPS type - 1.
class species_list {
public:
    species_list() = default;

    /// `n` species named "1", "2", ... (LAMMPS type numbers) with unknown masses.
    static species_list numbered(std::size_t n) {
        species_list s;
        for (std::size_t i = 0; i < n; ++i) s.items_.push_back({std::to_string(i + 1), 0.0});
        return s;
    }

    /// Species from names; masses come from the element table where the name is
    /// an element symbol, and stay unknown (0) otherwise.
    static species_list from_names(const std::vector<std::string>& names) {
        species_list s;
        for (const auto& n : names) s.add(n, element_mass(n).value_or(0.0));
        return s;
    }

    /// Append a species; returns its type index. Names must be unique and non-empty.
    int add(std::string name, double mass = 0.0) {
        if (name.empty()) throw invalid_argument("species name must not be empty");
        if (find(name)) throw invalid_argument("species '" + name + "' is defined twice");
        if (!(mass >= 0.0) || !std::isfinite(mass))
            throw invalid_argument("species '" + name + "': mass must be finite and >= 0");
        items_.push_back({std::move(name), mass});
        return static_cast<int>(items_.size()) - 1;
    }

    std::size_t size() const noexcept { return items_.size(); }
    bool empty() const noexcept { return items_.empty(); }
    const species& operator[](std::size_t t) const { return items_.at(t); }
    species& operator[](std::size_t t) { return items_.at(t); }
    auto begin() const noexcept { return items_.begin(); }
    auto end() const noexcept { return items_.end(); }

    /// Type index of the species with this name, or nullopt.
    std::optional<int> find(std::string_view name) const {
        for (std::size_t i = 0; i < items_.size(); ++i)
            if (items_[i].name == name) return static_cast<int>(i);
        return std::nullopt;
    }

    /// Type index of the species with this name; throws if absent.
    int index(std::string_view name) const {
        if (auto i = find(name)) return *i;
        throw invalid_argument("no species named '" + std::string(name) + "'");
    }

    /// Rename all species at once (e.g. from `--species Cu,Zr`), keeping known
    /// masses and filling unknown ones from the element table.
    void rename(const std::vector<std::string>& names) {
        if (names.size() != items_.size())
            throw invalid_argument(std::to_string(names.size()) + " species names given for " +
                                   std::to_string(items_.size()) + " atom types");
        species_list fresh;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const double m = items_[i].has_mass() ? items_[i].mass
                                                  : element_mass(names[i]).value_or(0.0);
            fresh.add(names[i], m);
        }
        *this = std::move(fresh);
    }

    bool all_masses_known() const noexcept {
        for (const auto& s : items_)
            if (!s.has_mass()) return false;
        return !items_.empty();
    }

    friend bool operator==(const species_list&, const species_list&) = default;

private:
    std::vector<species> items_;
};

}  // namespace amorph
