// tests/cli/cli_run.hpp — run the built `amorph` executable and read what it writes
// (shared by the CLI tests, which are compiled as one unity translation unit).
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#include <sys/wait.h>

namespace cli_test {

namespace fs = std::filesystem;

struct result {
    int code = -1;
    std::string out, err;
};

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A fresh directory per test case (ctest runs test cases in parallel).
inline fs::path workdir(const std::string& name) {
    const fs::path d = fs::path(AMORPH_CLI_WORKDIR) / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

/// Run `amorph ARGS` in `dir` (relative paths in ARGS are relative to it).
inline result run_amorph(const fs::path& dir, const std::string& args) {
    const auto out = dir / "stdout.txt", err = dir / "stderr.txt";
    const std::string cmd = "cd \"" + dir.string() + "\" && \"" + AMORPH_CLI_EXE + "\" " + args + " >\"" + out.string() + "\" 2>\"" +
                            err.string() + "\" </dev/null";
    const int status = std::system(cmd.c_str());
    result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

/// |a - b| / |b|.
inline double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

/// A CSV of numbers with a header line: column name -> values.
inline std::map<std::string, std::vector<double>> read_table_csv(const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string line;
    std::getline(in, line);
    std::vector<std::string> names;
    {
        std::stringstream ss(line);
        std::string w;
        while (std::getline(ss, w, ',')) names.push_back(w);
    }
    std::map<std::string, std::vector<double>> cols;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string w;
        std::size_t k = 0;
        while (std::getline(ss, w, ',')) cols[names.at(k++)].push_back(std::stod(w));
        REQUIRE(k == names.size());
    }
    return cols;
}

/// quantity -> value of a scalar_report CSV ("quantity,value,unit"; unquoted names only).
inline std::map<std::string, double> read_scalar_csv(const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "quantity,value,unit");
    std::map<std::string, double> m;
    while (std::getline(in, line)) {
        const auto c1 = line.find(',');
        const auto c2 = line.find(',', c1 + 1);
        try {
            m[line.substr(0, c1)] = std::stod(line.substr(c1 + 1, c2 - c1 - 1));
        } catch (const std::exception&) {
        }
    }
    return m;
}

}  // namespace cli_test
