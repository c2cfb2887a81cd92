// Structure functions against (1) a direct O(N^2 x images) evaluation written
// here with no windowing, no cell list and no tail truncation, and (2) an
// independent numpy evaluation (data/sf_fixture.txt, made by make_sf_fixture.py).
#include "amorph/descriptor/structure_functions.hpp"

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <fstream>
#include <random>
#include <sstream>

using namespace amorph;
using namespace amorph::descriptor;

namespace {

/// Every image displacement x_j + h n - x_i with |d| < R (not j = i, n = 0),
/// by enumerating a box of lattice offsets that surely contains them.
template <int D>
std::vector<std::pair<vec<D>, int>> all_images(const amorph::system<D>& sys, std::size_t i, double R) {
    std::vector<std::pair<vec<D>, int>> out;
    const mat<D>& h = sys.box.h();
    const mat<D> hinv = h.inverse();
    const vec<D> xi = sys.positions.col(static_cast<Eigen::Index>(i));
    for (Eigen::Index j = 0; j < sys.positions.cols(); ++j) {
        const vec<D> d0 = sys.positions.col(j) - xi;
        const vec<D> s = hinv * d0;
        std::array<int, 3> lo{0, 0, 0}, hi{0, 0, 0};
        for (int k = 0; k < D; ++k) {
            const double reach = R * hinv.row(k).norm() + 1;
            lo[static_cast<std::size_t>(k)] = static_cast<int>(std::floor(-s(k) - reach));
            hi[static_cast<std::size_t>(k)] = static_cast<int>(std::ceil(-s(k) + reach));
        }
        for (int a = lo[0]; a <= hi[0]; ++a)
            for (int b = lo[1]; b <= hi[1]; ++b)
                for (int c = lo[2]; c <= hi[2]; ++c) {
                    ivec<D> n;
                    n(0) = a;
                    n(1) = b;
                    if constexpr (D == 3) n(2) = c;
                    if (j == static_cast<Eigen::Index>(i) && n.isZero()) continue;
                    const vec<D> d = d0 + h * n.template cast<double>();
                    if (d.norm() < R) out.emplace_back(d, sys.types[static_cast<std::size_t>(j)]);
                }
    }
    return out;
}

/// The definitions of the header, term by term.
template <int D>
std::vector<double> direct_row(const amorph::system<D>& sys, const settings& s, std::size_t i, std::size_t ns) {
    std::vector<double> f;
    const int ti = sys.types[i];
    if (s.radial) {
        const auto& r = *s.radial;
        const double a = r.form == gaussian_form::two_l2 ? 0.5 / (r.width * r.width) : 1.0 / (r.width * r.width);
        auto unit = [&](int t, int b) {
            if (r.distance_unit.empty()) return 1.0;
            if (r.distance_unit.size() == 1) return r.distance_unit[0];
            return r.distance_unit[static_cast<std::size_t>(t) * ns + static_cast<std::size_t>(b)];
        };
        double umax = 1;
        for (double u : r.distance_unit) umax = std::max(umax, u);
        const double mu_max = *std::max_element(r.mu.begin(), r.mu.end());
        const double R = (r.cutoff > 0 ? r.cutoff : mu_max + 12 * r.width) * umax * 1.0000001;
        const auto nb = all_images(sys, i, R);
        for (std::size_t b = 0; b < ns; ++b)
            for (double mu : r.mu) {
                double g = 0;
                for (const auto& [d, t] : nb) {
                    if (static_cast<std::size_t>(t) != b) continue;
                    const double sv = d.norm() / unit(ti, t);
                    if (r.cutoff > 0 && !(r.cutoff_inclusive ? sv <= r.cutoff : sv < r.cutoff)) continue;
                    g += std::exp(-a * (sv - mu) * (sv - mu));
                }
                f.push_back(g);
            }
    }
    if (s.angular) {
        const auto& an = *s.angular;
        const auto nb = all_images(sys, i, an.cutoff);
        for (std::size_t a = 0; a < ns; ++a)
            for (std::size_t b = a; b < ns; ++b)
                for (const auto& t : an.terms) {
                    double psi = 0;
                    for (std::size_t p = 0; p < nb.size(); ++p)
                        for (std::size_t q = 0; q < nb.size(); ++q) {
                            if (p == q) continue;
                            const auto tj = static_cast<std::size_t>(nb[p].second), tk = static_cast<std::size_t>(nb[q].second);
                            // ordered pairs (p, q): each unordered pair twice
                            const bool in_block = (tj == a && tk == b) || (tj == b && tk == a);
                            if (!in_block) continue;
                            const vec<D>& dj = nb[p].first;
                            const vec<D>& dk = nb[q].first;
                            const double c = dj.dot(dk) / (dj.norm() * dk.norm());
                            const double v = std::exp(-(dj.squaredNorm() + dk.squaredNorm() + (dk - dj).squaredNorm()) /
                                                      (t.xi * t.xi)) *
                                             std::pow(1 + t.lambda * c, t.zeta);
                            const double w = (an.order == pair_order::ordered && a == b) ? 1.0 : 0.5;
                            psi += w * v;
                        }
                    f.push_back(psi);
                }
    }
    if (s.bias) f.push_back(1.0);
    return f;
}

template <int D>
amorph::system<D> random_system(std::mt19937_64& rng, const mat<D>& h, int n, int ns) {
    amorph::system<D> sys(box<D>(h, vec<D>::Constant(-0.3)), static_cast<std::size_t>(n));
    sys.species = species_list{};
    for (int t = 0; t < ns; ++t) sys.species.add(std::string(1, static_cast<char>('A' + t)));
    std::uniform_real_distribution<double> u(0, 1);
    std::uniform_int_distribution<int> ty(0, ns - 1), sh(-2, 2);
    for (int i = 0; i < n; ++i) {
        vec<D> s;
        for (int k = 0; k < D; ++k) s(k) = u(rng);
        if (i % 7 == 3) s(0) += sh(rng);  // unwrapped
        sys.positions.col(i) = sys.box.to_cartesian(s);
        sys.types[static_cast<std::size_t>(i)] = ty(rng);
    }
    return sys;
}

settings settings_A() {
    settings s;
    radial_settings r;
    r.mu = grid(0.8, 4.0, 0.4, true);
    r.width = 0.3;
    r.cutoff = 3.5;
    s.radial = r;
    angular_settings a;
    a.cutoff = 3.2;
    a.terms = {{1.5, -1, 1}, {2.0, 1, 2}, {3.0, 1, 4}, {1.2, 0.5, 2.5}};
    s.angular = a;
    return s;
}

settings settings_B() {
    settings s;
    radial_settings r;
    r.mu = grid(1.0, 3.0, 0.25, true);
    r.width = 0.25;
    r.form = gaussian_form::l2;
    r.distance_unit = {1.0, 1.2, 1.2, 1.5};
    s.radial = r;
    angular_settings a;
    a.cutoff = 2.8;
    a.order = pair_order::ordered;
    a.terms = {{1.0, -1, 2}, {2.5, 1, 16}};
    s.angular = a;
    s.bias = true;
    return s;
}

/// max |a - b| / max(1, |b|) over all entries
double max_rel_diff(const feature_matrix& a, const feature_matrix& b) {
    double m = 0;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j)
            m = std::max(m, std::abs(a(i, j) - b(i, j)) / std::max(1.0, std::abs(b(i, j))));
    return m;
}

template <int D>
feature_matrix direct_all(const amorph::system<D>& sys, const settings& s) {
    const std::size_t ns = sys.species.size();
    feature_matrix F(static_cast<Eigen::Index>(sys.size()), static_cast<Eigen::Index>(feature_count(s, ns)));
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const auto row = direct_row(sys, s, i, ns);
        REQUIRE(row.size() == static_cast<std::size_t>(F.cols()));
        for (std::size_t k = 0; k < row.size(); ++k) F(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = row[k];
    }
    return F;
}

}  // namespace

TEST_CASE("structure function grids and presets have the documented sizes", "[descriptor]") {
    CHECK(grid(0.6, 10.0, 0.2, true).size() == 48);
    CHECK(grid(0.6, 10.0, 0.2, true).back() == Approx(10.0));
    CHECK(grid(0.6, 3.0, 0.05, true).size() == 49);
    const auto a = presets::alumina();
    CHECK(a.radial->mu.size() == 48);
    CHECK(a.radial->form == gaussian_form::l2);
    CHECK(a.angular->terms.size() == 22);
    const auto f2 = presets::fan2020_2d();
    CHECK(f2.radial->mu.size() == 180);
    CHECK(f2.radial->mu.front() == Approx(0.5125));
    CHECK(f2.radial->mu.back() < 5.0);
    CHECK(f2.angular->terms.size() == 160);
    const auto f3 = presets::fan2020_3d();
    CHECK(f3.radial->mu.size() == 152);
    CHECK(f3.radial->mu.front() == Approx(2.025));
    CHECK(f3.radial->mu.back() == Approx(9.575));
    CHECK(f3.angular->terms.front().xi == Approx(3.0));
    CHECK(f3.angular->terms.back().xi == Approx(8.0));
    const auto rp = presets::reduced_pdf({2.5, 2.7, 2.7, 3.1});
    CHECK(rp.radial->mu.size() == 49);
    CHECK(feature_count(rp, 2) == 99);
    CHECK(feature_count(f3, 2) == 2 * 152 + 3 * 160);
    const auto names = feature_names(f3, {"Cu", "Zr"});
    REQUIRE(names.size() == feature_count(f3, 2));
    CHECK(names[0] == "G[Cu](mu=2.025)");
    CHECK(names[152] == "G[Zr](mu=2.025)");
    CHECK(names[304] == "Psi[Cu,Cu](xi=3,lambda=-1,zeta=1)");
    CHECK(names[304 + 160] == "Psi[Cu,Zr](xi=3,lambda=-1,zeta=1)");
    CHECK(species_pair_index(1, 0, 3) == 1);
    CHECK(species_pair_index(1, 1, 3) == 3);
    CHECK(species_pair_index(2, 2, 3) == 5);
}

TEST_CASE("the vectorizable exp(-x) agrees with std::exp to a few ulp", "[descriptor]") {
    std::mt19937_64 rng(2);
    std::uniform_real_distribution<double> u(0, 708);
    double worst = 0;
    auto check = [&](double x) {
        const double ref = std::exp(-x);
        worst = std::max(worst, std::abs(descriptor::detail::exp_neg(x) - ref) / ref);
    };
    for (int k = 0; k < 200000; ++k) check(k < 100000 ? u(rng) : u(rng) / 700.0);
    for (double x : {0.0, 1e-300, 0.34657359027997264, 0.34657359027997270, 1.0, 700.0, 707.999})
        check(x);
    INFO("max relative error " << worst);
    CHECK(worst < 1e-15);
}

TEST_CASE("structure functions reject invalid settings", "[descriptor]") {
    amorph::system<3> sys(box<3>(mat<3>::Identity() * 5), 4);
    sys.species.add("A");
    settings s1 = settings_A();
    s1.radial->width = 0;
    CHECK_THROWS_AS(structure_functions<3>(sys, s1), invalid_argument);
    settings s2 = settings_A();
    s2.angular->terms.at(0).lambda = 1.5;
    CHECK_THROWS_AS(structure_functions<3>(sys, s2), invalid_argument);
    settings s3 = settings_B();
    s3.radial->distance_unit = {1.0, 2.0};
    CHECK_THROWS_AS(structure_functions<3>(sys, s3), invalid_argument);
    structure_functions<3> sf(sys, settings_A());
    feature_matrix out(2, 3);
    std::vector<std::size_t> c{0, 1};
    CHECK_THROWS_AS(sf.compute(c, out), invalid_argument);
    feature_matrix ok(1, static_cast<Eigen::Index>(sf.n_features()));
    std::vector<std::size_t> bad{7};
    CHECK_THROWS_AS(sf.compute(bad, ok), invalid_argument);
}

TEST_CASE("structure functions equal the numpy fixture", "[descriptor]") {
    std::ifstream in(std::string(AMORPH_TEST_DATA_DIR) + "/sf_fixture.txt");
    REQUIRE(in);
    std::string line;
    std::getline(in, line);  // comment
    int configs = 0;
    std::string word;
    while (in >> word) {
        REQUIRE(word == "config");
        int D, N, ns;
        in >> D >> N >> ns;
        auto run = [&](auto dim) {
            constexpr int DD = decltype(dim)::value;
            mat<DD> h;
            for (int r = 0; r < DD; ++r)
                for (int c = 0; c < DD; ++c) in >> h(r, c);
            amorph::system<DD> sys(box<DD>(h), static_cast<std::size_t>(N));
            sys.species.add("A");
            sys.species.add("B");
            for (int i = 0; i < N; ++i) {
                in >> sys.types[static_cast<std::size_t>(i)];
                for (int k = 0; k < DD; ++k) in >> sys.positions(k, i);
            }
            for (int set = 0; set < 2; ++set) {
                std::string tag, name;
                int rows, cols;
                in >> tag >> name >> rows >> cols;
                REQUIRE(tag == "features");
                const settings s = name == "A" ? settings_A() : settings_B();
                feature_matrix ref(rows, cols);
                for (int i = 0; i < rows; ++i)
                    for (int j = 0; j < cols; ++j) in >> ref(i, j);
                const feature_matrix got = structure_functions<DD>(sys, s).compute_all();
                REQUIRE(got.cols() == cols);
                const double diff = max_rel_diff(got, ref);
                INFO("D=" << DD << " settings " << name << " max rel diff vs numpy " << diff);
                CHECK(diff < 1e-12);
                // and the direct C++ evaluation agrees too
                CHECK(max_rel_diff(direct_all(sys, s), ref) < 1e-12);
            }
        };
        if (D == 3) run(std::integral_constant<int, 3>{});
        else run(std::integral_constant<int, 2>{});
        ++configs;
    }
    CHECK(configs == 2);
}

TEMPLATE_TEST_CASE_SIG("structure functions equal the direct evaluation in random and tiny cells", "[descriptor]",
                       ((int D), D), 2, 3) {
    std::mt19937_64 rng(7 + D);
    for (int trial = 0; trial < 6; ++trial) {
        mat<D> h = mat<D>::Zero();
        // trials 0-1: tiny cells (cutoffs longer than the cell); others: normal
        const double L = trial < 2 ? 2.2 : 5.5;
        std::uniform_real_distribution<double> u(-0.4, 0.4);
        for (int k = 0; k < D; ++k) h(k, k) = L * (1 + 0.2 * u(rng));
        for (int c = 1; c < D; ++c)
            for (int r = 0; r < c; ++r) h(r, c) = L * u(rng);
        const int n = trial < 2 ? 5 : (D == 3 ? 30 : 24);
        const int ns = 2 + trial % 2;
        const auto sys = random_system<D>(rng, h, n, ns);
        settings sb = settings_B();
        if (ns == 3) sb.radial->distance_unit = {1.0, 1.2, 0.9, 1.2, 1.5, 1.1, 0.9, 1.1, 1.3};
        for (const settings& s : {settings_A(), sb}) {
            const feature_matrix got = structure_functions<D>(sys, s).compute_all();
            const feature_matrix ref = direct_all(sys, s);
            const double diff = max_rel_diff(got, ref);
            INFO("trial " << trial << " max rel diff " << diff);
            CHECK(diff < 1e-12);
        }
    }
}

TEST_CASE("structure functions: thesis 2D preset and reduced PDF equal the direct evaluation", "[descriptor]") {
    std::mt19937_64 rng(99);
    mat<2> h;
    h << 7.0, 0.9, 0.0, 6.5;
    const auto sys2 = random_system<2>(rng, h, 40, 2);
    const std::vector<std::size_t> centers{0, 5, 17, 39};
    const settings s2 = presets::fan2020_2d();
    const feature_matrix got = compute_structure_functions(sys2, s2, centers);
    double m = 0;
    for (std::size_t k = 0; k < centers.size(); ++k) {
        const auto ref = direct_row(sys2, s2, centers[k], 2);
        for (std::size_t c = 0; c < ref.size(); ++c)
            m = std::max(m, std::abs(got(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(c)) - ref[c]) /
                                std::max(1.0, std::abs(ref[c])));
    }
    INFO("fan2020_2d max rel diff " << m);
    CHECK(m < 1e-12);

    mat<3> h3;
    h3 << 8.0, 0.5, -0.3, 0.0, 7.6, 0.8, 0.0, 0.0, 8.3;
    const auto sys3 = random_system<3>(rng, h3, 40, 2);
    const settings rp = presets::reduced_pdf({1.0, 1.2, 1.2, 1.4});
    const feature_matrix f = structure_functions<3>(sys3, rp).compute_all();
    CHECK(max_rel_diff(f, direct_all(sys3, rp)) < 1e-12);
    CHECK((f.col(f.cols() - 1).array() == 1.0).all());
}

TEST_CASE("structure functions are invariant under rotation and translation, and batch/thread independent",
          "[descriptor]") {
    std::mt19937_64 rng(5);
    mat<3> h;
    h << 7.0, 1.0, 0.4, 0.0, 6.5, -0.6, 0.0, 0.0, 7.2;
    auto sys = random_system<3>(rng, h, 60, 2);
    const settings s = presets::fan2020(1.0, 3.5, 0.1, 1.0, 3.0);
    const feature_matrix f0 = structure_functions<3>(sys, s).compute_all();

    // rotate everything (cell and atoms) and translate the atoms
    const mat<3> R = Eigen::AngleAxisd(0.7, vec<3>(1, 2, -0.5).normalized()).toRotationMatrix();
    auto rot = sys;
    rot.box = box<3>(R * h, R * sys.box.origin());
    rot.positions = (R * sys.positions).colwise() + vec<3>(0.3, -1.7, 12.0);
    const feature_matrix f1 = structure_functions<3>(rot, s).compute_all();
    const double diff = max_rel_diff(f1, f0);
    INFO("rotation max rel diff " << diff);
    CHECK(diff < 1e-11);

    // a batch of centers equals the matching rows; one thread equals many
    structure_functions<3> sf(sys, s);
    std::vector<std::size_t> c{59, 3, 3, 17};
    feature_matrix big(10, static_cast<Eigen::Index>(sf.n_features()));
    sf.compute(c, big.middleRows(2, 4));
    for (std::size_t k = 0; k < c.size(); ++k)
        CHECK(big.row(static_cast<Eigen::Index>(k + 2)) == f0.row(static_cast<Eigen::Index>(c[k])));
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    const feature_matrix f2 = structure_functions<3>(sys, s).compute_all();
    CHECK(f2 == f0);
}
