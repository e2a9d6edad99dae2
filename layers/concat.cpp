// concat: the merge layer that joins its inputs' features, [n, a] + [n, b] -> [n, a + b].
#include <fmt/format.h>

#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Concat : public Layer {
 public:

  // Joins along the last feature axis; every other axis must agree.
  Shape build(std::span<const Shape> inputs, Rng&) override {
    if (inputs.size() < 2)
      throw ShapeError(
          fmt::format("{}: takes two or more inputs, got {}", describe(*this), inputs.size()));
    Shape out = inputs[0];
    if (out.rank() < 1) require_rank(*this, out, 1, "[features] inputs");
    const int last = out.rank() - 1;
    for (size_t i = 1; i < inputs.size(); ++i) {
      Shape s = inputs[i];
      bool fits = s.rank() == out.rank();
      for (int a = 0; fits && a < last; ++a) fits = s[a] == out[a];
      if (!fits)
        throw ShapeError(
            fmt::format("{}: input 0 {} vs input {} {} (all but the last axis must agree)",
                        describe(*this), inputs[0].str(), i, s.str()));
      out[last] += s[last];
    }
    return out;
  }

  Var forward(std::span<const Var> inputs, ForwardContext&) override {
    return ops::concat(inputs, -1);
  }
};

}  // namespace

GRADLAB_REGISTER(Layer, "concat", {}, "joins its inputs along the last feature axis",
                 [](const Config&) { return std::make_unique<Concat>(); });

}  // namespace gradlab
