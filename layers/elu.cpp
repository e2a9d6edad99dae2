// elu: exponential linear unit, smooth below zero and saturating at -alpha.
#include "layers/activation.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(
    Layer, "elu",
    {Param::real("alpha", "1", "the value approached as x -> -inf is -alpha").at_least(0)},
    "x for x > 0, alpha (e^x - 1) otherwise", [](const Config& c) {
      const double alpha = c.get_double("alpha");
      return make_activation([alpha](Var x) { return ops::elu(x, alpha); });
    });

}  // namespace gradlab
