// tests/potential/helpers.hpp — configurations and generic checks for the
// potential tests: random systems with a minimum separation, finite
// differences of the energy (forces, strain derivative = virial), invariances.
#pragma once

#include <amorph/core/box.hpp>
#include <amorph/core/system.hpp>
#include <amorph/neighbor/verlet_list.hpp>
#include <amorph/potential/compute.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

namespace amorph::test {

/// Whether some periodic image of d is shorter than r: rounds in fractional
/// coordinates, then tries the 3^D neighboring offsets `shifts` (h m, m in
/// {-1, 0, 1}^D; enough for r below half the cell widths and tilts within
/// LAMMPS's limits; otherwise falls back to the exact minimum image).
template <int D>
bool closer_than(const box<D>& b, const std::vector<vec<D>>& shifts, const vec<D>& d, double r) {
    if (r > b.half_min_width()) return b.minimum_image(d).norm() < r;
    vec<D> s = b.h_inv() * d;
    for (int k = 0; k < D; ++k) s(k) -= std::round(s(k));
    const vec<D> d1 = b.h() * s;
    const double r2 = r * r;
    for (const auto& t : shifts)
        if ((d1 + t).squaredNorm() < r2) return true;
    return false;
}

/// n atoms placed uniformly at random in the cell, rejecting any closer than
/// rmin (minimum image) to an earlier one; types drawn with weights `fractions`.
/// Near the random-packing limit this takes many attempts (seconds under
/// ASan), and Catch re-enters a TEST_CASE once per leaf SECTION, so each
/// configuration is generated once per test executable and copied after.
template <int D>
amorph::system<D> random_system(const box<D>& b, std::size_t n, const std::vector<double>& fractions, double rmin,
                                std::uint64_t seed) {
    std::vector<double> key(b.h().data(), b.h().data() + D * D);
    key.insert(key.end(), b.origin().data(), b.origin().data() + D);
    for (int k = 0; k < D; ++k) key.push_back(b.periodic(k) ? 1.0 : 0.0);
    key.insert(key.end(), fractions.begin(), fractions.end());
    key.push_back(rmin);
    key.push_back(static_cast<double>(n));
    key.push_back(static_cast<double>(seed));
    static std::map<std::vector<double>, amorph::system<D>> made;
    if (const auto it = made.find(key); it != made.end()) return it->second;

    std::vector<vec<D>> shifts;
    for (int a = -1; a <= 1; ++a)
        for (int c = -1; c <= 1; ++c)
            for (int e = -1; e <= (D == 3 ? 1 : -1); ++e) {
                ivec<D> m;
                m(0) = a;
                m(1) = c;
                if constexpr (D == 3) m(2) = e;
                shifts.push_back(b.h() * m.template cast<double>());
            }
    amorph::system<D> s(b, n);
    s.species = species_list::numbered(fractions.size());
    for (std::size_t t = 0; t < fractions.size(); ++t) s.species[t].mass = 1.0 + static_cast<double>(t);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::discrete_distribution<int> pick(fractions.begin(), fractions.end());
    for (std::size_t i = 0; i < n; ++i) {
        for (int attempt = 0;; ++attempt) {
            vec<D> f;
            for (int k = 0; k < D; ++k) f(k) = u(rng);
            const vec<D> x = b.to_cartesian(f);
            bool ok = true;
            for (std::size_t j = 0; j < i && ok; ++j)
                ok = !closer_than<D>(b, shifts, vec<D>(x - s.positions.col(static_cast<Eigen::Index>(j))), rmin);
            if (ok) {
                s.positions.col(static_cast<Eigen::Index>(i)) = x;
                break;
            }
            if (attempt > 100000) throw std::runtime_error("random_system: cannot place atom");
        }
        s.types[i] = pick(rng);
    }
    return made.emplace(std::move(key), std::move(s)).first->second;
}

/// Energy only, with a fresh list of the right kind.
template <class P, int D>
double energy_of(const P& p, const amorph::system<D>& s) {
    potential::compute_options o;
    o.virial = false;
    return potential::compute(p, s, o).energy;
}

/// Central-difference force on atom i, component a (step h).
template <class P, int D>
double fd_force(const P& p, amorph::system<D> s, std::size_t i, int a, double h) {
    const auto c = static_cast<Eigen::Index>(i);
    const double x0 = s.positions(a, c);
    s.positions(a, c) = x0 + h;
    const double ep = energy_of(p, s);
    s.positions(a, c) = x0 - h;
    const double em = energy_of(p, s);
    return -(ep - em) / (2 * h);
}

/// Central-difference virial W_ab = -dE/d(eps_ab) under the homogeneous
/// deformation F = 1 + eps e_a e_b^T applied to cell and atoms.
template <class P, int D>
double fd_virial(const P& p, const amorph::system<D>& s0, int a, int b, double h) {
    auto strained = [&](double e) {
        amorph::system<D> s = s0;
        mat<D> F = mat<D>::Identity();
        F(a, b) += e;
        s.positions = F * s0.positions;
        s.box = box<D>(F * s0.box.h(), F * s0.box.origin(), s0.box.periodic());
        return s;
    };
    return -(energy_of(p, strained(h)) - energy_of(p, strained(-h))) / (2 * h);
}

/// N random atoms at number density `density` in a cell tilted by `tilt`
/// (xy; and -tilt/2 yz in 3D) with fractions `fr` of the types.
template <int D>
amorph::system<D> ordinary_cell(double density, std::size_t n, double rmin, std::vector<double> fr, double tilt,
                                std::uint64_t seed) {
    const double l = std::pow(static_cast<double>(n) / density, 1.0 / D);
    mat<D> h = mat<D>::Identity() * l;
    h(0, 1) = tilt * l;
    if constexpr (D == 3) h(1, 2) = -0.5 * tilt * l;
    return random_system<D>(box<D>(h), n, fr, rmin, seed);
}

/// A cell of edge l, tilted by 0.3 l (xy): narrower than twice most cutoffs.
template <int D>
amorph::system<D> small_cell(double l, std::size_t n, double rmin, std::vector<double> fr, std::uint64_t seed) {
    mat<D> h = mat<D>::Identity() * l;
    h(0, 1) = 0.3 * l;
    return random_system<D>(box<D>(h), n, fr, rmin, seed);
}

inline double rel_err(double a, double b, double floor) { return std::abs(a - b) / std::max(std::abs(b), floor); }

}  // namespace amorph::test
