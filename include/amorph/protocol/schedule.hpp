// amorph/protocol/schedule.hpp — temperature and pressure schedules for
// quenches: linear ramps at a rate or over a time, holds, pressure ramps,
// built in code or read from a small text file.
//
// A schedule is a list of segments; segment k runs for `duration` (time
// units of the system: ps in metal, tau in lj) with the thermostat target
// going linearly from t_start to t_stop and, for NPT segments, the pressure
// target from p_start to p_stop (LAMMPS: one `run N` of `fix nvt|npt temp
// t_start t_stop ... iso p_start p_stop ...`, N = round(duration / dt)).
//
// Rates: ramp_to(T, rate) takes the rate in temperature per time unit, so a
// rate in K/s is multiplied by per_second(units) first (metal: 1 ps = 1e-12 s,
// so 1e13 K/s = 10 K/ps); lj units have no physical second (rates there are
// per tau). Duration = |T - T_now| / rate.
//
// fan_quench(T_melt, effective_rate, units): the Cu-Zr schedule of Fan's
// thesis (ch3/ch4): 1e13 K/s to 1500 K, 1e12 K/s to 1000 K, the effective
// rate to 500 K, 1e13 K/s to 50 K, at zero pressure.
//
// Text format (one command per line, '#' starts a comment, case-sensitive):
//     temperature T0            start temperature (required, first)
//     pressure P0               start pressure: segments are NPT from here on
//     ramp T rate R             ramp to T at R per time unit; "R/s" = per second
//     ramp T time t             ramp to T over time t
//     hold t                    hold the current T (and P) for time t
//     press P time t            ramp the pressure to P over t at constant T
// Errors are parse_error(file, line, field, message).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <istream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace amorph::protocol {

enum class ensemble { nvt, npt };

struct segment {
    double duration = 0.0;
    double t_start = 0.0, t_stop = 0.0;
    ensemble ens = ensemble::nvt;
    double p_start = 0.0, p_stop = 0.0;
    std::string label{};

    /// Steps of this segment with timestep dt: round(duration / dt).
    std::int64_t steps(double dt) const { return std::llround(duration / dt); }
};

/// Multiply a rate per second by this to get it per time unit of `u`.
inline double per_second(const unit_system& u) {
    if (!u.reduced()) return u.seconds_per_time;
    throw invalid_argument("per_second: unit system '" + std::string(u.name) +
                           "' has no physical time unit; give rates per time unit");
}

class schedule {
public:
    schedule() = default;
    /// Start at temperature T0; with P0, all segments are NPT.
    explicit schedule(double t0, std::optional<double> p0 = std::nullopt) : t_(t0), p_(p0) {
        if (!(t0 > 0.0) || !std::isfinite(t0)) throw invalid_argument("schedule: start temperature must be > 0");
    }

    /// Ramp to T at `rate` (> 0, temperature per time unit).
    schedule& ramp_to(double t, double rate, std::string label = {}) {
        if (!(rate > 0.0) || !std::isfinite(rate)) throw invalid_argument("schedule::ramp_to: rate must be > 0");
        return ramp_over(t, std::abs(t - t_) / rate, std::move(label));
    }
    /// Ramp to T linearly over `duration`.
    schedule& ramp_over(double t, double duration, std::string label = {}) {
        if (!(t > 0.0) || !std::isfinite(t)) throw invalid_argument("schedule: temperatures must be > 0");
        check_duration(duration);
        push(duration, t, p_, std::move(label));
        return *this;
    }
    /// Hold the current temperature (and pressure) for `duration`.
    schedule& hold(double duration, std::string label = {}) {
        check_duration(duration);
        push(duration, t_, p_, std::move(label));
        return *this;
    }
    /// Ramp the pressure target to P over `duration` at the current temperature
    /// (segments become NPT).
    schedule& pressure_to(double p, double duration, std::string label = {}) {
        check_duration(duration);
        if (!std::isfinite(p)) throw invalid_argument("schedule::pressure_to: pressure must be finite");
        if (!p_) p_ = p;
        push(duration, t_, p, std::move(label));
        return *this;
    }

    const std::vector<segment>& segments() const noexcept { return segs_; }
    bool empty() const noexcept { return segs_.empty(); }
    double start_temperature() const noexcept { return segs_.empty() ? t_ : segs_.front().t_start; }
    double end_temperature() const noexcept { return t_; }
    double duration() const noexcept {
        double d = 0.0;
        for (const auto& s : segs_) d += s.duration;
        return d;
    }
    /// Target temperature at time t from the start (clamped to the ends).
    double temperature_at(double t) const {
        double t0 = 0.0;
        for (const auto& s : segs_) {
            if (t <= t0 + s.duration) {
                const double f = s.duration > 0.0 ? (t - t0) / s.duration : 1.0;
                return s.t_start + std::clamp(f, 0.0, 1.0) * (s.t_stop - s.t_start);
            }
            t0 += s.duration;
        }
        return t_;
    }

    /// Read the text format (see the header).
    static schedule parse(std::istream& in, const std::string& source, const unit_system& u) {
        schedule s;
        bool started = false;
        std::string line;
        std::size_t ln = 0;
        while (std::getline(in, line)) {
            ++ln;
            if (const auto h = line.find('#'); h != std::string::npos) line.erase(h);
            std::istringstream ls(line);
            std::vector<std::string> tok;
            for (std::string t; ls >> t;) tok.push_back(t);
            if (tok.empty()) continue;
            auto num = [&](std::size_t k, const std::string& field, bool* per_s = nullptr) {
                if (k >= tok.size()) throw parse_error(source, ln, field, "missing value");
                std::string t = tok[k];
                if (per_s) {
                    *per_s = t.size() > 2 && t.compare(t.size() - 2, 2, "/s") == 0;
                    if (*per_s) t.erase(t.size() - 2);
                }
                std::size_t used = 0;
                double v = 0;
                try {
                    v = std::stod(t, &used);
                } catch (const std::exception&) {
                    used = 0;
                }
                if (used != t.size() || !std::isfinite(v))
                    throw parse_error(source, ln, field, "'" + tok[k] + "' is not a number");
                return v;
            };
            auto expect = [&](std::size_t n) {
                if (tok.size() != n)
                    throw parse_error(source, ln, tok[0],
                                      "expected " + std::to_string(n - 1) + " arguments, got " + std::to_string(tok.size() - 1));
            };
            try {
                if (tok[0] == "temperature") {
                    expect(2);
                    if (started) throw parse_error(source, ln, "temperature", "the start temperature is given twice");
                    auto p = s.p_;
                    s = schedule(num(1, "temperature"), p);
                    started = true;
                    continue;
                }
                if (!started) throw parse_error(source, ln, tok[0], "the first command must be 'temperature T0'");
                if (tok[0] == "pressure") {
                    expect(2);
                    if (!s.segs_.empty()) throw parse_error(source, ln, "pressure", "start pressure after segments (use 'press')");
                    s.p_ = num(1, "pressure");
                } else if (tok[0] == "ramp") {
                    expect(4);
                    const double t = num(1, "ramp");
                    if (tok[2] == "rate") {
                        bool per_s = false;
                        double r = num(3, "rate", &per_s);
                        if (per_s) r *= per_second(u);
                        s.ramp_to(t, r);
                    } else if (tok[2] == "time") {
                        s.ramp_over(t, num(3, "time"));
                    } else {
                        throw parse_error(source, ln, "ramp", "expected 'rate' or 'time', got '" + tok[2] + "'");
                    }
                } else if (tok[0] == "hold") {
                    expect(2);
                    s.hold(num(1, "hold"));
                } else if (tok[0] == "press") {
                    expect(4);
                    if (tok[2] != "time") throw parse_error(source, ln, "press", "expected 'time'");
                    s.pressure_to(num(1, "press"), num(3, "time"));
                } else {
                    throw parse_error(source, ln, tok[0], "unknown command (temperature, pressure, ramp, hold, press)");
                }
            } catch (const parse_error&) {
                throw;
            } catch (const error& e) {
                throw parse_error(source, ln, tok[0], e.what());
            }
        }
        if (!started) throw parse_error(source, 0, "temperature", "no 'temperature T0' line");
        if (s.segs_.empty()) throw parse_error(source, 0, "", "the schedule has no segments");
        return s;
    }

private:
    static void check_duration(double d) {
        if (!(d >= 0.0) || !std::isfinite(d)) throw invalid_argument("schedule: durations must be >= 0");
    }
    void push(double duration, double t, std::optional<double> p, std::string label) {
        segment s;
        s.duration = duration;
        s.t_start = t_;
        s.t_stop = t;
        if (p_ || p) {
            s.ens = ensemble::npt;
            s.p_start = p_.value_or(*p);
            s.p_stop = p.value_or(*p_);
        }
        s.label = std::move(label);
        segs_.push_back(std::move(s));
        t_ = t;
        p_ = p;
    }

    double t_ = 0.0;
    std::optional<double> p_{};
    std::vector<segment> segs_;
};

/// Fan's Cu-Zr quench: 1e13 K/s to 1500 K, 1e12 K/s to 1000 K, the effective
/// rate (K/s) to 500 K, 1e13 K/s to 50 K; zero pressure (NPT) unless p is
/// empty (NVT).
inline schedule fan_quench(double t_melt, double effective_rate, const unit_system& u,
                           std::optional<double> p = 0.0) {
    const double k = per_second(u);
    schedule s(t_melt, p);
    if (t_melt > 1500.0) s.ramp_to(1500.0, 1e13 * k, "1e13 K/s to 1500 K");
    s.ramp_to(1000.0, 1e12 * k, "1e12 K/s to 1000 K");
    s.ramp_to(500.0, effective_rate * k, "effective rate to 500 K");
    s.ramp_to(50.0, 1e13 * k, "1e13 K/s to 50 K");
    return s;
}

}  // namespace amorph::protocol
