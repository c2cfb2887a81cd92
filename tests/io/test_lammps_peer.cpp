// Peer test against LAMMPS (Debian's /usr/bin/lmp): files LAMMPS writes are
// read correctly, and files amorph writes are read correctly by LAMMPS.
//
// LAMMPS builds small systems (3D triclinic charge style with velocities and
// image flags; 2D `dimension 2` triclinic atomic), writes them with
// write_data and with write_dump in several coordinate flavours (x/xs/xu,
// dump atom), and prints box and atom values with %.17g. amorph reads each
// file and must agree with the others and with the printed values: exactly
// where LAMMPS prints 17 digits of the same number, within 1e-12 relative
// where a conversion (scaled/unwrapped coordinates, dump bounds) is involved.
// Then amorph writes general (rotated, strongly tilted) cells as data files
// and a dump frame; LAMMPS reads them (read_data, read_dump) and dumps the
// atoms back, which must match the rotated/tilt-reduced originals.
#include "amorph/io/io.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include <unistd.h>

namespace fs = std::filesystem;
using amorph::coords;
using amorph::mat;
using amorph::vec;

namespace {

struct lmp_dir {
    fs::path dir;
    explicit lmp_dir(const std::string& name) {
        dir = fs::temp_directory_path() / ("amorph_lmp_" + name + "_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~lmp_dir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    fs::path operator/(const std::string& f) const { return dir / f; }

    /// Run LAMMPS on `script` inside the directory; REQUIREs success.
    void run(const std::string& script) const {
        std::ofstream(dir / "in.test") << script;
        const std::string cmd = "cd '" + dir.string() + "' && lmp -log none -echo none -screen none -in in.test > lmp.out 2>&1";
        const int rc = std::system(cmd.c_str());
        if (rc != 0) {
            std::ifstream out(dir / "lmp.out");
            std::stringstream ss;
            ss << out.rdbuf();
            FAIL("lmp failed (is the Debian package lammps installed?):\n" << ss.str());
        }
    }

    /// key = value lines printed by the script.
    std::map<std::string, double> printed(const std::string& file) const {
        std::map<std::string, double> m;
        std::ifstream in(dir / file);
        std::string k, eq;
        double v;
        while (in >> k >> eq >> v) m[k] = v;
        return m;
    }
};

template <int D>
double max_abs_diff(const coords<D>& a, const coords<D>& b) {
    REQUIRE(a.cols() == b.cols());
    return a.cols() ? (a - b).cwiseAbs().maxCoeff() : 0.0;
}

const char* sort_fmt = " modify sort id format float %.17g";

}  // namespace

TEST_CASE("LAMMPS-written 3D triclinic charge system reads back in every format", "[io][peer]") {
    lmp_dir d("tri3d");
    d.run(std::string(R"LMP(
units metal
atom_style charge
atom_modify map array
boundary p p f
region box prism 0 10 -1 11 0 12 2.5 -1.5 1.25
create_box 2 box
create_atoms 1 random 40 12345 NULL
create_atoms 2 random 35 54321 NULL
mass 1 26.98
mass 2 16.00
set type 1 charge 1.4175
set type 2 charge -0.945
velocity all create 300 4928459 dist gaussian
displace_atoms all move 7.3 -5.1 0.0
displace_atoms all move 0.0 13.7 0.0
write_data lmp.data
write_dump all custom x.dump id type x y z ix iy iz vx vy vz q)LMP") + sort_fmt + R"LMP(
write_dump all custom xs.dump type xs ys zs id)LMP" + sort_fmt + R"LMP(
write_dump all custom xu.dump id xu yu zu type)LMP" + sort_fmt + R"LMP(
write_dump all atom atom.dump modify sort id image yes
print "vol = $(vol:%.17g)" file printed.txt
print "lx = $(lx:%.17g)" append printed.txt
print "xy = $(xy:%.17g)" append printed.txt
print "xz = $(xz:%.17g)" append printed.txt
print "yz = $(yz:%.17g)" append printed.txt
print "x5 = $(x[5]:%.17g)" append printed.txt
print "y5 = $(y[5]:%.17g)" append printed.txt
print "vz7 = $(vz[7]:%.17g)" append printed.txt
print "q9 = $(q[9]:%.17g)" append printed.txt
)LMP");
    const auto p = d.printed("printed.txt");
    auto data = amorph::io::read_lammps_data<3>(d / "lmp.data");
    data.sort_by_id();
    REQUIRE(data.size() == 75);
    CHECK(amorph::io::detect_format(d / "lmp.data") == amorph::io::file_format::lammps_data);
    CHECK(data.box.volume() == Approx(p.at("vol")).epsilon(1e-14));
    CHECK(data.box.h()(0, 0) == p.at("lx"));
    CHECK(data.box.h()(0, 1) == p.at("xy"));
    CHECK(data.box.h()(0, 2) == p.at("xz"));
    CHECK(data.box.h()(1, 2) == p.at("yz"));
    const auto i5 = data.index_of_ids().at(5), i7 = data.index_of_ids().at(7), i9 = data.index_of_ids().at(9);
    CHECK(data.positions(0, static_cast<Eigen::Index>(i5)) == p.at("x5"));
    CHECK(data.positions(1, static_cast<Eigen::Index>(i5)) == p.at("y5"));
    CHECK(data.velocities(2, static_cast<Eigen::Index>(i7)) == p.at("vz7"));
    CHECK(data.charges[i9] == p.at("q9"));
    CHECK(data.species[0].mass == 26.98);
    REQUIRE(data.has_image());
    CHECK(data.image.cwiseAbs().maxCoeff() > 0);  // the displacements crossed the box

    const auto x = amorph::io::read_dump<3>(d / "x.dump").system;
    CHECK(x.ids == data.ids);
    CHECK(x.types == data.types);
    CHECK(x.positions == data.positions);
    CHECK(x.image == data.image);
    CHECK(x.velocities == data.velocities);
    CHECK(x.charges == data.charges);
    CHECK(x.box.h().isApprox(data.box.h(), 1e-14));
    CHECK_FALSE(x.box.periodic(2));
    CHECK(x.box.periodic(0));

    const double tol = 1e-12 * data.box.h().norm();
    const auto xs = amorph::io::read_dump<3>(d / "xs.dump").system;
    CHECK(xs.ids == data.ids);
    CHECK(max_abs_diff<3>(xs.positions, data.positions) <= tol);
    const auto xu = amorph::io::read_dump<3>(d / "xu.dump").system;
    CHECK(max_abs_diff<3>(xu.positions, data.unwrapped_positions()) <= tol);
    const auto at = amorph::io::read_dump<3>(d / "atom.dump").system;  // id type xs ys zs ix iy iz, %g
    CHECK(at.ids == data.ids);
    CHECK(at.image == data.image);
    CHECK(max_abs_diff<3>(at.positions, data.positions) <= 1e-5 * data.box.h().norm());
}

TEST_CASE("LAMMPS-written 2D system reads back as 2D", "[io][peer]") {
    lmp_dir d("2d");
    d.run(std::string(R"LMP(
units lj
dimension 2
atom_style atomic
atom_modify map array
boundary p p p
region box prism 0 20 0 15 -0.5 0.5 3.0 0 0
create_box 2 box
create_atoms 1 random 50 111 NULL
create_atoms 2 random 30 222 NULL
mass 1 1.0
mass 2 0.5
velocity all create 0.5 87287
displace_atoms all move 11.0 -7.0 0
write_data lmp2d.data
write_dump all custom lmp2d.dump id type x y z ix iy iz vx vy vz)LMP") + sort_fmt + R"LMP(
print "vol = $(vol:%.17g)" file printed.txt
print "x3 = $(x[3]:%.17g)" append printed.txt
print "vy3 = $(vy[3]:%.17g)" append printed.txt
)LMP");
    const auto p = d.printed("printed.txt");
    CHECK(amorph::io::detect_dimension(d / "lmp2d.data") == 2);
    CHECK(amorph::io::detect_dimension(d / "lmp2d.dump") == 2);
    auto data = amorph::io::read_lammps_data<2>(d / "lmp2d.data");
    data.sort_by_id();
    const auto dump = amorph::io::read_dump<2>(d / "lmp2d.dump").system;
    CHECK(data.box.volume() == Approx(p.at("vol")).epsilon(1e-14));  // LAMMPS's vol is the area in 2D
    const auto i3 = static_cast<Eigen::Index>(data.index_of_ids().at(3));
    CHECK(data.positions(0, i3) == p.at("x3"));
    CHECK(data.velocities(1, i3) == p.at("vy3"));
    CHECK(dump.ids == data.ids);
    CHECK(dump.positions == data.positions);
    CHECK(dump.image == data.image);
    CHECK(dump.velocities == data.velocities);
    CHECK(data.image.cwiseAbs().maxCoeff() > 0);
    CHECK(data.box.h()(0, 1) == 3.0);
}

TEMPLATE_TEST_CASE_SIG("LAMMPS reads amorph's data files, general cells included", "[io][peer]", ((int D), D), 2, 3) {
    std::mt19937_64 rng(D == 2 ? 77 : 78);
    for (auto kind : {iotest::cell::triclinic, iotest::cell::general}) {
        lmp_dir d(std::string("ours") + std::to_string(D) + (kind == iotest::cell::general ? "g" : "t"));
        auto s = iotest::random_system<D>(rng, 60, kind);
        s.properties.clear();
        amorph::io::write_lammps_data(d / "ours.data", s);
        d.run(std::string("units metal\n") + (D == 2 ? "dimension 2\n" : "") +
              "atom_style charge\nread_data ours.data\n"
              "write_dump all custom back.dump id type x y z ix iy iz vx vy vz q" + sort_fmt + "\n");
        auto back = amorph::io::read_dump<D>(d / "back.dump").system;
        auto ref = s;
        ref.sort_by_id();
        CHECK(back.ids == ref.ids);
        CHECK(back.types == ref.types);
        CHECK(back.charges == ref.charges);
        // Unwrapped positions are the originals rotated into LAMMPS's frame.
        const auto lf = to_lammps(s.box);
        const vec<D> o = s.box.origin();
        const coords<D> ub = back.unwrapped_positions(), ua = ref.unwrapped_positions();
        const double tol = 1e-12 * s.box.h().norm();
        for (Eigen::Index i = 0; i < ua.cols(); ++i) {
            CHECK((ub.col(i) - (o + lf.rotation * (ua.col(i) - o))).norm() <= tol);
            CHECK((back.velocities.col(i) - lf.rotation * ref.velocities.col(i)).norm() <= 1e-14);
        }
        CHECK(back.box.volume() == Approx(s.box.volume()).epsilon(1e-12));
        if (kind == iotest::cell::triclinic) {
            // LAMMPS-form cell: nothing to transform (LAMMPS's own remap via
            // fractional coordinates may change the last bits of triclinic positions)
            CHECK(max_abs_diff<D>(back.positions, ref.positions) <= tol);
            CHECK(back.image == ref.image);
        }
    }
}

TEST_CASE("LAMMPS reads amorph's dump frames with read_dump", "[io][peer]") {
    lmp_dir d("readdump");
    std::mt19937_64 rng(79);
    auto s = iotest::random_system<3>(rng, 40, iotest::cell::triclinic);
    s.properties.clear();
    s.charges.clear();
    amorph::io::write_lammps_data(d / "start.data", s);
    // Frame 100: the atoms moved (within the cell) and got new velocities.
    auto moved = s;
    std::uniform_real_distribution<double> u(-0.2, 0.2);
    for (Eigen::Index i = 0; i < moved.positions.cols(); ++i)
        for (int k = 0; k < 3; ++k) moved.positions(k, i) += u(rng);
    moved.velocities *= -2.0;
    amorph::io::dump_write_options w;
    w.timestep = 100;
    w.columns = {"vz", "id", "x", "y", "z", "type", "vx", "vy", "ix", "iy", "iz"};
    amorph::io::write_dump(d / "frame.dump", moved, w);
    d.run(std::string("units metal\natom_style atomic\nread_data start.data\n"
                      "read_dump frame.dump 100 x y z vx vy vz ix iy iz box yes\n"
                      "write_dump all custom back.dump id type x y z ix iy iz vx vy vz") + sort_fmt + "\n");
    auto back = amorph::io::read_dump<3>(d / "back.dump").system;
    moved.sort_by_id();
    CHECK(back.ids == moved.ids);
    const double tol = 1e-12 * s.box.h().norm();
    CHECK(max_abs_diff<3>(back.unwrapped_positions(), moved.unwrapped_positions()) <= tol);
    CHECK(back.velocities == moved.velocities);
}

TEST_CASE("LAMMPS's dump custom/gz trajectory reads as its plain dump custom", "[io][peer][gzip]") {
    lmp_dir d("gz");
    d.run(std::string(R"LMP(
units lj
atom_style atomic
boundary p p p
region box prism 0 12 0 10 0 9 1.5 -1.0 0.5
create_box 2 box
create_atoms 1 random 400 111 NULL
create_atoms 2 random 200 222 NULL
mass * 1.0
pair_style soft 1.0
pair_coeff * * 10.0
velocity all create 1.0 4928
fix 1 all nve
dump plain all custom 5 traj.dump id type x y z vx vy vz ix iy iz
dump packed all custom/gz 5 traj.dump.gz id type x y z vx vy vz ix iy iz
dump_modify plain sort id format float %.17g
dump_modify packed sort id format float %.17g
run 40
)LMP"));
    for (const std::int64_t frame : {0, 4, -1, 8, 2}) {
        INFO("frame " << frame);
        amorph::io::read_options o;
        o.frame = frame;
        const auto a = amorph::io::read_system<3>(d / "traj.dump", o);
        const auto b = amorph::io::read_system<3>(d / "traj.dump.gz", o);
        REQUIRE(a.size() == 600);
        CHECK(b.ids == a.ids);
        CHECK(b.positions == a.positions);
        CHECK(b.velocities == a.velocities);
        CHECK(b.image == a.image);
        CHECK(b.box.h() == a.box.h());
    }
    amorph::io::read_options past;
    past.frame = 9;  // steps 0, 5, ..., 40: 9 frames
    CHECK_THROWS(amorph::io::read_system<3>(d / "traj.dump.gz", past));
}
