// MSD-ensemble benchmark (issue 9 "Performance"): a plain executable, since
// one measurement is seconds to minutes.
//
//   bench_vibration_ensemble [RUNS=4] [STEPS=200] [SYSTEM=all|si|cuzr|cuzr32k]
//
// Systems (all = si and cuzr):
//   si       SW Si (Si.sw), diamond 8^3 cells (4,096 atoms), 300 K, dt 1 fs,
//            skin 1.0 A
//   cuzr     Cu50Zr50 (CuZr_mm.eam.fs), tests/dynamics/data/cuzr_glass.data
//            (1,024 atoms) replicated 2 x 2 x 1 (4,096 atoms), 50 K, dt 1 fs,
//            skin 2.0 A
//   cuzr32k  the same glass replicated 4 x 4 x 2 (32,768 atoms), the issue's
//            32,000-atom case
// For each: one single NVE run of STEPS steps with 1 and 2 threads (the
// force loop's own parallelism), then the ensemble of RUNS runs x STEPS steps
// with 1 thread and with 2 threads (runs in parallel batches). Printed: wall
// and process CPU seconds, atom-steps per wall second, and the parallel
// efficiency over runs = t_ensemble(1 thread) / (2 t_ensemble(2 threads)).
// The plateau check is disabled (short runs are not a measurement).
//
// Measured (2 threads, quiet host, 2026-12-02): si 100 x 200: 26.9 s wall,
// 3.05e6 atom-steps/s (single run 2.58e6), efficiency 1.03; cuzr32k 100 x 20:
// 129.6 s, 5.06e5 atom-steps/s (single run 4.15e5), efficiency 1.05.
#include "amorph/core/lattice.hpp"
#include "amorph/dynamics/force_field.hpp"
#include "amorph/dynamics/velocity.hpp"
#include "amorph/dynamics/verlet.hpp"
#include "amorph/io/lammps_data.hpp"
#include "amorph/potential/eam.hpp"
#include "amorph/potential/stillinger_weber.hpp"
#include "amorph/protocol/vibration.hpp"

#include <tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

using namespace amorph;

namespace {

amorph::system<3> si_diamond(int n, double a) {
    return make_crystal(lattices::diamond(a), {n, n, n}, species_list::from_names({"Si"}));
}

amorph::system<3> replicate(const amorph::system<3>& s, int nx, int ny, int nz) {
    const mat<3> h = s.box.h();
    mat<3> h2 = h;
    h2.col(0) *= nx;
    h2.col(1) *= ny;
    h2.col(2) *= nz;
    const std::size_t n = s.size();
    amorph::system<3> out(box<3>(h2, s.box.origin()), n * static_cast<std::size_t>(nx * ny * nz));
    out.species = s.species;
    out.units = s.units;
    std::size_t k = 0;
    for (int a = 0; a < nx; ++a)
        for (int b = 0; b < ny; ++b)
            for (int c = 0; c < nz; ++c)
                for (std::size_t i = 0; i < n; ++i, ++k) {
                    const auto ki = static_cast<Eigen::Index>(k), ii = static_cast<Eigen::Index>(i);
                    out.positions.col(ki) = s.positions.col(ii) + h * vec<3>(a, b, c);
                    out.types[k] = s.types[i];
                    out.ids[k] = static_cast<std::int64_t>(k + 1);
                }
    return out;
}

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

struct timing {
    double wall = 0, cpu = 0;
};

template <class F>
timing timed(F&& f) {
    const double c0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), cpu_seconds() - c0};
}

template <class FF>
void bench(const char* name, const amorph::system<3>& sys, const FF& ff, double T, std::size_t runs,
           std::int64_t steps) {
    const double n_as = static_cast<double>(sys.size()) * static_cast<double>(steps);
    for (int th : {1, 2}) {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(th));
        const auto t = timed([&] {
            amorph::system<3> s = sys;
            FF f(ff);
            dynamics::create_velocities(s, T, 1);
            dynamics::md_state<dynamics::velocity_verlet<3>> st;
            protocol::detail::no_observer<3> none;
            dynamics::run(s, f, dynamics::velocity_verlet<3>{}, st, {.steps = steps, .dt = 0.001}, none);
        });
        std::printf("%-7s single run      threads %d: wall %8.3f s  cpu %8.3f s  %10.4g atom-steps/s\n", name, th,
                    t.wall, t.cpu, n_as / t.wall);
    }
    protocol::msd_options o;
    o.temperature = T;
    o.runs = runs;
    o.steps = steps;
    o.sample_every = 1;
    o.dt = 0.001;
    o.start = protocol::vibration_start::thermal;
    o.plateau_tolerance = 1e9;
    double w1 = 0;
    for (int th : {1, 2}) {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(th));
        double mean = 0;
        const auto t = timed([&] { mean = protocol::vibrational_msd(sys, ff, o).mean; });
        if (th == 1) w1 = t.wall;
        std::printf("%-7s ensemble %zu runs threads %d: wall %8.3f s  cpu %8.3f s  %10.4g atom-steps/s  (MSD %.5g)\n",
                    name, runs, th, t.wall, t.cpu, n_as * static_cast<double>(runs) / t.wall, mean);
        if (th == 2) std::printf("%-7s parallel efficiency over runs (1 -> 2 threads): %.2f\n", name, w1 / (2 * t.wall));
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t runs = argc > 1 ? static_cast<std::size_t>(std::atol(argv[1])) : 4;
    const std::int64_t steps = argc > 2 ? std::atol(argv[2]) : 200;
    const std::string which = argc > 3 ? argv[3] : "all";
    std::printf("MSD ensemble benchmark: %zu runs x %lld steps (dt 1 fs)\n", runs, static_cast<long long>(steps));
    if (which == "all" || which == "si") {
        auto si = si_diamond(8, 5.431);
        auto ff = dynamics::make_force_field<3>(
            potential::stillinger_weber::from_file("/usr/share/lammps/potentials/Si.sw", {"Si"}), 1.0);
        bench("si", si, ff, 300.0, runs, steps);
    }
    if (which == "all" || which == "cuzr" || which == "cuzr32k") {
        auto g = io::read_lammps_data<3>(std::string(AMORPH_SOURCE_DIR) + "/tests/dynamics/data/cuzr_glass.data");
        const bool big = which == "cuzr32k";
        auto s = big ? replicate(g, 4, 4, 2) : replicate(g, 2, 2, 1);
        auto pot = potential::eam::fs("/usr/share/lammps/potentials/CuZr_mm.eam.fs", {"Cu", "Zr"});
        auto ff = dynamics::make_force_field<3>(pot, 2.0);
        std::printf("cuzr: %zu atoms\n", s.size());
        bench(big ? "cuzr32k" : "cuzr", s, ff, 50.0, runs, steps);
    }
    return 0;
}
