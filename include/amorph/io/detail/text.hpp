// amorph/io/detail/text.hpp — text scanning shared by every amorph reader.
//
//   line_reader   reads a stream line by line, counts lines (1-based), strips
//                 a trailing '\r', can push one line back, and throws
//                 parse_error(source, line, field, message) through fail().
//   tokenize      splits a line at blanks (space, tab, \r, \v, \f).
//   split_comment splits "data # comment" at the first '#'.
//   to_double / to_finite / to_int
//                 number parsing with std::from_chars: the whole token must be
//                 consumed ("1.5x" is an error), a leading '+' is accepted,
//                 to_finite also rejects nan/inf, to_int rejects overflow.
//   show          a token made safe for a message (truncated to 40 chars).
//   put / put_int append a number to an output buffer: doubles in the
//                 shortest form that reads back to the same bits
//                 (std::to_chars), so every write -> read round trip is exact.
#pragma once

#include "amorph/core/error.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace amorph::io::detail {

inline bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}

inline std::string_view trim(std::string_view s) noexcept {
    std::size_t b = 0, e = s.size();
    while (b < e && is_blank(s[b])) ++b;
    while (e > b && is_blank(s[e - 1])) --e;
    return s.substr(b, e - b);
}

/// Split at blanks; `out` is cleared and refilled (views into `s`).
inline void tokenize(std::string_view s, std::vector<std::string_view>& out) {
    out.clear();
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        while (i < n && is_blank(s[i])) ++i;
        if (i == n) break;
        const std::size_t b = i;
        while (i < n && !is_blank(s[i])) ++i;
        out.push_back(s.substr(b, i - b));
    }
}

inline std::vector<std::string_view> tokenize(std::string_view s) {
    std::vector<std::string_view> out;
    tokenize(s, out);
    return out;
}

/// {text before the first '#', text after it (empty when there is no '#')}.
inline std::pair<std::string_view, std::string_view> split_comment(std::string_view s) noexcept {
    const auto p = s.find('#');
    if (p == std::string_view::npos) return {s, {}};
    return {s.substr(0, p), s.substr(p + 1)};
}

/// A token made safe for an error message.
inline std::string show(std::string_view s) {
    std::string out = "'";
    const std::size_t n = s.size() > 40 ? 40 : s.size();
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        out += (c >= 32 && c < 127) ? static_cast<char>(c) : '?';
    }
    if (s.size() > n) out += "...";
    return out + "'";
}

/// Parse a whole token as a double (nan/inf included); nullopt if it is not one.
inline std::optional<double> parse_double(std::string_view t) noexcept {
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    if (t.empty() || t.front() == '+') return std::nullopt;
    double v = 0;
    const char* b = t.data();
    const char* e = b + t.size();
    const auto r = std::from_chars(b, e, v, std::chars_format::general);
    if (r.ec == std::errc::result_out_of_range) {
        // Overflow/underflow of a syntactically valid number: +-inf or 0 as strtod does.
        return std::nullopt;
    }
    if (r.ec != std::errc() || r.ptr != e) return std::nullopt;
    return v;
}

/// Parse a whole token as an integer of type I; nullopt if it is not one or overflows.
template <class I>
std::optional<I> parse_int(std::string_view t) noexcept {
    static_assert(std::is_integral_v<I>);
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    if (t.empty() || t.front() == '+') return std::nullopt;
    I v{};
    const char* b = t.data();
    const char* e = b + t.size();
    const auto r = std::from_chars(b, e, v, 10);
    if (r.ec != std::errc() || r.ptr != e) return std::nullopt;
    return v;
}

/// Reads lines, counts them, and reports errors with file and line.
class line_reader {
public:
    line_reader(std::istream& in, std::string source) : in_(&in), source_(std::move(source)) {}

    /// Read the next line into text(); false at end of input.
    bool next() {
        if (pushed_back_) {
            pushed_back_ = false;
            ++line_;
            return true;
        }
        if (!std::getline(*in_, text_)) {
            text_.clear();
            at_end_ = true;
            return false;
        }
        if (!text_.empty() && text_.back() == '\r') text_.pop_back();
        ++line_;
        return true;
    }

    /// Read the next line that is not blank after removing a '#' comment.
    bool next_content() {
        while (next())
            if (!trim(split_comment(text_).first).empty()) return true;
        return false;
    }

    /// Make the next call to next() return the current line again.
    void push_back() {
        pushed_back_ = true;
        --line_;
    }

    /// Stream position of the next line to read (-1 if the stream cannot tell).
    std::streampos tell() const {
        if (pushed_back_) return std::streampos(-1);
        return in_->tellg();
    }
    /// Continue reading at `pos`, which was the start of line `line_number` + 1.
    void seek(std::streampos pos, std::size_t line_number) {
        in_->clear();
        in_->seekg(pos);
        if (!*in_) throw io_error(source_ + ": cannot seek");
        pushed_back_ = false;
        at_end_ = false;
        line_ = line_number;
    }

    /// True when no line is left to read (tell() is -1 then, even on a seekable stream).
    bool exhausted() const { return !pushed_back_ && (at_end_ || in_->eof()); }

    const std::string& text() const noexcept { return text_; }
    /// 1-based number of the current line (0 before the first).
    std::size_t line() const noexcept { return line_; }
    const std::string& source() const noexcept { return source_; }
    bool at_end() const noexcept { return at_end_; }

    [[noreturn]] void fail(std::string field, const std::string& message) const {
        throw parse_error(source_, line_, std::move(field), message);
    }
    /// An error about the line after the current one (the one that is missing).
    [[noreturn]] void fail_eof(std::string field, const std::string& message) const {
        throw parse_error(source_, line_ + 1, std::move(field), "unexpected end of file: " + message);
    }

    double to_double(std::string_view tok, const std::string& field) const {
        if (auto v = parse_double(tok)) return *v;
        fail(field, "expected a number, got " + show(tok));
    }
    /// A number that must be finite (coordinates, box bounds, velocities...).
    double to_finite(std::string_view tok, const std::string& field) const {
        const double v = to_double(tok, field);
        if (!std::isfinite(v)) fail(field, "value must be finite, got " + show(tok));
        return v;
    }
    template <class I = std::int64_t>
    I to_int(std::string_view tok, const std::string& field) const {
        if (auto v = parse_int<I>(tok)) return *v;
        if (parse_double(tok)) fail(field, "expected an integer in range, got " + show(tok));
        fail(field, "expected an integer, got " + show(tok));
    }
    /// A count: an integer >= 0.
    std::int64_t to_count(std::string_view tok, const std::string& field) const {
        const auto v = to_int<std::int64_t>(tok, field);
        if (v < 0) fail(field, "count must be >= 0, got " + show(tok));
        return v;
    }

private:
    std::istream* in_;
    std::string source_;
    std::string text_;
    std::size_t line_ = 0;
    bool pushed_back_ = false;
    bool at_end_ = false;
};

/// A reserve size that is never larger than `cap` whatever a header claims.
inline std::size_t bounded_reserve(std::int64_t claimed, std::size_t cap = std::size_t{1} << 16) {
    if (claimed <= 0) return 0;
    return static_cast<std::uint64_t>(claimed) < cap ? static_cast<std::size_t>(claimed) : cap;
}

/// Append the shortest decimal form of v that parses back to exactly v.
inline void put(std::string& out, double v) {
    char buf[32];
    if (v == 0.0) v = 0.0;  // print -0 as 0
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

template <class I>
    requires std::is_integral_v<I>
void put_int(std::string& out, I v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

}  // namespace amorph::io::detail
