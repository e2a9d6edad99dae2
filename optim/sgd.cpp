// sgd: plain gradient descent, w <- w - lr (g + weight_decay w): the course's update rule.
#include "optim/sgd.hpp"

#include "plugins/registry.hpp"

namespace gradlab {

Sgd::Sgd(const SgdSettings& s)
    : SlottedOptimizer(s.lr, s.momentum > 0 ? std::vector<std::string>{"momentum_buffer"}
                                            : std::vector<std::string>{}),
      s_(s) {}

// NB: settings in locals and __restrict pointers let both loops vectorise (otherwise a write to
// w could change s_ or grad, for all the compiler knows).
void Sgd::update(Parameter& p, std::span<Tensor> slots, double lr) {
  double* __restrict w = p.value.data();
  const double* __restrict grad = p.grad.data();
  const int64_t n = p.value.numel();
  const double wd = s_.weight_decay, momentum = s_.momentum, dampening = s_.dampening;
  if (momentum <= 0) {
    for (int64_t i = 0; i < n; ++i) w[i] -= lr * (grad[i] + wd * w[i]);
    return;
  }
  double* __restrict buf = slots[0].data();
  const bool first = steps_taken() == 1, nesterov = s_.nesterov;
  for (int64_t i = 0; i < n; ++i) {
    double g = grad[i] + wd * w[i];
    buf[i] = first ? g : momentum * buf[i] + (1 - dampening) * g;
    g = nesterov ? g + momentum * buf[i] : buf[i];
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
