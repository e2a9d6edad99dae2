// softmax: turns each row of scores into probabilities (for cross_entropy, feed logits instead).
#include "layers/activation.hpp"
#include "layers/output_range.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Layer, "softmax",
                 {Param::integer("axis", "-1",
                                 "axis of the batch tensor to normalize over (-1: last)")},
                 "e^x / sum(e^x) along axis (max-shifted, stable)", [](const Config& c) {
                   const int axis = static_cast<int>(c.get_int("axis"));
                   return make_activation([axis](Var x) { return ops::softmax(x, axis); });
                 });
GRADLAB_OUTPUT_RANGE("softmax", 0, 1);  // probabilities: bce takes them

}  // namespace gradlab
