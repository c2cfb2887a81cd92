// A child process for the checkpoint tests: 2D LJ NPT (Nose-Hoover chains and
// MTK barostat, so thermostat, barostat and cell are all part of the state).
//   checkpoint_child fresh|resume CHECKPOINT OUTPUT STEPS EVERY KILL_AT THREADS
// fresh: start from the fixture, checkpoint every EVERY steps, SIGKILL itself
// after step KILL_AT (-1: never); resume: continue from CHECKPOINT. At the end
// the complete run state is written to OUTPUT (raw bytes, compared bitwise),
// and the first step this process observed to OUTPUT.begin. In resume
// mode the fixture is perturbed before the checkpoint is read, so that a
// restore that restored nothing cannot repeat the reference.
#include "../dynamics/lammps_md.hpp"

#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/nose_hoover.hpp>
#include <amorph/dynamics/run.hpp>
#include <amorph/protocol/checkpoint.hpp>

#include <tbb/global_control.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace amorph;
using namespace amorph::dynamics;

int main(int argc, char** argv) {
    if (argc != 8) {
        std::fprintf(stderr, "usage: %s fresh|resume CHECKPOINT OUTPUT STEPS EVERY KILL_AT THREADS\n", argv[0]);
        return 2;
    }
    const std::string mode = argv[1];
    const std::string ckpt = argv[2], out = argv[3];
    const long steps = std::atol(argv[4]), every = std::atol(argv[5]), kill_at = std::atol(argv[6]);
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(std::atol(argv[7])));
    try {
        auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
        auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
        const nose_hoover<2> nh(npt(0.4, 0.35, 0.5, barostat_params::iso(4.0, 3.0, 2.0)));
        md_state<nose_hoover<2>> st;
        if (mode == "resume") {
            // perturb the fixture first: a restore that did nothing would then
            // not repeat the reference run
            sys.positions.array() += 0.01;
            protocol::read_checkpoint(ckpt, sys, ff, st);
        }
        protocol::checkpointer<2> cp(ckpt, every);
        long begin = -1;
        auto killer = on_step<2>([&](const observation<2>& o) {
            if (begin < 0) begin = static_cast<long>(o.step);
            if (o.step == kill_at) std::raise(SIGKILL);
        });
        run(sys, ff, nh, st, {.steps = steps, .dt = 0.005}, cp, killer);
        archive_writer w;
        save_run(w, sys, ff, st);
        w.put(ff.last().energy);
        w.put(ff.last().forces);
        std::ofstream(out, std::ios::binary) << w.payload();
        std::ofstream(out + ".begin") << begin;  // the first step this process observed
    } catch (const std::exception& e) {
        std::fprintf(stderr, "checkpoint_child: %s\n", e.what());
        return 1;
    }
    return 0;
}
