// gelu: Gaussian error linear unit.
#include "layers/activation.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Layer, "gelu", {},
                 "x * Phi(x), Phi the standard normal CDF (exact, as PyTorch's default)",
                 [](const Config& c) { return make_activation(ops::gelu); });

}  // namespace gradlab
