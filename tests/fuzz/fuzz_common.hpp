// tests/fuzz/fuzz_common.hpp — shared checks of the amorph I/O fuzz targets.
//
// Each target parses the input as 3D and as 2D. A parse that throws an
// amorph::error is fine (malformed input). A parse that succeeds must give a
// consistent system, which must write without error (amorph::unsupported,
// "the format cannot hold this valid system", is allowed) and the written
// file must read back with the same atoms, cell, positions and velocities
// (same_state: to 1e-12 of the system's length scale, since a cell passes
// through the LAMMPS lo/hi/tilt form and back); anything else (another exception, a
// crash, a sanitizer report, a hang, an allocation over the RSS limit) is a
// finding.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/io/detail/lammps_cell.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <unistd.h>

namespace fuzz {

/// A per-process scratch file for targets whose reader takes a path: in
/// /dev/shm when it exists (no disk traffic per execution).
inline std::filesystem::path scratch(const std::string& tag, const char* ext) {
    const std::filesystem::path shm("/dev/shm");
    const auto dir = std::filesystem::exists(shm) ? shm : std::filesystem::temp_directory_path();
    return dir / ("amorph_fuzz_" + tag + "_" + std::to_string(::getpid()) + ext);
}

[[noreturn]] inline void finding(const char* what) {
    std::fprintf(stderr, "FUZZ FINDING: %s\n", what);
    std::abort();
}

/// Why `b` (read back from what was written of `a`) is not the same state as
/// `a`, or nullptr: atom count, cell (h and origin), positions (equal, or equal
/// up to a lattice vector where a writer wraps), and the velocities when the
/// format keeps them. A format in LAMMPS's restricted form gets a general cell
/// rotated into it (tilts reduced too for data files; io/detail/lammps_cell.hpp),
/// positions and velocities rotated with it.
/// Numbers are written in their shortest exact form, so the tolerance only
/// covers that arithmetic (1e-12 of the largest length involved).
/// How a format holds the cell: as given (extxyz, POSCAR), in LAMMPS's form
/// (dump), or in LAMMPS's form with the tilts reduced (data file).
enum class cell_form { as_given, lammps, lammps_reduced };

template <int D>
const char* same_state(const amorph::system<D>& a, const amorph::system<D>& b, bool velocities, cell_form form) {
    if (a.size() != b.size()) return "write -> read changed the number of atoms";
    amorph::io::detail::lammps_cell<D> cell;
    amorph::box<D> expected = a.box;
    if (form != cell_form::as_given) {
        cell = amorph::io::detail::lammps_cell_unchecked(a.box, form == cell_form::lammps_reduced);
        expected = amorph::from_lammps<D>(cell.bounds);
    }
    const amorph::mat<D> h = expected.h();
    const amorph::vec<D> origin = expected.origin();
    double scale = std::max({a.box.h().cwiseAbs().maxCoeff(), a.box.origin().cwiseAbs().maxCoeff(),
                             h.cwiseAbs().maxCoeff(), origin.cwiseAbs().maxCoeff()});
    if (a.size() > 0) scale = std::max(scale, a.positions.cwiseAbs().maxCoeff());
    const double tol = 1e-12 * scale + 1e-300;
    if (!((h - b.box.h()).cwiseAbs().maxCoeff() <= tol)) return "write -> read changed the cell";
    if (!((origin - b.box.origin()).cwiseAbs().maxCoeff() <= tol)) return "write -> read changed the origin";
    const amorph::mat<D> h_inv = b.box.h().inverse();
    for (std::size_t i = 0; i < a.size(); ++i) {
        const amorph::vec<D> d = b.x(i) - cell.position(a.x(i));
        if (d.cwiseAbs().maxCoeff() <= tol) continue;
        // a writer that wraps into the cell moves an atom by a lattice vector
        const amorph::vec<D> n = h_inv * d;
        const amorph::vec<D> rest = d - b.box.h() * n.array().round().matrix();
        if (!(rest.cwiseAbs().maxCoeff() <= 4 * tol)) return "write -> read moved an atom";
    }
    if (velocities) {
        if (a.has_velocities() != b.has_velocities()) return "write -> read lost or invented velocities";
        if (a.has_velocities() && a.size() > 0) {
            const double vs = a.velocities.cwiseAbs().maxCoeff();
            for (std::size_t i = 0; i < a.size(); ++i)
                if (!((cell.vector(a.velocities.col(static_cast<Eigen::Index>(i))) -
                       b.velocities.col(static_cast<Eigen::Index>(i)))
                          .cwiseAbs()
                          .maxCoeff() <= 1e-12 * vs + 1e-300))
                    return "write -> read changed the velocities";
        }
    }
    return nullptr;
}

/// read(istream&) -> system; write(ostream&, system).
template <int D, class Read, class Write>
void check(const std::string& input, Read read, Write write, cell_form form) {
    amorph::system<D> sys;
    try {
        std::istringstream in(input);
        sys = read(in);
    } catch (const amorph::error&) {
        return;
    }
    try {
        sys.validate();
    } catch (const amorph::error&) {
        finding("reader returned an inconsistent system");
    }
    std::ostringstream out;
    try {
        write(out, sys);  // may only refuse a system the format cannot hold
    } catch (const amorph::unsupported&) {
        return;
    }
    std::istringstream in2(out.str());
    const amorph::system<D> back = read(in2);  // must not throw
    if (back.size() != sys.size() || back.ids != sys.ids || back.types != sys.types)
        finding("write -> read changed the atoms");
    if (const char* why = same_state(sys, back, true, form)) finding(why);
}

}  // namespace fuzz
