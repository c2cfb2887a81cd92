// apps/amorph/potential_spec.cpp — see potential_spec.hpp.
#include "potential_spec.hpp"

#include <amorph/core/error.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace amorph::cli {

namespace {

[[noreturn]] void fail(const potential_line& at, const std::string& field, const std::string& msg) {
    if (at.line > 0) throw parse_error(at.source, at.line, field, msg);
    throw invalid_argument(at.source + (field.empty() ? "" : " (" + field + ")") + ": " + msg);
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool positive_int(std::string_view s) {
    return all_digits(s) && s.find_first_not_of('0') != std::string_view::npos && s.size() < 10;
}

// LAMMPS type ranges: N, *, N*, *M, N*M.
bool valid_type_range(std::string_view s) {
    const auto star = s.find('*');
    if (star == std::string_view::npos) return positive_int(s);
    if (s.find('*', star + 1) != std::string_view::npos) return false;
    const auto lo = s.substr(0, star), hi = s.substr(star + 1);
    return (lo.empty() || positive_int(lo)) && (hi.empty() || positive_int(hi));
}

// The builder that both the file parser and the option resolver feed.
struct builder {
    potential_spec spec;
    bool kspace_seen = false;

    void command(const std::string& name, std::vector<std::string> args, const potential_line& at) {
        potential_line line{std::move(args), at.source, at.line};
        if (name == "pair_style") {
            if (!spec.style.empty())
                fail(line, name, "pair_style given twice (first at " + where(spec.style_line) + ")");
            if (line.args.empty()) fail(line, name, "needs a style name, e.g. 'pair_style lj/cut 2.5'");
            spec.style = line.args.front();
            spec.style_args.assign(line.args.begin() + 1, line.args.end());
            spec.style_line = line;
        } else if (name == "pair_coeff") {
            if (spec.style.empty()) fail(line, name, "pair_coeff before pair_style");
            if (line.args.size() < 2)
                fail(line, name, "needs two atom types, e.g. 'pair_coeff 1 2 1.0 1.0'");
            for (int k = 0; k < 2; ++k)
                if (!valid_type_range(line.args[static_cast<std::size_t>(k)]))
                    fail(line, k == 0 ? "pair_coeff I" : "pair_coeff J",
                         "'" + line.args[static_cast<std::size_t>(k)] +
                             "' is not an atom type or type range (N, *, N*, *M, N*M)");
            spec.coeffs.push_back(std::move(line));
        } else if (name == "pair_modify") {
            if (spec.style.empty()) fail(line, name, "pair_modify before pair_style");
            if (line.args.size() < 2)
                fail(line, name, "needs keyword/value pairs, e.g. 'pair_modify shift yes'");
            spec.modify.push_back(std::move(line));
        } else if (name == "kspace_style") {
            if (kspace_seen) fail(line, name, "kspace_style given twice");
            if (line.args.empty()) fail(line, name, "needs a style, e.g. 'kspace_style pppm 1.0e-5'");
            kspace_seen = true;
            spec.kspace_style = line.args.front();
            spec.kspace_args.assign(line.args.begin() + 1, line.args.end());
        } else if (name == "kspace_modify") {
            if (!kspace_seen) fail(line, name, "kspace_modify before kspace_style");
            if (line.args.size() < 2) fail(line, name, "needs keyword/value pairs");
            spec.kspace_modify.push_back(std::move(line));
        } else {
            fail(line, name,
                 "unknown command (a potential file holds pair_style, pair_coeff, pair_modify, "
                 "kspace_style and kspace_modify lines)");
        }
    }

    static std::string where(const potential_line& at) {
        return at.line > 0 ? at.source + ":" + std::to_string(at.line) : at.source;
    }
};

void parse_into(builder& b, std::string_view text, const std::string& source) {
    // Lines; a final newline does not start another line.
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto end = std::min(text.find('\n', pos), text.size());
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    std::string pending;
    std::size_t start_line = 0;
    for (std::size_t k = 0; k < lines.size(); ++k) {
        std::string line(lines[k]);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (pending.empty()) start_line = k + 1;
        // LAMMPS: a trailing '&' continues the command on the next line.
        const auto last = line.find_last_not_of(" \t");
        if (last != std::string::npos && line[last] == '&') {
            if (k + 1 == lines.size())
                throw parse_error(source, k + 1, "", "file ends inside a '&' continued line");
            pending += line.substr(0, last) + " ";
            continue;
        }
        pending += line;
        auto words = split_lammps_words(pending, source, start_line);
        pending.clear();
        if (words.empty()) continue;
        const std::string name = words.front();
        words.erase(words.begin());
        b.command(name, std::move(words), potential_line{{}, source, start_line});
    }
}

}  // namespace

std::vector<std::string> split_lammps_words(std::string_view line, const std::string& source,
                                            std::size_t line_no) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '#') break;
        if (c == '"' || c == '\'') {
            const auto close = line.find(c, i + 1);
            if (close == std::string_view::npos) {
                const std::string msg = std::string("unterminated ") + c + " quote";
                if (line_no > 0) throw parse_error(source, line_no, "", msg);
                throw invalid_argument(source.empty() ? msg : source + ": " + msg);
            }
            word.append(line.substr(i + 1, close - i - 1));
            in_word = true;
            i = close;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
        } else {
            word.push_back(c);
            in_word = true;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

potential_spec parse_potential_text(std::string_view text, const std::string& source) {
    builder b;
    parse_into(b, text, source);
    if (b.spec.style.empty()) {
        if (!b.spec.coeffs.empty() || b.kspace_seen)
            throw parse_error(source, 0, "pair_style", "no pair_style line");
        throw parse_error(source, 0, "pair_style", "no pair_style line (the file holds no commands)");
    }
    return b.spec;
}

potential_spec parse_potential_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error("cannot open potential file '" + path + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw io_error("cannot read potential file '" + path + "'");
    return parse_potential_text(ss.str(), path);
}

// The named models are the library's (potential/presets.hpp): one definition
// for the library, the CLI, the sample generator and the examples.
const std::vector<potential_preset>& presets() { return potential::presets::models(); }

potential_spec preset_potential(std::string_view name) {
    const potential_preset* p = nullptr;
    try {
        p = &potential::presets::find_model(name);
    } catch (const invalid_argument& e) {
        throw invalid_argument(std::string("--preset: ") + e.what());
    }
    auto spec = parse_potential_text(p->lammps, "preset " + std::string(name));
    spec.preset = std::string(name);
    spec.units = std::string(p->units);
    return spec;
}

potential_spec resolve_potential(const potential_options& o) {
    const int sources = !o.pair_style.empty() + !o.file.empty() + !o.preset.empty();
    if (sources > 1)
        throw invalid_argument("give only one of --pair-style, --potential and --preset");
    if (sources == 0) {
        if (o.given())
            throw invalid_argument(
                "--pair-coeff, --pair-modify and --kspace need --pair-style, --potential or --preset");
        return {};
    }
    builder b;
    if (!o.file.empty()) {
        b.spec = parse_potential_file(o.file);
        b.kspace_seen = !b.spec.kspace_style.empty();
    } else if (!o.preset.empty()) {
        b.spec = preset_potential(o.preset);
        b.kspace_seen = !b.spec.kspace_style.empty();
    } else {
        b.command("pair_style", o.pair_style, {{}, "--pair-style", 0});
    }
    for (const auto& c : o.pair_coeff) b.command("pair_coeff", c, {{}, "--pair-coeff", 0});
    for (const auto& m : o.pair_modify) b.command("pair_modify", m, {{}, "--pair-modify", 0});
    if (!o.kspace.empty()) {
        // --kspace replaces a file's or preset's kspace_style (e.g. a different accuracy).
        b.kspace_seen = false;
        b.spec.kspace_modify.clear();
        b.command("kspace_style", o.kspace, {{}, "--kspace", 0});
    }
    return b.spec;
}

namespace {
std::string join_words(const std::vector<std::string>& w) {
    std::string s;
    for (const auto& x : w) {
        s += ' ';
        const bool quote = x.empty() || x.find_first_of(" \t#'\"") != std::string::npos;
        s += quote ? (x.find('"') == std::string::npos ? "\"" + x + "\"" : "'" + x + "'") : x;
    }
    return s;
}
}  // namespace

std::string potential_spec::to_lammps() const {
    if (empty()) return {};
    std::string out = "pair_style " + style;
    out += join_words(style_args) + "\n";
    for (const auto& c : coeffs) out += "pair_coeff" + join_words(c.args) + "\n";
    for (const auto& m : modify) out += "pair_modify" + join_words(m.args) + "\n";
    if (!kspace_style.empty()) out += "kspace_style " + kspace_style + join_words(kspace_args) + "\n";
    for (const auto& m : kspace_modify) out += "kspace_modify" + join_words(m.args) + "\n";
    return out;
}

bool potential_spec::same_commands(const potential_spec& o) const {
    auto args_equal = [](const std::vector<potential_line>& a, const std::vector<potential_line>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                          [](const potential_line& x, const potential_line& y) { return x.args == y.args; });
    };
    return style == o.style && style_args == o.style_args && args_equal(coeffs, o.coeffs) &&
           args_equal(modify, o.modify) && kspace_style == o.kspace_style &&
           kspace_args == o.kspace_args && args_equal(kspace_modify, o.kspace_modify);
}

}  // namespace amorph::cli
