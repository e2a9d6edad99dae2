#include <fmt/format.h>

#include "layers/layer.hpp"

namespace gradlab {

Shape UnaryLayer::build(std::span<const Shape> inputs, Rng& rng) {
  if (inputs.size() != 1)
    throw ShapeError(fmt::format("{} ({}): takes one input, got {}", name(), type(), inputs.size()));
  return build_one(inputs[0], rng);
}

Var UnaryLayer::forward(std::span<const Var> inputs, ForwardContext& ctx) {
  if (inputs.size() != 1)
    throw ShapeError(fmt::format("{} ({}): takes one input, got {}", name(), type(), inputs.size()));
  return forward_one(inputs[0], ctx);
}

}  // namespace gradlab
