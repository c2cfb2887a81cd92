// Long validation of long-range Coulomb dynamics (tag [.long], ctest label
// long; issue 19): the Matsui Al2O3 liquid (1,500 atoms, 3.175 g/cm^3, the
// alox-matsui preset: buck/coul/long 10 A + PPPM 1e-5, dt 1 fs), made by LAMMPS
// from a random sequential addition start (CG, then NVT 3000 K for 1 ps):
//   NVE   1,000 steps from the same liquid with `amorph md` and `lmp`: the drift
//         (least-squares slope of the total energy) and its fluctuation are no
//         worse than LAMMPS's (the trajectories part after ~100 steps: a liquid)
//   NPT   3000 K, 0 bar (the liquid expands from 3.175 to ~2.68 g/cm^3 in
//         ~1 ps), 2 ps to equilibrate then 10 ps sampled: the mean density of
//         amorph and of LAMMPS agree within three combined standard errors
//         (five blocks of 2 ps, about twice the barostat's relaxation time)
#include "cli_potdyn.hpp"

#include "../dynamics/ensemble_stats.hpp"
#include "../potential/lammps_peer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>

using namespace amorph::test::cli;

namespace {

struct series {
    std::vector<double> t, y;
};

/// Least-squares line through y(t): its slope and the standard deviation of
/// the residuals about it.
struct line_fit {
    double slope, scatter;
};
line_fit coulomb_long_fit(const series& s) {
    const double n = static_cast<double>(s.t.size());
    const double mt = std::accumulate(s.t.begin(), s.t.end(), 0.0) / n;
    const double my = std::accumulate(s.y.begin(), s.y.end(), 0.0) / n;
    double sxy = 0, sxx = 0;
    for (std::size_t k = 0; k < s.t.size(); ++k) {
        sxy += (s.t[k] - mt) * (s.y[k] - my);
        sxx += (s.t[k] - mt) * (s.t[k] - mt);
    }
    const double b = sxy / sxx;
    double v = 0;
    for (std::size_t k = 0; k < s.t.size(); ++k) {
        const double r = s.y[k] - (my + b * (s.t[k] - mt));
        v += r * r;
    }
    return {b, std::sqrt(v / n)};
}

/// Columns `a`, `b` of LAMMPS thermo rows following the header that starts with `head`.
series coulomb_long_thermo(const std::string& log, const std::string& head, int a, int b) {
    series s;
    std::istringstream in(log);
    std::string line;
    bool on = false;
    while (std::getline(in, line)) {
        if (line.rfind(head, 0) == 0) {
            on = true;
            continue;
        }
        if (!on) continue;
        std::istringstream ls(line);
        std::vector<double> v;
        double x;
        while (ls >> x) v.push_back(x);
        if (v.size() <= static_cast<std::size_t>(std::max(a, b))) {
            on = false;
            continue;
        }
        s.t.push_back(v[static_cast<std::size_t>(a)]);
        s.y.push_back(v[static_cast<std::size_t>(b)]);
    }
    return s;
}

}  // namespace

TEST_CASE("Al2O3 PPPM liquid: NVE drift and NPT density as LAMMPS's", "[.long][coulomb][cli]") {
    const auto dir = workdir("coulomb_long");
    const std::string pot = "pair_style buck/coul/long 10.0\npair_coeff 1 1 3.1571e7 0.068 14.051\n"
                            "pair_coeff 1 2 28477.0 0.172 34.578\npair_coeff 2 2 6462.69 0.276 85.093\n"
                            "pair_modify table 0\nkspace_style pppm 1.0e-5\n";
    const std::string head = "units metal\natom_style charge\nboundary p p p\n";
    const std::string neigh = "neighbor 2.0 bin\nneigh_modify delay 0 every 1 check yes\ntimestep 0.001\n";
    {
        // random sequential addition: 600 Al + 900 O, Al-Al 2.4, O-O 2.0, Al-O 1.6 A
        amorph::test::lammps_case c;
        const double mass = 600 * 26.9815 + 900 * 15.9994;
        const double L = std::cbrt(mass / 6.02214076e23 / 3.175 * 1e24);
        c.box.xlo = c.box.ylo = c.box.zlo = 0.0;
        c.box.xhi = c.box.yhi = c.box.zhi = L;
        c.masses = {26.9815, 15.9994};
        std::mt19937_64 rng(20261206);
        std::uniform_real_distribution<double> u(0.0, L);
        std::vector<int> types(1500, 2);
        std::fill(types.begin(), types.begin() + 600, 1);
        std::shuffle(types.begin(), types.end(), rng);
        for (const int t : types) {
            while (true) {
                const std::array<double, 3> x{u(rng), u(rng), u(rng)};
                bool ok = true;
                for (std::size_t j = 0; j < c.x.size() && ok; ++j) {
                    const double dmin = t == 1 && c.types[j] == 1 ? 2.4 : t == 2 && c.types[j] == 2 ? 2.0 : 1.6;
                    double r2 = 0;
                    for (std::size_t k = 0; k < 3; ++k) {
                        double d = x[k] - c.x[j][k];
                        d -= L * std::round(d / L);
                        r2 += d * d;
                    }
                    ok = r2 >= dmin * dmin;
                }
                if (!ok) continue;
                c.x.push_back(x);
                c.types.push_back(t);
                c.charges.push_back(t == 1 ? 1.4175 : -0.945);
                break;
            }
        }
        amorph::test::write_data_file(c, dir / "rsa.data", "alox rsa");
        run_lmp(dir,
                head + "read_data rsa.data\n" + pot + neigh +
                    "min_style cg\nmin_modify dmax 0.05\nminimize 1e-6 1e-3 200 2000\nreset_timestep 0\n"
                    "velocity all create 3000 97531 dist gaussian mom yes\nfix 1 all nvt temp 3000 3000 0.1\nrun 1000\n"
                    "write_data liquid.data nocoeff\n",
                "prep.lmp");
    }
    write_text(dir / "pot.in", pot);

    // NVE: drift and scatter of the total energy over 1 ps
    const auto lnve = run_lmp(dir,
                              head + "read_data liquid.data\n" + pot + neigh +
                                  "thermo_style custom step etotal\nthermo_modify format float %.15g\nthermo 10\n"
                                  "fix 1 all nve\nrun 1000\n",
                              "nve.lmp");
    auto r = run_amorph(dir, "md liquid.data --potential pot.in --ensemble nve --dt 0.001 --steps 1000 --thermo 10 "
                             "--quiet --csv nve.csv");
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    series ls = coulomb_long_thermo(lnve, "Step TotEng", 0, 1), as;
    for (const auto& row : read_csv_table(dir / "nve.csv")) {
        as.t.push_back(row.at("step"));
        as.y.push_back(row.at("etotal"));
    }
    REQUIRE(ls.t.size() == 101);
    REQUIRE(as.t.size() == 101);
    for (auto* s : {&ls, &as})
        for (auto& t : s->t) t *= 0.001;  // ps
    const auto [sl, dl] = coulomb_long_fit(ls);
    const auto [sa, da] = coulomb_long_fit(as);
    std::cout << "[coulomb long] NVE 1500 atoms, 1 ps: drift amorph " << sa << " eV/ps (LAMMPS " << sl
              << "), scatter amorph " << da << " eV (LAMMPS " << dl << ")\n";
    CHECK(std::abs(sa) <= 2.0 * std::abs(sl) + 3.0 * dl);
    CHECK(da <= 1.5 * dl);

    // NPT: density at 3000 K, 0 bar
    const auto lnpt = run_lmp(dir,
                              head + "read_data liquid.data\n" + pot + neigh +
                                  "variable rho equal mass(all)/vol*1.66053906660\n"
                                  "thermo_style custom step v_rho\nthermo_modify format float %.15g\nthermo 10\n"
                                  "fix 1 all npt temp 3000 3000 0.1 iso 0 0 1.0\nrun 12000\n",
                              "npt.lmp");
    r = run_amorph(dir, "md liquid.data --potential pot.in --ensemble npt --temp 3000 --tdamp 0.1 --press 0 "
                        "--pdamp 1.0 --dt 0.001 --steps 12000 --thermo 10 --quiet --csv npt.csv");
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    const series lr = coulomb_long_thermo(lnpt, "Step v_rho", 0, 1);
    std::vector<double> rho_l, rho_a;
    for (std::size_t k = 0; k < lr.t.size(); ++k)
        if (lr.t[k] > 2000) rho_l.push_back(lr.y[k]);
    const double total_mass = 600 * 26.9815 + 900 * 15.9994;
    for (const auto& row : read_csv_table(dir / "npt.csv"))
        if (row.at("step") > 2000) rho_a.push_back(total_mass / row.at("vol") * 1.66053906660);
    REQUIRE(rho_l.size() == 1000);
    REQUIRE(rho_a.size() == 1000);
    const auto [ml, el] = amorph::test::blocks(rho_l, rho_l.size() / 5);  // five blocks of 2 ps
    const auto [ma, ea] = amorph::test::blocks(rho_a, rho_a.size() / 5);
    std::cout << "[coulomb long] NPT 3000 K 0 bar, 10 ps (5 blocks of 2 ps): density amorph " << ma << " +- " << ea << " g/cm^3, LAMMPS "
              << ml << " +- " << el << "\n";
    CHECK(std::abs(ma - ml) <= 3.0 * std::sqrt(ea * ea + el * el));
}
