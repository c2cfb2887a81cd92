// amorph/potential/ewald.hpp — the reciprocal-space part of the Ewald sum, as
// LAMMPS's `kspace_style ewald ACC` (3D, tinfoil boundary, any cell).
//
// For charges q_i at x_i in a cell of volume V, reciprocal vectors
// G = 2 pi h^{-T} n (n integer, n != 0) and splitting parameter g:
//     S(G)   = sum_i q_i exp(i G.x_i)
//     E_k    = k (2 pi / V) sum_{G != 0} exp(-G^2 / 4g^2) / G^2 |S(G)|^2
//            - k g / sqrt(pi) sum_i q_i^2 - k pi (sum_i q_i)^2 / (2 g^2 V)
//     F_i    = k q_i (4 pi / V) sum_{G in half space} exp(-G^2/4g^2) / G^2 G Im(e^{iG.x_i} S(G)^*)
//     W_ab   = k (2 pi / V) sum_G exp(-G^2/4g^2) / G^2 |S(G)|^2 (delta_ab - 2 (1/G^2 + 1/(4 g^2)) G_a G_b)
// with k = qqrd2e; the real-space part k q_i q_j erfc(g r) / r is the pair
// term coul/long (coulomb.hpp). Per-atom energy and virial as LAMMPS's
// eatom / vatom: atom i gets k q_i sum_G u_G Re(e^{-iG.x_i} S(G)) (times the
// virial factor for vatom) and its own self terms.
//
// Parameters chosen as LAMMPS's Ewald::init / setup do (read from its
// source): with accuracy a = ACC qqr2e (kspace_common.hpp), N atoms,
// q2 = k sum q_i^2, real-space cutoff rc and the cell's extents xprd, yprd,
// zprd (restricted form),
//     g = sqrt(-ln(a sqrt(N rc xprd yprd zprd) / (2 q2))) / rc
//         (or (1.35 - 0.15 ln a) / rc when the logarithm's argument is >= 1),
//     kxmax = least k >= 1 with rms(k, xprd) <= a, likewise y, z, where
//     rms(k, L) = 2 q2 g / L sqrt(1 / (pi k N)) exp(-pi^2 k^2 / (g^2 L^2)),
//     G^2 <= 1.00001 max_a (2 pi kamax / L_a)^2,
// and for a tilted cell the per-axis bounds scaled by h^T as LAMMPS's
// coeffs_triclinic. g is fixed when the solver is first used (kspace.hpp);
// the k-vectors follow the cell at every evaluation, as LAMMPS's setup()
// does on a box change.
//
// Cost O(N n_G), n_G ~ V (g / pi)^3 ln(1/a)^{3/2}; the exact reference for
// PPPM (pppm.hpp). Parallel over G (structure factors) and atoms (forces);
// every sum has a fixed order, so results do not depend on the threads.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/vec.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/detail/kspace_common.hpp"
#include "amorph/potential/result.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <vector>

namespace amorph::potential {

class ewald_sum {
public:
    /// Per-axis largest |n| and the bound on G^2 for a cell and g.
    struct kspace_bounds {
        std::array<int, 3> kmax_axis{};
        int kmax = 0;
        double gsqmx = 0.0;
        bool triclinic = false;
    };

    /// LAMMPS's initial estimate of g_ewald (Ewald::init).
    static double estimate_g_ewald(double accuracy, double q2, std::size_t n, double cutoff, const mat<3>& h) {
        const mat<3> r = detail::restricted_h(h);
        double g = accuracy * std::sqrt(static_cast<double>(n) * cutoff * r(0, 0) * r(1, 1) * r(2, 2)) / (2.0 * q2);
        if (g >= 1.0) g = (1.35 - 0.15 * std::log(accuracy)) / cutoff;
        else g = std::sqrt(-std::log(g)) / cutoff;
        return g;
    }

    /// LAMMPS's Ewald::rms: the estimated rms force error of kmax = km along an axis of length prd.
    static double rms(int km, double prd, std::size_t n, double q2, double g) {
        const double natoms = n == 0 ? 1.0 : static_cast<double>(n);
        const double pi = detail::kspace_pi;
        return 2.0 * q2 * g / prd * std::sqrt(1.0 / (pi * km * natoms)) * std::exp(-pi * pi * km * km / (g * g * prd * prd));
    }

    /// The k-vector bounds LAMMPS's Ewald::setup chooses.
    static kspace_bounds bounds(double accuracy, double q2, std::size_t n, double g, const mat<3>& h) {
        const mat<3> r = detail::restricted_h(h);
        const double prd[3] = {r(0, 0), r(1, 1), r(2, 2)};
        kspace_bounds b;
        double gsq = 0.0;
        for (int a = 0; a < 3; ++a) {
            int k = 1;
            while (rms(k, prd[a], n, q2, g) > accuracy) {
                ++k;
                if (k > 100000) throw invalid_argument("kspace_style ewald: the accuracy cannot be reached (kmax > 1e5)");
            }
            b.kmax_axis[static_cast<std::size_t>(a)] = k;
            const double u = 2.0 * detail::kspace_pi / prd[a];
            gsq = std::max(gsq, u * u * k * k);
        }
        b.triclinic = !detail::is_orthogonal(h);
        if (b.triclinic) {
            // tmp = |h|^T (kxmax / xprd, kymax / yprd, kzmax / zprd) (LAMMPS's lamda2xT)
            const vec<3> t(b.kmax_axis[0] / prd[0], b.kmax_axis[1] / prd[1], b.kmax_axis[2] / prd[2]);
            const vec<3> s = detail::lamda2xT(r, t);
            for (int a = 0; a < 3; ++a) b.kmax_axis[static_cast<std::size_t>(a)] = std::max(1, static_cast<int>(s(a)));
        }
        b.kmax = std::max({b.kmax_axis[0], b.kmax_axis[1], b.kmax_axis[2]});
        b.gsqmx = gsq * 1.00001;
        return b;
    }

    /// The integer vectors n of the half space LAMMPS sums over (see its
    /// Ewald::coeffs / coeffs_triclinic) whose G = 2 pi h^{-T} n has G^2 <= gsqmx.
    static std::vector<std::array<int, 3>> kvectors(const kspace_bounds& b, const mat<3>& h) {
        const mat<3> r = detail::restricted_h(h);
        const mat<3> hit = r.inverse().transpose();
        std::vector<std::array<int, 3>> out;
        const int kx = b.kmax_axis[0], ky = b.kmax_axis[1], kz = b.kmax_axis[2];
        auto keep = [&](int x, int y, int z) {
            const vec<3> G = 2.0 * detail::kspace_pi * (hit * vec<3>(x, y, z));
            if (G.squaredNorm() <= b.gsqmx) out.push_back({x, y, z});
        };
        if (!b.triclinic) {
            for (int m = 1; m <= b.kmax; ++m) {
                keep(m, 0, 0);
                keep(0, m, 0);
                keep(0, 0, m);
            }
            for (int x = 1; x <= kx; ++x)
                for (int y = 1; y <= ky; ++y) {
                    keep(x, y, 0);
                    keep(x, -y, 0);
                }
            for (int y = 1; y <= ky; ++y)
                for (int z = 1; z <= kz; ++z) {
                    keep(0, y, z);
                    keep(0, y, -z);
                }
            for (int x = 1; x <= kx; ++x)
                for (int z = 1; z <= kz; ++z) {
                    keep(x, 0, z);
                    keep(x, 0, -z);
                }
            for (int x = 1; x <= kx; ++x)
                for (int y = 1; y <= ky; ++y)
                    for (int z = 1; z <= kz; ++z) {
                        keep(x, y, z);
                        keep(x, -y, z);
                        keep(x, y, -z);
                        keep(x, -y, -z);
                    }
        } else {
            for (int x = 1; x <= kx; ++x)
                for (int y = -ky; y <= ky; ++y)
                    for (int z = -kz; z <= kz; ++z) keep(x, y, z);
            for (int y = 1; y <= ky; ++y)
                for (int z = -kz; z <= kz; ++z) keep(0, y, z);
            for (int z = 1; z <= b.kmax; ++z) keep(0, 0, z);
        }
        return out;
    }

    /// Add the reciprocal-space and self terms for splitting parameter g,
    /// absolute accuracy `accuracy` (force units) and Coulomb constant k.
    template <int D>
    static void accumulate(const amorph::system<D>& sys, double g, double accuracy, const detail::charge_sums& cs,
                           const compute_options& opt, result<D>& out) {
        if constexpr (D != 3) {
            throw unsupported("kspace_style ewald: 3D systems only (as LAMMPS)");
        } else {
            const double k_e = sys.units->qqr2e;
            const double q2 = cs.qsqsum * k_e;
            const std::size_t n = sys.size();
            const mat<3>& h = sys.box.h();
            const mat<3> r = detail::restricted_h(h);
            const kspace_bounds b = bounds(accuracy, q2, n, g, h);
            const auto kv = kvectors(b, h);
            const std::size_t nk = kv.size();
            const double volume = sys.box.volume();
            const double pi = detail::kspace_pi;
            const double preu = 4.0 * pi / volume;
            const double gsqinv = 1.0 / (g * g);

            // per-k coefficients: G, u_G (half-space weight 4 pi / V), virial factors
            std::vector<vec<3>> G(nk);
            std::vector<double> ug(nk);
            std::vector<std::array<double, 6>> vg(nk);
            const mat<3> hit = r.inverse().transpose();
            // G of the actual cell: rotate the restricted-form G back (R = h r^{-1})
            const mat<3> rot = h * r.inverse();
            for (std::size_t q = 0; q < nk; ++q) {
                const vec<3> gr = 2.0 * pi * (hit * vec<3>(kv[q][0], kv[q][1], kv[q][2]));
                const vec<3> gv = rot * gr;
                const double sqk = gr.squaredNorm();
                G[q] = gv;
                ug[q] = preu * std::exp(-0.25 * sqk * gsqinv) / sqk;
                const double vterm = -2.0 * (1.0 / sqk + 0.25 * gsqinv);
                vg[q] = {1.0 + vterm * gv(0) * gv(0), 1.0 + vterm * gv(1) * gv(1), 1.0 + vterm * gv(2) * gv(2),
                         vterm * gv(0) * gv(1),       vterm * gv(0) * gv(2),       vterm * gv(1) * gv(2)};
            }

            // e^{i 2 pi m s_a} per atom, m = 0..kmax, a = x, y, z (s: fractional coordinates)
            using cplx = std::complex<double>;
            const int km = b.kmax;
            const std::size_t stride = static_cast<std::size_t>(3 * (km + 1));
            std::vector<cplx> eik(n * stride);
            const mat<3> hinv = h.inverse();
            const double* Q = sys.charges.data();
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const tbb::blocked_range<std::size_t>& rg) {
                for (std::size_t i = rg.begin(); i != rg.end(); ++i) {
                    const vec<3> s = hinv * (sys.x(i) - sys.box.origin());
                    cplx* e = &eik[i * stride];
                    for (int a = 0; a < 3; ++a) {
                        cplx* ea = e + a * (km + 1);
                        ea[0] = 1.0;
                        if (km >= 1) ea[1] = cplx(std::cos(2.0 * pi * s(a)), std::sin(2.0 * pi * s(a)));
                        for (int m = 2; m <= km; ++m) ea[m] = ea[m - 1] * ea[1];
                    }
                }
            });
            auto phase = [&](std::size_t i, const std::array<int, 3>& nv) {
                const cplx* e = &eik[i * stride];
                cplx p(1.0, 0.0);
                for (int a = 0; a < 3; ++a) {
                    const int m = nv[static_cast<std::size_t>(a)];
                    const cplx v = e[a * (km + 1) + std::abs(m)];
                    p *= m >= 0 ? v : std::conj(v);
                }
                return p;
            };

            // structure factors, one k-vector per task, atoms in order
            std::vector<cplx> S(nk);
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nk, 16), [&](const tbb::blocked_range<std::size_t>& rg) {
                for (std::size_t q = rg.begin(); q != rg.end(); ++q) {
                    cplx s(0.0, 0.0);
                    for (std::size_t i = 0; i < n; ++i) s += Q[i] * phase(i, kv[q]);
                    S[q] = s;
                }
            });

            // forces (and per-atom terms), one atom per task, k-vectors in order
            const bool ea = opt.energy_per_atom, va = opt.virial_per_atom;
            detail::prepare(out, n, opt);
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& rg) {
                for (std::size_t i = rg.begin(); i != rg.end(); ++i) {
                    vec<3> ek = vec<3>::Zero();
                    double ei = 0.0;
                    std::array<double, 6> wi{};
                    for (std::size_t q = 0; q < nk; ++q) {
                        const cplx e = phase(i, kv[q]);
                        const double partial = e.imag() * S[q].real() - e.real() * S[q].imag();
                        ek += partial * (2.0 * ug[q]) * G[q];
                        if (ea || va) {
                            const double pa = e.real() * S[q].real() + e.imag() * S[q].imag();
                            ei += ug[q] * pa;
                            if (va)
                                for (std::size_t c = 0; c < 6; ++c) wi[c] += ug[q] * vg[q][c] * pa;
                        }
                    }
                    const auto ii = static_cast<Eigen::Index>(i);
                    out.forces.col(ii) += (k_e * Q[i]) * ek;
                    if (ea)
                        out.energy_per_atom[i] +=
                            k_e * (Q[i] * ei - g * Q[i] * Q[i] / std::sqrt(pi) - pi / 2.0 * Q[i] * cs.qsum / (g * g * volume));
                    if (va)
                        for (int c = 0; c < 6; ++c) out.virial_per_atom(c, ii) += k_e * Q[i] * wi[static_cast<std::size_t>(c)];
                }
            });

            // energy and virial, k-vectors in order
            double e = 0.0;
            std::array<double, 6> w{};
            for (std::size_t q = 0; q < nk; ++q) {
                const double uk = ug[q] * std::norm(S[q]);
                e += uk;
                for (std::size_t c = 0; c < 6; ++c) w[c] += uk * vg[q][c];
            }
            e -= g * cs.qsqsum / std::sqrt(pi) + pi / 2.0 * cs.qsum * cs.qsum / (g * g * volume);
            detail::ev_sums<3> sums;
            sums.energy = k_e * e;
            for (std::size_t c = 0; c < 6; ++c) sums.w[c] = k_e * w[c];
            detail::add_sums(out, sums, opt.virial);
        }
    }

};

}  // namespace amorph::potential
