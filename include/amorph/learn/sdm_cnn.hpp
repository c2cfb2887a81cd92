// amorph/learn/sdm_cnn.hpp — a CNN on spatial density maps (thesis ch. 5):
// the probability that each atom rearranges under a given loading, and the
// named 2D loadings of the study.
//
// Named 2D loadings (loading_frame_2d(name)); the frame is the one the maps
// are drawn in (descriptor/sdm.hpp: rows x = shear direction iota, y = shear-
// plane normal eta; the elongation axis of the loading is the frame's y = x):
//   ss+          simple shear gamma_xy = +gamma: LAMMPS
//                `change_box all xy delta +gamma*ly remap`; frame (x, y)
//   ss-          gamma_xy = -gamma (`xy delta -gamma*ly`); frame (-x, y)
//   ps+          pure shear compressing x, stretching y: LAMMPS
//                `change_box all x scale 1-gamma/2 y scale 1+gamma/2 remap`;
//                frame iota = (-1, 1)/sqrt2, eta = (1, 1)/sqrt2
//   ps-          stretching x, compressing y (`x scale 1+gamma/2 y scale
//                1-gamma/2`); frame iota = (1, -1)/sqrt2, eta = (1, 1)/sqrt2
//   shear:THETA  simple shear along the direction at THETA degrees from x on
//                the plane with normal at THETA + 90 degrees
//                (descriptor::loading_frame_2d; shear:0 = ss+, and since only
//                the strain matters, shear:90 has the strain of ss-)
// These are the frames of examples/ch5 (its AQS and datasets).
//
// cnn_probability(net, sys, sdm, centers, mirror_average): for every center,
// the net's output (class probability of "rearranges") for the SDM of that
// atom drawn with `sdm` (its frame selects the loading). SDMs and the net
// run batch by batch (learn::predict_batched): memory holds one batch of
// maps, never all of them. With mirror_average the result is the mean over
// the mirror images of the map (4 in 2D, 8 in 3D; descriptor::mirror_index_map,
// thesis Fig. 5.10): the labels are invariant under that group and training
// draws one of its elements per image, so the mean removes what the net has
// not learned of the symmetry (mirror_count times the work of one pass).
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/core/vec.hpp"
#include "amorph/descriptor/sdm.hpp"
#include "amorph/learn/cnn.hpp"

#include <cmath>
#include <cstddef>
#include <exception>
#include <numbers>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace amorph::learn {

/// The loading frame of a named 2D loading (see the header): ss+, ss-, ps+,
/// ps-, or shear:THETA_DEG.
inline mat<2> loading_frame_2d(std::string_view name) {
    const double r = 1.0 / std::numbers::sqrt2;
    if (name == "ss+") return descriptor::loading_frame<2>(vec<2>(1, 0), vec<2>(0, 1));
    if (name == "ss-") return descriptor::loading_frame<2>(vec<2>(-1, 0), vec<2>(0, 1));
    if (name == "ps+") return descriptor::loading_frame<2>(vec<2>(-r, r), vec<2>(r, r));
    if (name == "ps-") return descriptor::loading_frame<2>(vec<2>(r, -r), vec<2>(r, r));
    if (name.starts_with("shear:")) {
        const std::string num(name.substr(6));
        std::size_t used = 0;
        double deg = 0;
        try {
            deg = std::stod(num, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != num.size() || !std::isfinite(deg))
            throw invalid_argument("loading '" + std::string(name) + "': shear:THETA needs an angle in degrees");
        return descriptor::loading_frame_2d(deg * std::numbers::pi / 180.0);
    }
    throw invalid_argument("unknown loading '" + std::string(name) + "' (ss+, ss-, ps+, ps- or shear:THETA_DEG)");
}

/// Probability (the net's first output) of every center from its SDM drawn
/// with `sdm`; the mean over the mirror images with mirror_average.
template <int D>
    requires supported_dimension<D>
std::vector<double> cnn_probability(const cnn& net, const amorph::system<D>& sys,
                                    const descriptor::sdm_settings<D>& sdm, std::span<const std::size_t> centers,
                                    bool mirror_average = true) {
    const descriptor::sdm_evaluator<D> ev(sdm, sys);
    if (ev.image_size() != net.input_size())
        throw invalid_argument("cnn: the net takes " + std::to_string(net.input_size()) + " floats per image, the SDM (" +
                               std::to_string(ev.channels()) + " channels x " + std::to_string(ev.grid()) + "^" +
                               std::to_string(D) + " pixels) has " + std::to_string(ev.image_size()) +
                               "; use the SDM settings (cutoff, delta, species) the net was trained with");
    if (net.output_size() != 1)
        throw invalid_argument("cnn: expected one output (a probability), the net has " + std::to_string(net.output_size()));
    const int n_sym = mirror_average ? descriptor::mirror_count<D> : 1;
    const std::size_t img = ev.image_size(), nc = ev.channels();
    std::vector<double> p(centers.size(), 0.0);
    std::vector<float> pf(centers.size()), plain;
    for (int k = 0; k < n_sym; ++k) {
        const auto map = descriptor::mirror_index_map<D>(ev.grid(), k);
        predict_batched(net, centers, pf, [&](std::span<const std::size_t> c, std::span<float> images) {
            if (k == 0) return ev.compute(c, images);
            plain.resize(images.size());
            ev.compute(c, plain);
            for (std::size_t i = 0; i < c.size(); ++i)
                descriptor::apply_index_map(std::span<const float>(plain).subspan(i * img, img), images.subspan(i * img, img),
                                            map, nc);
        });
        for (std::size_t i = 0; i < p.size(); ++i) p[i] += static_cast<double>(pf[i]) / n_sym;
    }
    for (double v : p)
        if (!std::isfinite(v)) throw error("cnn: non-finite output (a NaN or infinite weight?)");
    return p;
}

}  // namespace amorph::learn
