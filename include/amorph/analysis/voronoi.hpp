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
// convex polytope (a cube of half-width the search radius around the atom,
// with walls at the cell faces along non-periodic axes) by these half-spaces, nearest sites first, until no
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
/// seen from outside (flat storage: face f is idx[start[f] .. start[f+1])),
/// each face tagged with the site that made it. Clipping writes into scratch
/// buffers that are reused, so a cell costs no allocation once warm.
struct polyhedron {
    std::vector<Eigen::Vector3d> v;
    std::vector<int> idx;
    std::vector<int> start{0};
    std::vector<int> tag;

    std::size_t face_count() const noexcept { return tag.size(); }
    int face_size(std::size_t f) const noexcept { return start[f + 1] - start[f]; }
    const int* face(std::size_t f) const noexcept { return idx.data() + start[f]; }

    // scratch for clip()
    polyhedron* scratch = nullptr;
    std::vector<double> s;
    std::vector<int> remap;
    std::vector<std::pair<std::uint64_t, int>> cuts;
    std::vector<int> cap;
    std::vector<std::pair<double, int>> ang;
    std::vector<char> on_cap;
    std::vector<int> next;
};

inline void init_cube(polyhedron& p, double r, const std::array<int, 6>& tags) {
    p.v.clear();
    for (int k = 0; k < 8; ++k)
        p.v.emplace_back((k & 1) ? r : -r, (k & 2) ? r : -r, (k & 4) ? r : -r);
    // -x, +x, -y, +y, -z, +z, loops counter-clockwise from outside
    p.idx = {0, 4, 6, 2, 1, 3, 7, 5, 0, 1, 5, 4, 2, 6, 7, 3, 0, 2, 3, 1, 4, 5, 7, 6};
    p.start = {0, 4, 8, 12, 16, 20, 24};
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
    p.s.resize(m);
    bool any_out = false;
    for (std::size_t k = 0; k < m; ++k) {
        p.s[k] = n.dot(p.v[k]) - c;
        any_out |= p.s[k] > eps;
    }
    if (!any_out) return false;

    polyhedron& q = *p.scratch;
    q.v.clear();
    q.idx.clear();
    q.start.assign(1, 0);
    q.tag.clear();
    p.remap.assign(m, -1);
    p.cuts.clear();
    p.cap.clear();
    const auto& s = p.s;
    // on_cap / next are kept per vertex of q as it is built: on_cap marks the
    // vertices on the plane, next[b] = a for every on-plane edge a->b.
    p.on_cap.clear();
    p.next.clear();
    auto keep = [&](int k) {
        int& r = p.remap[static_cast<std::size_t>(k)];
        if (r < 0) {
            r = static_cast<int>(q.v.size());
            q.v.push_back(p.v[static_cast<std::size_t>(k)]);
            p.on_cap.push_back(s[static_cast<std::size_t>(k)] >= -eps);
            p.next.push_back(-1);
        }
        return r;
    };
    auto cut_vertex = [&](int a, int b) {  // one new vertex per cut edge, shared by its two faces
        const auto lo = static_cast<std::uint64_t>(std::min(a, b)), hi = static_cast<std::uint64_t>(std::max(a, b));
        const std::uint64_t key = (lo << 32) | hi;
        for (const auto& [k, v] : p.cuts)
            if (k == key) return v;
        const double t = s[static_cast<std::size_t>(a)] / (s[static_cast<std::size_t>(a)] - s[static_cast<std::size_t>(b)]);
        const int id = static_cast<int>(q.v.size());
        q.v.push_back(p.v[static_cast<std::size_t>(a)] + t * (p.v[static_cast<std::size_t>(b)] - p.v[static_cast<std::size_t>(a)]));
        p.cuts.emplace_back(key, id);
        p.cap.push_back(id);
        p.on_cap.push_back(1);
        p.next.push_back(-1);
        return id;
    };

    for (std::size_t f = 0; f < p.face_count(); ++f) {
        const int* loop = p.face(f);
        const int L = p.face_size(f);
        const std::size_t before = q.idx.size();
        int on_plane = 0;
        for (int k = 0; k < L; ++k) {
            const int a = loop[k], b = loop[k + 1 == L ? 0 : k + 1];
            const double sa = s[static_cast<std::size_t>(a)], sb = s[static_cast<std::size_t>(b)];
            if (sa <= eps) {
                q.idx.push_back(keep(a));
                if (sa >= -eps) {
                    p.cap.push_back(q.idx.back());
                    ++on_plane;
                }
            }
            if ((sa < -eps && sb > eps) || (sa > eps && sb < -eps)) {
                q.idx.push_back(cut_vertex(a, b));
                ++on_plane;
            }
        }
        if (q.idx.size() - before >= 3) {
            // on-plane edges of this face (it touches the plane at >= 2 vertices)
            if (on_plane >= 2) {
                const int* out = q.idx.data() + before;
                const int M = static_cast<int>(q.idx.size() - before);
                for (int e = 0; e < M; ++e) {
                    const int a = out[e], b = out[e + 1 == M ? 0 : e + 1];
                    if (p.on_cap[static_cast<std::size_t>(a)] && p.on_cap[static_cast<std::size_t>(b)]) p.next[static_cast<std::size_t>(b)] = a;
                }
            }
            q.start.push_back(static_cast<int>(q.idx.size()));
            q.tag.push_back(p.tag[f]);
        } else {
            q.idx.resize(before);
        }
    }
    // The cap: every on-plane vertex, ordered counter-clockwise around n. An
    // edge a->b of a clipped face with both ends on the plane borders the cap,
    // which runs along it the other way (b->a): chain those edges. Should the
    // chain not close over every cap vertex (degenerate input), order by angle.
    auto& cap = p.cap;
    std::sort(cap.begin(), cap.end());
    cap.erase(std::unique(cap.begin(), cap.end()), cap.end());
    if (cap.size() >= 3) {
        const std::size_t before = q.idx.size();
        int at = cap[0];
        bool closed = false;
        for (std::size_t steps = 0; steps < cap.size(); ++steps) {
            q.idx.push_back(at);
            at = p.next[static_cast<std::size_t>(at)];
            if (at < 0) break;
            if (at == cap[0]) {
                closed = steps + 1 == cap.size();
                break;
            }
        }
        if (!closed) {
            q.idx.resize(before);
            Eigen::Vector3d centre = Eigen::Vector3d::Zero();
            for (int k : cap) centre += q.v[static_cast<std::size_t>(k)];
            centre /= static_cast<double>(cap.size());
            const Eigen::Vector3d u = n.unitOrthogonal();
            const Eigen::Vector3d w = n.normalized().cross(u);
            p.ang.clear();
            for (int k : cap) {
                const Eigen::Vector3d r = q.v[static_cast<std::size_t>(k)] - centre;
                p.ang.emplace_back(std::atan2(r.dot(w), r.dot(u)), k);
            }
            std::sort(p.ang.begin(), p.ang.end());
            for (const auto& a : p.ang) q.idx.push_back(a.second);
        }
        q.start.push_back(static_cast<int>(q.idx.size()));
        q.tag.push_back(tag);
    }
    std::swap(p.v, q.v);
    std::swap(p.idx, q.idx);
    std::swap(p.start, q.start);
    std::swap(p.tag, q.tag);
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

inline Eigen::Vector3d face_area_vector(const polyhedron& p, std::size_t f) {
    Eigen::Vector3d a = Eigen::Vector3d::Zero();
    const int* loop = p.face(f);
    const int L = p.face_size(f);
    const auto& v0 = p.v[static_cast<std::size_t>(loop[0])];
    for (int k = 1; k + 1 < L; ++k)
        a += (p.v[static_cast<std::size_t>(loop[k])] - v0).cross(p.v[static_cast<std::size_t>(loop[k + 1])] - v0);
    return 0.5 * a;
}

/// Volume: sum over faces of the fan tetrahedra with the atom (the origin).
inline double measure(const polyhedron& p) {
    double vol = 0;
    for (std::size_t f = 0; f < p.face_count(); ++f) {
        const int* loop = p.face(f);
        const int L = p.face_size(f);
        const auto& v0 = p.v[static_cast<std::size_t>(loop[0])];
        for (int k = 1; k + 1 < L; ++k)
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
        // Sites are gathered in shells of growing radius (x1.5), so most cells
        // finish on the first shell and the rest need not start over.
        const std::array<double, 3> shell{search, 1.5 * search, 2.25 * search};
        std::vector<neighbor::cell_list<D>> cells;
        for (double r : shell) cells.emplace_back(b, x, r);
        std::vector<char> again(todo.size(), 0);
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, todo.size(), 64), [&](const auto& range) {
            using poly_t = std::conditional_t<D == 2, detail::polygon, detail::polyhedron>;
            poly_t cell, scratch;
            if constexpr (D == 3) cell.scratch = &scratch;
            const double edge_min = std::max(opt.edge_threshold, eps);
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
                // Start from a cube of half-width the largest shell radius: a
                // complete cell has every vertex closer than that, so no face
                // of this cube survives.
                if constexpr (D == 2) detail::init_square(cell, shell.back(), {-100, -100, -100, -100});
                else detail::init_cube(cell, shell.back(), {-100, -100, -100, -100, -100, -100});
                for_each_wall(xi, [&](const vec<D>& nrm, double c, int tag) { detail::clip(cell, nrm, c, eps, tag); });
                double rho2 = detail::max_radius2(cell);
                bool complete = false;
                std::size_t k = 0;
                for (std::size_t level = 0; level < shell.size() && !complete; ++level) {
                    const double rlo2 = level ? shell[level - 1] * shell[level - 1] : 0.0;
                    const double rhi = shell[level];
                    const std::size_t first = sites.size();
                    cells[level].for_each_within(xi, rhi * rhi, [&](std::uint32_t j, const ivec<D>& img, const vec<D>& d, double r2) {
                        if (level > 0) {
                            if (r2 >= rlo2) sites.push_back({r2, j, img, d});
                            return;
                        }
                        if (j == i && img.isZero()) return;
                        if (r2 <= dup2) {  // a duplicate of i (possibly through an image)
                            if (j != i) ++multiplicity;
                            return;
                        }
                        sites.push_back({r2, j, img, d});
                    });
                    std::sort(sites.begin() + static_cast<std::ptrdiff_t>(first), sites.end(), [](const site& a, const site& c) {
                        return a.d2 != c.d2 ? a.d2 < c.d2 : (a.j != c.j ? a.j < c.j : std::lexicographical_compare(a.img.data(), a.img.data() + D, c.img.data(), c.img.data() + D));
                    });
                    for (; k <= sites.size(); ++k) {
                        // can any site at distance >= this one still cut?
                        const double rho = std::sqrt(rho2);
                        const double reach = rho + std::sqrt(std::max(0.0, rho2 + rmax2 - Ri2));
                        const double next = k < sites.size() ? std::sqrt(sites[k].d2) : rhi;
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
                }
                if (!complete) {
                    again[t] = 1;
                    continue;
                }
                res.volume[i] = detail::measure(cell) / static_cast<double>(multiplicity);
                if constexpr (D == 3) {
                    auto& orders = res.face_orders[i];
                    orders.fill(0);
                    for (std::size_t f = 0; f < cell.face_count(); ++f) {
                        const int* loop = cell.face(f);
                        const int L = cell.face_size(f);
                        int edges = 0;
                        for (int e = 0; e < L; ++e)
                            if ((cell.v[static_cast<std::size_t>(loop[e])] - cell.v[static_cast<std::size_t>(loop[(e + 1) % L])]).norm() > edge_min)
                                ++edges;
                        if (edges < 3) continue;
                        if (edges < voronoi_result<D>::max_edges) ++orders[static_cast<std::size_t>(edges)];
                        if (opt.faces) {
                            const int tg = cell.tag[f];
                            const double area = detail::face_area_vector(cell, f).norm();
                            if (tg >= 0) res.faces[i].push_back({sites[static_cast<std::size_t>(tg)].j, sites[static_cast<std::size_t>(tg)].img, area, edges});
                            else res.faces[i].push_back({tg, ivec<D>::Zero(), area, edges});
                        }
                    }
                } else if (opt.faces) {
                    const std::size_t m = cell.v.size();
                    for (std::size_t e = 0; e < m; ++e) {
                        const double len = (cell.v[(e + 1) % m] - cell.v[e]).norm();
                        if (len <= edge_min) continue;
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
        search *= 4.0;
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
