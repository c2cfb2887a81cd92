// libFuzzer target: amorph::io::read_poscar (3D and 2D) and a write -> read
// round trip. POSCAR has no ids and write_poscar groups atoms by species, so
// the round trip compares the atom count, the species counts and the cell.
#include "amorph/io/poscar.hpp"
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>

template <int D>
static void run(const std::string& s) {
    amorph::system<D> sys;
    try {
        std::istringstream in(s);
        sys = amorph::io::read_poscar<D>(in, "fuzz.vasp");
    } catch (const amorph::error&) {
        return;
    }
    try {
        sys.validate();
    } catch (const amorph::error&) {
        fuzz::finding("reader returned an inconsistent system");
    }
    std::ostringstream out;
    try {
        amorph::io::write_poscar(out, sys);
    } catch (const amorph::unsupported&) {
        return;
    }
    std::istringstream in2(out.str());
    amorph::system<D> back;
    try {
        back = amorph::io::read_poscar<D>(in2, "roundtrip.vasp");
    } catch (const amorph::error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        fuzz::finding("written POSCAR does not read back");
    }
    auto nonempty = [](const amorph::system<D>& x) {
        std::vector<std::size_t> c;
        for (auto k : x.type_counts())
            if (k) c.push_back(k);
        return c;
    };
    if (back.size() != sys.size() || nonempty(back) != nonempty(sys) || !(back.box.h() == sys.box.h()))
        fuzz::finding("POSCAR write -> read changed the atoms or the cell");
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string s(reinterpret_cast<const char*>(data), size);
    run<3>(s);
    run<2>(s);
    return 0;
}
