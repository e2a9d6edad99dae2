// xavier_uniform: Glorot uniform, Keras's default for Dense.
#include "layers/initializers/variance_scaling.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(
    Initializer, "xavier_uniform",
    {Param::real("gain", "1", "scales the limit (PyTorch calculate_gain: 5/3 for tanh)")
         .at_least(0)},
    "U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)); Keras's default (glorot_uniform)",
    [](const Config& c) {
      return std::make_unique<VarianceScaling>(c.get_double("gain") * c.get_double("gain"),
                                               VarianceScaling::Mode::FanAvg,
                                               VarianceScaling::Distribution::Uniform);
    });

}  // namespace gradlab
