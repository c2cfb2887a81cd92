// amorph/learn/json.hpp — a minimal JSON value, reader and writer for model files.
//
// Supports the JSON grammar of RFC 8259 (objects, arrays, strings with the
// standard escapes incl. \uXXXX (BMP + surrogate pairs, written out as UTF-8),
// numbers, true/false/null). Numbers are doubles, read with std::from_chars and
// written with std::to_chars (shortest form that reads back to the same
// double), so a model file round-trips bit for bit and does not depend on the
// C locale. Object members keep their order; duplicate keys are rejected.
// Non-finite numbers are written as null (JSON has no NaN/inf).
// Malformed input throws amorph::parse_error(source, line, field, message).
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

namespace amorph::learn::json {

class value;
using array = std::vector<value>;
using object = std::vector<std::pair<std::string, value>>;

class value {
public:
    value() : v_(nullptr) {}
    value(std::nullptr_t) : v_(nullptr) {}
    value(bool b) : v_(b) {}
    value(double d) : v_(d) {}
    value(int i) : v_(static_cast<double>(i)) {}
    value(std::size_t i) : v_(static_cast<double>(i)) {}
    value(const char* s) : v_(std::string(s)) {}
    value(std::string s) : v_(std::move(s)) {}
    value(array a) : v_(std::make_shared<array>(std::move(a))) {}
    value(object o) : v_(std::make_shared<object>(std::move(o))) {}

    bool is_null() const { return std::holds_alternative<std::nullptr_t>(v_); }
    bool is_bool() const { return std::holds_alternative<bool>(v_); }
    bool is_number() const { return std::holds_alternative<double>(v_); }
    bool is_string() const { return std::holds_alternative<std::string>(v_); }
    bool is_array() const { return std::holds_alternative<std::shared_ptr<array>>(v_); }
    bool is_object() const { return std::holds_alternative<std::shared_ptr<object>>(v_); }

    bool as_bool(const std::string& what = "value") const {
        if (!is_bool()) throw invalid_argument("json: " + what + " is not a boolean");
        return std::get<bool>(v_);
    }
    double as_number(const std::string& what = "value") const {
        if (!is_number()) throw invalid_argument("json: " + what + " is not a number");
        return std::get<double>(v_);
    }
    const std::string& as_string(const std::string& what = "value") const {
        if (!is_string()) throw invalid_argument("json: " + what + " is not a string");
        return std::get<std::string>(v_);
    }
    const array& as_array(const std::string& what = "value") const {
        if (!is_array()) throw invalid_argument("json: " + what + " is not an array");
        return *std::get<std::shared_ptr<array>>(v_);
    }
    const object& as_object(const std::string& what = "value") const {
        if (!is_object()) throw invalid_argument("json: " + what + " is not an object");
        return *std::get<std::shared_ptr<object>>(v_);
    }

    /// Member `key` of an object, or nullptr.
    const value* find(std::string_view key) const {
        for (const auto& [k, v] : as_object())
            if (k == key) return &v;
        return nullptr;
    }
    /// Member `key` of an object; throws invalid_argument when missing.
    const value& at(std::string_view key) const {
        const value* v = find(key);
        if (!v) throw invalid_argument("json: missing member \"" + std::string(key) + "\"");
        return *v;
    }

private:
    std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<array>, std::shared_ptr<object>> v_;
};

/// An array of numbers.
template <class Range>
value number_array(const Range& r) {
    array a;
    for (const auto& x : r) a.emplace_back(static_cast<double>(x));
    return value(std::move(a));
}

/// Numbers of an array (null reads as NaN).
inline std::vector<double> to_numbers(const value& v, const std::string& what) {
    std::vector<double> out;
    for (const auto& e : v.as_array(what)) out.push_back(e.is_null() ? std::nan("") : e.as_number(what));
    return out;
}

/// Serialize; indent < 0: one line.
AMORPH_FUNC std::string dump(const value& v, int indent = 2);

/// Parse a JSON document; `source` names it in error messages.
AMORPH_FUNC value parse(std::string_view text, const std::string& source = "<json>");

// Definitions: here when header-only, in amorph::compiled otherwise (core/compiled.hpp).
#if AMORPH_DEFINITIONS
namespace detail {

inline void write_string(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    const char* hex = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

inline void write_number(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, r.ptr);
}

inline void write(std::string& out, const value& v, int indent, int level) {
    auto newline = [&](int l) {
        if (indent < 0) return;
        out += '\n';
        out.append(static_cast<std::size_t>(indent * l), ' ');
    };
    if (v.is_null()) out += "null";
    else if (v.is_bool()) out += v.as_bool() ? "true" : "false";
    else if (v.is_number()) write_number(out, v.as_number());
    else if (v.is_string()) write_string(out, v.as_string());
    else if (v.is_array()) {
        const auto& a = v.as_array();
        // arrays of numbers stay on one line
        bool flat = true;
        for (const auto& e : a) flat = flat && (e.is_number() || e.is_null());
        out += '[';
        for (std::size_t k = 0; k < a.size(); ++k) {
            if (k) out += ',';
            if (flat) {
                if (k && indent >= 0) out += ' ';
            } else {
                newline(level + 1);
            }
            write(out, a[k], indent, level + 1);
        }
        if (!flat && !a.empty()) newline(level);
        out += ']';
    } else {
        const auto& o = v.as_object();
        out += '{';
        for (std::size_t k = 0; k < o.size(); ++k) {
            if (k) out += ',';
            newline(level + 1);
            write_string(out, o[k].first);
            out += indent < 0 ? ":" : ": ";
            write(out, o[k].second, indent, level + 1);
        }
        if (!o.empty()) newline(level);
        out += '}';
    }
}

class reader {
public:
    reader(std::string_view text, std::string source) : s_(text), src_(std::move(source)) {}

    value document() {
        value v = parse_value(0);
        skip_ws();
        if (p_ != s_.size()) fail("", "unexpected text after the JSON value");
        return v;
    }

private:
    static std::size_t line_of(std::string_view s, std::size_t p) {
        std::size_t line = 1;
        for (std::size_t k = 0; k < p && k < s.size(); ++k)
            if (s[k] == '\n') ++line;
        return line;
    }

    [[noreturn]] void fail(const std::string& field, const std::string& msg) const {
        throw parse_error(src_, line_of(s_, p_), field, msg);
    }

    void skip_ws() {
        while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r')) ++p_;
    }

    bool literal(std::string_view w) {
        if (s_.substr(p_, w.size()) == w) {
            p_ += w.size();
            return true;
        }
        return false;
    }

    value parse_value(int depth) {
        if (depth > 256) fail("", "nesting deeper than 256 levels");
        skip_ws();
        if (p_ >= s_.size()) fail("", "unexpected end of input, expected a value");
        const char c = s_[p_];
        if (c == '{') return parse_object(depth);
        if (c == '[') return parse_array(depth);
        if (c == '"') return value(parse_string());
        if (literal("true")) return value(true);
        if (literal("false")) return value(false);
        if (literal("null")) return value(nullptr);
        return value(parse_number());
    }

    value parse_object(int depth) {
        ++p_;
        object o;
        skip_ws();
        if (p_ < s_.size() && s_[p_] == '}') {
            ++p_;
            return value(std::move(o));
        }
        for (;;) {
            skip_ws();
            if (p_ >= s_.size() || s_[p_] != '"') fail("", "expected a member name in double quotes");
            std::string key = parse_string();
            for (const auto& m : o)
                if (m.first == key) fail(key, "duplicate member name");
            skip_ws();
            if (p_ >= s_.size() || s_[p_] != ':') fail(key, "expected ':' after the member name");
            ++p_;
            value v = parse_value(depth + 1);
            o.emplace_back(std::move(key), std::move(v));
            skip_ws();
            if (p_ < s_.size() && s_[p_] == ',') {
                ++p_;
                continue;
            }
            if (p_ < s_.size() && s_[p_] == '}') {
                ++p_;
                return value(std::move(o));
            }
            fail("", "expected ',' or '}' in an object");
        }
    }

    value parse_array(int depth) {
        ++p_;
        array a;
        skip_ws();
        if (p_ < s_.size() && s_[p_] == ']') {
            ++p_;
            return value(std::move(a));
        }
        for (;;) {
            a.push_back(parse_value(depth + 1));
            skip_ws();
            if (p_ < s_.size() && s_[p_] == ',') {
                ++p_;
                continue;
            }
            if (p_ < s_.size() && s_[p_] == ']') {
                ++p_;
                return value(std::move(a));
            }
            fail("", "expected ',' or ']' in an array");
        }
    }

    unsigned hex4() {
        if (p_ + 4 > s_.size()) fail("", "truncated \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[p_++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
            else fail("", "invalid hex digit in \\u escape");
        }
        return v;
    }

    static void utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) out += static_cast<char>(cp);
        else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string parse_string() {
        ++p_;  // opening quote
        std::string out;
        for (;;) {
            if (p_ >= s_.size()) fail("", "unterminated string");
            const char c = s_[p_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("", "control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (p_ >= s_.size()) fail("", "unterminated escape");
            const char e = s_[p_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00) {
                        if (!(p_ + 1 < s_.size() && s_[p_] == '\\' && s_[p_ + 1] == 'u'))
                            fail("", "unpaired surrogate in \\u escape");
                        p_ += 2;
                        const unsigned lo = hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) fail("", "invalid low surrogate in \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp < 0xE000) {
                        fail("", "unpaired surrogate in \\u escape");
                    }
                    utf8(out, cp);
                    break;
                }
                default: fail("", std::string("invalid escape \\") + e);
            }
        }
    }

    double parse_number() {
        // validate the JSON number grammar, then convert with from_chars
        const std::size_t start = p_;
        auto digit = [&] { return p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9'; };
        if (p_ < s_.size() && s_[p_] == '-') ++p_;
        if (!digit()) fail("", "invalid value (expected a number, string, array, object, true, false or null)");
        if (s_[p_] == '0') ++p_;
        else
            while (digit()) ++p_;
        if (p_ < s_.size() && s_[p_] == '.') {
            ++p_;
            if (!digit()) fail("", "invalid number: digits expected after '.'");
            while (digit()) ++p_;
        }
        if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
            ++p_;
            if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
            if (!digit()) fail("", "invalid number: digits expected in the exponent");
            while (digit()) ++p_;
        }
        double d = 0;
        const auto r = std::from_chars(s_.data() + start, s_.data() + p_, d);
        if (r.ec == std::errc::result_out_of_range) fail("", "number out of the range of a double");
        if (r.ec != std::errc() || r.ptr != s_.data() + p_) fail("", "invalid number");
        return d;
    }

    std::string_view s_;
    std::string src_;
    std::size_t p_ = 0;
};

}  // namespace detail

AMORPH_FUNC std::string dump(const value& v, int indent) {
    std::string out;
    detail::write(out, v, indent, 0);
    return out;
}

AMORPH_FUNC value parse(std::string_view text, const std::string& source) {
    return detail::reader(text, source).document();
}
#endif  // AMORPH_DEFINITIONS

}  // namespace amorph::learn::json
