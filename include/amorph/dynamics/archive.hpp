// amorph/dynamics/archive.hpp — a small binary archive for exact state snapshots.
//
// Checkpoints must restore a run bit for bit, so numbers are stored as their
// raw bytes (IEEE-754 doubles, little-endian 64-bit integers as the machine
// holds them; amorph only supports little-endian hosts for checkpoints and
// says so when the marker does not match). Every value is written with
// put(...) and read back in the same order with get<T>() / get(x).
//
// Layout of a sealed archive (seal()/open()):
//     "AMORPHCK" (8 bytes) | format version (u32) | payload length (u64)
//     | payload | FNV-1a 64 checksum of the payload (u64)
// so a truncated or corrupted file is detected and reported (io_error)
// instead of silently restoring garbage.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/vec.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace amorph::dynamics {

namespace detail {
inline std::uint64_t fnv1a64(std::string_view s) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}
inline constexpr char archive_magic[8] = {'A', 'M', 'O', 'R', 'P', 'H', 'C', 'K'};
inline constexpr std::uint32_t archive_version = 1;
}  // namespace detail

class archive_writer {
public:
    template <class T>
        requires std::is_arithmetic_v<T>
    void put(T v) {
        if constexpr (std::is_same_v<T, bool>) {
            const std::uint8_t b = v ? 1 : 0;
            raw(&b, 1);
        } else {
            raw(&v, sizeof v);
        }
    }
    void put(const std::string& s) {
        put(static_cast<std::uint64_t>(s.size()));
        raw(s.data(), s.size());
    }
    template <class T>
        requires std::is_arithmetic_v<T>
    void put(const std::vector<T>& v) {
        put(static_cast<std::uint64_t>(v.size()));
        if constexpr (std::is_same_v<T, bool>) {
            for (bool b : v) put(b);
        } else {
            raw(v.data(), v.size() * sizeof(T));
        }
    }
    template <class Scalar, int R, int C, int O, int MR, int MC>
    void put(const Eigen::Matrix<Scalar, R, C, O, MR, MC>& m) {
        put(static_cast<std::int64_t>(m.rows()));
        put(static_cast<std::int64_t>(m.cols()));
        raw(m.data(), static_cast<std::size_t>(m.size()) * sizeof(Scalar));
    }
    /// A tag string, checked on reading (catches a reader out of step).
    void tag(std::string_view t) { put(std::string(t)); }

    const std::string& payload() const noexcept { return buf_; }

    /// The payload wrapped with marker, version, length and checksum.
    std::string seal() const {
        std::string out(detail::archive_magic, sizeof detail::archive_magic);
        auto app = [&](const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); };
        const std::uint32_t ver = detail::archive_version;
        const std::uint64_t len = buf_.size();
        app(&ver, sizeof ver);
        app(&len, sizeof len);
        out += buf_;
        const std::uint64_t sum = detail::fnv1a64(buf_);
        app(&sum, sizeof sum);
        return out;
    }

private:
    void raw(const void* p, std::size_t n) { buf_.append(static_cast<const char*>(p), n); }
    std::string buf_;
};

class archive_reader {
public:
    /// Read a raw payload (no envelope).
    explicit archive_reader(std::string payload, std::string source = "<archive>")
        : buf_(std::move(payload)), src_(std::move(source)) {}

    /// Check and strip the envelope written by archive_writer::seal().
    static archive_reader open(const std::string& sealed, const std::string& source) {
        static_assert(std::endian::native == std::endian::little,
                      "amorph checkpoints are written for little-endian hosts");
        constexpr std::size_t head = sizeof detail::archive_magic + sizeof(std::uint32_t) + sizeof(std::uint64_t);
        if (sealed.size() < head + sizeof(std::uint64_t) ||
            std::memcmp(sealed.data(), detail::archive_magic, sizeof detail::archive_magic) != 0)
            throw io_error(source + ": not an amorph checkpoint (bad marker or too short)");
        std::uint32_t ver;
        std::uint64_t len;
        std::memcpy(&ver, sealed.data() + 8, sizeof ver);
        std::memcpy(&len, sealed.data() + 12, sizeof len);
        if (ver != detail::archive_version)
            throw io_error(source + ": checkpoint format version " + std::to_string(ver) + ", expected " +
                           std::to_string(detail::archive_version));
        if (len != sealed.size() - head - sizeof(std::uint64_t))
            throw io_error(source + ": checkpoint is truncated or has trailing bytes");
        std::string payload = sealed.substr(head, static_cast<std::size_t>(len));
        std::uint64_t sum;
        std::memcpy(&sum, sealed.data() + head + len, sizeof sum);
        if (sum != detail::fnv1a64(payload)) throw io_error(source + ": checkpoint checksum mismatch (corrupted)");
        return archive_reader(std::move(payload), source);
    }

    template <class T>
        requires std::is_arithmetic_v<T>
    void get(T& v) {
        if constexpr (std::is_same_v<T, bool>) {
            std::uint8_t b;
            raw(&b, 1);
            v = b != 0;
        } else {
            raw(&v, sizeof v);
        }
    }
    void get(std::string& s) {
        const auto n = count(1);
        s.assign(n, '\0');
        raw(s.data(), n);
    }
    template <class T>
        requires std::is_arithmetic_v<T>
    void get(std::vector<T>& v) {
        const auto n = count(std::is_same_v<T, bool> ? 1 : sizeof(T));
        v.resize(n);
        if constexpr (std::is_same_v<T, bool>) {
            for (std::size_t i = 0; i < n; ++i) {
                bool b;
                get(b);
                v[i] = b;
            }
        } else {
            raw(v.data(), n * sizeof(T));
        }
    }
    template <class Scalar, int R, int C, int O, int MR, int MC>
    void get(Eigen::Matrix<Scalar, R, C, O, MR, MC>& m) {
        std::int64_t r, c;
        get(r);
        get(c);
        if (r < 0 || c < 0 || (R != Eigen::Dynamic && r != R) || (C != Eigen::Dynamic && c != C))
            fail("matrix shape does not match");
        if (c != 0 && static_cast<std::uint64_t>(r) > (buf_.size() - pos_) / sizeof(Scalar) / static_cast<std::uint64_t>(c))
            fail("matrix larger than the archive");
        m.resize(r, c);
        raw(m.data(), static_cast<std::size_t>(m.size()) * sizeof(Scalar));
    }
    template <class T>
    T get() {
        T v{};
        get(v);
        return v;
    }
    void tag(std::string_view t) {
        std::string s;
        get(s);
        if (s != t) fail("expected section '" + std::string(t) + "', found '" + s + "'");
    }
    bool at_end() const noexcept { return pos_ == buf_.size(); }
    const std::string& source() const noexcept { return src_; }

private:
    [[noreturn]] void fail(const std::string& m) const { throw io_error(src_ + ": checkpoint: " + m); }
    std::size_t count(std::size_t elem) {
        std::uint64_t n;
        get(n);
        if (n > (buf_.size() - pos_) / elem) fail("length field larger than the archive");
        return static_cast<std::size_t>(n);
    }
    void raw(void* p, std::size_t n) {
        if (n > buf_.size() - pos_) fail("unexpected end of data");
        if (n == 0) return;  // p may be null (an empty vector's data()): memcpy forbids that
        std::memcpy(p, buf_.data() + pos_, n);
        pos_ += n;
    }
    std::string buf_;
    std::string src_;
    std::size_t pos_ = 0;
};

}  // namespace amorph::dynamics
