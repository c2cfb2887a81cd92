// amorph/potential/hessian.hpp — the Hessian of the potential energy,
//     H_{ia,jb} = d^2 E / dx_ia dx_jb = -d f_ia / dx_jb,
// a DN x DN symmetric sparse matrix (row and column D i + a for atom i,
// component a; atoms in the system's order), analytic for every potential
// family amorph evaluates:
//
//   pair (pair_potential<K>, and the short-range and real-space Coulomb terms
//   of charged_pair_potential<K>): for each pair, d = x_j - x_i, with the
//   kernel's stiffness g = -(dE/dr)/r, h = (dg/dr)/r (concepts.hpp),
//       K = g I + h d d^T,   H_ii -= K, H_jj -= K, H_ij += K, H_ji += K;
//   EAM (eam.hpp): E = sum_i F_i(rho_i) + sum_pairs phi(r); per pair the
//   radial function psi_ij(r) = phi(r) + F'_i rho_{j->i}(r) + F'_j rho_{i->j}(r)
//   gives a pair block as above, and every atom k adds the rank-one term
//       F''_k (grad rho_k)(grad rho_k)^T,  grad_j rho_k = rho'_{j->k}(r_kj) u_kj,
//       grad_k rho_k = -sum_j grad_j rho_k,
//   which couples the neighbors of k with each other (a range of 2 rc);
//   Stillinger-Weber (stillinger_weber.hpp): the two-body term as a pair, each
//   three-body term phi3(d_ij, d_ik) differentiated twice in its 2D bond
//   coordinates by forward-mode jets (detail/jet.hpp) and mapped onto the atoms
//   (x_i enters as -(d_ij + d_ik));
//   Ewald / PPPM reciprocal term (charged_pair_potential with a kspace): with
//   E_k = k sum_{G half space} u_G |S(G)|^2 (ewald.hpp), for i != j
//       H_ij = 2 k q_i q_j sum_G u_G cos(G.(x_i - x_j)) G G^T,  H_ii = -sum_{j != i} H_ij,
//   a dense N x N block pattern (refused above hessian_options::max_dense_atoms).
//   For PPPM this is the Ewald sum's Hessian at PPPM's g_ewald and accuracy:
//   PPPM's forces approximate the Ewald sum's to that accuracy, they have no
//   exact Jacobian of their own.
//
// Every term's first derivative is the one the force loop evaluates and its
// second derivative the derivative of that expression (EAM: of LAMMPS's
// derivative splines; coul/long: of LAMMPS's erfc approximation), so H is the
// Jacobian of amorph's (LAMMPS's) forces to round-off: central differences of
// the forces agree to O(delta^2) (tests/potential/test_hessian.cpp). Rows
// sum to zero (translations cost no energy) to round-off.
//
// Assembly is row by row (atom a's row from a's own entries of a full
// neighbor list, and its neighbors' lists for the many-body terms), rows in
// fixed chunks run in parallel: no shared writes, every sum in a fixed order,
// the same matrix for any number of threads. Row a's blocks H_ab and row b's
// H_ba are computed separately and agree to round-off; Eigen's and Spectra's
// symmetric products read one triangle.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/neighbor/verlet_list.hpp"
#include "amorph/potential/charged_pair.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/detail/chunked.hpp"
#include "amorph/potential/detail/jet.hpp"
#include "amorph/potential/detail/kspace_common.hpp"
#include "amorph/potential/eam.hpp"
#include "amorph/potential/ewald.hpp"
#include "amorph/potential/factory.hpp"
#include "amorph/potential/pair.hpp"
#include "amorph/potential/stillinger_weber.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace amorph::potential {

/// The Hessian: DN x DN, column-major, both triangles stored, index D i + a.
using sparse_hessian = Eigen::SparseMatrix<double>;

struct hessian_options {
    /// Work chunks of the row assembly (0: default_chunks(N)); the result does
    /// not depend on it nor on the threads.
    std::size_t chunks = 0;
    /// Largest system whose k-space term (dense in the atoms) is assembled.
    std::size_t max_dense_atoms = 8000;
};

namespace detail {

template <int D>
using block = Eigen::Matrix<double, D, D>;

/// One row of blocks being accumulated: column atom -> D x D block, in
/// first-touch order, sorted at the end.
template <int D>
class block_row {
public:
    explicit block_row(std::size_t n) : slot_(n, -1) {}

    void add(std::size_t b, const block<D>& m) {
        int& s = slot_[b];
        if (s < 0) {
            s = static_cast<int>(cols_.size());
            cols_.push_back(b);
            blocks_.push_back(m);
        } else {
            blocks_[static_cast<std::size_t>(s)] += m;
        }
    }

    /// Append the row's blocks, sorted by column, to (cols, values) and clear.
    std::size_t flush(std::vector<std::size_t>& cols, std::vector<block<D>>& values) {
        order_.resize(cols_.size());
        std::iota(order_.begin(), order_.end(), std::size_t{0});
        std::sort(order_.begin(), order_.end(), [&](std::size_t x, std::size_t y) { return cols_[x] < cols_[y]; });
        for (std::size_t k : order_) {
            cols.push_back(cols_[k]);
            values.push_back(blocks_[k]);
            slot_[cols_[k]] = -1;
        }
        const std::size_t count = cols_.size();
        cols_.clear();
        blocks_.clear();
        return count;
    }

private:
    std::vector<int> slot_;
    std::vector<std::size_t> cols_, order_;
    std::vector<block<D>> blocks_;
};

/// Assemble H row by row: row(a, acc) adds row a's blocks with acc.add(b, M).
template <int D, class RowFn>
sparse_hessian assemble_rows(std::size_t n, const hessian_options& opt, RowFn&& row) {
    const std::size_t chunks = std::max<std::size_t>(1, std::min(n, opt.chunks ? opt.chunks : default_chunks(n)));
    struct chunk_out {
        std::vector<std::size_t> count, cols;
        std::vector<block<D>> values;
    };
    std::vector<chunk_out> out(chunks);
    auto lo = [&](std::size_t c) { return n * c / chunks; };
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& rg) {
        block_row<D> acc(n);
        for (std::size_t c = rg.begin(); c != rg.end(); ++c) {
            chunk_out& o = out[c];
            for (std::size_t a = lo(c); a < lo(c + 1); ++a) {
                row(a, acc);
                o.count.push_back(acc.flush(o.cols, o.values));
            }
        }
    });
    std::size_t nblocks = 0;
    for (const auto& o : out) nblocks += o.cols.size();
    const std::size_t dim = static_cast<std::size_t>(D) * n;
    const std::size_t nnz = nblocks * static_cast<std::size_t>(D * D);
    if (nnz > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw invalid_argument("hessian: " + std::to_string(nnz) + " non-zeros exceed the sparse matrix's index range");
    sparse_hessian h(static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(dim));
    h.resizeNonZeros(static_cast<Eigen::Index>(nnz));
    int* outer = h.outerIndexPtr();
    int* inner = h.innerIndexPtr();
    double* val = h.valuePtr();
    // column D a + alpha holds H(D b + beta, D a + alpha) = H_ab(alpha, beta) (H_ba = H_ab^T)
    std::size_t pos = 0;
    outer[0] = 0;
    std::size_t a = 0;
    for (const auto& o : out) {
        std::size_t first = 0;
        for (std::size_t cnt : o.count) {
            for (int alpha = 0; alpha < D; ++alpha) {
                for (std::size_t k = first; k < first + cnt; ++k)
                    for (int beta = 0; beta < D; ++beta) {
                        inner[pos] = static_cast<int>(static_cast<std::size_t>(D) * o.cols[k] + static_cast<std::size_t>(beta));
                        val[pos] = o.values[k](alpha, beta);
                        ++pos;
                    }
                outer[static_cast<std::size_t>(D) * a + static_cast<std::size_t>(alpha) + 1] = static_cast<int>(pos);
            }
            first += cnt;
            ++a;
        }
    }
    for (std::size_t k = 0; k < nnz; ++k)
        if (!std::isfinite(val[k])) throw error("hessian: a non-finite second derivative (overlapping atoms?)");
    return h;
}

/// The block K = g I + h d d^T of a pair: H_aa -= K, H_ab += K.
template <int D>
block<D> pair_block(const pair_stiffness& s, const vec<D>& d) {
    return s.force_over_r * block<D>::Identity() + s.slope_over_r * (d * d.transpose());
}

/// The stiffness of a radial term from its first and second derivatives in r:
/// g = -E'/r, h = g'/r = (-E''/r - g/r)/r.
inline pair_stiffness radial_stiffness(double de, double d2e, double r) {
    const double g = -de / r;
    return {g, (-d2e / r - g / r) / r};
}

/// A full list of the system within `cutoff`.
template <int D>
neighbor::verlet_list<D, neighbor::full_t> full_list(const amorph::system<D>& sys, double cutoff) {
    neighbor::verlet_list<D, neighbor::full_t> nl(cutoff, 0.0);
    nl.build(sys.box, sys.positions);
    return nl;
}

template <int D, class List>
vec<D> bond(const amorph::system<D>& sys, const List& nl, std::size_t a, const neighbor::entry& e) {
    return sys.x(e.j) - sys.x(a) + nl.shifts().col(static_cast<Eigen::Index>(e.image));
}

template <int D>
void check_system(const amorph::system<D>& sys, int ntypes, const char* who) {
    check_types(sys.types, ntypes, who);
    if (!sys.positions.allFinite()) throw invalid_argument(std::string(who) + ": non-finite positions");
}

/// Row a of the pair terms of a kernel with stiffness and of a real-space
/// Coulomb term (inactive: coulomb_real::none()).
template <int D, class K, class List>
void pair_row(const amorph::system<D>& sys, const List& nl, const K& k, const coulomb_real& coul, double k_e,
              std::size_t a, block_row<D>& acc) {
    const int ta = sys.types[a];
    block<D> diag = block<D>::Zero();
    const double ccut = coul.active() ? coul.cutoff_sq() : 0.0;
    for (const auto& e : nl.neighbors(a)) {
        const vec<D> d = bond(sys, nl, a, e);
        const double r2 = d.squaredNorm();
        const int tb = sys.types[e.j];
        pair_stiffness s{};
        bool any = false;
        if (r2 < k.cutoff_sq(ta, tb)) {
            s = k.stiffness(r2, ta, tb);
            any = true;
        }
        if (r2 < ccut) {
            const pair_stiffness c = coul.stiffness(k_e * sys.charges[a] * sys.charges[e.j], r2);
            s.force_over_r += c.force_over_r;
            s.slope_over_r += c.slope_over_r;
            any = true;
        }
        if (!any) continue;
        const block<D> m = pair_block<D>(s, d);
        diag -= m;
        acc.add(e.j, m);
    }
    acc.add(a, diag);
}

/// The Ewald reciprocal term's blocks H_ab (dense), 3D.
struct ewald_blocks {
    std::size_t n = 0;
    std::vector<Eigen::MatrixXd> c;  ///< 6 matrices N x N: xx, yy, zz, xy, xz, yz

    void add_row(std::size_t a, block_row<3>& acc) const {
        static constexpr int ia[6] = {0, 1, 2, 0, 0, 1}, ib[6] = {0, 1, 2, 1, 2, 2};
        block<3> diag = block<3>::Zero();
        for (std::size_t b = 0; b < n; ++b) {
            if (b == a) continue;
            block<3> m;
            for (int q = 0; q < 6; ++q) {
                const double v = c[static_cast<std::size_t>(q)](static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
                m(ia[q], ib[q]) = v;
                m(ib[q], ia[q]) = v;
            }
            diag -= m;
            acc.add(b, m);
        }
        acc.add(a, diag);
    }
};

inline ewald_blocks make_ewald_blocks(const amorph::system<3>& sys, const kspace& ks, double g, const hessian_options& opt) {
    const std::size_t n = sys.size();
    if (n > opt.max_dense_atoms)
        throw invalid_argument("hessian: the k-space term couples every pair of atoms; " + std::to_string(n) +
                               " atoms exceed the limit of " + std::to_string(opt.max_dense_atoms) +
                               " (hessian_options::max_dense_atoms; memory ~ 72 N^2 bytes)");
    const double k_e = sys.units->qqr2e;
    const charge_sums cs = kspace_charges(sys, [] { return std::string("hessian: kspace"); });
    const double accuracy = ks.accuracy_relative() * k_e;
    const mat<3>& h = sys.box.h();
    const mat<3> r = restricted_h(h);
    const auto b = ewald_sum::bounds(accuracy, cs.qsqsum * k_e, n, g, h);
    const auto kv = ewald_sum::kvectors(b, h);
    const std::size_t nk = kv.size();
    const double pi = kspace_pi;
    const double preu = 4.0 * pi / sys.box.volume();
    const mat<3> hit = r.inverse().transpose();
    const mat<3> rot = h * r.inverse();
    // cos and sin of G.x_i scaled by q_i sqrt(2 k u_G): H_ab = C W C^T + S W S^T per component
    Eigen::MatrixXd cs_mat(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(2 * nk));
    std::vector<vec<3>> G(nk);
    std::vector<double> w(nk);
    for (std::size_t q = 0; q < nk; ++q) {
        const vec<3> gr = 2.0 * pi * (hit * vec<3>(kv[q][0], kv[q][1], kv[q][2]));
        const double sqk = gr.squaredNorm();
        G[q] = rot * gr;
        w[q] = 2.0 * k_e * preu * std::exp(-0.25 * sqk / (g * g)) / sqk;
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& rg) {
        for (std::size_t i = rg.begin(); i != rg.end(); ++i) {
            const vec<3> x = sys.x(i);
            for (std::size_t q = 0; q < nk; ++q) {
                const double ph = G[q].dot(x);
                const double s = sys.charges[i] * std::sqrt(w[q]);
                cs_mat(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(q)) = s * std::cos(ph);
                cs_mat(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(nk + q)) = s * std::sin(ph);
            }
        }
    });
    ewald_blocks e;
    e.n = n;
    static constexpr int ia[6] = {0, 1, 2, 0, 0, 1}, ib[6] = {0, 1, 2, 1, 2, 2};
    for (int c = 0; c < 6; ++c) {
        Eigen::VectorXd comp(static_cast<Eigen::Index>(2 * nk));
        for (std::size_t q = 0; q < nk; ++q) {
            const double v = G[q](ia[c]) * G[q](ib[c]);
            comp(static_cast<Eigen::Index>(q)) = v;
            comp(static_cast<Eigen::Index>(nk + q)) = v;
        }
        e.c.push_back(cs_mat * comp.asDiagonal() * cs_mat.transpose());
    }
    return e;
}

// --- Stillinger-Weber terms as functions of bond vectors (for jets) ---------

template <class T>
T sw_two_body(const stillinger_weber::params& p, const T& r) {
    const T rainv = 1.0 / (r - p.cut);
    return (p.c5 * pow(r, -p.powerp) - p.c6 * pow(r, -p.powerq)) * exp(p.sigma * rainv);
}

/// phi3 of the bonds d1 = x_j - x_i, d2 = x_k - x_i (LAMMPS threebody's energy).
template <int D>
block<2 * D> sw_three_body_hessian(const stillinger_weber::params& pij, const stillinger_weber::params& pik,
                                   const stillinger_weber::params& pijk, const vec<D>& d1, const vec<D>& d2) {
    using J = jet<2 * D>;
    J r1sq(0.0), r2sq(0.0), dot(0.0);
    J v1[D], v2[D];
    for (int a = 0; a < D; ++a) {
        v1[a] = J::variable(d1(a), a);
        v2[a] = J::variable(d2(a), D + a);
    }
    for (int a = 0; a < D; ++a) {
        r1sq = r1sq + v1[a] * v1[a];
        r2sq = r2sq + v2[a] * v2[a];
        dot = dot + v1[a] * v2[a];
    }
    const J r1 = sqrt(r1sq), r2 = sqrt(r2sq);
    const J e1 = exp(pij.sigma_gamma / (r1 - pij.cut));
    const J e2 = exp(pik.sigma_gamma / (r2 - pik.cut));
    const J delcs = dot / (r1 * r2) - pijk.costheta;
    const J phi = pijk.lambda_epsilon * (delcs * delcs) * (e1 * e2);
    return phi.h;
}

}  // namespace detail

/// Hessian of a pair potential.
template <int D, class K>
sparse_hessian hessian(const pair_potential<K>& p, const amorph::system<D>& sys, const hessian_options& opt = {}) {
    static_assert(pair_kernel_with_stiffness<K>,
                  "hessian(pair_potential<K>): the kernel has no stiffness(r2, ti, tj) (concepts.hpp)");
    detail::check_system(sys, p.num_types(), "hessian(pair)");
    const auto nl = detail::full_list(sys, p.cutoff());
    const coulomb_real none = coulomb_real::none();
    return detail::assemble_rows<D>(sys.size(), opt, [&](std::size_t a, detail::block_row<D>& acc) {
        detail::pair_row<D>(sys, nl, p.kernel(), none, 0.0, a, acc);
    });
}

/// Hessian of a short-range pair kernel plus Coulomb (real space, and the
/// reciprocal term of Ewald / PPPM as the Ewald sum's).
template <int D, class K>
sparse_hessian hessian(const charged_pair_potential<K>& p, const amorph::system<D>& sys,
                       const hessian_options& opt = {}) {
    static_assert(pair_kernel_with_stiffness<K>,
                  "hessian(charged_pair_potential<K>): the kernel has no stiffness(r2, ti, tj) (concepts.hpp)");
    detail::check_system(sys, p.num_types(), "hessian(charged pair)");
    coulomb_real c = p.coulomb();
    const kspace& ks = p.kspace_solver();
    detail::ewald_blocks ew;
    if (ks.active()) {
        if constexpr (D != 3) {
            throw unsupported("kspace_style " + ks.name() + ": 3D systems only (as LAMMPS)");
        } else {
            const auto cs = detail::kspace_charges(sys, [&] { return "hessian: pair style " + c.style() + " + kspace"; });
            const double g = ks.prepare(sys, cs, c.cutoff());
            c.set_g_ewald(g);
            ew = detail::make_ewald_blocks(sys, ks, g, opt);
        }
    } else if (c.active()) {
        detail::require_charges(sys, [&] { return "hessian: pair style " + c.style(); });
    }
    const auto nl = detail::full_list(sys, p.cutoff());
    const double k_e = sys.units->qqr2e;
    return detail::assemble_rows<D>(sys.size(), opt, [&](std::size_t a, detail::block_row<D>& acc) {
        detail::pair_row<D>(sys, nl, p.short_range(), c, k_e, a, acc);
        if constexpr (D == 3)
            if (ew.n) ew.add_row(a, acc);
    });
}

/// Hessian of an EAM potential.
template <int D>
sparse_hessian hessian(const eam& p, const amorph::system<D>& sys, const hessian_options& opt = {}) {
    detail::check_system(sys, p.num_types(), "hessian(eam)");
    const std::size_t n = sys.size();
    const double cutsq = p.cutoff() * p.cutoff();
    const auto nl = detail::full_list(sys, p.cutoff());
    // densities, F' and F''; the gradient of every rho_k as (atom, vector) entries
    std::vector<double> fp(n), fpp(n);
    std::vector<std::size_t> goff(n + 1, 0);
    for (std::size_t k = 0; k < n; ++k) goff[k + 1] = goff[k] + nl.neighbors(k).size() + 1;
    std::vector<std::size_t> gatom(goff[n]);
    std::vector<vec<D>> gvec(goff[n]);
    std::vector<std::size_t> gcount(n);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& rg) {
        for (std::size_t k = rg.begin(); k != rg.end(); ++k) {
            const int tk = sys.types[k];
            double rho = 0.0;
            std::size_t m = goff[k];
            vec<D> self = vec<D>::Zero();
            for (const auto& e : nl.neighbors(k)) {
                const vec<D> d = detail::bond(sys, nl, k, e);
                const double r2 = d.squaredNorm();
                if (r2 >= cutsq) continue;
                const double r = std::sqrt(r2);
                const int tj = sys.types[e.j];
                rho += p.density(tk, tj, r);
                const vec<D> gj = p.derivatives(tk, tj, r).drho_ji / r * d;
                if (e.j == k) {  // a periodic image of k itself: its gradient terms cancel
                    continue;
                }
                self -= gj;
                if (m > goff[k] && gatom[m - 1] == e.j) {  // the same atom through another image
                    gvec[m - 1] += gj;
                } else {
                    gatom[m] = e.j;
                    gvec[m] = gj;
                    ++m;
                }
            }
            gatom[m] = k;
            gvec[m] = self;
            ++m;
            gcount[k] = m - goff[k];
            const auto [f1, f2] = p.embedding_derivatives(tk, rho);
            fp[k] = f1;
            fpp[k] = f2;
        }
    });
    auto gradient_at = [&](std::size_t k, std::size_t a) -> const vec<D>* {
        for (std::size_t m = goff[k]; m < goff[k] + gcount[k]; ++m)
            if (gatom[m] == a) return &gvec[m];
        return nullptr;
    };
    return detail::assemble_rows<D>(n, opt, [&](std::size_t a, detail::block_row<D>& acc) {
        const int ta = sys.types[a];
        detail::block<D> diag = detail::block<D>::Zero();
        std::size_t last = n;
        auto embed = [&](std::size_t k) {
            if (fpp[k] == 0.0) return;
            const vec<D>* ga = gradient_at(k, a);
            if (!ga) return;
            const vec<D> s = fpp[k] * *ga;
            for (std::size_t m = goff[k]; m < goff[k] + gcount[k]; ++m) acc.add(gatom[m], s * gvec[m].transpose());
        };
        embed(a);
        for (const auto& e : nl.neighbors(a)) {
            const vec<D> d = detail::bond(sys, nl, a, e);
            const double r2 = d.squaredNorm();
            if (r2 >= cutsq) continue;
            const double r = std::sqrt(r2);
            const int tb = sys.types[e.j];
            const auto q = p.derivatives(ta, tb, r);
            const double dpsi = q.dphi + fp[a] * q.drho_ji + fp[e.j] * q.drho_ij;
            const double d2psi = q.d2phi + fp[a] * q.d2rho_ji + fp[e.j] * q.d2rho_ij;
            const detail::block<D> m = detail::pair_block<D>(detail::radial_stiffness(dpsi, d2psi, r), d);
            diag -= m;
            acc.add(e.j, m);
            if (e.j != a && e.j != last) embed(e.j);  // each neighbor once (entries are sorted by atom)
            last = e.j;
        }
        acc.add(a, diag);
    });
}

/// Hessian of a Stillinger-Weber potential.
template <int D>
sparse_hessian hessian(const stillinger_weber& p, const amorph::system<D>& sys, const hessian_options& opt = {}) {
    detail::check_system(sys, p.num_types(), "hessian(sw)");
    const std::size_t n = sys.size();
    const auto nl = detail::full_list(sys, p.cutoff());
    using B2 = detail::block<2 * D>;
    // the short list of every centre: the neighbors within the (i, j, j) cutoff
    struct nb {
        std::size_t j;
        vec<D> d;
    };
    std::vector<std::vector<nb>> shortl(n);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& rg) {
        for (std::size_t i = rg.begin(); i != rg.end(); ++i)
            for (const auto& e : nl.neighbors(i)) {
                const vec<D> d = detail::bond(sys, nl, i, e);
                if (d.squaredNorm() < p.pair_params(sys.types[i], sys.types[e.j]).cutsq) shortl[i].push_back({e.j, d});
            }
    });
    return detail::assemble_rows<D>(n, opt, [&](std::size_t a, detail::block_row<D>& acc) {
        const int ta = sys.types[a];
        detail::block<D> diag = detail::block<D>::Zero();
        // two-body: the pair's parameters are those of its lower-index atom (LAMMPS)
        for (const auto& e : nl.neighbors(a)) {
            const vec<D> d = detail::bond(sys, nl, a, e);
            const int tb = sys.types[e.j];
            const auto& pp = e.j >= a ? p.pair_params(ta, tb) : p.pair_params(tb, ta);
            const double r2 = d.squaredNorm();
            if (r2 >= pp.cutsq) continue;
            const double r = std::sqrt(r2);
            const auto phi = detail::sw_two_body(pp, detail::jet<1>::variable(r, 0));
            const detail::block<D> m = detail::pair_block<D>(detail::radial_stiffness(phi.g(0), phi.h(0, 0), r), d);
            diag -= m;
            acc.add(e.j, m);
        }
        acc.add(a, diag);
        // three-body: every triplet (i; j, k) that contains a, i = a or i a neighbor of a
        auto centre = [&](std::size_t i) {
            const auto& sl = shortl[i];
            const int ti = sys.types[i];
            for (std::size_t x = 0; x < sl.size(); ++x)
                for (std::size_t y = x + 1; y < sl.size(); ++y) {
                    const std::size_t atoms[3] = {i, sl[x].j, sl[y].j};
                    if (atoms[0] != a && atoms[1] != a && atoms[2] != a) continue;
                    const int tj = sys.types[atoms[1]], tk = sys.types[atoms[2]];
                    const B2 hd = detail::sw_three_body_hessian<D>(p.pair_params(ti, tj), p.pair_params(ti, tk),
                                                                   p.triplet_params(ti, tj, tk), sl[x].d, sl[y].d);
                    // blocks of (x_i, x_j, x_k) from those of (d1, d2): x_i -> -(d1 + d2)
                    const detail::block<D> A = hd.template topLeftCorner<D, D>();
                    const detail::block<D> Bm = hd.template topRightCorner<D, D>();
                    const detail::block<D> C = hd.template bottomRightCorner<D, D>();
                    detail::block<D> m[3][3];
                    m[1][1] = A;
                    m[1][2] = Bm;
                    m[2][1] = Bm.transpose();
                    m[2][2] = C;
                    m[1][0] = -(A + Bm);
                    m[2][0] = -(Bm.transpose() + C);
                    m[0][1] = m[1][0].transpose();
                    m[0][2] = m[2][0].transpose();
                    m[0][0] = A + Bm + Bm.transpose() + C;
                    for (int u = 0; u < 3; ++u)
                        if (atoms[u] == a)
                            for (int v = 0; v < 3; ++v) acc.add(atoms[v], m[u][v]);
                }
        };
        centre(a);
        std::size_t last = n;
        for (const auto& e : nl.neighbors(a)) {  // any centre with a in its short list is in a's full list
            if (e.j != a && e.j != last) centre(e.j);  // each once (entries are sorted by atom)
            last = e.j;
        }
    });
}

/// Hessian of a potential chosen at run time.
template <int D>
sparse_hessian hessian(const any_potential& p, const amorph::system<D>& sys, const hessian_options& opt = {}) {
    return std::visit(
        [&](const auto& q) -> sparse_hessian {
            if constexpr (requires { hessian<D>(q, sys, opt); }) return hessian<D>(q, sys, opt);
            else throw unsupported("hessian: pair style " + p.style() + " has no Hessian");
        },
        p.variant());
}

// Compiled once in amorph::compiled (core/compiled.hpp, src/hessian.cpp).
#define AMORPH_HESSIAN_TEMPLATES(P, D) \
    P template sparse_hessian hessian<D>(const any_potential&, const amorph::system<D>&, const hessian_options&);
AMORPH_EXTERN_TEMPLATES(AMORPH_HESSIAN_TEMPLATES)

}  // namespace amorph::potential
