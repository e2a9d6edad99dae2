// he_uniform: Kaiming uniform, keeps variance through ReLU layers.
#include "layers/initializers/variance_scaling.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Initializer, "he_uniform", {VarianceScaling::mode_param()},
                 "U(-a, a), a = sqrt(6 / fan) (He et al. 2015, for ReLU)", [](const Config& c) {
                   return std::make_unique<VarianceScaling>(
                       2.0, VarianceScaling::parse_mode(c.get_string("mode")),
                       VarianceScaling::Distribution::Uniform);
                 });

}  // namespace gradlab
