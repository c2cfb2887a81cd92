// learn/sdm_cnn.hpp: the named 2D loadings against the deformation each name
// stands for in LAMMPS (the elongation axis of the strain increment must be the frame's
// diagonal y = x, as for positive simple shear in its own frame), and
// cnn_probability against the net run on explicitly mirrored maps.
#include "amorph/learn/sdm_cnn.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>

#include <cmath>
#include <filesystem>
#include <random>

using namespace amorph;

namespace {

// elongation axis of a LAMMPS loading step: the eigenvector of the largest
// eigenvalue of the strain increment sym(F - I) (simple shear's stretch axis
// of F F^T turns away from it by O(gamma) as the shear grows)
vec<2> elongation(const mat<2>& F) {
    const mat<2> e = 0.5 * ((F - mat<2>::Identity()) + (F - mat<2>::Identity()).transpose());
    const Eigen::SelfAdjointEigenSolver<mat<2>> es(e);
    return es.eigenvectors().col(1);
}

}  // namespace

TEST_CASE("sdm_cnn: each named loading puts its elongation axis on the frame's y = x", "[learn][sdm]") {
    const double g = 0.02;
    mat<2> ssp, ssm, psp, psm;
    ssp << 1, g, 0, 1;                  // change_box xy delta +g*ly
    ssm << 1, -g, 0, 1;                 // xy delta -g*ly
    psp << 1 - g / 2, 0, 0, 1 + g / 2;  // x scale 1-g/2 y scale 1+g/2
    psm << 1 + g / 2, 0, 0, 1 - g / 2;
    const std::vector<std::pair<std::string, mat<2>>> cases{{"ss+", ssp}, {"ss-", ssm}, {"ps+", psp}, {"ps-", psm}};
    for (const auto& [name, F] : cases) {
        INFO(name);
        const mat<2> R = learn::loading_frame_2d(name);
        CHECK((R * R.transpose() - mat<2>::Identity()).norm() < 1e-14);
        const vec<2> e = R * elongation(F);
        CHECK(std::abs(std::abs(e(0)) - std::abs(e(1))) < 1e-6);  // on a diagonal
        CHECK(e(0) * e(1) > 0);                                   // y = x, not y = -x
    }
    // shear:THETA is simple shear along THETA: shear:0 is ss+
    CHECK((learn::loading_frame_2d("shear:0") - learn::loading_frame_2d("ss+")).norm() < 1e-15);
    const mat<2> r30 = learn::loading_frame_2d("shear:30");
    CHECK(r30(0, 0) == Approx(std::cos(std::acos(-1.0) / 6)));
    CHECK(r30(0, 1) == Approx(0.5));
    CHECK_THROWS_AS(learn::loading_frame_2d("ss"), invalid_argument);
    CHECK_THROWS_AS(learn::loading_frame_2d("shear:"), invalid_argument);
    CHECK_THROWS_AS(learn::loading_frame_2d("shear:1x"), invalid_argument);
}

TEST_CASE("sdm_cnn: cnn_probability is the mean of the net over the mirrored maps", "[learn][sdm]") {
    const std::string path = AMORPH_SOURCE_DIR "/examples/ch5/weights/lj2d_cnn.amcnn";
    REQUIRE(std::filesystem::exists(path));
    const auto net = learn::cnn::load(path);
    // a random 2D binary configuration at the glass density
    amorph::system<2> sys;
    const double L = 12.0;
    sys.box = box<2>(mat<2>::Identity() * L);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0, L);
    const std::size_t n = 140;
    sys.positions.resize(2, static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i) {
        sys.positions(0, static_cast<Eigen::Index>(i)) = u(rng);
        sys.positions(1, static_cast<Eigen::Index>(i)) = u(rng);
        sys.types.push_back(static_cast<int>(i % 2));
        sys.ids.push_back(static_cast<std::int64_t>(i + 1));
    }
    sys.species = species_list::numbered(2);
    auto s = descriptor::sdm_thesis_2d();
    s.frame = learn::loading_frame_2d("ps-");
    const std::vector<std::size_t> centers{0, 7, 33, 139};
    const auto p = learn::cnn_probability<2>(net, sys, s, centers, true);
    const descriptor::sdm_evaluator<2> ev(s, sys);
    std::vector<float> img(centers.size() * ev.image_size()), mir(img.size()), out(centers.size());
    ev.compute(centers, img);
    std::vector<double> want(centers.size(), 0.0);
    for (int k = 0; k < 4; ++k) {
        const auto map = descriptor::mirror_index_map<2>(ev.grid(), k);
        for (std::size_t c = 0; c < centers.size(); ++c)
            descriptor::apply_index_map(std::span<const float>(img).subspan(c * ev.image_size(), ev.image_size()),
                                        std::span<float>(mir).subspan(c * ev.image_size(), ev.image_size()), map,
                                        ev.channels());
        net.forward(mir, out);
        for (std::size_t c = 0; c < centers.size(); ++c) want[c] += out[c] / 4.0;
    }
    for (std::size_t c = 0; c < centers.size(); ++c) CHECK(p[c] == Approx(want[c]).epsilon(1e-6));
    const auto plain = learn::cnn_probability<2>(net, sys, s, centers, false);
    net.forward(img, out);
    for (std::size_t c = 0; c < centers.size(); ++c) CHECK(plain[c] == Approx(out[c]).epsilon(1e-6));
    // a map that does not fit the net: one clear message
    auto small = s;
    small.cutoff = 4;
    CHECK_THROWS_WITH(learn::cnn_probability<2>(net, sys, small, centers), Catch::Contains("floats per image"));
}
