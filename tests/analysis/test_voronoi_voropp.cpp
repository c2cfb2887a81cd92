// Voronoi volumes and face topology against voro++ (Debian `voro++-dev`, the
// library behind the voro++ CLI), at full double precision: volumes to 1e-10
// relative, face-order tables exactly. voro++'s periodic container is a
// parallelepiped in LAMMPS's restricted form, so triclinic cells are compared
// too (after rotating our general cell into that form).
#include "amorph/analysis/voronoi.hpp"
#include "amorph/core/lammps_cell.hpp"
#include "amorph/io/lammps_data.hpp"

#include <catch2/catch.hpp>
#include <voro++/voro++.hh>

#include <fstream>
#include <map>
#include <random>
#include <vector>

using namespace amorph;
using namespace amorph::analysis;

namespace {

struct ref_cell {
    double volume = -1;
    std::vector<int> orders;
};

template <class Container, class Loop>
std::vector<ref_cell> collect(Container& con, std::size_t n) {
    std::vector<ref_cell> out(n);
    Loop vl(con);
    voro::voronoicell_neighbor c;
    if (vl.start()) do {
            if (con.compute_cell(c, vl)) {
                auto& r = out.at(static_cast<std::size_t>(vl.pid()));
                r.volume = c.volume();
                c.face_freq_table(r.orders);
            }
        } while (vl.inc());
    return out;
}

/// voro++ on a periodic parallelepiped given in LAMMPS form; radii optional.
std::vector<ref_cell> voropp_periodic(const lammps_box& L, const coords<3>& x, const std::vector<double>& radii) {
    const double bx = L.xhi - L.xlo, by = L.yhi - L.ylo, bz = L.zhi - L.zlo;
    const auto n = static_cast<std::size_t>(x.cols());
    const int g = std::max(1, static_cast<int>(std::cbrt(static_cast<double>(n) / 5.0)));
    if (radii.empty()) {
        voro::container_periodic con(bx, L.xy, by, L.xz, L.yz, bz, g, g, g, 8);
        for (std::size_t i = 0; i < n; ++i)
            con.put(static_cast<int>(i), x(0, i) - L.xlo, x(1, i) - L.ylo, x(2, i) - L.zlo);
        return collect<voro::container_periodic, voro::c_loop_all_periodic>(con, n);
    }
    voro::container_periodic_poly con(bx, L.xy, by, L.xz, L.yz, bz, g, g, g, 8);
    for (std::size_t i = 0; i < n; ++i)
        con.put(static_cast<int>(i), x(0, i) - L.xlo, x(1, i) - L.ylo, x(2, i) - L.zlo, radii[i]);
    return collect<voro::container_periodic_poly, voro::c_loop_all_periodic>(con, n);
}

void compare(const voronoi_result<3>& r, const std::vector<ref_cell>& ref) {
    REQUIRE(r.volume.size() == ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
        INFO("atom " << i);
        if (ref[i].volume < 0) {  // voro++ found the cell empty (power diagrams can have those)
            CHECK(r.volume[i] == Approx(0.0).margin(1e-12));
            continue;
        }
        CHECK(r.volume[i] == Approx(ref[i].volume).epsilon(1e-10));
        for (std::size_t k = 0; k < voronoi_result<3>::max_edges; ++k) {
            const int want = k < ref[i].orders.size() ? ref[i].orders[k] : 0;
            CHECK(static_cast<int>(r.face_orders[i][k]) == want);
        }
    }
}

coords<3> uniform(std::mt19937_64& rng, const box<3>& b, int n) {
    std::uniform_real_distribution<double> u(0, 1);
    coords<3> x(3, n);
    for (int i = 0; i < n; ++i) x.col(i) = b.to_cartesian(vec<3>(u(rng), u(rng), u(rng)));
    return x;
}

}  // namespace

TEST_CASE("Voronoi matches voro++ in periodic orthogonal and triclinic cells", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(101);
    for (int trial = 0; trial < 4; ++trial) {
        lammps_box L{-1.0, 6.0, 0.5, 6.5, 2.0, 10.0, 0.0, 0.0, 0.0};
        if (trial >= 2) L.xy = 2.1, L.xz = -1.7, L.yz = 1.4;  // triclinic
        const box<3> b = from_lammps<3>(L);
        const coords<3> x = uniform(rng, b, 400);
        compare(voronoi(b, x), voropp_periodic(L, x, {}));
    }
}

TEST_CASE("Voronoi of the LAMMPS-made Cu-Zr fixtures matches voro++, the fixtures are disordered", "[analysis][voronoi][peer]") {
    // tests/dynamics/data (make_fixtures.lmp, 1024 atoms, EAM): a liquid at 2000 K and a
    // glass quenched from it. Every 3D "glass" test of the suite runs on them, so they
    // must be amorphous: no Voronoi index may hold more than 20 % of the atoms (a B2
    // crystal has <0,6,0,8> on all of them; the fixtures have ~6 % at most).
    for (const char* name : {"cuzr_glass.data", "cuzr_liquid.data"}) {
        INFO(name);
        std::ifstream in(std::string(AMORPH_SOURCE_DIR "/tests/dynamics/data/") + name);
        REQUIRE(in);
        const auto s = io::read_lammps_data<3>(in, name);
        const auto L = to_lammps(s.box).bounds;
        coords<3> x(3, static_cast<Eigen::Index>(s.size()));
        for (Eigen::Index i = 0; i < x.cols(); ++i) x.col(i) = s.box.wrap(s.positions.col(i));
        const auto r = voronoi(s.box, x);
        compare(r, voropp_periodic(L, x, {}));
        double sum = 0;
        for (double v : r.volume) sum += v;
        CHECK(sum == Approx(s.box.volume()).epsilon(1e-12));
        std::map<std::array<int, 4>, int> count;
        for (std::size_t i = 0; i < s.size(); ++i) ++count[r.index(i)];
        int most = 0;
        for (const auto& [index, n] : count) most = std::max(most, n);
        CHECK(most <= static_cast<int>(s.size()) / 5);
        CHECK(count.size() > 50);  // a glass or liquid has many distinct polyhedra
    }
}

TEST_CASE("Voronoi of a perfect B2 crystal (degenerate vertices) matches voro++", "[analysis][voronoi][peer]") {
    // Cu-Zr B2, 8 x 8 x 8 cells of a = 3.26: every cell is a truncated octahedron whose
    // vertices are each shared by four cells exactly, the hardest case for the topology.
    const int m = 8;
    const double a = 3.26;
    const box<3> b = box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(m * a));
    coords<3> x(3, 2 * m * m * m);
    Eigen::Index k = 0;
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < m; ++j)
            for (int l = 0; l < m; ++l) {
                x.col(k++) = vec<3>(i, j, l) * a;
                x.col(k++) = (vec<3>(i, j, l) + vec<3>::Constant(0.5)) * a;
            }
    const auto r = voronoi(b, x);
    compare(r, voropp_periodic(to_lammps(b).bounds, x, {}));
    for (Eigen::Index i = 0; i < x.cols(); ++i) {
        CHECK(r.index(static_cast<std::size_t>(i)) == std::array<int, 4>{0, 6, 0, 8});
        CHECK(r.volume[static_cast<std::size_t>(i)] == Approx(a * a * a / 2).epsilon(1e-12));
    }
}

TEST_CASE("Voronoi of a rotated general cell matches voro++ on its LAMMPS form", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(7);
    mat<3> h;
    h << 6.0, 1.5, -2.0,  //
        0.3, 5.5, 1.0,    //
        -0.4, 0.2, 7.0;
    const box<3> b(h, vec<3>(0.3, -0.2, 1.0));
    const coords<3> x = uniform(rng, b, 300);
    const auto lf = to_lammps(b);
    const coords<3> xl = (lf.rotation * (x.colwise() - b.origin())).colwise() + b.origin();
    compare(voronoi(b, x), voropp_periodic(lf.bounds, xl, {}));
}

TEST_CASE("Radical tessellation matches voro++'s", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(103);
    std::uniform_real_distribution<double> rad(0.4, 1.0);
    const lammps_box L{0, 7, 0, 7, 0, 7, 0.8, 0.0, -0.5};
    const box<3> b = from_lammps<3>(L);
    const coords<3> x = uniform(rng, b, 300);
    voronoi_options opt;
    for (int i = 0; i < 300; ++i) opt.radii.push_back(rad(rng));
    compare(voronoi(b, x, opt), voropp_periodic(L, x, opt.radii));
}

TEST_CASE("Voronoi matches voro++ with walls along non-periodic axes", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(102);
    const box<3> b(mat<3>(vec<3>(6.0, 5.0, 7.0).asDiagonal()), vec<3>(1.0, 0.0, -2.0), {false, true, false});
    const coords<3> x = uniform(rng, b, 250);
    voro::container con(1.0, 7.0, 0.0, 5.0, -2.0, 5.0, 4, 4, 4, false, true, false, 8);
    for (Eigen::Index i = 0; i < x.cols(); ++i) con.put(static_cast<int>(i), x(0, i), x(1, i), x(2, i));
    compare(voronoi(b, x), collect<voro::container, voro::c_loop_all>(con, 250));
}

TEST_CASE("2D Voronoi areas equal voro++ prism volumes of a thin periodic slab", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(104);
    std::uniform_real_distribution<double> u(0, 1);
    const double Lx = 9.0, Ly = 7.0, Lz = 0.5;  // Lz below the spacing: every cell is a prism
    const double xy = 2.5;                      // a tilted 2D cell
    coords<2> x2(2, 150);
    coords<3> x3(3, 150);
    const box<2> b2 = from_lammps<2>(lammps_box{0, Lx, 0, Ly, -0.5, 0.5, xy, 0, 0});
    for (Eigen::Index i = 0; i < x2.cols(); ++i) {
        x2.col(i) = b2.to_cartesian(vec<2>(u(rng), u(rng)));
        x3.col(i) << x2(0, i), x2(1, i), 0.25;
    }
    const auto r2 = voronoi(b2, x2);
    const auto ref = voropp_periodic(lammps_box{0, Lx, 0, Ly, 0, Lz, xy, 0, 0}, x3, {});
    for (std::size_t i = 0; i < ref.size(); ++i) {
        CHECK(r2.volume[i] * Lz == Approx(ref[i].volume).epsilon(1e-10));
        // a prism over an n-gon has n quadrilaterals and two n-gons
        const std::size_t n = r2.faces[i].size();
        CHECK(ref[i].orders.at(4) == static_cast<int>(n == 4 ? n + 2 : n));
    }
}
