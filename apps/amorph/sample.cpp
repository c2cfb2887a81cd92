// apps/amorph/sample.cpp — see sample.hpp.
#include "sample.hpp"

#include <amorph/core/error.hpp>
#include <amorph/core/units.hpp>
#include <amorph/potential/presets.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace amorph::cli {

namespace {

struct splitmix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
};

}  // namespace

amorph::system<2> lj2d_sample(const lj2d_sample_options& opt, const std::function<void(std::size_t)>& progress) {
    if (opt.atoms < 2) throw invalid_argument("lj2d sample: need at least 2 atoms");
    if (!(opt.density > 0) || !std::isfinite(opt.density))
        throw invalid_argument("lj2d sample: density must be positive");
    if (!(opt.min_separation >= 0) || !std::isfinite(opt.min_separation))
        throw invalid_argument("lj2d sample: minimum separation must be >= 0");

    const std::size_t n = opt.atoms;
    const double golden = 1.0 + std::sqrt(5.0);
    const auto n_large = static_cast<std::size_t>(std::llround(static_cast<double>(n) * golden / (golden + 4.0)));
    const std::size_t n_small = n - n_large;
    const double side = std::sqrt(static_cast<double>(n) / opt.density);

    amorph::system<2> sys(amorph::box<2>::orthogonal({0.0, 0.0}, {side, side}), n);
    sys.units = &units::lj;
    sys.species = potential::presets::lj2d_binary_species();
    for (std::size_t i = 0; i < n; ++i) sys.types[i] = i < n_small ? 0 : 1;

    // Cell grid with cells at least as wide as the largest exclusion distance.
    const double reach = std::max(opt.min_separation * potential::presets::lj2d_sigma(1, 1), 1e-9);
    const int nc = std::max(1, static_cast<int>(std::floor(side / reach)));
    const double cw = side / nc;
    std::vector<std::vector<std::size_t>> cells(static_cast<std::size_t>(nc) * static_cast<std::size_t>(nc));
    auto cell_of = [&](double c) { return std::min(nc - 1, static_cast<int>(c / cw)); };
    const int span = nc >= 3 ? 1 : 0;  // with < 3 cells per side, check every cell

    splitmix64 rng{opt.seed};
    std::vector<std::size_t> order(n);
    for (std::size_t k = 0; k < n; ++k) order[k] = k < n_large ? n_small + k : k - n_large;  // large first

    std::size_t placed = 0;
    for (const std::size_t i : order) {
        const int ti = sys.types[i];
        bool ok = false;
        for (std::size_t attempt = 0; attempt < opt.max_tries && !ok; ++attempt) {
            const vec<2> x(rng.uniform() * side, rng.uniform() * side);
            const int cx = cell_of(x(0)), cy = cell_of(x(1));
            ok = true;
            auto check_cell = [&](int gx, int gy) {
                for (const std::size_t j : cells[static_cast<std::size_t>(gy * nc + gx)]) {
                    const double s = opt.min_separation * potential::presets::lj2d_sigma(ti, sys.types[j]);
                    if (sys.box.minimum_image(sys.x(j) - x).squaredNorm() < s * s) return false;
                }
                return true;
            };
            if (span == 0) {
                for (int gx = 0; gx < nc && ok; ++gx)
                    for (int gy = 0; gy < nc && ok; ++gy) ok = check_cell(gx, gy);
            } else {
                for (int dx = -1; dx <= 1 && ok; ++dx)
                    for (int dy = -1; dy <= 1 && ok; ++dy)
                        ok = check_cell((cx + dx + nc) % nc, (cy + dy + nc) % nc);
            }
            if (ok) {
                sys.x(i) = x;
                cells[static_cast<std::size_t>(cy * nc + cx)].push_back(i);
            }
        }
        if (!ok)
            throw error("lj2d sample: could not place atom " + std::to_string(placed + 1) + " of " +
                        std::to_string(n) + " after " + std::to_string(opt.max_tries) +
                        " tries; lower the density or --min-sep");
        ++placed;
        if (progress && (placed % 256 == 0 || placed == n)) progress(placed);
    }
    sys.validate();
    return sys;
}

namespace {

// Random sequential addition of the atoms of `sys` (types set, positions
// unset) in its cubic cell of side `side`, in storage order: uniform trial
// positions, accepted when no placed atom j is closer than dmin[t_i][t_j]
// (minimum image). `reach` >= every dmin sets the cell grid.
void place_3d(amorph::system<3>& sys, double side, const double (&dmin)[2][2], double reach, splitmix64& rng,
              std::size_t max_tries, const std::function<void(std::size_t)>& progress, const char* what,
              const char* hint) {
    const std::size_t n = sys.size();
    const int nc = std::max(1, static_cast<int>(std::floor(side / std::max(reach, 1e-9))));
    const double cw = side / nc;
    std::vector<std::vector<std::size_t>> cells(static_cast<std::size_t>(nc) * nc * nc);
    auto cell_of = [&](double c) { return std::min(nc - 1, static_cast<int>(c / cw)); };
    auto cell_index = [&](int gx, int gy, int gz) { return (static_cast<std::size_t>(gz) * nc + gy) * nc + gx; };
    const int span = nc >= 3 ? 1 : 0;

    for (std::size_t i = 0; i < n; ++i) {
        const int ti = sys.types[i];
        bool ok = false;
        for (std::size_t attempt = 0; attempt < max_tries && !ok; ++attempt) {
            const vec<3> x(rng.uniform() * side, rng.uniform() * side, rng.uniform() * side);
            const int c[3] = {cell_of(x(0)), cell_of(x(1)), cell_of(x(2))};
            ok = true;
            auto check_cell = [&](std::size_t g) {
                for (const std::size_t j : cells[g]) {
                    const double d = dmin[ti][sys.types[j]];
                    if (sys.box.minimum_image(sys.x(j) - x).squaredNorm() < d * d) return false;
                }
                return true;
            };
            if (span == 0) {
                for (std::size_t g = 0; g < cells.size() && ok; ++g) ok = check_cell(g);
            } else {
                for (int dz = -1; dz <= 1 && ok; ++dz)
                    for (int dy = -1; dy <= 1 && ok; ++dy)
                        for (int dx = -1; dx <= 1 && ok; ++dx)
                            ok = check_cell(cell_index((c[0] + dx + nc) % nc, (c[1] + dy + nc) % nc, (c[2] + dz + nc) % nc));
            }
            if (ok) {
                sys.x(i) = x;
                cells[cell_index(c[0], c[1], c[2])].push_back(i);
            }
        }
        if (!ok)
            throw error(std::string(what) + " sample: could not place atom " + std::to_string(i + 1) + " of " +
                        std::to_string(n) + " after " + std::to_string(max_tries) + " tries; " + hint);
        if (progress && ((i + 1) % 256 == 0 || i + 1 == n)) progress(i + 1);
    }
    sys.validate();
}

// A random type order (Fisher-Yates) of n_first atoms of type 0 and the rest type 1.
void shuffled_types(amorph::system<3>& sys, std::size_t n_first, splitmix64& rng) {
    const std::size_t n = sys.size();
    for (std::size_t i = 0; i < n; ++i) sys.types[i] = i < n_first ? 0 : 1;
    for (std::size_t i = n - 1; i > 0; --i) std::swap(sys.types[i], sys.types[static_cast<std::size_t>(rng.next() % (i + 1))]);
}

}  // namespace

amorph::system<3> alox_sample(const alox_sample_options& opt, const std::function<void(std::size_t)>& progress) {
    if (opt.atoms < 5 || opt.atoms % 5 != 0)
        throw invalid_argument("alox sample: --atoms must be a positive multiple of 5 (Al2O3 units)");
    if (!(opt.mass_density > 0) || !std::isfinite(opt.mass_density))
        throw invalid_argument("alox sample: --mass-density must be positive");
    if (!(opt.min_separation >= 0) || !std::isfinite(opt.min_separation))
        throw invalid_argument("alox sample: minimum separation must be >= 0");
    const auto species = potential::presets::alox_matsui_species();
    const std::size_t n = opt.atoms, n_al = 2 * n / 5;
    const double avogadro = 6.02214076e23;
    const double mass = static_cast<double>(n_al) * species[0].mass + static_cast<double>(n - n_al) * species[1].mass;
    const double side = std::cbrt(mass / avogadro / opt.mass_density * 1e24);  // A

    amorph::system<3> sys(amorph::box<3>::orthogonal({0.0, 0.0, 0.0}, {side, side, side}), n);
    sys.units = &units::metal;
    for (const auto& sp : species) sys.species.add(sp.name, sp.mass);
    splitmix64 rng{opt.seed};
    shuffled_types(sys, n_al, rng);
    sys.charges.resize(n);
    for (std::size_t i = 0; i < n; ++i) sys.charges[i] = species[static_cast<std::size_t>(sys.types[i])].charge;

    const double dmin[2][2] = {{2.4 * opt.min_separation, 1.6 * opt.min_separation},
                               {1.6 * opt.min_separation, 2.0 * opt.min_separation}};
    place_3d(sys, side, dmin, dmin[0][0], rng, opt.max_tries, progress, "alox", "lower --mass-density or --min-sep");
    return sys;
}

amorph::system<3> cuzr_sample(const cuzr_sample_options& opt, const std::function<void(std::size_t)>& progress) {
    if (opt.atoms < 2) throw invalid_argument("cuzr sample: need at least 2 atoms");
    if (!(opt.cu_fraction >= 0.0 && opt.cu_fraction <= 1.0))
        throw invalid_argument("cuzr sample: --composition (the Cu fraction) must be in [0, 1]");
    if (!(opt.volume > 0) || !std::isfinite(opt.volume))
        throw invalid_argument("cuzr sample: --volume (A^3 per atom) must be positive");
    if (!(opt.min_separation >= 0) || !std::isfinite(opt.min_separation))
        throw invalid_argument("cuzr sample: minimum separation must be >= 0");
    const std::size_t n = opt.atoms;
    const auto n_cu = static_cast<std::size_t>(std::llround(opt.cu_fraction * static_cast<double>(n)));
    const double side = std::cbrt(opt.volume * static_cast<double>(n));

    amorph::system<3> sys(amorph::box<3>::orthogonal({0.0, 0.0, 0.0}, {side, side, side}), n);
    sys.units = &units::metal;
    sys.species.add("Cu", 63.546);
    sys.species.add("Zr", 91.224);
    splitmix64 rng{opt.seed};
    shuffled_types(sys, n_cu, rng);
    const double d = opt.min_separation;
    const double dmin[2][2] = {{d, d}, {d, d}};
    place_3d(sys, side, dmin, d, rng, opt.max_tries, progress, "cuzr", "raise --volume or lower --min-sep");
    return sys;
}

}  // namespace amorph::cli
