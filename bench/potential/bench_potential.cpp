// Force-evaluation benchmarks of the potential layer (issue 3 "Performance").
// The thread count is the benchmark argument `threads` (oneTBB limited with
// global_control). Each iteration is one force evaluation (forces + energy,
// no virial: what an MD step needs) on a fixed configuration with a
// pre-built Verlet list (the list build is benchmarked in bench_neighbor).
// Counter `atom_evals_per_s` = atoms x evaluations / second.
//
//   BM_lj2d              2D binary LJ glass (lj/cut, 2.5 sigma_ij), N = 10,000, skin 0.3
//   BM_lj2d_pruned       the same through a list built with per type-pair radii, as MD uses
//   BM_cuzr_eamfs        Cu50Zr50 eam/fs (CuZr_mm.eam.fs), N = 32,000, skin 2.0 A
//   BM_si_sw_crystal     Si SW (Si.sw), diamond 8^3 cells, N = 4,096, skin 1.0 A
//   BM_si_sw_liquid      Si SW liquid, N = 4,096, skin 1.0 A
//
// Configurations: with AMORPH_POTENTIAL_BENCH_DATA=DIR the LAMMPS data files
// DIR/{lj2d,cuzr,si_crystal,si_liquid}.data are used (what
// bench/potential/compare_lammps.sh writes, so that LAMMPS and amorph time
// the same atoms); otherwise configurations are generated here (random
// positions with a minimum separation, the same densities).
#include "amorph/io/lammps_data.hpp"
#include "amorph/potential/factory.hpp"
#include "amorph/potential/presets.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <variant>
#include <string>

using namespace amorph;
using namespace amorph::potential;

namespace {

const std::string pot_dir = "/usr/share/lammps/potentials/";

std::string data_dir() {
    const char* d = std::getenv("AMORPH_POTENTIAL_BENCH_DATA");
    return d ? d : "";
}

/// Random positions with minimum separation rmin, on a cell grid for speed.
template <int D>
amorph::system<D> random_config(const box<D>& b, std::size_t n, double rmin, std::vector<double> fr, unsigned seed) {
    amorph::system<D> s(b, n);
    s.species = species_list::numbered(fr.size());
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::discrete_distribution<int> pick(fr.begin(), fr.end());
    neighbor::verlet_list<D, neighbor::half_t> probe(rmin);
    for (std::size_t i = 0; i < n; ++i) {
        vec<D> f;
        for (int k = 0; k < D; ++k) f(k) = u(rng);
        s.positions.col(static_cast<Eigen::Index>(i)) = b.to_cartesian(f);
        s.types[i] = pick(rng);
    }
    // push overlapping atoms apart a few times (cheap relaxation, not exact)
    for (int sweep = 0; sweep < 20; ++sweep) {
        probe.build(b, s.positions);
        bool moved = false;
        for (std::size_t i = 0; i < n; ++i)
            for (const auto& e : probe.neighbors(i)) {
                vec<D> d = s.positions.col(e.j) - s.positions.col(static_cast<Eigen::Index>(i)) + probe.shifts().col(e.image);
                const double r = d.norm();
                if (r < rmin && r > 0) {
                    const vec<D> push = 0.5 * (rmin - r) * d / r;
                    s.positions.col(e.j) += push;
                    s.positions.col(static_cast<Eigen::Index>(i)) -= push;
                    moved = true;
                }
            }
        if (!moved) break;
    }
    return s;
}

template <int D>
amorph::system<D> load_or(const std::string& name, amorph::system<D> (*make)()) {
    const std::string dir = data_dir();
    if (!dir.empty()) return io::read_lammps_data<D>(std::filesystem::path(dir) / (name + ".data"));
    return make();
}

amorph::system<2> make_lj2d() {
    const auto b = box<2>::orthogonal(vec<2>::Zero(), vec<2>::Constant(98.8045));
    return random_config<2>(b, 10000, 0.8, {4.0, 1 + std::sqrt(5.0)}, 1);
}
amorph::system<3> make_cuzr() {
    const double side = std::cbrt(32000 / 0.058);
    return random_config<3>(box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(side)), 32000, 2.2, {1, 1}, 2);
}
amorph::system<3> make_si_crystal() {
    const int n = 8;
    const double a = 5.431;
    amorph::system<3> s(box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(n * a)), 8 * n * n * n);
    s.species = species_list::numbered(1);
    const double basis[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
    std::mt19937_64 rng(3);
    std::normal_distribution<double> g(0, 0.08);  // ~1000 K thermal displacements
    Eigen::Index k = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int l = 0; l < n; ++l)
                for (const auto& bb : basis) s.positions.col(k++) = vec<3>((i + bb[0]) * a + g(rng), (j + bb[1]) * a + g(rng), (l + bb[2]) * a + g(rng));
    return s;
}
amorph::system<3> make_si_liquid() {
    const double side = std::cbrt(4096 / 0.0555);
    return random_config<3>(box<3>::orthogonal(vec<3>::Zero(), vec<3>::Constant(side)), 4096, 2.1, {1}, 4);
}

/// `pruned`: the loop runs over the list trimmed to per type-pair radii
/// cut_ij + skin + 0.1 skin, the list dynamics::force_field gives pair
/// potentials with type-dependent cutoffs (what MD, minimization and AQS run
/// on; LAMMPS's neighbor lists are per type pair too).
template <int D>
void run(benchmark::State& state, const amorph::system<D>& sys, const std::string& lammps, double skin, bool pruned = false) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    const any_potential pot = make_potential(lammps, static_cast<int>(sys.species.size()));
    compute_options opt;
    opt.virial = false;
    result<D> r;
    auto eval = [&](const auto& nl) {
        for (auto _ : state) {
            r.reset(sys.size(), opt);
            pot.accumulate(sys, nl, opt, r);
            benchmark::DoNotOptimize(r.forces.data());
        }
        state.counters["entries"] = static_cast<double>(nl.pair_count());
    };
    if (pot.needs_full_list()) {
        neighbor::verlet_list<D, neighbor::full_t> nl(pot.cutoff(), skin);
        nl.build(sys.box, sys.positions);
        eval(nl);
    } else {
        neighbor::verlet_list<D, neighbor::half_t> nl(pot.cutoff(), skin);
        nl.build(sys.box, sys.positions);
        if (!pruned) {
            eval(nl);
        } else {
            const int nt = static_cast<int>(sys.species.size());
            std::vector<double> r2(static_cast<std::size_t>(nt * nt));
            std::visit([&](const auto& p) {
                if constexpr (requires { p.kernel().cutoff_sq(0, 0); })
                    for (int a = 0; a < nt; ++a)
                        for (int b = 0; b < nt; ++b) {
                            const double r = std::sqrt(p.kernel().cutoff_sq(a, b)) + 1.1 * skin;
                            r2[static_cast<std::size_t>(a * nt + b)] = r * r;
                        }
                else
                    throw std::logic_error("bench: per type-pair list for a pair potential only");
            }, pot.variant());
            neighbor::verlet_list<D, neighbor::half_t> pl(pot.cutoff(), skin);
            pl.build(sys.box, sys.positions, neighbor::pair_radii{sys.types.data(), r2.data(), nt});
            eval(pl);
        }
    }
    state.counters["atoms"] = static_cast<double>(sys.size());
    state.counters["threads"] = static_cast<double>(state.range(0));
    state.counters["atom_evals_per_s"] =
        benchmark::Counter(static_cast<double>(sys.size()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_lj2d(benchmark::State& state) {
    static const auto sys = load_or<2>("lj2d", make_lj2d);
    run<2>(state, sys, presets::lj2d_binary_lammps("cut"), 0.3);
}
void BM_lj2d_pruned(benchmark::State& state) {
    static const auto sys = load_or<2>("lj2d", make_lj2d);
    run<2>(state, sys, presets::lj2d_binary_lammps("cut"), 0.3, true);
}
void BM_cuzr_eamfs(benchmark::State& state) {
    static const auto sys = load_or<3>("cuzr", make_cuzr);
    run<3>(state, sys, "pair_style eam/fs\npair_coeff * * " + pot_dir + "CuZr_mm.eam.fs Cu Zr\n", 2.0);
}
void BM_si_sw_crystal(benchmark::State& state) {
    static const auto sys = load_or<3>("si_crystal", make_si_crystal);
    run<3>(state, sys, "pair_style sw\npair_coeff * * " + pot_dir + "Si.sw Si\n", 1.0);
}
void BM_si_sw_liquid(benchmark::State& state) {
    static const auto sys = load_or<3>("si_liquid", make_si_liquid);
    run<3>(state, sys, "pair_style sw\npair_coeff * * " + pot_dir + "Si.sw Si\n", 1.0);
}

}  // namespace

BENCHMARK(BM_lj2d)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_lj2d_pruned)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_cuzr_eamfs)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_si_sw_crystal)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_si_sw_liquid)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
