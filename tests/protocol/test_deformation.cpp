// Tests of protocol/deformation.hpp: the loading gradients, Table 5.1
// orientations, LAMMPS's change_box xy delta arithmetic, rotations.
#include <amorph/core/lammps_cell.hpp>
#include <amorph/protocol/deformation.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <tuple>

using namespace amorph;

TEST_CASE("deformation: the 24 orientations of Table 5.1 are distinct orthonormal shear pairs", "[deformation]") {
    std::set<std::tuple<long, long, long, long, long, long>> seen;
    for (int K = 1; K <= 24; ++K) {
        const auto d = protocol::orientation(K);
        CHECK(d.direction.norm() == Approx(1.0));
        CHECK(d.normal.norm() == Approx(1.0));
        CHECK(std::abs(d.direction.dot(d.normal)) < 1e-15);
        auto q = [](double v) { return std::lround(v * 1e6); };
        seen.insert({q(d.direction(0)), q(d.direction(1)), q(d.direction(2)), q(d.normal(0)), q(d.normal(1)), q(d.normal(2))});
        // simple shear is isochoric and F(g) = I + g iota eta^T
        CHECK(d.gradient(0.3).determinant() == Approx(1.0));
    }
    CHECK(seen.size() == 24);
    CHECK(protocol::orientation(1).direction == vec<3>(1, 0, 0));
    CHECK(protocol::orientation(1).normal == vec<3>(0, 1, 0));
    CHECK(protocol::orientation(7).direction.isApprox(vec<3>(1, 1, 0).normalized()));
    CHECK_THROWS_AS(protocol::orientation(0), amorph::invalid_argument);
    CHECK_THROWS_AS(protocol::orientation(25), amorph::invalid_argument);
    CHECK_THROWS_AS(protocol::simple_shear<3>(vec<3>(1, 0, 0), vec<3>(1, 1, 0)), amorph::invalid_argument);
}

TEST_CASE("deformation: xy simple shear steps reproduce LAMMPS's xy += dgamma ly bit for bit", "[deformation]") {
    amorph::system<2> s(box<2>::orthogonal(vec<2>(-1, 2), vec<2>(30.5, 27.25)), 2);
    s.x(0) = vec<2>(3, 4);
    s.x(1) = vec<2>(10, 20);
    const auto def = protocol::simple_shear_xy<2>();
    const double dg = 1e-4, ly = 27.25 - 2;
    double xy = 0;
    for (int k = 1; k <= 300; ++k) {
        protocol::apply_strain(s, def, (k - 1) * dg, dg);
        xy += dg * ly;
    }
    CHECK(s.box.h()(0, 1) == xy);
    CHECK(s.box.h()(1, 1) == ly);
    CHECK(to_lammps(s.box).bounds.xy == xy);
    // the atoms moved with the cell: same fractional coordinates
    CHECK((s.box.to_fractional(s.x(1)) - box<2>::orthogonal(vec<2>(-1, 2), vec<2>(30.5, 27.25)).to_fractional(vec<2>(10, 20)))
              .norm() < 1e-12);
    // negative shear
    CHECK(protocol::simple_shear_xy<2>(-1).gradient(0.1)(0, 1) == Approx(-0.1));
}

TEST_CASE("deformation: pure shear and tension gradients, steps compose to the total", "[deformation]") {
    const auto ps = protocol::pure_shear_xy<2>(1);
    CHECK(ps.gradient(0.2).determinant() == Approx(1.0));
    CHECK(ps.gradient(0.2)(0, 0) == Approx(1.2));
    const auto ms = protocol::pure_shear_xy<2>(-1);
    CHECK(ms.gradient(0.2)(1, 1) == Approx(1.2));
    const auto te = protocol::tension<3>(1, true);
    CHECK(te.lateral_relaxation());
    CHECK(te.lateral_axes() == std::array<bool, 3>{true, false, true});
    CHECK(te.gradient(0.1)(1, 1) == Approx(1.1));
    CHECK(te.gradient(0.1).determinant() == Approx(1.1));
    amorph::system<3> s(box<3>::orthogonal(vec<3>::Zero(), vec<3>(10, 11, 12)), 1);
    const mat<3> h0 = s.box.h();
    const auto ps3 = protocol::pure_shear<3>(vec<3>(0, 0, 1), vec<3>(1, 0, 0));
    for (int k = 1; k <= 50; ++k) protocol::apply_strain(s, ps3, (k - 1) * 0.002, 0.002);
    CHECK((s.box.h() - ps3.gradient(0.1) * h0).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("deformation: rotating a sample and its loading commute", "[deformation]") {
    const mat<3> R = Eigen::AngleAxisd(0.4, vec<3>(1, -1, 2).normalized()).toRotationMatrix();
    amorph::system<3> a(box<3>::orthogonal(vec<3>::Zero(), vec<3>(10, 11, 12)), 2);
    a.x(0) = vec<3>(1, 2, 3);
    a.x(1) = vec<3>(7, 5, 9);
    auto b = a;
    const auto def = protocol::orientation(17);
    protocol::apply_strain(a, def, 0, 0.05);
    protocol::rotate(a, R);
    protocol::rotate(b, R);
    protocol::apply_strain(b, def.rotated(R), 0, 0.05);
    CHECK((a.box.h() - b.box.h()).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((a.positions - b.positions).cwiseAbs().maxCoeff() < 1e-12);
    CHECK_THROWS_AS(protocol::rotate(a, mat<3>(-R)), amorph::invalid_argument);
}
