// he_normal: Kaiming normal, keeps variance through ReLU layers.
#include "layers/initializers/variance_scaling.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(
    Initializer, "he_normal", {VarianceScaling::mode_param()},
    "N(0, 2 / fan) (He et al. 2015, for ReLU); the course's MLP and gradlab's dense default",
    [](const Config& c) {
      return std::make_unique<VarianceScaling>(2.0,
                                               VarianceScaling::parse_mode(c.get_string("mode")),
                                               VarianceScaling::Distribution::Normal);
    });

}  // namespace gradlab
