// libFuzzer target: protocol::read_checkpoint, the reader of `--checkpoint`
// files (md, quench, deform, msd...), on a 2D LJ NVE state of 24 atoms, the
// way a truncated or foreign checkpoint reaches it. A malformed file must be
// an amorph::error; an accepted one must leave a consistent system.
// The seed corpus is a real checkpoint (make_corpus: run with --make-corpus DIR).
#include "amorph/dynamics/force_field.hpp"
#include "amorph/dynamics/run.hpp"
#include "amorph/dynamics/velocity.hpp"
#include "amorph/dynamics/verlet.hpp"
#include "amorph/potential/presets.hpp"
#include "amorph/protocol/checkpoint.hpp"
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <unistd.h>

using namespace amorph;

namespace {

/// 24 atoms of the 2D LJ mixture on a jittered grid, with velocities.
amorph::system<2> start() {
    amorph::system<2> sys(amorph::box<2>(mat<2>::Identity() * 6.0), 24);
    sys.species = species_list::from_names({"S", "L"});
    sys.species[0].mass = sys.species[1].mass = 1.0;
    sys.units = &units::lj;
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(-0.05, 0.05);
    for (int i = 0; i < 24; ++i) {
        sys.x(static_cast<std::size_t>(i)) << (i % 6) + 0.5 + u(rng), 1.5 * (i / 6) + 0.5 + u(rng);
        sys.types[static_cast<std::size_t>(i)] = i % 3 == 0;
    }
    dynamics::create_velocities(sys, 0.3, 7);
    return sys;
}

auto force_field() { return dynamics::make_force_field<2>(potential::presets::lj2d_binary(), 0.3); }

std::filesystem::path scratch() {
    const std::filesystem::path shm("/dev/shm");
    const auto dir = std::filesystem::exists(shm) ? shm : std::filesystem::temp_directory_path();
    return dir / ("amorph_fuzz_ckpt_" + std::to_string(::getpid()));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    // --make-corpus DIR: write a real checkpoint of 20 steps there and exit
    for (int k = 1; k + 1 < *argc; ++k)
        if (std::strcmp((*argv)[k], "--make-corpus") == 0) {
            auto sys = start();
            auto ff = force_field();
            dynamics::md_state<dynamics::velocity_verlet<2>> st;
            const dynamics::velocity_verlet<2> nve;
            protocol::checkpointer<2> cp(std::filesystem::path((*argv)[k + 1]) / "nve.ckpt", 10);
            dynamics::run(sys, ff, nve, st, {.steps = 20, .dt = 0.005}, cp);
            std::exit(0);
        }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = scratch();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    auto sys = start();
    auto ff = force_field();
    dynamics::md_state<dynamics::velocity_verlet<2>> st;
    try {
        protocol::read_checkpoint(path, sys, ff, st);
    } catch (const amorph::error&) {
        return 0;
    }
    try {
        sys.validate();
    } catch (const amorph::error&) {
        fuzz::finding("a checkpoint restored an inconsistent system");
    }
    return 0;
}
