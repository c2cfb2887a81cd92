// amorph/potential/pppm.hpp — particle-particle particle-mesh Ewald (PPPM),
// the reciprocal-space part of the Ewald sum on a mesh, as LAMMPS's
// `kspace_style pppm ACC` with ik differentiation (Hockney & Eastwood;
// the optimal influence function and error estimate of Deserno & Holm,
// J. Chem. Phys. 109, 7678 (1998)). 3D, any cell, tinfoil boundary.
//
// The method, in the cell's fractional coordinates s = h^{-1}(x - o) on an
// Nx x Ny x Nz mesh (M points, cell volume V):
//   1. charge assignment of order P (P points per axis, the B-spline-like
//      weights W_P of Hockney & Eastwood, coefficients as LAMMPS's
//      compute_rho_coeff): rho_g = sum_i q_i W(s_i - s_g) M / V;
//   2. forward FFT rho(k); with k = 2 pi h^{-T} n the optimal influence
//      function for ik differentiation
//        G(k) = 4 pi / k^2 * sum_m (k.k_m / k_m^2) exp(-k_m^2/4g^2) U^2(k_m) / [sum_m U^2(k_m)]^2
//      (k_m = k + 2 pi h^{-T} (m_x Nx, m_y Ny, m_z Nz) the aliases, U the
//      Fourier transform of W, the denominator in closed form, LAMMPS's
//      gf_denom), then
//        E_k = k_e V / (2 M^2) sum_k G(k) |rho(k)|^2 - k_e g / sqrt(pi) sum q_i^2
//              - k_e pi (sum q_i)^2 / (2 g^2 V)
//        W_ab = k_e V / (2 M^2) sum_k G |rho|^2 (delta_ab - 2 (1/k^2 + 1/(4g^2)) k_a k_b);
//   3. the field E(k) = -i k G(k) rho(k) / M, three backward FFTs to the mesh,
//      interpolated back with the same weights: F_i = k_e q_i sum_g W(s_i - s_g) E_g.
//   Per-atom energy / virial (LAMMPS's eatom / vatom): the mesh potential and
//   the six virial fields (seven more backward FFTs) interpolated at each
//   atom, half to the atom, plus its self terms.
// As in LAMMPS the ik forces are not the exact gradient of E_k (the error is
// of the order of the accuracy).
//
// Parameters chosen as LAMMPS's PPPM::init does (set_grid_global, then
// adjust_gewald; read from its source): accuracy a = ACC qqr2e; g from the
// Ewald estimate; per axis of extent L, starting from h = 1/g,
// N = int(L/h) + 1 grid points, increased until the ik error estimate
//     dF(h, L) = q2 (h g)^P sqrt(g L sqrt(2 pi) sum_m a_m^(P) (h g)^(2m) / N_atoms) / L^2
// (a_m^(P): Deserno & Holm's coefficients) is below a, for a tilted cell
// scaled by h^T (absolute tilts) as LAMMPS's triclinic code, then raised to the next product
// of 2, 3 and 5; finally g is re-solved by Newton's method so that the
// real-space error 2 q2 exp(-g^2 rc^2) / sqrt(N rc V) equals the k-space
// estimate. `kspace_modify mesh Nx Ny Nz`, `order P` and `gewald g` fix
// them instead. The mesh is fixed at the first evaluation; G(k) follows the
// cell (recomputed when the cell changes).
//
// FFT: FFTW 3 (Debian's libfftw3-dev), the library LAMMPS and most MD codes
// use and the fastest portable one; amorph's own code is the rest of the
// method. Planning is serialised (FFTW's planner is not thread-safe);
// execution is not shared between evaluations.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/vec.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/detail/kspace_common.hpp"
#include "amorph/potential/result.hpp"

#include <fftw3.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace amorph::potential {

namespace pppm_detail {

inline std::mutex& planner_mutex() {
    static std::mutex m;
    return m;
}

/// A 3D complex FFTW buffer and its forward / backward plans.
class fft3d {
public:
    fft3d(int nx, int ny, int nz) : n_(static_cast<std::size_t>(nx) * ny * nz) {
        data_ = reinterpret_cast<std::complex<double>*>(fftw_malloc(sizeof(fftw_complex) * n_));
        if (!data_) throw std::bad_alloc();
        std::lock_guard<std::mutex> lock(planner_mutex());
        auto* d = reinterpret_cast<fftw_complex*>(data_);
        fwd_ = fftw_plan_dft_3d(nz, ny, nx, d, d, FFTW_FORWARD, FFTW_ESTIMATE);
        bwd_ = fftw_plan_dft_3d(nz, ny, nx, d, d, FFTW_BACKWARD, FFTW_ESTIMATE);
        if (!fwd_ || !bwd_) throw invalid_argument("kspace_style pppm: FFTW could not plan the mesh");
    }
    fft3d(const fft3d&) = delete;
    fft3d& operator=(const fft3d&) = delete;
    ~fft3d() {
        std::lock_guard<std::mutex> lock(planner_mutex());
        if (fwd_) fftw_destroy_plan(fwd_);
        if (bwd_) fftw_destroy_plan(bwd_);
        fftw_free(data_);
    }
    std::complex<double>* data() noexcept { return data_; }
    std::size_t size() const noexcept { return n_; }
    void forward() { fftw_execute(fwd_); }
    void backward() { fftw_execute(bwd_); }

private:
    std::size_t n_;
    std::complex<double>* data_ = nullptr;
    fftw_plan fwd_ = nullptr;
    fftw_plan bwd_ = nullptr;
};

/// Deserno & Holm's coefficients a_m^(P) of the ik error estimate (LAMMPS's acons).
inline double acons(int p, int m) {
    static const double t[8][7] = {
        {0, 0, 0, 0, 0, 0, 0},
        {2.0 / 3.0, 0, 0, 0, 0, 0, 0},
        {1.0 / 50.0, 5.0 / 294.0, 0, 0, 0, 0, 0},
        {1.0 / 588.0, 7.0 / 1440.0, 21.0 / 3872.0, 0, 0, 0, 0},
        {1.0 / 4320.0, 3.0 / 1936.0, 7601.0 / 2271360.0, 143.0 / 28800.0, 0, 0, 0},
        {1.0 / 23232.0, 7601.0 / 13628160.0, 143.0 / 69120.0, 517231.0 / 106536960.0, 106640677.0 / 11737571328.0, 0,
         0},
        {691.0 / 68140800.0, 13.0 / 57600.0, 47021.0 / 35512320.0, 9694607.0 / 2095994880.0,
         733191589.0 / 59609088000.0, 326190917.0 / 11700633600.0, 0},
        {1.0 / 345600.0, 3617.0 / 35512320.0, 745739.0 / 838397952.0, 56399353.0 / 12773376000.0,
         25091609.0 / 1560084480.0, 1755948832039.0 / 36229939200000.0, 4887769399.0 / 37838389248.0},
    };
    return t[p][m];
}

inline bool factorable(int n) {
    while (n > 1) {
        if (n % 2 == 0) n /= 2;
        else if (n % 3 == 0) n /= 3;
        else if (n % 5 == 0) n /= 5;
        else return false;
    }
    return true;
}

/// (sin x / x)^n, 1 at x = 0.
inline double powsinxx(double x, int n) {
    if (x == 0.0) return 1.0;
    return std::pow(std::sin(x) / x, n);
}

}  // namespace pppm_detail

class pppm_solver {
public:
    static constexpr int max_order = 7;

    /// The mesh and splitting parameter of a PPPM evaluation.
    struct mesh_choice {
        std::array<int, 3> n{};
        double g_ewald = 0.0;
    };

    explicit pppm_solver(int order = 5) : order_(order) {
        if (order < 2 || order > max_order)
            throw invalid_argument("kspace_modify order: PPPM order must be 2.." + std::to_string(max_order));
        compute_rho_coeff();
        compute_gf_denom();
    }
    pppm_solver(const pppm_solver& o) : pppm_solver(o.order_) {}
    pppm_solver& operator=(const pppm_solver& o) {
        if (this != &o) *this = pppm_solver(o.order_);
        return *this;
    }
    pppm_solver(pppm_solver&&) noexcept = default;
    pppm_solver& operator=(pppm_solver&&) noexcept = default;

    int order() const noexcept { return order_; }

    /// Deserno-Holm ik error estimate along one axis (LAMMPS's estimate_ik_error).
    double estimate_ik_error(double h, double prd, std::size_t natoms, double q2, double g) const {
        if (natoms == 0) return 0.0;
        double sum = 0.0;
        for (int m = 0; m < order_; ++m) sum += pppm_detail::acons(order_, m) * std::pow(h * g, 2.0 * m);
        return q2 * std::pow(h * g, static_cast<double>(order_)) *
               std::sqrt(g * prd * std::sqrt(2.0 * detail::kspace_pi) * sum / static_cast<double>(natoms)) / (prd * prd);
    }

    /// The mesh and g_ewald LAMMPS's PPPM::init chooses (see the header);
    /// `mesh` (all > 0) or `g_fixed` (> 0) override the choice.
    mesh_choice choose(double accuracy, double q2, std::size_t natoms, double cutoff, const mat<3>& h,
                       std::array<int, 3> mesh = {0, 0, 0}, double g_fixed = 0.0) const {
        const mat<3> r = detail::restricted_h(h);
        const double prd[3] = {r(0, 0), r(1, 1), r(2, 2)};
        const bool triclinic = !detail::is_orthogonal(h);
        double g = g_fixed;
        if (!(g > 0.0)) {
            g = accuracy * std::sqrt(static_cast<double>(natoms) * cutoff * prd[0] * prd[1] * prd[2]) / (2.0 * q2);
            if (g >= 1.0) g = (1.35 - 0.15 * std::log(accuracy)) / cutoff;
            else g = std::sqrt(-std::log(g)) / cutoff;
        }
        std::array<int, 3> n = mesh;
        double hx[3];
        const bool given = n[0] > 0 && n[1] > 0 && n[2] > 0;
        if (!given) {
            for (int a = 0; a < 3; ++a) {
                double ha = 1.0 / g;
                int na = static_cast<int>(prd[a] / ha) + 1;
                double err = estimate_ik_error(ha, prd[a], natoms, q2, g);
                while (err > accuracy) {
                    err = estimate_ik_error(ha, prd[a], natoms, q2, g);
                    ++na;
                    ha = prd[a] / na;
                    if (na > 16384) throw invalid_argument("kspace_style pppm: the accuracy needs a mesh above 16384 points per axis");
                }
                n[static_cast<std::size_t>(a)] = na;
            }
            if (triclinic) {
                const vec<3> t(n[0] / prd[0], n[1] / prd[1], n[2] / prd[2]);
                const vec<3> s = detail::lamda2xT(r, t);
                for (int a = 0; a < 3; ++a) n[static_cast<std::size_t>(a)] = static_cast<int>(s(a)) + 1;
            }
        }
        for (auto& na : n)
            while (!pppm_detail::factorable(na)) ++na;
        if (!triclinic) {
            for (int a = 0; a < 3; ++a) hx[a] = prd[a] / n[static_cast<std::size_t>(a)];
        } else {
            const vec<3> t = r.inverse().transpose() * vec<3>(n[0], n[1], n[2]);
            for (int a = 0; a < 3; ++a) hx[a] = 1.0 / t(a);
        }
        if (!(g_fixed > 0.0)) {
            // LAMMPS's adjust_gewald: Newton-Raphson on df_rspace - df_kspace, with a
            // forward-difference derivative of step 1e-6
            auto f = [&](double gg) {
                const double df_r = 2.0 * q2 * std::exp(-gg * gg * cutoff * cutoff) /
                                    std::sqrt(static_cast<double>(natoms) * cutoff * prd[0] * prd[1] * prd[2]);
                double s = 0.0;
                for (int a = 0; a < 3; ++a) {
                    const double e = estimate_ik_error(hx[a], prd[a], natoms, q2, gg);
                    s += e * e;
                }
                return df_r - std::sqrt(s) / std::sqrt(3.0);
            };
            bool done = false;
            for (int it = 0; it < 10000; ++it) {
                const double f1 = f(g), f2 = f(g + 0.000001);
                const double dx = f1 / ((f2 - f1) / 0.000001);
                g -= dx;
                if (std::abs(f(g)) < 0.00001) {
                    done = true;
                    break;
                }
            }
            if (!done || !(g > 0.0) || !std::isfinite(g))
                throw invalid_argument("kspace_style pppm: could not compute g_ewald (LAMMPS: 'Could not compute g_ewald')");
        }
        return {n, g};
    }

    /// Add the reciprocal-space and self terms on mesh `m` (k_e = qqr2e).
    template <int D>
    void accumulate(const amorph::system<D>& sys, const mesh_choice& m, const detail::charge_sums& cs,
                    const compute_options& opt, result<D>& out) const {
        if constexpr (D != 3) {
            throw unsupported("kspace_style pppm: 3D systems only (as LAMMPS)");
        } else {
            using cplx = std::complex<double>;
            const double pi = detail::kspace_pi;
            const int nx = m.n[0], ny = m.n[1], nz = m.n[2];
            const std::size_t ngrid = static_cast<std::size_t>(nx) * ny * nz;
            const double g = m.g_ewald;
            const double k_e = sys.units->qqr2e;
            const double volume = sys.box.volume();
            const mat<3>& h = sys.box.h();
            const std::size_t n = sys.size();
            const double* Q = sys.charges.data();
            detail::prepare(out, n, opt);
            ensure_workspace(m, h);
            work& w = *work_;

            // 1. charge assignment
            std::fill(w.rho.begin(), w.rho.end(), 0.0);
            const mat<3> hinv = h.inverse();
            w.stencil.resize(n);
            const double delvolinv = static_cast<double>(ngrid) / volume;
            const int nlower = -(order_ - 1) / 2;
            const bool odd = order_ % 2 != 0;
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const tbb::blocked_range<std::size_t>& rg) {
                for (std::size_t i = rg.begin(); i != rg.end(); ++i) {
                    const vec<3> s = hinv * (sys.x(i) - sys.box.origin());
                    auto& st = w.stencil[i];
                    for (int a = 0; a < 3; ++a) {
                        const double u = s(a) * m.n[static_cast<std::size_t>(a)];
                        const double base = std::floor(u + (odd ? 0.5 : 0.0));
                        const double dx = base + (odd ? 0.0 : 0.5) - u;
                        st.first[static_cast<std::size_t>(a)] = static_cast<long>(base);
                        for (int k = 0; k < order_; ++k) {
                            double r1 = 0.0;
                            for (int l = order_ - 1; l >= 0; --l) r1 = rho_coeff_[static_cast<std::size_t>(l * order_ + k)] + r1 * dx;
                            st.w[static_cast<std::size_t>(a)][static_cast<std::size_t>(k)] = r1;
                        }
                    }
                }
            });
            auto wrap = [](long v, int nn) { long r = v % nn; return static_cast<int>(r < 0 ? r + nn : r); };
            auto assign = [&](std::size_t i) {
                const auto& st = w.stencil[i];
                const double z0 = delvolinv * Q[i];
                for (int c = 0; c < order_; ++c) {
                    const int mz = wrap(st.first[2] + nlower + c, nz);
                    const double y0 = z0 * st.w[2][static_cast<std::size_t>(c)];
                    for (int b = 0; b < order_; ++b) {
                        const int my = wrap(st.first[1] + nlower + b, ny);
                        const double x0 = y0 * st.w[1][static_cast<std::size_t>(b)];
                        double* row = &w.rho[(static_cast<std::size_t>(mz) * ny + my) * nx];
                        for (int a = 0; a < order_; ++a) {
                            const int mx = wrap(st.first[0] + nlower + a, nx);
                            row[mx] += x0 * st.w[0][static_cast<std::size_t>(a)];
                        }
                    }
                }
            };
            // In parallel and deterministic: atoms are grouped by the z slab of their
            // stencil's base plane (slabs at least `order` planes thick, an even number
            // of them); the even slabs are assigned concurrently, then the odd ones.
            // Stencils of slabs two apart never share a plane, and each slab runs its
            // atoms in index order, so every mesh point sums in a fixed order.
            int nslab = nz / order_;
            if (nslab % 2) --nslab;
            if (nslab < 2) {
                for (std::size_t i = 0; i < n; ++i) assign(i);
            } else {
                w.slab_start.assign(static_cast<std::size_t>(nslab) + 1, 0);
                w.slab_atoms.resize(n);
                auto slab_of = [&](std::size_t i) {
                    const long z = wrap(w.stencil[i].first[2], nz);
                    return static_cast<std::size_t>(z * nslab / nz);
                };
                for (std::size_t i = 0; i < n; ++i) ++w.slab_start[slab_of(i) + 1];
                for (std::size_t k = 0; k < static_cast<std::size_t>(nslab); ++k) w.slab_start[k + 1] += w.slab_start[k];
                {
                    std::vector<std::size_t> fill(w.slab_start.begin(), w.slab_start.end() - 1);
                    for (std::size_t i = 0; i < n; ++i) w.slab_atoms[fill[slab_of(i)]++] = i;
                }
                for (int phase = 0; phase < 2; ++phase)
                    tbb::parallel_for(tbb::blocked_range<int>(0, nslab / 2, 1), [&](const tbb::blocked_range<int>& rg) {
                        for (int h2 = rg.begin(); h2 != rg.end(); ++h2) {
                            const auto sl = static_cast<std::size_t>(2 * h2 + phase);
                            for (std::size_t k = w.slab_start[sl]; k < w.slab_start[sl + 1]; ++k) assign(w.slab_atoms[k]);
                        }
                    });
            }

            // 2. forward FFT, energy and virial
            cplx* F = w.fft->data();
            auto par = [&](auto&& f) {
                tbb::parallel_for(tbb::blocked_range<std::size_t>(0, ngrid, 4096), [&](const tbb::blocked_range<std::size_t>& rg) {
                    for (std::size_t q = rg.begin(); q != rg.end(); ++q) f(q);
                });
            };
            par([&](std::size_t q) { F[q] = w.rho[q]; });
            w.fft->forward();
            w.rhok.assign(F, F + ngrid);
            const double scaleinv = 1.0 / static_cast<double>(ngrid);
            double energy = 0.0;
            std::array<double, 6> vir{};
            for (std::size_t q = 0; q < ngrid; ++q) {
                const double eng = scaleinv * scaleinv * w.gf[q] * std::norm(w.rhok[q]);
                energy += eng;
                if (opt.virial)
                    for (std::size_t c = 0; c < 6; ++c) vir[c] += eng * w.vg[q][c];
            }
            energy *= 0.5 * volume;
            energy -= g * cs.qsqsum / std::sqrt(pi) + pi / 2.0 * cs.qsum * cs.qsum / (g * g * volume);
            detail::ev_sums<3> sums;
            sums.energy = k_e * energy;
            for (std::size_t c = 0; c < 6; ++c) sums.w[c] = 0.5 * k_e * volume * vir[c];
            detail::add_sums(out, sums, opt.virial);
            par([&](std::size_t q) { w.rhok[q] *= scaleinv * w.gf[q]; });

            // 3. fields on the mesh: -grad phi (three backward FFTs), and for per-atom
            //    output the potential and the six virial fields
            const bool ea = opt.energy_per_atom, va = opt.virial_per_atom;
            const int nfield = 3 + (ea ? 1 : 0) + (va ? 6 : 0);
            w.field.resize(static_cast<std::size_t>(nfield) * ngrid);
            for (int c = 0; c < nfield; ++c) {
                par([&](std::size_t q) {
                    const cplx v = w.rhok[q];
                    if (c < 3) F[q] = cplx(0.0, 1.0) * w.kvec[q][static_cast<std::size_t>(c)] * v;  // +i k phi(k): grad phi
                    else if (ea && c == 3) F[q] = v;
                    else F[q] = v * w.vg[q][static_cast<std::size_t>(c - (ea ? 4 : 3))];
                });
                w.fft->backward();
                double* dst = &w.field[static_cast<std::size_t>(c) * ngrid];
                par([&](std::size_t q) { dst[q] = F[q].real(); });
            }

            // 4. interpolation to the atoms (parallel over atoms)
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 128), [&](const tbb::blocked_range<std::size_t>& rg) {
                std::array<double, 10> acc{};
                for (std::size_t i = rg.begin(); i != rg.end(); ++i) {
                    acc.fill(0.0);
                    const auto& st = w.stencil[i];
                    for (int c = 0; c < order_; ++c) {
                        const int mz = wrap(st.first[2] + nlower + c, nz);
                        const double z0 = st.w[2][static_cast<std::size_t>(c)];
                        for (int b = 0; b < order_; ++b) {
                            const int my = wrap(st.first[1] + nlower + b, ny);
                            const double y0 = z0 * st.w[1][static_cast<std::size_t>(b)];
                            const std::size_t row = (static_cast<std::size_t>(mz) * ny + my) * nx;
                            for (int a = 0; a < order_; ++a) {
                                const int mx = wrap(st.first[0] + nlower + a, nx);
                                const double x0 = y0 * st.w[0][static_cast<std::size_t>(a)];
                                for (int f = 0; f < nfield; ++f)
                                    acc[static_cast<std::size_t>(f)] += x0 * w.field[static_cast<std::size_t>(f) * ngrid + row + mx];
                            }
                        }
                    }
                    const auto ii = static_cast<Eigen::Index>(i);
                    for (int a = 0; a < 3; ++a) out.forces(a, ii) -= k_e * Q[i] * acc[static_cast<std::size_t>(a)];
                    if (ea)
                        out.energy_per_atom[i] += k_e * (0.5 * Q[i] * acc[3] - g * Q[i] * Q[i] / std::sqrt(pi) -
                                                         pi / 2.0 * Q[i] * cs.qsum / (g * g * volume));
                    if (va) {
                        const std::size_t v0 = ea ? 4 : 3;
                        for (int c = 0; c < 6; ++c)
                            out.virial_per_atom(c, ii) += 0.5 * k_e * Q[i] * acc[v0 + static_cast<std::size_t>(c)];
                    }
                }
            });
        }
    }

private:
    struct stencil_of_atom {
        std::array<long, 3> first{};
        std::array<std::array<double, max_order>, 3> w{};
    };
    struct work {
        std::array<int, 3> n{};
        mat<3> h = mat<3>::Zero();
        double g = 0.0;
        std::unique_ptr<pppm_detail::fft3d> fft;
        std::vector<double> gf;
        std::vector<std::array<double, 6>> vg;
        std::vector<std::array<double, 3>> kvec;
        std::vector<double> rho, field;
        std::vector<std::complex<double>> rhok;
        std::vector<stencil_of_atom> stencil;
        std::vector<std::size_t> slab_start, slab_atoms;
    };

    /// LAMMPS's compute_rho_coeff: the polynomial coefficients of the weights.
    void compute_rho_coeff() {
        const int P = order_;
        // a[l][k], k = -P..P
        std::vector<double> a(static_cast<std::size_t>(P * (2 * P + 1)), 0.0);
        auto A = [&](int l, int k) -> double& { return a[static_cast<std::size_t>(l * (2 * P + 1) + (k + P))]; };
        A(0, 0) = 1.0;
        for (int j = 1; j < P; ++j)
            for (int k = -j; k <= j; k += 2) {
                double s = 0.0;
                for (int l = 0; l < j; ++l) {
                    A(l + 1, k) = (A(l, k + 1) - A(l, k - 1)) / (l + 1);
                    s += std::pow(0.5, static_cast<double>(l + 1)) * (A(l, k - 1) + std::pow(-1.0, static_cast<double>(l)) * A(l, k + 1)) / (l + 1);
                }
                A(0, k) = s;
            }
        rho_coeff_.assign(static_cast<std::size_t>(P * P), 0.0);
        int m = 0;
        for (int k = -(P - 1); k < P; k += 2, ++m)
            for (int l = 0; l < P; ++l) rho_coeff_[static_cast<std::size_t>(l * P + m)] = A(l, k);
    }

    /// LAMMPS's compute_gf_denom: the coefficients of the alias-sum denominator.
    void compute_gf_denom() {
        const int P = order_;
        gf_b_.assign(static_cast<std::size_t>(P), 0.0);
        gf_b_[0] = 1.0;
        for (int m = 1; m < P; ++m) {
            int l = m;
            for (; l > 0; --l)
                gf_b_[static_cast<std::size_t>(l)] =
                    4.0 * (gf_b_[static_cast<std::size_t>(l)] * (l - m) * (l - m - 0.5) -
                           gf_b_[static_cast<std::size_t>(l - 1)] * (l - m - 1) * (l - m - 1));
            gf_b_[0] = 4.0 * (gf_b_[0] * (l - m) * (l - m - 0.5));
        }
        double ifact = 1.0;
        for (int k = 1; k < 2 * P; ++k) ifact *= k;
        for (auto& b : gf_b_) b /= ifact;
    }

    double gf_denom(double x, double y, double z) const {
        double sx = 0.0, sy = 0.0, sz = 0.0;
        for (int l = order_ - 1; l >= 0; --l) {
            sx = gf_b_[static_cast<std::size_t>(l)] + sx * x;
            sy = gf_b_[static_cast<std::size_t>(l)] + sy * y;
            sz = gf_b_[static_cast<std::size_t>(l)] + sz * z;
        }
        const double s = sx * sy * sz;
        return s * s;
    }

    /// Buffers, FFT plans and the influence function for mesh m and cell h.
    void ensure_workspace(const mesh_choice& m, const mat<3>& h) const {
        if (!work_ || work_->n != m.n) {
            auto w = std::make_unique<work>();
            w->n = m.n;
            w->fft = std::make_unique<pppm_detail::fft3d>(m.n[0], m.n[1], m.n[2]);
            const std::size_t ng = w->fft->size();
            w->rho.resize(ng);
            w->gf.resize(ng);
            w->vg.resize(ng);
            w->kvec.resize(ng);
            work_ = std::move(w);
        }
        work& w = *work_;
        if (w.h == h && w.g == m.g_ewald) return;
        w.h = h;
        w.g = m.g_ewald;
        const double pi = detail::kspace_pi;
        const int nx = m.n[0], ny = m.n[1], nz = m.n[2];
        const double g = m.g_ewald;
        const mat<3> hit = h.inverse().transpose();
        const mat<3> r = detail::restricted_h(h);
        const double c = std::pow(-std::log(1.0e-7), 0.25);
        const vec<3> t = detail::lamda2xT(r, vec<3>(g / (pi * nx) * c, g / (pi * ny) * c, g / (pi * nz) * c));
        if (!(t.maxCoeff() < 50.0))
            throw invalid_argument("kspace_style pppm: the cell has grown so much since the mesh was chosen (" +
                                   std::to_string(nx) + " x " + std::to_string(ny) + " x " + std::to_string(nz) +
                                   ") that the influence function needs > 50 aliases per axis; restart the run so "
                                   "that a new mesh is chosen, or set kspace_modify mesh");
        const int nbx = static_cast<int>(t(0)), nby = static_cast<int>(t(1)), nbz = static_cast<int>(t(2));
        const int twoorder = 2 * order_;
        auto per = [](int i, int nn) { return i - nn * (2 * i / nn); };
        tbb::parallel_for(tbb::blocked_range<int>(0, nz, 1), [&](const tbb::blocked_range<int>& rg) {
            for (int mz = rg.begin(); mz != rg.end(); ++mz) {
                const int mp = per(mz, nz);
                const double snz = std::pow(std::sin(pi * mp / nz), 2);
                for (int my = 0; my < ny; ++my) {
                    const int lp = per(my, ny);
                    const double sny = std::pow(std::sin(pi * lp / ny), 2);
                    for (int mx = 0; mx < nx; ++mx) {
                        const int kp = per(mx, nx);
                        const double snx = std::pow(std::sin(pi * kp / nx), 2);
                        const std::size_t q = (static_cast<std::size_t>(mz) * ny + my) * nx + mx;
                        const vec<3> k = 2.0 * pi * (hit * vec<3>(kp, lp, mp));
                        const double sqk = k.squaredNorm();
                        w.kvec[q] = {k(0), k(1), k(2)};
                        if (sqk == 0.0) {
                            w.gf[q] = 0.0;
                            w.vg[q] = {};
                            continue;
                        }
                        const double vterm = -2.0 * (1.0 / sqk + 0.25 / (g * g));
                        w.vg[q] = {1.0 + vterm * k(0) * k(0), 1.0 + vterm * k(1) * k(1), 1.0 + vterm * k(2) * k(2),
                                   vterm * k(0) * k(1),       vterm * k(0) * k(2),       vterm * k(1) * k(2)};
                        const double numerator = 4.0 * pi / sqk;
                        const double denominator = gf_denom(snx, sny, snz);
                        double sum1 = 0.0;
                        for (int ax = -nbx; ax <= nbx; ++ax) {
                            const double wx = pppm_detail::powsinxx(pi * kp / nx + pi * ax, twoorder);
                            for (int ay = -nby; ay <= nby; ++ay) {
                                const double wy = pppm_detail::powsinxx(pi * lp / ny + pi * ay, twoorder);
                                for (int az = -nbz; az <= nbz; ++az) {
                                    const double wz = pppm_detail::powsinxx(pi * mp / nz + pi * az, twoorder);
                                    const vec<3> qv = k + 2.0 * pi * (hit * vec<3>(nx * ax, ny * ay, nz * az));
                                    const double dot1 = k.dot(qv), dot2 = qv.squaredNorm();
                                    sum1 += dot1 / dot2 * std::exp(-0.25 * dot2 / (g * g)) * wx * wy * wz;
                                }
                            }
                        }
                        w.gf[q] = numerator * sum1 / denominator;
                    }
                }
            }
        });
    }

    int order_;
    std::vector<double> rho_coeff_;  // [l * P + k]: coefficient of dx^l of the weight of stencil point k
    std::vector<double> gf_b_;
    mutable std::unique_ptr<work> work_;
};

}  // namespace amorph::potential
