// CNN inference (learn/cnn.hpp) against a naive double-precision evaluation of
// the layer definitions written here (no folding, no im2col, no batching), a
// hand-computed 3x3 convolution, the file format round trip and malformed
// files. The PyTorch comparison is in test_cnn_torch.cpp (label peer).
#include "amorph/learn/cnn.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

using namespace amorph;
using namespace amorph::learn;

namespace {

struct tensor {
    std::size_t c, z, y, x;
    std::vector<double> v;
    double& at(std::size_t ci, std::size_t zi, std::size_t yi, std::size_t xi) { return v[((ci * z + zi) * y + yi) * x + xi]; }
};

/// The definitions of the header comment, one image, in double.
std::vector<double> naive_forward(const cnn_model& m, const float* img) {
    tensor t{m.in_channels, m.in_shape[0], m.in_shape[1], m.in_shape[2], {}};
    t.v.assign(img, img + t.c * t.z * t.y * t.x);
    const bool d3 = m.dim == 3;
    for (const auto& l : m.layers) {
        switch (l.kind) {
            case cnn_layer_kind::conv: {
                const std::size_t k = l.kernel, p = l.padding, kz = d3 ? k : 1, pz = d3 ? p : 0;
                tensor o{l.out, t.z + 2 * pz - kz + 1, t.y + 2 * p - k + 1, t.x + 2 * p - k + 1, {}};
                o.v.assign(o.c * o.z * o.y * o.x, 0.0);
                for (std::size_t co = 0; co < o.c; ++co)
                    for (std::size_t zo = 0; zo < o.z; ++zo)
                        for (std::size_t yo = 0; yo < o.y; ++yo)
                            for (std::size_t xo = 0; xo < o.x; ++xo) {
                                double s = l.bias.empty() ? 0.0 : l.bias[co];
                                for (std::size_t ci = 0; ci < t.c; ++ci)
                                    for (std::size_t a = 0; a < kz; ++a)
                                        for (std::size_t b = 0; b < k; ++b)
                                            for (std::size_t c = 0; c < k; ++c) {
                                                const long zi = long(zo + a) - long(pz), yi = long(yo + b) - long(p),
                                                           xi = long(xo + c) - long(p);
                                                if (zi < 0 || yi < 0 || xi < 0 || zi >= long(t.z) || yi >= long(t.y) ||
                                                    xi >= long(t.x))
                                                    continue;
                                                s += double(l.weight[(((co * t.c + ci) * kz + a) * k + b) * k + c]) *
                                                     t.at(ci, std::size_t(zi), std::size_t(yi), std::size_t(xi));
                                            }
                                o.at(co, zo, yo, xo) = s;
                            }
                t = std::move(o);
                break;
            }
            case cnn_layer_kind::batch_norm: {
                const std::size_t per = t.z * t.y * t.x;
                for (std::size_t c = 0; c < t.c; ++c)
                    for (std::size_t q = 0; q < per; ++q) {
                        double& v = t.v[c * per + q];
                        v = l.gamma[c] * (v - l.mean[c]) / std::sqrt(double(l.var[c]) + double(l.eps)) + l.beta[c];
                    }
                break;
            }
            case cnn_layer_kind::relu:
                for (double& v : t.v) v = std::max(v, 0.0);
                break;
            case cnn_layer_kind::sigmoid:
                for (double& v : t.v) v = 1 / (1 + std::exp(-v));
                break;
            case cnn_layer_kind::max_pool: {
                const std::size_t k = l.kernel, s = l.stride, kz = d3 ? k : 1, sz = d3 ? s : 1;
                tensor o{t.c, (t.z - kz) / sz + 1, (t.y - k) / s + 1, (t.x - k) / s + 1, {}};
                o.v.assign(o.c * o.z * o.y * o.x, -1e300);
                for (std::size_t c = 0; c < o.c; ++c)
                    for (std::size_t zo = 0; zo < o.z; ++zo)
                        for (std::size_t yo = 0; yo < o.y; ++yo)
                            for (std::size_t xo = 0; xo < o.x; ++xo)
                                for (std::size_t a = 0; a < kz; ++a)
                                    for (std::size_t b = 0; b < k; ++b)
                                        for (std::size_t cc = 0; cc < k; ++cc)
                                            o.at(c, zo, yo, xo) = std::max(
                                                o.at(c, zo, yo, xo), t.at(c, zo * sz + a, yo * s + b, xo * s + cc));
                t = std::move(o);
                break;
            }
            case cnn_layer_kind::flatten: t = tensor{t.v.size(), 1, 1, 1, t.v}; break;
            case cnn_layer_kind::linear: {
                tensor o{l.out, 1, 1, 1, std::vector<double>(l.out)};
                for (std::size_t r = 0; r < l.out; ++r) {
                    double s = l.bias[r];
                    for (std::size_t i = 0; i < l.in; ++i) s += double(l.weight[r * l.in + i]) * t.v[i];
                    o.v[r] = s;
                }
                t = std::move(o);
                break;
            }
        }
    }
    return t.v;
}

void randomize(cnn_model& m, std::mt19937_64& rng) {
    std::normal_distribution<float> g;
    std::uniform_real_distribution<float> u(0.5f, 1.5f), v(-0.3f, 0.3f);
    for (auto& l : m.layers) {
        for (auto& w : l.weight) w = g(rng) * std::sqrt(2.0f / float(l.weight.size() / std::max(1u, l.out)));
        for (auto& b : l.bias) b = v(rng);
        for (auto& x : l.gamma) x = u(rng);
        for (auto& x : l.var) x = u(rng);
        for (auto& x : l.beta) x = v(rng);
        for (auto& x : l.mean) x = v(rng);
    }
}

cnn_layer layer(cnn_layer_kind k) {
    cnn_layer l;
    l.kind = k;
    return l;
}

}  // namespace

TEST_CASE("cnn: a 3x3 convolution by hand", "[cnn]") {
    cnn_model m;
    m.dim = 2;
    m.in_channels = 1;
    m.in_shape = {1, 3, 3};
    cnn_layer c = layer(cnn_layer_kind::conv);
    c.out = 1, c.in = 1, c.kernel = 3, c.padding = 1;
    c.weight = {0, 1, 0, 1, -4, 1, 0, 1, 0};  // discrete Laplacian
    c.bias = {0.5f};
    m.layers.push_back(c);
    const cnn net(m);
    const std::vector<float> img{1, 2, 3, 4, 5, 6, 7, 8, 9};
    const auto out = net.forward(img);
    // zero padding: (0,0) = 2 + 4 - 4*1 + 0.5; (1,1) = 2+4+6+8 - 4*5 + 0.5; (2,1) = 5+7+9 - 4*8 + 0.5
    const std::vector<float> expect{2.5f, 1.5f, -3.5f, -2.5f, 0.5f, -6.5f, -15.5f, -10.5f, -21.5f};
    REQUIRE(out.size() == 9);
    for (std::size_t k = 0; k < 9; ++k) CHECK(out[k] == Approx(expect[k]).margin(1e-6));
}

TEST_CASE("cnn: random 2D and 3D networks equal the naive evaluation", "[cnn]") {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<float> u(0, 2);
    for (int dim : {2, 3}) {
        cnn_architecture a;
        a.dim = dim;
        a.size = dim == 2 ? 13 : 7;
        a.blocks = 2;
        a.convs_per_block = 2;
        a.filters = 3;
        a.unpadded = {2};
        cnn_model m = make_architecture(a);
        // a standalone batch norm and relu after the pool, a hidden linear + relu
        auto pool = std::find_if(m.layers.begin(), m.layers.end(),
                                 [](const cnn_layer& l) { return l.kind == cnn_layer_kind::max_pool; });
        cnn_layer bn = layer(cnn_layer_kind::batch_norm);
        bn.out = bn.in = a.double_filters ? 3 : 3;
        bn.gamma.assign(3, 1), bn.beta.assign(3, 0), bn.mean.assign(3, 0), bn.var.assign(3, 1);
        pool = m.layers.insert(pool + 1, bn);
        m.layers.insert(pool + 1, layer(cnn_layer_kind::relu));
        cnn_layer& last = m.layers[m.layers.size() - 2];
        REQUIRE(last.kind == cnn_layer_kind::linear);
        const std::uint32_t nin = last.in;
        last.out = 4;
        last.weight.assign(4 * nin, 0), last.bias.assign(4, 0);
        m.layers.insert(m.layers.end() - 1, layer(cnn_layer_kind::relu));
        cnn_layer l2 = layer(cnn_layer_kind::linear);
        l2.out = 2, l2.in = 4, l2.weight.assign(8, 0), l2.bias.assign(2, 0);
        m.layers.insert(m.layers.end() - 1, l2);
        randomize(m, rng);
        const cnn net(m);
        REQUIRE(net.output_size() == 2);
        const std::size_t nimg = 11;
        std::vector<float> x(nimg * net.input_size());
        for (auto& v : x) v = u(rng);
        for (std::size_t mb : {std::size_t(1), std::size_t(4), std::size_t(64)})
        for (cnn_kernel kernel : {cnn_kernel::automatic, cnn_kernel::portable}) {
            cnn n2 = net;
            n2.set_mini_batch(mb);
            n2.set_kernel(kernel);
            const auto y = n2.forward(x);
            double err = 0, spread = 0;
            for (std::size_t b = 0; b < nimg; ++b) {
                const auto ref = naive_forward(m, x.data() + b * net.input_size());
                for (std::size_t o = 0; o < 2; ++o) {
                    err = std::max(err, std::abs(double(y[b * 2 + o]) - ref[o]));
                    spread = std::max(spread, std::abs(ref[o] - 0.5));
                }
            }
            INFO("dim " << dim << " mini-batch " << mb << " kernel " << n2.kernel_name() << " max error " << err);
            CHECK(err < 2e-6);
            CHECK(spread > 0.05);  // the outputs are not all at the sigmoid's centre
        }
    }
}

TEST_CASE("cnn: thesis architectures have the thesis shapes", "[cnn]") {
    const cnn n2(make_architecture(thesis_architecture(2)));
    CHECK(n2.input_size() == 2 * 50 * 50);
    CHECK(n2.output_size() == 1);
    const cnn_model m2 = make_architecture(thesis_architecture(2));
    CHECK(m2.layers[m2.layers.size() - 2].in == 320);  // 1 x 1 x 320 before the output neuron
    std::size_t convs = 0;
    for (const auto& l : m2.layers) convs += l.kind == cnn_layer_kind::conv;
    CHECK(convs == 25);
    const cnn_model m3 = make_architecture(thesis_architecture(3));
    CHECK(m3.layers[m3.layers.size() - 2].in == 60 * 4 * 4 * 4);
    const cnn n3(m3);
    CHECK(n3.input_size() == 2 * 32 * 32 * 32);
}

TEST_CASE("cnn: file round trip and malformed files", "[cnn]") {
    std::mt19937_64 rng(1);
    cnn_architecture a;
    a.size = 6, a.blocks = 2, a.convs_per_block = 1, a.filters = 2;
    cnn_model m = make_architecture(a);
    randomize(m, rng);
    const auto dir = std::filesystem::temp_directory_path() / ("amorph_cnn_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto f = dir / "net.amcnn";
    write_cnn(f, m);
    const cnn_model r = read_cnn(f);
    REQUIRE(r.layers.size() == m.layers.size());
    for (std::size_t k = 0; k < r.layers.size(); ++k) {
        CHECK(r.layers[k].weight == m.layers[k].weight);
        CHECK(r.layers[k].var == m.layers[k].var);
    }
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    auto write = [&](const std::string& b) {
        std::ofstream o(f, std::ios::binary | std::ios::trunc);
        o.write(b.data(), std::streamsize(b.size()));
    };
    write(bytes.substr(0, bytes.size() - 3));
    CHECK_THROWS_AS(read_cnn(f), parse_error);
    write(bytes + "x");
    CHECK_THROWS_AS(read_cnn(f), parse_error);
    std::string bad = bytes;
    bad[0] = 'B';
    write(bad);
    CHECK_THROWS_AS(read_cnn(f), parse_error);
    bad = bytes;
    bad[8 + 4 * 7] = 9;  // first layer kind
    write(bad);
    CHECK_THROWS_AS(read_cnn(f), parse_error);
    // a header claiming millions of weights in a short file is refused before they are allocated
    // (fuzz_own_formats found an 8 GB allocation)
    REQUIRE(m.layers[0].kind == cnn_layer_kind::conv);
    bad = bytes;
    bad[8 + 4 * 8 + 2] = 0x10;  // conv.out += 2^20
    write(bad);
    try {
        read_cnn(f);
        FAIL("read");
    } catch (const parse_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("file ends early"));
    }
    // shapes that do not chain
    cnn_model wrong = m;
    wrong.layers[0].in = 3;
    wrong.layers[0].weight.resize(std::size_t(wrong.layers[0].out) * 3 * 9);
    CHECK_THROWS_AS(cnn(wrong), parse_error);
    std::filesystem::remove_all(dir);
    const cnn net(m);
    std::vector<float> x(5), y(1);
    CHECK_THROWS_AS(net.forward(x, y), amorph::invalid_argument);
}

TEST_CASE("cnn: batched prediction equals one forward pass", "[cnn]") {
    std::mt19937_64 rng(5);
    cnn_architecture a;
    a.size = 8, a.blocks = 2, a.convs_per_block = 1, a.filters = 3;
    cnn_model m = make_architecture(a);
    randomize(m, rng);
    const cnn net(m);
    std::vector<std::size_t> centers{4, 0, 9, 2, 2, 7, 1};
    auto make = [&](std::span<const std::size_t> c, std::span<float> img) {
        for (std::size_t k = 0; k < c.size(); ++k)
            for (std::size_t p = 0; p < net.input_size(); ++p)
                img[k * net.input_size() + p] = float(std::sin(0.3 * double(c[k]) + 0.01 * double(p)));
    };
    std::vector<float> all(centers.size() * net.input_size());
    make(centers, all);
    const auto ref = net.forward(all);
    std::vector<float> out(centers.size());
    predict_batched(net, centers, out, make, 3);
    for (std::size_t k = 0; k < centers.size(); ++k) CHECK(out[k] == ref[k]);
}
