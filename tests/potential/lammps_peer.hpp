// tests/potential/lammps_peer.hpp — run LAMMPS (`lmp`, Debian package) on a
// configuration and read back what `run 0` reports, for the peer tests.
//
// The configuration is written as a LAMMPS data file with %.17g (exact
// round trip), the potential lines are pasted verbatim, optional commands
// run first (MD to make a liquid, a quench), and then
//     compute pe/atom, compute stress/atom NULL,
//     thermo pe press pxx pyy pzz pxy pxz pyz   (format %.17g, norm no)
//     dump id type x y z vx vy vz fx fy fz c_pe c_stress[1..6] (%.17g, sorted by id)
//     run 0
// The test then evaluates amorph on the dumped positions (what LAMMPS used)
// and compares. LAMMPS runs serially (1 MPI rank, OMP_NUM_THREADS=1).
#pragma once

#include <amorph/core/box.hpp>
#include <amorph/core/lammps_cell.hpp>
#include <amorph/core/system.hpp>
#include <amorph/core/units.hpp>
#include <amorph/potential/result.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace amorph::test {

struct lammps_case {
    std::string units = "metal";
    int dimension = 3;
    lammps_box box;
    std::vector<int> types;             ///< 1-based LAMMPS types
    std::vector<std::array<double, 3>> x;
    std::vector<std::array<double, 3>> v;  ///< empty: no Velocities section
    std::vector<double> masses;         ///< per type
    std::vector<double> charges;        ///< per atom (atom_style charge), or empty (atomic)
    std::string pair_lines;             ///< pair_style / pair_coeff / pair_modify
    std::string pre_run;                ///< commands before the measurement
    double skin = 1.0;
};

struct lammps_atom {
    long id;
    int type;
    std::array<double, 3> x, v, f;
    double pe;
    std::array<double, 6> s;
};

struct lammps_output {
    double pe = 0, press = 0;
    std::array<double, 6> p{};  ///< pxx pyy pzz pxy pxz pyz
    std::vector<lammps_atom> atoms;  ///< sorted by id
};

inline std::string fmt17(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

inline std::filesystem::path lammps_workdir(const std::string& tag) {
    auto dir = std::filesystem::temp_directory_path() /
               ("amorph_potential_" + tag + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

inline void write_data_file(const lammps_case& c, const std::filesystem::path& path, const std::string& tag) {
    std::ofstream d(path);
    const std::size_t ntypes = c.masses.size();
    d << "amorph potential test " << tag << "\n\n" << c.x.size() << " atoms\n" << ntypes << " atom types\n\n";
    d << fmt17(c.box.xlo) << ' ' << fmt17(c.box.xhi) << " xlo xhi\n";
    d << fmt17(c.box.ylo) << ' ' << fmt17(c.box.yhi) << " ylo yhi\n";
    d << fmt17(c.box.zlo) << ' ' << fmt17(c.box.zhi) << " zlo zhi\n";
    if (c.box.triclinic())
        d << fmt17(c.box.xy) << ' ' << fmt17(c.box.xz) << ' ' << fmt17(c.box.yz) << " xy xz yz\n";
    d << "\nMasses\n\n";
    for (std::size_t t = 0; t < ntypes; ++t) d << t + 1 << ' ' << fmt17(c.masses[t]) << '\n';
    d << (c.charges.empty() ? "\nAtoms # atomic\n\n" : "\nAtoms # charge\n\n");
    for (std::size_t i = 0; i < c.x.size(); ++i) {
        d << i + 1 << ' ' << c.types[i] << ' ';
        if (!c.charges.empty()) d << fmt17(c.charges[i]) << ' ';
        d << fmt17(c.x[i][0]) << ' ' << fmt17(c.x[i][1]) << ' ' << fmt17(c.x[i][2]) << '\n';
    }
    if (!c.v.empty()) {
        d << "\nVelocities\n\n";
        for (std::size_t i = 0; i < c.v.size(); ++i)
            d << i + 1 << ' ' << fmt17(c.v[i][0]) << ' ' << fmt17(c.v[i][1]) << ' ' << fmt17(c.v[i][2]) << '\n';
    }
}

inline lammps_output read_lammps_output(const std::filesystem::path& log_path, const std::filesystem::path& dump_path) {
    lammps_output out;
    {
        std::ifstream log(log_path);
        std::string line;
        bool next = false, found = false;
        while (std::getline(log, line)) {
            std::istringstream ls(line);
            std::string first;
            ls >> first;
            if (first == "Step" && line.find("PotEng") != std::string::npos && line.find("Pxx") != std::string::npos) {
                next = true;
                continue;
            }
            if (next) {
                long step;
                std::istringstream vs(line);
                vs >> step >> out.pe >> out.press;
                for (auto& p : out.p) vs >> p;
                if (!vs) throw std::runtime_error("cannot parse thermo line: " + line);
                next = false;
                found = true;
            }
        }
        if (!found) throw std::runtime_error("no thermo output in " + log_path.string());
    }
    {
        std::ifstream du(dump_path);
        std::string line;
        std::size_t n = 0;
        while (std::getline(du, line)) {
            if (line.rfind("ITEM: NUMBER OF ATOMS", 0) == 0) {
                std::getline(du, line);
                n = std::stoul(line);
            } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
                out.atoms.resize(n);
                for (auto& a : out.atoms) {
                    du >> a.id >> a.type >> a.x[0] >> a.x[1] >> a.x[2] >> a.v[0] >> a.v[1] >> a.v[2] >> a.f[0] >>
                        a.f[1] >> a.f[2] >> a.pe;
                    for (auto& s : a.s) du >> s;
                }
                if (!du) throw std::runtime_error("cannot parse dump " + dump_path.string());
                break;
            }
        }
        if (out.atoms.empty()) throw std::runtime_error("no atoms in " + dump_path.string());
    }
    return out;
}

/// Run several cases in one lmp process (separated by `clear`, which saves
/// LAMMPS's start-up time per case).
inline std::vector<lammps_output> run_lammps(const std::vector<lammps_case>& cases, const std::string& tag) {
    const auto dir = lammps_workdir(tag);
    {
        std::ofstream in(dir / "in.lmp");
        for (std::size_t k = 0; k < cases.size(); ++k) {
            const lammps_case& c = cases[k];
            const std::string K = std::to_string(k);
            write_data_file(c, dir / ("data" + K + ".lmp"), tag + " " + K);
            in << "clear\nlog log" << K << ".lammps\n"
               << "units " << c.units << "\ndimension " << c.dimension << "\nboundary p p p\natom_style "
               << (c.charges.empty() ? "atomic" : "charge") << "\n"
               << "atom_modify map array\nread_data data" << K << ".lmp\n"
               << c.pair_lines << "\n"
               << "neighbor " << c.skin << " bin\nneigh_modify delay 0 every 1 check yes one 50000 page 500000\n"
               << c.pre_run << "\n"
               << "compute pea all pe/atom\ncompute sa all stress/atom NULL\n"
               << "thermo_style custom step pe press pxx pyy pzz pxy pxz pyz\n"
               << "thermo_modify format float %.17g norm no\n"
               << "dump d all custom 1 dump" << K << ".out id type x y z vx vy vz fx fy fz c_pea "
               << "c_sa[1] c_sa[2] c_sa[3] c_sa[4] c_sa[5] c_sa[6]\n"
               << "dump_modify d format float %.17g sort id\n"
               << "run 0\nundump d\n";
        }
    }
    const std::string cmd = "cd '" + dir.string() +
                            "' && OMP_NUM_THREADS=1 lmp -in in.lmp -log none -screen none -echo none > lmp.out 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        std::ifstream lo(dir / "lmp.out");
        std::stringstream ss;
        ss << lo.rdbuf();
        std::string msg = ss.str();
        if (msg.size() > 4000) msg = msg.substr(msg.size() - 4000);
        throw std::runtime_error("lmp failed in " + dir.string() + ":\n" + msg);
    }
    std::vector<lammps_output> out;
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const std::string K = std::to_string(k);
        out.push_back(read_lammps_output(dir / ("log" + K + ".lammps"), dir / ("dump" + K + ".out")));
    }
    std::filesystem::remove_all(dir);
    return out;
}

inline lammps_output run_lammps(const lammps_case& c, const std::string& tag) {
    return run_lammps(std::vector<lammps_case>{c}, tag).front();
}

/// The system LAMMPS evaluated (dumped positions, velocities if any non-zero).
template <int D>
amorph::system<D> system_from(const lammps_case& c, const lammps_output& o) {
    amorph::system<D> s(from_lammps<D>(c.box), o.atoms.size());
    s.species = species_list::numbered(c.masses.size());
    for (std::size_t t = 0; t < c.masses.size(); ++t) s.species[t].mass = c.masses[t];
    s.units = &units::by_name(c.units);
    bool moving = false;
    for (const auto& a : o.atoms)
        for (double v : a.v) moving = moving || v != 0.0;
    if (moving) s.enable_velocities();
    for (std::size_t i = 0; i < o.atoms.size(); ++i) {
        const auto& a = o.atoms[i];
        const auto col = static_cast<Eigen::Index>(i);
        s.ids[i] = a.id;
        s.types[i] = a.type - 1;
        if (!c.charges.empty()) s.charges.push_back(c.charges.at(static_cast<std::size_t>(a.id - 1)));
        for (int k = 0; k < D; ++k) {
            s.positions(k, col) = a.x[static_cast<std::size_t>(k)];
            if (moving) s.velocities(k, col) = a.v[static_cast<std::size_t>(k)];
        }
    }
    return s;
}

/// Norm-wise relative errors of amorph against LAMMPS (max |difference| over
/// all components / max |LAMMPS value| over all components).
struct peer_errors {
    double energy = 0, forces = 0, pe_atom = 0, stress_atom = 0, pressure = 0;
    double worst() const { return std::max({energy, forces, pe_atom, stress_atom, pressure}); }
};

inline std::ostream& operator<<(std::ostream& os, const peer_errors& e) {
    os << std::scientific << std::setprecision(2) << "E " << e.energy << "  F " << e.forces << "  pe/atom " << e.pe_atom
       << "  stress/atom " << e.stress_atom << "  P " << e.pressure;
    return os;
}

template <int D>
peer_errors compare(const amorph::system<D>& s, const potential::result<D>& r, const lammps_output& o) {
    peer_errors e;
    e.energy = std::abs(r.energy - o.pe) / std::abs(o.pe);
    const auto stress = potential::stress_per_atom(s, r);
    double fmax = 0, fd = 0, emax = 0, ed = 0, smax = 0, sd = 0;
    for (std::size_t i = 0; i < o.atoms.size(); ++i) {
        const auto& a = o.atoms[i];
        const auto col = static_cast<Eigen::Index>(i);
        for (int k = 0; k < D; ++k) {
            fmax = std::max(fmax, std::abs(a.f[static_cast<std::size_t>(k)]));
            fd = std::max(fd, std::abs(r.forces(k, col) - a.f[static_cast<std::size_t>(k)]));
        }
        emax = std::max(emax, std::abs(a.pe));
        ed = std::max(ed, std::abs(r.energy_per_atom[i] - a.pe));
        for (int k = 0; k < 6; ++k) {
            smax = std::max(smax, std::abs(a.s[static_cast<std::size_t>(k)]));
            sd = std::max(sd, std::abs(stress(k, col) - a.s[static_cast<std::size_t>(k)]));
        }
    }
    e.forces = fd / fmax;
    e.pe_atom = ed / emax;
    e.stress_atom = sd / smax;
    const auto p = potential::lammps_order<D>(potential::pressure_tensor(s, r));
    double pmax = 0, pd = 0;
    for (int k = 0; k < 6; ++k) {
        pmax = std::max(pmax, std::abs(o.p[static_cast<std::size_t>(k)]));
        pd = std::max(pd, std::abs(p(k) - o.p[static_cast<std::size_t>(k)]));
    }
    e.pressure = pd / pmax;
    // the scalar pressure must agree as well
    e.pressure = std::max(e.pressure, std::abs(potential::pressure(s, r) - o.press) / pmax);
    return e;
}

/// A LAMMPS case from an amorph system (positions as given, types + 1).
template <int D>
lammps_case case_from(const amorph::system<D>& s, const std::string& units, const std::string& pair_lines) {
    lammps_case c;
    c.units = units;
    c.dimension = D;
    const auto lf = to_lammps(s.box);
    c.box = lf.bounds;
    if (D == 2) {
        c.box.zlo = -0.5;
        c.box.zhi = 0.5;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        std::array<double, 3> x{0, 0, 0};
        for (int k = 0; k < D; ++k) x[static_cast<std::size_t>(k)] = s.positions(k, static_cast<Eigen::Index>(i));
        c.x.push_back(x);
        c.types.push_back(s.types[i] + 1);
    }
    for (const auto& sp : s.species) c.masses.push_back(sp.mass > 0 ? sp.mass : 1.0);
    c.pair_lines = pair_lines;
    return c;
}

}  // namespace amorph::test
