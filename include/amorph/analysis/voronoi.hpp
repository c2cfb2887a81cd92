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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
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
/// seen from outside (face f is idx[start[f] .. start[f] + len[f])), each face
/// tagged with the site that made it. Clipping works in place: faces the
/// plane does not reach are left as they are, a cut face is rewritten at the
/// end of idx, cut-away vertices stay in v as unreferenced zeros, and the
/// storage is compacted once the dead entries outnumber the live ones. The
/// buffers are reused, so a cell costs no allocation once warm.
struct polyhedron {
    std::vector<Eigen::Vector3d> v;  // may hold dead (zeroed, unreferenced) vertices
    std::vector<int> idx;
    std::vector<int> start, len, tag;
    std::size_t live_idx = 0;  // sum of len
    std::size_t dead = 0;      // vertices cut away since the last compaction
    double r2max = 0;          // largest |v|^2
    std::vector<double> x, y, z;  // v again, by coordinate (the plane test vectorizes)

    std::size_t face_count() const noexcept { return tag.size(); }
    int face_size(std::size_t f) const noexcept { return len[f]; }
    const int* face(std::size_t f) const noexcept { return idx.data() + start[f]; }

    // scratch for clip()
    std::vector<double> s;
    std::vector<int> capv, remap, itmp;
    std::vector<char> incap;
    std::vector<std::uint8_t> cls;
    std::vector<int> next;
    std::vector<std::pair<std::uint64_t, int>> cuts;  // cut edges whose hash slot was taken
    std::array<std::uint64_t, 64> hkey{};
    std::array<int, 64> hid{};
    std::array<std::uint32_t, 64> hstamp{};
    std::uint32_t stamp = 0;
    std::vector<std::pair<double, int>> ang;
    std::vector<Eigen::Vector3d> vtmp;
};

inline void sync_coordinates(polyhedron& p) {
    const std::size_t m = p.v.size();
    if (p.x.size() < m) {
        p.x.resize(m);
        p.y.resize(m);
        p.z.resize(m);
    }
    for (std::size_t k = 0; k < m; ++k) {
        p.x[k] = p.v[k].x();
        p.y[k] = p.v[k].y();
        p.z[k] = p.v[k].z();
    }
}

inline void init_cube(polyhedron& p, double r, const std::array<int, 6>& tags) {
    p.v.clear();
    for (int k = 0; k < 8; ++k)
        p.v.emplace_back((k & 1) ? r : -r, (k & 2) ? r : -r, (k & 4) ? r : -r);
    // -x, +x, -y, +y, -z, +z, loops counter-clockwise from outside
    p.idx = {0, 4, 6, 2, 1, 3, 7, 5, 0, 1, 5, 4, 2, 6, 7, 3, 0, 2, 3, 1, 4, 5, 7, 6};
    p.start = {0, 4, 8, 12, 16, 20};
    p.len.assign(6, 4);
    p.tag.assign(tags.begin(), tags.end());
    p.live_idx = 24;
    p.dead = 0;
    p.r2max = p.v[7].squaredNorm();
    sync_coordinates(p);
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

/// Renumber the referenced vertices in index order and store the face loops
/// contiguously (drops dead vertices and rewritten loops).
inline void compact(polyhedron& p) {
    const std::size_t m = p.v.size();
    p.remap.assign(m, -1);
    for (std::size_t f = 0; f < p.face_count(); ++f) {
        const int* loop = p.face(f);
        for (int k = 0; k < p.len[f]; ++k) p.remap[static_cast<std::size_t>(loop[k])] = 0;
    }
    p.vtmp.clear();
    for (std::size_t k = 0; k < m; ++k)
        if (p.remap[k] == 0) {
            p.remap[k] = static_cast<int>(p.vtmp.size());
            p.vtmp.push_back(p.v[k]);
        }
    p.itmp.clear();
    for (std::size_t f = 0; f < p.face_count(); ++f) {
        const int* loop = p.face(f);
        const int st = static_cast<int>(p.itmp.size());
        for (int k = 0; k < p.len[f]; ++k) p.itmp.push_back(p.remap[static_cast<std::size_t>(loop[k])]);
        p.start[f] = st;
    }
    std::swap(p.v, p.vtmp);
    sync_coordinates(p);
    p.r2max = 0;
    for (const auto& v : p.v) p.r2max = std::max(p.r2max, v.squaredNorm());
    std::swap(p.idx, p.itmp);
    p.live_idx = p.idx.size();
    p.dead = 0;
}

inline bool clip(polyhedron& p, const Eigen::Vector3d& n, double c, double eps, int tag) {
    const std::size_t m = p.v.size();
    if (p.s.size() < m) p.s.resize(m);
    double* const s = p.s.data();
    bool any_out = false;
    {
        const double nx = n.x(), ny = n.y(), nz = n.z();
        const double* __restrict px = p.x.data();
        const double* __restrict py = p.y.data();
        const double* __restrict pz = p.z.data();
        double* __restrict sk = s;
        int out = 0;
        std::size_t k = 0;
#if defined(__SSE2__)
        // two vertices at a time, the same operations in the same order
        const __m128d vx = _mm_set1_pd(nx), vy = _mm_set1_pd(ny), vz = _mm_set1_pd(nz);
        const __m128d vc = _mm_set1_pd(c), ve = _mm_set1_pd(eps);
        for (; k + 2 <= m; k += 2) {
            __m128d sv = _mm_add_pd(_mm_mul_pd(vx, _mm_loadu_pd(px + k)), _mm_mul_pd(vy, _mm_loadu_pd(py + k)));
            sv = _mm_sub_pd(_mm_add_pd(sv, _mm_mul_pd(vz, _mm_loadu_pd(pz + k))), vc);
            _mm_storeu_pd(sk + k, sv);
            out |= _mm_movemask_pd(_mm_cmpgt_pd(sv, ve));
        }
#endif
        for (; k < m; ++k) {
            const double sv = nx * px[k] + ny * py[k] + nz * pz[k] - c;  // = n.dot(v[k]) - c
            sk[k] = sv;
            out |= static_cast<int>(sv > eps);
        }
        any_out = out != 0;
    }
    if (!any_out) return false;

    // cls: 0 inside, 1 on the plane (|s| <= eps; the vertices made here too),
    // 2 outside. next[b] = a for every on-plane edge a->b of a clipped face;
    // capv lists the on-plane vertices of the clipped faces (the cap). The
    // loops below avoid data-dependent branches where they can (they are
    // what costs: the outcomes are unpredictable).
    const std::size_t vcap = m + p.live_idx;  // bound on the vertex count (a new one per edge)
    if (p.incap.size() < vcap) {
        p.incap.resize(vcap, 0);
        p.next.resize(vcap + 1);
        p.cls.resize(vcap);
        p.capv.resize(vcap);
    }
    p.v.resize(vcap);
    if (p.x.size() < vcap) {
        p.x.resize(vcap);
        p.y.resize(vcap);
        p.z.resize(vcap);
    }
    double *const px = p.x.data(), *const py = p.y.data(), *const pz = p.z.data();
    Eigen::Vector3d* const pv = p.v.data();
    int nv = static_cast<int>(m), ncap = 0;
    int* const capv = p.capv.data();
    if (++p.stamp == 0) {
        p.hstamp.fill(0);
        p.stamp = 1;
    }
    std::uint8_t* const cls = p.cls.data();
    int* const next = p.next.data();
    for (std::size_t k = 0; k < m; ++k)
        cls[k] = static_cast<std::uint8_t>(static_cast<int>(s[k] > eps) + static_cast<int>(s[k] >= -eps));
    p.cuts.clear();
    auto add_cap = [&](int k) {
        if (!p.incap[static_cast<std::size_t>(k)]) {
            p.incap[static_cast<std::size_t>(k)] = 1;
            p.next[static_cast<std::size_t>(k)] = -1;
            capv[ncap++] = k;
        }
    };
    // One new vertex per cut edge, shared by the edge's two faces, made when
    // the edge is first met (from that face's endpoint a). Edges are found
    // again through a small hash table (stamped per clip, collisions in a
    // list); the first/second meeting is a coin toss, so no branch decides it.
    auto cut_vertex = [&](int a, int b) {
        const int lo = a ^ ((a ^ b) & -static_cast<int>(b < a)), hi = a ^ b ^ lo;
        const std::uint64_t key = (static_cast<std::uint64_t>(lo) << 32) | static_cast<std::uint64_t>(hi);
        const auto h = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 58);
        const bool used = p.hstamp[h] == p.stamp;
        const double sa = s[static_cast<std::size_t>(a)], sb = s[static_cast<std::size_t>(b)];
        const double t = sa / (sa - sb);
        if (used & (p.hkey[h] != key)) [[unlikely]] {  // collision
            for (const auto& [k, v] : p.cuts)
                if (k == key) return v;
            pv[nv] = pv[a] + t * (pv[b] - pv[a]);
            px[nv] = pv[nv].x();
            py[nv] = pv[nv].y();
            pz[nv] = pv[nv].z();
            p.cuts.emplace_back(key, nv);
            cls[nv] = 1;
            next[nv] = -1;
            capv[ncap++] = nv;
            return nv++;
        }
        const int found = used;
        pv[nv] = pv[a] + t * (pv[b] - pv[a]);  // kept only when new
        px[nv] = pv[nv].x();
        py[nv] = pv[nv].y();
        pz[nv] = pv[nv].z();
        const int id = nv + (p.hid[h] - nv) * found;
        p.hkey[h] = key;
        p.hid[h] = id;
        p.hstamp[h] = p.stamp;
        cls[nv] = 1;
        next[nv] = -1;
        capv[ncap] = nv;
        ncap += 1 - found;
        nv += 1 - found;
        return id;
    };

    const std::size_t F = p.face_count();
    std::size_t w = 0;  // faces kept so far (in order)
    bool dropped = false;
    // rewritten faces and the cap go to the end of idx, written in place
    std::size_t tail = p.idx.size();
    p.idx.resize(tail + 2 * p.live_idx + vcap);
    for (std::size_t f = 0; f < F; ++f) {
        const int st = p.start[f], L = p.len[f];
        int touched = 0;  // some vertex out or on the plane (cls != 0)
        {
            const int* loop = p.idx.data() + st;
            for (int k = 0; k < L; ++k) touched |= cls[loop[k]];
        }
        if (!touched) {
            p.start[w] = st;
            p.len[w] = L;
            p.tag[w] = p.tag[f];
            ++w;
            continue;
        }
        int* const out = p.idx.data() + tail;
        int M = 0, on_plane = 0, removed = 0;
        for (int k = 0; k < L; ++k) {
            const int a = p.idx[static_cast<std::size_t>(st + k)], b = p.idx[static_cast<std::size_t>(st + (k + 1 == L ? 0 : k + 1))];
            const int ca = cls[a], cb = cls[b];
            out[M] = a;  // kept unless outside
            M += ca != 2;
            removed |= ca == 2;
            if (ca == 1) {
                add_cap(a);
                ++on_plane;
            }
            if ((ca ^ cb) == 2) {  // one inside, one outside
                out[M++] = cut_vertex(a, b);
                ++on_plane;
            }
        }
        p.live_idx -= static_cast<std::size_t>(L);
        if (M < 3) {  // the face is gone; compact below so that its vertices
            dropped = true;  // (if no other face holds them) do not linger
            continue;
        }
        if (on_plane >= 2) {
            const int trash = static_cast<int>(vcap);  // a spare slot
            for (int e = 0; e < M; ++e) {
                const int a = out[e], b = out[e + 1 == M ? 0 : e + 1];
                const int both = (cls[a] == 1) & (cls[b] == 1);
                next[b + (trash - b) * (1 - both)] = a;
            }
        }
        if (removed) {  // rewritten at the end
            p.start[w] = static_cast<int>(tail);
            tail += static_cast<std::size_t>(M);
        } else {  // only touches the plane: unchanged
            p.start[w] = st;
        }
        p.len[w] = M;
        p.tag[w] = p.tag[f];
        p.live_idx += static_cast<std::size_t>(M);
        ++w;
    }
    p.start.resize(w);
    p.len.resize(w);
    p.tag.resize(w);
    // The cap: every on-plane vertex, ordered counter-clockwise around n. An
    // edge a->b of a clipped face with both ends on the plane borders the cap,
    // which runs along it the other way (b->a): chain those edges from the
    // lowest-numbered cap vertex. Should the chain not close over every cap
    // vertex (degenerate input), order by angle.
    p.v.resize(static_cast<std::size_t>(nv));
    p.idx.resize(tail);
    if (ncap >= 3) {
        const std::size_t before = p.idx.size();
        const int cap0 = *std::min_element(capv, capv + ncap);
        int at = cap0;
        bool closed = false;
        for (int steps = 0; steps < ncap; ++steps) {
            p.idx.push_back(at);
            at = p.next[static_cast<std::size_t>(at)];
            if (at < 0) break;
            if (at == cap0) {
                closed = steps + 1 == ncap;
                break;
            }
        }
        if (!closed) {
            p.idx.resize(before);
            std::sort(capv, capv + ncap);
            Eigen::Vector3d centre = Eigen::Vector3d::Zero();
            for (int c = 0; c < ncap; ++c) centre += p.v[static_cast<std::size_t>(capv[c])];
            centre /= static_cast<double>(ncap);
            const Eigen::Vector3d u = n.unitOrthogonal();
            const Eigen::Vector3d wv = n.normalized().cross(u);
            p.ang.clear();
            for (int c = 0; c < ncap; ++c) {
                const int k = capv[c];
                const Eigen::Vector3d r = p.v[static_cast<std::size_t>(k)] - centre;
                p.ang.emplace_back(std::atan2(r.dot(wv), r.dot(u)), k);
            }
            std::sort(p.ang.begin(), p.ang.end());
            for (const auto& a : p.ang) p.idx.push_back(a.second);
        }
        p.start.push_back(static_cast<int>(before));
        p.len.push_back(static_cast<int>(p.idx.size() - before));
        p.tag.push_back(tag);
        p.live_idx += p.idx.size() - before;
    }
    for (int c = 0; c < ncap; ++c) p.incap[static_cast<std::size_t>(capv[c])] = 0;
    // cut-away vertices: zero them (no face refers to them any more)
    double r2 = 0;
    for (std::size_t k = 0; k < m; ++k) {
        const bool gone = cls[k] == 2;
        const double keep = static_cast<double>(!gone);
        p.v[k] *= keep;
        px[k] *= keep;
        py[k] *= keep;
        pz[k] *= keep;
        p.dead += gone;
        r2 = std::max(r2, p.v[k].squaredNorm());
    }
    for (std::size_t k = m; k < p.v.size(); ++k) r2 = std::max(r2, p.v[k].squaredNorm());
    p.r2max = r2;
    if (dropped || 2 * p.dead > p.v.size() + 8 || p.idx.size() > 3 * p.live_idx + 64) compact(p);
    return true;
}

inline double max_radius2(const polygon& p) {
    double r = 0;
    for (const auto& v : p.v) r = std::max(r, v.squaredNorm());
    return r;
}
inline double max_radius2(const polyhedron& p) { return p.r2max; }

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
                using poly_t = std::conditional_t<D == 2, detail::polygon, detail::polyhedron>;
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
                    res.volume[i] = detail::measure(cell) / static_cast<double>(multiplicity);
                    if constexpr (D == 3) {
                        auto& orders = res.face_orders[i];
                        orders.fill(0);
                        for (std::size_t f = 0; f < cell.face_count(); ++f) {
                            const int* loop = cell.face(f);
                            const int L = cell.face_size(f);
                            int edges = 0;
                            for (int e = 0; e < L; ++e)
                                if ((cell.v[static_cast<std::size_t>(loop[e])] - cell.v[static_cast<std::size_t>(loop[e + 1 == L ? 0 : e + 1])]).squaredNorm() > edge_min2)
                                    ++edges;
                            if (edges < 3) continue;
                            if (edges < voronoi_result<D>::max_edges) ++orders[static_cast<std::size_t>(edges)];
                            if (opt.faces) {
                                const int tg = cell.tag[f];
                                const double area = detail::face_area_vector(cell, f).norm();
                                if (tg >= 0) res.faces[i].push_back({site_of(tg).j, site_of(tg).img, area, edges});
                                else res.faces[i].push_back({tg, ivec<D>::Zero(), area, edges});
                            }
                        }
                    } else if (opt.faces) {
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

}  // namespace amorph::analysis
