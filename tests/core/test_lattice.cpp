// Crystal builders (core/lattice.hpp): atom counts, densities and the
// nearest-neighbor shells of each lattice, by brute force over minimum images.
#include "amorph/core/lattice.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace amorph;

namespace {

/// Distances (rounded to 1e-9) from atom 0 to every other atom: count per distance.
template <int D>
std::map<double, int> shells(const amorph::system<D>& s) {
    std::map<double, int> out;
    for (std::size_t j = 1; j < s.size(); ++j) {
        const vec<D> d = s.box.minimum_image(vec<D>(s.positions.col(static_cast<Eigen::Index>(j)) - s.positions.col(0)));
        out[std::round(d.norm() * 1e9) / 1e9] += 1;
    }
    return out;
}

template <int D>
std::pair<double, int> first_shell(const amorph::system<D>& s) {
    const auto m = shells(s);
    return *m.begin();
}

}  // namespace

TEST_CASE("lattice: cubic crystals have their atom counts and first shells", "[core]") {
    const double a = 3.6;
    struct expect {
        lattice<3> l;
        std::size_t per_cell;
        double r1;
        int z1;
    };
    const std::vector<expect> cases{{lattices::sc(a), 1, a, 6},
                                    {lattices::bcc(a), 2, a * std::sqrt(3.0) / 2, 8},
                                    {lattices::fcc(a), 4, a / std::sqrt(2.0), 12},
                                    {lattices::diamond(a), 8, a * std::sqrt(3.0) / 4, 4}};
    for (const auto& c : cases) {
        const auto s = make_crystal(c.l, {4, 4, 4}, species_list::from_names({"Cu"}));
        INFO("basis of " << c.per_cell);
        REQUIRE(s.size() == 64 * c.per_cell);
        CHECK(s.box.volume() == Approx(64 * a * a * a).epsilon(1e-14));
        CHECK(s.ids.front() == 1);
        CHECK(s.ids.back() == static_cast<std::int64_t>(s.size()));
        const auto [r1, z1] = first_shell(s);
        CHECK(r1 == Approx(c.r1).epsilon(1e-9));
        CHECK(z1 == c.z1);
        // every atom inside the box
        const coords<3> f = s.box.h_inv() * s.positions;
        CHECK(f.minCoeff() >= 0.0);
        CHECK(f.maxCoeff() < 1.0);
    }
}

TEST_CASE("lattice: B2 has two types, each atom with 8 of the other", "[core]") {
    const auto s = make_crystal(lattices::b2(3.2), {3, 3, 3}, species_list::from_names({"Cu", "Zr"}));
    REQUIRE(s.size() == 54);
    CHECK(std::count(s.types.begin(), s.types.end(), 1) == 27);
    int unlike = 0;
    for (std::size_t j = 1; j < s.size(); ++j) {
        const vec<3> d = s.box.minimum_image(vec<3>(s.positions.col(static_cast<Eigen::Index>(j)) - s.positions.col(0)));
        if (std::abs(d.norm() - 3.2 * std::sqrt(3.0) / 2) < 1e-9) unlike += s.types[j] != s.types[0];
    }
    CHECK(unlike == 8);
}

TEST_CASE("lattice: the triangular lattice has six neighbors at a in a non-square box", "[core]") {
    const auto s = make_crystal(lattices::triangular(1.1), {6, 4}, species_list::from_names({"A"}));
    REQUIRE(s.size() == 48);
    CHECK(s.box.h()(0, 0) == Approx(6.6));
    CHECK(s.box.h()(1, 1) == Approx(4 * std::sqrt(3.0) * 1.1));
    const auto [r1, z1] = first_shell(s);
    CHECK(r1 == Approx(1.1).epsilon(1e-9));
    CHECK(z1 == 6);
    const auto q = make_crystal(lattices::square(2.0), {3, 5}, species_list::from_names({"A"}));
    CHECK(q.size() == 15);
    CHECK(first_shell(q) == std::pair<double, int>{2.0, 4});
}

TEST_CASE("lattice: bad input is refused", "[core]") {
    CHECK_THROWS_AS(make_crystal(lattices::b2(3.0), {2, 2, 2}, species_list::from_names({"Cu"})), invalid_argument);
    CHECK_THROWS_AS(make_crystal(lattices::fcc(3.0), {2, 0, 2}, species_list::from_names({"Cu"})), invalid_argument);
    lattice<3> empty;
    CHECK_THROWS_AS(make_crystal(empty, {1, 1, 1}, species_list::from_names({"Cu"})), invalid_argument);
}
