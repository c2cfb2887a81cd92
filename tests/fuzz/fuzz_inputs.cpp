// libFuzzer target: the other files and texts a user hands to amorph: EAM
// potential files (funcfl, setfl / eam/alloy, Finnis-Sinclair / eam/fs), a
// Stillinger-Weber .sw file, LAMMPS pair_style / pair_coeff / kspace lines
// (the potential-spec parser behind --pair, and the potentials it builds for
// the styles that read no file), and quench
// schedule files. The first byte picks the reader (mod 6), the rest is the
// file. A malformed input must be an amorph::error; an accepted potential
// file must also build its potential (tables, element maps), and an accepted
// schedule must have finite, non-negative durations and temperatures.
#include "amorph/potential/eam.hpp"
#include "amorph/potential/factory.hpp"
#include "amorph/potential/stillinger_weber.hpp"
#include "amorph/protocol/schedule.hpp"
#include "fuzz_common.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const int which = data[0] % 6;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    namespace pot = amorph::potential;
    try {
        if (which <= 3) {
            static const char* const ext[4] = {".eam", ".eam.alloy", ".eam.fs", ".sw"};
            const auto path = fuzz::scratch("inputs", ext[which]);
            {
                std::ofstream out(path, std::ios::binary | std::ios::trunc);
                out << text;
            }
            if (which == 0) {
                (void)pot::eam::from_funcfl({pot::read_funcfl(path)}, {0});
            } else if (which <= 2) {
                const auto f = which == 1 ? pot::read_setfl(path) : pot::read_fs(path);
                (void)pot::eam::from_setfl(f, f.elements);
            } else {
                const auto entries = pot::read_sw(path);
                if (!entries.empty()) (void)pot::stillinger_weber::from_entries(entries, {entries.front().e1}, path);
            }
        } else if (which == 4) {
            // parsed, then built for two and three atom types unless the style reads a file
            const auto spec = pot::parse_pair_commands(text, "fuzz.in");
            const std::string style = spec.pair_style.empty() ? "" : spec.pair_style.front();
            const bool reads_file = style.find("eam") != std::string::npos || style.find("sw") != std::string::npos ||
                                    style.find("table") != std::string::npos || style.find("hybrid") != std::string::npos;
            if (!reads_file)
                for (int ntypes : {2, 3}) try {
                        (void)pot::make_potential(spec, ntypes);
                    } catch (const amorph::error&) {
                    }
        } else {
            std::istringstream in(text);
            const auto s = amorph::protocol::schedule::parse(in, "fuzz.schedule", amorph::units::metal);
            for (const auto& seg : s.segments()) {
                if (!(std::isfinite(seg.duration) && seg.duration >= 0)) fuzz::finding("schedule: a segment without a finite duration");
                if (!(std::isfinite(seg.t_start) && std::isfinite(seg.t_stop) && seg.t_start >= 0 && seg.t_stop >= 0))
                    fuzz::finding("schedule: a segment without finite temperatures");
            }
        }
    } catch (const amorph::error&) {
    }
    return 0;
}
