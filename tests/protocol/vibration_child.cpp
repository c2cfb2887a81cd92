// A child process for the MSD-ensemble checkpoint test (2D LJ glass, 7 runs
// in batches of 2).
//   vibration_child fresh|resume|other CHECKPOINT OUTPUT KILL_AFTER THREADS
// fresh: start afresh (checkpoint after every batch), SIGKILL itself once
// KILL_AFTER runs are finished (-1: never); resume: continue from CHECKPOINT;
// other: resume with another seed (must be refused: exit status 3). The
// result is written to OUTPUT as raw bytes, compared bitwise, and the number
// of finished runs after this process's first batch to OUTPUT.first (a resumed
// run counts the restored runs).
#include "vibration_common.hpp"

#include <amorph/dynamics/force_field.hpp>
#include <amorph/protocol/vibration.hpp>

#include <tbb/global_control.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace amorph;

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s fresh|resume|other CHECKPOINT OUTPUT KILL_AFTER THREADS\n", argv[0]);
        return 2;
    }
    const std::string mode = argv[1];
    const long kill_after = std::atol(argv[4]);
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                static_cast<std::size_t>(std::atol(argv[5])));
    try {
        auto glass = test::read_fixture<2>("lj2d_glass.data", units::lj);
        auto ff = dynamics::make_force_field<2>(test::lj2d_sf(), 0.3);
        protocol::msd_options o;
        o.temperature = 0.05;
        o.runs = 7;
        o.batch = 2;
        o.steps = 200;
        o.sample_every = 2;
        o.plateau_tolerance = 1.0;  // short runs: not a plateau test
        o.checkpoint = argv[2];
        o.resume = mode != "fresh";
        if (mode == "other") o.seed += 1;
        long first_done = -1;
        o.progress = [&](std::size_t done, std::size_t) {
            if (first_done < 0) first_done = static_cast<long>(done);
            if (static_cast<long>(done) == kill_after) std::raise(SIGKILL);
        };
        const auto r = protocol::vibrational_msd(glass, ff, o);
        dynamics::archive_writer w;
        w.put(r.ids);
        w.put(r.msd);
        w.put(r.fabric);
        w.put(r.run_mean);
        w.put(r.curve_msd);
        w.put(r.temperature_mean);
        std::ofstream(argv[3], std::ios::binary) << w.payload();
        std::ofstream(std::string(argv[3]) + ".first") << first_done;  // runs finished at the first batch here
    } catch (const amorph::invalid_argument& e) {
        std::fprintf(stderr, "vibration_child: %s\n", e.what());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vibration_child: %s\n", e.what());
        return 1;
    }
    return 0;
}
