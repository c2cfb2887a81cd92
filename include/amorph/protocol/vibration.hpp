// amorph/protocol/vibration.hpp — vibrational mean-square displacement (MSD)
// ensembles: the dynamical half of the flexibility volume (thesis ch2 sec 2.2,
// Ding et al. PNAS 2016).
//
// From one configuration, R independent NVE runs (velocity Verlet), run r
// starting from the same positions with fresh Maxwell-Boltzmann velocities
// (dynamics::create_velocities, seed s_r = splitmix64(seed + r)). In run r,
// after `equilibration` discarded steps, the unwrapped positions are sampled
// every `sample_every` steps at n samples t_1..t_n (the first sample is the
// start of the production run); with u_i(t) = x_i(t) - x_i(t_1),
//     ubar_i         = (1/n) sum_t u_i(t)                    (time-averaged position)
//     F_i^r          = (1/n) sum_t (u_i - ubar_i) (x) (u_i - ubar_i)   (fabric tensor)
//     MSD_i^r        = tr F_i^r = < |x_i(t) - xbar_i|^2 >_t
// and the ensemble values are the plain means over runs, F_i = (1/R) sum_r F_i^r,
// MSD_i = tr F_i. (Sums about the first sample keep the numbers small; the
// variance is shift invariant.)
//
// Velocities: `start` decides the temperature T_v the velocities are drawn at:
//   thermal    T_v = T: the configuration is a snapshot equilibrated at T;
//   minimum    T_v = 2 T: the configuration is an energy minimum (inherent
//              structure); in the harmonic limit equipartition then gives a
//              time-averaged kinetic temperature of T (virial theorem);
//   automatic  minimum when the rms force per atom component of the start
//              configuration is below `minimum_force_rms`, thermal otherwise.
// The measured mean kinetic temperature over all samples of all runs is
// reported (temperature_mean, with its standard error over the runs,
// temperature_error), so a wrong choice is visible.
//
// Plateau: MSD(t) is the system mean of the MSD about the mean over the
// window [t_1, t], evaluated at `plateau_points` window lengths
// t = t_n k / K (k = 1..K, ensemble mean). For vibration it rises and
// saturates; for diffusing atoms it keeps growing (~t). The relative growth
// g = (MSD(t_n) - MSD(t_n / 2)) / MSD(t_n) over the second half must be at
// most `plateau_tolerance`, else vibrational_msd throws amorph::invalid_argument
// ("no MSD plateau ... atoms diffuse"). A few hopping atoms suffice: a jump
// of d adds ~d^2/4 to that atom, ~10-100 times its vibrational MSD, so
// unrelaxed (fast-quenched, 2D) glasses can be refused too. Checked after the first batch of runs
// and at the end. The plateau window reported is [t_k, t_n] for the smallest k
// with |MSD(t_j) - MSD(t_n)| <= tolerance MSD(t_n) for all j >= k.
//
// Parallelism and determinism: runs are executed in batches of `batch` runs
// (default: the TBB concurrency) in parallel with oneTBB, each on its own copy
// of the system and force provider; per-run results are merged in run order.
// The system is sorted by id first, so results are bitwise independent of the
// thread count, of the batch size and of the atom order of the input, and are
// keyed by id.
//
// Checkpoint/resume: with `checkpoint`, after every batch the merged sums of
// the finished runs are written atomically (protocol/checkpoint.hpp); with
// `resume` and an existing file whose settings match, the ensemble continues
// after the last finished run and ends bitwise identical to an uninterrupted
// one. A mismatching file is refused.
#pragma once

#include "amorph/analysis/msd.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/concepts.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/dynamics/run.hpp"
#include "amorph/dynamics/velocity.hpp"
#include "amorph/dynamics/verlet.hpp"
#include "amorph/protocol/checkpoint.hpp"

#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

namespace amorph::protocol {

enum class vibration_start { automatic, thermal, minimum };

struct msd_options {
    double temperature = 0.0;           ///< target temperature T (> 0)
    std::size_t runs = 100;             ///< R
    std::int64_t steps = 2000;          ///< production steps per run
    std::int64_t equilibration = 0;     ///< discarded NVE steps before sampling
    std::int64_t sample_every = 1;
    double dt = 0.0;                    ///< 0: the unit system's default
    std::uint64_t seed = 20160101;
    vibration_start start = vibration_start::automatic;
    double minimum_force_rms = 1e-2;    ///< automatic start: rms force below this = a minimum
    int plateau_points = 20;
    double plateau_tolerance = 0.1;
    std::size_t batch = 0;              ///< runs per parallel batch (0: TBB concurrency)
    std::filesystem::path checkpoint{}; ///< empty: no checkpoint
    bool resume = false;
    /// called after each batch with (runs finished, runs in all)
    std::function<void(std::size_t, std::size_t)> progress{};
};

// The result type is analysis::msd_result (analysis/msd.hpp): the data moves
// down to the layer that reads it (flexibility.hpp).
using analysis::msd_result;
using analysis::voigt_size;

namespace detail {

inline std::uint64_t splitmix64(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/// Per-run sampler: accumulates sum u and sum u u^T per atom about the first sample.
template <int D>
struct msd_sampler {
    std::int64_t every = 1;
    std::vector<std::int64_t> checks;  ///< sample counts at which the curve is evaluated
    double dof = 0.0;
    coords<D> ref;
    Eigen::MatrixXd s1, s2;            ///< D x N, voigt x N
    std::int64_t n = 0;
    std::vector<double> curve;
    double tsum = 0.0;

    void observe(const dynamics::observation<D>& o) {
        if ((o.step - o.begin) % every != 0) return;
        const auto& s = o.sys;
        const auto N = static_cast<Eigen::Index>(s.size());
        const mat<D> h = s.box.h();
        const bool img = s.has_image();
        auto unwrapped = [&](Eigen::Index i) -> vec<D> {
            vec<D> x = s.positions.col(i);
            if (img) x += h * s.image.col(i).template cast<double>();
            return x;
        };
        if (n == 0) {
            ref.resize(D, N);
            for (Eigen::Index i = 0; i < N; ++i) ref.col(i) = unwrapped(i);
            s1 = Eigen::MatrixXd::Zero(D, N);
            s2 = Eigen::MatrixXd::Zero(voigt_size<D>, N);
        }
        for (Eigen::Index i = 0; i < N; ++i) {
            const vec<D> u = unwrapped(i) - ref.col(i);
            s1.col(i) += u;
            int k = 0;
            for (int a = 0; a < D; ++a) s2(k++, i) += u(a) * u(a);
            for (int a = 0; a < D; ++a)
                for (int b = a + 1; b < D; ++b) s2(k++, i) += u(a) * u(b);
        }
        ++n;
        tsum += dynamics::temperature(s, dof);
        if (std::find(checks.begin(), checks.end(), n) != checks.end()) curve.push_back(system_mean());
    }

    double system_mean() const {
        const double inv = 1.0 / static_cast<double>(n);
        double m = 0.0;
        for (Eigen::Index i = 0; i < s1.cols(); ++i) {
            double t = 0.0;
            for (int a = 0; a < D; ++a) t += s2(a, i) * inv - (s1(a, i) * inv) * (s1(a, i) * inv);
            m += t;
        }
        return s1.cols() ? m / static_cast<double>(s1.cols()) : 0.0;
    }

    /// Fabric tensors of this run (voigt x N).
    Eigen::MatrixXd fabric() const {
        const double inv = 1.0 / static_cast<double>(n);
        Eigen::MatrixXd f(voigt_size<D>, s1.cols());
        for (Eigen::Index i = 0; i < s1.cols(); ++i) {
            int k = 0;
            for (int a = 0; a < D; ++a, ++k) f(k, i) = s2(k, i) * inv - (s1(a, i) * inv) * (s1(a, i) * inv);
            for (int a = 0; a < D; ++a)
                for (int b = a + 1; b < D; ++b, ++k) f(k, i) = s2(k, i) * inv - (s1(a, i) * inv) * (s1(b, i) * inv);
        }
        return f;
    }
};

template <int D>
struct no_observer {
    void observe(const dynamics::observation<D>&) {}
};

struct run_summary {
    Eigen::MatrixXd fabric;
    double mean = 0.0;
    std::vector<double> curve;
    double temperature = 0.0;
};

/// Merged state of the finished runs (what a checkpoint holds).
struct msd_totals {
    std::size_t done = 0;
    Eigen::MatrixXd fabric;           ///< sum over runs
    std::vector<double> run_mean;
    std::vector<double> curve;        ///< sum over runs
    std::vector<double> run_temperature;

    void merge(const run_summary& r) {
        if (done == 0) {
            fabric = r.fabric;
            curve = r.curve;
        } else {
            fabric += r.fabric;
            for (std::size_t k = 0; k < curve.size(); ++k) curve[k] += r.curve[k];
        }
        run_mean.push_back(r.mean);
        run_temperature.push_back(r.temperature);
        ++done;
    }
};

inline constexpr const char* msd_checkpoint_tag = "amorph-msd-ensemble";

inline std::string msd_fingerprint(const msd_options& o, double tv, double dt, const std::vector<std::int64_t>& ids,
                                   std::size_t checks) {
    std::ostringstream s;
    s.precision(17);
    s << "T=" << o.temperature << " Tv=" << tv << " runs=" << o.runs << " steps=" << o.steps
      << " equil=" << o.equilibration << " every=" << o.sample_every << " dt=" << dt << " seed=" << o.seed
      << " checks=" << checks << " n=" << ids.size() << " ids=";
    std::uint64_t h = 1469598103934665603ull;
    for (auto id : ids) h = splitmix64(h ^ static_cast<std::uint64_t>(id));
    s << h;
    return s.str();
}

inline void check_plateau(const std::vector<double>& curve, const std::vector<double>& t, double tol,
                          std::size_t runs) {
    const std::size_t K = curve.size();
    const double last = curve.back(), half = curve[K / 2 - 1];
    const double g = last > 0 ? (last - half) / last : 0.0;
    if (g > tol) {
        std::ostringstream m;
        m.precision(3);
        m << "vibrational_msd: no MSD plateau: the mean MSD about the time-averaged position grows by " << 100 * g
          << "% between window lengths " << t[K / 2 - 1] << " and " << t.back() << " (tolerance "
          << 100 * tol << "%, " << runs
          << " runs): the atoms diffuse or the structure relaxes (a liquid, an unrelaxed sample, or a "
             "temperature too high for it); lower the temperature, relax the sample, or shorten the run";
        throw invalid_argument(m.str());
    }
}

}  // namespace detail

/// Run the MSD ensemble (see the header). `ff` is copied for every run.
template <int D, class F>
    requires dynamics::force_provider<F, D> && std::copy_constructible<F>
msd_result<D> vibrational_msd(const amorph::system<D>& input, const F& ff, const msd_options& opt) {
    if (!(opt.temperature > 0.0) || !std::isfinite(opt.temperature))
        throw invalid_argument("vibrational_msd: temperature must be > 0");
    if (opt.runs == 0) throw invalid_argument("vibrational_msd: runs must be >= 1");
    if (opt.sample_every <= 0) throw invalid_argument("vibrational_msd: sample_every must be >= 1");
    if (opt.equilibration < 0) throw invalid_argument("vibrational_msd: equilibration must be >= 0");
    if (opt.plateau_points < 2) throw invalid_argument("vibrational_msd: plateau_points must be >= 2");
    if (opt.steps < opt.sample_every * opt.plateau_points)
        throw invalid_argument("vibrational_msd: steps must be >= sample_every * plateau_points (" +
                               std::to_string(opt.sample_every * opt.plateau_points) + ")");
    if (input.empty()) throw invalid_argument("vibrational_msd: the system has no atoms");
    if (opt.resume && opt.checkpoint.empty()) throw invalid_argument("vibrational_msd: resume needs a checkpoint path");

    amorph::system<D> sys0 = input;
    sys0.sort_by_id();
    sys0.velocities.resize(D, 0);
    dynamics::type_masses(sys0);  // throws without masses
    const double dt = opt.dt > 0.0 ? opt.dt : sys0.units->dt;
    const auto N = static_cast<Eigen::Index>(sys0.size());

    // velocity temperature
    double tv = opt.temperature;
    if (opt.start == vibration_start::minimum) {
        tv = 2.0 * opt.temperature;
    } else if (opt.start == vibration_start::automatic) {
        F probe(ff);
        amorph::system<D> s = sys0;
        probe.compute(s);
        const double rms = std::sqrt(s.forces.squaredNorm() / static_cast<double>(D * s.size()));
        if (rms < opt.minimum_force_rms) tv = 2.0 * opt.temperature;
    }

    // sample counts of the plateau curve
    const std::int64_t nsamples = opt.steps / opt.sample_every + 1;
    const auto K = static_cast<std::int64_t>(opt.plateau_points);
    std::vector<std::int64_t> checks;
    std::vector<double> curve_t;
    for (std::int64_t k = 1; k <= K; ++k) {
        const std::int64_t m = std::max<std::int64_t>(2, (nsamples - 1) * k / K + 1);
        checks.push_back(m);
        curve_t.push_back(static_cast<double>((m - 1) * opt.sample_every) * dt);
    }

    detail::msd_totals tot;
    msd_result<D> out;
    const std::string fp = detail::msd_fingerprint(opt, tv, dt, sys0.ids, checks.size());
    if (opt.resume && std::filesystem::exists(opt.checkpoint)) {
        auto r = dynamics::archive_reader::open(read_whole_file(opt.checkpoint), opt.checkpoint.string());
        r.tag(detail::msd_checkpoint_tag);
        if (r.get<std::string>() != fp)
            throw invalid_argument(opt.checkpoint.string() +
                                   ": the checkpoint belongs to another MSD ensemble (settings or atoms differ)");
        tot.done = static_cast<std::size_t>(r.get<std::uint64_t>());
        r.get(tot.fabric);
        r.get(tot.run_mean);
        r.get(tot.curve);
        r.get(tot.run_temperature);
        if (!r.at_end()) throw io_error(opt.checkpoint.string() + ": trailing data in checkpoint");
        out.resumed_runs = tot.done;
    }

    const double dof = dynamics::degrees_of_freedom(sys0);
    auto one_run = [&](std::size_t r) {
        amorph::system<D> s = sys0;
        F f(ff);
        dynamics::create_velocities(s, tv, detail::splitmix64(opt.seed + r));
        dynamics::velocity_verlet<D> nve;
        dynamics::md_state<dynamics::velocity_verlet<D>> st;
        if (opt.equilibration > 0) {
            detail::no_observer<D> none;
            dynamics::run(s, f, nve, st, {.steps = opt.equilibration, .dt = dt}, none);
        }
        detail::msd_sampler<D> smp;
        smp.every = opt.sample_every;
        smp.checks = checks;
        smp.dof = dof;
        dynamics::run(s, f, nve, st, {.steps = opt.steps, .dt = dt}, smp);
        detail::run_summary sum;
        sum.fabric = smp.fabric();
        sum.mean = smp.system_mean();
        sum.curve = std::move(smp.curve);
        sum.temperature = smp.tsum / static_cast<double>(smp.n);
        return sum;
    };

    const std::size_t batch =
        opt.batch > 0 ? opt.batch : static_cast<std::size_t>(std::max(1, tbb::info::default_concurrency()));
    bool checked = tot.done > 0;
    while (tot.done < opt.runs) {
        const std::size_t b0 = tot.done, b1 = std::min(opt.runs, b0 + batch);
        std::vector<detail::run_summary> res(b1 - b0);
        tbb::parallel_for(b0, b1, [&](std::size_t r) { res[r - b0] = one_run(r); });
        for (auto& r : res) tot.merge(r);
        if (!checked) {
            std::vector<double> c(tot.curve);
            for (double& v : c) v /= static_cast<double>(tot.done);
            detail::check_plateau(c, curve_t, opt.plateau_tolerance, tot.done);
            checked = true;
        }
        if (!opt.checkpoint.empty()) {
            dynamics::archive_writer w;
            w.tag(detail::msd_checkpoint_tag);
            w.put(fp);
            w.put(static_cast<std::uint64_t>(tot.done));
            w.put(tot.fabric);
            w.put(tot.run_mean);
            w.put(tot.curve);
            w.put(tot.run_temperature);
            write_atomically(opt.checkpoint, w.seal());
        }
        if (opt.progress) opt.progress(tot.done, opt.runs);
    }

    const double R = static_cast<double>(tot.done);
    out.ids = sys0.ids;
    out.fabric = tot.fabric / R;
    out.msd.resize(static_cast<std::size_t>(N));
    for (Eigen::Index i = 0; i < N; ++i) out.msd[static_cast<std::size_t>(i)] = out.fabric.col(i).template head<D>().sum();
    out.run_mean = tot.run_mean;
    double m = 0.0, m2 = 0.0;
    for (double v : tot.run_mean) m += v;
    m /= R;
    for (double v : tot.run_mean) m2 += (v - m) * (v - m);
    out.mean = std::accumulate(out.msd.begin(), out.msd.end(), 0.0) / static_cast<double>(N);
    out.mean_error = tot.done > 1 ? std::sqrt(m2 / (R - 1) / R) : 0.0;
    out.curve_time = curve_t;
    out.curve_msd = tot.curve;
    for (double& v : out.curve_msd) v /= R;
    detail::check_plateau(out.curve_msd, curve_t, opt.plateau_tolerance, tot.done);
    const double last = out.curve_msd.back();
    out.plateau_growth = last > 0 ? (last - out.curve_msd[out.curve_msd.size() / 2 - 1]) / last : 0.0;
    std::size_t k0 = out.curve_msd.size() - 1;
    while (k0 > 0 && std::abs(out.curve_msd[k0 - 1] - last) <= opt.plateau_tolerance * last) --k0;
    out.plateau_begin = curve_t[k0];
    out.plateau_end = curve_t.back();
    out.temperature_mean = std::accumulate(tot.run_temperature.begin(), tot.run_temperature.end(), 0.0) / R;
    double t2 = 0.0;
    for (double t : tot.run_temperature) t2 += (t - out.temperature_mean) * (t - out.temperature_mean);
    out.temperature_error = tot.done > 1 ? std::sqrt(t2 / (R - 1) / R) : 0.0;
    out.velocity_temperature = tv;
    out.runs = tot.done;
    out.dt = dt;
    out.samples = nsamples;
    return out;
}

}  // namespace amorph::protocol
