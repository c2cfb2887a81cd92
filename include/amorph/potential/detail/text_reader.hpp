// amorph/potential/detail/text_reader.hpp — reads potential files the way
// LAMMPS's TextFileReader / PotentialFileReader does, so that every file
// LAMMPS accepts is read into the same numbers:
//   skip_line()          consume one raw line (header comments)
//   next_line(n)         next line with '#' comments stripped, blank lines
//                        skipped, further lines appended until it holds >= n
//                        words; returns its words
//   next_dvector(n)      read lines until n numbers were taken; numbers left
//                        over on the last line are dropped (as LAMMPS does)
// Numbers are parsed with std::from_chars (correctly rounded, like strtod).
// Errors throw parse_error naming the file, the line and the field.
#pragma once

#include "amorph/core/error.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace amorph::potential::detail {

inline std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> w;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '\f')) ++i;
        const std::size_t b = i;
        while (i < s.size() && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '\f')) ++i;
        if (i > b) w.emplace_back(s.substr(b, i - b));
    }
    return w;
}

/// Parse a whole word as a double (leading '+' allowed); nullopt-like via ok.
inline bool parse_double(std::string_view w, double& v) {
    if (!w.empty() && w.front() == '+') w.remove_prefix(1);
    if (w.empty()) return false;
    const auto res = std::from_chars(w.data(), w.data() + w.size(), v);
    return res.ec == std::errc() && res.ptr == w.data() + w.size();
}

inline bool parse_int(std::string_view w, long& v) {
    if (!w.empty() && w.front() == '+') w.remove_prefix(1);
    if (w.empty()) return false;
    const auto res = std::from_chars(w.data(), w.data() + w.size(), v);
    return res.ec == std::errc() && res.ptr == w.data() + w.size();
}

class text_reader {
public:
    text_reader(const std::string& path, std::string what) : path_(path), what_(std::move(what)) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw io_error("cannot open " + what_ + " file '" + path + "'");
        std::stringstream ss;
        ss << in.rdbuf();
        text_ = ss.str();
    }

    /// From text already in memory (`path` is used in messages only).
    static text_reader from_text(std::string text, std::string path, std::string what) {
        text_reader r;
        r.text_ = std::move(text);
        r.path_ = std::move(path);
        r.what_ = std::move(what);
        return r;
    }

    const std::string& path() const noexcept { return path_; }
    std::size_t line_number() const noexcept { return line_; }
    bool eof() const noexcept { return pos_ >= text_.size(); }

    void skip_line() {
        std::string s;
        if (!raw_line(s)) fail("", "missing line (file ends early)");
    }

    /// Words of the next non-blank line(s), comments stripped, until >= n words.
    /// Returns an empty vector at end of file when nothing was read.
    std::vector<std::string> next_line(std::size_t n = 0) {
        std::vector<std::string> words;
        std::string s;
        while (words.empty() || words.size() < n) {
            if (!raw_line(s)) {
                if (!words.empty())
                    fail("", "expected " + std::to_string(n) + " words, found " + std::to_string(words.size()) +
                                 " before the end of the file");
                return words;
            }
            const auto hash = s.find('#');
            if (hash != std::string::npos) s.resize(hash);
            for (auto& w : split_words(s)) words.push_back(std::move(w));
        }
        return words;
    }

    std::vector<std::string> next_values(std::size_t n, const std::string& field) {
        auto w = next_line(n);
        if (w.empty()) fail(field, "missing line (file ends early)");
        return w;
    }

    /// n numbers, as TextFileReader::next_dvector.
    std::vector<double> next_dvector(std::size_t n, const std::string& field) {
        std::vector<double> v;
        // a count read from the file is not trusted with an allocation: every
        // number takes at least two bytes of what is left
        v.reserve(std::min(n, (text_.size() - std::min(pos_, text_.size())) / 2 + 1));
        while (v.size() < n) {
            const auto words = next_line();
            if (words.empty())
                fail(field, "expected " + std::to_string(n) + " values, found " + std::to_string(v.size()) +
                                " before the end of the file");
            for (const auto& w : words) {
                if (v.size() >= n) break;
                v.push_back(to_double(w, field));
            }
        }
        return v;
    }

    double to_double(const std::string& w, const std::string& field) const {
        double v;
        if (!parse_double(w, v)) fail(field, "'" + w + "' is not a number");
        return v;
    }
    long to_int(const std::string& w, const std::string& field) const {
        long v;
        if (!parse_int(w, v)) fail(field, "'" + w + "' is not an integer");
        return v;
    }

    [[noreturn]] void fail(const std::string& field, const std::string& msg) const {
        throw parse_error(path_, line_, field, what_ + ": " + msg);
    }

private:
    text_reader() = default;

    bool raw_line(std::string& s) {
        if (pos_ >= text_.size()) return false;
        const auto nl = text_.find('\n', pos_);
        const auto end = nl == std::string::npos ? text_.size() : nl;
        s.assign(text_, pos_, end - pos_);
        pos_ = nl == std::string::npos ? text_.size() : nl + 1;
        ++line_;
        return true;
    }

    std::string text_;
    std::string path_;
    std::string what_;
    std::size_t pos_ = 0;
    std::size_t line_ = 0;
};

}  // namespace amorph::potential::detail
