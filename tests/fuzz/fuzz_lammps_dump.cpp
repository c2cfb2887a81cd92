// libFuzzer target: amorph::io::dump_reader (all frames, 2D and 3D), frame
// counting, and a write -> read round trip of every frame.
#include "amorph/io/lammps_dump.hpp"
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>

template <int D>
static void run(const std::string& s) {
    // Stream every frame; after the first error stop (as a user would).
    try {
        std::istringstream in(s);
        amorph::io::dump_reader<D> rd(in, "fuzz.dump");
        amorph::io::frame<D> f;
        while (rd.next(f)) {
            std::ostringstream out;
            try {
                amorph::io::write_dump(out, f.system, {{}, f.timestep, false});
            } catch (const amorph::unsupported&) {
                continue;  // a valid system the format cannot hold
            }
            std::istringstream in2(out.str());
            amorph::io::frame<D> g;
            amorph::io::dump_reader<D> rd2(in2, "roundtrip.dump");
            try {
                if (!rd2.next(g)) fuzz::finding("written dump frame not found");
            } catch (const amorph::error& e) {
                std::fprintf(stderr, "%s\n", e.what());
                fuzz::finding("written dump frame does not read back");
            }
            if (g.system.ids != f.system.ids || g.system.types != f.system.types || g.timestep != f.timestep)
                fuzz::finding("dump write -> read changed the atoms");
            if (const char* why = fuzz::same_state(f.system, g.system, true, fuzz::cell_form::lammps)) fuzz::finding(why);
        }
    } catch (const amorph::error&) {
    }
    // Last frame through the seeking path.
    try {
        std::istringstream in(s);
        (void)amorph::io::read_dump<D>(in, "fuzz.dump", -1);
    } catch (const amorph::error&) {
    }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string s(reinterpret_cast<const char*>(data), size);
    run<3>(s);
    run<2>(s);
    try {
        std::istringstream in(s);
        (void)amorph::io::count_dump_frames(in, "fuzz.dump");
    } catch (const amorph::error&) {
    }
    return 0;
}
