// tests/dynamics/velocity_common.hpp — helpers shared by the velocity tests.
#pragma once

#include <amorph/core/system.hpp>

#include <array>
#include <cmath>

namespace amorph::test {

template <int D>
amorph::system<D> two_species(std::size_t n, double m0, double m1) {
    amorph::system<D> s(box<D>::orthogonal(vec<D>::Zero(), vec<D>::Constant(50.0)), n);
    s.species.add("A", m0);
    s.species.add("B", m1);
    for (std::size_t i = 0; i < n; ++i) s.types[i] = static_cast<int>(i % 3 == 0);
    s.units = &units::metal;
    return s;
}

struct moments {
    double m2 = 0, m4 = 0;  // <v^2> m / kT and kurtosis <v^4>/<v^2>^2 over components
    std::size_t n = 0;
};

template <int D>
std::array<moments, 2> per_species(const amorph::system<D>& s, double T) {
    std::array<moments, 2> out;
    const double kT = s.units->boltz * T;
    std::array<double, 2> s2{}, s4{};
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto t = static_cast<std::size_t>(s.types[i]);
        const double m = s.species[t].mass * s.units->mvv2e;
        for (int a = 0; a < D; ++a) {
            const double v = s.velocities(a, static_cast<Eigen::Index>(i));
            s2[t] += m * v * v / kT;
            s4[t] += v * v * v * v;
            ++out[t].n;
        }
    }
    for (std::size_t t = 0; t < 2; ++t) out[t].m2 = s2[t] / static_cast<double>(out[t].n);
    // kurtosis per species
    for (std::size_t t = 0; t < 2; ++t) {
        double q2 = 0;
        for (std::size_t i = 0; i < s.size(); ++i)
            if (static_cast<std::size_t>(s.types[i]) == t)
                for (int a = 0; a < D; ++a) q2 += std::pow(s.velocities(a, static_cast<Eigen::Index>(i)), 2);
        q2 /= static_cast<double>(out[t].n);
        out[t].m4 = s4[t] / static_cast<double>(out[t].n) / (q2 * q2);
    }
    return out;
}

}  // namespace amorph::test

