// The logits behind a prediction that a final sigmoid or softmax made, read off the tape as Keras
// reads `_keras_logits`: a loss computed from them has the gradient (p - y)/N even where the
// activation saturates (there its own derivative is exactly 0 and the network would freeze).
#pragma once
#include <string_view>

#include "autograd/tape.hpp"

namespace gradlab {

// The input of the op `op` (e.g. "sigmoid") that computed `prediction`, or an empty Var when
// another op computed it.
inline Var logits_behind(Var prediction, std::string_view op) {
  const Node& n = prediction.node();
  if (n.num_inputs() != 1 || std::string_view(n.op) != op) return {};
  return Var(&prediction.tape(), n.inputs[0], prediction.generation());
}

}  // namespace gradlab
