// apps/amorph/cmd_modes.cpp — `amorph modes FILE [potential] --lowest K |
// --fraction F [-o OUT]`: normal modes of an inherent structure and the
// participation of every atom in the softest ones (amorph/potential/hessian.hpp,
// amorph/analysis/modes.hpp; thesis ch4 section 4.5.4).
//
// The Hessian of the potential at the file's positions (analytic, sparse),
// mass-weighted into the dynamical matrix; its lowest eigenpairs: the D zero
// modes of a fully periodic cell (uniform translations) and the K lowest
// non-zero modes (--lowest K, or --fraction F of the D N - D non-zero ones,
// rounded up; the thesis uses 0.01). The configuration should be a minimum
// (`amorph minimize`): the report gives the largest force component.
//
// Prints atoms, degrees of freedom, solver, the zero modes' largest
// |omega^2|, the lowest and highest non-zero omega^2 computed (energy /
// (mass length^2), eV/(g/mol A^2) in metal units) with the frequencies
// nu = sqrt(omega^2 ftm2v) / (2 pi) (THz in metal, 1/tau in lj), and the
// participation's mean and maximum.
// Outputs:
//   -o FILE               per-atom `participation`: p_i = sum over the K modes
//                         of |e_k^i|^2 (sums to K); extxyz, dump or data
//   --eigenvalues F.npy   omega^2 ascending, zero modes included ('<f8', (D + K,))
//   --vectors F.npy       the orthonormal eigenvectors of the dynamical matrix,
//                         '<f8' (D + K, N, D): mode, atom (file order), component
//   --ratio F.npy         participation ratio of each mode ('<f8', (D + K,))
//   --vdos F.csv          histogram of omega (--bins) normalized by D N: the
//                         density of states of the computed modes (all of them
//                         with --solver dense and --lowest D N - D)
//   --dynamical-matrix F.mtx   the sparse dynamical matrix in Matrix Market
//                         coordinate form (symmetric, lower triangle), for
//                         scipy.io.mmread and other solvers
#include "app.hpp"
#include "cmd_dynamics.hpp"
#include "table.hpp"

#include <amorph/analysis/modes.hpp>
#include <amorph/learn/npy.hpp>
#include <amorph/potential/hessian.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <numbers>

namespace amorph::cli {

namespace {

struct modes_options {
    input_options in;
    output_options out;
    potential_options pot;
    std::string units = "metal";
    std::size_t lowest = 0;
    double fraction = 0.0;
    std::string solver = "auto";
    std::string eigenvalues, vectors, ratio, vdos, matrix, csv;
    std::size_t bins = 100;
    run_options run;
};

void need_extension(const std::string& path, const std::string& ext, const char* option) {
    if (!path.empty() && (path.size() <= ext.size() || path.compare(path.size() - ext.size(), ext.size(), ext) != 0))
        throw invalid_argument(std::string(option) + ": '" + path + "' must end in " + ext);
}

analysis::modes_solver solver_of(const std::string& s) {
    if (s == "dense") return analysis::modes_solver::dense;
    if (s == "shift-invert") return analysis::modes_solver::shift_invert;
    if (s == "lanczos") return analysis::modes_solver::lanczos;
    return analysis::modes_solver::automatic;
}

void write_matrix_market(const std::string& path, const Eigen::SparseMatrix<double>& m) {
    std::ofstream f(path);
    if (!f) throw io_error("cannot open " + path + " for writing");
    std::size_t nnz = 0;
    for (Eigen::Index c = 0; c < m.outerSize(); ++c)
        for (Eigen::SparseMatrix<double>::InnerIterator it(m, c); it; ++it)
            if (it.row() >= it.col()) ++nnz;
    f << "%%MatrixMarket matrix coordinate real symmetric\n% amorph modes: dynamical matrix (lower triangle)\n"
      << m.rows() << ' ' << m.cols() << ' ' << nnz << '\n'
      << std::setprecision(17);
    for (Eigen::Index c = 0; c < m.outerSize(); ++c)
        for (Eigen::SparseMatrix<double>::InnerIterator it(m, c); it; ++it)
            if (it.row() >= it.col()) f << it.row() + 1 << ' ' << it.col() + 1 << ' ' << it.value() << '\n';
    if (!f) throw io_error("cannot write " + path);
}

template <int D>
int run_modes_d(const CLI::App& cmd, const modes_options& o) {
    const auto fmt = o.out.output.empty() ? io::file_format::auto_detect
                                          : output_format_for(o.out.output, o.out.output_format);
    auto [sys, pot] = load_with_potential<D>(cmd, o.in, o.pot, o.units);
    if (!sys.species.all_masses_known())
        throw invalid_argument("modes: every species needs a mass (Masses in the data file, element names with "
                               "--species, or an EAM potential file)");
    bool periodic = true;
    for (int a = 0; a < D; ++a) periodic = periodic && sys.box.periodic(a);
    analysis::modes_options mo;
    mo.lowest = o.lowest;
    mo.fraction = o.fraction;
    mo.zero_modes = periodic ? D : 0;
    mo.solver = solver_of(o.solver);
    mo.vectors = true;
    const std::size_t dof = static_cast<std::size_t>(D) * sys.size();
    const std::size_t k = analysis::modes_wanted(mo, dof);

    const auto t0 = std::chrono::steady_clock::now();
    const auto fres = evaluate_once<D>(pot, sys, potential::compute_options{false, false, false, 0});
    const auto H = potential::hessian<D>(pot, sys);
    std::vector<double> mass(sys.size());
    for (std::size_t i = 0; i < sys.size(); ++i) mass[i] = sys.mass(i);
    const auto M = analysis::dynamical_matrix(H, mass, D);
    const auto t1 = std::chrono::steady_clock::now();
    const auto modes = analysis::lowest_modes(M, mo);
    const auto t2 = std::chrono::steady_clock::now();
    const auto p = analysis::participation_fraction(modes, D);
    const auto pr = analysis::participation_ratio(modes, D);

    const auto& u = *sys.units;
    const std::string wu = std::string(u.energy) + "/(" + (u.reduced() ? "m" : "g/mol") + " " + std::string(u.length) + "^2)";
    const std::string fu = u.reduced() ? "1/tau" : (u.name == "metal" ? "THz" : "1/" + std::string(u.time));
    auto nu = [&](double w2) { return std::sqrt(std::max(w2, 0.0) * u.ftm2v) / (2.0 * std::numbers::pi); };
    const auto z = static_cast<Eigen::Index>(modes.zero_modes);
    double zmax = 0.0;
    for (Eigen::Index q = 0; q < z; ++q) zmax = std::max(zmax, std::abs(modes.eigenvalues(q)));
    const double lo = modes.eigenvalues(z), hi = modes.eigenvalues(modes.eigenvalues.size() - 1);
    double psum = 0.0, pmax = 0.0;
    for (double v : p) {
        psum += v;
        pmax = std::max(pmax, v);
    }
    scalar_report rep;
    rep.add_text("pair style", pot.style());
    rep.add("atoms", static_cast<double>(sys.size()));
    rep.add("degrees of freedom", static_cast<double>(dof));
    rep.add("force max component", fres.forces.size() ? fres.forces.cwiseAbs().maxCoeff() : 0.0, units::force_unit(u));
    rep.add("Hessian non-zeros", static_cast<double>(H.nonZeros()));
    rep.add_text("solver", modes.solver);
    rep.add("zero modes", static_cast<double>(modes.zero_modes));
    if (z) rep.add("zero modes max |omega^2|", zmax, wu);
    rep.add("modes", static_cast<double>(k));
    rep.add("lowest omega^2", lo, wu);
    rep.add("highest omega^2 computed", hi, wu);
    rep.add("lowest frequency", nu(lo), fu);
    rep.add("highest frequency computed", nu(hi), fu);
    rep.add("participation mean", sys.size() ? psum / static_cast<double>(sys.size()) : 0.0);
    rep.add("participation max", pmax);
    rep.add("Hessian time", std::chrono::duration<double>(t1 - t0).count(), "s");
    rep.add("eigensolver time", std::chrono::duration<double>(t2 - t1).count(), "s");
    rep.print(std::cout);
    if (!o.csv.empty()) rep.write_csv(o.csv);

    const std::size_t nm = static_cast<std::size_t>(modes.eigenvalues.size());
    if (!o.eigenvalues.empty())
        learn::detail::write_npy_raw(o.eigenvalues, "<f8", modes.eigenvalues.data(), {nm});
    if (!o.vectors.empty())
        learn::detail::write_npy_raw(o.vectors, "<f8", modes.vectors.data(), {nm, sys.size(), static_cast<std::size_t>(D)});
    if (!o.ratio.empty()) learn::detail::write_npy_raw(o.ratio, "<f8", pr.data(), {nm});
    if (!o.matrix.empty()) write_matrix_market(o.matrix, M);
    if (!o.vdos.empty()) {
        const auto [centre, g] = analysis::vibrational_dos(modes.eigenvalues, o.bins, dof);
        std::ofstream f(o.vdos);
        if (!f) throw io_error("cannot open " + o.vdos + " for writing");
        f << "omega,g\n" << std::setprecision(17);
        for (Eigen::Index b = 0; b < centre.size(); ++b) f << centre(b) << ',' << g(b) << '\n';
        if (!f) throw io_error("cannot write " + o.vdos);
    }
    if (!o.out.output.empty()) {
        sys.set_property("participation", p);
        save_system<D>(o.out.output, sys, fmt);
    }
    return 0;
}

}  // namespace

void add_modes_command(CLI::App& app, registry& reg) {
    auto o = std::make_shared<modes_options>();
    auto* cmd = app.add_subcommand(
        "modes", "normal modes (lowest eigenpairs of the dynamical matrix) and per-atom participation in soft modes");
    add_input_options(*cmd, o->in);
    add_output_options(*cmd, o->out);
    add_potential_options(*cmd, o->pot);
    add_units_option(*cmd, o->units);
    auto* lowest = cmd->add_option("--lowest", o->lowest, "number of lowest non-zero modes")
                       ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
    auto* fraction = cmd->add_option("--fraction", o->fraction, "fraction of the non-zero modes (thesis: 0.01)")
                         ->check(CLI::Range(0.0, 1.0).description("in (0, 1]"));
    lowest->excludes(fraction);
    cmd->add_option("--solver", o->solver, "auto (dense up to 1000 degrees of freedom, else shift-invert for sparse "
                                           "matrices, Lanczos for dense ones such as EAM's), dense, shift-invert or lanczos")
        ->check(CLI::IsMember({"auto", "dense", "shift-invert", "lanczos"}));
    cmd->add_option("--eigenvalues", o->eigenvalues, "omega^2 of the modes, ascending, zero modes first (.npy)");
    cmd->add_option("--vectors", o->vectors, "eigenvectors (.npy, shape (modes, atoms, D))");
    cmd->add_option("--ratio", o->ratio, "participation ratio of each mode (.npy)");
    cmd->add_option("--vdos", o->vdos, "density of states of the computed modes (.csv: omega,g)");
    cmd->add_option("--bins", o->bins, "bins of --vdos (default 100)")->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
    cmd->add_option("--dynamical-matrix", o->matrix, "the dynamical matrix in Matrix Market form (.mtx)");
    add_csv_option(*cmd, o->csv);
    add_command(reg, cmd, o->run, [o, cmd] {
        if (o->lowest == 0 && !(o->fraction > 0.0))
            throw invalid_argument("modes: give --lowest K or --fraction F (> 0)");
        need_extension(o->eigenvalues, ".npy", "--eigenvalues");
        need_extension(o->vectors, ".npy", "--vectors");
        need_extension(o->ratio, ".npy", "--ratio");
        need_extension(o->vdos, ".csv", "--vdos");
        need_extension(o->matrix, ".mtx", "--dynamical-matrix");
        if (cmd->count("--bins") && o->vdos.empty()) throw invalid_argument("modes: --bins goes with --vdos");
        return with_dimension(resolve_dimension(o->in), [&](auto d) { return run_modes_d<decltype(d)::value>(*cmd, *o); });
    });
}

}  // namespace amorph::cli
