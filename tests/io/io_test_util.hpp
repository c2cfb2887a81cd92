// tests/io/io_test_util.hpp — random systems and comparisons for the I/O tests.
#pragma once

#include "amorph/core/system.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

namespace iotest {

enum class cell { orthogonal, triclinic, general };

/// A random system of n atoms: ids scrambled, 2 species, optional extras.
template <int D>
amorph::system<D> random_system(std::mt19937_64& rng, std::size_t n, cell kind, bool extras = true) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    amorph::mat<D> h = amorph::mat<D>::Zero();
    for (int k = 0; k < D; ++k) h(k, k) = 5.0 + 10.0 * u(rng);
    if (kind != cell::orthogonal)
        for (int c = 1; c < D; ++c)
            for (int r = 0; r < c; ++r)  // LAMMPS's limits: |xy|, |xz| <= lx/2, |yz| <= ly/2
                h(r, c) = (u(rng) - 0.5) * (kind == cell::general ? 2.5 * h(c, c) : 0.9 * h(r, r));
    if (kind == cell::general) {
        Eigen::Matrix<double, D, D> q = Eigen::Matrix<double, D, D>::Random();
        Eigen::HouseholderQR<Eigen::Matrix<double, D, D>> qr(q);
        amorph::mat<D> R = qr.householderQ();
        if (R.determinant() < 0) R.col(0) *= -1;
        h = R * h;
    }
    amorph::vec<D> o;
    for (int k = 0; k < D; ++k) o(k) = 10.0 * (u(rng) - 0.5);
    amorph::system<D> s(amorph::box<D>(h, o), n);
    s.species = amorph::species_list::from_names({"Cu", "Zr"});
    std::uniform_int_distribution<int> img(-2, 2);
    for (std::size_t i = 0; i < n; ++i) {
        amorph::vec<D> f;
        for (int k = 0; k < D; ++k) f(k) = u(rng);
        s.positions.col(static_cast<Eigen::Index>(i)) = s.box.to_cartesian(f);
        s.types[i] = u(rng) < 0.4 ? 1 : 0;
        s.ids[i] = static_cast<std::int64_t>(3 * n - 2 * i + 7);  // not 1..N, not sorted
    }
    if (extras) {
        s.enable_velocities();
        s.velocities.setRandom();
        s.enable_image();
        for (Eigen::Index i = 0; i < s.image.cols(); ++i)
            for (int k = 0; k < D; ++k) s.image(k, i) = img(rng);
        s.enable_charges();
        for (auto& q : s.charges) q = u(rng) - 0.5;
        std::vector<double> pe(n);
        for (auto& v : pe) v = -3.0 - u(rng) / 3.0;
        s.set_property("c_pe", pe);
    }
    return s;
}

/// Exact equality of everything two systems carry.
template <int D>
void require_identical(const amorph::system<D>& a, const amorph::system<D>& b, bool box_exact = true) {
    REQUIRE(a.size() == b.size());
    CHECK(a.ids == b.ids);
    CHECK(a.types == b.types);
    REQUIRE(a.species.size() == b.species.size());
    for (std::size_t t = 0; t < a.species.size(); ++t) {
        CHECK(a.species[t].name == b.species[t].name);
        CHECK(a.species[t].mass == b.species[t].mass);
    }
    CHECK(a.positions == b.positions);
    CHECK(a.velocities == b.velocities);
    CHECK(a.image == b.image);
    CHECK(a.charges == b.charges);
    if (box_exact) {
        CHECK(a.box.h() == b.box.h());
        CHECK(a.box.origin() == b.box.origin());
    } else {
        CHECK((a.box.h() - b.box.h()).norm() <= 1e-14 * a.box.h().norm());
        CHECK((a.box.origin() - b.box.origin()).norm() <= 1e-14 * (1 + a.box.origin().norm()));
    }
    CHECK(a.box.periodic() == b.box.periodic());
}

}  // namespace iotest
