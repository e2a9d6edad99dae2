// sgd: plain gradient descent, w <- w - lr (g + weight_decay w): the course's update rule.
#include "optim/sgd.hpp"

#include "plugins/registry.hpp"

namespace gradlab {

Sgd::Sgd(const SgdSettings& s)
    : SlottedOptimizer(s.lr, s.momentum > 0 ? std::vector<std::string>{"momentum_buffer"}
                                            : std::vector<std::string>{}),
      s_(s) {}

void Sgd::update(Parameter& p, std::span<Tensor> slots, double lr) {
  double* w = p.value.data();
  const double* grad = p.grad.data();
  double* buf = s_.momentum > 0 ? slots[0].data() : nullptr;
  const bool first = steps_taken() == 1;
  for (int64_t i = 0; i < p.value.numel(); ++i) {
    double g = grad[i] + s_.weight_decay * w[i];
    if (buf) {
      buf[i] = first ? g : s_.momentum * buf[i] + (1 - s_.dampening) * g;
      g = s_.nesterov ? g + s_.momentum * buf[i] : buf[i];
    }
    w[i] -= lr * g;
  }
}

GRADLAB_REGISTER(Optimizer, "sgd",
                 (Schema{lr_param("0.001"),
                         weight_decay_param("0", "adds weight_decay * w to the gradient (L2)")}),
                 "w <- w - lr (g + weight_decay w)", [](const Config& c) {
                   return std::make_unique<Sgd>(SgdSettings{
                       .lr = c.get_double("lr"), .weight_decay = c.get_double("weight_decay")});
                 });

}  // namespace gradlab
