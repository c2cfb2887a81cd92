// amorph/dynamics/observer.hpp — observers that runs call, never hard-wired.
//
// An observer is any object with
//     void observe(const observation<D>& o)
// and optionally
//     bool wants_virial(std::int64_t step) const   (true when it will read the
//         pressure at that step; the run then asks the force provider for the
//         virial on that step only, as LAMMPS computes it on thermo steps)
//     void finish(const observation<D>& o)          (called once after the run)
// observation<D> gives the system, the last force result, the step, the time,
// the thermo degrees of freedom, the integrator's reservoir energy, and
// `save(archive_writer&)`, which writes everything needed to resume the run
// (used by protocol/checkpoint.hpp).
//
// Provided here:
//   thermo_log     every N steps one thermo_sample (step time temp pe ke etotal
//                  press pxx.. vol econserve) appended to a vector and/or
//                  written as a table or CSV to a stream
//   trajectory     every N steps a frame through an amorph::io writer
//                  (LAMMPS dump or extxyz), appended to one file
//   progress       every N steps a callback(step, begin, end)
//   callback_observer  wraps any callable(observation)
#pragma once

#include "amorph/core/system.hpp"
#include "amorph/dynamics/archive.hpp"
#include "amorph/dynamics/kinetic.hpp"
#include "amorph/potential/result.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace amorph::dynamics {

template <int D>
struct observation {
    const amorph::system<D>& sys;
    const potential::result<D>& forces;
    std::int64_t step;
    std::int64_t begin;   ///< first step of the run
    std::int64_t end;     ///< last step of the run
    double time;          ///< simulation time at this step
    double dof;           ///< thermo degrees of freedom
    double reservoir;     ///< integrator reservoir energy (0 for NVE)
    bool has_virial;      ///< forces.virial is valid at this step
    std::function<void(archive_writer&)> save;  ///< writes the resumable run state

    thermo_sample<D> thermo() const { return sample_thermo(sys, forces, dof, step, time, reservoir); }
};

template <class O, int D>
concept observer_of = requires(O& o, const observation<D>& ob) { o.observe(ob); };

namespace detail {
template <class O>
bool wants_virial(const O& o, std::int64_t step) {
    if constexpr (requires { o.wants_virial(step); }) return o.wants_virial(step);
    else return false;
}
template <class O, class Ob>
void finish(O& o, const Ob& ob) {
    if constexpr (requires { o.finish(ob); }) o.finish(ob);
}
inline bool due(std::int64_t step, std::int64_t every) { return every > 0 && step % every == 0; }
}  // namespace detail

enum class table_format { none, text, csv };

/// Thermo output every `every` steps (and always at the first and last step of
/// a run, as LAMMPS does).
template <int D>
class thermo_log {
public:
    explicit thermo_log(std::int64_t every, std::ostream* out = nullptr, table_format fmt = table_format::text)
        : every_(every), out_(out), fmt_(out ? fmt : table_format::none) {}

    bool wants_virial(std::int64_t step) const { return detail::due(step, every_) || step == begin_ || step == end_; }

    void observe(const observation<D>& o) {
        begin_ = o.begin;
        end_ = o.end;
        if (!(detail::due(o.step, every_) || o.step == o.begin || o.step == o.end)) return;
        if (!samples_.empty() && samples_.back().step == o.step) return;
        const auto s = o.thermo();
        samples_.push_back(s);
        write(s);
    }

    const std::vector<thermo_sample<D>>& samples() const noexcept { return samples_; }
    void clear() { samples_.clear(); }

    /// Column names (LAMMPS thermo keywords).
    static std::vector<std::string> columns() {
        if constexpr (D == 2)
            return {"step", "time", "temp", "pe", "ke", "etotal", "press", "pxx", "pyy", "pxy", "vol", "econserve"};
        else
            return {"step", "time", "temp", "pe", "ke", "etotal", "press", "pxx", "pyy", "pzz",
                    "pxy", "pxz", "pyz", "vol", "econserve"};
    }

    static std::vector<double> values(const thermo_sample<D>& s) {
        std::vector<double> v{static_cast<double>(s.step), s.time, s.temperature, s.potential, s.kinetic, s.total,
                              s.pressure, s.pressure_tensor(0, 0), s.pressure_tensor(1, 1)};
        if constexpr (D == 3) v.push_back(s.pressure_tensor(2, 2));
        v.push_back(s.pressure_tensor(0, 1));
        if constexpr (D == 3) {
            v.push_back(s.pressure_tensor(0, 2));
            v.push_back(s.pressure_tensor(1, 2));
        }
        v.push_back(s.volume);
        v.push_back(s.conserved);
        return v;
    }

private:
    void write(const thermo_sample<D>& s) {
        if (fmt_ == table_format::none) return;
        const auto cols = columns();
        const char* sep = fmt_ == table_format::csv ? "," : " ";
        if (!header_done_) {
            for (std::size_t k = 0; k < cols.size(); ++k) *out_ << (k ? sep : "") << cols[k];
            *out_ << '\n';
            header_done_ = true;
        }
        const auto v = values(s);
        char buf[64];
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (k == 0) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(s.step));
            else std::snprintf(buf, sizeof buf, fmt_ == table_format::csv ? "%.17g" : "%.10g", v[k]);
            *out_ << (k ? sep : "") << buf;
        }
        *out_ << '\n';
    }

    std::int64_t every_;
    std::ostream* out_;
    table_format fmt_;
    bool header_done_ = false;
    std::int64_t begin_ = -1, end_ = -1;
    std::vector<thermo_sample<D>> samples_;
};

/// A frame every `every` steps through `writer(path, sys, step, append)`, e.g.
///     [](auto& p, auto& s, auto step, bool app) {
///         io::write_dump(p, s, {.timestep = step, .append = app}); }
template <int D>
class trajectory {
public:
    using writer_fn =
        std::function<void(const std::filesystem::path&, const amorph::system<D>&, std::int64_t, bool)>;
    trajectory(std::filesystem::path path, std::int64_t every, writer_fn writer, bool append = false)
        : path_(std::move(path)), every_(every), writer_(std::move(writer)), append_(append) {}

    void observe(const observation<D>& o) {
        if (!detail::due(o.step, every_) || o.step == last_) return;
        writer_(path_, o.sys, o.step, append_);
        append_ = true;
        last_ = o.step;
        ++frames_;
    }
    std::size_t frames() const noexcept { return frames_; }

private:
    std::filesystem::path path_;
    std::int64_t every_;
    writer_fn writer_;
    bool append_;
    std::int64_t last_ = -1;
    std::size_t frames_ = 0;
};

/// callback(step, begin, end) every `every` steps and at the end of the run.
template <int D>
class progress {
public:
    using fn = std::function<void(std::int64_t, std::int64_t, std::int64_t)>;
    progress(std::int64_t every, fn f) : every_(every), f_(std::move(f)) {}
    void observe(const observation<D>& o) {
        if (detail::due(o.step, every_) || o.step == o.end) f_(o.step, o.begin, o.end);
    }

private:
    std::int64_t every_;
    fn f_;
};

/// Any callable(const observation<D>&) as an observer (called every step).
template <int D, class F>
struct callback_observer {
    F f;
    void observe(const observation<D>& o) { f(o); }
};
template <int D, class F>
callback_observer<D, F> on_step(F f) {
    return {std::move(f)};
}

}  // namespace amorph::dynamics
