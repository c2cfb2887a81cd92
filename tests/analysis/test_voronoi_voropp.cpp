// Voronoi volumes and face topology against voro++ (Debian `voro++`, its CLI).
// voro++ prints volumes with 6 significant digits, so volumes are compared to
// 1e-5 relative; the face-order tables must agree exactly.
#include "amorph/analysis/voronoi.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace amorph;
using namespace amorph::analysis;
namespace fs = std::filesystem;

namespace {

struct voropp_cell {
    double volume;
    std::vector<int> orders;
};

std::vector<voropp_cell> run_voropp(const coords<3>& x, const vec<3>& lo, const vec<3>& hi, const std::string& flags,
                                    const std::vector<double>& radii) {
    const fs::path dir = fs::temp_directory_path() / ("amorph_voropp_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    const fs::path in = dir / "pts";
    {
        std::ofstream f(in);
        f.precision(17);
        for (Eigen::Index i = 0; i < x.cols(); ++i) {
            f << i << ' ' << x(0, i) << ' ' << x(1, i) << ' ' << x(2, i);
            if (!radii.empty()) f << ' ' << radii[static_cast<std::size_t>(i)];
            f << '\n';
        }
    }
    std::ostringstream cmd;
    cmd.precision(17);
    cmd << "voro++ " << flags << (radii.empty() ? "" : " -r") << " -c '%i %v %A' " << lo(0) << ' ' << hi(0) << ' '
        << lo(1) << ' ' << hi(1) << ' ' << lo(2) << ' ' << hi(2) << ' ' << in.string() << " > /dev/null 2>&1";
    REQUIRE(std::system(cmd.str().c_str()) == 0);
    std::vector<voropp_cell> out(static_cast<std::size_t>(x.cols()));
    std::ifstream f(in.string() + ".vol");
    std::string line;
    while (std::getline(f, line)) {
        std::istringstream ls(line);
        std::size_t id;
        voropp_cell c;
        ls >> id >> c.volume;
        int k;
        while (ls >> k) c.orders.push_back(k);
        out.at(id) = c;
    }
    fs::remove_all(dir);
    return out;
}

void compare(const voronoi_result<3>& r, const std::vector<voropp_cell>& ref) {
    REQUIRE(r.volume.size() == ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
        INFO("atom " << i);
        CHECK(r.volume[i] == Approx(ref[i].volume).epsilon(1e-5));
        for (std::size_t k = 0; k < voronoi_result<3>::max_edges; ++k) {
            const int want = k < ref[i].orders.size() ? ref[i].orders[k] : 0;
            CHECK(static_cast<int>(r.face_orders[i][k]) == want);
        }
    }
}

}  // namespace

TEST_CASE("Voronoi matches voro++ in a periodic box", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(101);
    std::uniform_real_distribution<double> u(0, 1);
    const vec<3> lo(-1.0, 0.5, 2.0), L(7.0, 6.0, 8.0);
    coords<3> x(3, 300);
    for (Eigen::Index i = 0; i < x.cols(); ++i)
        for (int k = 0; k < 3; ++k) x(k, i) = lo(k) + u(rng) * L(k);
    const box<3> b = box<3>::orthogonal(lo, lo + L);
    compare(voronoi(b, x), run_voropp(x, lo, lo + L, "-p", {}));
}

TEST_CASE("Voronoi matches voro++ with walls along non-periodic axes", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(102);
    std::uniform_real_distribution<double> u(0, 1);
    const vec<3> L(6.0, 6.0, 6.0);
    coords<3> x(3, 200);
    for (Eigen::Index i = 0; i < x.cols(); ++i)
        for (int k = 0; k < 3; ++k) x(k, i) = u(rng) * L(k);
    const box<3> b(mat<3>(L.asDiagonal()), vec<3>::Zero(), {false, true, false});
    compare(voronoi(b, x), run_voropp(x, vec<3>::Zero(), L, "-py", {}));
}

TEST_CASE("Radical tessellation matches voro++ -r", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(103);
    std::uniform_real_distribution<double> u(0, 1), rad(0.4, 1.0);
    const vec<3> L(7.0, 7.0, 7.0);
    coords<3> x(3, 250);
    voronoi_options opt;
    for (Eigen::Index i = 0; i < x.cols(); ++i) {
        for (int k = 0; k < 3; ++k) x(k, i) = u(rng) * L(k);
        opt.radii.push_back(rad(rng));
    }
    const box<3> b = box<3>::orthogonal(vec<3>::Zero(), L);
    compare(voronoi(b, x, opt), run_voropp(x, vec<3>::Zero(), L, "-p", opt.radii));
}

TEST_CASE("2D Voronoi areas equal voro++ prism volumes of a thin periodic slab", "[analysis][voronoi][peer]") {
    std::mt19937_64 rng(104);
    std::uniform_real_distribution<double> u(0, 1);
    const double Lx = 9.0, Ly = 7.0, Lz = 0.5;  // Lz below the spacing: every cell is a prism
    coords<2> x2(2, 120);
    coords<3> x3(3, 120);
    for (Eigen::Index i = 0; i < x2.cols(); ++i) {
        x2(0, i) = u(rng) * Lx;
        x2(1, i) = u(rng) * Ly;
        x3.col(i) << x2(0, i), x2(1, i), 0.25;
    }
    const auto r2 = voronoi(box<2>::orthogonal(vec<2>::Zero(), vec<2>(Lx, Ly)), x2);
    const auto ref = run_voropp(x3, vec<3>::Zero(), vec<3>(Lx, Ly, Lz), "-p", {});
    for (std::size_t i = 0; i < ref.size(); ++i) {
        CHECK(r2.volume[i] * Lz == Approx(ref[i].volume).epsilon(1e-5));
        // a prism over an n-gon has n quadrilaterals and two n-gons
        const std::size_t n = r2.faces[i].size();
        CHECK(ref[i].orders.at(4) == static_cast<int>(n == 4 ? n + 2 : n));
    }
}
