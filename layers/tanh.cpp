// tanh: hyperbolic tangent.
#include "layers/activation.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Layer, "tanh", {}, "tanh(x), zero-centred; derivative at most 1",
                 [](const Config& c) { return make_activation(ops::tanh); });

}  // namespace gradlab
