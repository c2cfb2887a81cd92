// tests/fuzz/fuzz_common.hpp — shared checks of the amorph I/O fuzz targets.
//
// Each target parses the input as 3D and as 2D. A parse that throws an
// amorph::error is fine (malformed input). A parse that succeeds must give a
// consistent system, which must write without error (amorph::unsupported,
// "the format cannot hold this valid system", is allowed) and the written
// file must read back with the same atoms; anything else (another exception, a
// crash, a sanitizer report, a hang, an allocation over the RSS limit) is a
// finding.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace fuzz {

[[noreturn]] inline void finding(const char* what) {
    std::fprintf(stderr, "FUZZ FINDING: %s\n", what);
    std::abort();
}

/// read(istream&) -> system; write(ostream&, system).
template <int D, class Read, class Write>
void check(const std::string& input, Read read, Write write) {
    amorph::system<D> sys;
    try {
        std::istringstream in(input);
        sys = read(in);
    } catch (const amorph::error&) {
        return;
    }
    try {
        sys.validate();
    } catch (const amorph::error&) {
        finding("reader returned an inconsistent system");
    }
    std::ostringstream out;
    try {
        write(out, sys);  // may only refuse a system the format cannot hold
    } catch (const amorph::unsupported&) {
        return;
    }
    std::istringstream in2(out.str());
    const amorph::system<D> back = read(in2);  // must not throw
    if (back.size() != sys.size() || back.ids != sys.ids || back.types != sys.types)
        finding("write -> read changed the atoms");
}

}  // namespace fuzz
