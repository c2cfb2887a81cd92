// CNN inference (learn/cnn.hpp) against PyTorch (Debian python3-torch): the
// script tests/learn/cnn_reference.py builds random networks of the thesis
// architecture with examples/ch5/cnn_model.py, exports them in amorph's
// format, and writes its float32 / float64 forward passes on random inputs.
// Skipped (with a message) when python3-torch is not installed.
#include "amorph/learn/cnn.hpp"
#include "amorph/learn/npy.hpp"

#include "../peer.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

using namespace amorph::learn;

namespace {

bool have_torch() {
    return std::system("/usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1") == 0;
}

/// Run the reference once for all networks (one torch start-up).
const std::filesystem::path& reference_dir() {
    static const std::filesystem::path dir = [] {
        const auto d = std::filesystem::temp_directory_path() / ("amorph_cnn_torch_" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        const std::string cmd = "/usr/bin/python3 '" + std::string(AMORPH_SOURCE_DIR) +
                                "/tests/learn/cnn_reference.py' '" + d.string() + "' 2 3 0 > '" + (d / "log").string() +
                                "' 2>&1";
        if (std::system(cmd.c_str()) != 0) {
            std::ifstream log(d / "log");
            std::stringstream ss;
            ss << log.rdbuf();
            throw std::runtime_error("PyTorch reference failed:\n" + ss.str());
        }
        return d;
    }();
    return dir;
}

void compare(int which, double tol_sigmoid, double tol_logit) {
    const auto dir = reference_dir() / std::to_string(which);
    cnn_model m = read_cnn(dir / "net.amcnn");
    const cnn net(m);
    const npy_array x = read_npy(dir / "x.npy");
    const npy_array y32 = read_npy(dir / "y32.npy"), y64 = read_npy(dir / "y64.npy"),
                    l32 = read_npy(dir / "logit32.npy"), l64 = read_npy(dir / "logit64.npy");
    REQUIRE(x.dtype == "<f4");
    std::vector<float> xf(x.values.begin(), x.values.end());
    REQUIRE(xf.size() % net.input_size() == 0);
    const auto y = net.forward(xf);
    REQUIRE(y.size() == y32.size());
    m.layers.pop_back();  // the logits
    const auto logit = cnn(m).forward(xf);
    double e32 = 0, e64 = 0, el = 0, t64 = 0, tl = 0;
    for (std::size_t k = 0; k < y.size(); ++k) {
        e32 = std::max(e32, std::abs(double(y[k]) - y32.values[k]));
        e64 = std::max(e64, std::abs(double(y[k]) - y64.values[k]));
        t64 = std::max(t64, std::abs(y32.values[k] - y64.values[k]));
        el = std::max(el, std::abs(double(logit[k]) - l32.values[k]));
        tl = std::max(tl, std::abs(l32.values[k] - l64.values[k]));
    }
    INFO("net " << which << ": max |amorph - torch f32| = " << e32 << " (logits " << el << "), |amorph - torch f64| = "
                << e64 << ", |torch f32 - torch f64| = " << t64 << " (logits " << tl << ")");
    CHECK(e32 < tol_sigmoid);
    // torch's own float32 logits move with the CPU's kernels (AVX2 / AVX-512):
    // amorph may differ from them by tol_logit plus their distance to float64
    CHECK(el < tol_logit + tl);
    CHECK(e64 < tol_sigmoid + t64);
    WARN("net " << which << ": max |amorph - torch f32| = " << e32 << " (logits " << el
                << "), |amorph - torch f64| = " << e64 << ", |torch f32 - torch f64| = " << t64);
}

struct cleanup {
    ~cleanup() {
        std::error_code ec;
        std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                        ("amorph_cnn_torch_" + std::to_string(::getpid())),
                                    ec);
    }
} const cleanup_at_exit;

}  // namespace

TEST_CASE("cnn vs PyTorch: random 2D and 3D networks and the thesis 2D network", "[cnn][torch]") {
    if (!amorph_test::peer_available(have_torch(), "python3-torch (with numpy) is not installed")) return;
    compare(2, 1e-5, 4e-5);  // 6 conv, 14x14x2 -> 1x1x16
    compare(3, 1e-5, 4e-5);  // 4 conv, 8^3x2 -> 2^3x5
    // 25 conv, 50x50x2 -> 1x1x320: float32 round-off grows with depth (torch's own
    // float32 result differs from its float64 one by ~1.5e-5)
    compare(0, 5e-5, 2e-4);
}
