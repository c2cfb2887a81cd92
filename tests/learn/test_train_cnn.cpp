// End to end: amorph's SDM dataset writer -> examples/ch5/train_cnn.py
// (PyTorch, 2 epochs of a tiny net) -> amorph's inference on the exported
// network equals the trainer's own predictions. Skipped (with a message)
// without python3-torch.
#include "amorph/learn/cnn.hpp"
#include "amorph/learn/sdm_dataset.hpp"

#include "../peer.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

using namespace amorph;

TEST_CASE("train_cnn.py trains on a written dataset and amorph reproduces its predictions", "[cnn][torch]") {
    if (!amorph_test::peer_available(std::system("/usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1") == 0,
                                     "python3-torch (with numpy) is not installed"))
        return;
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_train_cnn_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    descriptor::sdm_settings<2> sdm;
    sdm.cutoff = 2.0;
    sdm.delta = 0.25;
    learn::sdm_dataset_options opt;
    opt.fraction = 0.2;
    opt.shard_images = 100;
    {
        learn::sdm_dataset_writer<2> w(dir / "data", sdm, opt);
        w.add_protocol("+simple", descriptor::loading_frame_2d(0));
        for (std::size_t smp = 0; smp < 3; ++smp) {
            std::mt19937_64 rng(smp);
            std::uniform_real_distribution<double> u(0, 15);
            amorph::system<2> s(box<2>::orthogonal(vec<2>(0, 0), vec<2>(15, 15)), 200);
            s.species.add("S");
            s.species.add("L");
            for (std::size_t i = 0; i < 200; ++i) {
                s.positions.col(Eigen::Index(i)) = vec<2>(u(rng), u(rng));
                s.types[i] = int(i % 2);
            }
            // a score the maps can reveal: weighted neighbors ahead along x
            std::vector<double> score(200, 0.0);
            for (std::size_t i = 0; i < 200; ++i)
                for (std::size_t j = 0; j < 200; ++j) {
                    const vec<2> d = s.box.minimum_image(vec<2>(s.positions.col(Eigen::Index(j)) - s.positions.col(Eigen::Index(i))));
                    if (j != i && d.norm() < 1.5 && d(0) > 0) score[i] += 1;
                }
            w.add(s, smp, 0, score);
        }
    }
    const std::string cmd = "/usr/bin/python3 '" + std::string(AMORPH_SOURCE_DIR) + "/examples/ch5/train_cnn.py' '" +
                            (dir / "data").string() + "' --out '" + (dir / "net.amcnn").string() +
                            "' --predict '" + (dir / "p.npy").string() + "' --history '" + (dir / "h.json").string() +
                            "' --blocks 2 --convs-per-block 1 --filters 4 --unpadded '' --epochs 2 --batch-size 32"
                            " --val-fraction 0.34 --threads 1 > '" + (dir / "log").string() + "' 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        std::ifstream log(dir / "log");
        std::stringstream ss;
        ss << log.rdbuf();
        FAIL("train_cnn.py failed:\n" << ss.str());
    }
    const learn::cnn net = learn::cnn::load(dir / "net.amcnn");
    REQUIRE(net.input_size() == 2 * 16 * 16);
    const auto ref = learn::read_npy(dir / "p.npy");
    std::vector<float> x;
    for (int k = 0; std::filesystem::exists(dir / "data" / ("shard_0000" + std::to_string(k) + ".npy")); ++k) {
        const auto a = learn::read_npy(dir / "data" / ("shard_0000" + std::to_string(k) + ".npy"));
        x.insert(x.end(), a.values.begin(), a.values.end());
    }
    const auto y = net.forward(x);
    REQUIRE(y.size() == ref.size());
    REQUIRE(y.size() == 3 * 80);
    double err = 0;
    for (std::size_t k = 0; k < y.size(); ++k) err = std::max(err, std::abs(double(y[k]) - ref.values[k]));
    INFO("max |amorph - torch| on the trained net = " << err);
    CHECK(err < 1e-5);
    std::ifstream h(dir / "h.json");
    std::stringstream hs;
    hs << h.rdbuf();
    const auto hist = learn::json::parse(hs.str());
    CHECK(hist.at("epochs").as_array().size() == 2);
    std::filesystem::remove_all(dir);
}
