// Trajectories through the CLI (issue 24): LAMMPS writes a `dump custom/gz`
// trajectory and the same states as data files; `rdf --frames` is the mean of
// the per-frame g(r), `d2min TRAJ --ref-frame I --frame J` equals the
// two-file result, `d2min TRAJ --cumulative --frames A:B` equals the list of
// files, whatever the compression.
#include "cli_potdyn.hpp"
#include "cli_run.hpp"

#include "amorph/io/io.hpp"
#include "amorph/learn/npy.hpp"

#include <catch2/catch.hpp>

using namespace cli_test;
using amorph::test::cli::read_report;
using amorph::test::cli::run_lmp;

namespace {

/// column -> (id -> value) of a per-atom CSV (atom order differs between files).
std::map<long, double> by_id(const std::map<std::string, std::vector<double>>& t, const std::string& col) {
    std::map<long, double> m;
    for (std::size_t k = 0; k < t.at("id").size(); ++k) m[std::lround(t.at("id")[k])] = t.at(col)[k];
    return m;
}

/// Equal atom for atom to the CSVs' 10 significant digits; returns the largest value.
double require_same_by_id(const std::map<std::string, std::vector<double>>& a,
                          const std::map<std::string, std::vector<double>>& b, const std::string& col) {
    const auto x = by_id(a, col), y = by_id(b, col);
    REQUIRE(x.size() == y.size());
    REQUIRE(x.size() == 500);
    double mx = 0;
    for (const auto& [id, v] : y) {
        INFO(col << " of atom " << id);
        REQUIRE(x.count(id) == 1);
        CHECK(x.at(id) == Approx(v).epsilon(2e-9).margin(1e-12));
        mx = std::max(mx, v);
    }
    return mx;
}

/// 500 LJ atoms melting from fcc; a dump custom/gz frame and a data file every 10 steps (7 states).
fs::path lammps_trajectory(const std::string& name) {
    const auto dir = workdir(name);
    run_lmp(dir, R"(units lj
atom_style atomic
lattice fcc 0.9
region box block 0 5 0 5 0 5
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.3 12345
mass * 1.0
pair_style lj/cut 2.5
pair_coeff * * 1.0 1.0
velocity all create 3.0 4928 mom yes rot yes
fix 1 all nve
timestep 0.005
dump d all custom/gz 10 traj.dump.gz id type x y z ix iy iz
dump_modify d sort id format float %.17g
dump p all custom 10 traj.dump id type x y z ix iy iz
dump_modify p sort id format float %.17g
write_data f0.data
variable i loop 6
label loop
run 10
write_data f${i}.data
next i
jump SELF loop
)");
    return dir;
}

}  // namespace

TEST_CASE("cli frames: rdf --frames is the mean of the per-frame g(r), gzip or not", "[cli][frames]") {
    const auto dir = lammps_trajectory("frames_rdf");
    REQUIRE(run_amorph(dir, "rdf traj.dump.gz --rmax 3 --bins 30 --partial --frames 0:5 --csv mean.csv --quiet --threads 1").code == 0);
    const auto mean = read_table_csv(dir / "mean.csv");
    std::map<std::string, std::vector<double>> sum;
    for (int k = 0; k < 5; ++k) {
        REQUIRE(run_amorph(dir, "rdf traj.dump --rmax 3 --bins 30 --partial --frame " + std::to_string(k) + " --csv f.csv").code == 0);
        for (const auto& [col, v] : read_table_csv(dir / "f.csv")) {
            auto& s = sum[col];
            s.resize(v.size(), 0.0);
            for (std::size_t b = 0; b < v.size(); ++b) s[b] += v[b] / 5.0;
        }
    }
    REQUIRE(mean.size() == sum.size());
    for (const auto& [col, v] : sum) {
        INFO(col);
        REQUIRE(mean.at(col).size() == v.size());
        // the CSVs carry 10 significant digits
        for (std::size_t b = 0; b < v.size(); ++b) CHECK(mean.at(col)[b] == Approx(v[b]).epsilon(2e-9).margin(1e-12));
    }
    // the frames differ (a melting crystal), so a mean of one frame would fail above
    CHECK(read_table_csv(dir / "f.csv").at("g") != mean.at("g"));
    // one frame by slice = --frame; --frame and --frames together are refused
    REQUIRE(run_amorph(dir, "rdf traj.dump.gz --rmax 3 --bins 30 --frames 4 --csv one.csv").code == 0);
    CHECK(read_table_csv(dir / "one.csv").at("g") == read_table_csv(dir / "f.csv").at("g"));
    const auto both = run_amorph(dir, "rdf traj.dump --rmax 3 --frame 1 --frames 0:2");
    CHECK(both.code == 2);
    CHECK_THAT(both.err, Catch::Contains("--frames"));
    // coord --frames: atoms per coordination number, the mean of the frames' histograms
    REQUIRE(run_amorph(dir, "coord traj.dump.gz --cutoff '*:1.4' --frames 0:5 --csv cn_mean.csv --quiet").code == 0);
    const auto cm = read_table_csv(dir / "cn_mean.csv");
    std::map<std::string, std::map<long, double>> expect;  // species -> cn -> atoms per frame
    for (int k = 0; k < 5; ++k) {
        REQUIRE(run_amorph(dir, "coord traj.dump --cutoff '*:1.4' --frame " + std::to_string(k) + " --csv cn.csv").code == 0);
        const auto c = read_table_csv(dir / "cn.csv");
        for (const auto& [col, v] : c)
            if (col != "cn")
                for (std::size_t b = 0; b < v.size(); ++b) expect[col][std::lround(c.at("cn")[b])] += v[b] / 5.0;
    }
    for (const auto& [col, m] : expect) {
        INFO(col);
        for (std::size_t b = 0; b < cm.at("cn").size(); ++b) {
            const long cn = std::lround(cm.at("cn")[b]);
            const double want = m.count(cn) ? m.at(cn) : 0.0;
            CHECK(cm.at(col)[b] == Approx(want).epsilon(1e-9).margin(1e-12));
        }
    }
    const auto none = run_amorph(dir, "rdf traj.dump --rmax 3 --frames 9:");
    CHECK(none.code == 1);
    CHECK_THAT(none.err, Catch::Contains("select none") && Catch::Contains("7 frames"));
}

TEST_CASE("cli frames: d2min within one trajectory equals the two-file and the file-list results", "[cli][frames]") {
    const auto dir = lammps_trajectory("frames_d2min");
    REQUIRE(run_amorph(dir, "d2min traj.dump.gz --cutoff 2.5 --ref-frame 1 --frame 4 --csv traj.csv --quiet").code == 0);
    REQUIRE(run_amorph(dir, "d2min f1.data f4.data --cutoff 2.5 --csv files.csv").code == 0);
    const auto a = read_table_csv(dir / "traj.csv"), b = read_table_csv(dir / "files.csv");
    CHECK(require_same_by_id(a, b, "d2min") > 0.1);  // the atoms did move
    require_same_by_id(a, b, "shear_strain");

    REQUIRE(run_amorph(dir, "d2min traj.dump.gz --cutoff 2.5 --cumulative --frames 0:7:2 --csv cum.csv").code == 0);
    REQUIRE(run_amorph(dir, "d2min f0.data f2.data f4.data f6.data --cutoff 2.5 --cumulative --csv cumfiles.csv").code == 0);
    CHECK(require_same_by_id(read_table_csv(dir / "cum.csv"), read_table_csv(dir / "cumfiles.csv"), "D") > 0.1);

    CHECK(run_amorph(dir, "d2min traj.dump --cutoff 2.5 --cumulative").code == 1);
    CHECK(run_amorph(dir, "d2min traj.dump --cutoff 2.5 --frames 0:3").code == 1);
}

TEST_CASE("cli frames: voronoi, sf and softness predict over --frames, --cell for a plain xyz", "[cli][frames]") {
    const auto dir = lammps_trajectory("frames_more");
    // voronoi: volumes per frame, the mean over every cell of the frames
    REQUIRE(run_amorph(dir, "voronoi traj.dump.gz --frames 0:3 --csv v.csv --quiet").code == 0);
    const auto v = read_report(dir / "v.csv");
    double sum = 0, cell = 0, lo = 1e300, hi = -1e300;
    for (int k = 0; k < 3; ++k) {
        REQUIRE(run_amorph(dir, "voronoi traj.dump --frame " + std::to_string(k) + " --csv vk.csv").code == 0);
        const auto vk = read_report(dir / "vk.csv");
        sum += vk.at("sum of volumes") / 3;
        cell += vk.at("cell volume") / 3;
        lo = std::min(lo, vk.at("min volume"));
        hi = std::max(hi, vk.at("max volume"));
    }
    CHECK(v.at("frames") == 3);
    CHECK(v.at("atoms") == 500);
    CHECK(v.at("sum of volumes") == Approx(sum).epsilon(1e-9));
    CHECK(v.at("cell volume") == Approx(cell).epsilon(1e-9));
    CHECK(v.at("mean volume") == Approx(sum / 500).epsilon(1e-9));
    CHECK(v.at("min volume") == Approx(lo).epsilon(1e-9));
    CHECK(v.at("max volume") == Approx(hi).epsilon(1e-9));

    // sf: each atom's features averaged over the frames, rows matched by id
    const std::string sf = "sf --radial 0.8:3:0.2 --width 0.2 --angular fan:1:3:2 --angular-cutoff 2 --centers 1 ";
    REQUIRE(run_amorph(dir, sf + "traj.dump.gz --frames 0:3 -o mean.npy --ids-out mean_ids.npy --quiet").code == 0);
    const auto mean = amorph::learn::read_npy((dir / "mean.npy").string()).matrix();
    const auto mean_ids = amorph::learn::read_npy((dir / "mean_ids.npy").string()).matrix();
    Eigen::MatrixXd expect = Eigen::MatrixXd::Zero(mean.rows(), mean.cols());
    std::map<long, Eigen::Index> row;
    for (Eigen::Index i = 0; i < mean.rows(); ++i) row[std::lround(mean_ids(i, 0))] = i;
    for (int k = 0; k < 3; ++k) {
        REQUIRE(run_amorph(dir, sf + "traj.dump --frame " + std::to_string(k) + " -o f.npy --ids-out f_ids.npy").code == 0);
        const auto f = amorph::learn::read_npy((dir / "f.npy").string()).matrix();
        const auto ids = amorph::learn::read_npy((dir / "f_ids.npy").string()).matrix();
        REQUIRE(f.rows() == mean.rows());
        for (Eigen::Index i = 0; i < f.rows(); ++i) expect.row(row.at(std::lround(ids(i, 0)))) += f.row(i) / 3.0;
    }
    CHECK((mean - expect).cwiseAbs().maxCoeff() <= 1e-12 * std::max(1.0, expect.cwiseAbs().maxCoeff()));

    // softness predict: each center's softness averaged over the frames
    std::vector<double> labels(static_cast<std::size_t>(mean.rows()));
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<double>(i % 2);
    amorph::learn::write_npy((dir / "y.npy").string(), labels);
    REQUIRE(run_amorph(dir, sf + "traj.dump --frame 0 -o X.npy --save-settings sf.json").code == 0);
    // the saved definition as --descriptor gives the same features
    REQUIRE(run_amorph(dir, "sf traj.dump --frame 0 --descriptor sf.json --centers 1 -o X2.npy").code == 0);
    CHECK(amorph::learn::read_npy((dir / "X2.npy").string()).values == amorph::learn::read_npy((dir / "X.npy").string()).values);
    CHECK(run_amorph(dir, "sf traj.dump --descriptor nosuch -o X3.npy").code == 1);
    REQUIRE(run_amorph(dir, "softness train --features X.npy --labels y.npy --descriptor sf.json --species 1,2 "
                            "--center-species 1 -o model.json --quiet").code == 0);
    REQUIRE(run_amorph(dir, "softness predict traj.dump.gz --model model.json --frames 0:3 -o s.npy --ids-out s_ids.npy").code == 0);
    const auto s = amorph::learn::read_npy((dir / "s.npy").string()).matrix();
    const auto s_ids = amorph::learn::read_npy((dir / "s_ids.npy").string()).matrix();
    std::map<long, double> want;
    for (int k = 0; k < 3; ++k) {
        REQUIRE(run_amorph(dir, "softness predict traj.dump --model model.json --frame " + std::to_string(k) +
                                    " -o sk.npy --ids-out sk_ids.npy").code == 0);
        const auto sk = amorph::learn::read_npy((dir / "sk.npy").string()).matrix();
        const auto ik = amorph::learn::read_npy((dir / "sk_ids.npy").string()).matrix();
        for (Eigen::Index i = 0; i < sk.rows(); ++i) want[std::lround(ik(i, 0))] += sk(i, 0) / 3.0;
    }
    REQUIRE(static_cast<std::size_t>(s.rows()) == want.size());
    for (Eigen::Index i = 0; i < s.rows(); ++i)
        CHECK(s(i, 0) == Approx(want.at(std::lround(s_ids(i, 0)))).epsilon(1e-12).margin(1e-12));

    // --cell: a plain xyz (no cell) gives the data file's g(r) with the cell given
    const auto f0 = amorph::io::read_system<3>(dir / "f0.data");
    {
        std::ofstream xyz(dir / "plain.xyz");
        xyz << f0.size() << "\nno cell\n";
        xyz.precision(17);
        for (std::size_t i = 0; i < f0.size(); ++i) {
            const auto p = f0.box.wrap(f0.positions.col(static_cast<Eigen::Index>(i)));
            xyz << (f0.types[i] == 0 ? "Ar" : "Kr") << ' ' << p(0) << ' ' << p(1) << ' ' << p(2) << '\n';
        }
    }
    const auto& h = f0.box.h();
    REQUIRE(f0.box.origin().isZero());
    using amorph::test::cli::f17;
    const std::string cell_arg = f17(h(0, 0)) + "," + f17(h(1, 1)) + "," + f17(h(2, 2));
    REQUIRE(run_amorph(dir, "rdf plain.xyz --cell " + cell_arg + " --rmax 4 --bins 40 --csv plain.csv").code == 0);
    REQUIRE(run_amorph(dir, "rdf f0.data --rmax 4 --bins 40 --csv data.csv").code == 0);
    const auto a = read_table_csv(dir / "plain.csv").at("g"), b = read_table_csv(dir / "data.csv").at("g");
    REQUIRE(a.size() == b.size());
    for (std::size_t k = 0; k < a.size(); ++k) CHECK(a[k] == Approx(b[k]).epsilon(1e-9).margin(1e-12));
    const auto bad = run_amorph(dir, "rdf plain.xyz --cell 1,2,x --rmax 4");
    CHECK(bad.code == 2);
    CHECK_THAT(bad.err, Catch::Contains("--cell"));
}
