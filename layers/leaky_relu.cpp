// leaky_relu: relu with a small slope for negative inputs, so no unit dies.
#include "layers/activation.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Layer, "leaky_relu",
                 {Param::real("slope", "0.01", "slope for x < 0 (PyTorch's negative_slope)")},
                 "x for x > 0, slope * x otherwise", [](const Config& c) {
                   const double slope = c.get_double("slope");
                   return make_activation([slope](Var x) { return ops::leaky_relu(x, slope); });
                 });

}  // namespace gradlab
