// amorph/analysis/clusters.hpp — connected clusters of selected atoms.
//
// Two selected atoms are connected when closer than `cutoff` (any periodic
// image); clusters are the connected components (union-find over a half
// neighbor list of the selected atoms). Clusters are numbered by decreasing
// size, ties by their lowest atom index, so numbering is deterministic.
// Example: the alumina study's high-softness clusters (top 10 % softness Al,
// Al-Al < 3.7 A).
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/neighbor/verlet_list.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace amorph::analysis {

struct cluster_result {
    std::vector<int> cluster;         ///< per atom: cluster number, -1 if not selected
    std::vector<std::size_t> sizes;   ///< size of each cluster, decreasing
    std::size_t count() const noexcept { return sizes.size(); }
    std::size_t largest() const noexcept { return sizes.empty() ? 0 : sizes.front(); }
};

template <int D>
cluster_result clusters(const box<D>& b, const coords<D>& x, const std::vector<char>& selected, double cutoff) {
    const auto n = static_cast<std::size_t>(x.cols());
    if (selected.size() != n) throw invalid_argument("clusters: one selection flag per atom needed");
    if (!(cutoff > 0.0)) throw invalid_argument("clusters: cutoff must be positive");
    std::vector<std::size_t> sel;
    for (std::size_t i = 0; i < n; ++i)
        if (selected[i]) sel.push_back(i);
    coords<D> xs(D, static_cast<Eigen::Index>(sel.size()));
    for (std::size_t k = 0; k < sel.size(); ++k) xs.col(static_cast<Eigen::Index>(k)) = x.col(static_cast<Eigen::Index>(sel[k]));
    neighbor::verlet_list<D, neighbor::half_t> nl(cutoff);
    nl.build(b, xs);

    std::vector<std::size_t> parent(sel.size());
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    auto find = [&](std::size_t a) {
        while (parent[a] != a) a = parent[a] = parent[parent[a]];
        return a;
    };
    for (std::size_t i = 0; i < sel.size(); ++i)
        for (const auto& e : nl.neighbors(i)) {
            const vec<D> d = xs.col(e.j) - xs.col(static_cast<Eigen::Index>(i)) + nl.shifts().col(e.image);
            if (d.squaredNorm() >= cutoff * cutoff) continue;
            const std::size_t a = find(i), c = find(e.j);
            if (a != c) parent[std::max(a, c)] = std::min(a, c);  // root = lowest index
        }
    std::vector<std::size_t> size(sel.size(), 0);
    for (std::size_t i = 0; i < sel.size(); ++i) ++size[find(i)];
    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < sel.size(); ++i)
        if (find(i) == i) roots.push_back(i);
    std::stable_sort(roots.begin(), roots.end(), [&](std::size_t a, std::size_t c) { return size[a] > size[c]; });
    std::vector<int> number(sel.size(), -1);
    cluster_result r;
    for (std::size_t k = 0; k < roots.size(); ++k) {
        number[roots[k]] = static_cast<int>(k);
        r.sizes.push_back(size[roots[k]]);
    }
    r.cluster.assign(n, -1);
    for (std::size_t i = 0; i < sel.size(); ++i) r.cluster[sel[i]] = number[find(i)];
    return r;
}

}  // namespace amorph::analysis
