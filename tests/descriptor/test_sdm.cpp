// Spatial density maps (descriptor/sdm.hpp) against
//  (1) closed forms: one neighbor gives one Gaussian per channel, and nothing
//      from an atom outside the |f_k| < r_c window;
//  (2) a direct evaluation written here: every periodic image enumerated from
//      lattice offsets, the full grid, no truncation, double accumulation;
//  (3) symmetry: rotating sample and frame together, mirrored samples vs the
//      mirror index maps, relabelled species vs swapped channels.
#include "amorph/descriptor/sdm.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace amorph;
using namespace amorph::descriptor;

namespace {

/// Eq 5.1/5.2 term by term, in double, over every image (offsets enumerated).
template <int D>
std::vector<double> direct_map(const box<D>& b, const coords<D>& x, const std::vector<int>& types, std::size_t i,
                               const sdm_settings<D>& s, std::size_t channels) {
    const auto n = static_cast<std::size_t>(std::llround(2 * s.cutoff / s.delta));
    std::size_t np = 1;
    for (int a = 0; a < D; ++a) np *= n;
    const double w = s.width > 0 ? s.width : s.delta;
    std::vector<double> out(channels * np, 0.0);
    const mat<D> hinv = b.h().inverse();
    const double R = s.cutoff * std::sqrt(double(D)) + 1e-9;
    const vec<D> xi = x.col(Eigen::Index(i));
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const vec<D> d0 = x.col(j) - xi;
        const vec<D> sj = hinv * d0;
        std::array<int, 3> lo{0, 0, 0}, hi{0, 0, 0};
        for (int k = 0; k < D; ++k) {
            if (!b.periodic(k)) continue;
            const double reach = R * hinv.row(k).norm() + 1;
            lo[std::size_t(k)] = int(std::floor(-sj(k) - reach));
            hi[std::size_t(k)] = int(std::ceil(-sj(k) + reach));
        }
        for (int a0 = lo[0]; a0 <= hi[0]; ++a0)
            for (int a1 = lo[1]; a1 <= hi[1]; ++a1)
                for (int a2 = lo[2]; a2 <= hi[2]; ++a2) {
                    ivec<D> off;
                    off(0) = a0;
                    off(1) = a1;
                    if constexpr (D == 3) off(2) = a2;
                    const vec<D> f = s.frame * (d0 + b.h() * off.template cast<double>());
                    bool in = true;
                    for (int k = 0; k < D; ++k) in &= std::abs(f(k)) < s.cutoff;
                    if (!in) continue;
                    double* img = out.data() + std::size_t(types[std::size_t(j)]) * np;
                    for (std::size_t p = 0; p < np; ++p) {
                        std::size_t q = p;
                        double r2 = 0;
                        for (int k = 0; k < D; ++k) {
                            const double c = (double(q % n) + 0.5 - 0.5 * double(n)) * s.delta;
                            q /= n;
                            r2 += (c - f(k)) * (c - f(k));
                        }
                        img[p] += std::exp(-r2 / (2 * w * w));
                    }
                }
    }
    return out;
}

template <int D>
double max_abs_diff(std::span<const float> a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    double m = 0;
    for (std::size_t k = 0; k < a.size(); ++k) m = std::max(m, std::abs(double(a[k]) - b[k]));
    return m;
}

template <int D>
mat<D> random_rotation(std::mt19937_64& rng) {
    std::normal_distribution<double> g;
    mat<D> a;
    for (int r = 0; r < D; ++r)
        for (int c = 0; c < D; ++c) a(r, c) = g(rng);
    Eigen::HouseholderQR<mat<D>> qr(a);
    mat<D> q = qr.householderQ();
    if (q.determinant() < 0) q.col(0) *= -1;
    return q;
}

/// Random atoms (two types) in a general cell, no two closer than dmin.
template <int D>
void random_sample(std::mt19937_64& rng, const box<D>& b, std::size_t n, double dmin, coords<D>& x,
                   std::vector<int>& types) {
    std::uniform_real_distribution<double> u(0, 1);
    x.resize(D, 0);
    types.clear();
    std::size_t tries = 0;
    while (std::size_t(x.cols()) < n && ++tries < 100000) {
        vec<D> s;
        for (int k = 0; k < D; ++k) s(k) = u(rng);
        const vec<D> p = b.to_cartesian(s);
        bool ok = true;
        for (Eigen::Index j = 0; ok && j < x.cols(); ++j) ok = b.minimum_image(vec<D>(x.col(j) - p)).norm() >= dmin;
        if (!ok) continue;
        x.conservativeResize(D, x.cols() + 1);
        x.col(x.cols() - 1) = p;
        types.push_back(u(rng) < 0.4 ? 1 : 0);
    }
    REQUIRE(std::size_t(x.cols()) == n);
}

}  // namespace

TEST_CASE("sdm: one neighbor gives one Gaussian per channel (2D, analytic)", "[sdm]") {
    sdm_settings<2> s = sdm_thesis_2d();
    s.frame = loading_frame_2d(0.37);
    const box<2> b = box<2>::orthogonal(vec<2>(-20, -20), vec<2>(20, 20));
    coords<2> x(2, 3);
    const vec<2> f1(1.23, -0.77);   // neighbor inside the window (frame coords)
    const vec<2> f2(5.05, 0.3);     // just outside |f_x| < r_c: must not count
    x.col(0) = vec<2>(0.1, 0.2);
    x.col(1) = x.col(0) + s.frame.transpose() * f1;
    x.col(2) = x.col(0) + s.frame.transpose() * f2;
    const std::vector<int> types{0, 1, 1};
    for (double t : {0.0, 6.0}) {
        s.truncation = t;
        sdm_evaluator<2> ev(s, b, x, types);
        REQUIRE(ev.grid() == 50);
        REQUIRE(ev.image_size() == 5000);
        const auto img = ev.compute_one(0);
        double err = 0;
        for (std::size_t iy = 0; iy < 50; ++iy)
            for (std::size_t ix = 0; ix < 50; ++ix) {
                const double cx = -5 + 0.2 * (double(ix) + 0.5), cy = -5 + 0.2 * (double(iy) + 0.5);
                const double e0 = std::exp(-(cx * cx + cy * cy) / (2 * 0.04));
                const double e1 = std::exp(-((cx - f1(0)) * (cx - f1(0)) + (cy - f1(1)) * (cy - f1(1))) / (2 * 0.04));
                err = std::max(err, std::abs(img[iy * 50 + ix] - e0));
                err = std::max(err, std::abs(img[2500 + iy * 50 + ix] - e1));
            }
        // float rounding (values <= 1) plus, with truncation, terms < exp(-18)
        CHECK(err < 1e-7 + (t > 0 ? std::exp(-t * t / 2) : 0.0));
    }
}

TEST_CASE("sdm: 3D single neighbor and direct evaluation in a tilted cell", "[sdm]") {
    sdm_settings<3> s;
    s.cutoff = 3.0;
    s.delta = 0.5;
    s.width = 0.6;
    std::mt19937_64 rng(7);
    s.frame = random_rotation<3>(rng);
    {
        const box<3> b = box<3>::orthogonal(vec<3>::Constant(-15), vec<3>::Constant(15));
        coords<3> x(3, 2);
        const vec<3> f(0.9, -1.7, 2.2);
        x.col(0) = vec<3>(0.3, -0.2, 0.1);
        x.col(1) = x.col(0) + s.frame.transpose() * f;
        sdm_evaluator<3> ev(s, b, x, std::vector<int>{1, 1});
        REQUIRE(ev.channels() == 2);
        const auto img = ev.compute_one(1);  // center 1 sees atom 0 at -f
        double err = 0;
        for (std::size_t p = 0; p < 1728; ++p) {
            const vec<3> c((double(p % 12) + 0.5 - 6) * 0.5, (double(p / 12 % 12) + 0.5 - 6) * 0.5,
                           (double(p / 144) + 0.5 - 6) * 0.5);
            const double e = std::exp(-c.squaredNorm() / 0.72) + std::exp(-(c + f).squaredNorm() / 0.72);
            err = std::max(err, std::abs(img[1728 + p] - e));
            err = std::max(err, double(std::abs(img[p])));  // channel 0 empty
        }
        CHECK(err < 1e-6);
    }
    // many atoms, triclinic periodic cell smaller than the window (several images)
    mat<3> h;
    h << 6.5, 1.2, -0.8, 0, 5.9, 1.1, 0, 0, 6.2;
    const box<3> b(h, vec<3>(0.5, -1, 2));
    coords<3> x;
    std::vector<int> types;
    random_sample<3>(rng, b, 60, 0.8, x, types);
    sdm_evaluator<3> ev(s, b, x, types);
    const std::vector<std::size_t> centers{0, 17, 59};
    std::vector<float> out(centers.size() * ev.image_size());
    ev.compute(centers, out);
    for (std::size_t k = 0; k < centers.size(); ++k) {
        const auto ref = direct_map<3>(b, x, types, centers[k], s, 2);
        const double err = max_abs_diff<3>(std::span<const float>(out).subspan(k * ev.image_size(), ev.image_size()), ref);
        INFO("center " << centers[k] << " max |sdm - direct| = " << err);
        CHECK(err < 2e-5);  // float accumulation of O(10) + truncation terms
    }
}

TEST_CASE("sdm: truncation error stays below the documented bound (2D thesis grid)", "[sdm]") {
    std::mt19937_64 rng(3);
    const box<2> b = box<2>::orthogonal(vec<2>(0, 0), vec<2>(14, 14));
    coords<2> x;
    std::vector<int> types;
    random_sample<2>(rng, b, 180, 0.75, x, types);  // ~0.92 atoms / sigma^2
    sdm_settings<2> s = sdm_thesis_2d();
    s.frame = loading_frame_2d(1.1);
    sdm_evaluator<2> ev(s, b, x, types);
    for (std::size_t i : {std::size_t(0), std::size_t(77)}) {
        const auto img = ev.compute_one(i);
        const auto ref = direct_map<2>(b, x, types, i, s, 2);
        double nc = 0;  // atom images in the window
        for (double v : ref) nc += v;
        nc *= 0.04 / (2 * std::numbers::pi * 0.04);  // each atom integrates to 2 pi W^2 / Delta^2 pixels
        const double bound = (nc + 10) * std::exp(-18.0);
        const double err = max_abs_diff<2>(img, ref);
        INFO("N_c ~ " << nc << ", max error " << err << ", bound " << bound);
        CHECK(err < bound + 2e-6);  // + float accumulation of ~10 terms of O(1)
    }
}

TEST_CASE("sdm: rotating sample and frame together leaves the maps unchanged", "[sdm]") {
    std::mt19937_64 rng(11);
    SECTION("2D") {
        mat<2> h;
        h << 9, 2.5, 0, 8;
        const box<2> b(h);
        coords<2> x;
        std::vector<int> types;
        random_sample<2>(rng, b, 70, 0.8, x, types);
        sdm_settings<2> s = sdm_thesis_2d();
        s.frame = loading_frame<2>(vec<2>(1, 0.3), vec<2>(-0.2, 1));
        const mat<2> q = loading_frame_2d(0.8).transpose();  // a proper rotation
        sdm_settings<2> sr = s;
        sr.frame = s.frame * q.transpose();
        const box<2> br(mat<2>(q * h));
        const coords<2> xr = q * x;
        sdm_evaluator<2> e1(s, b, x, types), e2(sr, br, xr, types);
        const std::vector<std::size_t> c{0, 1, 2, 33, 69};
        std::vector<float> o1(c.size() * e1.image_size()), o2(o1.size());
        e1.compute(c, o1);
        e2.compute(c, o2);
        double err = 0;
        for (std::size_t k = 0; k < o1.size(); ++k) err = std::max(err, double(std::abs(o1[k] - o2[k])));
        CHECK(err < 1e-5);
    }
    SECTION("3D") {
        const box<3> b = box<3>::orthogonal(vec<3>::Zero(), vec<3>(7, 7.5, 8));
        coords<3> x;
        std::vector<int> types;
        random_sample<3>(rng, b, 80, 0.9, x, types);
        sdm_settings<3> s;
        s.cutoff = 3;
        s.delta = 0.5;
        s.frame = loading_frame<3>(vec<3>(1, 1, 0), vec<3>(0, 0, 1));
        const mat<3> q = random_rotation<3>(rng);
        sdm_settings<3> sr = s;
        sr.frame = s.frame * q.transpose();
        sdm_evaluator<3> e1(s, b, x, types), e2(sr, box<3>(mat<3>(q * b.h())), coords<3>(q * x), types);
        const std::vector<std::size_t> c{0, 40, 79};
        std::vector<float> o1(c.size() * e1.image_size()), o2(o1.size());
        e1.compute(c, o1);
        e2.compute(c, o2);
        double err = 0;
        for (std::size_t k = 0; k < o1.size(); ++k) err = std::max(err, double(std::abs(o1[k] - o2[k])));
        CHECK(err < 1e-5);
    }
}

template <int D>
void check_mirrors(const sdm_settings<D>& s, std::size_t natoms, std::uint64_t seed) {
    // a cluster in a non-periodic box, mirrored about atom 0 in the frame
    std::mt19937_64 rng(seed);
    const double L = 12;
    const box<D> b = box<D>::orthogonal(vec<D>::Constant(-L), vec<D>::Constant(L), {});
    coords<D> x;
    std::vector<int> types;
    const box<D> inner = box<D>::orthogonal(vec<D>::Constant(-4), vec<D>::Constant(4), {});
    random_sample<D>(rng, inner, natoms, 0.7, x, types);
    sdm_evaluator<D> ev(s, b, x, types);
    const auto orig = ev.compute_one(0);
    for (int k = 0; k < mirror_count<D>; ++k) {
        const mat<D> l = s.frame.transpose() * mirror_matrix<D>(k) * s.frame;
        coords<D> xm = x;
        for (Eigen::Index j = 0; j < x.cols(); ++j) xm.col(j) = x.col(0) + l * (x.col(j) - x.col(0));
        sdm_evaluator<D> em(s, b, xm, types);
        const auto direct = em.compute_one(0);
        const auto map = mirror_index_map<D>(ev.grid(), k);
        std::vector<float> mapped(orig.size());
        apply_index_map(orig, mapped, map, ev.channels());
        double err = 0;
        for (std::size_t p = 0; p < mapped.size(); ++p) err = std::max(err, double(std::abs(mapped[p] - direct[p])));
        INFO("symmetry " << k);
        CHECK(err < 1e-5);
        if (k > 0) {  // the symmetry really moves the image
            double moved = 0;
            for (std::size_t p = 0; p < mapped.size(); ++p) moved = std::max(moved, double(std::abs(mapped[p] - orig[p])));
            CHECK(moved > 0.1);
        }
    }
}

TEST_CASE("sdm: mirror index maps equal the maps of mirrored samples", "[sdm]") {
    SECTION("2D, 4 symmetries") {
        sdm_settings<2> s = sdm_thesis_2d();
        s.frame = loading_frame_2d(-0.6);
        check_mirrors<2>(s, 60, 5);
    }
    SECTION("3D, 8 symmetries") {
        sdm_settings<3> s;
        s.cutoff = 3;
        s.delta = 0.5;
        s.frame = loading_frame<3>(vec<3>(1, 2, 0.5), vec<3>(0, 0.3, 1));
        check_mirrors<3>(s, 100, 6);
    }
    // involution and permutation
    for (int k = 0; k < 8; ++k) {
        const auto m = mirror_index_map<3>(6, k);
        for (std::size_t p = 0; p < m.size(); ++p) REQUIRE(m[m[p]] == p);
    }
}

TEST_CASE("sdm: species select channels", "[sdm]") {
    std::mt19937_64 rng(13);
    const box<2> b = box<2>::orthogonal(vec<2>(0, 0), vec<2>(11, 11));
    coords<2> x;
    std::vector<int> types;
    random_sample<2>(rng, b, 100, 0.8, x, types);
    sdm_settings<2> s = sdm_thesis_2d();
    s.truncation = 0;
    std::vector<int> swapped(types), one(types.size(), 0);
    for (int& t : swapped) t = 1 - t;
    sdm_evaluator<2> e(s, b, x, types), es(s, b, x, swapped);
    sdm_settings<2> s1 = s;
    s1.channels = 1;
    sdm_evaluator<2> e1(s1, b, x, one);
    REQUIRE(e1.image_size() == 2500);
    const auto a = e.compute_one(5), c = es.compute_one(5), t = e1.compute_one(5);
    double err = 0, total = 0;
    for (std::size_t p = 0; p < 2500; ++p) {
        err = std::max(err, double(std::abs(a[p] - c[2500 + p])));
        err = std::max(err, double(std::abs(a[2500 + p] - c[p])));
        err = std::max(err, double(std::abs(a[p] + a[2500 + p] - t[p])));
        total += a[p] + a[2500 + p];
    }
    CHECK(err < 1e-5);
    CHECK(total > 100);  // both channels hold atoms
    // the center's own channel holds the self term at the middle four pixels
    const int ti = types[5];
    CHECK(a[std::size_t(ti) * 2500 + 25 * 50 + 25] > std::exp(-0.25) - 1e-6);
}

TEST_CASE("sdm: settings are validated", "[sdm]") {
    const box<2> b = box<2>::orthogonal(vec<2>(0, 0), vec<2>(10, 10));
    coords<2> x = coords<2>::Zero(2, 1);
    sdm_settings<2> s = sdm_thesis_2d();
    s.delta = 0.3;  // 10 / 0.3 is not an integer
    CHECK_THROWS_AS(sdm_evaluator<2>(s, b, x, std::vector<int>{0}), amorph::invalid_argument);
    s = sdm_thesis_2d();
    s.frame << 1, 0.1, 0, 1;
    CHECK_THROWS_AS(sdm_evaluator<2>(s, b, x, std::vector<int>{0}), amorph::invalid_argument);
    s = sdm_thesis_2d();
    s.channels = 1;
    CHECK_THROWS_AS(sdm_evaluator<2>(s, b, x, std::vector<int>{1}), amorph::invalid_argument);
    s.channels = 2;
    sdm_evaluator<2> ev(s, b, x, std::vector<int>{1});
    std::vector<float> out(10);
    const std::size_t c[1] = {0};
    CHECK_THROWS_AS(ev.compute(c, out), amorph::invalid_argument);
    CHECK_THROWS_AS(mirror_index_map<2>(4, 4), amorph::invalid_argument);
}
