// adamw: adam with decoupled weight decay, w <- w (1 - lr weight_decay) before the adam step.
#include "optim/adam.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

GRADLAB_REGISTER(Optimizer, "adamw",
                 Adam::schema("0.01", "decoupled decay: w <- w (1 - lr weight_decay) each step"),
                 "adam whose weight decay shrinks w directly instead of entering the moments",
                 [](const Config& c) { return std::make_unique<Adam>(Adam::settings(c, true)); });

}  // namespace gradlab
