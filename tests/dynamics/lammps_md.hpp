// tests/dynamics/lammps_md.hpp — run LAMMPS (`lmp`, Debian package) on an
// input script in a scratch directory and read back its thermo table(s) and
// dumps, for the dynamics / minimization peer tests. LAMMPS runs serially.
#pragma once

#include <amorph/core/system.hpp>
#include <amorph/io/lammps_data.hpp>
#include <amorph/potential/cutoff.hpp>
#include <amorph/potential/eam.hpp>
#include <amorph/potential/lennard_jones.hpp>
#include <amorph/potential/pair.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace amorph::test {

inline std::string data_dir() { return AMORPH_SOURCE_DIR "/tests/dynamics/data/"; }

inline std::string f17(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}

/// One thermo block: column names and rows.
struct thermo_table {
    std::vector<std::string> cols;
    std::vector<std::vector<double>> rows;
    int col(const std::string& name) const {
        for (std::size_t k = 0; k < cols.size(); ++k)
            if (cols[k] == name) return static_cast<int>(k);
        throw std::runtime_error("thermo column " + name + " not found");
    }
    double at(std::size_t row, const std::string& name) const { return rows.at(row).at(static_cast<std::size_t>(col(name))); }
};

struct lammps_result {
    std::filesystem::path dir;
    std::vector<thermo_table> thermo;  ///< one per run/minimize, in order
    std::string log;
};

/// Thermo blocks of a LAMMPS log: a line starting with "Step" opens a block,
/// numeric lines with the same column count follow.
inline std::vector<thermo_table> parse_thermo(const std::string& log) {
    std::vector<thermo_table> out;
    std::istringstream in(log);
    std::string line;
    thermo_table* cur = nullptr;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::vector<std::string> tok;
        for (std::string t; ls >> t;) tok.push_back(t);
        if (tok.empty()) {
            cur = nullptr;
            continue;
        }
        if (tok[0] == "Step") {
            out.push_back({tok, {}});
            cur = &out.back();
            continue;
        }
        if (!cur) continue;
        if (tok.size() != cur->cols.size()) {
            cur = nullptr;
            continue;
        }
        std::vector<double> row;
        bool ok = true;
        for (const auto& t : tok) {
            char* end = nullptr;
            const double v = std::strtod(t.c_str(), &end);
            if (end == t.c_str() || *end != '\0') {
                ok = false;
                break;
            }
            row.push_back(v);
        }
        if (!ok) {
            cur = nullptr;
            continue;
        }
        cur->rows.push_back(std::move(row));
    }
    return out;
}

/// Run `script` (LAMMPS input) in a fresh scratch directory.
inline lammps_result run_lammps_script(const std::string& script, const std::string& tag) {
    lammps_result r;
    r.dir = std::filesystem::temp_directory_path() / ("amorph_dyn_" + tag + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(r.dir);
    std::filesystem::create_directories(r.dir);
    {
        std::ofstream in(r.dir / "in.lmp");
        in << script;
    }
    const std::string cmd = "cd '" + r.dir.string() +
                            "' && OMP_NUM_THREADS=1 lmp -in in.lmp -log log.lammps -screen none -echo none > lmp.out 2>&1";
    const int rc = std::system(cmd.c_str());
    {
        std::ifstream lg(r.dir / "log.lammps");
        std::stringstream ss;
        ss << lg.rdbuf();
        r.log = ss.str();
    }
    if (rc != 0) {
        std::ifstream lo(r.dir / "lmp.out");
        std::stringstream ss;
        ss << lo.rdbuf();
        throw std::runtime_error("lmp failed in " + r.dir.string() + ":\n" + ss.str().substr(0, 4000));
    }
    r.thermo = parse_thermo(r.log);
    return r;
}

/// Falk-Langer 2D binary LJ, sigma_SS = 2 sin(pi/10), sigma_LL = 2 sin(pi/5),
/// cutoff 2.5 sigma_ij, shifted force (LAMMPS lj/smooth/linear).
inline potential::pair_table<potential::lj_coeff> lj2d_table() {
    const double pi = std::acos(-1.0);
    const double sss = 2 * std::sin(pi / 10), sll = 2 * std::sin(pi / 5);
    potential::pair_table<potential::lj_coeff> t(2);
    t.set(0, 0, {0.5, sss, 2.5 * sss});
    t.set(1, 1, {0.5, sll, 2.5 * sll});
    t.set(0, 1, {1.0, 1.0, 2.5});
    return t;
}
inline auto lj2d_sf() {
    return potential::make_pair_potential(potential::shifted_force(potential::lennard_jones(lj2d_table())));
}
/// The LAMMPS lines for the same potential (exact parameters).
inline std::string lj2d_sf_lammps() {
    const auto t = lj2d_table();
    std::string s = "pair_style lj/smooth/linear 2.5\n";
    for (int i = 0; i < 2; ++i)
        for (int j = i; j < 2; ++j)
            s += "pair_coeff " + std::to_string(i + 1) + " " + std::to_string(j + 1) + " " + f17(t(i, j).epsilon) +
                 " " + f17(t(i, j).sigma) + " " + f17(t(i, j).cutoff) + "\n";
    return s;
}

inline const std::string cuzr_file = "/usr/share/lammps/potentials/CuZr_mm.eam.fs";
inline potential::eam cuzr_eam() { return potential::eam::fs(cuzr_file, {"Cu", "Zr"}); }
inline std::string cuzr_lammps() { return "pair_style eam/fs\npair_coeff * * " + cuzr_file + " Cu Zr\n"; }

template <int D>
amorph::system<D> read_fixture(const std::string& name, const unit_system& u) {
    auto s = io::read_lammps_data<D>(data_dir() + name);
    s.units = &u;
    return s;
}

/// Largest |a - b| / scale over a series.
inline double max_rel(const std::vector<double>& a, const std::vector<double>& b, double scale) {
    double m = 0;
    for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) m = std::max(m, std::abs(a[k] - b[k]) / scale);
    return m;
}

}  // namespace amorph::test
