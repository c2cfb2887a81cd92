// amorph/learn/cnn_architecture.hpp — the CNN architecture of Fan's thesis
// ch. 5 as a model (cnn_model.hpp) with the given shapes.
//
// The thesis architecture (thesis_architecture()) is n_blocks blocks of
// n_conv 3^D conv + batch_norm + relu, a 2^D max_pool after every block but the
// last, filters f0 doubling after each pool (2D) or constant (3D), zero
// padding everywhere except where listed (2D thesis: conv 5 and 25 unpadded,
// so 50x50 ends at 1x1x320), then flatten + linear to 1 + sigmoid.
//
// make_architecture() gives it with zero weights and unit batch norm (tests,
// benchmarks); examples/ch5/train_cnn.py trains the same layers in PyTorch.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/learn/cnn_model.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace amorph::learn {

/// Options of the thesis architecture.
struct cnn_architecture {
    int dim = 2;
    std::uint32_t in_channels = 2;
    std::uint32_t size = 50;              ///< input pixels per axis
    std::uint32_t blocks = 5;             ///< conv blocks (a max_pool between blocks)
    std::uint32_t convs_per_block = 5;
    std::uint32_t filters = 20;
    bool double_filters = true;           ///< 2D thesis: yes; 3D thesis: no
    std::vector<std::uint32_t> unpadded;  ///< 1-based conv indices without zero padding
};

/// Thesis 2D (25 conv, 20 filters doubling, conv 5 and 25 unpadded) and 3D (20 conv, 60 filters).
inline cnn_architecture thesis_architecture(int dim) {
    cnn_architecture a;
    a.dim = dim;
    if (dim == 3) {
        a.size = 32;
        a.blocks = 4;
        a.filters = 60;
        a.double_filters = false;
    } else {
        a.unpadded = {5, 25};
    }
    return a;
}

/// The thesis architecture as a model with zero weights, unit batch norm and
/// the given shapes (for tests and benchmarks; train with examples/ch5).
inline cnn_model make_architecture(const cnn_architecture& a) {
    cnn_model m;
    m.dim = a.dim;
    m.in_channels = a.in_channels;
    m.in_shape = {a.dim == 3 ? a.size : 1u, a.size, a.size};
    std::uint32_t c = a.in_channels, f = a.filters, n = 0;
    std::array<std::uint32_t, 3> s = m.in_shape;
    const std::uint32_t kvol = a.dim == 3 ? 27u : 9u;
    for (std::uint32_t blk = 0; blk < a.blocks; ++blk) {
        for (std::uint32_t k = 0; k < a.convs_per_block; ++k) {
            ++n;
            const bool pad = std::find(a.unpadded.begin(), a.unpadded.end(), n) == a.unpadded.end();
            cnn_layer cv;
            cv.kind = cnn_layer_kind::conv;
            cv.out = f, cv.in = c, cv.kernel = 3, cv.padding = pad ? 1 : 0;
            cv.weight.assign(std::size_t(f) * c * kvol, 0.0f);
            cv.bias.assign(f, 0.0f);
            m.layers.push_back(cv);
            cnn_layer bn;
            bn.kind = cnn_layer_kind::batch_norm;
            bn.out = bn.in = f;
            bn.gamma.assign(f, 1.0f), bn.beta.assign(f, 0.0f), bn.mean.assign(f, 0.0f), bn.var.assign(f, 1.0f);
            m.layers.push_back(bn);
            m.layers.push_back(cnn_layer{});  // relu
            c = f;
            if (!pad)
                for (int d = (a.dim == 3 ? 0 : 1); d < 3; ++d) s[std::size_t(d)] -= 2;
        }
        if (blk + 1 < a.blocks) {
            cnn_layer p;
            p.kind = cnn_layer_kind::max_pool;
            p.kernel = p.stride = 2;
            m.layers.push_back(p);
            for (int d = (a.dim == 3 ? 0 : 1); d < 3; ++d) s[std::size_t(d)] /= 2;
            if (a.double_filters) f *= 2;
        }
    }
    cnn_layer fl;
    fl.kind = cnn_layer_kind::flatten;
    m.layers.push_back(fl);
    cnn_layer li;
    li.kind = cnn_layer_kind::linear;
    li.out = 1;
    li.in = c * s[0] * s[1] * s[2];
    li.weight.assign(li.in, 0.0f);
    li.bias.assign(1, 0.0f);
    m.layers.push_back(li);
    cnn_layer sg;
    sg.kind = cnn_layer_kind::sigmoid;
    m.layers.push_back(sg);
    return m;
}

}  // namespace amorph::learn
