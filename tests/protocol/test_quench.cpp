// Schedules (rates, holds, pressure ramps, the text format, Fan's Cu-Zr
// quench) and the quench protocol (temperature follows the schedule, ends in a
// minimized inherent structure, resumes from a checkpoint bit for bit).
#include "../dynamics/ensemble_stats.hpp"
#include "../dynamics/lammps_md.hpp"

#include <amorph/dynamics/force_field.hpp>
#include <amorph/dynamics/kinetic.hpp>
#include <amorph/dynamics/observer.hpp>
#include <amorph/protocol/quench.hpp>
#include <amorph/protocol/schedule.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace amorph;
using namespace amorph::protocol;

TEST_CASE("schedule: Fan's Cu-Zr quench in metal units", "[protocol][schedule]") {
    const auto s = fan_quench(2000.0, 1e11, units::metal);
    REQUIRE(s.segments().size() == 4);
    // 500 K at 1e13 K/s = 50 ps; 500 K at 1e12 K/s = 500 ps; 500 K at 1e11 K/s = 5 ns; 450 K at 1e13 = 45 ps
    CHECK(s.segments()[0].duration == Approx(50.0));
    CHECK(s.segments()[1].duration == Approx(500.0));
    CHECK(s.segments()[2].duration == Approx(5000.0));
    CHECK(s.segments()[3].duration == Approx(45.0));
    CHECK(s.segments()[0].t_start == 2000.0);
    CHECK(s.segments()[3].t_stop == 50.0);
    for (const auto& g : s.segments()) {
        CHECK(g.ens == ensemble::npt);
        CHECK(g.p_start == 0.0);
        CHECK(g.p_stop == 0.0);
    }
    CHECK(s.segments()[0].steps(0.002) == 25000);
    CHECK(s.temperature_at(25.0) == Approx(1750.0));
    CHECK(s.temperature_at(50.0 + 250.0) == Approx(1250.0));
    CHECK(s.temperature_at(1e9) == 50.0);
    CHECK_THROWS_AS(per_second(units::lj), invalid_argument);
}

TEST_CASE("schedule: text format equals the builder, errors name the line", "[protocol][schedule]") {
    std::istringstream in(R"(# quench
temperature 2000
pressure 0
ramp 1500 rate 1e13/s   # 50 ps
ramp 1000 time 500
hold 100
press 10000 time 20
ramp 300 rate 5
)");
    const auto s = schedule::parse(in, "q.txt", units::metal);
    auto b = schedule(2000.0, 0.0);
    b.ramp_to(1500, 10.0).ramp_over(1000, 500).hold(100).pressure_to(10000, 20).ramp_to(300, 5.0);
    REQUIRE(s.segments().size() == b.segments().size());
    for (std::size_t k = 0; k < s.segments().size(); ++k) {
        const auto &x = s.segments()[k], &y = b.segments()[k];
        CHECK(x.duration == Approx(y.duration));
        CHECK(x.t_start == y.t_start);
        CHECK(x.t_stop == y.t_stop);
        CHECK(x.p_start == y.p_start);
        CHECK(x.p_stop == y.p_stop);
        CHECK(x.ens == ensemble::npt);
    }
    CHECK(s.segments()[3].p_start == 0.0);
    CHECK(s.segments()[3].p_stop == 10000.0);
    CHECK(s.segments()[4].p_start == 10000.0);
    CHECK(s.segments()[4].p_stop == 10000.0);
    auto bad = [](const std::string& text, std::size_t line) {
        std::istringstream is(text);
        try {
            schedule::parse(is, "bad.txt", units::metal);
        } catch (const parse_error& e) {
            CHECK(e.line() == line);
            return;
        }
        FAIL("no parse_error for: " << text);
    };
    bad("ramp 10 rate 1\n", 1);
    bad("temperature 100\nramp 10 speed 1\n", 2);
    bad("temperature 100\n\nhold x\n", 3);
    bad("temperature 100\nramp 10 rate -1\n", 2);
    bad("temperature 100\nfly 3\n", 2);
    bad("temperature 100\n", 0);
}

namespace {
struct t_recorder {
    std::vector<std::pair<std::int64_t, double>> t;
    void observe(const dynamics::observation<2>& o) {
        t.emplace_back(o.step, dynamics::temperature(o.sys, o.dof));
    }
};
struct crash_at {
    std::int64_t step;
    void observe(const dynamics::observation<2>& o) {
        if (o.step == step) throw std::runtime_error("simulated crash");
    }
};
}  // namespace

TEST_CASE("quench: 2D LJ follows the schedule and ends in an inherent structure", "[protocol][quench]") {
    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    auto ff = dynamics::make_force_field<2>(test::lj2d_sf(), 0.3);
    schedule s(0.4);
    s.hold(2.5).ramp_over(0.1, 5.0).hold(2.5);
    t_recorder rec;
    quench_options opt;
    opt.t_damp = 0.5;
    opt.minimize = dynamics::min_options{};
    const auto res = quench(sys, ff, s, opt, rec);
    CHECK(res.steps == 2000);
    CHECK(res.segments == 3);
    // the last hold (steps 1500-2000) at T = 0.1: after 100 steps (one t_damp) the
    // kinetic T is the target within 4 block-average errors (8 blocks of 50 steps)
    std::vector<double> hold;
    for (const auto& [step, t] : rec.t)
        if (step > 1600) hold.push_back(t);
    REQUIRE(hold.size() == 400);
    const auto tb = test::blocks(hold, 50);
    INFO("T over the last hold " << tb.mean << " +- " << tb.err);
    CHECK(tb.err > 0.0);
    CHECK(std::abs(tb.mean - 0.1) < 4 * tb.err);
    REQUIRE(res.minimization);
    CHECK(res.minimization->reason == dynamics::min_stop::force_tolerance);
    CHECK(res.minimization->fnorm2 < 1e-8);
    CHECK(sys.velocities.isZero());
}

TEST_CASE("quench: resume from a checkpoint after a crash is bitwise identical", "[protocol][quench][checkpoint]") {
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_quench_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // NVT hold, then NPT (ensemble switch), pressure ramp and temperature ramp
    schedule s(0.4);
    s.hold(1.0).pressure_to(3.0, 1.5).ramp_over(0.2, 2.0);
    quench_options opt;
    opt.t_damp = 0.5;
    opt.p_damp = 2.0;

    auto ref = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    {
        auto ff = dynamics::make_force_field<2>(test::lj2d_sf(), 0.3);
        quench(ref, ff, s, opt);
    }
    opt.checkpoint = dir / "q.ckpt";
    opt.checkpoint_every = 100;
    opt.resume = true;
    auto sys = test::read_fixture<2>("lj2d_liquid.data", units::lj);
    {
        auto ff = dynamics::make_force_field<2>(test::lj2d_sf(), 0.3);
        crash_at crash{777};
        CHECK_THROWS_WITH(quench(sys, ff, s, opt, crash), "simulated crash");
    }
    auto again = test::read_fixture<2>("lj2d_liquid.data", units::lj);  // overwritten by the checkpoint
    auto ff = dynamics::make_force_field<2>(test::lj2d_sf(), 0.3);
    const auto res = quench(again, ff, s, opt);
    CHECK(res.resumed);
    CHECK(res.steps == 900);
    CHECK(again.positions == ref.positions);
    CHECK(again.velocities == ref.velocities);
    CHECK(again.box == ref.box);
    std::filesystem::remove_all(dir);
}
