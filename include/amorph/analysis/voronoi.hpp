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
//     mean spacing) count as inside it, so a plane through existing vertices
//     (cospherical sites, as in crystals) cuts nothing there and makes no
//     sliver faces; in 3D a vertex where more than three planes meet is held
//     as several vertices at one point (detail/voronoi_cell.hpp), joined by
//     edges of length zero that no face order counts;
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
// edges. Edges no longer than max(`edge_threshold`, eps) are merged away
// before counting (the default 0 keeps every edge of nonzero length, as
// voro++ does).
#pragma once

#include "amorph/analysis/detail/voronoi_cell.hpp"
#include "amorph/core/box.hpp"
#include "amorph/core/compiled.hpp"
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
    // scratch for clip(), reused from cut to cut
    std::vector<double> s;
    std::vector<Eigen::Vector2d> v_next;
    std::vector<int> tag_next;
};

inline void init_square(polygon& p, double r, const std::array<int, 4>& tags) {
    p.v = {{-r, -r}, {r, -r}, {r, r}, {-r, r}};
    // edges: bottom (-y), right (+x), top (+y), left (-x)
    p.tag.assign(tags.begin(), tags.end());
}

/// Keep { y : n . y <= c }; the cut edge gets `tag`. Returns false when
/// nothing was cut. Vertices within eps of the line count as on it (kept).
inline bool clip(polygon& p, const Eigen::Vector2d& n, double c, double eps, int tag) {
    const std::size_t m = p.v.size();
    p.s.resize(m);
    std::vector<double>& s = p.s;
    bool any_out = false;
    for (std::size_t k = 0; k < m; ++k) {
        s[k] = n.dot(p.v[k]) - c;
        any_out |= s[k] > eps;
    }
    if (!any_out) return false;
    auto& qv = p.v_next;
    auto& qt = p.tag_next;
    qv.clear();
    qt.clear();
    for (std::size_t k = 0; k < m; ++k) {
        const std::size_t l = (k + 1) % m;
        const bool in_k = s[k] <= eps, in_l = s[l] <= eps;
        const bool strictly_k = s[k] < -eps, strictly_l = s[l] < -eps;
        auto cross = [&] { return Eigen::Vector2d(p.v[k] + s[k] / (s[k] - s[l]) * (p.v[l] - p.v[k])); };
        if (in_k) {
            // leaving through the line at k itself: k's edge runs along the cut
            qv.push_back(p.v[k]);
            qt.push_back(in_l || strictly_k ? p.tag[k] : tag);
            if (!in_l && strictly_k) {  // leaving between k and l
                qv.push_back(cross());
                qt.push_back(tag);
            }
        } else if (in_l && strictly_l) {  // entering between k and l
            qv.push_back(cross());
            qt.push_back(p.tag[k]);
        }
    }
    std::swap(p.v, qv);
    std::swap(p.tag, qt);
    return true;
}

inline double max_radius2(const polygon& p) {
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
    std::vector<std::size_t> todo;
    for (int round = 0; round == 0 || !todo.empty(); ++round) {
        if (round > 60) throw error("voronoi: search radius did not converge");
        // Sites are gathered in shells of growing radius (x1.5), so most cells
        // finish on the first shell and the rest need not start over.
        const std::array<double, 3> shell{search, 1.5 * search, 2.25 * search};
        std::array<neighbor::cell_list<D>, 3> cells;
        cells[0].build(b, x, shell[0]);
        if (round == 0) {
            // atoms in bin order: neighboring cells query the same bins (cache)
            todo.resize(n);
            for (std::size_t t = 0; t < n; ++t) todo[t] = cells[0].slot_atom(static_cast<std::uint32_t>(t));
        }
        // slot and bin of every atom in the first list
        std::vector<std::uint32_t> slot_of(n), bin_of(n);
        for (std::size_t c = 0; c < cells[0].bin_count(); ++c) {
            const auto [t0, t1] = cells[0].bin_slots(c);
            for (std::uint32_t u = t0; u < t1; ++u) {
                slot_of[cells[0].slot_atom(u)] = u;
                bin_of[cells[0].slot_atom(u)] = static_cast<std::uint32_t>(c);
            }
        }
        // Compute the cells of `list` with sites from the first `levels` shells;
        // again[t] = 1 where that was not enough.
        auto run = [&](const std::vector<std::size_t>& list, std::size_t levels, std::vector<char>& again) {
            again.assign(list.size(), 0);
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, list.size(), 64), [&](const auto& range) {
                using poly_t = std::conditional_t<D == 2, detail::polygon, detail::cell3>;
                poly_t cell;
                const double edge_min = std::max(opt.edge_threshold, eps);
                const double edge_min2 = edge_min * edge_min;
                struct site {
                    std::uint32_t j;
                    ivec<D> img;
                    vec<D> d;
                };
                struct key {
                    double d2;
                    std::uint32_t s;  // index into sites
                };
                std::vector<site> sites;
                std::vector<key> order;  // sites by distance, ties by (j, image)
                std::vector<key> dealt;
                std::vector<std::pair<std::uint32_t, std::uint32_t>> cand;  // (slot, stencil bin)
                std::vector<vec<D>> offs;
                std::vector<ivec<D>> imgs;
                std::vector<std::uint32_t> band, bands, fill;
                for (std::size_t t = range.begin(); t != range.end(); ++t) {
                    const std::size_t i = list[t];
                    const vec<D> xi = x.col(static_cast<Eigen::Index>(i));
                    const double Ri2 = radical ? opt.radii[i] * opt.radii[i] : 0.0;
                    sites.clear();
                    order.clear();
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
                    for (std::size_t level = 0; level < levels && !complete; ++level) {
                        const double rlo2 = level ? shell[level - 1] * shell[level - 1] : 0.0;
                        const double rhi = shell[level];
                        const std::size_t first = order.size();
                        auto take = [&](std::uint32_t j, const ivec<D>& img, const vec<D>& d, double r2) {
                            if (level > 0) {
                                if (r2 >= rlo2) {
                                    order.push_back({r2, static_cast<std::uint32_t>(sites.size())});
                                    sites.push_back({j, img, d});
                                }
                                return;
                            }
                            if (j == i && img.isZero()) return;
                            if (r2 <= dup2) {  // a duplicate of i (possibly through an image)
                                if (j != i) ++multiplicity;
                                return;
                            }
                            order.push_back({r2, static_cast<std::uint32_t>(sites.size())});
                            sites.push_back({j, img, d});
                        };
                        if (level > 0) {
                            cells[level].for_each_within(xi, rhi * rhi, take);
                        } else {
                            // What for_each_within does, without a branch per
                            // candidate (a hit is a coin toss): the query is atom
                            // i itself, at its wrapped position in the list.
                            const auto& cl = cells[0];
                            const coords<D>& xw = cl.slot_positions();
                            const icoords<D>& fw = cl.slot_images();
                            const vec<D> pw = xw.col(slot_of[i]);
                            const ivec<D> fp = fw.col(slot_of[i]);
                            const double r2max = rhi * rhi;
                            std::size_t nc = 0;
                            offs.clear();
                            imgs.clear();
                            cl.for_each_stencil_bin(cl.bin_coords_of(bin_of[i]), [&](std::uint32_t b0, std::uint32_t b1, const ivec<D>& img, const vec<D>& shift) {
                                const vec<D> off = shift - pw;
                                const auto sid = static_cast<std::uint32_t>(offs.size());
                                offs.push_back(off);
                                imgs.push_back(img);
                                if (cand.size() < nc + (b1 - b0)) cand.resize(2 * (nc + (b1 - b0)));
                                for (std::uint32_t u = b0; u < b1; ++u) {
                                    const vec<D> d = xw.col(u) + off;
                                    cand[nc] = {u, sid};
                                    nc += d.squaredNorm() < r2max;
                                }
                            });
                            for (std::size_t h = 0; h < nc; ++h) {
                                const auto [u, sid] = cand[h];
                                const vec<D> d = xw.col(u) + offs[sid];
                                take(cl.slot_atom(u), ivec<D>(imgs[sid] - fw.col(u) + fp), d, d.squaredNorm());
                            }
                        }
                        // Sites are used by distance, equal distances by (j, image),
                        // so the cell does not depend on the bins. Most cells finish
                        // long before the shell's last site: the sites are dealt into
                        // bands of distance (equal expected counts) and a band is
                        // sorted only when the clipping reaches it.
                        const std::size_t cnt = order.size() - first;
                        const std::size_t nb = std::max<std::size_t>(1, cnt / 6);
                        {
                            const double lo3 = rlo2 * std::sqrt(rlo2), hi3 = rhi * rhi * rhi;
                            const double scale = static_cast<double>(nb) / std::max(hi3 - lo3, 1e-300);
                            band.resize(cnt);
                            bands.assign(nb + 1, 0);
                            for (std::size_t u = 0; u < cnt; ++u) {
                                const double d2 = order[first + u].d2;
                                const double f = (d2 * std::sqrt(d2) - lo3) * scale;  // monotonic in d2
                                const auto bi = static_cast<std::uint32_t>(std::min(static_cast<double>(nb - 1), std::max(0.0, f)));
                                band[u] = bi;
                                ++bands[bi + 1];
                            }
                            for (std::size_t bi = 0; bi < nb; ++bi) bands[bi + 1] += bands[bi];
                            dealt.resize(cnt);
                            fill.assign(bands.begin(), bands.end() - 1);
                            for (std::size_t u = 0; u < cnt; ++u) dealt[fill[band[u]]++] = order[first + u];
                            std::copy(dealt.begin(), dealt.end(), order.begin() + static_cast<std::ptrdiff_t>(first));
                        }
                        std::size_t sorted_end = first, next_band = 0;
                        auto sort_band = [&] {
                            const auto u0 = order.begin() + static_cast<std::ptrdiff_t>(first + bands[next_band]);
                            const auto u1 = order.begin() + static_cast<std::ptrdiff_t>(first + bands[next_band + 1]);
                            std::sort(u0, u1, [](const key& a, const key& c) { return a.d2 < c.d2; });
                            for (auto u = u0; u != u1;) {
                                auto w = u + 1;
                                while (w != u1 && w->d2 == u->d2) ++w;
                                if (w - u > 1)
                                    std::sort(u, w, [&](const key& a, const key& c) {
                                        const site& sa = sites[a.s];
                                        const site& sc = sites[c.s];
                                        return sa.j != sc.j ? sa.j < sc.j : std::lexicographical_compare(sa.img.data(), sa.img.data() + D, sc.img.data(), sc.img.data() + D);
                                    });
                                u = w;
                            }
                            sorted_end = first + bands[++next_band];
                        };
                        // a site at distance >= reach cannot cut
                        auto reach_of = [&](double r2) { return std::sqrt(r2) + std::sqrt(std::max(0.0, r2 + rmax2 - Ri2)); };
                        double reach = reach_of(rho2);
                        for (; k <= order.size(); ++k) {
                            while (k < order.size() && k >= sorted_end) sort_band();
                            const double next = k < order.size() ? std::sqrt(order[k].d2) : rhi;
                            if (next >= reach) {
                                complete = true;
                                break;
                            }
                            if (k == order.size()) break;
                            const site& s = sites[order[k].s];
                            const double Rj2 = radical ? opt.radii[s.j] * opt.radii[s.j] : 0.0;
                            if (detail::clip(cell, s.d, 0.5 * (order[k].d2 + Ri2 - Rj2), eps, static_cast<int>(k))) {
                                rho2 = detail::max_radius2(cell);
                                reach = reach_of(rho2);
                            }
                        }
                    }
                    if (!complete) {
                        again[t] = 1;
                        continue;
                    }
                    auto site_of = [&](int tg) -> const site& { return sites[order[static_cast<std::size_t>(tg)].s]; };
                    if constexpr (D == 3) {
                        // one walk over the faces: volume, face orders, faces
                        auto& orders = res.face_orders[i];
                        orders.fill(0);
                        double vol = 0;
                        detail::for_each_face(cell, [&](int tg, const int* loop, int L) {
                            const Eigen::Vector3d v0 = cell.vertex(loop[0]);
                            Eigen::Vector3d area = Eigen::Vector3d::Zero();
                            int edges = 0;
                            Eigen::Vector3d prev = v0;
                            for (int e = 1; e <= L; ++e) {
                                const Eigen::Vector3d cur = cell.vertex(loop[e == L ? 0 : e]);
                                edges += (cur - prev).squaredNorm() > edge_min2;
                                if (e >= 2 && e < L) {
                                    vol += v0.dot(prev.cross(cur));
                                    area += (prev - v0).cross(cur - v0);
                                }
                                prev = cur;
                            }
                            if (edges < 3) return;
                            if (edges < voronoi_result<D>::max_edges) ++orders[static_cast<std::size_t>(edges)];
                            if (opt.faces) {
                                const double a = 0.5 * area.norm();
                                if (tg >= 0) res.faces[i].push_back({site_of(tg).j, site_of(tg).img, a, edges});
                                else res.faces[i].push_back({tg, ivec<D>::Zero(), a, edges});
                            }
                        });
                        res.volume[i] = vol / 6.0 / static_cast<double>(multiplicity);
                    } else {
                        res.volume[i] = detail::measure(cell) / static_cast<double>(multiplicity);
                        if (!opt.faces) continue;
                        const std::size_t m = cell.v.size();
                        for (std::size_t e = 0; e < m; ++e) {
                            const double len = (cell.v[(e + 1) % m] - cell.v[e]).norm();
                            if (len <= edge_min) continue;
                            const int tg = cell.tag[e];
                            if (tg >= 0) res.faces[i].push_back({site_of(tg).j, site_of(tg).img, len, 2});
                            else res.faces[i].push_back({tg, ivec<D>::Zero(), len, 2});
                        }
                    }
                }
            });
        };
        // First pass: the first shell only. The few cells it leaves open are
        // redone from scratch with all three shells (the same sites, clipped
        // in the same order), so the wider lists are built only when needed.
        std::vector<char> again;
        run(todo, 1, again);
        std::vector<std::size_t> rest;
        for (std::size_t t = 0; t < todo.size(); ++t)
            if (again[t]) rest.push_back(todo[t]);
        todo.clear();
        if (!rest.empty()) {
            cells[1].build(b, x, shell[1]);
            cells[2].build(b, x, shell[2]);
            run(rest, shell.size(), again);
            for (std::size_t t = 0; t < rest.size(); ++t)
                if (again[t]) todo.push_back(rest[t]);
        }
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

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_VORONOI_TEMPLATES(P, D) \
    P template voronoi_result<D> voronoi<D>(const box<D>&, const coords<D>&, const voronoi_options&);
AMORPH_EXTERN_TEMPLATES(AMORPH_VORONOI_TEMPLATES)

}  // namespace amorph::analysis
