// Unit tests valid for every potential: finite-difference forces and virial,
// Newton's third law, translation / permutation / periodic-image invariance,
// per-atom sums, bitwise independence of the thread count, and agreement
// with a brute-force O(N^2) neighbor enumeration.
#include "helpers.hpp"
#include "potentials.hpp"

#include <amorph/neighbor/brute_force.hpp>

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <numeric>
#include <random>

using namespace amorph;
using namespace amorph::potential;
using namespace amorph::test;

namespace {

/// A list built by brute force with the verlet_list interface.
template <int D, class Kind>
struct brute_list {
    struct entry {
        std::uint32_t j, image;
    };
    double cut;
    std::vector<std::vector<entry>> nb;
    coords<D> sh;
    brute_list(const box<D>& b, const coords<D>& x, double c) : cut(c), nb(static_cast<std::size_t>(x.cols())) {
        const auto pairs = neighbor::brute_force_pairs<D>(b, x, c);
        std::vector<ivec<D>> imgs;
        for (const auto& p : pairs) {
            if constexpr (std::is_same_v<Kind, neighbor::half_t>) {
                if (p.j < p.i) continue;
                if (p.j == p.i) {
                    bool pos = false;
                    for (int k = 0; k < D; ++k)
                        if (p.n(k) != 0) {
                            pos = p.n(k) > 0;
                            break;
                        }
                    if (!pos) continue;
                }
            }
            std::uint32_t idx = 0;
            while (idx < imgs.size() && imgs[idx] != p.n) ++idx;
            if (idx == imgs.size()) imgs.push_back(p.n);
            nb[p.i].push_back({static_cast<std::uint32_t>(p.j), idx});
        }
        sh.resize(D, static_cast<Eigen::Index>(imgs.size()));
        for (std::size_t k = 0; k < imgs.size(); ++k)
            sh.col(static_cast<Eigen::Index>(k)) = b.h() * imgs[k].template cast<double>();
    }
    std::size_t size() const { return nb.size(); }
    double cutoff() const { return cut; }
    const coords<D>& shifts() const { return sh; }
    std::span<const entry> neighbors(std::size_t i) const { return nb[i]; }
};

}  // namespace

template <class Kind>
struct amorph::potential::list_kind_traits<brute_list<2, Kind>> {
    using kind = Kind;
};
template <class Kind>
struct amorph::potential::list_kind_traits<brute_list<3, Kind>> {
    using kind = Kind;
};

namespace {

template <int D, class P>
void check_all(const P& pot, const amorph::system<D>& s, double fd_tol) {
    using kind = typename P::list_kind;
    const auto opt = compute_options::all();
    const auto r = compute(pot, s, opt);
    const std::size_t n = s.size();
    const double fscale = r.forces.cwiseAbs().maxCoeff();
    REQUIRE(fscale > 0);

    SECTION("finite-difference forces") {
        std::mt19937 rng(5);
        for (int trial = 0; trial < 12; ++trial) {
            const std::size_t i = rng() % n;
            const int a = static_cast<int>(rng() % D);
            const double fd = fd_force(pot, s, i, a, 1e-5);
            INFO("atom " << i << " comp " << a << " analytic " << r.forces(a, static_cast<Eigen::Index>(i)) << " fd " << fd);
            CHECK(std::abs(fd - r.forces(a, static_cast<Eigen::Index>(i))) <= fd_tol * fscale);
        }
    }
    SECTION("finite-difference virial (strain derivative)") {
        const double wscale = r.virial.cwiseAbs().maxCoeff();
        for (int a = 0; a < D; ++a)
            for (int b = 0; b < D; ++b) {
                const double fd = fd_virial(pot, s, a, b, 1e-6);
                INFO("W(" << a << "," << b << ") analytic " << r.virial(a, b) << " fd " << fd);
                CHECK(std::abs(fd - r.virial(a, b)) <= fd_tol * wscale);
            }
    }
    SECTION("net force zero, per-atom sums equal totals, virial symmetric") {
        const vec<D> net = r.forces.rowwise().sum();
        CHECK(net.norm() <= 1e-12 * fscale * static_cast<double>(n));
        const double esum = std::accumulate(r.energy_per_atom.begin(), r.energy_per_atom.end(), 0.0);
        CHECK(std::abs(esum - r.energy) <= 1e-12 * std::abs(r.energy) + 1e-12);
        mat<D> w = mat<D>::Zero();
        for (std::size_t i = 0; i < n; ++i) w += r.atom_virial(i);
        CHECK((w - r.virial).cwiseAbs().maxCoeff() <= 1e-12 * r.virial.cwiseAbs().maxCoeff());
        CHECK((r.virial - r.virial.transpose()).cwiseAbs().maxCoeff() <= 1e-12 * r.virial.cwiseAbs().maxCoeff());
    }
    SECTION("translation and periodic-image invariance") {
        amorph::system<D> t = s;
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> img(-2, 2);
        vec<D> shift;
        for (int k = 0; k < D; ++k) shift(k) = 0.37 * (k + 1);
        for (std::size_t i = 0; i < n; ++i) {
            ivec<D> m;
            for (int k = 0; k < D; ++k) m(k) = img(rng);
            t.positions.col(static_cast<Eigen::Index>(i)) += shift + s.box.h() * m.template cast<double>();
        }
        const auto rt = compute(pot, t, opt);
        CHECK(std::abs(rt.energy - r.energy) <= 1e-12 * std::abs(r.energy));
        CHECK((rt.forces - r.forces).cwiseAbs().maxCoeff() <= 1e-11 * fscale);
        CHECK((rt.virial - r.virial).cwiseAbs().maxCoeff() <= 1e-11 * r.virial.cwiseAbs().maxCoeff());
    }
    SECTION("permutation of atom order") {
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::shuffle(order.begin(), order.end(), std::mt19937(11));
        amorph::system<D> p = s;
        p.permute(order);
        const auto rp = compute(pot, p, opt);
        CHECK(std::abs(rp.energy - r.energy) <= 1e-12 * std::abs(r.energy));
        double df = 0, de = 0, dv = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const auto a = static_cast<Eigen::Index>(k), b = static_cast<Eigen::Index>(order[k]);
            df = std::max(df, (rp.forces.col(a) - r.forces.col(b)).cwiseAbs().maxCoeff());
            de = std::max(de, std::abs(rp.energy_per_atom[k] - r.energy_per_atom[order[k]]));
            dv = std::max(dv, (rp.virial_per_atom.col(a) - r.virial_per_atom.col(b)).cwiseAbs().maxCoeff());
        }
        CHECK(df <= 1e-11 * fscale);
        CHECK(de <= 1e-11 * std::abs(r.energy) / static_cast<double>(n) * 10);
        CHECK(dv <= 1e-11 * r.virial_per_atom.cwiseAbs().maxCoeff());
    }
    SECTION("bitwise independent of the thread count; chunking changes only round-off") {
        neighbor::verlet_list<D, kind> nl(pot.cutoff(), 0.2);
        nl.build(s.box, s.positions);
        compute_options o = opt;
        o.chunks = 5;
        result<D> r1, r2, r3;
        {
            tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
            r1 = compute(pot, s, nl, o);
        }
        {
            tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
            r2 = compute(pot, s, nl, o);
        }
        r3 = compute(pot, s, nl, o);
        CHECK(r1.energy == r2.energy);
        CHECK(r1.energy == r3.energy);
        CHECK(r1.forces == r2.forces);
        CHECK(r1.forces == r3.forces);
        CHECK(r1.virial == r2.virial);
        CHECK(r1.virial_per_atom == r3.virial_per_atom);
        CHECK(r1.energy_per_atom == r3.energy_per_atom);
        o.chunks = 1;
        const auto r4 = compute(pot, s, nl, o);
        CHECK(std::abs(r4.energy - r1.energy) <= 1e-12 * std::abs(r1.energy));
        CHECK((r4.forces - r1.forces).cwiseAbs().maxCoeff() <= 1e-12 * fscale);
    }
    SECTION("brute-force neighbor enumeration gives the same result") {
        brute_list<D, kind> bl(s.box, s.positions, pot.cutoff());
        const auto rb = compute(pot, s, bl, opt);
        CHECK(std::abs(rb.energy - r.energy) <= 1e-12 * std::abs(r.energy));
        CHECK((rb.forces - r.forces).cwiseAbs().maxCoeff() <= 1e-12 * fscale);
        CHECK((rb.virial - r.virial).cwiseAbs().maxCoeff() <= 1e-12 * r.virial.cwiseAbs().maxCoeff());
    }
    SECTION("an equivalent, strongly tilted cell gives the same result") {
        amorph::system<D> t = s;
        mat<D> h = s.box.h();
        h.col(1) += 2.0 * h.col(0);
        if constexpr (D == 3) h.col(2) -= 3.0 * h.col(1) - h.col(0);
        t.box = box<D>(h, s.box.origin(), s.box.periodic());
        const auto rt = compute(pot, t, opt);
        CHECK(std::abs(rt.energy - r.energy) <= 1e-12 * std::abs(r.energy));
        CHECK((rt.forces - r.forces).cwiseAbs().maxCoeff() <= 1e-11 * fscale);
        CHECK((rt.virial - r.virial).cwiseAbs().maxCoeff() <= 1e-11 * r.virial.cwiseAbs().maxCoeff());
    }
}

}  // namespace

TEST_CASE("pair potentials: invariants, 3D", "[potential]") {
    const auto s = ordinary_cell<3>(0.9, 120, 0.85, {0.7, 0.3}, 0.2, 1);
    SECTION("lj/cut") { check_all(models::lj3d_truncated(), s, 1e-6); }
    SECTION("lj/cut shift") { check_all(models::lj3d_shifted(), s, 1e-6); }
    SECTION("lj/smooth/linear") { check_all(models::lj3d_shifted_force(), s, 1e-6); }
    SECTION("lj/smooth/linear, small cell (cutoff > half the cell)") {
        check_all(models::lj3d_shifted_force(), small_cell<3>(3.2, 25, 0.85, {0.5, 0.5}, 2), 1e-6);
    }
}

TEST_CASE("pair potentials: invariants, 2D", "[potential]") {
    const auto s = ordinary_cell<2>(1.0243, 150, 0.75, {4.0, 1 + std::sqrt(5.0)}, 0.3, 3);
    SECTION("lj2d shifted force") { check_all(models::lj2d_shifted_force(), s, 1e-6); }
    SECTION("lj2d shifted") { check_all(models::lj2d_shifted(), s, 1e-6); }
    SECTION("lj2d small cell") { check_all(models::lj2d_shifted_force(), small_cell<2>(4.0, 16, 0.75, {1, 1}, 4), 1e-6); }
}

// One test case per model, so that ctest runs them side by side. Catch enters
// a test case once per section of check_all, so the models read from
// potential files are built once (static): reading and tabulating a file is
// most of the time under the sanitizers.
TEST_CASE("eam: invariants, eam/fs CuZr", "[potential]") {
    static const auto pot = models::cuzr_fs();
    check_all(pot, ordinary_cell<3>(0.06, 100, 2.2, {0.5, 0.5}, 0.2, 5), 1e-6);
}
TEST_CASE("eam: invariants, eam/alloy CuNi", "[potential]") {
    static const auto pot = models::cuni_alloy();
    check_all(pot, ordinary_cell<3>(0.08, 100, 2.0, {0.5, 0.5}, -0.3, 6), 1e-6);
}
TEST_CASE("eam: invariants, eam funcfl Cu+Ni", "[potential]") {
    static const auto pot = models::cuni_funcfl();
    check_all(pot, ordinary_cell<3>(0.08, 100, 2.0, {0.5, 0.5}, 0.1, 7), 1e-6);
}
TEST_CASE("eam: invariants, eam/fs CuZr small cell", "[potential]") {
    static const auto pot = models::cuzr_fs();
    check_all(pot, small_cell<3>(9.0, 40, 2.2, {0.5, 0.5}, 8), 1e-6);
}

TEST_CASE("eam: 2D is defined too", "[potential]") {
    static const auto pot = models::cuzr_fs();
    check_all(pot, ordinary_cell<2>(0.1, 80, 2.2, {0.5, 0.5}, 0.2, 9), 1e-6);
}

TEST_CASE("stillinger-weber: invariants", "[potential]") {
    static const auto si = models::si_sw();
    static const auto gan = models::gan_sw();
    SECTION("Si") { check_all(si, ordinary_cell<3>(0.05, 100, 2.0, {1.0}, 0.2, 10), 1e-6); }
    SECTION("GaN") { check_all(gan, ordinary_cell<3>(0.07, 100, 1.75, {0.5, 0.5}, -0.2, 11), 1e-6); }
    SECTION("Si small cell") { check_all(si, small_cell<3>(5.0, 8, 2.0, {1.0}, 12), 1e-6); }
    SECTION("Si 2D") { check_all(models::si_sw(), ordinary_cell<2>(0.12, 60, 2.0, {1.0}, 0.2, 13), 1e-6); }
}

TEST_CASE("buckingham: invariants", "[potential]") {
    SECTION("3D") { check_all(models::matsui_buck(), ordinary_cell<3>(0.09, 100, 1.6, {0.4, 0.6}, 0.1, 14), 1e-6); }
    SECTION("2D") { check_all(models::matsui_buck(), ordinary_cell<2>(0.2, 100, 1.6, {0.4, 0.6}, 0.1, 15), 1e-6); }
}

TEST_CASE("sums of potentials add up without a new loop", "[potential]") {
    const auto s = ordinary_cell<3>(0.9, 100, 0.85, {0.6, 0.4}, 0.1, 16);
    pair_table<buck_coeff> b(2);
    b.set(0, 0, {100.0, 0.3, 1.0, 2.0});
    b.set(0, 1, {80.0, 0.25, 0.5, 1.8});
    b.set(1, 1, {60.0, 0.3, 0.8, 2.0});
    const auto lj = models::lj3d_shifted_force();
    const auto bk = make_pair_potential(truncated(buckingham(b)));
    const auto one_loop = make_pair_potential(pair_sum(shifted_force(lennard_jones(models::lj3d_table())), truncated(buckingham(b))));
    const auto two = sum(lj, bk);
    const auto o = compute_options::all();
    const auto ra = compute(lj, s, o), rb = compute(bk, s, o), r1 = compute(one_loop, s, o), r2 = compute(two, s, o);
    CHECK(two.cutoff() == std::max(lj.cutoff(), bk.cutoff()));
    const double fs = ra.forces.cwiseAbs().maxCoeff();
    for (const auto* r : {&r1, &r2}) {
        CHECK(std::abs(r->energy - (ra.energy + rb.energy)) <= 1e-12 * std::abs(ra.energy));
        CHECK((r->forces - (ra.forces + rb.forces)).cwiseAbs().maxCoeff() <= 1e-12 * fs);
        CHECK((r->virial - (ra.virial + rb.virial)).cwiseAbs().maxCoeff() <= 1e-12 * ra.virial.cwiseAbs().maxCoeff());
        CHECK((r->virial_per_atom - (ra.virial_per_atom + rb.virial_per_atom)).cwiseAbs().maxCoeff() <=
              1e-12 * ra.virial_per_atom.cwiseAbs().maxCoeff());
    }
    check_all(one_loop, s, 1e-6);
}

TEST_CASE("chunking: the prefix-sum cut equals partition's for any weights and chunk count", "[potential]") {
    std::mt19937_64 rng(17);
    for (int trial = 0; trial < 200; ++trial) {
        const std::size_t n = rng() % 300;
        std::vector<std::size_t> w(n), prefix(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) {
            w[i] = rng() % 4 == 0 ? 0 : rng() % 50;  // empty atoms too
            prefix[i + 1] = prefix[i] + 1 + w[i];
        }
        for (std::size_t chunks : {1, 2, 3, 4, 7, 8, 300, 500}) {
            std::vector<std::size_t> a, b;
            amorph::potential::detail::partition(n, chunks, [&](std::size_t i) { return w[i]; }, a);
            amorph::potential::detail::partition_prefix(n, chunks, [&](std::size_t k) { return static_cast<double>(prefix[k]); }, b);
            INFO("n " << n << " chunks " << chunks);
            CHECK(a == b);
        }
    }
}
