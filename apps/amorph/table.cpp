// apps/amorph/table.cpp — see table.hpp.
#include "table.hpp"

#include <amorph/core/error.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <stdexcept>

namespace amorph::cli {

std::string format_number(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + '"';
}

namespace {
template <class F>
void write_file(const std::string& path, F&& body) {
    std::ofstream out(path);
    if (!out) throw io_error("cannot open '" + path + "' for writing");
    body(out);
    out.flush();
    if (!out) throw io_error("cannot write '" + path + "'");
}
}  // namespace

void scalar_report::add(std::string name, double value, std::string unit) {
    rows_.push_back({std::move(name), format_number(value), std::move(unit), value, true, false});
}

void scalar_report::add(std::string name, double value, std::string unit, int digits) {
    rows_.push_back({std::move(name), format_number(value, digits), std::move(unit), value, true, false});
}

void scalar_report::add_text(std::string name, std::string text) {
    rows_.push_back({std::move(name), std::move(text), "", 0.0, false, false});
}

void scalar_report::add_note(std::string text) {
    rows_.push_back({"", std::move(text), "", 0.0, false, true});
}

void scalar_report::print(std::ostream& out) const {
    std::size_t wname = 0, wvalue = 0;
    for (const auto& r : rows_) {
        wname = std::max(wname, r.name.size());
        if (r.numeric) wvalue = std::max(wvalue, r.text.size());
    }
    for (const auto& r : rows_) {
        std::string line = r.name + std::string(wname - r.name.size() + 2, ' ');
        if (r.numeric) {
            line += r.text;
            if (!r.unit.empty()) line += std::string(wvalue - r.text.size() + 1, ' ') + r.unit;
        } else {
            line += r.text;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
}

void scalar_report::write_csv(std::ostream& out) const {
    out << "quantity,value,unit\n";
    for (const auto& r : rows_)
        if (!r.note) out << csv_field(r.name) << ',' << csv_field(r.text) << ',' << csv_field(r.unit) << '\n';
}

void scalar_report::write_csv(const std::string& path) const {
    write_file(path, [&](std::ostream& o) { write_csv(o); });
}

double scalar_report::value(const std::string& name) const {
    for (const auto& r : rows_)
        if (r.numeric && r.name == name) return r.value;
    throw std::out_of_range("no scalar named '" + name + "'");
}

table::table(std::vector<std::string> columns) : columns_(std::move(columns)) {}

void table::add_row(std::vector<double> values) {
    if (values.size() != columns_.size())
        throw invalid_argument("table row has " + std::to_string(values.size()) + " values for " +
                               std::to_string(columns_.size()) + " columns");
    data_.push_back(std::move(values));
}

void table::print(std::ostream& out) const {
    std::vector<std::size_t> w(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        w[c] = columns_[c].size() + (c == 0 ? 2 : 0);
        for (const auto& r : data_) w[c] = std::max(w[c], format_number(r[c]).size());
    }
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        const std::string h = (c == 0 ? "# " : "") + columns_[c];
        out << (c ? "  " : "") << std::string(w[c] - h.size(), ' ') << h;
    }
    out << '\n';
    for (const auto& r : data_) {
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            const std::string v = format_number(r[c]);
            out << (c ? "  " : "") << std::string(w[c] - v.size(), ' ') << v;
        }
        out << '\n';
    }
}

void table::write_csv(std::ostream& out) const {
    for (std::size_t c = 0; c < columns_.size(); ++c) out << (c ? "," : "") << csv_field(columns_[c]);
    out << '\n';
    for (const auto& r : data_) {
        for (std::size_t c = 0; c < r.size(); ++c) out << (c ? "," : "") << format_number(r[c]);
        out << '\n';
    }
}

void table::write_csv(const std::string& path) const {
    write_file(path, [&](std::ostream& o) { write_csv(o); });
}

}  // namespace amorph::cli
