// mse: mean squared error, for regression.
#include "layers/loss.hpp"
#include "layers/losses/float_target.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Mse : Loss {
  Var operator()(Var pred, Var y) const override { return ops::mse(pred, float_target(y, pred.dtype())); }
  const char* decision() const override { return "none"; }
};

}  // namespace

GRADLAB_REGISTER(Loss, "mse", {}, "mean((prediction - target)^2) over every element",
                 [](const Config&) { return std::make_unique<Mse>(); });

}  // namespace gradlab
