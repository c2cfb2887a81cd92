// amorph/analysis/detail/voronoi_cell.hpp — the convex cell the 3D Voronoi
// tessellation clips (analysis/voronoi.hpp).
//
// The cell is a vertex graph in which every vertex has three neighbors (the
// representation voro++ uses for cells in general position). Faces are not
// stored: they are the cycles of the rule
//     after the directed edge u -> v, a face continues with v -> nb[v][(k + 1) % 3],
//     where nb[v][k] = u,
// and every face, traversed this way, is counter-clockwise seen from outside.
// ft[v][k] is the tag (the cutting site) of the face that holds the directed
// edge v -> nb[v][k].
//
// Clipping by the half-space { y : n . y <= c } with tolerance eps:
//   * a vertex is outside when n . y - c > eps, otherwise it stays (a vertex
//     within eps of the plane counts as inside, so a plane through existing
//     vertices, as in crystals, cuts nothing there);
//   * every edge from an inside vertex a to an outside vertex o gets a new
//     vertex w = a + t (o - a), t = min(s_a, 0) / (min(s_a, 0) - s_o) in [0, 1),
//     with neighbors (a, pL, pR): pL is the new vertex where the face holding
//     a -> o leaves the cut-away region, pR the one where the face holding
//     o -> a enters it, so pL -> w -> pR runs along the new face (the cap);
//   * the outside vertices are removed and the last vertices moved into the
//     holes, so the vertices are always 0 .. size() - 1.
// A vertex where more than three planes meet (cospherical sites) is held as
// several vertices at the same point, joined by edges of length zero; the
// volume is exact regardless, and the Voronoi index counts only edges longer
// than a threshold. The work of a cut is proportional to the vertices it
// removes and makes, plus one pass over the coordinates for the plane test.
#pragma once

#include <Eigen/Core>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace amorph::analysis::detail {

/// A convex cell in coordinates centred on its atom, as described above. The
/// buffers are reused from cell to cell: a warm cell allocates nothing.
struct cell3 {
    using triple = std::array<int, 3>;
    std::vector<double> x, y, z;  // vertex positions, by coordinate (the plane test vectorizes)
    std::vector<triple> nb;       // neighbors, in the cyclic order of the face rule above
    std::vector<triple> ft;       // ft[v][k]: tag of the face holding v -> nb[v][k]
    int nv = 0;                   // vertices 0 .. nv - 1
    double r2max = 0;             // largest |y|^2 over the vertices

    int size() const noexcept { return nv; }
    Eigen::Vector3d vertex(int v) const {
        const auto k = static_cast<std::size_t>(v);
        return {x[k], y[k], z[k]};
    }

    // scratch for clip() and the face walk
    std::vector<double> s;
    std::vector<std::uint8_t> out;
    std::vector<int> outs;
    std::vector<triple> cut;                      // cut[o][k]: the vertex made on o -> nb[o][k]
    std::vector<int> made_from;                   // per new vertex: the outside vertex of its edge
    std::vector<std::uint8_t> seen;
    std::vector<int> loop;
};

/// Slot of u in the neighbor triple t of some vertex (u must be in it).
inline int slot_of(const cell3::triple& t, int u) noexcept {
    return static_cast<int>(t[1] == u) + 2 * static_cast<int>(t[2] == u);
}

inline void reserve_vertices(cell3& p, std::size_t m) {
    if (p.x.size() >= m) return;
    const std::size_t c = std::max<std::size_t>(m, 2 * p.x.size());
    p.x.resize(c);
    p.y.resize(c);
    p.z.resize(c);
    p.nb.resize(c);
    p.ft.resize(c);
    p.s.resize(c);
    p.out.resize(c);
    p.cut.resize(c);
}

inline void update_radius(cell3& p) {
    double r2 = 0;
    for (int k = 0; k < p.nv; ++k) {
        const auto u = static_cast<std::size_t>(k);
        r2 = std::max(r2, p.x[u] * p.x[u] + p.y[u] * p.y[u] + p.z[u] * p.z[u]);
    }
    p.r2max = r2;
}

/// The cube [-r, r]^3; tags: faces -x, +x, -y, +y, -z, +z.
inline void init_cube(cell3& p, double r, const std::array<int, 6>& tags) {
    // Vertex k is at ((k & 1) ? r : -r, (k & 2) ? r : -r, (k & 4) ? r : -r).
    // Faces as counter-clockwise loops seen from outside, from which the
    // neighbor cycles follow: in a loop a -> b -> c, c comes after a at b.
    struct table {
        std::array<cell3::triple, 8> nb, face;
    };
    static const table t = [] {
        constexpr int loops[6][4] = {{0, 4, 6, 2}, {1, 3, 7, 5}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 2, 3, 1}, {4, 5, 7, 6}};
        std::array<std::array<int, 8>, 8> after{}, face_of{};  // after[b][a] = c; face_of[b][c]: the face of b -> c
        for (int f = 0; f < 6; ++f)
            for (int e = 0; e < 4; ++e) {
                const int a = loops[f][e], b = loops[f][(e + 1) % 4], c = loops[f][(e + 2) % 4];
                after[static_cast<std::size_t>(b)][static_cast<std::size_t>(a)] = c;
                face_of[static_cast<std::size_t>(b)][static_cast<std::size_t>(c)] = f;
            }
        table out{};
        for (std::size_t b = 0; b < 8; ++b) {
            const int n0 = static_cast<int>(b ^ 1u);  // any neighbor starts the cycle
            out.nb[b] = {n0, after[b][static_cast<std::size_t>(n0)], 0};
            out.nb[b][2] = after[b][static_cast<std::size_t>(out.nb[b][1])];
            for (std::size_t k = 0; k < 3; ++k) out.face[b][k] = face_of[b][static_cast<std::size_t>(out.nb[b][k])];
        }
        return out;
    }();
    reserve_vertices(p, 64);
    for (int k = 0; k < 8; ++k) {
        const auto u = static_cast<std::size_t>(k);
        p.x[u] = (k & 1) ? r : -r;
        p.y[u] = (k & 2) ? r : -r;
        p.z[u] = (k & 4) ? r : -r;
        p.nb[u] = t.nb[u];
        for (std::size_t e = 0; e < 3; ++e) p.ft[u][e] = tags[static_cast<std::size_t>(t.face[u][e])];
    }
    p.nv = 8;
    p.r2max = 3 * r * r;
}

/// Keep { y : n . y <= c }; the new face gets `tag`. Returns false when no
/// vertex is more than eps outside (nothing cut). A cell cut away entirely
/// (possible in a radical tessellation) is left with no vertices.
inline bool clip(cell3& p, const Eigen::Vector3d& n, double c, double eps, int tag) {
    const int m = p.nv;
    reserve_vertices(p, static_cast<std::size_t>(4 * m));  // room for the new vertices (at most 3 per removed one)
    double* const s = p.s.data();
    int any = 0;
    {
        const double nx = n.x(), ny = n.y(), nz = n.z();
        const double* __restrict px = p.x.data();
        const double* __restrict py = p.y.data();
        const double* __restrict pz = p.z.data();
        int k = 0;
#if defined(__SSE2__)
        // two vertices at a time, the same operations in the same order
        const __m128d vx = _mm_set1_pd(nx), vy = _mm_set1_pd(ny), vz = _mm_set1_pd(nz);
        const __m128d vc = _mm_set1_pd(c), ve = _mm_set1_pd(eps);
        for (; k + 2 <= m; k += 2) {
            __m128d sv = _mm_add_pd(_mm_mul_pd(vx, _mm_loadu_pd(px + k)), _mm_mul_pd(vy, _mm_loadu_pd(py + k)));
            sv = _mm_sub_pd(_mm_add_pd(sv, _mm_mul_pd(vz, _mm_loadu_pd(pz + k))), vc);
            _mm_storeu_pd(s + k, sv);
            any |= _mm_movemask_pd(_mm_cmpgt_pd(sv, ve));
        }
#endif
        for (; k < m; ++k) {
            const double sv = nx * px[k] + ny * py[k] + nz * pz[k] - c;
            s[k] = sv;
            any |= static_cast<int>(sv > eps);
        }
    }
    if (!any) return false;

    int no = 0;
    p.outs.resize(static_cast<std::size_t>(m));
    for (int k = 0; k < m; ++k) {
        const bool o = s[k] > eps;
        p.out[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(o);
        p.outs[static_cast<std::size_t>(no)] = k;
        no += o;
    }
    if (no == m) {
        p.nv = 0;
        p.r2max = 0;
        return true;
    }
    double *const px = p.x.data(), *const py = p.y.data(), *const pz = p.z.data();
    cell3::triple *const nb = p.nb.data(), *const ft = p.ft.data(), *const cut = p.cut.data();
    std::uint8_t* const out = p.out.data();

    // a new vertex on every edge from an inside vertex to an outside one
    int nw = m;
    p.made_from.clear();
    for (int q = 0; q < no; ++q) {
        const int o = p.outs[static_cast<std::size_t>(q)];
        for (int k = 0; k < 3; ++k) {
            const int a = nb[o][k];
            if (out[a]) continue;
            const int w = nw++;
            const double sa = std::min(s[a], 0.0);
            const double t = sa / (sa - s[o]);
            px[w] = px[a] + t * (px[o] - px[a]);
            py[w] = py[a] + t * (py[o] - py[a]);
            pz[w] = pz[a] + t * (pz[o] - pz[a]);
            out[w] = 0;
            const int ja = slot_of(nb[a], o);
            nb[a][ja] = w;
            nb[w][0] = a;
            ft[w] = {ft[o][k], ft[a][ja], tag};
            cut[o][k] = w;
            p.made_from.push_back(o);
        }
    }
    // link the new vertices around the cap: from w (on a -> o) follow the
    // face that holds a -> o through the outside vertices to its exit edge
    for (int w = m; w < nw; ++w) {
        int prev = nb[w][0], cur = p.made_from[static_cast<std::size_t>(w - m)];
        for (;;) {
            const int e = slot_of(nb[cur], prev) + 1;
            const int kn = e == 3 ? 0 : e;
            const int nxt = nb[cur][kn];
            if (!out[nxt]) {
                const int w2 = cut[cur][kn];
                nb[w][1] = w2;
                nb[w2][2] = w;
                break;
            }
            prev = cur;
            cur = nxt;
        }
    }
    // remove the outside vertices: move the live ones from the end into the holes
    const int live = nw - no;
    int src = live;
    for (int q = 0; q < no; ++q) {
        const int h = p.outs[static_cast<std::size_t>(q)];
        if (h >= live) break;
        while (out[src]) ++src;
        px[h] = px[src];
        py[h] = py[src];
        pz[h] = pz[src];
        nb[h] = nb[src];
        ft[h] = ft[src];
        for (int e = 0; e < 3; ++e) {
            auto& t = nb[nb[h][e]];
            t[static_cast<std::size_t>(slot_of(t, src))] = h;
        }
        ++src;
    }
    p.nv = live;
    update_radius(p);
    return true;
}

inline double max_radius2(const cell3& p) { return p.r2max; }

/// Calls fn(tag, loop, L) for every face, loop[0 .. L) its vertices
/// counter-clockwise seen from outside.
template <class Fn>
void for_each_face(cell3& p, Fn&& fn) {
    const auto n3 = static_cast<std::size_t>(3 * p.nv);
    p.seen.assign(n3, 0);
    for (int v = 0; v < p.nv; ++v)
        for (int k = 0; k < 3; ++k) {
            if (p.seen[static_cast<std::size_t>(3 * v + k)]) continue;
            p.loop.clear();
            int u = v, e = k;
            do {
                p.seen[static_cast<std::size_t>(3 * u + e)] = 1;
                p.loop.push_back(u);
                const int w = p.nb[static_cast<std::size_t>(u)][static_cast<std::size_t>(e)];
                const int j = slot_of(p.nb[static_cast<std::size_t>(w)], u) + 1;
                e = j == 3 ? 0 : j;
                u = w;
            } while (u != v || e != k);
            fn(p.ft[static_cast<std::size_t>(v)][static_cast<std::size_t>(k)], p.loop.data(), static_cast<int>(p.loop.size()));
        }
}

}  // namespace amorph::analysis::detail
