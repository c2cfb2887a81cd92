// libFuzzer target: amorph::io::extxyz_reader (all frames, 2D and 3D) and a
// write -> read round trip of every frame; also format detection.
#include "amorph/io/extxyz.hpp"
#include "amorph/io/io.hpp"
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>

template <int D>
static void run(const std::string& s) {
    try {
        std::istringstream in(s);
        amorph::io::extxyz_reader<D> rd(in, "fuzz.xyz");
        amorph::io::frame<D> f;
        while (rd.next(f)) {
            std::ostringstream out;
            try {
                amorph::io::write_extxyz(out, f.system);
            } catch (const amorph::unsupported&) {
                continue;  // a valid system the format cannot hold
            }
            std::istringstream in2(out.str());
            amorph::io::frame<D> g;
            amorph::io::extxyz_reader<D> rd2(in2, "roundtrip.xyz");
            try {
                if (!rd2.next(g)) fuzz::finding("written extxyz frame not found");
            } catch (const amorph::error& e) {
                std::fprintf(stderr, "%s\n", e.what());
                fuzz::finding("written extxyz frame does not read back");
            }
            if (g.system.ids != f.system.ids || g.system.size() != f.system.size())
                fuzz::finding("extxyz write -> read changed the atoms");
            if (const char* why = fuzz::same_state(f.system, g.system, true, fuzz::cell_form::as_given)) fuzz::finding(why);
        }
    } catch (const amorph::error&) {
    }
    try {
        std::istringstream in(s);
        (void)amorph::io::read_extxyz<D>(in, "fuzz.xyz", -1);
    } catch (const amorph::error&) {
    }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string s(reinterpret_cast<const char*>(data), size);
    run<3>(s);
    run<2>(s);
    try {
        std::istringstream in(s);
        (void)amorph::io::detect_format(in, "fuzz");
    } catch (const amorph::error&) {
    }
    return 0;
}
