// aqs_lj2d — the AQS benchmark of issue 5: 2D binary LJ glass (Falk-Langer,
// shifted force = LAMMPS lj/smooth/linear, skin 0.3), xy simple shear steps of
// DGAMMA, each minimized to ||F||_2 < 1e-8 (maxiter 10000, maxeval 100000), as
// shared/peers/lammps/lj2d/in.lj2d_aqs (`-var minstyle cg -var pot sf`) does
// with LAMMPS. Runs protocol::aqs (no start relaxation, as the LAMMPS script)
// and prints one line per strain step and a total: force evaluations, wall
// and process CPU time. Not a test; the LAMMPS side is compare_lammps_aqs.sh.
//   bench_aqs_lj2d DATA NSTEPS METHOD [DGAMMA] [THREADS]
//   METHOD: cg | cg-backtrack | fire | lbfgsM | lbfgsM-warm (M = memory),
//           optionally "+extrap" (nonaffine predictor, aqs_options::extrapolate)
#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/fire.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/lbfgs.hpp>
#include <amorph/io/lammps_data.hpp>
#include <amorph/potential/cutoff.hpp>
#include <amorph/potential/lennard_jones.hpp>
#include <amorph/potential/pair.hpp>
#include <amorph/protocol/aqs.hpp>

#include <tbb/global_control.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

using namespace amorph;

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s DATA NSTEPS METHOD [DGAMMA] [THREADS]\n", argv[0]);
        return 2;
    }
    const std::string data = argv[1], method = argv[3];
    const int nsteps = std::atoi(argv[2]);
    const double dgamma = argc > 4 ? std::atof(argv[4]) : 1e-4;
    const auto threads = argc > 5 ? static_cast<std::size_t>(std::atoi(argv[5])) : 1;
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);

    auto sys = io::read_lammps_data<2>(data);
    sys.units = &units::lj;
    sys.velocities.resize(2, 0);
    const double pi = std::acos(-1.0);
    const double sss = 2 * std::sin(pi / 10), sll = 2 * std::sin(pi / 5);
    potential::pair_table<potential::lj_coeff> t(2);
    t.set(0, 0, {0.5, sss, 2.5 * sss});
    t.set(1, 1, {0.5, sll, 2.5 * sll});
    t.set(0, 1, {1.0, 1.0, 2.5});
    auto ff = dynamics::make_force_field<2>(
        potential::make_pair_potential(potential::shifted_force(potential::lennard_jones(t))), 0.3);

    protocol::aqs_options<2> opt;
    opt.dstrain = dgamma;
    opt.max_strain = dgamma * nsteps;
    opt.relax_start = false;
    opt.minimize.ftol = 1e-8;
    opt.minimize.etol = 0.0;
    opt.minimize.max_iterations = 10000;
    opt.minimize.max_evaluations = 100000;
    opt.extrapolate = method.find("+extrap") != std::string::npos;
    opt.on_step = [&](const protocol::aqs_step& s) {
        if (s.step == 0) return;
        std::printf("AQS %s %zu gamma %.6f pe/N %.12f pxy %.8f fnorm %.3e iter %zu evals %zu (%s) %.0f ms\n",
                    method.c_str(), s.step, s.strain, s.pe / static_cast<double>(sys.size()), s.pressure(0, 1), s.fnorm,
                    s.iterations, s.evaluations, s.stop.c_str(), 1e3 * s.seconds);
        std::fflush(stdout);
    };
    const std::string base = method.substr(0, method.find('+'));
    const auto def = protocol::simple_shear_xy<2>();
    const std::clock_t c0 = std::clock();
    protocol::aqs_result r;
    if (base == "cg") r = protocol::aqs(sys, ff, dynamics::conjugate_gradient<2>{}, def, opt);
    else if (base == "cg-backtrack")
        r = protocol::aqs(sys, ff, dynamics::conjugate_gradient<2>({dynamics::line_search::backtrack}), def, opt);
    else if (base == "fire") r = protocol::aqs(sys, ff, dynamics::fire<2>{}, def, opt);
    else if (base.rfind("lbfgs", 0) == 0) {
        dynamics::lbfgs_options lo;
        lo.memory = std::atoi(base.c_str() + 5);
        if (lo.memory <= 0) lo.memory = 10;
        lo.warm_start = base.find("warm") != std::string::npos;
        r = protocol::aqs(sys, ff, dynamics::lbfgs<2>(lo), def, opt);
    } else {
        std::fprintf(stderr, "unknown method %s\n", method.c_str());
        return 2;
    }
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    double wall = 0;
    std::size_t conv = 0;
    for (const auto& s : r.steps)
        if (s.step > 0) {
            wall += s.seconds;
            conv += s.converged ? 1 : 0;
        }
    std::printf("TOTAL %s steps %d threads %zu evals %zu (%.1f per step) converged %zu/%d wall %.1f s cpu %.1f s (%.3f ms cpu/eval)\n",
                method.c_str(), nsteps, threads, r.evaluations, static_cast<double>(r.evaluations) / nsteps, conv, nsteps,
                wall, cpu, 1e3 * cpu / static_cast<double>(r.evaluations));
}
