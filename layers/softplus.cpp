// softplus: a smooth relu, log(1 + e^(beta x)) / beta (PyTorch's nn.Softplus, without threshold).
#include "layers/activation.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Layer, "softplus",
                 {Param::real("beta", "1", "sharpness: larger beta is closer to relu").above(0)},
                 "log(1 + e^(beta x)) / beta", [](const Config& c) {
                   const double beta = c.get_double("beta");
                   if (beta == 1.0) return make_activation(ops::softplus);
                   // Composite: gradients come from mul_scalar and softplus.
                   return make_activation([beta](Var x) {
                     return ops::mul_scalar(ops::softplus(ops::mul_scalar(x, beta)), 1.0 / beta);
                   });
                 });

}  // namespace gradlab
