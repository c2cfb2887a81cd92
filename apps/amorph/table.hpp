// apps/amorph/table.hpp — printing results: scalars and curves as aligned text
// tables on stdout, and the same data as CSV (--csv FILE).
//
// Numbers print with 10 significant digits (%.10g) in both forms, so the CSV
// and the screen agree and round trips of box sizes stay exact to 1e-10.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace amorph::cli {

/// "%.*g" formatting of one number (default 10 significant digits).
std::string format_number(double v, int digits = 10);

/// CSV field: quoted (with "" escapes) when it holds a comma, quote or newline.
std::string csv_field(const std::string& s);

/// Named scalars: one row per quantity, "name   value   unit".
/// Text rows (file names, vectors) print on screen; in CSV they appear as text.
class scalar_report {
public:
    void add(std::string name, double value, std::string unit = "");
    /// As above with `digits` significant digits (17: reads back exactly).
    void add(std::string name, double value, std::string unit, int digits);
    void add_text(std::string name, std::string text);
    /// A continuation line on screen only (no name, not in the CSV).
    void add_note(std::string text);

    void print(std::ostream& out) const;
    /// CSV with header "quantity,value,unit" (notes left out).
    void write_csv(std::ostream& out) const;
    /// write_csv to a file; throws amorph::io_error when it cannot be written.
    void write_csv(const std::string& path) const;

    /// Value of a numeric row (for tests); throws std::out_of_range if absent.
    double value(const std::string& name) const;

private:
    struct row {
        std::string name, text, unit;
        double value = 0;
        bool numeric = false, note = false;
    };
    std::vector<row> rows_;
};

/// A curve or per-item table: named columns of numbers.
class table {
public:
    explicit table(std::vector<std::string> columns);
    void add_row(std::vector<double> values);  ///< must have one value per column
    std::size_t rows() const noexcept { return data_.size(); }
    const std::vector<std::string>& columns() const noexcept { return columns_; }

    /// Right-aligned columns with a header line starting with '#'.
    void print(std::ostream& out) const;
    void write_csv(std::ostream& out) const;
    void write_csv(const std::string& path) const;

private:
    std::vector<std::string> columns_;
    std::vector<std::vector<double>> data_;
};

}  // namespace amorph::cli
