// amorph/dynamics/random.hpp — amorph's own seeded random number generator.
//
// Same seed, same numbers, on every platform and library: the standard
// <random> distributions are implementation-defined, so amorph uses its own.
//
//   generator   xoshiro256** (Blackman & Vigna 2018): 256-bit state s0..s3,
//               output rotl(s1 * 5, 7) * 9, then the xor-shift update
//                 t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
//                 s3 = rotl(s3, 45).
//   seeding     the 64-bit seed is expanded by splitmix64
//                 z = (x += 0x9e3779b97f4a7c15); z = (z ^ z>>30) * 0xbf58476d1ce4e5b9;
//                 z = (z ^ z>>27) * 0x94d049bb133111eb; out = z ^ z>>31.
//   uniform()   (next() >> 11) * 2^-53, in [0, 1).
//   gaussian()  Marsaglia's polar method: u, v uniform in (-1, 1), s = u^2 + v^2
//               in (0, 1), factor sqrt(-2 ln s / s); returns u * factor and
//               keeps v * factor for the next call.
//
// The complete state (four words plus the cached Gaussian) is saved and
// restored by save()/load(), so a resumed run draws the same numbers.
#pragma once

#include "amorph/dynamics/archive.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace amorph::dynamics {

class rng {
public:
    explicit rng(std::uint64_t seed = 0) { reseed(seed); }

    void reseed(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& w : s_) {
            x += 0x9e3779b97f4a7c15ull;
            std::uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            w = z ^ (z >> 31);
        }
        has_spare_ = false;
        spare_ = 0.0;
    }

    std::uint64_t next() noexcept {
        const std::uint64_t out = std::rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = std::rotl(s_[3], 45);
        return out;
    }

    /// Uniform in [0, 1).
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    /// Standard normal deviate.
    double gaussian() noexcept {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u, v, s;
        do {
            u = 2.0 * uniform() - 1.0;
            v = 2.0 * uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double f = std::sqrt(-2.0 * std::log(s) / s);
        spare_ = v * f;
        has_spare_ = true;
        return u * f;
    }

    void save(archive_writer& w) const {
        w.tag("rng");
        for (auto x : s_) w.put(x);
        w.put(has_spare_);
        w.put(spare_);
    }
    void load(archive_reader& r) {
        r.tag("rng");
        for (auto& x : s_) r.get(x);
        r.get(has_spare_);
        r.get(spare_);
    }

    friend bool operator==(const rng&, const rng&) = default;

private:
    std::array<std::uint64_t, 4> s_{};
    bool has_spare_ = false;
    double spare_ = 0.0;
};

}  // namespace amorph::dynamics
