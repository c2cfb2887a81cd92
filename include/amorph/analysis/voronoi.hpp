// amorph/analysis/voronoi.hpp — Voronoi and radical (power) tessellation of periodic
// systems in 2D and 3D, for any cell.
//
// The Voronoi cell of atom i is the set of points closer to x_i than to every
// other site, periodic images (of i itself too) included:
//     V_i = { x : |x - x_i|^2 <= |x - x_j - h n|^2  for all (j, n) != (i, 0) }.
// Each site (j, n) at displacement d = x_j + h n - x_i contributes the
// half-space  d . y <= (|d|^2 + R_i^2 - R_j^2) / 2  in coordinates y = x - x_i
// centred on the atom; R = 0 gives the Voronoi tessellation, atom radii R give
// the radical (power, Laguerre) tessellation. The cell is built by clipping a
// convex polytope (a cube around the atom, with walls at the cell faces along
// non-periodic axes) by these half-spaces, nearest sites first, until no
// further site can cut: a site at distance |d| can only cut a cell whose
// farthest vertex is at distance rho when
//     (|d|^2 + R_i^2 - R_j^2) / (2 |d|) < rho,
// i.e. (for |d| >= R_i^2 - R_min^2 ... ) when |d| < rho + sqrt(rho^2 + R_max^2 - R_i^2)
// (the positive root of |d|^2 - 2 rho |d| + R_i^2 - R_max^2 = 0); the search
// radius grows until it exceeds that bound.
//
// Robustness:
//   * vertices within eps = 1e-10 a of a cutting plane (a = (V/N)^(1/D), the
//     mean spacing) count as on it, so degenerate (cospherical) vertices of
//     crystals do not create sliver faces;
//   * atoms at the same position (duplicates) share one cell equally: the cell
//     is computed once for the group and each member gets volume / multiplicity,
//     so volumes still sum to the cell volume;
//   * atoms exactly on cell faces, or outside the primary cell, are wrapped
//     like any other position.
// In 2D the "volume" is the area, "faces" are the cell's edges (their "area"
// is the edge length).
//
// Topology (3D): each face knows the neighbor (j, image) that made it and its
// number of edges; the Voronoi index <n3, n4, n5, n6, ...> counts faces by
// edges. Edges shorter than `edge_threshold` are merged away before counting
// (0 keeps every edge, as voro++ does).
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/vec.hpp"
#include "amorph/neighbor/cell_list.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

namespace amorph::analysis {

struct voronoi_options {
    /// Per-atom radii for the radical tessellation; empty: plain Voronoi.
    std::vector<double> radii;
    /// Keep the per-face list (neighbor, image, area, edges) of every cell.
    bool faces = true;
    /// Edges shorter than this (length units) do not count in face orders.
    double edge_threshold = 0.0;
};

/// One face of a Voronoi cell (an edge in 2D). `j` < 0 marks a wall (a face of
/// the simulation cell along a non-periodic axis).
template <int D>
struct voronoi_face {
    std::int64_t j;
    ivec<D> image;
    double area;
    int edges;
};

template <int D>
struct voronoi_result {
    std::vector<double> volume;  ///< cell volume (area in 2D) per atom
    std::vector<std::vector<voronoi_face<D>>> faces;  ///< per atom, when asked for
    /// Number of faces with k edges, per atom (3D; k = 0..max_edges-1).
    static constexpr int max_edges = 16;
    std::vector<std::array<std::uint8_t, max_edges>> face_orders;

    /// Voronoi index <n3, n4, n5, n6> of atom i (3D).
    std::array<int, 4> index(std::size_t i) const {
        const auto& o = face_orders.at(i);
        return {o[3], o[4], o[5], o[6]};
    }
};

namespace detail {

/// A convex polygon in the plane of atom i (2D cells).
struct polygon {
    std::vector<Eigen::Vector2d> v;  // counter-clockwise
    std::vector<int> tag;            // tag[k]: the site of edge v[k] -> v[k+1]
};

/// A convex polyhedron: vertices and faces as counter-clockwise vertex loops
/// seen from outside, each face tagged with the site that made it.
struct polyhedron {
    std::vector<Eigen::Vector3d> v;
    std::vector<std::vector<int>> faces;
    std::vector<int> tag;
};

inline void init_cube(polyhedron& p, double r, const std::array<int, 6>& tags) {
    p.v.clear();
    for (int k = 0; k < 8; ++k)
        p.v.emplace_back((k & 1) ? r : -r, (k & 2) ? r : -r, (k & 4) ? r : -r);
    // -x, +x, -y, +y, -z, +z, loops counter-clockwise from outside
    p.faces = {{0, 4, 6, 2}, {1, 3, 7, 5}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 2, 3, 1}, {4, 5, 7, 6}};
    p.tag.assign(tags.begin(), tags.end());
}

inline void init_square(polygon& p, double r, const std::array<int, 4>& tags) {
    p.v = {{-r, -r}, {r, -r}, {r, r}, {-r, r}};
    // edges: bottom (-y), right (+x), top (+y), left (-x)
    p.tag.assign(tags.begin(), tags.end());
}

/// Keep { y : n . y <= c }; the cut edge gets `tag`. Returns false when
/// nothing was cut. Vertices within eps of the line count as on it (kept).
inline bool clip(polygon& p, const Eigen::Vector2d& n, double c, double eps, int tag) {
    const std::size_t m = p.v.size();
    std::vector<double> s(m);
    bool any_out = false;
    for (std::size_t k = 0; k < m; ++k) {
        s[k] = n.dot(p.v[k]) - c;
        any_out |= s[k] > eps;
    }
    if (!any_out) return false;
    polygon q;
    for (std::size_t k = 0; k < m; ++k) {
        const std::size_t l = (k + 1) % m;
        const bool in_k = s[k] <= eps, in_l = s[l] <= eps;
        const bool strictly_k = s[k] < -eps, strictly_l = s[l] < -eps;
        auto cross = [&] { return Eigen::Vector2d(p.v[k] + s[k] / (s[k] - s[l]) * (p.v[l] - p.v[k])); };
        if (in_k) {
            // leaving through the line at k itself: k's edge runs along the cut
            q.v.push_back(p.v[k]);
            q.tag.push_back(in_l || strictly_k ? p.tag[k] : tag);
            if (!in_l && strictly_k) {  // leaving between k and l
                q.v.push_back(cross());
                q.tag.push_back(tag);
            }
        } else if (in_l && strictly_l) {  // entering between k and l
            q.v.push_back(cross());
            q.tag.push_back(p.tag[k]);
        }
    }
    p = std::move(q);
    return true;
}

inline bool clip(polyhedron& p, const Eigen::Vector3d& n, double c, double eps, int tag) {
    const std::size_t m = p.v.size();
    std::vector<double> s(m);
    bool any_out = false;
    for (std::size_t k = 0; k < m; ++k) {
        s[k] = n.dot(p.v[k]) - c;
        any_out |= s[k] > eps;
    }
    if (!any_out) return false;

    std::vector<Eigen::Vector3d> nv;
    std::vector<int> remap(m, -1);
    auto keep = [&](int k) {
        if (remap[static_cast<std::size_t>(k)] < 0) {
            remap[static_cast<std::size_t>(k)] = static_cast<int>(nv.size());
            nv.push_back(p.v[static_cast<std::size_t>(k)]);
        }
        return remap[static_cast<std::size_t>(k)];
    };
    std::unordered_map<std::uint64_t, int> cut;  // edge (a<b) -> new vertex
    auto cut_vertex = [&](int a, int b) {
        const auto lo = static_cast<std::uint64_t>(std::min(a, b)), hi = static_cast<std::uint64_t>(std::max(a, b));
        const std::uint64_t key = (lo << 32) | hi;
        auto it = cut.find(key);
        if (it != cut.end()) return it->second;
        const double t = s[static_cast<std::size_t>(a)] / (s[static_cast<std::size_t>(a)] - s[static_cast<std::size_t>(b)]);
        const int idx = static_cast<int>(nv.size());
        nv.push_back(p.v[static_cast<std::size_t>(a)] + t * (p.v[static_cast<std::size_t>(b)] - p.v[static_cast<std::size_t>(a)]));
        cut.emplace(key, idx);
        return idx;
    };

    std::vector<std::vector<int>> faces;
    std::vector<int> tags;
    std::vector<int> cap;  // vertices on the cutting plane
    for (std::size_t f = 0; f < p.faces.size(); ++f) {
        const auto& loop = p.faces[f];
        std::vector<int> out;
        const std::size_t L = loop.size();
        for (std::size_t k = 0; k < L; ++k) {
            const int a = loop[k], b = loop[(k + 1) % L];
            const double sa = s[static_cast<std::size_t>(a)], sb = s[static_cast<std::size_t>(b)];
            if (sa <= eps) {
                out.push_back(keep(a));
                if (sa >= -eps) cap.push_back(out.back());
            }
            if ((sa < -eps && sb > eps) || (sa > eps && sb < -eps)) {
                out.push_back(cut_vertex(a, b));
                cap.push_back(out.back());
            }
        }
        if (out.size() >= 3) {
            faces.push_back(std::move(out));
            tags.push_back(p.tag[f]);
        }
    }
    // The cap: every on-plane vertex, ordered counter-clockwise around n.
    std::sort(cap.begin(), cap.end());
    cap.erase(std::unique(cap.begin(), cap.end()), cap.end());
    if (cap.size() >= 3) {
        Eigen::Vector3d centre = Eigen::Vector3d::Zero();
        for (int k : cap) centre += nv[static_cast<std::size_t>(k)];
        centre /= static_cast<double>(cap.size());
        const Eigen::Vector3d u = n.unitOrthogonal();
        const Eigen::Vector3d w = n.normalized().cross(u);
        std::vector<std::pair<double, int>> ang;
        for (int k : cap) {
            const Eigen::Vector3d r = nv[static_cast<std::size_t>(k)] - centre;
            ang.emplace_back(std::atan2(r.dot(w), r.dot(u)), k);
        }
        std::sort(ang.begin(), ang.end());
        std::vector<int> loop;
        for (const auto& a : ang) loop.push_back(a.second);
        faces.push_back(std::move(loop));
        tags.push_back(tag);
    }
    p.v = std::move(nv);
    p.faces = std::move(faces);
    p.tag = std::move(tags);
    return true;
}

inline double max_radius2(const polygon& p) {
    double r = 0;
    for (const auto& v : p.v) r = std::max(r, v.squaredNorm());
    return r;
}
inline double max_radius2(const polyhedron& p) {
    double r = 0;
    for (const auto& v : p.v) r = std::max(r, v.squaredNorm());
    return r;
}

inline double measure(const polygon& p) {
    double a = 0;
    const std::size_t m = p.v.size();
    for (std::size_t k = 0; k < m; ++k) {
        const auto& u = p.v[k];
        const auto& w = p.v[(k + 1) % m];
        a += u.x() * w.y() - u.y() * w.x();
    }
    return 0.5 * a;
}

inline Eigen::Vector3d face_area_vector(const polyhedron& p, const std::vector<int>& loop) {
    Eigen::Vector3d s = Eigen::Vector3d::Zero();
    const auto& v0 = p.v[static_cast<std::size_t>(loop[0])];
    for (std::size_t k = 1; k + 1 < loop.size(); ++k)
        s += (p.v[static_cast<std::size_t>(loop[k])] - v0).cross(p.v[static_cast<std::size_t>(loop[k + 1])] - v0);
    return 0.5 * s;
}

inline double measure(const polyhedron& p) {
    double vol = 0;
    for (const auto& loop : p.faces) {
        const auto& v0 = p.v[static_cast<std::size_t>(loop[0])];
        for (std::size_t k = 1; k + 1 < loop.size(); ++k)
            vol += v0.dot(p.v[static_cast<std::size_t>(loop[k])].cross(p.v[static_cast<std::size_t>(loop[k + 1])]));
    }
    return vol / 6.0;
}

}  // namespace detail

/// Voronoi (or, with radii, radical) tessellation of the atoms at `x` in cell `b`.
template <int D>
    requires supported_dimension<D>
voronoi_result<D> voronoi(const box<D>& b, const coords<D>& x, const voronoi_options& opt = {}) {
    const auto n = static_cast<std::size_t>(x.cols());
    const bool radical = !opt.radii.empty();
    if (radical && opt.radii.size() != n)
        throw invalid_argument("voronoi: " + std::to_string(opt.radii.size()) + " radii for " + std::to_string(n) +
                               " atoms");
    double rmax2 = 0;
    for (double r : opt.radii) {
        if (!(r >= 0) || !std::isfinite(r)) throw invalid_argument("voronoi: radii must be finite and >= 0");
        rmax2 = std::max(rmax2, r * r);
    }
    if (!x.allFinite()) throw invalid_argument("voronoi: non-finite position");

    voronoi_result<D> res;
    res.volume.assign(n, 0.0);
    if (opt.faces) res.faces.assign(n, {});
    if constexpr (D == 3) res.face_orders.assign(n, {});
    if (n == 0) return res;

    // Along free axes the walls are the cell faces, widened to hold every atom.
    std::array<double, D> wall_lo, wall_hi;
    for (int k = 0; k < D; ++k) {
        wall_lo[k] = 0.0;
        wall_hi[k] = 1.0;
        if (b.periodic(k)) continue;
        for (std::size_t i = 0; i < n; ++i) {
            const double s = b.to_fractional(x.col(static_cast<Eigen::Index>(i)))(k);
            wall_lo[k] = std::min(wall_lo[k], s);
            wall_hi[k] = std::max(wall_hi[k], s);
        }
    }
    // Half-width of the starting cube: contains the whole (widened) cell
    // around any atom, hence every Voronoi cell.
    double extent = 0;
    for (int k = 0; k < D; ++k) extent += b.h().col(k).norm() * (wall_hi[k] - wall_lo[k]);
    const double r0 = 1.05 * extent + 1.0;
    const double spacing = std::pow(std::abs(b.volume()) / static_cast<double>(n), 1.0 / D);
    const double eps = 1e-10 * spacing;
    const double dup2 = (1e-12 * spacing) * (1e-12 * spacing);

    // Wall planes in atom-centred coordinates, for atom position p:
    //   lower: -g . y <= g . (p - x_lo)  with g = row k of h^-1 scaled to unit
    auto for_each_wall = [&](const vec<D>& p, auto&& fn) {
        for (int k = 0; k < D; ++k) {
            if (b.periodic(k)) continue;
            const vec<D> g = b.h_inv().row(k).transpose();
            const double gn = g.norm();
            const double sp = b.to_fractional(p)(k);
            // fractional s(y) = sp + g.y ; keep wall_lo <= s <= wall_hi
            fn(vec<D>(-g / gn), (sp - wall_lo[k]) / gn, -1 - 2 * k);
            fn(vec<D>(g / gn), (wall_hi[k] - sp) / gn, -2 - 2 * k);
        }
    };

    double search = 2.5 * spacing;
    std::vector<std::size_t> todo(n);
    std::iota(todo.begin(), todo.end(), std::size_t{0});
    for (int round = 0; !todo.empty(); ++round) {
        if (round > 60) throw error("voronoi: search radius did not converge");
        const double rs = search;
        const neighbor::cell_list<D> cells(b, x, rs);
        std::vector<char> again(todo.size(), 0);
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, todo.size(), 64), [&](const auto& range) {
            using poly_t = std::conditional_t<D == 2, detail::polygon, detail::polyhedron>;
            poly_t cell;
            struct site {
                double d2;
                std::uint32_t j;
                ivec<D> img;
                vec<D> d;
            };
            std::vector<site> sites;
            for (std::size_t t = range.begin(); t != range.end(); ++t) {
                const std::size_t i = todo[t];
                const vec<D> xi = x.col(static_cast<Eigen::Index>(i));
                const double Ri2 = radical ? opt.radii[i] * opt.radii[i] : 0.0;
                sites.clear();
                std::size_t multiplicity = 1;
                cells.for_each_within(xi, rs * rs, [&](std::uint32_t j, const ivec<D>& img, const vec<D>& d, double r2) {
                    if (j == i && img.isZero()) return;
                    if (r2 <= dup2) {  // a duplicate of i (possibly through an image)
                        if (j != i) ++multiplicity;
                        return;
                    }
                    sites.push_back({r2, j, img, d});
                });
                std::sort(sites.begin(), sites.end(), [](const site& a, const site& c) {
                    return a.d2 != c.d2 ? a.d2 < c.d2 : (a.j != c.j ? a.j < c.j : std::lexicographical_compare(a.img.data(), a.img.data() + D, c.img.data(), c.img.data() + D));
                });
                if constexpr (D == 2) detail::init_square(cell, r0, {-100, -100, -100, -100});
                else detail::init_cube(cell, r0, {-100, -100, -100, -100, -100, -100});
                for_each_wall(xi, [&](const vec<D>& nrm, double c, int tag) { detail::clip(cell, nrm, c, eps, tag); });
                double rho2 = detail::max_radius2(cell);
                bool complete = false;
                for (std::size_t k = 0; k <= sites.size(); ++k) {
                    // can any site at distance >= this one still cut?
                    const double rho = std::sqrt(rho2);
                    const double reach = rho + std::sqrt(std::max(0.0, rho2 + rmax2 - Ri2));
                    const double next = k < sites.size() ? std::sqrt(sites[k].d2) : rs;
                    if (next >= reach) {
                        complete = true;
                        break;
                    }
                    if (k == sites.size()) break;
                    const site& s = sites[k];
                    const double Rj2 = radical ? opt.radii[s.j] * opt.radii[s.j] : 0.0;
                    if (detail::clip(cell, s.d, 0.5 * (s.d2 + Ri2 - Rj2), eps, static_cast<int>(k)))
                        rho2 = detail::max_radius2(cell);
                }
                if (!complete) {
                    again[t] = 1;
                    continue;
                }
                res.volume[i] = detail::measure(cell) / static_cast<double>(multiplicity);
                if constexpr (D == 3) {
                    auto& orders = res.face_orders[i];
                    orders.fill(0);
                    for (std::size_t f = 0; f < cell.faces.size(); ++f) {
                        const auto& loop = cell.faces[f];
                        int edges = 0;
                        for (std::size_t e = 0; e < loop.size(); ++e)
                            if ((cell.v[static_cast<std::size_t>(loop[e])] - cell.v[static_cast<std::size_t>(loop[(e + 1) % loop.size()])]).norm() > std::max(opt.edge_threshold, eps))
                                ++edges;
                        if (edges < 3) continue;
                        if (edges < voronoi_result<D>::max_edges) ++orders[static_cast<std::size_t>(edges)];
                        if (opt.faces) {
                            const int tg = cell.tag[f];
                            const double area = detail::face_area_vector(cell, loop).norm();
                            if (tg >= 0) res.faces[i].push_back({sites[static_cast<std::size_t>(tg)].j, sites[static_cast<std::size_t>(tg)].img, area, edges});
                            else res.faces[i].push_back({tg, ivec<D>::Zero(), area, edges});
                        }
                    }
                } else if (opt.faces) {
                    const std::size_t m = cell.v.size();
                    for (std::size_t e = 0; e < m; ++e) {
                        const double len = (cell.v[(e + 1) % m] - cell.v[e]).norm();
                        if (len <= std::max(opt.edge_threshold, eps)) continue;
                        const int tg = cell.tag[e];
                        if (tg >= 0) res.faces[i].push_back({sites[static_cast<std::size_t>(tg)].j, sites[static_cast<std::size_t>(tg)].img, len, 2});
                        else res.faces[i].push_back({tg, ivec<D>::Zero(), len, 2});
                    }
                }
            }
        });
        std::vector<std::size_t> next;
        for (std::size_t t = 0; t < todo.size(); ++t)
            if (again[t]) next.push_back(todo[t]);
        todo = std::move(next);
        search *= 2.0;
    }
    return res;
}

/// Fraction of Voronoi faces with five edges over all faces of the given atoms
/// (thesis ch6 "five-fold bonds" baseline), from a 3D tessellation.
inline double five_fold_fraction(const voronoi_result<3>& r) {
    double five = 0, total = 0;
    for (const auto& o : r.face_orders) {
        for (std::size_t k = 3; k < o.size(); ++k) total += o[k];
        five += o[5];
    }
    return total > 0 ? five / total : 0.0;
}

}  // namespace amorph::analysis
