// p_hop against (1) the analytic height of a planted hop, (2) a direct
// evaluation of the definition from the true unwrapped trajectory, for every
// unwrapping mode, shuffled atom order, and a LAMMPS dump round trip.
#include "amorph/analysis/labels.hpp"
#include "amorph/analysis/p_hop.hpp"
#include "amorph/io/lammps_dump.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <unistd.h>

using namespace amorph;
using namespace amorph::analysis;

namespace {

/// The definition, term by term: A = [t-h, t], B = [t, t+h].
template <int D>
double direct_p_hop(const std::vector<coords<D>>& U, std::size_t i, std::size_t t, std::size_t h) {
    vec<D> ma = vec<D>::Zero(), mb = vec<D>::Zero();
    for (std::size_t s = t - h; s <= t; ++s) ma += U[s].col(static_cast<Eigen::Index>(i));
    for (std::size_t s = t; s <= t + h; ++s) mb += U[s].col(static_cast<Eigen::Index>(i));
    ma /= static_cast<double>(h + 1);
    mb /= static_cast<double>(h + 1);
    double a = 0, b = 0;
    for (std::size_t s = t - h; s <= t; ++s) a += (U[s].col(static_cast<Eigen::Index>(i)) - mb).squaredNorm();
    for (std::size_t s = t; s <= t + h; ++s) b += (U[s].col(static_cast<Eigen::Index>(i)) - ma).squaredNorm();
    return std::sqrt(a / static_cast<double>(h + 1) * b / static_cast<double>(h + 1));
}

/// Random walk with cage rattling and occasional jumps, true unwrapped positions.
template <int D>
std::vector<coords<D>> random_trajectory(std::mt19937_64& rng, const box<D>& b, int n, int frames) {
    std::normal_distribution<double> g(0, 1);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<coords<D>> U;
    coords<D> cage(D, n);
    for (int i = 0; i < n; ++i) {
        vec<D> s;
        for (int k = 0; k < D; ++k) s(k) = u(rng);
        cage.col(i) = b.to_cartesian(s);
    }
    for (int t = 0; t < frames; ++t) {
        for (int i = 0; i < n; ++i) {
            if (u(rng) < 0.02) cage.col(i) += vec<D>::NullaryExpr([&](Eigen::Index) { return 0.5 * g(rng); });  // a jump (moves stay below half the cell width)
            cage.col(i) += vec<D>::NullaryExpr([&](Eigen::Index) { return 0.05 * g(rng); });  // drift
        }
        coords<D> x = cage;
        for (int i = 0; i < n; ++i) x.col(i) += vec<D>::NullaryExpr([&](Eigen::Index) { return 0.15 * g(rng); });
        U.push_back(x);
    }
    return U;
}

template <int D>
box<D> tilted_box() {
    mat<D> h = mat<D>::Zero();
    if constexpr (D == 3) h << 7.0, 1.4, -0.8, 0.0, 6.5, 1.1, 0.0, 0.0, 7.5;
    else h << 7.0, 1.4, 0.0, 6.5;
    return box<D>(h, vec<D>::Constant(-1.0));
}

/// A frame from the true positions: wrapped (+ image flags) or unwrapped, atoms shuffled.
template <int D>
amorph::system<D> make_frame(const box<D>& b, const coords<D>& U, bool wrap, bool flags, std::mt19937_64& rng) {
    const auto n = static_cast<std::size_t>(U.cols());
    amorph::system<D> s(b, n);
    s.species = species_list::numbered(1);
    s.positions = U;
    if (wrap) {
        s.wrap_positions();  // accumulates image flags
        if (!flags) s.image.resize(D, 0);
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    s.permute(order);
    return s;
}

template <int D>
void check_modes() {
    std::mt19937_64 rng(17 + D);
    const box<D> b = tilted_box<D>();
    const int n = 60, T = 40;
    const std::size_t h = 3;
    const auto U = random_trajectory<D>(rng, b, n, T);
    struct variant {
        bool wrap, flags;
        unwrap_mode mode;
    };
    for (const variant v : {variant{true, true, unwrap_mode::automatic}, variant{true, true, unwrap_mode::image_flags},
                            variant{true, false, unwrap_mode::automatic},
                            variant{true, false, unwrap_mode::minimum_displacement},
                            variant{false, false, unwrap_mode::as_given}}) {
        p_hop_stream<D> s(h, v.mode);
        double maxdiff = 0;
        std::size_t rows = 0;
        for (int t = 0; t < T; ++t)
            s.push(make_frame<D>(b, U[static_cast<std::size_t>(t)], v.wrap, v.flags, rng),
                   [&](std::size_t frame, std::span<const double> p) {
                       REQUIRE(frame == rows + h);
                       ++rows;
                       for (std::size_t k = 0; k < p.size(); ++k) {
                           const auto i = static_cast<std::size_t>(s.ids()[k] - 1);  // ids are 1..n
                           maxdiff = std::max(maxdiff, std::abs(p[k] - direct_p_hop<D>(U, i, frame, h)));
                       }
                   });
        INFO("D=" << D << " wrap " << v.wrap << " flags " << v.flags << " max |p_hop - direct| " << maxdiff);
        CHECK(rows == static_cast<std::size_t>(T) - 2 * h);
        CHECK(maxdiff < 1e-12);
    }
}

}  // namespace

TEST_CASE("p_hop of a planted hop has the analytic height at the right frame", "[analysis][p_hop]") {
    const std::size_t h = 4, t0 = 17, T = 35;
    const vec<3> a(0.5, 0.3, -0.2);
    amorph::system<3> sys(box<3>(mat<3>::Identity() * 10.0), 5);
    for (int i = 0; i < 5; ++i) sys.positions.col(i) = vec<3>(1.0 + i, 2.0, 3.0);
    p_hop_stream<3> s(h, unwrap_mode::as_given);
    p_hop_events ev({0.2, 0.05, 0, 1000, 1});
    std::vector<std::vector<double>> rows;
    for (std::size_t t = 0; t < T; ++t) {
        amorph::system<3> f = sys;
        if (t >= t0) f.positions.col(2) += a;
        s.push(f, [&](std::size_t frame, std::span<const double> p) {
            rows.emplace_back(p.begin(), p.end());
            ev.add(frame, p);
        });
    }
    REQUIRE(rows.size() == T - 2 * h);
    const double expect = std::pow(double(h) / double(h + 1), 1.5) * a.squaredNorm();
    CHECK(rows[t0 - h][2] == Approx(expect).epsilon(1e-13));
    CHECK(rows[t0 - 1 - h][2] == Approx(expect).epsilon(1e-13));
    double maxp = 0;
    for (const auto& r : rows) {
        maxp = std::max(maxp, r[2]);
        for (int i : {0, 1, 3, 4}) CHECK(r[static_cast<std::size_t>(i)] == 0.0);
    }
    CHECK(maxp == Approx(expect).epsilon(1e-13));
    // one event, at t0, for atom 2 (expect = 0.33 > 0.2)
    REQUIRE(ev.rearranging().size() == 1);
    CHECK(ev.rearranging()[0].atom == 2);
    CHECK(ev.rearranging()[0].frame == t0);
    CHECK(ev.rearranging()[0].value == Approx(expect));
    // every (atom, frame) below 0.05 is a quiet candidate
    std::size_t quiet = 0;
    for (const auto& r : rows)
        for (double v : r) quiet += v < 0.05 ? 1 : 0;
    CHECK(quiet > 4 * rows.size());
    CHECK(ev.quiet_seen() == quiet);
    CHECK(ev.quiet_reservoir().size() == quiet);
    const auto samples = balanced_hop_samples(ev, 5);
    REQUIRE(samples.size() == 2);
    CHECK(samples[0].label + samples[1].label == 1);
}

TEST_CASE("p_hop equals the direct evaluation for every unwrapping mode (3D, 2D)", "[analysis][p_hop]") {
    check_modes<3>();
    check_modes<2>();
    CHECK(p_hop_half_window(6.0, 0.1) == 30);
    CHECK_THROWS_AS(p_hop_half_window(0.05, 0.1), invalid_argument);
}

TEST_CASE("p_hop from a LAMMPS dump (wrapped coordinates + image flags) streamed frame by frame", "[analysis][p_hop]") {
    std::mt19937_64 rng(23);
    const box<3> b = tilted_box<3>();
    const auto U = random_trajectory<3>(rng, b, 40, 25);
    const auto path = std::filesystem::temp_directory_path() / ("amorph_phop_" + std::to_string(::getpid()) + ".dump");
    for (std::size_t t = 0; t < U.size(); ++t) {
        io::dump_write_options o;
        o.timestep = static_cast<std::int64_t>(100 * t);
        o.append = t > 0;
        o.columns = {"id", "type", "x", "y", "z", "ix", "iy", "iz"};
        io::write_dump(path, make_frame<3>(b, U[t], true, true, rng), o);
    }
    io::dump_reader<3> rd(path);
    io::frame<3> f;
    const std::size_t h = 2;
    const auto series = p_hop_collect<3>(
        [&](amorph::system<3>& sys, std::int64_t& step) {
            if (!rd.next(f)) return false;
            sys = std::move(f.system);
            step = f.timestep;
            return true;
        },
        h);
    std::filesystem::remove(path);
    REQUIRE(series.values.rows() == static_cast<Eigen::Index>(U.size() - 2 * h));
    CHECK(series.timesteps.front() == 200);
    double m = 0;
    for (Eigen::Index r = 0; r < series.values.rows(); ++r)
        for (std::size_t k = 0; k < series.ids.size(); ++k)
            m = std::max(m, std::abs(series.values(r, static_cast<Eigen::Index>(k)) -
                                     direct_p_hop<3>(U, static_cast<std::size_t>(series.ids[k] - 1),
                                                     static_cast<std::size_t>(r) + h, h)));
    INFO("max |p_hop - direct| through the dump " << m);
    CHECK(m < 1e-12);
}

TEST_CASE("p_hop stream rejects inconsistent frames", "[analysis][p_hop]") {
    amorph::system<2> a(box<2>(mat<2>::Identity() * 5.0), 3);
    p_hop_stream<2> s(1, unwrap_mode::image_flags);
    auto noop = [](std::size_t, std::span<const double>) {};
    CHECK_THROWS_AS(s.push(a, noop), invalid_argument);  // no image flags
    p_hop_stream<2> s2(1);
    s2.push(a, noop);
    amorph::system<2> b = a;
    b.ids[1] = 99;
    CHECK_THROWS_AS(s2.push(b, noop), invalid_argument);
    amorph::system<2> c(box<2>(mat<2>::Identity() * 5.0), 4);
    CHECK_THROWS_AS(s2.push(c, noop), invalid_argument);
    CHECK_THROWS_AS(p_hop_stream<2>(0), invalid_argument);
}
