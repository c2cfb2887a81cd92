// amorph/analysis/modes.hpp — normal modes of an inherent structure: the
// lowest eigenpairs of the dynamical matrix, participation in soft modes, the
// participation ratio of each mode, the vibrational density of states.
//
// Given the Hessian H (DN x DN, potential/hessian.hpp) and the masses m_i,
// the dynamical matrix is M = m^{-1/2} H m^{-1/2}; its eigenvalues are the
// squared angular frequencies omega_k^2 (energy / (mass length^2): multiply
// by the unit system's ftm2v for time^-2), its orthonormal eigenvectors e_k
// the mass-weighted polarizations. A periodic cell has D zero modes (uniform
// translations, e^i ~ sqrt(m_i)); they are returned first, flagged by
// `zero_modes`, and left out of the participation.
//
//   participation fraction of atom i in the lowest K non-zero modes
//   (thesis ch4 section 4.5.4, ch5 section 5.7.8: K = 1 % of the modes):
//       p_i = sum_{k=1..K} |e_k^i|^2,        sum_i p_i = K;
//   participation ratio of mode k (1/N: localized on one atom, ~2/3: plane wave):
//       PR_k = (sum_i |e_k^i|^2)^2 / (N sum_i |e_k^i|^4);
//   vibrational density of states: the histogram of omega_k = sqrt(omega_k^2)
//       g(omega) = (1 / (D N)) sum_k delta(omega - omega_k), normalized over
//       all D N modes (a full spectrum; a partial one gives its low end).
//
// Solvers (modes_options::solver):
//   dense         Eigen's SelfAdjointEigenSolver on the dense matrix: every
//                 mode, O((DN)^3); the reference, automatic up to dense_limit
//                 degrees of freedom;
//   shift_invert  Spectra's implicitly restarted Lanczos on (M - sigma I)^{-1},
//                 sigma a little below 0, factorized once by Eigen's sparse
//                 LDL^T (AMD ordering): the eigenvalues nearest sigma converge
//                 first, i.e. the lowest ones, in few iterations; automatic
//                 above dense_limit when the matrix is sparse enough for the
//                 factor to stay sparse (shift_invert_row_limit);
//   lanczos       Spectra's Lanczos on M itself for the smallest eigenvalues
//                 (products M x in parallel over oneTBB, both triangles stored):
//                 no factorization (memory O(nnz)), more iterations where the
//                 low end of the spectrum is crowded; automatic for denser
//                 matrices (EAM, whose second-neighbor coupling fills the
//                 factor).
// Spectra (libspectra-dev, header-only over Eigen, MPL-2.0) is the well-kept
// implementation of ARPACK's algorithm for Eigen matrices: ARPACK itself
// (libarpack2-dev) would add a Fortran library and reverse-communication glue
// for the same iteration; a hand-written Lanczos would need its own restarts
// and re-orthogonalization, which is what Spectra is.
//
// lowest_modes is compiled once in amorph::compiled (core/compiled.hpp: an
// AMORPH_FUNC defined under AMORPH_DEFINITIONS), so programs linking it do not
// parse Spectra or instantiate the solvers themselves.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>
#if AMORPH_DEFINITIONS
#include <Eigen/Eigenvalues>
#include <Eigen/SparseCholesky>
#include <Spectra/SymEigsShiftSolver.h>
#include <Spectra/SymEigsSolver.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <string>
#include <vector>

namespace amorph::analysis {

enum class modes_solver { automatic, dense, shift_invert, lanczos };

struct modes_options {
    /// Number of non-zero modes wanted (after the zero modes), or 0 to use `fraction`.
    std::size_t lowest = 0;
    /// Fraction of the D N - zero non-zero modes (rounded up; thesis: 0.01).
    double fraction = 0.0;
    /// The number of zero modes (translations) expected at the bottom: D for
    /// a cell periodic along every axis (modes_of sets it), 0 for none.
    std::size_t zero_modes = 0;
    bool vectors = true;
    modes_solver solver = modes_solver::automatic;
    /// `automatic`: dense up to this many degrees of freedom (Eigen's dense
    /// solver takes ~1 s at 1,000 and ~250 s at 6,000 on one core) ...
    std::size_t dense_limit = 1000;
    /// ... else shift-invert when the matrix has at most this many non-zeros
    /// per row on average (pair and three-body potentials: 40-150; the LDL^T
    /// factor stays sparse), else Lanczos (EAM couples second neighbors: ~2,200
    /// per row for Cu-Zr, whose factor is nearly dense: 2,000 atoms took 52 s by
    /// shift-invert and 14 s by Lanczos; bench/analysis/modes_cuzr.sh).
    std::size_t shift_invert_row_limit = 300;
    /// Relative tolerance of the iterative solvers (Spectra's tol).
    double tolerance = 1e-10;
    std::size_t max_iterations = 10000;
};

struct normal_modes {
    /// omega^2, ascending, the zero modes first.
    Eigen::VectorXd eigenvalues;
    /// Orthonormal eigenvectors of the dynamical matrix, one column per
    /// eigenvalue (empty without modes_options::vectors).
    Eigen::MatrixXd vectors;
    std::size_t zero_modes = 0;
    std::string solver;  ///< "dense", "shift-invert" or "lanczos"
};

/// M = m^{-1/2} H m^{-1/2} with one mass per atom (D entries per atom of H).
inline Eigen::SparseMatrix<double> dynamical_matrix(const Eigen::SparseMatrix<double>& hessian,
                                                    const std::vector<double>& masses, int dim) {
    const auto n = static_cast<Eigen::Index>(masses.size());
    if (hessian.rows() != dim * n || hessian.cols() != dim * n)
        throw invalid_argument("dynamical_matrix: the Hessian is " + std::to_string(hessian.rows()) + " x " +
                               std::to_string(hessian.cols()) + ", not D N = " + std::to_string(dim * n));
    Eigen::VectorXd w(dim * n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double m = masses[static_cast<std::size_t>(i)];
        if (!(m > 0.0) || !std::isfinite(m))
            throw invalid_argument("dynamical_matrix: atom " + std::to_string(i) + " has no positive mass");
        for (int a = 0; a < dim; ++a) w(dim * i + a) = 1.0 / std::sqrt(m);
    }
    return w.asDiagonal() * hessian * w.asDiagonal();
}

/// How many non-zero modes `opt` asks for out of `dof` degrees of freedom.
inline std::size_t modes_wanted(const modes_options& opt, std::size_t dof) {
    const std::size_t avail = dof > opt.zero_modes ? dof - opt.zero_modes : 0;
    std::size_t k = opt.lowest;
    if (k == 0) {
        if (!(opt.fraction > 0.0 && opt.fraction <= 1.0))
            throw invalid_argument("normal modes: give the number of modes (lowest) or a fraction in (0, 1]");
        k = static_cast<std::size_t>(std::ceil(opt.fraction * static_cast<double>(avail) - 1e-9));
    }
    if (k == 0 || k > avail)
        throw invalid_argument("normal modes: " + std::to_string(k) + " modes asked of " + std::to_string(avail) +
                               " non-zero ones");
    return k;
}

/// The zero modes and the lowest non-zero modes of a dynamical matrix `m`:
/// symmetric with both triangles stored, as potential::hessian and
/// dynamical_matrix give it (the dense and shift-invert solvers read the lower
/// triangle, the Lanczos products every entry).
AMORPH_FUNC normal_modes lowest_modes(const Eigen::SparseMatrix<double>& m, const modes_options& opt);

#if AMORPH_DEFINITIONS
namespace detail {

/// (M - sigma I)^{-1} by a sparse LDL^T of the lower triangle (Spectra's
/// shift-solve operator interface).
class ldlt_shift_solve {
public:
    using Scalar = double;
    explicit ldlt_shift_solve(const Eigen::SparseMatrix<double>& m) : m_(m) {}
    Eigen::Index rows() const { return m_.rows(); }
    Eigen::Index cols() const { return m_.cols(); }
    void set_shift(double sigma) {
        Eigen::SparseMatrix<double> a = m_;
        for (Eigen::Index k = 0; k < a.rows(); ++k) a.coeffRef(k, k) -= sigma;
        ldlt_.compute(a);
        if (ldlt_.info() != Eigen::Success)
            throw error("normal modes: the sparse factorization of M - sigma I failed (not a minimum?)");
    }
    void perform_op(const double* x, double* y) const {
        Eigen::Map<Eigen::VectorXd>(y, m_.rows()) = ldlt_.solve(Eigen::Map<const Eigen::VectorXd>(x, m_.rows()));
    }

private:
    const Eigen::SparseMatrix<double>& m_;
    Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Lower, Eigen::AMDOrdering<int>> ldlt_;
};

/// y = M x for a symmetric M stored with both triangles, column by column in
/// parallel (y_c = M(:, c) . x: a gather, one ordered sum per entry, so the
/// result does not depend on the threads; Eigen's own sparse products run on
/// one thread). Spectra's matrix-product operator interface.
class parallel_symmetric_product {
public:
    using Scalar = double;
    explicit parallel_symmetric_product(const Eigen::SparseMatrix<double>& m) : m_(m) {}
    Eigen::Index rows() const { return m_.rows(); }
    Eigen::Index cols() const { return m_.cols(); }
    void perform_op(const double* x, double* y) const {
        const int* outer = m_.outerIndexPtr();
        const int* inner = m_.innerIndexPtr();
        const double* val = m_.valuePtr();
        tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, m_.cols(), 256), [&](const tbb::blocked_range<Eigen::Index>& r) {
            for (Eigen::Index c = r.begin(); c != r.end(); ++c) {
                double s = 0.0;
                for (int k = outer[c]; k < outer[c + 1]; ++k) s += val[k] * x[inner[k]];
                y[c] = s;
            }
        });
    }

private:
    const Eigen::SparseMatrix<double>& m_;
};

/// Sort eigenpairs ascending.
inline void sort_ascending(Eigen::VectorXd& ev, Eigen::MatrixXd& vec) {
    std::vector<Eigen::Index> idx(static_cast<std::size_t>(ev.size()));
    std::iota(idx.begin(), idx.end(), Eigen::Index{0});
    std::stable_sort(idx.begin(), idx.end(), [&](Eigen::Index a, Eigen::Index b) { return ev(a) < ev(b); });
    Eigen::VectorXd e2(ev.size());
    Eigen::MatrixXd v2(vec.rows(), vec.cols() ? ev.size() : 0);
    for (std::size_t k = 0; k < idx.size(); ++k) {
        e2(static_cast<Eigen::Index>(k)) = ev(idx[k]);
        if (vec.cols()) v2.col(static_cast<Eigen::Index>(k)) = vec.col(idx[k]);
    }
    ev = std::move(e2);
    vec = std::move(v2);
}

}  // namespace detail

AMORPH_FUNC normal_modes lowest_modes(const Eigen::SparseMatrix<double>& m, const modes_options& opt) {
    const auto dof = static_cast<std::size_t>(m.rows());
    const std::size_t k = modes_wanted(opt, dof);
    const std::size_t nev = k + opt.zero_modes;
    modes_solver how = opt.solver;
    if (how == modes_solver::automatic) {
        const auto per_row = static_cast<std::size_t>(m.nonZeros()) / std::max<std::size_t>(dof, 1);
        how = dof <= opt.dense_limit                   ? modes_solver::dense
              : per_row <= opt.shift_invert_row_limit ? modes_solver::shift_invert
                                                       : modes_solver::lanczos;
    }
    // Spectra needs nev < ncv <= dof; the whole spectrum goes to the dense solver
    if (how != modes_solver::dense && nev + 1 >= dof) how = modes_solver::dense;
    normal_modes out;
    out.zero_modes = opt.zero_modes;
    if (how == modes_solver::dense) {
        out.solver = "dense";
        const Eigen::MatrixXd a(m);  // the solver reads the lower triangle
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(a, opt.vectors ? Eigen::ComputeEigenvectors
                                                                         : Eigen::EigenvaluesOnly);
        if (es.info() != Eigen::Success) throw error("normal modes: the dense eigensolver did not converge");
        out.eigenvalues = es.eigenvalues().head(static_cast<Eigen::Index>(nev));
        if (opt.vectors) out.vectors = es.eigenvectors().leftCols(static_cast<Eigen::Index>(nev));
    } else {
        const auto ncv = static_cast<Eigen::Index>(std::min(dof, std::max<std::size_t>(2 * nev + 1, nev + 20)));
        const auto maxit = static_cast<Eigen::Index>(opt.max_iterations);
        if (how == modes_solver::shift_invert) {
            out.solver = "shift-invert";
            // sigma below the spectrum's bottom by a small fraction of its scale, so
            // that M - sigma I is positive definite at a minimum (zero modes included)
            const double scale = m.diagonal().cwiseAbs().mean();
            const double sigma = -1e-6 * (scale > 0.0 ? scale : 1.0);
            detail::ldlt_shift_solve op(m);
            Spectra::SymEigsShiftSolver<detail::ldlt_shift_solve> eigs(op, static_cast<Eigen::Index>(nev), ncv, sigma);
            eigs.init();
            eigs.compute(Spectra::SortRule::LargestMagn, maxit, opt.tolerance, Spectra::SortRule::SmallestAlge);
            if (eigs.info() != Spectra::CompInfo::Successful)
                throw error("normal modes: the shift-invert Lanczos iteration did not converge (raise max_iterations)");
            out.eigenvalues = eigs.eigenvalues();
            if (opt.vectors) out.vectors = eigs.eigenvectors();
        } else {
            out.solver = "lanczos";
            if (!m.isCompressed()) throw invalid_argument("normal modes: the matrix must be in compressed form");
            detail::parallel_symmetric_product op(m);
            Spectra::SymEigsSolver<detail::parallel_symmetric_product> eigs(op, static_cast<Eigen::Index>(nev), ncv);
            eigs.init();
            eigs.compute(Spectra::SortRule::SmallestAlge, maxit, opt.tolerance, Spectra::SortRule::SmallestAlge);
            if (eigs.info() != Spectra::CompInfo::Successful)
                throw error("normal modes: the Lanczos iteration did not converge (raise max_iterations or use shift-invert)");
            out.eigenvalues = eigs.eigenvalues();
            if (opt.vectors) out.vectors = eigs.eigenvectors();
        }
        detail::sort_ascending(out.eigenvalues, out.vectors);
    }
    if (!out.eigenvalues.allFinite() || (opt.vectors && !out.vectors.allFinite()))
        throw error("normal modes: non-finite eigenpairs");
    return out;
}
#endif  // AMORPH_DEFINITIONS

/// p_i: the participation of every atom in the non-zero modes of `modes`.
inline std::vector<double> participation_fraction(const normal_modes& modes, int dim) {
    if (modes.vectors.cols() != modes.eigenvalues.size())
        throw invalid_argument("participation_fraction: the modes were computed without vectors");
    const auto n = static_cast<std::size_t>(modes.vectors.rows() / dim);
    std::vector<double> p(n, 0.0);
    for (Eigen::Index k = static_cast<Eigen::Index>(modes.zero_modes); k < modes.vectors.cols(); ++k)
        for (std::size_t i = 0; i < n; ++i)
            p[i] += modes.vectors.col(k).segment(static_cast<Eigen::Index>(dim * i), dim).squaredNorm();
    return p;
}

/// PR_k of every mode (zero modes included).
inline Eigen::VectorXd participation_ratio(const normal_modes& modes, int dim) {
    if (modes.vectors.cols() != modes.eigenvalues.size())
        throw invalid_argument("participation_ratio: the modes were computed without vectors");
    const Eigen::Index n = modes.vectors.rows() / dim;
    Eigen::VectorXd pr(modes.vectors.cols());
    for (Eigen::Index k = 0; k < modes.vectors.cols(); ++k) {
        double s2 = 0.0, s4 = 0.0;
        for (Eigen::Index i = 0; i < n; ++i) {
            const double a = modes.vectors.col(k).segment(dim * i, dim).squaredNorm();
            s2 += a;
            s4 += a * a;
        }
        pr(k) = s2 * s2 / (static_cast<double>(n) * s4);
    }
    return pr;
}

/// Histogram of omega = sqrt(max(omega^2, 0)) in `bins` bins over [0, omega_max]
/// (omega_max <= 0: the largest omega given), normalized by `total_modes`
/// (D N for the density of states per mode) and the bin width. Returns the
/// bin centres and g(omega).
inline std::pair<Eigen::VectorXd, Eigen::VectorXd> vibrational_dos(const Eigen::VectorXd& eigenvalues, std::size_t bins,
                                                                   std::size_t total_modes, double omega_max = 0.0) {
    if (bins == 0 || total_modes == 0) throw invalid_argument("vibrational_dos: need bins > 0 and modes > 0");
    Eigen::VectorXd w = eigenvalues.cwiseMax(0.0).cwiseSqrt();
    const double top = omega_max > 0.0 ? omega_max : (w.size() ? w.maxCoeff() : 1.0) * (1.0 + 1e-12);
    const double width = top / static_cast<double>(bins);
    Eigen::VectorXd centre(static_cast<Eigen::Index>(bins)), g = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(bins));
    for (std::size_t b = 0; b < bins; ++b) centre(static_cast<Eigen::Index>(b)) = (static_cast<double>(b) + 0.5) * width;
    for (Eigen::Index k = 0; k < w.size(); ++k) {
        const auto b = static_cast<std::size_t>(w(k) / width);
        if (b < bins) g(static_cast<Eigen::Index>(b)) += 1.0;
    }
    g /= static_cast<double>(total_modes) * width;
    return {centre, g};
}

}  // namespace amorph::analysis
