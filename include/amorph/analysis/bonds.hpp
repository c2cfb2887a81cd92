// amorph/analysis/bonds.hpp — bond switching of center atoms between two configurations.
//
// For every atom of the center species, its bonded neighbors are the atoms of
// the neighbor species closer than `cutoff` (any periodic image), identified
// by atom id. Comparing a reference and a current configuration (atoms
// matched by id), each center atom is classified as in the alumina study
// (Al centers, O neighbors, cutoff 2.25 A):
//     decreased (DC)  CN_cur < CN_ref
//     increased (IC)  CN_cur > CN_ref
//     switched  (SC)  CN_cur = CN_ref but the neighbor sets differ
//     unchanged (UC)  the same neighbor set
// and the fractions of each class are reported per reference CN.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/neighbor/verlet_list.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace amorph::analysis {

enum class bond_change : int { unchanged = 0, switched = 1, decreased = 2, increased = 3 };

inline const char* to_string(bond_change c) {
    switch (c) {
        case bond_change::unchanged: return "UC";
        case bond_change::switched: return "SC";
        case bond_change::decreased: return "DC";
        case bond_change::increased: return "IC";
    }
    return "?";
}

/// Ids of the neighbor-species atoms bonded to each center-species atom
/// (sorted), in storage order of the center atoms; `centers` receives their
/// storage indices.
template <int D>
std::vector<std::vector<std::int64_t>> bonded_ids(const amorph::system<D>& s, int center_type, int neighbor_type,
                                                  double cutoff, std::vector<std::size_t>* centers = nullptr) {
    if (!(cutoff > 0.0)) throw invalid_argument("bonds: cutoff must be positive");
    neighbor::verlet_list<D, neighbor::full_t> nl(cutoff);
    nl.build(s.box, s.positions);
    std::vector<std::vector<std::int64_t>> out;
    if (centers) centers->clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.types[i] != center_type) continue;
        std::vector<std::int64_t> ids;
        for (const auto& e : nl.neighbors(i)) {
            if (s.types[e.j] != neighbor_type) continue;
            const vec<D> d = s.positions.col(e.j) - s.positions.col(static_cast<Eigen::Index>(i)) + nl.shifts().col(e.image);
            if (d.squaredNorm() < cutoff * cutoff) ids.push_back(s.ids[e.j]);
        }
        std::sort(ids.begin(), ids.end());
        out.push_back(std::move(ids));
        if (centers) centers->push_back(i);
    }
    return out;
}

struct bond_switching_result {
    std::vector<std::int64_t> id;      ///< center atom ids (reference order)
    std::vector<int> cn_ref, cn_cur;   ///< coordination numbers
    std::vector<bond_change> change;
    /// by_cn[CN_ref] = counts of {UC, SC, DC, IC}
    std::map<int, std::array<std::size_t, 4>> by_cn;

    /// Fraction of centers with reference coordination `cn` in class c.
    double fraction(int cn, bond_change c) const {
        auto it = by_cn.find(cn);
        if (it == by_cn.end()) return 0.0;
        std::size_t total = 0;
        for (auto v : it->second) total += v;
        return total ? static_cast<double>(it->second[static_cast<std::size_t>(c)]) / static_cast<double>(total) : 0.0;
    }
};

template <int D>
bond_switching_result bond_switching(const amorph::system<D>& ref, const amorph::system<D>& cur, int center_type,
                                     int neighbor_type, double cutoff) {
    std::vector<std::size_t> ci_ref, ci_cur;
    const auto bref = bonded_ids(ref, center_type, neighbor_type, cutoff, &ci_ref);
    const auto bcur = bonded_ids(cur, center_type, neighbor_type, cutoff, &ci_cur);
    std::map<std::int64_t, std::size_t> where;  // id -> index into bcur
    for (std::size_t k = 0; k < ci_cur.size(); ++k) where.emplace(cur.ids[ci_cur[k]], k);
    bond_switching_result r;
    for (std::size_t k = 0; k < ci_ref.size(); ++k) {
        const std::int64_t id = ref.ids[ci_ref[k]];
        auto it = where.find(id);
        if (it == where.end())
            throw invalid_argument("bond_switching: atom id " + std::to_string(id) +
                                   " of the center species is missing from the current configuration");
        const auto& a = bref[k];
        const auto& b = bcur[it->second];
        const int n0 = static_cast<int>(a.size()), n1 = static_cast<int>(b.size());
        bond_change c = n1 < n0 ? bond_change::decreased
                        : n1 > n0 ? bond_change::increased
                        : a == b  ? bond_change::unchanged
                                  : bond_change::switched;
        r.id.push_back(id);
        r.cn_ref.push_back(n0);
        r.cn_cur.push_back(n1);
        r.change.push_back(c);
        ++r.by_cn[n0][static_cast<std::size_t>(c)];
    }
    return r;
}

}  // namespace amorph::analysis
