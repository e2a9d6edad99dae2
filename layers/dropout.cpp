// dropout: inverted dropout. In training each element is zeroed with probability p and the
// survivors are scaled by 1/(1-p), so that evaluation is the identity with no rescaling.
#include "layers/layer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Dropout : public UnaryLayer {
 public:
  explicit Dropout(const Config& c) : p_(c.get_double("p")) {}

 protected:
  Var forward_one(Var x, ForwardContext& ctx) override {
    // NB: no rng means a deterministic pass (evaluation, gradcheck): dropout is then the identity.
    if (!ctx.training || ctx.rng == nullptr || p_ == 0.0) return x;
    return ops::dropout(x, p_, *ctx.rng);
  }

 private:
  double p_;
};

}  // namespace

GRADLAB_REGISTER(
    Layer, "dropout",
    {Param::real("p", "0.5", "probability of zeroing an element in training").at_least(0).below(1)},
    "inverted dropout: zero with probability p, scale the rest by 1/(1-p); identity in evaluation",
    [](const Config& c) { return std::make_unique<Dropout>(c); });

}  // namespace gradlab
