// add: the merge layer of a DAG's skip connection, y = x1 + x2 + ... (inputs of one shape).
#include <fmt/format.h>

#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Add : public Layer {
 public:

  Shape build(std::span<const Shape> inputs, Rng&) override {
    if (inputs.size() < 2)
      throw ShapeError(
          fmt::format("{}: takes two or more inputs, got {}", describe(*this), inputs.size()));
    for (size_t i = 1; i < inputs.size(); ++i)
      if (!(inputs[i] == inputs[0]))
        throw ShapeError(fmt::format("{}: input 0 {} vs input {} {}", describe(*this),
                                     inputs[0].str(), i, inputs[i].str()));
    return inputs[0];
  }

  Var forward(std::span<const Var> inputs, ForwardContext&) override {
    Var sum = inputs[0];
    for (size_t i = 1; i < inputs.size(); ++i) sum = sum + inputs[i];
    return sum;
  }
};

}  // namespace

GRADLAB_REGISTER(Layer, "add", {}, "sum of its inputs (all of one shape): a DAG's skip connection",
                 [](const Config&) { return std::make_unique<Add>(); });

}  // namespace gradlab
