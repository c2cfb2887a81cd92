// Tests of protocol/aqs.hpp on the 2D LJ glass (N = 500): shearing a rotated
// sample along x/y equals shearing the original along the rotated direction
// (same D2min per atom), checkpoint/resume is bitwise identical, plane-stress
// tension keeps the lateral stress at zero, save_at/plastic events, and the
// shuffled-order experiment.
#include "../dynamics/lammps_md.hpp"

#include <amorph/analysis/d2min.hpp>
#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/lbfgs.hpp>
#include <amorph/protocol/aqs.hpp>
#include <amorph/protocol/shuffled_order.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <unistd.h>

using namespace amorph;

namespace {
amorph::system<2> glass() {
    auto s = test::read_fixture<2>("lj2d_glass.data", units::lj);
    s.velocities.resize(2, 0);
    return s;
}
auto make_ff() { return dynamics::make_force_field<2>(test::lj2d_sf(), 0.3); }
}  // namespace

TEST_CASE("aqs: a rotated sample sheared along x gives the same D2min as the sample sheared along the rotated direction", "[aqs]") {
    const double th = 0.5;
    mat<2> R;
    R << std::cos(th), -std::sin(th), std::sin(th), std::cos(th);
    protocol::aqs_options<2> opt;
    opt.dstrain = 5e-4;
    opt.max_strain = 4e-3;
    opt.minimize.ftol = 1e-10;
    // A: original sample, loading along iota = R^T x, eta = R^T y
    auto a = glass();
    auto ffa = make_ff();
    dynamics::minimize(a, ffa, dynamics::conjugate_gradient<2>{}, opt.minimize);
    auto b = a;  // B: the relaxed sample rotated by R, sheared along x on y
    protocol::rotate(b, R);
    const auto a0 = a, b0 = b;
    opt.relax_start = false;
    const auto def = protocol::simple_shear_xy<2>();
    const auto ra = protocol::aqs(a, ffa, dynamics::conjugate_gradient<2>{}, def.rotated(R.transpose()), opt);
    auto ffb = make_ff();
    const auto rb = protocol::aqs(b, ffb, dynamics::conjugate_gradient<2>{}, def, opt);
    const auto da = analysis::atomic_strain(a0, a, {2.5});
    const auto db = analysis::atomic_strain(b0, b, {2.5});
    double big = 0, diff = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        REQUIRE(da.ids[k] == db.ids[k]);
        big = std::max(big, da.d2min[k]);
        diff = std::max(diff, std::abs(da.d2min[k] - db.d2min[k]));
        CHECK(da.shear_strain[k] == Approx(db.shear_strain[k]).margin(1e-7));
    }
    std::cout << "[aqs rotated] max D2min " << big << ", max |dD2min| " << diff << ", resolved stress "
              << ra.steps.back().tau << " vs " << rb.steps.back().tau << "\n";
    CHECK(big > 1e-4);
    CHECK(diff < 1e-6 * big);
    CHECK(ra.steps.back().tau == Approx(rb.steps.back().tau).epsilon(1e-7));
    CHECK(ra.steps.back().pe == Approx(rb.steps.back().pe).epsilon(1e-12));
}

TEST_CASE("aqs: checkpoint and resume give a bitwise identical run, save_at, records", "[aqs]") {
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_aqs_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    protocol::aqs_options<2> opt;
    opt.dstrain = 1e-3;
    opt.max_strain = 8e-3;
    opt.extrapolate = true;
    std::vector<double> saved;
    opt.save_at = {0.002, 0.005};
    opt.on_save = [&](double s, const amorph::system<2>&) { saved.push_back(s); };
    auto full = glass();
    auto ff = make_ff();
    const auto rf = protocol::aqs(full, ff, dynamics::lbfgs<2>{}, protocol::simple_shear_xy<2>(-1), opt);
    REQUIRE(rf.steps.size() == 9);
    CHECK(saved == std::vector<double>{0.002, 0.005});
    CHECK(rf.steps[3].strain == Approx(0.003));
    CHECK(rf.steps[0].pressure(0, 1) < rf.steps[3].pressure(0, 1));  // negative shear: pxy grows
    for (const auto& s : rf.steps) CHECK(s.converged);

    // interrupted after 5 steps (a run to 5e-3 writes the same checkpoint), then resumed
    opt.checkpoint = dir / "aqs.ckpt";
    opt.checkpoint_every = 1;
    opt.on_save = {};
    {
        auto part = glass();
        auto ff1 = make_ff();
        auto o = opt;
        o.max_strain = 8e-3;
        std::size_t seen = 0;
        o.on_step = [&](const protocol::aqs_step& s) {
            if (++seen == 6) throw std::runtime_error("killed after step " + std::to_string(s.step));
        };
        CHECK_THROWS(protocol::aqs(part, ff1, dynamics::lbfgs<2>{}, protocol::simple_shear_xy<2>(-1), o));
    }
    auto res = glass();
    auto ff2 = make_ff();
    auto o = opt;
    o.resume = true;
    const auto rr = protocol::aqs(res, ff2, dynamics::lbfgs<2>{}, protocol::simple_shear_xy<2>(-1), o);
    CHECK(rr.resumed);
    REQUIRE(rr.steps.size() == rf.steps.size());
    for (std::size_t k = 0; k < rf.steps.size(); ++k) {
        CHECK(rr.steps[k].pe == rf.steps[k].pe);
        CHECK(rr.steps[k].pressure == rf.steps[k].pressure);
    }
    CHECK(res.positions == full.positions);
    CHECK(res.box.h() == full.box.h());
    // a checkpoint of another AQS is refused
    o.dstrain = 2e-3;
    auto other = glass();
    CHECK_THROWS_AS(protocol::aqs(other, ff2, dynamics::lbfgs<2>{}, protocol::simple_shear_xy<2>(-1), o), amorph::io_error);
    std::filesystem::remove_all(dir);
}

TEST_CASE("aqs: plane-stress tension relaxes the lateral stress, plane strain does not", "[aqs]") {
    protocol::aqs_options<2> opt;
    opt.dstrain = 2e-3;
    opt.max_strain = 6e-3;
    opt.lateral.ptol = 1e-7;
    auto a = glass();
    auto ffa = make_ff();
    double ly0 = 0;  // lateral size after the start relaxation (zero lateral stress)
    opt.on_step = [&](const protocol::aqs_step& s) {
        if (s.step == 0) ly0 = a.box.h()(1, 1);
    };
    const auto rs = protocol::aqs(a, ffa, dynamics::conjugate_gradient<2>{}, protocol::tension<2>(0, true), opt);
    opt.on_step = {};
    auto b = glass();
    auto ffb = make_ff();
    const auto re = protocol::aqs(b, ffb, dynamics::conjugate_gradient<2>{}, protocol::tension<2>(0, false), opt);
    for (const auto& s : rs.steps) CHECK(std::abs(s.pressure(1, 1)) < 1e-6);
    // plane strain: the lateral stress changes with the axial one (Poisson effect)
    CHECK(std::abs(re.steps.back().pressure(1, 1) - re.steps.front().pressure(1, 1)) > 1e-3);
    // plane stress: the sample contracts laterally, and the axial stress grows less
    CHECK(a.box.h()(1, 1) < ly0);
    CHECK(b.box.h()(1, 1) == 22.0938);
    CHECK(rs.steps.back().tau - rs.steps.front().tau < re.steps.back().tau - re.steps.front().tau);
    CHECK(rs.steps.back().tau - rs.steps.front().tau > 0.0);
}

TEST_CASE("aqs: shuffled-order experiment (thesis 5.7.6)", "[aqs]") {
    protocol::aqs_options<2> opt;
    opt.dstrain = 1e-3;
    opt.max_strain = 4e-3;
    opt.minimize.ftol = 1e-10;
    const auto r = protocol::shuffled_order_agreement(glass(), make_ff, dynamics::conjugate_gradient<2>{},
                                                      protocol::simple_shear_xy<2>(), opt, 2.5, 0.05, 7);
    std::cout << "[aqs shuffle] top-5% agreement " << r.agreement << " (" << r.top_count << " atoms)\n";
    CHECK(r.top_count == 25);
    // elastic branch: both orders find the same minima, so the labels agree
    CHECK(r.agreement >= 0.9);
    double big = 0;
    for (std::size_t k = 0; k < r.ids.size(); ++k) big = std::max(big, std::abs(r.d2min_original[k] - r.d2min_shuffled[k]));
    CHECK(big < 1e-6);
}
