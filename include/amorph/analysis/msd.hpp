// amorph/analysis/msd.hpp — a vibrational mean-square displacement ensemble
// as data: per-atom MSD_i and fabric tensor F_i = <(x_i - xbar_i) (x) (x_i - xbar_i)>
// (ensemble means over R runs, keyed by id), the system mean with its error,
// the plateau check and the run settings. protocol/vibration.hpp computes it
// (vibrational_msd); flexibility.hpp turns it into flexibility volumes.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace amorph::analysis {

/// Voigt order of the per-atom fabric tensor rows: xx yy xy (2D), xx yy zz xy xz yz (3D).
template <int D>
inline constexpr int voigt_size = D * (D + 1) / 2;

template <int D>
struct msd_result {
    std::vector<std::int64_t> ids;  ///< atom ids, increasing; every per-atom vector follows them
    std::vector<double> msd;        ///< MSD_i (length^2), ensemble mean
    Eigen::MatrixXd fabric;         ///< voigt_size<D> x N, ensemble mean of F_i
    std::vector<double> run_mean;   ///< system-mean MSD of each run, in run order
    double mean = 0.0;              ///< system-mean MSD
    double mean_error = 0.0;        ///< standard error of `mean` over runs
    std::vector<double> curve_time; ///< window lengths t - t_1 of the plateau check
    std::vector<double> curve_msd;  ///< system-mean MSD over those windows
    double plateau_begin = 0.0, plateau_end = 0.0;  ///< window lengths of the plateau
    double plateau_growth = 0.0;    ///< relative growth over the second half
    double temperature_mean = 0.0;  ///< mean kinetic temperature over all samples
    double temperature_error = 0.0; ///< standard error of temperature_mean over runs (0 for one run)
    double velocity_temperature = 0.0;  ///< T_v the velocities were drawn at
    std::size_t runs = 0;
    std::size_t resumed_runs = 0;   ///< runs taken from a checkpoint
    double dt = 0.0;
    std::int64_t samples = 0;       ///< samples per run
};

}  // namespace amorph::analysis
