// Compiled by ctest (tests/dynamics/CMakeLists.txt) and expected to FAIL,
// naming the contract that is not met: a "minimizer" without iterate().
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/minimize.hpp>
#include <amorph/potential/cutoff.hpp>
#include <amorph/potential/lennard_jones.hpp>
#include <amorph/potential/pair.hpp>

#include <optional>

using namespace amorph;

struct not_a_minimizer {
    struct state {};
    template <class Ctx>
    state init(Ctx&) const {
        return {};
    }
    // no iterate(state&, ctx) -> std::optional<min_stop>
};

int main() {
    potential::pair_table<potential::lj_coeff> t(1);
    t.set(0, 0, {1, 1, 2.5});
    auto ff = dynamics::make_force_field<3>(potential::make_pair_potential(potential::shifted(potential::lennard_jones(t))), 0.3);
    amorph::system<3> sys;
    dynamics::minimize(sys, ff, not_a_minimizer{});
    return 0;
}
