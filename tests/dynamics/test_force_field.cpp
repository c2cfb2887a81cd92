// The force provider: list maintenance (rebuild, wrap, cell changes), the
// per type-pair trimmed list (same forces as the full list, also after the
// cell expands), and checkpoint save/load of the list.
#include "lammps_md.hpp"

#include <amorph/dynamics/force_field.hpp>
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
    CHECK(max_rel_diff<2>(r2.forces, r1.forces) < 1e-14);
    CHECK(std::abs(r2.energy - r1.energy) < 1e-13 * std::abs(r1.energy));
    CHECK((r2.virial - r1.virial).cwiseAbs().maxCoeff() < 1e-13 * r1.virial.cwiseAbs().maxCoeff());

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
