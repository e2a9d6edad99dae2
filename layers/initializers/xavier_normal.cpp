// xavier_normal: Glorot normal, keeps variance for tanh/sigmoid-like layers.
#include "layers/initializers/variance_scaling.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(
    Initializer, "xavier_normal",
    {Param::real("gain", "1", "scales the std (PyTorch calculate_gain: 5/3 for tanh)").at_least(0)},
    "N(0, gain^2 * 2 / (fan_in + fan_out)) (Glorot & Bengio 2010)", [](const Config& c) {
      return std::make_unique<VarianceScaling>(c.get_double("gain") * c.get_double("gain"),
                                               VarianceScaling::Mode::FanAvg,
                                               VarianceScaling::Distribution::Normal);
    });

}  // namespace gradlab
