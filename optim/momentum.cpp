// momentum: sgd with a velocity (heavy ball), or Nesterov's look-ahead form; PyTorch's SGD.
#include "optim/sgd.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(
    Optimizer, "momentum",
    (Schema{
        lr_param("0.001"),
        Param::real("momentum", "0.9", "velocity decay (PyTorch's SGD defaults it to 0, plain sgd)")
            .above(0)
            .below(1),
        Param::real("dampening", "0", "scales the new gradient by 1 - dampening")
            .at_least(0)
            .at_most(1),
        Param::boolean("nesterov", "false", "use Nesterov momentum: g + momentum b"),
        weight_decay_param("0", "adds weight_decay * w to the gradient (L2)")}),
    "b <- momentum b + (1 - dampening) g;  w <- w - lr b  (nesterov: w - lr (g + momentum b))",
    [](const Config& c) {
      SgdSettings s{.lr = c.get_double("lr"),
                    .momentum = c.get_double("momentum"),
                    .dampening = c.get_double("dampening"),
                    .weight_decay = c.get_double("weight_decay"),
                    .nesterov = c.get_bool("nesterov")};
      if (s.nesterov && s.dampening != 0)
        c["dampening"].fail("must be 0 with nesterov: true (as in PyTorch)");
      return std::make_unique<Sgd>(s);
    });

}  // namespace gradlab
