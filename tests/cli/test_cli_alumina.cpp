// The CLI pieces the alumina study (examples/alumina, issue 20) added, on
// configurations LAMMPS made (lmp: an Al2O3 melt with buck/coul/cut):
//   convert --replicate / --mass-density   equal LAMMPS `replicate` and
//                                          `change_box all x scale ... remap`
//   bonds                                  the per-(unstrained CN) DC/IC/SC/UC tally and the
//                                          per-atom classes equal a brute-force count over
//                                          all pairs and images
//   phop --centers                         samples only of the named species; its
//                                          rearranging events are exactly the all-atom
//                                          run's events of those atoms
//   voronoi --samples                      the volume of each sample's atom at its frame
//                                          equals `amorph voronoi --frame F`'s
#include "cli_potdyn.hpp"
#include "cli_run.hpp"

#include <amorph/io/io.hpp>
#include <amorph/learn/npy.hpp>

#include "../peer.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

using namespace amorph;
using namespace cli_test;

namespace {

bool have_lmp() {
    return amorph_test::peer_available(std::system("command -v lmp >/dev/null 2>&1") == 0,
                                       "LAMMPS (lmp) is not installed");
}

const std::string matsui_cut =
    "pair_style buck/coul/cut 8.0\n"
    "pair_coeff 1 1 3.1571e7 0.068 14.051\npair_coeff 1 2 28477.0 0.172 34.578\npair_coeff 2 2 6462.69 0.276 85.093\n";

/// An Al2O3 liquid LAMMPS made from `amorph sample alox` (150 atoms, 4000 K,
/// buck/coul/cut): ref.data after 200 steps, cur.data 300 steps later, and a
/// trajectory of 41 frames (every 10 steps from ref) with element names. One
/// folder per test case (ctest runs them as parallel processes); the same
/// seeds, so the same melt.
fs::path lammps_melt(const std::string& test) {
    static std::map<std::string, fs::path> made;
    if (made.count(test)) return made.at(test);
    {
        const auto d = workdir(test + "_melt");
        const auto r = run_amorph(d, "sample alox -n 150 --mass-density 3.0 --seed 5 -o start.data");
        INFO(r.err);
        REQUIRE(r.code == 0);
        amorph::test::cli::run_lmp(d, "units metal\natom_style charge\nboundary p p p\nread_data start.data\n" + matsui_cut +
                   "neighbor 2.0 bin\ntimestep 0.001\nvelocity all create 4000 7 mom yes dist gaussian\n"
                   "fix 1 all nvt temp 4000 4000 0.1\nrun 200\nwrite_data ref.data nocoeff\n"
                   "dump t all custom 10 traj.dump id type element x y z ix iy iz\n"
                   "dump_modify t element Al O sort id format float %.17g\nrun 300\nwrite_data cur.data nocoeff\n");
        made[test] = d;
    }
    return made.at(test);
}

/// Minimum-image distance (orthogonal cell) between atoms of two systems' positions.
double distance(const amorph::system<3>& s, Eigen::Index i, Eigen::Index j) {
    vec<3> dx = s.positions.col(i) - s.positions.col(j);
    for (int k = 0; k < 3; ++k) {
        const double L = s.box.h()(k, k);
        dx[k] -= L * std::round(dx[k] / L);
    }
    return dx.norm();
}

/// Ids of the O within rc of each Al (all pairs).
std::map<std::int64_t, std::set<std::int64_t>> al_o_bonds(const amorph::system<3>& s, double rc) {
    std::map<std::int64_t, std::set<std::int64_t>> b;
    const auto n = static_cast<Eigen::Index>(s.size());
    for (Eigen::Index i = 0; i < n; ++i) {
        if (s.species[static_cast<std::size_t>(s.types[static_cast<std::size_t>(i)])].name != "Al") continue;
        auto& set = b[s.ids[static_cast<std::size_t>(i)]];
        for (Eigen::Index j = 0; j < n; ++j)
            if (s.species[static_cast<std::size_t>(s.types[static_cast<std::size_t>(j)])].name == "O" && distance(s, i, j) < rc)
                set.insert(s.ids[static_cast<std::size_t>(j)]);
    }
    return b;
}

struct sample_row {
    std::size_t frame;
    std::int64_t id;
    int label;
};

std::vector<sample_row> read_samples(const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "frame,timestep,atom_id,label,p_hop");
    std::vector<sample_row> rows;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string f[5];
        for (auto& x : f) std::getline(ss, x, ',');
        rows.push_back({std::stoul(f[0]), std::stoll(f[2]), std::stoi(f[3])});
    }
    return rows;
}

}  // namespace

TEST_CASE("amorph convert --replicate and --mass-density equal LAMMPS replicate and change_box", "[cli][convert][peer]") {
    if (!have_lmp()) return;
    const auto m = lammps_melt("alumina_replicate");
    const auto d = workdir("alumina_replicate");
    const auto ref = (m / "ref.data").string();
    // LAMMPS: replicate 2 1 3, then scale to 3.3 g/cm^3 (factor from the same masses)
    const auto sys = io::read_system<3>(ref);
    double mass = 0;
    for (std::size_t i = 0; i < sys.size(); ++i) mass += sys.mass(i);
    const double rho0 = mass / sys.box.volume() * units::amu_per_A3_in_g_per_cm3;
    const double s = std::cbrt(rho0 / 3.3);
    char scale[64];
    std::snprintf(scale, sizeof scale, "%.17g", s);
    amorph::test::cli::run_lmp(d, "units metal\natom_style charge\nboundary p p p\nread_data " + ref +
               "\nreplicate 2 1 3\nchange_box all x scale " + scale + " y scale " + scale + " z scale " + scale +
               " remap\nwrite_dump all custom peer.dump id type x y z q modify sort id format float %.17g\n"
               "write_data peer.data\n");
    const auto r = run_amorph(d, "convert \"" + ref + "\" out.data --replicate 2,1,3 --mass-density 3.3");
    INFO(r.err << r.out);
    REQUIRE(r.code == 0);
    auto ours = io::read_system<3>(d / "out.data");
    auto peer = io::read_system<3>(d / "peer.dump");
    REQUIRE(ours.size() == 6 * sys.size());
    REQUIRE(peer.size() == ours.size());
    ours.sort_by_id();
    peer.sort_by_id();
    CHECK(ours.ids == peer.ids);  // LAMMPS's id offsets: copy index (ix fastest) x max id
    CHECK((ours.box.h() - peer.box.h()).cwiseAbs().maxCoeff() < 1e-10);
    CHECK((ours.box.origin() - peer.box.origin()).cwiseAbs().maxCoeff() < 1e-10);
    double worst = 0;
    for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(ours.size()); ++i) {
        // LAMMPS wraps the scaled atoms into the cell; compare modulo the cell
        vec<3> dx = ours.positions.col(i) - peer.positions.col(i);
        dx = ours.box.minimum_image(dx);
        worst = std::max(worst, dx.norm());
        CHECK(ours.types[static_cast<std::size_t>(i)] == peer.types[static_cast<std::size_t>(i)]);
        CHECK(ours.charges[static_cast<std::size_t>(i)] == peer.charges[static_cast<std::size_t>(i)]);
    }
    CHECK(worst < 1e-9);
    // the mass density reached, as `amorph info` reports it
    const auto info = run_amorph(d, "info out.data --csv info.csv");
    REQUIRE(info.code == 0);
    CHECK(read_scalar_csv(d / "info.csv").at("mass density") == Approx(3.3).epsilon(1e-12));
    // errors: the wrong number of counts, a zero count
    const auto bad = run_amorph(d, "convert \"" + ref + "\" bad.data --replicate 2,1");
    CHECK(bad.code != 0);
    CHECK(bad.err.find("--replicate: give 3 counts") != std::string::npos);
    CHECK_FALSE(fs::exists(d / "bad.data"));
    CHECK(run_amorph(d, "convert \"" + ref + "\" bad.data --replicate 0,1,1").code != 0);
}

TEST_CASE("amorph bonds: the per-CN tally equals a brute-force count on a LAMMPS-made pair", "[cli][bonds][peer]") {
    if (!have_lmp()) return;
    const auto m = lammps_melt("alumina_bonds");
    const auto d = workdir("alumina_bonds");
    const auto r = run_amorph(d, "bonds \"" + (m / "ref.data").string() + "\" \"" + (m / "cur.data").string() +
                                     "\" --species Al,O --center Al --neighbor O --cutoff 2.25 -o out.dump --csv bonds.csv");
    INFO(r.err << r.out);
    REQUIRE(r.code == 0);
    // brute force over all pairs (the 150-atom cell is wider than 2 x 2.25)
    io::read_options ro;
    ro.species = {"Al", "O"};
    const auto ref = io::read_system<3>(m / "ref.data", ro), cur = io::read_system<3>(m / "cur.data", ro);
    const auto b0 = al_o_bonds(ref, 2.25), b1 = al_o_bonds(cur, 2.25);
    std::map<int, std::array<int, 4>> tally;  // cn_ref -> UC, SC, DC, IC
    std::map<std::int64_t, int> change;
    for (const auto& [id, s0] : b0) {
        const auto& s1 = b1.at(id);
        const int c = s1.size() < s0.size() ? 2 : s1.size() > s0.size() ? 3 : s1 == s0 ? 0 : 1;
        ++tally[static_cast<int>(s0.size())][static_cast<std::size_t>(c)];
        change[id] = c;
    }
    int switched = 0;
    for (const auto& [cn, t] : tally) switched += t[1] + t[2] + t[3];
    REQUIRE(switched > 10);  // the melt moved: every class is exercised
    const auto t = read_table_csv(d / "bonds.csv");
    REQUIRE(t.at("cn_ref").size() == tally.size());
    for (std::size_t row = 0; row < t.at("cn_ref").size(); ++row) {
        const int cn = static_cast<int>(t.at("cn_ref")[row]);
        INFO("cn_ref " << cn);
        REQUIRE(tally.count(cn) == 1);
        const auto& c = tally.at(cn);
        const int n = c[0] + c[1] + c[2] + c[3];
        CHECK(t.at("centers")[row] == n);
        const std::array<const char*, 4> names{"UC", "SC", "DC", "IC"};
        for (std::size_t k = 0; k < 4; ++k) CHECK(t.at(names[k])[row] == Approx(static_cast<double>(c[k]) / n).epsilon(1e-9));  // the CSV has 10 digits
    }
    // per atom
    const auto out = io::read_system<3>(d / "out.dump");
    const auto* cls = out.find_property("bond_change");
    const auto* cn_ref = out.find_property("cn_ref");
    REQUIRE(cls != nullptr);
    REQUIRE(cn_ref != nullptr);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto it = change.find(out.ids[i]);
        if (it == change.end()) {
            CHECK(cls->values[i] == -1);  // not a center
            continue;
        }
        CHECK(cls->values[i] == it->second);
        CHECK(cn_ref->values[i] == static_cast<double>(b0.at(out.ids[i]).size()));
    }
}

TEST_CASE("amorph phop --centers and voronoi --samples on a LAMMPS trajectory", "[cli][phop][voronoi][peer]") {
    if (!have_lmp()) return;
    const auto m = lammps_melt("alumina_phop");
    const auto d = workdir("alumina_phop");
    const auto traj = (m / "traj.dump").string();
    // every peak counts: the quiet reservoir is far larger than the peaks
    const std::string common = "phop \"" + traj + "\" --half-window 5 --threshold 0.3 --quiet-threshold 0.3 --seed 3 ";
    const auto all = run_amorph(d, common + "--samples all.csv");
    INFO(all.err << all.out);
    REQUIRE(all.code == 0);
    const auto al = run_amorph(d, common + "--centers Al --samples al.csv");
    INFO(al.err << al.out);
    REQUIRE(al.code == 0);
    io::read_options first;
    first.frame = 0;
    const auto frame0 = io::read_system<3>(traj, first);
    std::map<std::int64_t, std::string> species;
    for (std::size_t i = 0; i < frame0.size(); ++i)
        species[frame0.ids[i]] = frame0.species[static_cast<std::size_t>(frame0.types[i])].name;
    std::set<std::pair<std::size_t, std::int64_t>> peaks_all_al, peaks_al;
    for (const auto& s : read_samples(d / "all.csv"))
        if (s.label == 1 && species.at(s.id) == "Al") peaks_all_al.insert({s.frame, s.id});
    const auto rows = read_samples(d / "al.csv");
    for (const auto& s : rows) {
        CHECK(species.at(s.id) == "Al");
        if (s.label == 1) peaks_al.insert({s.frame, s.id});
    }
    REQUIRE(peaks_al.size() > 5);
    CHECK(peaks_al == peaks_all_al);
    CHECK(run_amorph(d, common + "--centers Zr --samples zr.csv").code != 0);

    // Voronoi volumes of the samples at their frames
    const auto v = run_amorph(d, "voronoi \"" + traj + "\" --samples al.csv -o vol.npy");
    INFO(v.err << v.out);
    REQUIRE(v.code == 0);
    const auto vol = learn::read_npy(d / "vol.npy");
    REQUIRE(vol.shape.size() == 2);
    REQUIRE(vol.shape[0] == rows.size());
    std::set<std::size_t> checked;
    for (std::size_t k = 0; k < rows.size() && checked.size() < 3; ++k) {
        const std::size_t f = rows[k].frame;
        if (checked.count(f)) continue;
        checked.insert(f);
        const std::string out = "f" + std::to_string(f) + ".dump";
        REQUIRE(run_amorph(d, "voronoi \"" + traj + "\" --frame " + std::to_string(f) + " -o " + out).code == 0);
        const auto sys = io::read_system<3>(d / out);
        const auto idx = sys.index_of_ids();
        const auto& V = sys.find_property("volume")->values;
        for (std::size_t j = 0; j < rows.size(); ++j)
            if (rows[j].frame == f) CHECK(vol.values[j] == V[idx.at(rows[j].id)]);
    }
}

TEST_CASE("the shipped alumina softness model predicts on a LAMMPS data file", "[cli][softness][peer]") {
    if (!have_lmp()) return;
    const auto m = lammps_melt("alumina_model");
    const auto d = workdir("alumina_model");
    const std::string model = std::string(AMORPH_SOURCE_DIR) + "/docs/studies/alumina/softness_model.json";
    const std::string ref = (m / "ref.data").string();
    // per atom, from the configuration (the model's own descriptor)
    auto r = run_amorph(d, "softness predict \"" + ref + "\" --species Al,O --model \"" + model + "\" -o soft.dump");
    INFO(r.err << r.out);
    REQUIRE(r.code == 0);
    // the same from the features `amorph sf --descriptor alumina` writes
    r = run_amorph(d, "sf \"" + ref + "\" --species Al,O --descriptor alumina --centers Al -o X.npy --ids-out ids.npy");
    REQUIRE(r.code == 0);
    r = run_amorph(d, "softness predict --model \"" + model + "\" --features X.npy -o S.npy");
    REQUIRE(r.code == 0);
    const auto S = learn::read_npy(d / "S.npy").vector();
    const auto ids = learn::read_npy(d / "ids.npy").vector();
    const auto out = io::read_system<3>(d / "soft.dump");
    const auto idx = out.index_of_ids();
    const auto* soft = out.find_property("softness");
    REQUIRE(soft != nullptr);
    REQUIRE(S.size() == 60);  // the 60 Al of the 150-atom melt
    for (std::size_t k = 0; k < S.size(); ++k) {
        REQUIRE(std::isfinite(S[k]));
        CHECK(soft->values[idx.at(static_cast<std::int64_t>(ids[k]))] == Approx(S[k]).epsilon(1e-12));
    }
}
