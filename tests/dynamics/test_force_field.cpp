// The force provider: list maintenance (rebuild, wrap, cell changes), the
// per type-pair trimmed list (same forces as the full list, also after the
// cell expands), checkpoint save/load of the list, and any_force_field (a
// run-time potential behind one virtual call) against the concrete type.
#include "lammps_md.hpp"

#include <amorph/dynamics/any_force_field.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/verlet.hpp>
#include <amorph/dynamics/velocity.hpp>
#include <amorph/potential/compute.hpp>

#include <catch2/catch.hpp>

using namespace amorph;
using namespace amorph::dynamics;

namespace {
template <int D>
double max_rel_diff(const coords<D>& a, const coords<D>& b) {
    return (a - b).cwiseAbs().maxCoeff() / b.cwiseAbs().maxCoeff();
}

/// The trimmed list's result equals the full list's: forces, energy, virial.
void check_same(const potential::result<2>& trimmed, const potential::result<2>& full) {
    CHECK(max_rel_diff<2>(trimmed.forces, full.forces) < 1e-14);
    CHECK(std::abs(trimmed.energy - full.energy) < 1e-13 * std::abs(full.energy));
    CHECK((trimmed.virial - full.virial).cwiseAbs().maxCoeff() < 1e-13 * full.virial.cwiseAbs().maxCoeff());
}
}  // namespace

TEST_CASE("force_field: trimmed per type-pair list gives the full list's forces", "[dynamics][force_field]") {
    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    auto full = make_force_field<2>(test::lj2d_sf(), 0.3, {.prune = false});
    auto trim = make_force_field<2>(test::lj2d_sf(), 0.3);
    REQUIRE(trim.pruning());
    REQUIRE(!full.pruning());
    auto s1 = sys, s2 = sys;
    const auto& r1 = full.compute(s1);
    const auto& r2 = trim.compute(s2);
    CHECK(trim.pair_count() < 0.75 * full.pair_count());
    check_same(r2, r1);

    // expand the cell by 3 % without moving atoms relative to it: the
    // trimmed list must be rebuilt (a pair with a short cutoff could
    // otherwise be missed) and still agree with a fresh reference
    mat<2> F = mat<2>::Identity() * 1.03;
    s1.deform(F, true);
    s2.deform(F, true);
    const auto builds = trim.builds();
    const auto& q2 = trim.compute(s2);
    CHECK(trim.builds() == builds + 1);
    const auto ref = potential::compute(test::lj2d_sf(), s1);
    CHECK(max_rel_diff<2>(q2.forces, ref.forces) < 1e-13);
    // a small expansion is within the margin: no rebuild, still exact
    mat<2> G = mat<2>::Identity() * 1.001;
    s2.deform(G, true);
    s1.deform(G, true);
    const auto b2 = trim.builds();
    const auto& q3 = trim.compute(s2);
    CHECK(trim.builds() == b2);
    const double e3 = max_rel_diff<2>(q3.forces, potential::compute(test::lj2d_sf(), s1).forces);
    INFO("relative difference " << e3);
    CHECK(e3 < 1e-12);  // s2 was wrapped into the cell, s1 not: round-off of x_j - x_i
}

TEST_CASE("force_field: the trimmed list of a larger system (many parallel blocks) equals the full one's forces",
          "[dynamics][force_field]") {
    // the 500-atom liquid replicated 4 x 4: 8,000 atoms, eight blocks of the trimming passes
    const auto one = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    const auto n1 = static_cast<Eigen::Index>(one.size());
    amorph::system<2> sys(box<2>(mat<2>(one.box.h() * 4.0), one.box.origin()), one.size() * 16);
    sys.species = one.species;
    sys.units = one.units;
    for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b)
            for (Eigen::Index i = 0; i < n1; ++i) {
                const Eigen::Index k = (a * 4 + b) * n1 + i;
                sys.positions.col(k) = one.box.wrap(one.positions.col(i)) + one.box.h() * vec<2>(a, b);
                sys.types[static_cast<std::size_t>(k)] = one.types[static_cast<std::size_t>(i)];
            }
    auto full = make_force_field<2>(test::lj2d_sf(), 0.3, {.prune = false});
    auto trim = make_force_field<2>(test::lj2d_sf(), 0.3);
    auto s1 = sys, s2 = sys;
    const auto& r1 = full.compute(s1);
    const auto& r2 = trim.compute(s2);
    CHECK(trim.pair_count() < 0.75 * full.pair_count());
    check_same(r2, r1);
}

TEST_CASE("force_field: no trimming for single-cutoff potentials", "[dynamics][force_field]") {
    auto ff = make_force_field<3>(test::cuzr_eam(), 2.0);
    CHECK(!ff.pruning());
}

TEST_CASE("force_field: wraps atoms on rebuild, keeps image flags", "[dynamics][force_field]") {
    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    const auto unwrapped = sys.unwrapped_positions();
    sys.positions.col(0) += sys.box.h().col(0) * 2.0;  // far outside: same physics
    sys.image.col(0) -= Eigen::Vector2i(2, 0);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    ff.compute(sys);
    const auto s = sys.box.to_fractional(sys.positions.col(0));
    CHECK(s(0) >= 0.0);
    CHECK(s(0) < 1.0);
    CHECK((sys.unwrapped_positions() - unwrapped).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("force_field: save/load restores the same list and forces", "[dynamics][force_field]") {
    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    ff.compute(sys);
    sys.positions.array() += 0.05;  // moved, no rebuild needed
    const auto f1 = ff.compute(sys).forces;
    archive_writer w;
    ff.save(w);
    auto ff2 = make_force_field<2>(test::lj2d_sf(), 0.3);
    archive_reader r(w.payload());
    ff2.load(r);
    auto sys2 = sys;
    const auto& f2 = ff2.compute(sys2).forces;
    CHECK(f2 == f1);
    CHECK(ff2.pair_count() == ff.pair_count());
}

TEST_CASE("any_force_field: the run-time potential gives the concrete force field's numbers", "[dynamics][force_field]") {
    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    const auto pot = potential::make_potential(test::lj2d_sf_lammps(), 2);
    auto any = make_any_force_field<2>(pot, 0.3);
    auto ff = make_force_field<2>(test::lj2d_sf(), 0.3);
    static_assert(force_provider<any_force_field<2>, 2>);
    any.options().energy_per_atom = true;
    ff.options().energy_per_atom = true;
    auto s1 = sys, s2 = sys;
    const auto& ra = any.compute(s1);
    const auto& rc = ff.compute(s2);
    CHECK(ra.forces == rc.forces);
    CHECK(ra.energy == rc.energy);
    CHECK(ra.virial == rc.virial);
    CHECK(ra.energy_per_atom == rc.energy_per_atom);
    CHECK(&any.last() == &ra);
    CHECK(any.evaluations() == 1);
    CHECK(any.builds() == 1);
    CHECK(any.pair_count() == ff.pair_count());
    CHECK(any.skin() == 0.3);

    // 50 NVE steps through either: bitwise the same trajectory
    const velocity_verlet<2> nve;
    const step_context c{.dt = 0.005};
    auto st_a = nve.init(s1, any, c);
    auto st_c = nve.init(s2, ff, c);
    for (int k = 0; k < 50; ++k) {
        nve.step(st_a, s1, any, c);
        nve.step(st_c, s2, ff, c);
    }
    CHECK(s1.positions == s2.positions);
    CHECK(s1.velocities == s2.velocities);

    // a copy is a fresh force field of the same potential (its list is built
    // anew, so it equals a fresh concrete force field, not `any` with its older list)
    auto copy = any;
    CHECK(copy.evaluations() == 0);
    auto s3 = s1, s4 = s1;
    auto fresh = make_force_field<2>(test::lj2d_sf(), 0.3);
    CHECK(copy.compute(s3).forces == fresh.compute(s4).forces);
    // save/load restores the very list: bitwise the same forces
    archive_writer w;
    any.save(w);
    auto loaded = make_any_force_field<2>(pot, 0.3);
    archive_reader r(w.payload());
    loaded.load(r);
    CHECK(loaded.builds() == 0);  // rebuilt from the saved reference by the next compute (it has the types)
    archive_writer w2;  // saved again before that compute: the same reference
    loaded.save(w2);
    CHECK(w2.payload() == w.payload());
    auto s5 = s1;
    const auto f_any = any.compute(s1).forces;
    CHECK(loaded.compute(s5).forces == f_any);
    CHECK(loaded.builds() == 1);
    CHECK(loaded.pair_count() == any.pair_count());
}
