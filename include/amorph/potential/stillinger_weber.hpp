// amorph/potential/stillinger_weber.hpp — the Stillinger-Weber potential,
// read from LAMMPS `.sw` files and evaluated as LAMMPS's pair style sw.
//
//   E = sum_{i<j} phi2(r_ij) + sum_i sum_{j<k} phi3(r_ij, r_ik, theta_jik)
//   phi2(r) = A eps [B (sigma/r)^p - (sigma/r)^q] exp(sigma / (r - a sigma))
//   phi3 = lambda eps (cos theta_jik - cos theta0)^2
//          exp(gamma_ij sigma_ij / (r_ij - a_ij sigma_ij)) exp(gamma_ik sigma_ik / (r_ik - a_ik sigma_ik))
//
// File: entries of 14 words "e1 e2 e3 epsilon sigma a lambda gamma costheta0
// A B p q tol" ('#' comments; an entry may span lines). Entries whose three
// elements are not all in use are skipped; every used triple must appear
// exactly once. Two-body terms of the pair i-j use the entry (i, j, j), the
// three-body term centred on i uses (i, j, j) and (i, k, k) for the radial
// factors and (i, j, k) for lambda, eps and cos theta0 (LAMMPS's convention).
// As LAMMPS's setup_params: cut = a sigma; with tol > 0 (capped at 0.01) the
// neighbor cutoff shrinks to a sigma + gamma sigma / ln(tol) (gamma < 1) or
// a sigma + sigma / ln(tol); the functions still use a sigma. The constants
// c1..c6, the force expressions and their evaluation order are LAMMPS's
// twobody()/threebody(), so results agree to round-off.
//
// Evaluation on a full neighbor list: for each atom i its neighbors within
// the (i, j, j) cutoff form a short list with r, 1/r^2 and the radial factor
// exp(gamma sigma / (r - a sigma)) computed once per neighbor (LAMMPS
// recomputes them for every triplet); the two-body term is taken once per
// pair (from the lower index; a self-image pair from its lexicographically
// positive shift); triplets (j < k in the short list) give f_j, f_k, f_i =
// -(f_j + f_k). Per-atom energy: two-body 1/2 : 1/2, three-body 1/3 each;
// per-atom virial: two-body 1/2 : 1/2, three-body W = d_ij (x) f_j + d_ik (x)
// f_k split 1/3 each (LAMMPS's ev_tally / ev_tally3).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/detail/chunked.hpp"
#include "amorph/potential/detail/common.hpp"
#include "amorph/potential/detail/text_reader.hpp"
#include "amorph/potential/result.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace amorph::potential {

/// One line of a .sw file.
struct sw_entry {
    std::string e1, e2, e3;
    double epsilon = 0, sigma = 0, a = 0, lambda = 0, gamma = 0, costheta = 0;
    double biga = 0, bigb = 0, p = 0, q = 0, tol = 0;
};

/// Every entry of a .sw file.
inline std::vector<sw_entry> read_sw(const std::string& path) {
    detail::text_reader rd(path, "Stillinger-Weber");
    std::vector<sw_entry> out;
    for (;;) {
        const auto w = rd.next_line(14);
        if (w.empty()) break;
        sw_entry e;
        e.e1 = w[0];
        e.e2 = w[1];
        e.e3 = w[2];
        double* v[11] = {&e.epsilon, &e.sigma, &e.a, &e.lambda, &e.gamma, &e.costheta,
                         &e.biga,    &e.bigb,  &e.p, &e.q,      &e.tol};
        const char* names[11] = {"epsilon", "sigma", "a", "lambda", "gamma", "costheta", "A", "B", "p", "q", "tol"};
        for (int k = 0; k < 11; ++k) {
            *v[k] = rd.to_double(w[static_cast<std::size_t>(3 + k)], names[k]);
            if (k != 5 && *v[k] < 0.0) rd.fail(names[k], "Stillinger-Weber parameters must not be negative");
        }
        out.push_back(e);
    }
    return out;
}

class stillinger_weber {
public:
    using list_kind = neighbor::full_t;

    struct params {
        double epsilon, sigma, a, lambda, gamma, costheta, biga, bigb, powerp, powerq, tol;
        double cut, cutsq, sigma_gamma, lambda_epsilon, lambda_epsilon2, c1, c2, c3, c4, c5, c6;
        int ip, iq;  ///< p, q as small non-negative integers (r^-p by multiplication), or -1
    };

    /// pair_style sw: a .sw file and the element of each type.
    static stillinger_weber from_file(const std::string& path, const std::vector<std::string>& element_per_type) {
        return from_entries(read_sw(path), element_per_type, path);
    }

    static stillinger_weber from_entries(const std::vector<sw_entry>& entries,
                                         const std::vector<std::string>& element_per_type,
                                         const std::string& source = "Stillinger-Weber parameters") {
        stillinger_weber sw;
        if (element_per_type.empty()) throw invalid_argument("stillinger_weber: no atom types");
        std::vector<std::string> elements;
        std::vector<int> map;
        for (const auto& name : element_per_type) {
            auto it = std::find(elements.begin(), elements.end(), name);
            if (it == elements.end()) {
                elements.push_back(name);
                it = elements.end() - 1;
            }
            map.push_back(static_cast<int>(it - elements.begin()));
        }
        const int ne = static_cast<int>(elements.size());
        auto index = [&](const std::string& s) {
            const auto it = std::find(elements.begin(), elements.end(), s);
            return it == elements.end() ? -1 : static_cast<int>(it - elements.begin());
        };
        std::vector<int> elem2param(static_cast<std::size_t>(ne * ne * ne), -1);
        for (const auto& e : entries) {
            const int i = index(e.e1), j = index(e.e2), k = index(e.e3);
            if (i < 0 || j < 0 || k < 0) continue;
            int& slot = elem2param[static_cast<std::size_t>((i * ne + j) * ne + k)];
            if (slot >= 0)
                throw invalid_argument(source + ": duplicate entry " + e.e1 + " " + e.e2 + " " + e.e3);
            slot = static_cast<int>(sw.params_.size());
            sw.params_.push_back(derive(e));
        }
        for (int i = 0; i < ne; ++i)
            for (int j = 0; j < ne; ++j)
                for (int k = 0; k < ne; ++k)
                    if (elem2param[static_cast<std::size_t>((i * ne + j) * ne + k)] < 0)
                        throw invalid_argument(source + ": missing entry " + elements[static_cast<std::size_t>(i)] +
                                               " " + elements[static_cast<std::size_t>(j)] + " " +
                                               elements[static_cast<std::size_t>(k)]);
        sw.ntypes_ = static_cast<int>(map.size());
        const int nt = sw.ntypes_;
        sw.p3_.resize(static_cast<std::size_t>(nt * nt * nt));
        sw.p2_.resize(static_cast<std::size_t>(nt * nt));
        for (int a = 0; a < nt; ++a)
            for (int b = 0; b < nt; ++b) {
                const int ea = map[static_cast<std::size_t>(a)], eb = map[static_cast<std::size_t>(b)];
                sw.p2_[static_cast<std::size_t>(a * nt + b)] = elem2param[static_cast<std::size_t>((ea * ne + eb) * ne + eb)];
                for (int c = 0; c < nt; ++c) {
                    const int ec = map[static_cast<std::size_t>(c)];
                    sw.p3_[static_cast<std::size_t>((a * nt + b) * nt + c)] =
                        elem2param[static_cast<std::size_t>((ea * ne + eb) * ne + ec)];
                }
            }
        sw.cutmax_ = 0.0;
        for (const auto& p : sw.params_) sw.cutmax_ = std::max(sw.cutmax_, std::sqrt(p.cutsq));
        return sw;
    }

    double cutoff() const noexcept { return cutmax_; }
    int num_types() const noexcept { return ntypes_; }
    const params& pair_params(int ti, int tj) const { return params_[static_cast<std::size_t>(p2_[idx2(ti, tj)])]; }
    const params& triplet_params(int ti, int tj, int tk) const {
        return params_[static_cast<std::size_t>(p3_[idx3(ti, tj, tk)])];
    }

    template <int D, class List>
    void accumulate(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out) const {
        static_assert(neighbor_list<List>, "stillinger_weber: the list argument is not a neighbor list");
        static_assert(is_full_list<List>,
                      "stillinger_weber needs a full neighbor list: neighbor::verlet_list<D, neighbor::full_t>");
        detail::check_inputs(sys, nl, cutoff(), num_types(), "stillinger_weber");
        detail::prepare(out, sys.size(), opt);
        if (opt.energy_per_atom) {
            if (opt.virial_per_atom) run<D, true, true>(sys, nl, opt, out);
            else run<D, true, false>(sys, nl, opt, out);
        } else {
            if (opt.virial_per_atom) run<D, false, true>(sys, nl, opt, out);
            else run<D, false, false>(sys, nl, opt, out);
        }
    }

private:
    // one neighbor of the short list with its per-neighbor factors
    template <int D>
    struct short_nb {
        double d[D];
        double r, rinv, rinvsq, gsrainvsq, expgsrainv;
        std::size_t j;
        int tj;
    };

    static params derive(const sw_entry& e) {
        params p{};
        p.epsilon = e.epsilon;
        p.sigma = e.sigma;
        p.a = e.a;
        p.lambda = e.lambda;
        p.gamma = e.gamma;
        p.costheta = e.costheta;
        p.biga = e.biga;
        p.bigb = e.bigb;
        p.powerp = e.p;
        p.powerq = e.q;
        p.tol = e.tol;
        p.cut = p.sigma * p.a;
        double rtmp = p.cut;
        if (p.tol > 0.0) {
            if (p.tol > 0.01) p.tol = 0.01;
            if (p.gamma < 1.0) rtmp = rtmp + p.gamma * p.sigma / std::log(p.tol);
            else rtmp = rtmp + p.sigma / std::log(p.tol);
        }
        p.cutsq = rtmp * rtmp;
        p.sigma_gamma = p.sigma * p.gamma;
        p.lambda_epsilon = p.lambda * p.epsilon;
        p.lambda_epsilon2 = 2.0 * p.lambda * p.epsilon;
        p.c1 = p.biga * p.epsilon * p.powerp * p.bigb * std::pow(p.sigma, p.powerp);
        p.c2 = p.biga * p.epsilon * p.powerq * std::pow(p.sigma, p.powerq);
        p.c3 = p.biga * p.epsilon * p.bigb * std::pow(p.sigma, p.powerp + 1.0);
        p.c4 = p.biga * p.epsilon * std::pow(p.sigma, p.powerq + 1.0);
        p.c5 = p.biga * p.epsilon * p.bigb * std::pow(p.sigma, p.powerp);
        p.c6 = p.biga * p.epsilon * std::pow(p.sigma, p.powerq);
        auto small_int = [](double x) { return x >= 0 && x <= 16 && x == std::floor(x) ? static_cast<int>(x) : -1; };
        p.ip = small_int(p.powerp);
        p.iq = small_int(p.powerq);
        return p;
    }

    std::size_t idx2(int a, int b) const noexcept { return static_cast<std::size_t>(a * ntypes_ + b); }
    std::size_t idx3(int a, int b, int c) const noexcept {
        return static_cast<std::size_t>((a * ntypes_ + b) * ntypes_ + c);
    }

    /// r^-k from 1/r^2 (and 1/r for odd k) for small integer k (within a few
    /// ulp of pow), else pow(r, -power).
    static double inv_pow(double r, double rinvsq, int k, double power) noexcept {
        if (k < 0) return std::pow(r, -power);
        double x = (k & 1) ? 1.0 / r : 1.0, b = rinvsq;
        for (k >>= 1; k; k >>= 1) {
            if (k & 1) x *= b;
            b *= b;
        }
        return x;
    }

    // LAMMPS PairSW::twobody, given r, 1/r^2 and 1/(r - a sigma) (LAMMPS
    // computes the same quantities, and pow(r, -p), pow(r, -q), which are
    // multiplied out here for integer powers): fforce = -(dphi2/dr)/r, eng = phi2
    static void twobody(const params& p, double r, double rinvsq, double rainv, double& fforce, double& eng) noexcept {
        const double rp = inv_pow(r, rinvsq, p.ip, p.powerp);
        const double rq = inv_pow(r, rinvsq, p.iq, p.powerq);
        const double rainvsq = rainv * rainv * r;
        const double expsrainv = std::exp(p.sigma * rainv);
        fforce = (p.c1 * rp - p.c2 * rq + (p.c3 * rp - p.c4 * rq) * rainvsq) * expsrainv * rinvsq;
        eng = (p.c5 * rp - p.c6 * rq) * expsrainv;
    }

    template <int D>
    static bool lex_positive(const double* s) noexcept {
        for (int a = 0; a < D; ++a)
            if (s[a] != 0.0) return s[a] > 0.0;
        return false;
    }

    template <int D, bool EA, bool VA, class List>
    void run(const amorph::system<D>& sys, const List& nl, const compute_options& opt, result<D>& out) const {
        constexpr int nv = voigt_size<D>;
        constexpr double third = 1.0 / 3.0;
        const std::size_t n = sys.size();
        const bool vg = opt.virial;
        detail::workspace_lease ws;
        detail::list_chunks(nl, n, opt, *ws);
        const auto o = detail::outputs_of(out, opt);
        const double* X = sys.positions.data();
        const double* S = nl.shifts().data();
        const int* T = sys.types.data();

        auto body = [&](std::size_t b, std::size_t e, const detail::sink<3>& s, detail::ev_sums<D>& acc) {
            std::vector<short_nb<D>> sl;
            double energy = 0.0;
            double w[nv] = {};
            auto add_virial = [&](const double* v, double share_i, double* wi, std::initializer_list<std::size_t> others) {
                if (vg)
                    for (int m = 0; m < nv; ++m) w[m] += v[m];
                if constexpr (VA) {
                    for (int m = 0; m < nv; ++m) wi[m] += share_i * v[m];
                    for (std::size_t a : others) {
                        double* wa = s.at(2, a, nv);
                        for (int m = 0; m < nv; ++m) wa[m] += share_i * v[m];
                    }
                }
            };
            for (std::size_t i = b; i < e; ++i) {
                const double* xi = X + i * D;
                const int ti = T[i];
                double fi[D] = {};
                double ei = 0.0;
                double wi[nv] = {};
                sl.clear();
                for (const auto& en : nl.neighbors(i)) {
                    const std::size_t j = en.j;
                    const double* xj = X + j * D;
                    const double* sh = S + static_cast<std::size_t>(en.image) * D;
                    short_nb<D> sn;
                    double r2 = 0.0;
                    for (int a = 0; a < D; ++a) {
                        sn.d[a] = xj[a] - xi[a] + sh[a];
                        r2 += sn.d[a] * sn.d[a];
                    }
                    const int tj = T[j];
                    const params& pij = params_[static_cast<std::size_t>(p2_[idx2(ti, tj)])];
                    if (r2 >= pij.cutsq) continue;
                    sn.r = std::sqrt(r2);
                    sn.rinv = 1.0 / sn.r;
                    sn.rinvsq = 1.0 / r2;
                    const double rainv = 1.0 / (sn.r - pij.cut);
                    // two-body term, once per pair
                    if (j > i || (j == i && lex_positive<D>(sh))) {
                        double g, eng;
                        twobody(pij, sn.r, sn.rinvsq, rainv, g, eng);
                        double* fj = s.at(0, j, D);
                        for (int a = 0; a < D; ++a) {
                            const double fa = sn.d[a] * g;
                            fi[a] -= fa;
                            fj[a] += fa;
                        }
                        energy += eng;
                        if constexpr (EA) {
                            ei += 0.5 * eng;
                            s.at(1, j, 1)[0] += 0.5 * eng;
                        }
                        if (vg || VA) {
                            double v[nv];
                            for (int m = 0; m < nv; ++m) v[m] = sn.d[voigt_a<D>(m)] * sn.d[voigt_b<D>(m)] * g;
                            add_virial(v, 0.5, wi, {j});
                        }
                    }
                    // per-neighbor factors of the three-body term (LAMMPS threebody, hoisted)
                    const double gsrainv = pij.sigma_gamma * rainv;
                    sn.gsrainvsq = gsrainv * rainv / sn.r;
                    sn.expgsrainv = std::exp(gsrainv);
                    sn.j = j;
                    sn.tj = tj;
                    sl.push_back(sn);
                }
                const std::size_t ns = sl.size();
                for (std::size_t jj = 0; jj + 1 < ns; ++jj) {
                    const short_nb<D>& a1 = sl[jj];
                    double fjs[D] = {};
                    for (std::size_t kk = jj + 1; kk < ns; ++kk) {
                        const short_nb<D>& a2 = sl[kk];
                        const params& pijk = params_[static_cast<std::size_t>(p3_[idx3(ti, a1.tj, a2.tj)])];
                        const double rinv12 = a1.rinv * a2.rinv;  // LAMMPS: 1/(r1 r2), equal to round-off
                        double dot = 0.0;
                        for (int a = 0; a < D; ++a) dot += a1.d[a] * a2.d[a];
                        const double cs = dot * rinv12;
                        const double delcs = cs - pijk.costheta;
                        const double delcssq = delcs * delcs;
                        const double facexp = a1.expgsrainv * a2.expgsrainv;
                        const double facrad = pijk.lambda_epsilon * facexp * delcssq;
                        const double frad1 = facrad * a1.gsrainvsq;
                        const double frad2 = facrad * a2.gsrainvsq;
                        const double facang = pijk.lambda_epsilon2 * facexp * delcs;
                        const double facang12 = rinv12 * facang;
                        const double csfacang = cs * facang;
                        const double csfac1 = a1.rinvsq * csfacang;
                        const double csfac2 = a2.rinvsq * csfacang;
                        double fj[D], fk[D];
                        for (int a = 0; a < D; ++a) {
                            fj[a] = a1.d[a] * (frad1 + csfac1) - a2.d[a] * facang12;
                            fk[a] = a2.d[a] * (frad2 + csfac2) - a1.d[a] * facang12;
                        }
                        double* fkp = s.at(0, a2.j, D);
                        for (int a = 0; a < D; ++a) {
                            fi[a] -= fj[a] + fk[a];
                            fjs[a] += fj[a];
                            fkp[a] += fk[a];
                        }
                        energy += facrad;
                        if constexpr (EA) {
                            const double e3 = third * facrad;
                            ei += e3;
                            s.at(1, a1.j, 1)[0] += e3;
                            s.at(1, a2.j, 1)[0] += e3;
                        }
                        if (vg || VA) {
                            double v[nv];
                            for (int m = 0; m < nv; ++m) {
                                const int p = voigt_a<D>(m), q = voigt_b<D>(m);
                                v[m] = a1.d[p] * fj[q] + a2.d[p] * fk[q];
                            }
                            add_virial(v, third, wi, {a1.j, a2.j});
                        }
                    }
                    double* fjp = s.at(0, a1.j, D);
                    for (int a = 0; a < D; ++a) fjp[a] += fjs[a];
                }
                double* fo = s.at(0, i, D);
                for (int a = 0; a < D; ++a) fo[a] += fi[a];
                if constexpr (EA) s.at(1, i, 1)[0] += ei;
                if constexpr (VA) {
                    double* wo = s.at(2, i, nv);
                    for (int m = 0; m < nv; ++m) wo[m] += wi[m];
                }
            }
            acc.energy += energy;
            for (int m = 0; m < nv; ++m) acc.w[static_cast<std::size_t>(m)] += w[m];
        };
        const auto sums = detail::run_chunks<3, detail::ev_sums<D>>(n, ws->bounds, o.ptr, o.stride, false, *ws, body);
        detail::add_sums(out, sums, vg);
    }

    int ntypes_ = 0;
    double cutmax_ = 0.0;
    std::vector<params> params_;
    std::vector<int> p2_, p3_;
};

}  // namespace amorph::potential
