// lecun_normal: LeCun normal (a plain normal, not truncated as in Keras).
#include "layers/initializers/variance_scaling.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Initializer, "lecun_normal", {}, "N(0, 1 / fan_in) (LeCun 1998; for SELU)",
                 [](const Config& c) {
                   return std::make_unique<VarianceScaling>(1.0, VarianceScaling::Mode::FanIn,
                                                            VarianceScaling::Distribution::Normal);
                 });

}  // namespace gradlab
