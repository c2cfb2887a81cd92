// Compiled by ctest (tests/learn/CMakeLists.txt) and expected to FAIL, naming
// the contract that is not met: settings whose evaluator has no n_features().
#include <amorph/learn/softness.hpp>

#include <span>

using namespace amorph;

namespace user {
struct bad_settings {};
struct bad_evaluator {
    void compute(std::span<const std::size_t>, Eigen::Ref<descriptor::feature_matrix>) const {}
    // no n_features()
};
template <int D>
bad_evaluator make_evaluator(const bad_settings&, const amorph::system<D>&) {
    return {};
}
}  // namespace user

int main() {
    amorph::system<3> sys;
    learn::linear_model m;
    std::vector<std::size_t> centers;
    (void)learn::apply_model(sys, centers, m, user::bad_settings{});
    return 0;
}
