// libFuzzer target: amorph::io::read_poscar (3D and 2D) and a write -> read
// round trip. POSCAR has no ids and write_poscar groups atoms by species, so
// the round trip compares the atom count, the species counts, the cell and the
// positions of the atoms grouped the same way (stable by type).
#include "amorph/io/poscar.hpp"
#include "fuzz_common.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>
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
    // the atoms in the order written: by type, file order within a type
    std::vector<std::size_t> order(sys.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sys.types[a] < sys.types[b]; });
    amorph::system<D> grouped = back;
    for (std::size_t k = 0; k < order.size(); ++k) grouped.x(k) = sys.x(order[k]);
    grouped.velocities.resize(D, 0);
    if (const char* why = fuzz::same_state(grouped, back, false, fuzz::cell_form::as_given)) fuzz::finding(why);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string s(reinterpret_cast<const char*>(data), size);
    run<3>(s);
    run<2>(s);
    return 0;
}
