// flatten: [n, d1, d2, ...] -> [n, d1 * d2 * ...], so that a dense layer can follow.
#include "layers/layer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Flatten : public UnaryLayer {
 public:

 protected:
  Shape build_one(const Shape& input, Rng&) override { return Shape{input.numel()}; }
  Var forward_one(Var x, ForwardContext&) override { return ops::flatten(x); }
};

}  // namespace

GRADLAB_REGISTER(Layer, "flatten", {},
                 "merges every feature axis into one: [n, ...] -> [n, prod(...)]",
                 [](const Config&) { return std::make_unique<Flatten>(); });

}  // namespace gradlab
