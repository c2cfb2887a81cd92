// The C++ side of bench/python/binding_overhead.py: the library calls the Python
// bindings make (amorph.voronoi, amorph.structure_functions), timed on the same
// file in a plain C++ program, so that the script can print the binding's
// overhead (argument and result conversion, the GIL release, the variant
// dispatch) as a ratio.
//
//   binding_reference FILE THREADS REPEATS CENTERS
//
// prints one JSON line: the first atom's volume and feature (the script checks
// the binding returns them) and the median wall seconds of voronoi(box, positions) over
// every atom and of compute_structure_functions(fan2020-3d) over the first
// CENTERS atoms (the call amorph.structure_functions(s, "fan2020-3d",
// centers=range(CENTERS)) makes), each over REPEATS calls after one warm-up.
#include "amorph/analysis/voronoi.hpp"
#include "amorph/descriptor/structure_functions.hpp"
#include "amorph/io/io.hpp"

#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace amorph;

namespace {

template <class F>
double median_seconds(int repeats, F&& f) {
    f();  // warm-up (page faults, TBB's arena)
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count());
    }
    std::nth_element(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(t.size() / 2), t.end());
    return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: binding_reference FILE THREADS REPEATS CENTERS\n");
        return 2;
    }
    const auto sys = io::read_system<3>(argv[1]);
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, std::stoul(argv[2]));
    const int repeats = std::stoi(argv[3]);
    std::vector<std::size_t> centers(std::min<std::size_t>(std::stoul(argv[4]), sys.size()));
    for (std::size_t i = 0; i < centers.size(); ++i) centers[i] = i;
    const auto settings = descriptor::presets::fan2020_3d();
    double first_volume = 0, first_sf = 0;
    const double voro = median_seconds(repeats, [&] { first_volume = analysis::voronoi(sys.box, sys.positions).volume[0]; });
    const double sf = median_seconds(repeats, [&] {
        first_sf = descriptor::compute_structure_functions(sys, settings, centers)(0, 0);
    });
    std::printf("{\"atoms\": %zu, \"voronoi_s\": %.6g, \"sf_s\": %.6g, \"sf_centers\": %zu, \"first_volume\": %.17g, "
                "\"first_sf\": %.17g}\n",
                sys.size(), voro, sf, centers.size(), first_volume, first_sf);
    return 0;
}
