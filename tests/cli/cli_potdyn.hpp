// tests/cli/cli_potdyn.hpp — for the energy/minimize/md/quench CLI tests: run
// the built `amorph` executable (and LAMMPS) and read what they write:
// "quantity,value,unit" CSV reports, per-atom files (LAMMPS dump or extxyz, by
// id), thermo CSV tables. Light on purpose: no amorph I/O headers, so the test
// TUs compile quickly.
#pragma once

#include "cli_run.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace amorph::test::cli {

namespace fs = std::filesystem;

using process_result = cli_test::result;
using cli_test::run_amorph;
using cli_test::slurp;
using cli_test::workdir;

inline void write_text(const fs::path& p, const std::string& text) {
    std::ofstream f(p);
    f << text;
}

/// `lmp -in SCRIPT` in `dir` (serial); returns the log text, throws on failure.
inline std::string run_lmp(const fs::path& dir, const std::string& script, const std::string& name = "in.lmp") {
    write_text(dir / name, script);
    const std::string cmd = "cd \"" + dir.string() + "\" && OMP_NUM_THREADS=1 lmp -in " + name +
                            " -log log.lammps -screen none > lmp.out 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("lmp failed in " + dir.string() + ": " + slurp(dir / "lmp.out"));
    return slurp(dir / "log.lammps");
}

inline std::string f17(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}

/// quantity -> value of a `--csv` report (header quantity,value,unit).
inline std::map<std::string, double> read_report(const fs::path& p) {
    std::map<std::string, double> m;
    std::istringstream in(slurp(p));
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "quantity,value,unit");
    while (std::getline(in, line)) {
        const auto a = line.find(','), b = line.rfind(',');
        if (a == std::string::npos || a == b) continue;
        try {
            std::size_t used = 0;
            const std::string v = line.substr(a + 1, b - a - 1);
            const double x = std::stod(v, &used);
            if (used == v.size()) m[line.substr(0, a)] = x;
        } catch (const std::exception&) {  // a text row
        }
    }
    return m;
}

inline double at(const std::map<std::string, double>& m, const std::string& key) {
    INFO("quantity " << key);
    REQUIRE(m.count(key) == 1);
    return m.at(key);
}

/// Per-atom columns by atom id: id -> column name -> value.
using atom_table = std::map<long, std::map<std::string, double>>;

/// A LAMMPS dump (first frame): "ITEM: ATOMS col..." names the columns.
inline atom_table read_dump(const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string line;
    std::size_t n = 0;
    atom_table t;
    while (std::getline(in, line)) {
        if (line.rfind("ITEM: NUMBER OF ATOMS", 0) == 0) {
            std::getline(in, line);
            n = std::stoul(line);
        } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
            std::istringstream hs(line.substr(11));
            std::vector<std::string> cols;
            for (std::string c; hs >> c;) cols.push_back(c);
            for (std::size_t i = 0; i < n; ++i) {
                std::getline(in, line);
                std::istringstream ls(line);
                std::map<std::string, double> row;
                for (const auto& c : cols) {
                    std::string w;
                    ls >> w;
                    row[c] = c == "element" ? 0.0 : std::stod(w);
                }
                t[static_cast<long>(row.at("id"))] = row;
            }
            break;
        }
    }
    return t;
}

/// An extended XYZ file (first frame): Properties=name:T:n:... names the
/// columns; n > 1 columns are name_0, name_1, ...; S columns are skipped.
inline atom_table read_extxyz(const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string line;
    std::getline(in, line);
    const std::size_t n = std::stoul(line);
    std::getline(in, line);
    const auto a = line.find("Properties=");
    REQUIRE(a != std::string::npos);
    std::string props = line.substr(a + 11, line.find(' ', a) - a - 11);
    std::vector<std::string> parts;
    std::stringstream ps(props);
    for (std::string w; std::getline(ps, w, ':');) parts.push_back(w);
    struct col {
        std::string name;
        bool text;
    };
    std::vector<col> cols;
    for (std::size_t k = 0; k + 2 < parts.size(); k += 3) {
        const int cnt = std::stoi(parts[k + 2]);
        for (int c = 0; c < cnt; ++c)
            cols.push_back({cnt == 1 ? parts[k] : parts[k] + "_" + std::to_string(c), parts[k + 1] == "S"});
    }
    atom_table t;
    for (std::size_t i = 0; i < n; ++i) {
        std::getline(in, line);
        std::istringstream ls(line);
        std::map<std::string, double> row;
        for (const auto& c : cols) {
            std::string w;
            ls >> w;
            if (!c.text) row[c.name] = std::stod(w);
        }
        t[static_cast<long>(row.at("id"))] = row;
    }
    return t;
}

/// A CSV table with a header row (thermo --csv): rows of column -> value.
inline std::vector<std::map<std::string, double>> read_csv_table(const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string line;
    std::getline(in, line);
    std::vector<std::string> cols;
    {
        std::stringstream hs(line);
        for (std::string c; std::getline(hs, c, ',');) cols.push_back(c);
    }
    std::vector<std::map<std::string, double>> rows;
    while (std::getline(in, line)) {
        std::stringstream ls(line);
        std::map<std::string, double> row;
        std::size_t k = 0;
        for (std::string w; std::getline(ls, w, ',') && k < cols.size(); ++k) row[cols[k]] = std::stod(w);
        rows.push_back(row);
    }
    return rows;
}

}  // namespace amorph::test::cli
