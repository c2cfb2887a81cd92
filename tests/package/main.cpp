// A first program against the installed amorph package: build a tilted box and
// a small system, and check the minimum image against a brute-force search
// over periodic images. Exits non-zero on any failure.
#include <amorph/core/box.hpp>
#include <amorph/core/species.hpp>
#include <amorph/core/system.hpp>

#include <cmath>
#include <cstdio>
#include <limits>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok) ++failures;
}

// Shortest d + h n over |n_k| <= 3: the brute-force reference.
template <int D>
amorph::vec<D> brute_minimum_image(const amorph::box<D>& b, const amorph::vec<D>& d) {
    amorph::vec<D> best = d;
    double best2 = std::numeric_limits<double>::infinity();
    const int kz = D == 3 ? 3 : 0;
    for (int i = -3; i <= 3; ++i)
        for (int j = -3; j <= 3; ++j)
            for (int k = -kz; k <= kz; ++k) {
                amorph::vec<D> n;
                n(0) = i;
                n(1) = j;
                if constexpr (D == 3) n(2) = k;
                const amorph::vec<D> c = d + b.h() * n;
                if (c.squaredNorm() < best2) {
                    best2 = c.squaredNorm();
                    best = c;
                }
            }
    return best;
}

}  // namespace

int main() {
    // A strongly tilted 3D cell: columns are the cell vectors.
    amorph::mat<3> h;
    h << 10.0, 9.0, 4.0,
          0.0, 8.0, 7.0,
          0.0, 0.0, 6.0;
    const amorph::box<3> box(h);
    check(std::abs(box.volume() - 480.0) < 1e-9, "volume of the tilted cell is 480");

    amorph::system<3> sys(box, 4);
    sys.species = amorph::species_list::from_names({"Cu", "Zr"});
    sys.types = {0, 1, 0, 1};
    sys.x(0) << 0.5, 0.5, 0.5;
    sys.x(1) << 18.0, 14.0, 5.5;
    sys.x(2) << 9.0, 1.0, 3.0;
    sys.x(3) << 22.0, 14.5, 0.2;
    sys.validate();
    check(std::abs(sys.mass(0) - 63.546) < 1e-9 && std::abs(sys.mass(1) - 91.224) < 1e-9,
          "Cu and Zr masses come from the element table");
    check(sys.type_counts() == std::vector<std::size_t>{2, 2}, "type counts 2 Cu + 2 Zr");

    bool all_match = true;
    for (std::size_t i = 0; i < sys.size(); ++i)
        for (std::size_t j = 0; j < sys.size(); ++j) {
            const amorph::vec<3> d = sys.x(j) - sys.x(i);
            const double fast = box.minimum_image(d).norm();
            const double slow = brute_minimum_image(box, d).norm();
            if (std::abs(fast - slow) > 1e-9) all_match = false;
        }
    check(all_match, "minimum image equals brute force for every pair");

    // 2D: a square box of side 10, two atoms across the boundary are 1 apart.
    const auto sq = amorph::box<2>::orthogonal({0.0, 0.0}, {10.0, 10.0});
    const amorph::vec<2> d(9.5 - 0.5, 0.0);
    check(std::abs(sq.minimum_image(d).norm() - 1.0) < 1e-12, "2D minimum image across the boundary");

    // Library errors are exceptions, never aborts.
    bool threw = false;
    try {
        amorph::mat<2> flat;
        flat << 1.0, 2.0, 1.0, 2.0;
        amorph::box<2> bad(flat);
    } catch (const amorph::error&) {
        threw = true;
    }
    check(threw, "a zero-volume cell throws amorph::error");

    std::printf("%s\n", failures == 0 ? "consumer: all checks passed" : "consumer: FAILED");
    return failures == 0 ? 0 : 1;
}
