// amorph/descriptor/sdm.hpp — spatial density maps (SDM), Fan's thesis ch. 5.
//
// For a center atom i, a neighbor species beta and a pixel center p of a
// regular grid in the loading frame,
//     2D (eq 5.1):  Xi(beta, y, x)    = sum_j exp(-((f_x - x)^2 + (f_y - y)^2) / (2 W^2))
//     3D (eq 5.2):  Xi(beta, z, y, x) = sum_j exp(-((f_x - x)^2 + (f_y - y)^2 + (f_z - z)^2) / (2 W^2))
// where f = R (x_j + h n - x_i) is the displacement from i to every periodic
// image of every atom j of species beta, expressed in the loading frame R
// (rows of R: x = shear direction iota, y = shear-plane normal eta, in 3D
// z = x cross y), and the sum runs over the images with |f_k| < r_c on every
// axis (strict). The center itself (j = i, n = 0, f = 0) counts in its own
// species' channel, as in the thesis ("particle j may be the central particle").
// Pixel centers along every axis are
//     c_m = (m + 1/2 - n/2) Delta,   m = 0 .. n-1,   n = 2 r_c / Delta
// (thesis: x, y in [-r_c + Delta/2, r_c - Delta/2] with increment Delta; the
// grid is exactly symmetric, c_{n-1-m} = -c_m). W is the Gaussian width; the
// thesis uses W = Delta (settings::width = 0 means W = Delta).
// Defaults: 2D r_c = 5 sigma, Delta = 0.2 sigma (50 x 50 x 2 channels);
// 3D r_c = 9.6 A, Delta = 0.6 A (32^3 x 2).
//
// Layout of one image (float32, C order, PyTorch's NCHW / NCDHW without N):
//     [channel][z][y][x]     (2D: [channel][y][x]); x fastest,
// pixel index p = (iz n + iy) n + ix, channel = atom type (0-based).
//
// Truncation. The Gaussian factorizes over the axes, so each neighbor adds an
// outer product of 1-D factors g_k(m) = exp(-(c_m - f_k)^2 / (2 W^2)). With
// truncation t > 0 (default 6) only pixels with |c_m - f_k| <= t W on every
// axis are updated (a window of at most 2 t W / Delta + 1 pixels per axis).
// A skipped term has some factor below exp(-t^2/2) and the others <= 1, so
// every dropped term is < e_t = exp(-t^2 / 2) (1.5e-8 for t = 6), and the
// error of any pixel is below N_c e_t, N_c being the number of atom images
// inside the cutoff window (about 100 for the 2D default, 450 for the 3D one:
// bound ~7e-6, and in practice far smaller since only the few atoms just
// beyond t W of the pixel contribute anything near e_t). t = 0 evaluates the
// full grid (exact). Inside a window the 1-D factors come from the recurrence
//     g(m+1) = g(m) q(m),  q(m+1) = q(m) exp(-s^2),  s = Delta / W
// started from two exponentials (relative error ~ window * 1e-16, double).
// Pixels accumulate in float32.
//
// Frames of the 2D protocols (thesis Fig. 5.3; loading_frame_2d(theta), x' at
// angle theta): the macroscopic elongation direction must be the frame's
// diagonal y' = x', as for positive simple shear in its own frame, so
//   +simple shear (dx = +gamma y): theta = 0;   -simple shear: theta = -90 deg;
//   +pure shear (elongation along lab x): theta = -45 deg;
//   -pure shear (elongation along lab y): theta = +45 deg.
// (A mirror x -> -x instead of the -90 deg rotation for -simple shear gives
// the same map up to the y = x mirror of the augmentation group.)
//
// Mirror augmentation (thesis Fig. 5.10): in the loading frame the macroscopic
// elongation and contraction directions of simple shear are the lines y = x
// and y = -x. The symmetry group k = 0..3 (2D) / 0..7 (3D) acts on frame
// coordinates as
//     k & 3 = 0: identity            1: (x, y) -> (y, x)   (mirror across y = x)
//             2: (x, y) -> (-y, -x)  (mirror across y = -x)
//             3: (x, y) -> (-x, -y)  (both; a 180 degree rotation)
//     k & 4 (3D only): z -> -z       (mirror across the iota-eta plane)
// mirror_index_map(n, k) gives the image of the mirrored configuration as an
// index map, mirrored[c][p] = original[c][map[p]], exact on the symmetric grid.
//
// Evaluation: sdm_evaluator bins the atoms once (cell list of radius
// r_c sqrt(D), then the box test in the frame) and fills caller-provided float
// buffers for a list of centers; centers run in parallel with oneTBB, each
// image is computed by one thread in a fixed neighbor order, so results do not
// depend on the thread count. set_frame() switches the loading frame without
// rebinning.
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/vec.hpp"
#include "amorph/descriptor/concepts.hpp"
#include "amorph/neighbor/cell_list.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
#include <string>
#include <vector>

namespace amorph::descriptor {

template <int D>
    requires supported_dimension<D>
struct sdm_settings {
    double cutoff = 0;                   ///< r_c: half width of the window (|f_k| < r_c)
    double delta = 0;                    ///< Delta: pixel spacing; 2 r_c / Delta must be an integer
    double width = 0;                    ///< Gaussian width W; 0: W = Delta (thesis)
    std::size_t channels = 0;            ///< number of species channels; 0: from the system
    mat<D> frame = mat<D>::Identity();   ///< rows: frame axes (x = shear direction, y = plane normal)
    double truncation = 6;               ///< window half width in units of W; 0: full grid (exact)
};

/// Thesis 2D defaults: r_c = 5 sigma, Delta = 0.2 sigma (50 x 50 pixels).
inline sdm_settings<2> sdm_thesis_2d(double sigma = 1.0) {
    sdm_settings<2> s;
    s.cutoff = 5.0 * sigma;
    s.delta = 0.2 * sigma;
    return s;
}
/// Thesis 3D defaults: r_c = 9.6 A, Delta = 0.6 A (32^3 pixels).
inline sdm_settings<3> sdm_thesis_3d() {
    sdm_settings<3> s;
    s.cutoff = 9.6;
    s.delta = 0.6;
    return s;
}

/// A loading frame from the shear direction and the shear-plane normal (lab
/// coordinates; the normal is orthogonalized against the direction). Rows of
/// the result are x = direction, y = normal and, in 3D, z = x cross y.
template <int D>
    requires supported_dimension<D>
mat<D> loading_frame(const vec<D>& direction, const vec<D>& normal) {
    const double dn = direction.norm();
    if (!(dn > 0) || !direction.allFinite()) throw invalid_argument("loading_frame: zero or non-finite direction");
    const vec<D> x = direction / dn;
    vec<D> y = normal - normal.dot(x) * x;
    if (!(y.norm() > 1e-12 * std::max(1.0, normal.norm())) || !normal.allFinite())
        throw invalid_argument("loading_frame: plane normal is parallel to the shear direction");
    y.normalize();
    mat<D> r;
    r.row(0) = x.transpose();
    r.row(1) = y.transpose();
    if constexpr (D == 3) r.row(2) = x.cross(y).transpose();
    return r;
}

/// 2D frame whose x axis makes the angle theta (radians) with the lab x axis.
inline mat<2> loading_frame_2d(double theta) {
    mat<2> r;
    r << std::cos(theta), std::sin(theta), -std::sin(theta), std::cos(theta);
    return r;
}

/// Number of mirror symmetries: 4 (2D), 8 (3D).
template <int D>
inline constexpr int mirror_count = D == 2 ? 4 : 8;

/// The frame-space matrix of mirror symmetry k (see the header comment).
template <int D>
    requires supported_dimension<D>
mat<D> mirror_matrix(int k) {
    if (k < 0 || k >= mirror_count<D>)
        throw invalid_argument("mirror_matrix: symmetry " + std::to_string(k) + " out of range");
    mat<D> m = mat<D>::Identity();
    switch (k & 3) {
        case 1: m(0, 0) = 0, m(0, 1) = 1, m(1, 0) = 1, m(1, 1) = 0; break;
        case 2: m(0, 0) = 0, m(0, 1) = -1, m(1, 0) = -1, m(1, 1) = 0; break;
        case 3: m(0, 0) = -1, m(1, 1) = -1; break;
        default: break;
    }
    if constexpr (D == 3)
        if (k & 4) m(2, 2) = -1;
    return m;
}

/// Index map of mirror symmetry k on an n^D grid: the mirrored image is
/// mirrored[c][p] = original[c][map[p]] for every channel c.
template <int D>
    requires supported_dimension<D>
std::vector<std::uint32_t> mirror_index_map(std::size_t n, int k) {
    const mat<D> m = mirror_matrix<D>(k);  // validates k; entries are 0, +-1
    std::size_t np = 1;
    for (int a = 0; a < D; ++a) np *= n;
    std::vector<std::uint32_t> map(np);
    const auto last = static_cast<long>(n) - 1;
    for (std::size_t p = 0; p < np; ++p) {
        std::array<long, 3> idx{0, 0, 0};  // x, y, z grid indices of the mirrored pixel
        std::size_t q = p;
        for (int a = 0; a < D; ++a) idx[static_cast<std::size_t>(a)] = static_cast<long>(q % n), q /= n;
        // original pixel at M c (M is an involution): c -> -c is m -> n-1-m
        std::array<long, 3> src{0, 0, 0};
        for (int a = 0; a < D; ++a) {
            for (int b = 0; b < D; ++b) {
                const double e = m(a, b);
                if (e > 0.5) src[static_cast<std::size_t>(a)] = idx[static_cast<std::size_t>(b)];
                if (e < -0.5) src[static_cast<std::size_t>(a)] = last - idx[static_cast<std::size_t>(b)];
            }
        }
        std::size_t s = 0;
        for (int a = D - 1; a >= 0; --a) s = s * n + static_cast<std::size_t>(src[static_cast<std::size_t>(a)]);
        map[p] = static_cast<std::uint32_t>(s);
    }
    return map;
}

/// dst[c * P + p] = src[c * P + map[p]] for `channels` channels of P = map.size() pixels.
inline void apply_index_map(std::span<const float> src, std::span<float> dst, std::span<const std::uint32_t> map,
                            std::size_t channels) {
    const std::size_t np = map.size();
    if (src.size() != channels * np || dst.size() != channels * np)
        throw invalid_argument("apply_index_map: buffers must hold channels x pixels values");
    for (std::size_t c = 0; c < channels; ++c)
        for (std::size_t p = 0; p < np; ++p) dst[c * np + p] = src[c * np + map[p]];
}

template <int D>
    requires supported_dimension<D>
class sdm_evaluator {
public:
    /// Bin the atoms (cell `b`, positions `x`, 0-based types) for settings `s`.
    sdm_evaluator(const sdm_settings<D>& s, const box<D>& b, const coords<D>& x, std::span<const int> types)
        : set_(s), types_(types.begin(), types.end()) {
        init(b, x);
    }
    /// Bin the atoms of `sys`; channels default to the number of species.
    sdm_evaluator(const sdm_settings<D>& s, const amorph::system<D>& sys)
        : set_(s), types_(sys.types.begin(), sys.types.end()) {
        if (set_.channels == 0) set_.channels = sys.species.size();
        init(sys.box, sys.positions);
    }

    const sdm_settings<D>& settings() const noexcept { return set_; }
    std::size_t grid() const noexcept { return n_; }            ///< pixels per axis
    std::size_t pixels() const noexcept { return np_; }         ///< n^D
    std::size_t channels() const noexcept { return set_.channels; }
    std::size_t image_size() const noexcept { return np_ * set_.channels; }  ///< floats per image
    std::size_t size() const noexcept { return types_.size(); }            ///< atoms
    /// A map as a feature row (the descriptor concept): image_size() values.
    std::size_t n_features() const noexcept { return image_size(); }
    /// Pixel center coordinate c_m along any axis.
    double pixel_center(std::size_t m) const {
        return (static_cast<double>(m) + 0.5 - 0.5 * static_cast<double>(n_)) * set_.delta;
    }

    /// Switch the loading frame (orthonormal rows) without rebinning.
    void set_frame(const mat<D>& r) {
        check_frame(r);
        set_.frame = r;
    }

    /// The maps of `centers` as the rows of `out` (centers.size() x
    /// image_size()), converted from float: the descriptor-concept form.
    void compute(std::span<const std::size_t> centers, Eigen::Ref<feature_matrix> out) const {
        if (static_cast<std::size_t>(out.rows()) != centers.size() || static_cast<std::size_t>(out.cols()) != image_size())
            throw invalid_argument("sdm: output is " + std::to_string(out.rows()) + " x " + std::to_string(out.cols()) +
                                   ", expected " + std::to_string(centers.size()) + " x " + std::to_string(image_size()));
        std::vector<float> maps(centers.size() * image_size());
        compute(centers, std::span<float>(maps));
        for (std::size_t k = 0; k < centers.size(); ++k)
            for (std::size_t p = 0; p < image_size(); ++p)
                out(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(p)) = maps[k * image_size() + p];
    }

    /// Fill out[k * image_size() .. (k+1) * image_size()) with the map of
    /// atom centers[k] (storage index). Parallel over centers.
    void compute(std::span<const std::size_t> centers, std::span<float> out) const {
        if (out.size() != centers.size() * image_size())
            throw invalid_argument("sdm: output holds " + std::to_string(out.size()) + " floats, expected " +
                                   std::to_string(centers.size()) + " x " + std::to_string(image_size()));
        for (std::size_t c : centers)
            if (c >= types_.size()) throw invalid_argument("sdm: center index " + std::to_string(c) + " out of range");
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, centers.size(), 4), [&](const auto& range) {
            scratch sc;
            for (std::size_t k = range.begin(); k != range.end(); ++k)
                image(centers[k], out.subspan(k * image_size(), image_size()), sc);
        });
    }

    /// The map of one atom as a new vector.
    std::vector<float> compute_one(std::size_t center) const {
        std::vector<float> out(image_size());
        const std::size_t c[1] = {center};
        compute(c, out);
        return out;
    }

private:
    struct scratch {
        std::array<std::vector<float>, D> g;  ///< 1-D factors per axis
    };

    static void check_frame(const mat<D>& r) {
        if (!r.allFinite() || !((r * r.transpose() - mat<D>::Identity()).cwiseAbs().maxCoeff() < 1e-9))
            throw invalid_argument("sdm: the loading frame must be an orthonormal matrix (rows = frame axes)");
    }

    void init(const box<D>& b, const coords<D>& x) {
        const double rc = set_.cutoff, dl = set_.delta;
        if (!(rc > 0) || !(dl > 0) || !std::isfinite(rc) || !std::isfinite(dl))
            throw invalid_argument("sdm: cutoff and delta must be positive and finite");
        const double nd = 2.0 * rc / dl;
        n_ = static_cast<std::size_t>(std::llround(nd));
        if (n_ < 1 || std::abs(nd - static_cast<double>(n_)) > 1e-9 * nd || n_ > 1024)
            throw invalid_argument("sdm: 2 r_c / Delta = " + std::to_string(nd) +
                                   " must be an integer between 1 and 1024");
        np_ = 1;
        for (int a = 0; a < D; ++a) np_ *= n_;
        if (set_.width < 0 || !std::isfinite(set_.width)) throw invalid_argument("sdm: negative Gaussian width");
        w_ = set_.width > 0 ? set_.width : dl;
        if (!(set_.truncation >= 0) || !std::isfinite(set_.truncation))
            throw invalid_argument("sdm: truncation must be >= 0 (0: none)");
        check_frame(set_.frame);
        if (static_cast<std::size_t>(x.cols()) != types_.size())
            throw invalid_argument("sdm: positions and types differ in size");
        int tmax = -1;
        for (int t : types_) {
            if (t < 0) throw invalid_argument("sdm: negative atom type");
            tmax = std::max(tmax, t);
        }
        if (set_.channels == 0) set_.channels = static_cast<std::size_t>(tmax + 1);
        if (tmax >= 0 && static_cast<std::size_t>(tmax) >= set_.channels)
            throw invalid_argument("sdm: atom type " + std::to_string(tmax) + " has no channel (" +
                                   std::to_string(set_.channels) + " channels)");
        reach_ = rc * std::sqrt(static_cast<double>(D)) * (1.0 + 1e-12);
        x_ = x;
        if (x.cols() > 0) cells_.build(b, x, reach_);
    }

    /// 1-D factors g(m) = exp(-(c_m - f)^2 / (2 W^2)) on the pixel window
    /// [lo, hi] along one axis; returns false when the window is empty.
    bool factors(double f, std::vector<float>& g, std::size_t& lo, std::size_t& hi) const {
        const double dl = set_.delta, half = 0.5 * static_cast<double>(n_);
        long l = 0, h = static_cast<long>(n_) - 1;
        const double t = set_.truncation;
        if (t > 0) {
            l = std::max(l, static_cast<long>(std::ceil((f - t * w_) / dl + half - 0.5)));
            h = std::min(h, static_cast<long>(std::floor((f + t * w_) / dl + half - 0.5)));
        }
        if (h < l) return false;
        lo = static_cast<std::size_t>(l);
        hi = static_cast<std::size_t>(h);
        const std::size_t len = hi - lo + 1;
        if (g.size() < len) g.resize(len);
        const double inv = 1.0 / w_;
        if (t > 0) {
            // g(m+1) = g(m) exp(-u s - s^2/2) with u = (c_m - f) / W, s = Delta / W
            const double s = dl * inv;
            double u = (pixel_center(lo) - f) * inv;
            double gm = std::exp(-0.5 * u * u);
            double q = std::exp(-u * s - 0.5 * s * s);
            const double q2 = std::exp(-s * s);
            for (std::size_t m = 0; m < len; ++m) {
                g[m] = static_cast<float>(gm);
                gm *= q;
                q *= q2;
            }
        } else {
            for (std::size_t m = 0; m < len; ++m) {
                const double u = (pixel_center(lo + m) - f) * inv;
                g[m] = static_cast<float>(std::exp(-0.5 * u * u));
            }
        }
        return true;
    }

    void image(std::size_t i, std::span<float> out, scratch& sc) const {
        std::fill(out.begin(), out.end(), 0.0f);
        const double rc = set_.cutoff;
        const vec<D> p = x_.col(static_cast<Eigen::Index>(i));
        const mat<D> r = set_.frame;
        cells_.for_each_within(p, reach_ * reach_, [&](std::uint32_t j, const ivec<D>&, const vec<D>& d, double) {
            const vec<D> f = r * d;
            for (int a = 0; a < D; ++a)
                if (!(std::abs(f(a)) < rc)) return;
            std::array<std::size_t, D> lo, hi;
            for (int a = 0; a < D; ++a)
                if (!factors(f(a), sc.g[static_cast<std::size_t>(a)], lo[static_cast<std::size_t>(a)],
                             hi[static_cast<std::size_t>(a)]))
                    return;
            float* img = out.data() + static_cast<std::size_t>(types_[j]) * np_;
            const float* gx = sc.g[0].data();
            const float* gy = sc.g[1].data();
            const std::size_t nx = hi[0] - lo[0] + 1;
            if constexpr (D == 2) {
                for (std::size_t iy = lo[1]; iy <= hi[1]; ++iy) {
                    const float wy = gy[iy - lo[1]];
                    float* row = img + iy * n_ + lo[0];
                    for (std::size_t ix = 0; ix < nx; ++ix) row[ix] += wy * gx[ix];
                }
            } else {
                const float* gz = sc.g[2].data();
                for (std::size_t iz = lo[2]; iz <= hi[2]; ++iz) {
                    const float wz = gz[iz - lo[2]];
                    for (std::size_t iy = lo[1]; iy <= hi[1]; ++iy) {
                        const float w = wz * gy[iy - lo[1]];
                        float* row = img + (iz * n_ + iy) * n_ + lo[0];
                        for (std::size_t ix = 0; ix < nx; ++ix) row[ix] += w * gx[ix];
                    }
                }
            }
        });
    }

    sdm_settings<D> set_;
    std::vector<int> types_;
    coords<D> x_;
    neighbor::cell_list<D> cells_;
    std::size_t n_ = 0, np_ = 0;
    double w_ = 0, reach_ = 0;
};

/// The evaluator of SDM settings (the descriptor concept): the maps of the
/// centers as rows of image_size() doubles, in the layout compute() writes.
template <int D>
sdm_evaluator<D> make_evaluator(const sdm_settings<D>& s, const amorph::system<D>& sys) {
    return sdm_evaluator<D>(s, sys);
}
static_assert(descriptor<sdm_settings<2>, 2> && descriptor<sdm_settings<3>, 3>);

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_SDM_TEMPLATES(P, D) P template class sdm_evaluator<D>;
AMORPH_EXTERN_TEMPLATES(AMORPH_SDM_TEMPLATES)

}  // namespace amorph::descriptor
