// relu: rectified linear unit.
#include "layers/activation.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Layer, "relu", {},
                 "max(x, 0); derivative 1 where active, so gradients pass deep nets",
                 [](const Config& c) { return make_activation(ops::relu); });

}  // namespace gradlab
