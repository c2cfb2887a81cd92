#include "amorph/core/system.hpp"

#include <catch2/catch.hpp>

using namespace amorph;

TEST_CASE("system arrays grow together and keep ids", "[core][system]") {
    amorph::system<3> s(box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(10.0)), 3);
    s.species = species_list::from_names({"Cu", "Zr"});
    s.enable_velocities();
    s.set_property("pe", {1.0, 2.0, 3.0});
    s.resize(5);
    CHECK(s.size() == 5);
    CHECK(s.velocities.cols() == 5);
    CHECK(s.ids == std::vector<std::int64_t>{1, 2, 3, 4, 5});
    CHECK(s.find_property("pe")->values.size() == 5);
    CHECK_NOTHROW(s.validate());
    s.ids[4] = 1;
    CHECK_THROWS_AS(s.validate(), invalid_argument);
}

TEST_CASE("permute and sort_by_id move every per-atom array", "[core][system]") {
    amorph::system<2> s(box<2>::orthogonal(vec<2>::Zero(), vec<2>(4, 4)), 3);
    s.species = species_list::numbered(2);
    s.ids = {30, 10, 20};
    s.types = {1, 0, 1};
    s.positions << 3, 1, 2, 0.3, 0.1, 0.2;
    s.enable_charges();
    s.charges = {-3, -1, -2};
    s.set_property("q", {300, 100, 200});
    s.sort_by_id();
    CHECK(s.ids == std::vector<std::int64_t>{10, 20, 30});
    CHECK(s.types == std::vector<int>{0, 1, 1});
    CHECK(s.positions(0, 0) == 1);
    CHECK(s.positions(1, 2) == 0.3);
    CHECK(s.charges == std::vector<double>{-1, -2, -3});
    CHECK(s.find_property("q")->values == std::vector<double>{100, 200, 300});
    const auto idx = s.index_of_ids();
    CHECK(idx.at(30) == 2);
}

TEST_CASE("wrap_positions keeps unwrapped positions", "[core][system]") {
    mat<3> h;
    h << 3, 1, 0.5, 0, 3, 0.7, 0, 0, 3;
    amorph::system<3> s(box<3>(h), 4);
    s.positions << -1, 5, 2, 9, 0.5, -4, 1, 8, 7, 0, -0.1, 3;
    const coords<3> before = s.positions;
    s.wrap_positions();
    CHECK((s.unwrapped_positions() - before).norm() < 1e-12);
}

TEST_CASE("affine deformation with and without remap", "[core][system]") {
    amorph::system<2> s(box<2>::orthogonal(vec<2>::Zero(), vec<2>(2, 2)), 1);
    s.positions.col(0) = vec<2>(1.0, 2.0);
    mat<2> F = mat<2>::Identity();
    F(0, 1) = 0.5;
    amorph::system<2> kept = s;
    s.deform(F, true);
    CHECK(s.positions(0, 0) == Approx(1.5));  // x' = c + F (x - c), c = (1, 1)
    kept.deform(F, false);
    CHECK(kept.positions(0, 0) == 1.0);
    CHECK(kept.box.h()(0, 1) == Approx(1.0));
}

TEST_CASE("replicate: LAMMPS's id order, unwrapped positions kept, per-atom data copied", "[core][system]") {
    mat<2> h;
    h << 2, 0.5, 0, 3;
    amorph::system<2> s(box<2>(h, vec<2>(1, -1)), 2);
    s.ids = {4, 7};
    s.species = species_list::from_names({"A", "B"});
    s.types = {1, 0};
    s.positions << 1.5, 2.6, 0.5, 1.0;
    s.enable_image();
    s.image(0, 1) = -1;  // atom 7 unwrapped one cell to the left
    s.charges = {0.5, -0.5};
    s.set_property("c", {10, 20});
    s.enable_velocities();
    s.velocities.col(1) = vec<2>(3, 4);
    const auto r = replicate(s, {3, 2});
    REQUIRE(r.size() == 12);
    CHECK(r.box.h() == h * vec<2>(3, 2).asDiagonal().toDenseMatrix());
    CHECK(r.box.origin() == s.box.origin());
    const coords<2> u = r.unwrapped_positions(), u0 = s.unwrapped_positions();
    for (int j = 0; j < 2; ++j)
        for (int i = 0; i < 3; ++i)
            for (std::size_t a = 0; a < 2; ++a) {
                const std::size_t k = static_cast<std::size_t>(j * 3 + i) * 2 + a;
                CHECK(r.ids[k] == s.ids[a] + (j * 3 + i) * 7);  // + copy x max id, i fastest
                CHECK(r.types[k] == s.types[a]);
                CHECK(r.charges[k] == s.charges[a]);
                CHECK(r.find_property("c")->values[k] == s.find_property("c")->values[a]);
                CHECK(r.velocities.col(static_cast<Eigen::Index>(k)) == s.velocities.col(static_cast<Eigen::Index>(a)));
                const vec<2> want = u0.col(static_cast<Eigen::Index>(a)) + h * vec<2>(i, j);
                CHECK((u.col(static_cast<Eigen::Index>(k)) - want).norm() < 1e-12);
                const vec<2> f = r.box.to_fractional(r.positions.col(static_cast<Eigen::Index>(k)));
                CHECK((f.array() >= 0).all());
                CHECK((f.array() < 1).all());
            }
    CHECK_THROWS_AS(replicate(s, {0, 1}), invalid_argument);
}
