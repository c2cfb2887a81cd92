// Runs the structure subcommands of the built `amorph` executable (issue 6):
//   voronoi   volumes vs the voro++ command-line tool (to its 6 printed digits) and
//             vs the library (exact: the extxyz output round-trips doubles); sums
//             equal the cell volume in a triclinic 3D and a 2D cell
//   rdf       the CSV equals LAMMPS `compute rdf` (total and partials, run 0 on the same
//             file) and the library's g(r) (10 printed digits)
//   coord     per-atom CN vs a brute-force count over minimum images
//   bonds     constructed removed / added / swapped neighbors give DC / IC / SC
//   clusters  planted clusters of known sizes; selection by species and top:PROP:F
//   profile   planted flagged slab
#include "cli_run.hpp"

#include <amorph/analysis/rdf.hpp>
#include <amorph/analysis/voronoi.hpp>
#include <amorph/io/io.hpp>

#include "../peer.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace amorph;
using namespace cli_test;

namespace {

amorph::system<3> random_system(std::size_t n, const mat<3>& h, unsigned seed, int ntypes = 2) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    amorph::system<3> sys(box<3>(h), n);
    std::vector<std::string> names{"Cu", "Zr", "Al"};
    sys.species = species_list::from_names(std::vector<std::string>(names.begin(), names.begin() + ntypes));
    for (std::size_t i = 0; i < n; ++i) {
        sys.positions.col(static_cast<Eigen::Index>(i)) = h * vec<3>(u(rng), u(rng), u(rng));
        sys.types[i] = static_cast<int>(i % static_cast<std::size_t>(ntypes));
    }
    return sys;
}


}  // namespace

TEST_CASE("amorph voronoi: volumes equal voro++ and the library", "[cli][voronoi][peer]") {
    const auto d = workdir("voronoi_voropp");
    const mat<3> h = vec<3>(7.0, 8.0, 9.0).asDiagonal();
    const auto sys = random_system(400, h, 3);
    io::write_system<3>(d / "conf.data", sys);
    {
        std::ofstream pts(d / "pts");
        pts.precision(17);
        for (std::size_t i = 0; i < sys.size(); ++i)
            pts << sys.ids[i] << ' ' << sys.positions(0, static_cast<Eigen::Index>(i)) << ' '
                << sys.positions(1, static_cast<Eigen::Index>(i)) << ' ' << sys.positions(2, static_cast<Eigen::Index>(i))
                << '\n';
    }
    const auto vr = run_amorph(d, "voronoi \"" + (d / "conf.data").string() + "\" -o \"" + (d / "out.xyz").string() +
                                      "\" --csv \"" + (d / "summary.csv").string() + "\"");
    INFO(vr.err);
    REQUIRE(vr.code == 0);
    const std::string cmd = "cd \"" + d.string() + "\" && voro++ -p -c \"%i %v %s\" 0 7 0 8 0 9 pts";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::map<std::int64_t, std::pair<double, int>> peer;
    {
        std::ifstream in(d / "pts.vol");
        std::int64_t id;
        double v;
        int f;
        while (in >> id >> v >> f) peer[id] = {v, f};
    }
    REQUIRE(peer.size() == sys.size());
    const auto out = io::read_system<3>(d / "out.xyz");
    const auto* vol = out.find_property("volume");
    const auto* faces = out.find_property("faces");
    REQUIRE(vol);
    REQUIRE(faces);
    const auto lib = analysis::voronoi<3>(sys.box, sys.positions);
    double worst_peer = 0, worst_lib = 0;
    int face_mismatch = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto& [pv, pf] = peer.at(out.ids[i]);
        worst_peer = std::max(worst_peer, rel(vol->values[i], pv));
        face_mismatch += static_cast<int>(faces->values[i]) != pf;
        worst_lib = std::max(worst_lib, rel(vol->values[i], lib.volume[i]));
    }
    CHECK(worst_peer <= 5.01e-6);  // voro++ prints 6 significant digits: rounding <= 5e-6 relative
    CHECK(face_mismatch == 0);
    CHECK(worst_lib == 0.0);
    const auto s = read_scalar_csv(d / "summary.csv");
    CHECK(std::abs(s.at("relative difference")) < 1e-10);
    CHECK(s.at("sum of volumes") == Approx(7.0 * 8.0 * 9.0).epsilon(1e-10));
}

TEST_CASE("amorph voronoi: triclinic 3D and 2D cells sum to the cell", "[cli][voronoi]") {
    const auto d = workdir("voronoi_cells");
    mat<3> h;
    h << 8.0, 2.0, 1.0, 0.0, 9.0, -1.5, 0.0, 0.0, 10.0;
    auto sys = random_system(300, h, 5);
    // a duplicate atom and one on a cell face
    sys.positions.col(1) = sys.positions.col(0);
    sys.positions.col(2) = vec<3>(0.0, 3.0, 4.0);
    io::write_system<3>(d / "tri.data", sys);
    auto r = run_amorph(d, "voronoi \"" + (d / "tri.data").string() + "\" --csv \"" + (d / "tri.csv").string() + "\"");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("five-fold face fraction") != std::string::npos);
    auto s = read_scalar_csv(d / "tri.csv");
    CHECK(std::abs(s.at("relative difference")) < 1e-10);

    // 2D: areas
    amorph::system<2> s2(box<2>(vec<2>(12.0, 10.0).asDiagonal()), 200);
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    s2.species = species_list::from_names({"A"});
    for (Eigen::Index i = 0; i < 200; ++i) s2.positions.col(i) = vec<2>(12.0 * u(rng), 10.0 * u(rng));
    io::write_system<2>(d / "flat.xyz", s2);
    r = run_amorph(d, "voronoi \"" + (d / "flat.xyz").string() + "\" --dim 2 -o \"" + (d / "flat_out.xyz").string() +
                          "\" --csv \"" + (d / "flat.csv").string() + "\"");
    INFO(r.err);
    REQUIRE(r.code == 0);
    s = read_scalar_csv(d / "flat.csv");
    CHECK(s.at("sum of areas") == Approx(120.0).epsilon(1e-10));
    const auto out = io::read_system<2>(d / "flat_out.xyz");
    const auto lib = analysis::voronoi<2>(s2.box, s2.positions);
    REQUIRE(out.find_property("area"));
    for (std::size_t i = 0; i < out.size(); ++i) CHECK(out.find_property("area")->values[i] == lib.volume[i]);

    // radical with equal radii equals plain Voronoi
    r = run_amorph(d, "voronoi \"" + (d / "tri.data").string() + "\" --radical --radii Cu:1.2,Zr:1.2 --csv \"" +
                          (d / "rad.csv").string() + "\"");
    REQUIRE(r.code == 0);
    CHECK(read_scalar_csv(d / "rad.csv").at("max volume") == Approx(read_scalar_csv(d / "tri.csv").at("max volume")).epsilon(1e-12));
    r = run_amorph(d, "voronoi \"" + (d / "tri.data").string() + "\" --radical");
    CHECK(r.code == 1);
}

TEST_CASE("amorph rdf equals LAMMPS compute rdf and the library, coord equals a brute-force count", "[cli][rdf][peer]") {
    const auto d = workdir("rdf_coord");
    const mat<3> h = vec<3>(9.0, 10.0, 11.0).asDiagonal();
    const auto sys = random_system(500, h, 11);
    io::write_system<3>(d / "conf.data", sys);
    auto r = run_amorph(d, "rdf \"" + (d / "conf.data").string() + "\" --rmax 4.5 --bins 30 --partial --csv \"" +
                               (d / "g.csv").string() + "\"");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto g = read_table_csv(d / "g.csv");
    const auto lib = analysis::rdf<3>(sys.box, sys.positions, sys.types, {4.5, 30});
    REQUIRE(g.at("r").size() == 30);
    for (std::size_t k = 0; k < 30; ++k) {
        CHECK(g.at("g")[k] == Approx(lib.total[k]).epsilon(1e-9));
        CHECK(g.at("g_Cu_Zr")[k] == Approx(lib.g(0, 1)[k]).epsilon(1e-9));
        CHECK(g.at("g_Zr_Zr")[k] == Approx(lib.g(1, 1)[k]).epsilon(1e-9));
    }
    // the peer: LAMMPS `compute rdf` (same bins over [0, 4.5), same N_b - delta_ab
    // normalization) on the same file, printed at full precision by fix ave/time
    if (amorph_test::peer_available(std::system("command -v lmp >/dev/null 2>&1") == 0, "LAMMPS (lmp) is not installed")) {
        {
            std::ofstream in(d / "in.rdf");
            in << "units metal\natom_style atomic\nboundary p p p\nread_data conf.data\n"
                  "pair_style zero 4.5\npair_coeff * *\nneighbor 0.3 bin\n"
                  "compute r all rdf 30 * * 1 2 2 2\n"
                  "fix f all ave/time 1 1 1 c_r[*] file rdf.out mode vector format \" %.17g\"\nrun 0\n";
        }
        REQUIRE(std::system(("cd \"" + d.string() + "\" && lmp -in in.rdf -log none -screen none").c_str()) == 0);
        std::ifstream in(d / "rdf.out");
        std::string line;
        std::vector<std::array<double, 8>> rows;  // row r g_all coord g_12 coord g_22 coord
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream ls(line);
            std::array<double, 8> x{};
            for (double& v : x) ls >> v;
            if (ls) rows.push_back(x);
        }
        REQUIRE(rows.size() == 30);
        double worst = 0;
        for (std::size_t k = 0; k < 30; ++k) {
            CHECK(g.at("r")[k] == Approx(rows[k][1]).epsilon(1e-9));
            for (const auto& [col, name] : {std::pair{2, "g"}, {4, "g_Cu_Zr"}, {6, "g_Zr_Zr"}}) {
                const double a = g.at(name)[k], b = rows[k][static_cast<std::size_t>(col)];
                worst = std::max(worst, std::abs(a - b) / std::max(1.0, std::abs(b)));
            }
        }
        INFO("max |g_amorph - g_LAMMPS| / max(1, g): " << worst);
        CHECK(worst < 1e-9);  // the CSV prints 10 significant digits
    }

    r = run_amorph(d, "coord \"" + (d / "conf.data").string() + "\" --cutoff Cu-Cu:2.5 --cutoff Cu-Zr:3.0 --cutoff Zr-Zr:3.3 -o \"" +
                          (d / "cn.xyz").string() + "\"");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto out = io::read_system<3>(d / "cn.xyz");
    const auto* cn = out.find_property("cn");
    REQUIRE(cn);
    const double rc[2][2] = {{2.5, 3.0}, {3.0, 3.3}};
    int wrong = 0;
    for (std::size_t i = 0; i < sys.size(); ++i) {
        int c = 0;
        for (std::size_t j = 0; j < sys.size(); ++j) {
            if (j == i) continue;
            const vec<3> dd = sys.box.minimum_image(vec<3>(sys.positions.col(static_cast<Eigen::Index>(j)) -
                                                           sys.positions.col(static_cast<Eigen::Index>(i))));
            c += dd.norm() < rc[sys.types[i]][sys.types[j]];
        }
        wrong += c != static_cast<int>(cn->values[i]);
    }
    CHECK(wrong == 0);
}

TEST_CASE("amorph bonds: removed, added and swapped neighbors give DC, IC, SC", "[cli][bonds]") {
    const auto d = workdir("bonds");
    // Four Al centers far apart, each with O neighbors at 1.9 A along +-x, +-y.
    amorph::system<3> ref(box<3>(mat<3>::Identity() * 40.0), 0);
    ref.species = species_list::from_names({"Al", "O"});
    std::vector<vec<3>> pos;
    std::vector<int> types;
    const std::array<vec<3>, 4> dirs{vec<3>(1.9, 0, 0), vec<3>(-1.9, 0, 0), vec<3>(0, 1.9, 0), vec<3>(0, -1.9, 0)};
    for (int c = 0; c < 4; ++c) {
        const vec<3> centre(5.0 + 9.0 * c, 20.0, 20.0);
        pos.push_back(centre);
        types.push_back(0);
        for (const auto& v : dirs) {
            pos.push_back(centre + v);
            types.push_back(1);
        }
        pos.push_back(centre + vec<3>(0, 0, 3.0));  // a spare O outside the cutoff
        types.push_back(1);
    }
    ref.resize(pos.size());
    for (std::size_t i = 0; i < pos.size(); ++i) {
        ref.positions.col(static_cast<Eigen::Index>(i)) = pos[i];
        ref.types[i] = types[i];
    }
    auto cur = ref;
    // center 0 unchanged; center 1 loses one O (DC); center 2 gains the spare (IC);
    // center 3 swaps one O for the spare (SC)
    const auto at = [](int c, int k) { return static_cast<Eigen::Index>(6 * c + k); };
    cur.positions.col(at(1, 1)) += vec<3>(2.0, 0, -2.0);  // the +x O: 4.4 A away
    cur.positions.col(at(2, 5)) = cur.positions.col(at(2, 0)) + vec<3>(0, 0, 2.0);
    cur.positions.col(at(3, 5)) = cur.positions.col(at(3, 0)) + vec<3>(0, 0, 2.0);
    cur.positions.col(at(3, 1)) += vec<3>(2.0, 0, 0);  // the +x O: 3.9 A away
    io::write_system<3>(d / "ref.data", ref);
    io::write_system<3>(d / "cur.data", cur);
    const auto r = run_amorph(d, "bonds \"" + (d / "ref.data").string() + "\" \"" + (d / "cur.data").string() +
                                     "\" --center Al --neighbor O --cutoff 2.25 -o \"" + (d / "out.xyz").string() +
                                     "\" --csv \"" + (d / "bonds.csv").string() + "\"");
    INFO(r.err << r.out);
    REQUIRE(r.code == 0);
    const auto t = read_table_csv(d / "bonds.csv");
    REQUIRE(t.at("cn_ref").size() == 1);
    CHECK(t.at("cn_ref")[0] == 4);
    CHECK(t.at("centers")[0] == 4);
    CHECK(t.at("UC")[0] == 0.25);
    CHECK(t.at("SC")[0] == 0.25);
    CHECK(t.at("DC")[0] == 0.25);
    CHECK(t.at("IC")[0] == 0.25);
    const auto out = io::read_system<3>(d / "out.xyz");
    const auto& ch = out.find_property("bond_change")->values;
    CHECK(ch[0] == 0);   // UC
    CHECK(ch[6] == 2);   // DC
    CHECK(ch[12] == 3);  // IC
    CHECK(ch[18] == 1);  // SC
    CHECK(ch[1] == -1);  // an O atom
}

TEST_CASE("amorph clusters and profile on planted structures", "[cli][clusters]") {
    const auto d = workdir("clusters");
    // Chains of A atoms at spacing 1.0: lengths 5, 3, 3, 1; B atoms fill in at 3 A away.
    amorph::system<3> sys(box<3>(mat<3>::Identity() * 30.0), 0);
    sys.species = species_list::from_names({"A", "B"});
    std::vector<vec<3>> pos;
    std::vector<int> types;
    const std::array<int, 4> len{5, 3, 3, 1};
    for (int c = 0; c < 4; ++c)
        for (int k = 0; k < len[static_cast<std::size_t>(c)]; ++k) {
            pos.emplace_back(2.0 + k, 3.0 + 7.0 * c, 5.0);
            types.push_back(0);
        }
    for (int k = 0; k < 20; ++k) {
        pos.emplace_back(1.0 + 1.4 * k, 1.0, 20.0 + (k % 2) * 3.0);
        types.push_back(1);
    }
    sys.resize(pos.size());
    std::vector<double> score(pos.size());
    for (std::size_t i = 0; i < pos.size(); ++i) {
        sys.positions.col(static_cast<Eigen::Index>(i)) = pos[i];
        sys.types[i] = types[i];
        score[i] = types[i] == 0 ? 1.0 + static_cast<double>(i) : -1.0;
    }
    sys.set_property("score", score);
    io::write_system<3>(d / "conf.xyz", sys);
    auto r = run_amorph(d, "clusters \"" + (d / "conf.xyz").string() + "\" --select species=A --cutoff 1.2 -o \"" +
                               (d / "cl.xyz").string() + "\" --csv \"" + (d / "cl.csv").string() + "\"");
    INFO(r.err << r.out);
    REQUIRE(r.code == 0);
    auto t = read_table_csv(d / "cl.csv");
    REQUIRE(t.at("size") == std::vector<double>{5, 3, 1});
    CHECK(t.at("clusters") == std::vector<double>{1, 2, 1});
    const auto out = io::read_system<3>(d / "cl.xyz");
    const auto& id = out.find_property("cluster")->values;
    CHECK(id[0] == 0);
    CHECK(id[4] == 0);
    CHECK(id[11] == 3);
    CHECK(id[12] == -1);
    // top 50 % of the A atoms by score = the last 6 A atoms: chains 3 (2 atoms), 3, 1
    r = run_amorph(d, "clusters \"" + (d / "conf.xyz").string() + "\" --select species=A --select top:score:0.5 --cutoff 1.2 --csv \"" +
                          (d / "top.csv").string() + "\"");
    REQUIRE(r.code == 0);
    t = read_table_csv(d / "top.csv");
    CHECK(t.at("size") == std::vector<double>{3, 2, 1});

    // profile: the A atoms lie in z slab [4.5, 6) of width 1.5 -> all flagged atoms in slab 3
    r = run_amorph(d, "profile \"" + (d / "conf.xyz").string() + "\" --select species=A --axis z --width 1.5 --csv \"" +
                          (d / "p.csv").string() + "\"");
    INFO(r.err);
    REQUIRE(r.code == 0);
    t = read_table_csv(d / "p.csv");
    REQUIRE(t.at("position").size() == 20);
    CHECK(t.at("selected")[3] == 12);
    CHECK(t.at("fraction")[3] == 1.0);
    double flagged = 0;
    for (double f : t.at("selected")) flagged += f;
    CHECK(flagged == 12);
    // errors: unknown species, bad term
    r = run_amorph(d, "clusters \"" + (d / "conf.xyz").string() + "\" --select species=Q --cutoff 1");
    CHECK(r.code == 1);
    CHECK(r.err.find("no species 'Q'") != std::string::npos);
    r = run_amorph(d, "clusters \"" + (d / "conf.xyz").string() + "\" --select score --cutoff 1");
    CHECK(r.code == 1);
}
