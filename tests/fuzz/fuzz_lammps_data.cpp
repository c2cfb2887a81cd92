// libFuzzer target: amorph::io::read_lammps_data (2D and 3D) + write round trip.
#include "amorph/io/lammps_data.hpp"
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>

template <int D>
static void run(const std::string& s) {
    fuzz::check<D>(
        s, [](std::istream& in) { return amorph::io::read_lammps_data<D>(in, "fuzz.data"); },
        [](std::ostream& out, const amorph::system<D>& sys) { amorph::io::write_lammps_data(out, sys); },
        fuzz::cell_form::lammps_reduced);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string s(reinterpret_cast<const char*>(data), size);
    run<3>(s);
    run<2>(s);
    return 0;
}
