#include "amorph/analysis/bonds.hpp"
#include "amorph/analysis/clusters.hpp"
#include "amorph/analysis/correlation.hpp"
#include "amorph/analysis/profile.hpp"
#include "amorph/analysis/rdf.hpp"
#include "amorph/neighbor/brute_force.hpp"
#include "../neighbor/random_cells.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <numbers>
#include <random>

using namespace amorph;
using namespace amorph::analysis;

namespace {
template <int D>
coords<D> uniform(std::mt19937_64& rng, const box<D>& b, int n) {
    std::uniform_real_distribution<double> u(0, 1);
    coords<D> x(D, n);
    for (int i = 0; i < n; ++i) {
        vec<D> s;
        for (int k = 0; k < D; ++k) s(k) = u(rng);
        x.col(i) = b.to_cartesian(s);
    }
    return x;
}
}  // namespace

TEMPLATE_TEST_CASE_SIG("partial g(r) equals a brute-force histogram, in tilted cells past half the box",
                       "[analysis][rdf]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(1);
    const box<D> b = test::random_cell<D>(rng, 3.0, 4.0, 0.8, true);
    const int n = 60;
    const coords<D> x = uniform<D>(rng, b, n);
    std::vector<int> types(n);
    for (int i = 0; i < n; ++i) types[static_cast<std::size_t>(i)] = i % 3 == 0 ? 1 : 0;
    const rdf_options opt{5.0, 25};  // r_max beyond half the cell
    const auto r = rdf(b, x, types, opt);
    std::map<std::tuple<int, int, int>, double> hist;
    for (const auto& p : neighbor::brute_force_pairs(b, x, opt.r_max))
        hist[{types[p.i], types[p.j], static_cast<int>(std::sqrt(p.r2) / (opt.r_max / opt.bins))}] += 1;
    for (int a = 0; a < 2; ++a)
        for (int c = 0; c < 2; ++c)
            for (int k = 0; k < opt.bins; ++k) {
                const double na = static_cast<double>(r.count[static_cast<std::size_t>(a)]);
                const double nc = static_cast<double>(r.count[static_cast<std::size_t>(c)]) - (a == c);
                const double shell = analysis::detail::shell_volume<D>(k * 0.2, (k + 1) * 0.2);
                const double want = b.volume() * hist[{a, c, k}] / (na * nc * shell);
                CHECK(r.g(a, c)[static_cast<std::size_t>(k)] == Approx(want).epsilon(1e-12).margin(1e-12));
            }
}

TEST_CASE("g(r) of an ideal gas tends to 1", "[analysis][rdf]") {
    std::mt19937_64 rng(2);
    const box<3> b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(20.0));
    const coords<3> x = uniform<3>(rng, b, 8000);
    const auto r = rdf(b, x, std::vector<int>(8000, 0), rdf_options{5.0, 10});
    double mean = 0;
    for (std::size_t k = 1; k < r.total.size(); ++k) {
        CHECK(r.total[k] == Approx(1.0).epsilon(0.05));
        mean += r.total[k];
    }
    CHECK(mean / 9 == Approx(1.0).epsilon(0.01));
}

TEST_CASE("g(r) of FCC gives the exact shell counts, per-atom PDFs average to the global one", "[analysis][rdf]") {
    const int nc = 4;
    const double a = 1.0;
    coords<3> x(3, 4 * nc * nc * nc);
    Eigen::Index c = 0;
    const std::vector<vec<3>> basis{{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    for (int i = 0; i < nc; ++i)
        for (int j = 0; j < nc; ++j)
            for (int k = 0; k < nc; ++k)
                for (const auto& s : basis) x.col(c++) = a * (vec<3>(i, j, k) + s);
    const box<3> b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(nc * a));
    std::vector<int> types(static_cast<std::size_t>(x.cols()));
    for (std::size_t i = 0; i < types.size(); ++i) types[i] = static_cast<int>(i % 4 == 0);  // two species
    const rdf_options opt{1.3, 130};
    const auto r = rdf(b, x, types, opt);
    const double rho = static_cast<double>(x.cols()) / b.volume();
    // running coordination N(r) = rho * sum g S * (N-1)/N at the shell radii
    auto shells_within = [&](double rmax) {
        double s = 0;
        for (std::size_t k = 0; k < r.r.size(); ++k)
            if (r.r[k] < rmax) s += r.total[k] * rho * analysis::detail::shell_volume<3>(k * 0.01, (k + 1) * 0.01);
        return s * (static_cast<double>(x.cols()) - 1) / static_cast<double>(x.cols());
    };
    CHECK(shells_within(0.8) == Approx(12.0));
    CHECK(shells_within(1.1) == Approx(18.0));
    CHECK(shells_within(1.25) == Approx(42.0));

    std::vector<std::size_t> centers;
    for (std::size_t i = 0; i < types.size(); ++i)
        if (types[i] == 0) centers.push_back(i);
    const auto pdf = per_atom_pdf(b, x, types, centers, opt);
    for (int s = 0; s < 2; ++s) {
        const double ns = static_cast<double>(r.count[static_cast<std::size_t>(s)]);
        const double corr = (ns - (s == 0)) / ns;
        for (int k = 0; k < opt.bins; ++k)
            CHECK(pdf.col(s * opt.bins + k).mean() == Approx(r.g(0, s)[static_cast<std::size_t>(k)] * corr).margin(1e-10));
    }
}

TEST_CASE("coordination numbers with per-pair cutoffs equal brute force", "[analysis][coordination]") {
    std::mt19937_64 rng(3);
    const box<3> b = test::random_cell<3>(rng, 5.0, 6.0, 0.5, true);
    const coords<3> x = uniform<3>(rng, b, 150);
    std::vector<int> types(150);
    for (std::size_t i = 0; i < 150; ++i) types[i] = static_cast<int>(i % 2);
    Eigen::MatrixXd cut(2, 2);
    cut << 1.2, 1.5, 1.5, 0.0;  // 1-1 pairs not counted
    const auto cn = coordination(b, x, types, cut);
    std::vector<int> ref(150, 0);
    for (const auto& p : neighbor::brute_force_pairs(b, x, 1.5))
        if (std::sqrt(p.r2) < cut(types[p.i], types[p.j])) ++ref[p.i];
    CHECK(cn == ref);
}

TEST_CASE("bond switching classifies removed, added and swapped neighbors", "[analysis][bonds]") {
    // Four Al (type 0) centers far apart, each with O (type 1) neighbors at 2.0.
    amorph::system<2> ref(box<2>::orthogonal(vec<2>::Zero(), vec<2>(40, 40)), 0);
    ref.species = species_list::from_names({"Al", "O"});
    auto add = [](amorph::system<2>& s, std::int64_t id, int type, vec<2> p) {
        const auto i = s.size();
        s.resize(i + 1);
        s.ids[i] = id;
        s.types[i] = type;
        s.positions.col(static_cast<Eigen::Index>(i)) = p;
    };
    for (int c = 0; c < 4; ++c) {
        const vec<2> o(5.0 + 10.0 * c, 20.0);
        add(ref, 100 + c, 0, o);
        for (int k = 0; k < 3; ++k) {
            const double t = 2 * std::numbers::pi * k / 3;
            add(ref, 10 * c + k + 1, 1, o + 2.0 * vec<2>(std::cos(t), std::sin(t)));
        }
        add(ref, 10 * c + 9, 1, o + vec<2>(0, 4.0));  // a spare O, not bonded (4.0 > 2.25)
    }
    amorph::system<2> cur = ref;
    auto idx = cur.index_of_ids();
    cur.positions.col(static_cast<Eigen::Index>(idx.at(1))) += vec<2>(5, 0);          // center 0 loses an O: DC
    cur.positions.col(static_cast<Eigen::Index>(idx.at(19))) -= vec<2>(0, 2.2);       // center 1 gains its spare: IC
    cur.positions.col(static_cast<Eigen::Index>(idx.at(21))) += vec<2>(0, -9);        // center 2: one O leaves...
    cur.positions.col(static_cast<Eigen::Index>(idx.at(29))) -= vec<2>(0, 2.2);       // ...its spare comes in: SC
    cur.sort_by_id();  // storage order must not matter
    const auto r = bond_switching(ref, cur, 0, 1, 2.25);
    REQUIRE(r.change.size() == 4);
    CHECK(r.change[0] == bond_change::decreased);
    CHECK(r.change[1] == bond_change::increased);
    CHECK(r.change[2] == bond_change::switched);
    CHECK(r.change[3] == bond_change::unchanged);
    CHECK(r.fraction(3, bond_change::unchanged) == Approx(0.25));
}

TEST_CASE("clusters equal brute-force connected components, across periodic boundaries", "[analysis][clusters]") {
    std::mt19937_64 rng(4);
    const box<3> b = test::random_cell<3>(rng, 6.0, 7.0, 0.6, false);
    const coords<3> x = uniform<3>(rng, b, 200);
    std::vector<char> sel(200);
    for (auto& s : sel) s = std::uniform_int_distribution<int>(0, 2)(rng) == 0;
    const double rc = 1.4;
    const auto r = clusters(b, x, sel, rc);
    // brute force: flood fill
    std::vector<int> comp(200, -1);
    int nc = 0;
    const auto pairs = neighbor::brute_force_pairs(b, x, rc);
    for (std::size_t s = 0; s < 200; ++s) {
        if (!sel[s] || comp[s] >= 0) continue;
        std::vector<std::size_t> stack{s};
        comp[s] = nc;
        while (!stack.empty()) {
            const auto i = stack.back();
            stack.pop_back();
            for (const auto& p : pairs)
                if (p.i == i && sel[p.j] && comp[p.j] < 0) {
                    comp[p.j] = nc;
                    stack.push_back(p.j);
                }
        }
        ++nc;
    }
    CHECK(r.count() == static_cast<std::size_t>(nc));
    for (std::size_t i = 0; i < 200; ++i)
        for (std::size_t j = 0; j < 200; ++j)
            if (sel[i] && sel[j]) CHECK((r.cluster[i] == r.cluster[j]) == (comp[i] == comp[j]));
    std::size_t total = 0;
    for (auto s : r.sizes) total += s;
    CHECK(total == static_cast<std::size_t>(std::count(sel.begin(), sel.end(), 1)));
    CHECK(std::is_sorted(r.sizes.rbegin(), r.sizes.rend()));
}

TEST_CASE("spatial correlation: none for noise, a finite length for a smooth field", "[analysis][correlation]") {
    std::mt19937_64 rng(5);
    const double L = 30.0;
    const box<3> b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(L));
    const coords<3> x = uniform<3>(rng, b, 6000);
    std::normal_distribution<double> g(0, 1);
    std::vector<double> noise(6000), smooth(6000);
    for (std::size_t i = 0; i < 6000; ++i) {
        noise[i] = g(rng);
        smooth[i] = std::cos(2 * std::numbers::pi * x(0, static_cast<Eigen::Index>(i)) / L);
    }
    const auto cn = spatial_correlation(b, x, noise, rdf_options{6.0, 12});
    for (std::size_t k = 1; k < cn.c.size(); ++k) CHECK(std::abs(cn.c[k]) < 0.05);
    const auto cs = spatial_correlation(b, x, smooth, rdf_options{14.0, 28});
    // C(r) of cos(2 pi x / L) averaged over directions: 0.5 sin(kr)/(kr)
    for (std::size_t k = 0; k < cs.c.size(); ++k) {
        const double kr = 2 * std::numbers::pi * cs.r[k] / L;
        CHECK(cs.c[k] == Approx(0.5 * std::sin(kr) / kr).margin(0.03));
    }
    // sin(u)/u = 1/e at u = 2.198, i.e. r = 2.198 L / (2 pi) = 10.49
    CHECK(cs.length == Approx(2.198 * L / (2 * std::numbers::pi)).epsilon(0.04));
}

TEST_CASE("slab profiles tile the cell", "[analysis][profile]") {
    std::mt19937_64 rng(6);
    mat<2> h;
    h << 10, 4, 0, 8;
    const box<2> b(h);
    const coords<2> x = uniform<2>(rng, b, 500);
    std::vector<char> flag(500);
    for (Eigen::Index i = 0; i < 500; ++i) flag[static_cast<std::size_t>(i)] = b.to_fractional(x.col(i))(1) < 0.25;
    const auto p = slabs(b, x, flag, 1, 2.0);
    REQUIRE(p.atoms.size() == 4);
    std::size_t total = 0;
    for (auto a : p.atoms) total += a;
    CHECK(total == 500);
    CHECK(p.fraction[0] == 1.0);
    CHECK(p.fraction[1] == 0.0);
}

#include "amorph/analysis/atomic_stress.hpp"
#include "amorph/analysis/orientational.hpp"

TEMPLATE_TEST_CASE_SIG("orientational g(r, theta) of an isotropic gas is flat and averages to g(r)",
                       "[analysis][orientational]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(8);
    const box<D> b = box<D>::orthogonal(vec<D>::Zero(), vec<D>::Constant(D == 2 ? 80.0 : 18.0));
    const int n = D == 2 ? 6000 : 5000;
    const coords<D> x = uniform<D>(rng, b, n);
    std::vector<int> types(static_cast<std::size_t>(n), 0);
    std::vector<std::size_t> centers(static_cast<std::size_t>(n));
    std::iota(centers.begin(), centers.end(), std::size_t{0});
    vec<D> zeta = vec<D>::Ones();
    const auto g = g_zeta_theta<D>(b, x, types, centers, 0, zeta, orientational_options{4.0, 4, 3});
    for (int k = 1; k < 4; ++k)
        for (int m = 0; m < 3; ++m) CHECK(g.g(k, m) == Approx(1.0).epsilon(0.06));
}

TEST_CASE("orientational g(r, theta) and g(r, phi) pick the right bins", "[analysis][orientational]") {
    // One center with one neighbor along zeta (theta = 0) and one perpendicular
    // to zeta inside the iota-eta plane (phi = 0) and one along iota x eta (phi = pi/2).
    const box<3> b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(20.0));
    coords<3> x(3, 4);
    const vec<3> c(10, 10, 10), iota(1, 0, 0), eta(0, 1, 0);
    const vec<3> zeta = (iota + eta).normalized();
    x.col(0) = c;
    x.col(1) = c + 1.05 * zeta;
    x.col(2) = c + 1.05 * (iota - eta).normalized();
    x.col(3) = c + 1.05 * vec<3>(0, 0, 1);
    const std::vector<int> types{0, 0, 0, 0};
    const orientational_options o{2.0, 2, 3};
    const auto gt = g_zeta_theta<3>(b, x, types, {0}, 0, zeta, o);
    CHECK(gt.g(1, 0) > 0);  // along zeta
    CHECK(gt.g(1, 1) == 0);
    CHECK(gt.g(1, 2) > 0);  // the two perpendicular ones
    const auto gp = g_zeta_phi(b, x, types, {0}, 0, zeta, iota, eta, o);
    CHECK(gp.g(1, 0) > 0);  // in the iota-eta plane (and the one along zeta: chi = 0 -> phi 0)
    CHECK(gp.g(1, 2) > 0);  // along iota x eta
    // 3 neighbors over the shell [1, 2): total weight equals the count
    double w = 0;
    const double d = 4.0 / 20.0 / 20.0 / 20.0;
    for (int m = 0; m < 3; ++m) w += gt.g(1, m) * d * 4.0 / 3.0 * std::numbers::pi * 7.0 * (std::cos(m * std::numbers::pi / 6) - std::cos((m + 1) * std::numbers::pi / 6));
    CHECK(w == Approx(3.0));
}

TEST_CASE("atomic stress divides the per-atom stress by the volume", "[analysis][atomic_stress]") {
    Eigen::Matrix<double, 6, Eigen::Dynamic> s(6, 2);
    s << 6, -3, 3, -3, 9, -3, 1, 0, 2, 0, 3, 0;
    const auto r = atomic_stress<3>(s, {3.0, 1.0});
    CHECK(r.tensor(0, 0) == 2.0);
    CHECK(r.hydrostatic[0] == Approx((6.0 + 3.0 + 9.0) / 3.0 / 3.0));
    CHECK(r.hydrostatic[1] == Approx(-3.0));
    CHECK_THROWS_AS(atomic_stress<3>(s, {0.0, 1.0}), invalid_argument);
}
