// amorph/core/error.hpp — the exception hierarchy of amorph.
//
// Library code never prints and never aborts: it throws one of these. Every
// message is complete on its own, so a caller can print `what()` as one line.
//
//   error                  base of everything amorph throws
//   ├── parse_error        malformed input; knows file, line (1-based) and field
//   ├── io_error           a file cannot be opened, read or written
//   ├── invalid_argument   a caller passed a value outside the contract
//   └── unsupported        valid input that amorph does not handle (yet)
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace amorph {

class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Malformed input. `what()` reads "FILE:LINE: FIELD: MESSAGE" (the field part
/// is omitted when empty), so the CLI can print it verbatim.
class parse_error : public error {
public:
    parse_error(std::string file, std::size_t line, std::string field, const std::string& message)
        : error(format(file, line, field, message)),
          file_(std::move(file)),
          line_(line),
          field_(std::move(field)),
          message_(message) {}

    const std::string& file() const noexcept { return file_; }
    /// 1-based line number; 0 when the error is about the file as a whole.
    std::size_t line() const noexcept { return line_; }
    const std::string& field() const noexcept { return field_; }
    const std::string& message() const noexcept { return message_; }

private:
    static std::string format(const std::string& file, std::size_t line, const std::string& field,
                              const std::string& message) {
        // appends only: GCC 12 reports false -Warray-bounds / -Wrestrict for
        // `":" + std::to_string(line)` once this is inlined (PR 105651)
        const std::string no = line > 0 ? std::to_string(line) : std::string();
        std::string s;
        s.reserve(file.size() + no.size() + field.size() + message.size() + 6);
        s.append(file);
        if (line > 0) s.append(1, ':').append(no);
        s.append(": ");
        if (!field.empty()) s.append(field).append(": ");
        s.append(message);
        return s;
    }

    std::string file_;
    std::size_t line_;
    std::string field_;
    std::string message_;
};

class io_error : public error {
public:
    using error::error;
};

class invalid_argument : public error {
public:
    using error::error;
};

class unsupported : public error {
public:
    using error::error;
};

}  // namespace amorph
