// swish: x * sigmoid(beta x) with a trainable beta (Ramachandran et al. 2017). Built only from
// autograd ops, so it has no backward code: the tape differentiates it, gradcheck verifies it.
#include "layers/layer.hpp"
#include "plugins/registry.hpp"

namespace gradlab_example {
using namespace gradlab;

class Swish : public UnaryLayer {
 public:
  explicit Swish(const Config& c)
      : beta_("beta", Tensor(Shape{1}, c.get_double("beta"))), trainable_(c.get_bool("trainable")) {}

  std::vector<Parameter*> parameters() override {
    if (trainable_) return {&beta_};
    return {};
  }

 protected:
  Var forward_one(Var x, ForwardContext& ctx) override {
    Var beta = trainable_ ? ctx.tape.param(beta_) : ctx.tape.constant(beta_.value);
    return x * ops::sigmoid(x * beta);  // beta [1] broadcasts over [n, features]
  }

 private:
  Parameter beta_;
  bool trainable_;
};

GRADLAB_REGISTER(Layer, "swish",
                 (Schema{Param::real("beta", "1.0", "initial slope of the gate; 1 is SiLU"),
                         Param::boolean("trainable", "true", "learn beta with the weights")}),
                 "x * sigmoid(beta x), beta a learned scalar",
                 [](const Config& c) { return std::make_unique<Swish>(c); });

}  // namespace gradlab_example
