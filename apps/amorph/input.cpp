// apps/amorph/input.cpp — reading and writing files for the subcommands (see
// common.hpp). The only CLI source that includes amorph/io/io.hpp; kept apart
// from common.cpp (option registration) so tests of the option helpers link
// without the I/O layer.
#include "common.hpp"

#include <amorph/io/io.hpp>

#include <charconv>
#include <string>
#include <system_error>
#include <vector>

namespace amorph::cli {

namespace {
io::read_options read_options_for(const input_options& in) {
    io::read_options opt;
    opt.format = parse_format(in.format);
    opt.frame = in.frame;
    opt.species = in.species;
    return opt;
}
}  // namespace

io::file_format parse_format(const std::string& name) {
    if (name == "auto") return io::file_format::auto_detect;
    if (name == "data") return io::file_format::lammps_data;
    if (name == "dump") return io::file_format::lammps_dump;
    if (name == "extxyz") return io::file_format::extxyz;
    throw invalid_argument("unknown format '" + name + "' (data, dump, extxyz)");
}

io::file_format input_format(const input_options& in) {
    const auto f = parse_format(in.format);
    return f != io::file_format::auto_detect ? f : io::detect_format(in.file);
}

int resolve_dimension(const input_options& in) {
    if (in.dim == "2") return 2;
    if (in.dim == "3") return 3;
    return io::detect_dimension(in.file, read_options_for(in));
}

io::file_format output_format_for(const std::string& path, const std::string& override_name) {
    const auto f = parse_format(override_name);
    if (f != io::file_format::auto_detect) return f;
    return io::format_from_extension(path);
}

template <int D>
amorph::system<D> load_system(const input_options& in) {
    auto sys = io::read_system<D>(in.file, read_options_for(in));
    if (!in.charges.empty()) {
        // --charge NAME=Q: by species name, else by 1-based LAMMPS type number
        std::vector<double> per_type(sys.species.size(), 0.0);
        std::vector<char> given(sys.species.size(), 0);
        for (const auto& [name, q] : in.charges) {
            std::size_t t = sys.species.size();
            for (std::size_t k = 0; k < sys.species.size(); ++k)
                if (sys.species[k].name == name) t = k;
            if (t == sys.species.size()) {
                long v = 0;
                const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
                if (ec == std::errc() && end == name.data() + name.size() && v >= 1 &&
                    static_cast<std::size_t>(v) <= sys.species.size())
                    t = static_cast<std::size_t>(v - 1);
            }
            if (t == sys.species.size()) {
                std::string known;
                for (std::size_t k = 0; k < sys.species.size(); ++k)
                    known += (k ? ", " : "") + sys.species[k].name + " (type " + std::to_string(k + 1) + ")";
                throw invalid_argument("--charge: no species '" + name + "' in " + in.file + " (it has " + known + ")");
            }
            per_type[t] = q;
            given[t] = 1;
        }
        for (std::size_t k = 0; k < sys.species.size(); ++k)
            if (!given[k])
                throw invalid_argument("--charge: no charge for species " + sys.species[k].name + " (type " +
                                       std::to_string(k + 1) + "); give every species one");
        sys.charges.resize(sys.size());
        for (std::size_t i = 0; i < sys.size(); ++i) sys.charges[i] = per_type[static_cast<std::size_t>(sys.types[i])];
    }
    return sys;
}

template <int D>
void save_system(const std::string& path, const amorph::system<D>& sys, io::file_format format) {
    io::write_options opt;
    opt.format = format == io::file_format::auto_detect ? io::format_from_extension(path) : format;
    io::write_system<D>(path, sys, opt);
}

template amorph::system<2> load_system<2>(const input_options&);
template amorph::system<3> load_system<3>(const input_options&);
template void save_system<2>(const std::string&, const amorph::system<2>&, io::file_format);
template void save_system<3>(const std::string&, const amorph::system<3>&, io::file_format);

}  // namespace amorph::cli
