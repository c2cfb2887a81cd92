// amorph/analysis/rdf.hpp — radial distribution functions: total, partial, per atom.
//
// Histogram of pair distances in bins of width dr = r_max / bins over
// [0, r_max); every periodic image within r_max counts (r_max may exceed half
// the cell). With n_ab(k) the number of ordered pairs (i of species a, j of
// species b, j != i or a different image) in bin k, V the volume (area in 2D)
// and S(k) the exact volume of shell k (4/3 pi (r_hi^3 - r_lo^3) in 3D,
// pi (r_hi^2 - r_lo^2) in 2D),
//     g_ab(r_k) = V n_ab(k) / (N_a (N_b - delta_ab) S(k)),
//     g(r_k)    = V n(k) / (N (N - 1) S(k)),
// so an ideal gas gives exactly 1 on average (LAMMPS's `compute rdf` uses the
// same N_b - delta_ab count). Bins are reported at their centres.
//
// Per-atom partial PDF (thesis eq 4.3): for atom i and species b,
//     g_{i,b}(r_k) = n_{i,b}(k) / (d f_b S(k)),   d = N / V, f_b = N_b / N,
// the density of b atoms in the shell around i relative to the mean density
// of b. Its average over the atoms of species a is g_ab up to the
// N_b / (N_b - delta_ab) factor.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/vec.hpp"
#include "amorph/neighbor/verlet_list.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace amorph::analysis {

struct rdf_options {
    double r_max = 0.0;
    int bins = 100;
};

namespace detail {
inline void check_rdf_options(const rdf_options& o) {
    if (!(o.r_max > 0.0) || !std::isfinite(o.r_max))
        throw invalid_argument("rdf: r_max must be positive and finite");
    if (o.bins < 1) throw invalid_argument("rdf: bins must be >= 1");
}

template <int D>
double shell_volume(double r_lo, double r_hi) {
    if constexpr (D == 3) return 4.0 / 3.0 * std::numbers::pi * (r_hi * r_hi * r_hi - r_lo * r_lo * r_lo);
    else return std::numbers::pi * (r_hi * r_hi - r_lo * r_lo);
}

inline int count_species(const std::vector<int>& types) {
    int n = 0;
    for (int t : types) {
        if (t < 0) throw invalid_argument("rdf: negative type");
        n = std::max(n, t + 1);
    }
    return n;
}
}  // namespace detail

struct rdf_result {
    std::vector<double> r;      ///< bin centres
    std::vector<double> total;  ///< g(r)
    int species = 0;
    /// partial[a * species + b][k] = g_ab(r_k)
    std::vector<std::vector<double>> partial;
    /// Number of atoms of each species.
    std::vector<std::size_t> count;

    const std::vector<double>& g(int a, int b) const {
        return partial.at(static_cast<std::size_t>(a * species + b));
    }
};

/// Total and partial g(r) of atoms at x with 0-based `types`.
template <int D>
rdf_result rdf(const box<D>& b, const coords<D>& x, const std::vector<int>& types, const rdf_options& opt) {
    detail::check_rdf_options(opt);
    const auto n = static_cast<std::size_t>(x.cols());
    if (types.size() != n) throw invalid_argument("rdf: one type per atom needed");
    const int ns = detail::count_species(types);
    const auto nb = static_cast<std::size_t>(opt.bins);
    const double dr = opt.r_max / opt.bins;

    // Ordered pairs straight from the cell list, bin by bin (no stored
    // neighbor list); a deterministic parallel histogram: per chunk of bins,
    // summed in chunk order.
    const neighbor::cell_list<D> cells(b, x, opt.r_max);
    const double r2max = opt.r_max * opt.r_max, inv_dr = 1.0 / dr;
    const std::size_t nbins = cells.bin_count(), per = 64, nchunks = (nbins + per - 1) / per;
    const std::size_t npair = static_cast<std::size_t>(ns * ns);
    std::vector<std::vector<double>> part(nchunks, std::vector<double>(npair * nb, 0.0));
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nchunks), [&](const auto& range) {
        typename neighbor::cell_list<D>::pair_scratch scratch;
        for (std::size_t c = range.begin(); c != range.end(); ++c) {
            auto& h = part[c];
            for (std::size_t bin = c * per; bin < std::min(nbins, (c + 1) * per); ++bin)
                cells.for_each_pair_in_bin(bin, r2max, scratch, [&](std::uint32_t i, std::uint32_t j, const ivec<D>&, double r2) {
                    const auto k = std::min(nb - 1, static_cast<std::size_t>(std::sqrt(r2) * inv_dr));
                    h[(static_cast<std::size_t>(types[i]) * static_cast<std::size_t>(ns) + static_cast<std::size_t>(types[j])) * nb + k] += 1.0;
                });
        }
    });
    std::vector<double> hist(npair * nb, 0.0);
    for (const auto& h : part)
        for (std::size_t k = 0; k < hist.size(); ++k) hist[k] += h[k];

    rdf_result out;
    out.species = ns;
    out.count.assign(static_cast<std::size_t>(ns), 0);
    for (int t : types) ++out.count[static_cast<std::size_t>(t)];
    out.r.resize(nb);
    out.total.assign(nb, 0.0);
    out.partial.assign(npair, std::vector<double>(nb, 0.0));
    const double V = b.volume();
    std::vector<double> shell(nb);
    for (std::size_t k = 0; k < nb; ++k) {
        out.r[k] = (static_cast<double>(k) + 0.5) * dr;
        shell[k] = detail::shell_volume<D>(static_cast<double>(k) * dr, static_cast<double>(k + 1) * dr);
    }
    for (std::size_t a = 0; a < static_cast<std::size_t>(ns); ++a)
        for (std::size_t c = 0; c < static_cast<std::size_t>(ns); ++c) {
            const double pairs = static_cast<double>(out.count[a]) * (static_cast<double>(out.count[c]) - (a == c ? 1.0 : 0.0));
            for (std::size_t k = 0; k < nb; ++k) {
                const double h = hist[(a * static_cast<std::size_t>(ns) + c) * nb + k];
                out.total[k] += h;
                if (pairs > 0) out.partial[a * static_cast<std::size_t>(ns) + c][k] = V * h / (pairs * shell[k]);
            }
        }
    const double all = static_cast<double>(n) * (static_cast<double>(n) - 1.0);
    for (std::size_t k = 0; k < nb; ++k) out.total[k] = all > 0 ? V * out.total[k] / (all * shell[k]) : 0.0;
    return out;
}

/// Per-atom partial PDFs (thesis eq 4.3) of the atoms listed in `centers`:
/// row c of the result, columns [b * bins, (b+1) * bins), holds g_{i,b}(r_k)
/// for i = centers[c]. Uses the whole system as neighbors.
template <int D>
Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> per_atom_pdf(
    const box<D>& b, const coords<D>& x, const std::vector<int>& types, const std::vector<std::size_t>& centers,
    const rdf_options& opt) {
    detail::check_rdf_options(opt);
    const auto n = static_cast<std::size_t>(x.cols());
    if (types.size() != n) throw invalid_argument("per_atom_pdf: one type per atom needed");
    const int ns = detail::count_species(types);
    const auto nb = static_cast<std::size_t>(opt.bins);
    const double dr = opt.r_max / opt.bins;
    std::vector<double> count(static_cast<std::size_t>(ns), 0.0);
    for (int t : types) count[static_cast<std::size_t>(t)] += 1.0;
    const double V = b.volume();

    const neighbor::cell_list<D> cells(b, x, opt.r_max);
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> out =
        Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>::Zero(
            static_cast<Eigen::Index>(centers.size()), static_cast<Eigen::Index>(nb) * ns);
    for (std::size_t i : centers)
        if (i >= n) throw invalid_argument("per_atom_pdf: center index " + std::to_string(i) + " out of range");
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, centers.size(), 64), [&](const auto& range) {
        for (std::size_t c = range.begin(); c != range.end(); ++c) {
            const std::size_t i = centers[c];
            cells.for_each_within(x.col(static_cast<Eigen::Index>(i)), opt.r_max * opt.r_max,
                                  [&](std::uint32_t j, const ivec<D>& img, const vec<D>&, double r2) {
                                      if (j == i && img.isZero()) return;
                                      const auto k = std::min(nb - 1, static_cast<std::size_t>(std::sqrt(r2) / dr));
                                      out(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(static_cast<std::size_t>(types[j]) * nb + k)) += 1.0;
                                  });
        }
    });
    // divide by d f_b S(k) = (N_b / V) S(k)
    for (std::size_t s = 0; s < static_cast<std::size_t>(ns); ++s)
        for (std::size_t k = 0; k < nb; ++k) {
            const double norm = count[s] > 0 ? V / (count[s] * detail::shell_volume<D>(static_cast<double>(k) * dr, static_cast<double>(k + 1) * dr)) : 0.0;
            out.col(static_cast<Eigen::Index>(s * nb + k)) *= norm;
        }
    return out;
}

/// Coordination number of every atom: the number of neighbors j (any image)
/// with r_ij < cutoff(type_i, type_j); `cutoff` is ns x ns and symmetric (a
/// zero entry means "not counted").
template <int D>
std::vector<int> coordination(const box<D>& b, const coords<D>& x, const std::vector<int>& types,
                              const Eigen::MatrixXd& cutoff) {
    const auto n = static_cast<std::size_t>(x.cols());
    if (types.size() != n) throw invalid_argument("coordination: one type per atom needed");
    const int ns = detail::count_species(types);
    if (cutoff.rows() < ns || cutoff.cols() < ns)
        throw invalid_argument("coordination: the cutoff table is smaller than the number of species");
    if ((cutoff - cutoff.transpose()).cwiseAbs().maxCoeff() > 0.0)
        throw invalid_argument("coordination: the cutoff table must be symmetric");
    const double rmax = cutoff.maxCoeff();
    std::vector<int> cn(n, 0);
    if (!(rmax > 0.0)) return cn;
    neighbor::verlet_list<D, neighbor::full_t> nl(rmax);
    nl.build(b, x);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const auto& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i)
            for (const auto& e : nl.neighbors(i)) {
                const double rc = cutoff(types[i], types[e.j]);
                const vec<D> d = x.col(e.j) - x.col(static_cast<Eigen::Index>(i)) + nl.shifts().col(e.image);
                if (d.squaredNorm() < rc * rc) ++cn[i];
            }
    });
    return cn;
}

}  // namespace amorph::analysis
