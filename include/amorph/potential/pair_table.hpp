// amorph/potential/pair_table.hpp — a symmetric table of per-species-pair parameters.
//
// pair_table<T> stores one T per unordered type pair (ti, tj), 0-based, with
// a flag telling which pairs were set explicitly. Mixing rules fill the unset
// off-diagonal pairs from the diagonal ones, as LAMMPS's pair_modify mix:
//   geometric   eps_ij = sqrt(eps_i eps_j),  sigma_ij = sqrt(sigma_i sigma_j)
//   arithmetic  eps_ij = sqrt(eps_i eps_j),  sigma_ij = (sigma_i + sigma_j) / 2
//   sixthpower  eps_ij = 2 sqrt(eps_i eps_j) sigma_i^3 sigma_j^3 / (sigma_i^6 + sigma_j^6),
//               sigma_ij = ((sigma_i^6 + sigma_j^6) / 2)^(1/6)
// (cutoffs mix like sigma). LAMMPS's default is geometric.
#pragma once

#include "amorph/core/error.hpp"

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace amorph::potential {

enum class mixing { geometric, arithmetic, sixthpower };

inline mixing mixing_from_name(std::string_view s) {
    if (s == "geometric") return mixing::geometric;
    if (s == "arithmetic") return mixing::arithmetic;
    if (s == "sixthpower") return mixing::sixthpower;
    throw invalid_argument("unknown mixing rule '" + std::string(s) + "' (geometric, arithmetic, sixthpower)");
}

/// LAMMPS's Pair::mix_energy.
inline double mix_energy(mixing m, double eps1, double eps2, double sig1, double sig2) {
    if (m == mixing::sixthpower)
        return 2.0 * std::sqrt(eps1 * eps2) * std::pow(sig1, 3.0) * std::pow(sig2, 3.0) /
               (std::pow(sig1, 6.0) + std::pow(sig2, 6.0));
    return std::sqrt(eps1 * eps2);
}

/// LAMMPS's Pair::mix_distance.
inline double mix_distance(mixing m, double sig1, double sig2) {
    switch (m) {
        case mixing::geometric: return std::sqrt(sig1 * sig2);
        case mixing::arithmetic: return 0.5 * (sig1 + sig2);
        case mixing::sixthpower: return std::pow(0.5 * (std::pow(sig1, 6.0) + std::pow(sig2, 6.0)), 1.0 / 6.0);
    }
    return 0.0;
}

template <class T>
class pair_table {
public:
    pair_table() = default;
    explicit pair_table(int ntypes) : n_(ntypes), data_(index_count(ntypes)), set_(index_count(ntypes), false) {
        if (ntypes < 1) throw invalid_argument("pair_table: need at least one type");
    }

    int num_types() const noexcept { return n_; }

    void set(int ti, int tj, const T& v) {
        const auto k = index(ti, tj);
        data_[k] = v;
        set_[k] = true;
    }
    bool is_set(int ti, int tj) const { return set_[index(ti, tj)]; }
    const T& operator()(int ti, int tj) const { return data_[index(ti, tj)]; }
    T& operator()(int ti, int tj) { return data_[index(ti, tj)]; }

    /// Throw unless every pair is set.
    void require_complete(std::string_view who) const {
        for (int i = 0; i < n_; ++i)
            for (int j = i; j < n_; ++j)
                if (!is_set(i, j))
                    throw invalid_argument(std::string(who) + ": coefficients for types " + std::to_string(i + 1) +
                                           " " + std::to_string(j + 1) + " are not set");
    }

private:
    static std::size_t index_count(int n) { return static_cast<std::size_t>(n) * static_cast<std::size_t>(n + 1) / 2; }
    std::size_t index(int ti, int tj) const {
        if (ti < 0 || tj < 0 || ti >= n_ || tj >= n_)
            throw invalid_argument("pair_table: type pair (" + std::to_string(ti) + ", " + std::to_string(tj) +
                                   ") out of range for " + std::to_string(n_) + " types");
        if (ti > tj) std::swap(ti, tj);
        // row-major upper triangle
        return static_cast<std::size_t>(ti) * static_cast<std::size_t>(2 * n_ - ti + 1) / 2 +
               static_cast<std::size_t>(tj - ti);
    }

    int n_ = 0;
    std::vector<T> data_;
    std::vector<bool> set_;
};

/// A dense n x n copy of per-pair values, for the hot loops (row-major).
template <class T>
class dense_pair_array {
public:
    dense_pair_array() = default;
    explicit dense_pair_array(int n) : n_(n), v_(static_cast<std::size_t>(n) * static_cast<std::size_t>(n)) {}
    T& operator()(int i, int j) noexcept { return v_[static_cast<std::size_t>(i * n_ + j)]; }
    const T& operator()(int i, int j) const noexcept { return v_[static_cast<std::size_t>(i * n_ + j)]; }
    int size() const noexcept { return n_; }

private:
    int n_ = 0;
    std::vector<T> v_;
};

}  // namespace amorph::potential
