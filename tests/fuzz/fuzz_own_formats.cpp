// libFuzzer target: the readers of amorph's own files, as a user's damaged
// or foreign file reaches them: .npy arrays (learn/npy.hpp), linear-model
// JSON (learn/model.hpp, `softness train`) and .amcnn networks
// (learn/cnn_model.hpp). The first byte picks the reader (0, 1, 2 mod 3),
// the rest is the file. A malformed file must be an amorph::error; an
// accepted one must be consistent (array size = product of its shape; a
// network that reads back writes and reads back the same layers).
#include "amorph/learn/cnn_model.hpp"
#include "amorph/learn/model.hpp"
#include "amorph/learn/npy.hpp"
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const int which = data[0] % 3;
    static const char* const ext[3] = {".npy", ".json", ".amcnn"};
    const auto path = fuzz::scratch("own", ext[which]);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    }
    try {
        if (which == 0) {
            const auto a = amorph::learn::read_npy(path);
            std::size_t n = 1;
            for (auto s : a.shape) n *= s;
            if (n != a.values.size()) fuzz::finding("npy: the values do not fill the shape");
        } else if (which == 1) {
            (void)amorph::learn::load_model(path);
        } else {
            const auto m = amorph::learn::read_cnn(path);
            const auto again = fuzz::scratch("own", ".back.amcnn");
            amorph::learn::write_cnn(again, m);
            const auto back = amorph::learn::read_cnn(again);
            if (back.layers.size() != m.layers.size()) fuzz::finding("amcnn: write -> read changed the layers");
            for (std::size_t k = 0; k < m.layers.size(); ++k)
                if (back.layers[k].weight != m.layers[k].weight) fuzz::finding("amcnn: write -> read changed a weight");
        }
    } catch (const amorph::error&) {
    }
    return 0;
}
