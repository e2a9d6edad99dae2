// bce_with_logits: binary cross-entropy on logits (no final sigmoid), stable for any logit.
#include "layers/loss.hpp"
#include "layers/losses/float_target.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct BceWithLogits : Loss {
  Var operator()(Var z, Var y) const override { return ops::bce_with_logits(z, float_target(y, z.dtype())); }
  const char* decision() const override { return "logit"; }
};

}  // namespace

GRADLAB_REGISTER(Loss, "bce_with_logits", {},
                 "bce of sigmoid(z) computed from logits z: mean(max(z,0) - z y + log(1 + e^-|z|))",
                 [](const Config&) { return std::make_unique<BceWithLogits>(); });

}  // namespace gradlab
