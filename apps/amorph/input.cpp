// apps/amorph/input.cpp — reading and writing files for the subcommands (see
// common.hpp). The only CLI source that includes amorph/io/io.hpp; kept apart
// from common.cpp (option registration) so tests of the option helpers link
// without the I/O layer.
#include "common.hpp"

#include <amorph/io/io.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace amorph::cli {

namespace {
io::read_options read_options_for(const input_options& in) {
    io::read_options opt;
    opt.format = io::format_named(in.format);
    opt.frame = in.frame;
    opt.species = in.species;
    return opt;
}
}  // namespace

io::file_format input_format(const input_options& in) {
    const auto f = io::format_named(in.format);
    return f != io::file_format::auto_detect ? f : io::detect_format(in.file);
}

int resolve_dimension(const input_options& in) {
    if (in.dim == "2") return 2;
    if (in.dim == "3") return 3;
    if (!in.cell.empty()) return in.cell.size() == 2 || in.cell.size() == 4 ? 2 : 3;  // --cell decides
    return io::detect_dimension(in.file, read_options_for(in));
}

io::file_format output_format_for(const std::string& path, const std::string& override_name) {
    const auto f = io::format_named(override_name);
    if (f != io::file_format::auto_detect) return f;
    return io::format_from_extension(path);
}

template <int D>
int species_index(const amorph::system<D>& sys, const std::string& name) {
    if (auto t = sys.species.find(name)) return *t;
    // a LAMMPS type number
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const long t = std::stol(name);
        if (t >= 1 && static_cast<std::size_t>(t) <= sys.species.size()) return static_cast<int>(t - 1);
    }
    std::string names;
    for (const auto& s : sys.species) names += (names.empty() ? "" : ", ") + s.name;
    throw invalid_argument("no species '" + name + "' (the file has: " + names + ")");
}

/// --cell and --charge applied to a system as read.
template <int D>
void apply_overrides(amorph::system<D>& sys, const input_options& in) {
    if (!in.cell.empty()) {
        const std::size_t n = in.cell.size();
        if (n != static_cast<std::size_t>(D) && n != static_cast<std::size_t>(D * D))
            throw invalid_argument("--cell: " + std::to_string(n) + " numbers for a " + std::to_string(D) +
                                   "D system (give " + std::to_string(D) + " edge lengths or " + std::to_string(D * D) +
                                   " vector components)");
        mat<D> h = mat<D>::Zero();
        for (int k = 0; k < D; ++k)
            for (int c = 0; c < D; ++c)
                h(c, k) = n == static_cast<std::size_t>(D) ? (c == k ? in.cell[static_cast<std::size_t>(k)] : 0.0)
                                                           : in.cell[static_cast<std::size_t>(k * D + c)];
        if (!(std::abs(h.determinant()) > 0)) throw invalid_argument("--cell: the cell has no volume");
        sys.box = amorph::box<D>(h);
    }
    if (!in.charges.empty()) {
        // --charge NAME=Q: by species name or LAMMPS type number
        std::vector<double> per_type(sys.species.size(), 0.0);
        std::vector<char> given(sys.species.size(), 0);
        for (const auto& [name, q] : in.charges) {
            int t = 0;
            try {
                t = species_index(sys, name);
            } catch (const invalid_argument& e) {
                throw invalid_argument("--charge: " + std::string(e.what()));
            }
            per_type[static_cast<std::size_t>(t)] = q;
            given[static_cast<std::size_t>(t)] = 1;
        }
        for (std::size_t k = 0; k < sys.species.size(); ++k)
            if (!given[k])
                throw invalid_argument("--charge: no charge for species " + sys.species[k].name + " (type " +
                                       std::to_string(k + 1) + "); give every species one");
        sys.charges.resize(sys.size());
        for (std::size_t i = 0; i < sys.size(); ++i) sys.charges[i] = per_type[static_cast<std::size_t>(sys.types[i])];
    }
}

template <int D>
amorph::system<D> load_system(const input_options& in) {
    auto sys = io::read_system<D>(in.file, read_options_for(in));
    apply_overrides(sys, in);
    return sys;
}

template <int D>
std::size_t for_each_input_frame(const input_options& in,
                                 const std::function<void(std::int64_t, amorph::system<D>&)>& f) {
    io::frame_range range;
    if (!in.frames.empty()) {
        range = io::parse_frame_range(in.frames, "--frames");
    } else {
        range.start = in.frame;  // the one frame --frame
        if (in.frame != -1) range.stop = in.frame + 1;
    }
    return io::for_each_frame<D>(in.file, read_options_for(in), range, [&](std::int64_t k, io::frame<D>& fr) {
        apply_overrides(fr.system, in);
        f(k, fr.system);
    });
}

template <int D>
void save_system(const std::string& path, const amorph::system<D>& sys, io::file_format format) {
    io::write_options opt;
    opt.format = format == io::file_format::auto_detect ? io::format_from_extension(path) : format;
    io::write_system<D>(path, sys, opt);
}

template int species_index<2>(const amorph::system<2>&, const std::string&);
template int species_index<3>(const amorph::system<3>&, const std::string&);
template amorph::system<2> load_system<2>(const input_options&);
template amorph::system<3> load_system<3>(const input_options&);
template std::size_t for_each_input_frame<2>(const input_options&,
                                             const std::function<void(std::int64_t, amorph::system<2>&)>&);
template std::size_t for_each_input_frame<3>(const input_options&,
                                             const std::function<void(std::int64_t, amorph::system<3>&)>&);
template void save_system<2>(const std::string&, const amorph::system<2>&, io::file_format);
template void save_system<3>(const std::string&, const amorph::system<3>&, io::file_format);

}  // namespace amorph::cli
