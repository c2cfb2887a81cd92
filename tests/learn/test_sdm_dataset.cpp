// SDM dataset writer (learn/sdm_dataset.hpp): the shards read back (with the
// .npy reader that is checked against numpy in test_learn_peer) hold the
// maps of exactly the atoms the selection rule names — the top fraction of
// the score by a sort written here, and as many others — with their labels,
// ids and scores, across several shards, samples and protocols.
#include "amorph/learn/sdm_dataset.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <unistd.h>

using namespace amorph;
using namespace amorph::learn;

namespace {

amorph::system<2> random_glass(std::uint64_t seed, std::size_t n, double l) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, l);
    amorph::system<2> s(box<2>::orthogonal(vec<2>(0, 0), vec<2>(l, l)), n);
    s.species.add("S");
    s.species.add("L");
    for (std::size_t i = 0; i < n; ++i) {
        s.positions.col(Eigen::Index(i)) = vec<2>(u(rng), u(rng));
        s.types[i] = i % 3 == 0 ? 1 : 0;
        s.ids[i] = std::int64_t(1000 + 7 * i);
    }
    return s;
}

}  // namespace

TEST_CASE("sdm dataset: balanced selection, shards, labels and maps", "[sdm_dataset]") {
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_sdm_ds_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    descriptor::sdm_settings<2> sdm;
    sdm.cutoff = 2.0;
    sdm.delta = 0.25;  // 16 x 16 pixels
    sdm_dataset_options opt;
    opt.fraction = 0.05;
    opt.seed = 9;
    opt.shard_images = 13;
    opt.batch = 5;
    const auto g0 = random_glass(1, 200, 14.0), g1 = random_glass(2, 160, 12.5);
    std::vector<double> s0(200), s1(160);
    for (std::size_t i = 0; i < 200; ++i) s0[i] = std::sin(0.37 * double(i)) + 0.001 * double(i);
    for (std::size_t i = 0; i < 160; ++i) s1[i] = std::cos(0.11 * double(i * i));
    const mat<2> f0 = descriptor::loading_frame_2d(0.0), f1 = descriptor::loading_frame_2d(0.25 * 3.141592653589793);
    {
        sdm_dataset_writer<2> w(dir, sdm, opt, json::object{{"strain", 0.03}});
        REQUIRE(w.add_protocol("+simple", f0) == 0);
        REQUIRE(w.add_protocol("+pure", f1) == 1);
        CHECK(w.add(g0, 0, 0, s0) == 20);  // 10 positives + 10 others
        CHECK(w.add(g0, 0, 1, s0) == 20);
        CHECK(w.add(g1, 1, 1, s1) == 16);
        w.finish();
        CHECK(w.images() == 56);
        CHECK(w.positives() == 28);
        CHECK(w.shards() == 5);  // 13 + 13 + 13 + 13 + 4
    }
    const json::value settings = json::parse([&] {
        std::ifstream f(dir / "settings.json");
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }());
    CHECK(settings.at("images").as_number() == 56);
    CHECK(settings.at("image_shape").as_array().size() == 3);
    CHECK(settings.at("extra").at("strain").as_number() == 0.03);
    CHECK(settings.at("protocols").as_array().size() == 2);

    std::vector<float> images;
    std::vector<int> labels;
    std::vector<double> scores, meta;
    for (int k = 0; k < 5; ++k) {
        char stem[32];
        std::snprintf(stem, sizeof stem, "shard_%05d", k);
        const auto x = read_npy(dir / (std::string(stem) + ".npy"));
        REQUIRE(x.dtype == "<f4");
        REQUIRE(x.shape.size() == 4);
        CHECK(x.shape[0] == (k < 4 ? 13u : 4u));
        CHECK(x.shape[1] == 2);
        CHECK(x.shape[2] == 16);
        images.insert(images.end(), x.values.begin(), x.values.end());
        const auto l = read_npy(dir / (std::string(stem) + "_labels.npy")).labels();
        labels.insert(labels.end(), l.begin(), l.end());
        const auto s = read_npy(dir / (std::string(stem) + "_score.npy"));
        scores.insert(scores.end(), s.values.begin(), s.values.end());
        const auto m = read_npy(dir / (std::string(stem) + "_meta.npy"));
        REQUIRE(m.shape == std::vector<std::size_t>{l.size(), 3});
        meta.insert(meta.end(), m.values.begin(), m.values.end());
    }
    REQUIRE(labels.size() == 56);
    // the positives of each (sample, protocol) are the top 5 % by score
    auto check_block = [&](std::size_t first, std::size_t count, const amorph::system<2>& g,
                           const std::vector<double>& score, std::size_t sample, std::size_t protocol,
                           const mat<2>& frame) {
        std::vector<std::size_t> order(score.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return score[a] > score[b]; });
        const std::size_t npos = count / 2;
        std::set<std::int64_t> top;
        for (std::size_t k = 0; k < npos; ++k) top.insert(g.ids[order[k]]);
        descriptor::sdm_settings<2> s = sdm;
        s.frame = frame;
        const descriptor::sdm_evaluator<2> ev(s, g);
        std::set<std::int64_t> seen;
        for (std::size_t k = first; k < first + count; ++k) {
            REQUIRE(meta[3 * k] == double(sample));
            REQUIRE(meta[3 * k + 1] == double(protocol));
            const auto id = std::int64_t(meta[3 * k + 2]);
            CHECK(seen.insert(id).second);
            CHECK(labels[k] == (top.count(id) ? 1 : 0));
            const std::size_t atom = std::size_t(id - 1000) / 7;
            CHECK(scores[k] == score[atom]);
            const auto ref = ev.compute_one(atom);
            double err = 0;
            for (std::size_t p = 0; p < ref.size(); ++p)
                err = std::max(err, double(std::abs(ref[p] - images[k * ref.size() + p])));
            CHECK(err == 0.0);
        }
        CHECK(std::count(labels.begin() + long(first), labels.begin() + long(first + count), 1) == long(npos));
    };
    check_block(0, 20, g0, s0, 0, 0, f0);
    check_block(20, 20, g0, s0, 0, 1, f1);
    check_block(40, 16, g1, s1, 1, 1, f1);
    // same negatives for the same (sample, protocol) and seed; others differ
    std::set<double> neg00, neg01;
    for (std::size_t k = 0; k < 20; ++k)
        if (!labels[k]) neg00.insert(meta[3 * k + 2]);
    for (std::size_t k = 20; k < 40; ++k)
        if (!labels[k]) neg01.insert(meta[3 * k + 2]);
    CHECK(neg00 != neg01);
    std::filesystem::remove_all(dir);
}
