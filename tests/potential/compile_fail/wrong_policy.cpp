// Compiled by ctest with -DCASE=N and expected to FAIL with a readable
// static_assert message (see tests/potential/CMakeLists.txt). Each case is a
// mistake a user can make when composing potentials.
#include <amorph/neighbor/verlet_list.hpp>
#include <amorph/potential/compute.hpp>
#include <amorph/potential/cutoff.hpp>
#include <amorph/potential/lennard_jones.hpp>
#include <amorph/potential/pair.hpp>
#include <amorph/potential/stillinger_weber.hpp>

using namespace amorph;
using namespace amorph::potential;

int main() {
    amorph::system<3> sys;
    pair_table<lj_coeff> t(1);
    t.set(0, 0, {1, 1, 2.5});
#if CASE == 1
    // a bare pair function without a cutoff treatment
    pair_potential<lennard_jones> p{lennard_jones(t)};
    (void)p;
#elif CASE == 2
    // something that is not a potential at all
    compute(42, sys);
#elif CASE == 3
    // a pair potential on a full list
    auto p = make_pair_potential(shifted(lennard_jones(t)));
    neighbor::verlet_list<3, neighbor::full_t> nl(2.5);
    compute(p, sys, nl);
#elif CASE == 4
    // Stillinger-Weber on a half list
    auto p = stillinger_weber::from_file("Si.sw", {"Si"});
    neighbor::verlet_list<3, neighbor::half_t> nl(4.0);
    compute(p, sys, nl);
#elif CASE == 5
    // a cutoff treatment around something that is not a pair function
    truncated<double> p(1.0);
    (void)p;
#elif CASE == 6
    // a pair kernel passed where a potential is expected
    compute(shifted(lennard_jones(t)), sys);
#else
    static_assert(CASE == 0, "unknown case");
#endif
    return 0;
}
