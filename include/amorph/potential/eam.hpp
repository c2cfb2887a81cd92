// amorph/potential/eam.hpp — embedded-atom method potentials, read and
// evaluated exactly as LAMMPS's pair styles eam (funcfl), eam/alloy (setfl)
// and eam/fs (Finnis-Sinclair).
//
//   E = sum_i F_i(rho_i) + 1/2 sum_i sum_j phi_ij(r_ij),   rho_i = sum_j rho_{j->i}(r_ij)
//
// setfl (eam/alloy): rho_{j->i} = rho_{t_j}(r) depends on the source element;
// fs (eam/fs): rho_{j->i} = rho_{t_j, t_i}(r) on both; funcfl (eam): one file
// per element with Z(r), phi_ij = 27.2 * 0.529 * Z_i(r) Z_j(r) / r
// (Hartree*Bohr -> eV*A). Files store r*phi (z2r) for setfl/fs.
//
// As LAMMPS (pair_eam.cpp, file2array / array2spline / interpolate):
//   * funcfl files are first re-gridded onto a common grid: dr, drho = the
//     largest file spacings, nr = (int)(rmax/dr + 0.5), nrho likewise, with
//     rmax = max (nr_f - 1) dr_f, rhomax = max (nrho_f - 1) drho_f, each
//     value by 4-point Lagrange interpolation on the file grid
//     (k = clamp((int)p, 2, n_f - 2), p - k <= 2); setfl/fs grids are used as is;
//   * every tabulated f_1..f_n (spacing delta) becomes a piecewise cubic:
//     f'_1 = f_2 - f_1, f'_2 = (f_3 - f_1)/2, f'_{n-1} = (f_n - f_{n-2})/2,
//     f'_n = f_n - f_{n-1}, f'_m = ((f_{m-2} - f_{m+2}) + 8 (f_{m+1} - f_{m-1})) / 12,
//     c4_m = 3 (f_{m+1} - f_m) - 2 f'_m - f'_{m+1}, c3_m = f'_m + f'_{m+1} - 2 (f_{m+1} - f_m),
//     value(p) = ((c3 p + c4) p + c5) p + c6 with c5 = f', c6 = f,
//     derivative(p) = (c0 p + c1) p + c2 with c2 = c5/delta, c1 = 2 c4/delta, c0 = 3 c3/delta;
//   * lookup at r: p = r/dr + 1, m = min((int)p, nr - 1), p = min(p - m, 1);
//     at rho: p = rho/drho + 1, m = max(1, min((int)p, nrho - 1)), p = min(p - m, 1),
//     and beyond rhomax the embedding energy continues linearly:
//     F += F'(rho) (rho - rhomax);
//   * one cutoff for all pairs: the file's (setfl/fs) or the largest of the
//     files' (funcfl).
//
// Evaluation: two passes over one half neighbor list. Pass 1 accumulates the
// densities, then every atom's F and F' are evaluated; pass 2 is the pair
// loop with g = -(F'_i rho'_{j->i} + F'_j rho'_{i->j} + phi') / r. The
// embedding energy goes to its atom's per-atom energy, the pair energy and
// virial split 1/2 : 1/2 (LAMMPS's ev_tally), so `compute pe/atom` and
// `compute stress/atom` agree.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/detail/chunked.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/detail/half_loop.hpp"
#include "amorph/potential/detail/text_reader.hpp"
#include "amorph/potential/pair_table.hpp"
#include "amorph/potential/result.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <string>
#include <vector>

namespace amorph::potential {

/// A DYNAMO funcfl file (one element), arrays 1-based as in LAMMPS.
struct funcfl_file {
    std::string path;
    double mass = 0;
    int nrho = 0;
    double drho = 0;
    int nr = 0;
    double dr = 0;
    double cut = 0;
    std::vector<double> frho, zr, rhor;  ///< sizes nrho+1, nr+1, nr+1; index 0 unused
};

/// A DYNAMO setfl file (eam/alloy) or its Finnis-Sinclair variant (eam/fs).
struct setfl_file {
    std::string path;
    bool fs = false;
    std::vector<std::string> elements;
    int nrho = 0;
    double drho = 0;
    int nr = 0;
    double dr = 0;
    double cut = 0;
    std::vector<double> mass;                ///< per element
    std::vector<std::vector<double>> frho;   ///< per element, 1-based
    std::vector<std::vector<double>> rhor;   ///< alloy: per element; fs: [i * n + j]
    std::vector<std::vector<double>> z2r;    ///< lower triangle i >= j at i (i + 1) / 2 + j
};

namespace detail {

inline void check_grid(const text_reader& rd, int nrho, double drho, int nr, double dr, double cut) {
    if (nrho < 5 || nr < 5) rd.fail("nrho nr", "EAM tables need at least 5 points");
    if (!(drho > 0) || !(dr > 0)) rd.fail("drho dr", "EAM grid spacings must be positive");
    if (!(cut > 0)) rd.fail("cutoff", "EAM cutoff must be positive");
}

inline std::vector<double> one_based(std::vector<double> v) {
    v.insert(v.begin(), 0.0);
    return v;
}

}  // namespace detail

inline funcfl_file read_funcfl(const std::string& path) {
    detail::text_reader rd(path, "EAM funcfl");
    funcfl_file f;
    f.path = path;
    rd.skip_line();
    auto w = rd.next_values(2, "Z mass");
    rd.to_int(w[0], "Z");
    f.mass = rd.to_double(w[1], "mass");
    w = rd.next_values(5, "nrho drho nr dr cutoff");
    f.nrho = static_cast<int>(rd.to_int(w[0], "nrho"));
    f.drho = rd.to_double(w[1], "drho");
    f.nr = static_cast<int>(rd.to_int(w[2], "nr"));
    f.dr = rd.to_double(w[3], "dr");
    f.cut = rd.to_double(w[4], "cutoff");
    detail::check_grid(rd, f.nrho, f.drho, f.nr, f.dr, f.cut);
    f.frho = detail::one_based(rd.next_dvector(static_cast<std::size_t>(f.nrho), "F(rho)"));
    f.zr = detail::one_based(rd.next_dvector(static_cast<std::size_t>(f.nr), "Z(r)"));
    f.rhor = detail::one_based(rd.next_dvector(static_cast<std::size_t>(f.nr), "rho(r)"));
    return f;
}

namespace detail {
inline setfl_file read_setfl_like(detail::text_reader& rd, bool fs) {
    setfl_file f;
    f.path = rd.path();
    f.fs = fs;
    rd.skip_line();
    rd.skip_line();
    rd.skip_line();
    auto w = rd.next_values(1, "elements");
    const long ne = rd.to_int(w[0], "number of elements");
    if (ne < 1 || static_cast<std::size_t>(ne) + 1 != w.size())
        rd.fail("elements", "the element count does not match the element names");
    f.elements.assign(w.begin() + 1, w.end());
    w = rd.next_values(5, "nrho drho nr dr cutoff");
    f.nrho = static_cast<int>(rd.to_int(w[0], "nrho"));
    f.drho = rd.to_double(w[1], "drho");
    f.nr = static_cast<int>(rd.to_int(w[2], "nr"));
    f.dr = rd.to_double(w[3], "dr");
    f.cut = rd.to_double(w[4], "cutoff");
    check_grid(rd, f.nrho, f.drho, f.nr, f.dr, f.cut);
    const auto n = static_cast<std::size_t>(ne);
    const auto nrho = static_cast<std::size_t>(f.nrho), nr = static_cast<std::size_t>(f.nr);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string el = f.elements[i];
        w = rd.next_values(2, el + " Z mass");
        rd.to_int(w[0], el + " Z");
        f.mass.push_back(rd.to_double(w[1], el + " mass"));
        f.frho.push_back(one_based(rd.next_dvector(nrho, el + " F(rho)")));
        if (fs)
            for (std::size_t j = 0; j < n; ++j)
                f.rhor.push_back(one_based(rd.next_dvector(nr, el + " rho_" + f.elements[j] + "(r)")));
        else
            f.rhor.push_back(one_based(rd.next_dvector(nr, el + " rho(r)")));
    }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j <= i; ++j)
            f.z2r.push_back(one_based(rd.next_dvector(nr, "r*phi " + f.elements[i] + "-" + f.elements[j])));
    return f;
}
}  // namespace detail

inline setfl_file read_setfl(const std::string& path) {
    detail::text_reader rd(path, "EAM setfl");
    return detail::read_setfl_like(rd, false);
}

inline setfl_file read_fs(const std::string& path) {
    detail::text_reader rd(path, "EAM Finnis-Sinclair");
    return detail::read_setfl_like(rd, true);
}

class eam {
public:
    using list_kind = neighbor::half_t;
    using spline = std::vector<std::array<double, 7>>;  ///< 1-based, LAMMPS's *_spline[k]

    /// pair_style eam: one funcfl file per type (files may repeat).
    static eam funcfl(const std::vector<std::string>& file_per_type) {
        std::vector<funcfl_file> files;
        std::vector<int> map;
        for (const auto& p : file_per_type) {
            int k = 0;
            while (k < static_cast<int>(files.size()) && files[static_cast<std::size_t>(k)].path != p) ++k;
            if (k == static_cast<int>(files.size())) files.push_back(read_funcfl(p));
            map.push_back(k);
        }
        return from_funcfl(files, map);
    }

    /// From parsed funcfl files; map[type] = index into files.
    static eam from_funcfl(const std::vector<funcfl_file>& files, const std::vector<int>& map) {
        eam e;
        e.init_types(map.size());
        for (int m : map)
            if (m < 0 || m >= static_cast<int>(files.size())) throw invalid_argument("eam: bad funcfl map");
        e.file2array_funcfl(files, map);
        e.array2spline();
        e.pack();
        for (std::size_t t = 0; t < map.size(); ++t) e.mass_[t] = files[static_cast<std::size_t>(map[t])].mass;
        return e;
    }

    /// pair_style eam/alloy: a setfl file and the element of each type.
    static eam alloy(const std::string& path, const std::vector<std::string>& element_per_type) {
        return from_setfl(read_setfl(path), element_per_type);
    }

    /// pair_style eam/fs: a Finnis-Sinclair file and the element of each type.
    static eam fs(const std::string& path, const std::vector<std::string>& element_per_type) {
        return from_setfl(read_fs(path), element_per_type);
    }

    static eam from_setfl(const setfl_file& f, const std::vector<std::string>& element_per_type) {
        eam e;
        e.init_types(element_per_type.size());
        std::vector<int> map;
        for (const auto& name : element_per_type) {
            const auto it = std::find(f.elements.begin(), f.elements.end(), name);
            if (it == f.elements.end())
                throw invalid_argument("eam: element '" + name + "' is not in " + f.path + " (it has " +
                                       join(f.elements) + ")");
            map.push_back(static_cast<int>(it - f.elements.begin()));
        }
        e.file2array_setfl(f, map);
        e.array2spline();
        e.pack();
        for (std::size_t t = 0; t < map.size(); ++t) e.mass_[t] = f.mass[static_cast<std::size_t>(map[t])];
        return e;
    }

    double cutoff() const noexcept { return cutmax_; }
    int num_types() const noexcept { return ntypes_; }
    /// Mass of a type as given in the file (LAMMPS sets it from there).
    double mass(int type) const { return mass_.at(static_cast<std::size_t>(type)); }

    /// Embedding energy and its derivative of a type at density rho (incl.
    /// the linear continuation beyond rhomax).
    std::pair<double, double> embedding(int type, double rho) const {
        double p = rho * rdrho_ + 1.0;
        int m = static_cast<int>(std::clamp(p, -1.0, static_cast<double>(INT_MAX / 2)));
        m = std::max(1, std::min(m, nrho_ - 1));
        p -= m;
        p = std::min(p, 1.0);
        const auto& c = frho_spline_[static_cast<std::size_t>(type2frho_[static_cast<std::size_t>(type)])]
                                    [static_cast<std::size_t>(m)];
        const double fp = (c[0] * p + c[1]) * p + c[2];
        double phi = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
        if (rho > rhomax_) phi += fp * (rho - rhomax_);
        return {phi, fp};
    }

    template <int D, class List>
    void accumulate(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out) const {
        static_assert(neighbor_list<List>, "eam: the list argument is not a neighbor list");
        static_assert(is_half_list<List>, "eam needs a half neighbor list: neighbor::verlet_list<D, neighbor::half_t>");
        detail::check_inputs(sys, nl, cutoff(), num_types(), "eam");
        detail::prepare(out, sys.size(), opt);
        const std::size_t n = sys.size();
        detail::workspace_lease ws;
        detail::list_chunks(nl, n, opt, *ws);

        // pass 1: densities (rho[0..n)), then F'(rho) in fp[0..n)
        auto& scratch = ws->scratch;
        scratch.assign(2 * n, 0.0);
        double* rho = scratch.data();
        double* fp = scratch.data() + n;
        const double* X = sys.positions.data();
        const double* S = nl.shifts().data();
        const int* T = sys.types.data();
        const int nt = ntypes_;
        const auto rows = static_cast<std::size_t>(nr_) + 1;
        auto density = [&](std::size_t b, std::size_t e, const detail::sink<1>& s, detail::ev_sums<D>&) {
            detail::pair_scratch<D> sc;
            for (std::size_t i = b; i < e; ++i) {
                const double* xi = X + i * D;
                const int ti = T[i];
                const auto nb = nl.neighbors(i);
                sc.reserve(static_cast<std::size_t>(nb.size()));
                // compaction of the entries within the cutoff (branch-free)
                std::size_t m = 0;
                bool ordered = true;
                for (const auto& en : nb) {
                    const std::size_t j = en.j;
                    ordered &= j >= i;
                    const double* xj = X + j * D;
                    const double* sh = S + static_cast<std::size_t>(en.image) * D;
                    double r2 = 0.0;
                    for (int a = 0; a < D; ++a) {
                        const double d = xj[a] - xi[a] + sh[a];
                        r2 += d * d;
                    }
                    sc.r2[m] = r2;
                    sc.j[m] = j;
                    sc.t[m] = T[j];
                    m += r2 < cutforcesq_ ? 1u : 0u;
                }
                if (!ordered) [[unlikely]]
                    throw invalid_argument("eam: the neighbor list is not a half list (j < i)");
                // grid positions first (prefetching the table rows), then the sums
                double rhoi = 0.0;
                const dens_row* drow = dens_.data() + static_cast<std::size_t>(ti * nt) * rows;
                for (std::size_t q = 0; q < m; ++q) {
                    int mm;
                    sc.g[q] = locate_r(std::sqrt(sc.r2[q]), mm);
                    sc.t[q] = static_cast<int>(static_cast<std::size_t>(sc.t[q]) * rows + static_cast<std::size_t>(mm));
                    __builtin_prefetch(drow + sc.t[q]);
                }
                for (std::size_t q = 0; q < m; ++q) {
                    const double p = sc.g[q];
                    const dens_row& c = drow[sc.t[q]];
                    rhoi += ((c.ji[0] * p + c.ji[1]) * p + c.ji[2]) * p + c.ji[3];
                    s.at(0, sc.j[q], 1)[0] += ((c.ij[0] * p + c.ij[1]) * p + c.ij[2]) * p + c.ij[3];
                }
                s.at(0, i, 1)[0] += rhoi;
            }
        };
        detail::run_chunks<1, detail::ev_sums<D>>(n, ws->bounds, {rho}, {1}, true, *ws, density);

        double* epa = opt.energy_per_atom ? out.energy_per_atom.data() : nullptr;
        const double embed = detail::run_per_atom<double>(ws->bounds, [&](std::size_t b, std::size_t e, double& acc) {
            for (std::size_t i = b; i < e; ++i) {
                const auto [phi, f] = embedding(T[i], rho[i]);
                fp[i] = f;
                acc += phi;
                if (epa) epa[i] += phi;
            }
        });
        out.energy += embed;

        // pass 2: forces
        struct eam_row {
            const eam& p;
            const double* fp;
            double fpi;
            const force_row* rows;  ///< force_ rows of (ti, tj = 0)
            std::size_t nrows;
            double cutsq(int) const noexcept { return p.cutforcesq_; }
            void prefetch(double r2, int tj) const noexcept {
                int m;
                p.locate_r(std::sqrt(r2), m);
                const force_row* c = rows + static_cast<std::size_t>(tj) * nrows + static_cast<std::size_t>(m);
                __builtin_prefetch(c);
                __builtin_prefetch(reinterpret_cast<const char*>(c) + 64);
            }
            pair_value eval(std::size_t j, double r2, int tj) const noexcept {
                const double r = std::sqrt(r2);
                int m;
                const double pp = p.locate_r(r, m);
                const force_row& c = rows[static_cast<std::size_t>(tj) * nrows + static_cast<std::size_t>(m)];
                const double rhoip = (c.ij[0] * pp + c.ij[1]) * pp + c.ij[2];
                const double rhojp = (c.ji[0] * pp + c.ji[1]) * pp + c.ji[2];
                const double z2p = (c.z[0] * pp + c.z[1]) * pp + c.z[2];
                const double z2 = ((c.z[3] * pp + c.z[4]) * pp + c.z[5]) * pp + c.z[6];
                const double recip = 1.0 / r;
                const double phi = z2 * recip;
                const double phip = z2p * recip - phi * recip;
                const double psip = fpi * rhojp + fp[j] * rhoip + phip;
                return {phi, -psip * recip};
            }
        };
        struct eam_pair {
            const eam& p;
            const double* fp;
            eam_row row(std::size_t i, int ti) const noexcept {
                const auto nrows = static_cast<std::size_t>(p.nr_) + 1;
                return {p, fp, fp[i], p.force_.data() + static_cast<std::size_t>(ti * p.ntypes_) * nrows, nrows};
            }
        };
        detail::half_pair_loop(sys, nl, opt, out, *ws, eam_pair{*this, fp});
    }

    // LAMMPS's internal arrays, for inspection and tests
    int nr() const noexcept { return nr_; }
    int nrho() const noexcept { return nrho_; }
    double dr() const noexcept { return dr_; }
    double drho() const noexcept { return drho_; }
    double rhomax() const noexcept { return rhomax_; }

    /// Pair energy phi_ij(r) and density rho_{j->i}(r) from the splines.
    double pair_energy(int ti, int tj, double r) const {
        int m;
        const double p = locate_r(r, m);
        return value(z2r_spline_[pair_[static_cast<std::size_t>(ti * ntypes_ + tj)].z2r][static_cast<std::size_t>(m)],
                     p) /
               r;
    }
    double density(int ti_receiver, int tj_source, double r) const {
        int m;
        const double p = locate_r(r, m);
        return value(rhor_spline_[pair_[static_cast<std::size_t>(tj_source * ntypes_ + ti_receiver)].rhor]
                                 [static_cast<std::size_t>(m)],
                     p);
    }

    /// First and second radial derivatives of one pair's functions, for the
    /// Hessian (hessian.hpp): rho_{j->i}, rho_{i->j} and phi_ij. The first
    /// derivatives are the force's (LAMMPS's derivative splines), the second
    /// derivatives the derivatives of those: (2 c0 p + c1) / dr, so that the
    /// Hessian is the Jacobian of the forces. phi = z2 / r:
    ///     phi' = z2' / r - z2 / r^2,  phi'' = z2'' / r - 2 z2' / r^2 + 2 z2 / r^3.
    struct pair_derivatives {
        double drho_ji = 0, d2rho_ji = 0, drho_ij = 0, d2rho_ij = 0, dphi = 0, d2phi = 0;
    };
    pair_derivatives derivatives(int ti, int tj, double r) const {
        int m;
        const double p = locate_r(r, m);
        const bool inside = r * rdr_ + 1.0 - m <= 1.0;  // beyond the grid the spline is held constant
        const auto mm = static_cast<std::size_t>(m);
        const auto& ji = rhor_spline_[pair_[static_cast<std::size_t>(tj * ntypes_ + ti)].rhor][mm];
        const auto& ij = rhor_spline_[pair_[static_cast<std::size_t>(ti * ntypes_ + tj)].rhor][mm];
        const auto& z = z2r_spline_[pair_[static_cast<std::size_t>(ti * ntypes_ + tj)].z2r][mm];
        auto second = [&](const std::array<double, 7>& c) { return inside ? (2.0 * c[0] * p + c[1]) * rdr_ : 0.0; };
        pair_derivatives d;
        d.drho_ji = deriv(ji, p);
        d.d2rho_ji = second(ji);
        d.drho_ij = deriv(ij, p);
        d.d2rho_ij = second(ij);
        const double z2 = value(z, p), z2p = deriv(z, p), z2pp = second(z);
        const double rinv = 1.0 / r;
        d.dphi = z2p * rinv - z2 * rinv * rinv;
        d.d2phi = z2pp * rinv - 2.0 * z2p * rinv * rinv + 2.0 * z2 * rinv * rinv * rinv;
        return d;
    }

    /// F'(rho) and F''(rho) of a type: F' as embedding() (and the force)
    /// computes it, F'' its derivative (0 where F' is held constant: beyond
    /// rhomax, where the energy continues linearly).
    std::pair<double, double> embedding_derivatives(int type, double rho) const {
        double p = rho * rdrho_ + 1.0;
        int m = static_cast<int>(std::clamp(p, -1.0, static_cast<double>(INT_MAX / 2)));
        m = std::max(1, std::min(m, nrho_ - 1));
        p -= m;
        const bool inside = p <= 1.0;
        p = std::min(p, 1.0);
        const auto& c = frho_spline_[static_cast<std::size_t>(type2frho_[static_cast<std::size_t>(type)])]
                                    [static_cast<std::size_t>(m)];
        return {(c[0] * p + c[1]) * p + c[2], inside ? (2.0 * c[0] * p + c[1]) * rdrho_ : 0.0};
    }

private:
    // Packed copies of LAMMPS's spline rows per ordered type pair (ti, tj) and
    // grid index m, so that one lookup touches one (density) or two (force)
    // cache lines instead of three scattered tables; the numbers are the same.
    struct alignas(64) dens_row {
        double ji[4];  ///< value coefficients c3..c6 of rho_{j->i} (rhor_spline[type2rhor[tj][ti]])
        double ij[4];  ///< value coefficients of rho_{i->j} (rhor_spline[type2rhor[ti][tj]])
    };
    struct alignas(64) force_row {
        double ij[3];  ///< derivative coefficients c0..c2 of rhor_spline[type2rhor[ti][tj]] (rhoip)
        double ji[3];  ///< derivative coefficients of rhor_spline[type2rhor[tj][ti]] (rhojp)
        double z[7];   ///< z2r_spline[type2z2r[ti][tj]]
    };

    void pack() {
        const auto rows = static_cast<std::size_t>(nr_) + 1;
        const auto np = static_cast<std::size_t>(ntypes_ * ntypes_);
        dens_.assign(np * rows, dens_row{});
        force_.assign(np * rows, force_row{});
        for (int ti = 0; ti < ntypes_; ++ti)
            for (int tj = 0; tj < ntypes_; ++tj) {
                const pair_index& ij = pair_[static_cast<std::size_t>(ti * ntypes_ + tj)];
                const pair_index& ji = pair_[static_cast<std::size_t>(tj * ntypes_ + ti)];
                const std::size_t base = static_cast<std::size_t>(ti * ntypes_ + tj) * rows;
                for (std::size_t m = 0; m < rows; ++m) {
                    const auto& a = rhor_spline_[ji.rhor][m];
                    const auto& b = rhor_spline_[ij.rhor][m];
                    const auto& z = z2r_spline_[ij.z2r][m];
                    dens_row& d = dens_[base + m];
                    force_row& f = force_[base + m];
                    for (int k = 0; k < 4; ++k) {
                        d.ji[k] = a[static_cast<std::size_t>(3 + k)];
                        d.ij[k] = b[static_cast<std::size_t>(3 + k)];
                    }
                    for (int k = 0; k < 3; ++k) {
                        f.ij[k] = b[static_cast<std::size_t>(k)];
                        f.ji[k] = a[static_cast<std::size_t>(k)];
                    }
                    for (int k = 0; k < 7; ++k) f.z[k] = z[static_cast<std::size_t>(k)];
                }
            }
    }

    struct pair_index {
        std::size_t rhor = 0;  ///< LAMMPS type2rhor[ti][tj]
        std::size_t z2r = 0;   ///< LAMMPS type2z2r[ti][tj]
    };

    eam() = default;

    static std::string join(const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
        return s;
    }

    static double value(const std::array<double, 7>& c, double p) noexcept {
        return ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
    }
    static double deriv(const std::array<double, 7>& c, double p) noexcept { return (c[0] * p + c[1]) * p + c[2]; }

    double locate_r(double r, int& m) const noexcept {
        double p = r * rdr_ + 1.0;
        m = static_cast<int>(p);
        m = std::min(m, nr_ - 1);
        p -= m;
        return std::min(p, 1.0);
    }

    void init_types(std::size_t n) {
        if (n == 0) throw invalid_argument("eam: no atom types");
        ntypes_ = static_cast<int>(n);
        mass_.assign(n, 0.0);
        type2frho_.assign(n, 0);
        pair_.assign(n * n, {});
    }

    static std::size_t lower_index(int a, int b) {
        if (a < b) std::swap(a, b);
        return static_cast<std::size_t>(a * (a + 1) / 2 + b);
    }

    // LAMMPS PairEAM::file2array for funcfl files.
    void file2array_funcfl(const std::vector<funcfl_file>& files, const std::vector<int>& map) {
        const double sixth = 1.0 / 6.0;
        double rmax = 0.0;
        dr_ = drho_ = rhomax_ = 0.0;
        for (std::size_t i = 0; i < files.size(); ++i) {
            if (std::find(map.begin(), map.end(), static_cast<int>(i)) == map.end()) continue;
            const funcfl_file& f = files[i];
            dr_ = std::max(dr_, f.dr);
            drho_ = std::max(drho_, f.drho);
            rmax = std::max(rmax, (f.nr - 1) * f.dr);
            rhomax_ = std::max(rhomax_, (f.nrho - 1) * f.drho);
        }
        nr_ = static_cast<int>(rmax / dr_ + 0.5);
        nrho_ = static_cast<int>(rhomax_ / drho_ + 0.5);
        if (nr_ < 5 || nrho_ < 5) throw invalid_argument("eam: funcfl grids too small");

        auto regrid = [&](const std::vector<double>& src, int nsrc, double dsrc, double x) {
            double p = x / dsrc + 1.0;
            int k = static_cast<int>(p);
            k = std::min(k, nsrc - 2);
            k = std::max(k, 2);
            p -= k;
            p = std::min(p, 2.0);
            const double cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
            const double cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
            const double cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
            const double cof4 = sixth * p * (p * p - 1.0);
            const auto ks = static_cast<std::size_t>(k);
            return cof1 * src[ks - 1] + cof2 * src[ks] + cof3 * src[ks + 1] + cof4 * src[ks + 2];
        };

        frho_.assign(files.size(), std::vector<double>(static_cast<std::size_t>(nrho_) + 1, 0.0));
        rhor_.assign(files.size(), std::vector<double>(static_cast<std::size_t>(nr_) + 1, 0.0));
        for (std::size_t i = 0; i < files.size(); ++i) {
            const funcfl_file& f = files[i];
            for (int m = 1; m <= nrho_; ++m)
                frho_[i][static_cast<std::size_t>(m)] = regrid(f.frho, f.nrho, f.drho, (m - 1) * drho_);
            for (int m = 1; m <= nr_; ++m)
                rhor_[i][static_cast<std::size_t>(m)] = regrid(f.rhor, f.nr, f.dr, (m - 1) * dr_);
        }
        z2r_.clear();
        for (std::size_t i = 0; i < files.size(); ++i)
            for (std::size_t j = 0; j <= i; ++j) {
                std::vector<double> z(static_cast<std::size_t>(nr_) + 1, 0.0);
                for (int m = 1; m <= nr_; ++m) {
                    const double r = (m - 1) * dr_;
                    const double zri = regrid(files[i].zr, files[i].nr, files[i].dr, r);
                    const double zrj = regrid(files[j].zr, files[j].nr, files[j].dr, r);
                    z[static_cast<std::size_t>(m)] = 27.2 * 0.529 * zri * zrj;
                }
                z2r_.push_back(std::move(z));
            }
        cutmax_ = 0.0;
        for (const auto& f : files) cutmax_ = std::max(cutmax_, f.cut);
        cutforcesq_ = cutmax_ * cutmax_;
        for (int ti = 0; ti < ntypes_; ++ti) {
            type2frho_[static_cast<std::size_t>(ti)] = map[static_cast<std::size_t>(ti)];
            for (int tj = 0; tj < ntypes_; ++tj) {
                pair_index& pi = pair_[static_cast<std::size_t>(ti * ntypes_ + tj)];
                pi.rhor = static_cast<std::size_t>(map[static_cast<std::size_t>(ti)]);
                pi.z2r = lower_index(map[static_cast<std::size_t>(ti)], map[static_cast<std::size_t>(tj)]);
            }
        }
    }

    // LAMMPS PairEAMAlloy / PairEAMFS::file2array.
    void file2array_setfl(const setfl_file& f, const std::vector<int>& map) {
        nrho_ = f.nrho;
        nr_ = f.nr;
        drho_ = f.drho;
        dr_ = f.dr;
        rhomax_ = (nrho_ - 1) * drho_;
        frho_ = f.frho;
        rhor_ = f.rhor;
        z2r_ = f.z2r;
        cutmax_ = f.cut;
        cutforcesq_ = cutmax_ * cutmax_;
        const int ne = static_cast<int>(f.elements.size());
        for (int ti = 0; ti < ntypes_; ++ti) {
            const int mi = map[static_cast<std::size_t>(ti)];
            type2frho_[static_cast<std::size_t>(ti)] = mi;
            for (int tj = 0; tj < ntypes_; ++tj) {
                const int mj = map[static_cast<std::size_t>(tj)];
                pair_index& pi = pair_[static_cast<std::size_t>(ti * ntypes_ + tj)];
                pi.rhor = static_cast<std::size_t>(f.fs ? mi * ne + mj : mi);
                pi.z2r = lower_index(mi, mj);
            }
        }
    }

    // LAMMPS PairEAM::interpolate
    static spline interpolate(int n, double delta, const std::vector<double>& f) {
        spline s(static_cast<std::size_t>(n) + 1);
        auto at = [&](int m) -> std::array<double, 7>& { return s[static_cast<std::size_t>(m)]; };
        for (int m = 1; m <= n; ++m) at(m)[6] = f[static_cast<std::size_t>(m)];
        at(1)[5] = at(2)[6] - at(1)[6];
        at(2)[5] = 0.5 * (at(3)[6] - at(1)[6]);
        at(n - 1)[5] = 0.5 * (at(n)[6] - at(n - 2)[6]);
        at(n)[5] = at(n)[6] - at(n - 1)[6];
        for (int m = 3; m <= n - 2; ++m)
            at(m)[5] = ((at(m - 2)[6] - at(m + 2)[6]) + 8.0 * (at(m + 1)[6] - at(m - 1)[6])) / 12.0;
        for (int m = 1; m <= n - 1; ++m) {
            at(m)[4] = 3.0 * (at(m + 1)[6] - at(m)[6]) - 2.0 * at(m)[5] - at(m + 1)[5];
            at(m)[3] = at(m)[5] + at(m + 1)[5] - 2.0 * (at(m + 1)[6] - at(m)[6]);
        }
        at(n)[4] = 0.0;
        at(n)[3] = 0.0;
        for (int m = 1; m <= n; ++m) {
            at(m)[2] = at(m)[5] / delta;
            at(m)[1] = 2.0 * at(m)[4] / delta;
            at(m)[0] = 3.0 * at(m)[3] / delta;
        }
        return s;
    }

    void array2spline() {
        rdr_ = 1.0 / dr_;
        rdrho_ = 1.0 / drho_;
        frho_spline_.clear();
        rhor_spline_.clear();
        z2r_spline_.clear();
        for (const auto& f : frho_) frho_spline_.push_back(interpolate(nrho_, drho_, f));
        for (const auto& f : rhor_) rhor_spline_.push_back(interpolate(nr_, dr_, f));
        for (const auto& f : z2r_) z2r_spline_.push_back(interpolate(nr_, dr_, f));
    }

    int ntypes_ = 0;
    int nr_ = 0, nrho_ = 0;
    double dr_ = 0, drho_ = 0, rdr_ = 0, rdrho_ = 0, rhomax_ = 0;
    double cutmax_ = 0, cutforcesq_ = 0;
    std::vector<double> mass_;
    std::vector<std::vector<double>> frho_, rhor_, z2r_;
    std::vector<spline> frho_spline_, rhor_spline_, z2r_spline_;
    std::vector<int> type2frho_;
    std::vector<pair_index> pair_;
    std::vector<dens_row> dens_;
    std::vector<force_row> force_;
};

}  // namespace amorph::potential
