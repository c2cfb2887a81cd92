// libFuzzer target: gzip-compressed input files (io/detail/input_file.hpp).
// The bytes are written to a file and read by path, as a user's .gz is:
// format detection, the first and the last frame (the last through the
// backward seek that re-inflates from the start), 3D and 2D. A zlib error
// must surface as an amorph::error; anything else is a finding.
#include "amorph/io/io.hpp"
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace {

const std::filesystem::path& scratch() {
    static const std::filesystem::path p = [] {
        const std::filesystem::path shm("/dev/shm");
        const auto dir = std::filesystem::exists(shm) ? shm : std::filesystem::temp_directory_path();
        return dir / ("amorph_fuzz_gzip_" + std::to_string(::getpid()) + ".gz");
    }();
    return p;
}

template <int D>
void read_frames() {
    for (const std::int64_t frame : {0, -1}) {
        try {
            amorph::io::read_options o;
            o.frame = frame;
            const auto sys = amorph::io::read_system<D>(scratch(), o);
            try {
                sys.validate();
            } catch (const amorph::error&) {
                fuzz::finding("reader returned an inconsistent system from a gzip file");
            }
        } catch (const amorph::error&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(scratch(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        (void)amorph::io::detect_format(scratch());
    } catch (const amorph::error&) {
    }
    read_frames<3>();
    read_frames<2>();
    return 0;
}
