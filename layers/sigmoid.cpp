// sigmoid: the logistic function, the course's activation.
#include "layers/activation.hpp"
#include "layers/output_range.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Layer, "sigmoid", {},
                 "1 / (1 + e^-x); derivative at most 1/4, so deep sigmoid stacks vanish",
                 [](const Config& c) { return make_activation(ops::sigmoid); });
GRADLAB_OUTPUT_RANGE("sigmoid", 0, 1);  // probabilities: bce takes them

}  // namespace gradlab
