// sgd: plain gradient descent, w <- w - lr (g + weight_decay w): the course's update rule.
#include "optim/sgd.hpp"

#include "plugins/registry.hpp"

namespace gradlab {

Sgd::Sgd(const SgdSettings& s)
    : SlottedOptimizer(s.lr, s.momentum > 0 ? std::vector<std::string>{"momentum_buffer"}
                                            : std::vector<std::string>{}),
      s_(s) {}

// NB: settings in locals and __restrict pointers let both loops vectorise (otherwise a write to
// w could change s_ or grad, for all the compiler knows). Hyperparameters are cast to T once.
template <class T>
static void sgd_update(const SgdSettings& s, T* __restrict w, const T* __restrict grad, T* __restrict buf,
                       int64_t n, double learning_rate, bool first) {
  const T lr = static_cast<T>(learning_rate), wd = static_cast<T>(s.weight_decay);
  const T momentum = static_cast<T>(s.momentum), dampening = static_cast<T>(s.dampening);
  if (!buf) {
    for (int64_t i = 0; i < n; ++i) w[i] -= lr * (grad[i] + wd * w[i]);
    return;
  }
  const bool nesterov = s.nesterov;
  for (int64_t i = 0; i < n; ++i) {
    T g = grad[i] + wd * w[i];
    buf[i] = first ? g : momentum * buf[i] + (1 - dampening) * g;
    g = nesterov ? g + momentum * buf[i] : buf[i];
    w[i] -= lr * g;
  }
}

void Sgd::update(Parameter& p, std::span<Tensor> slots, double lr) {
  dispatch_float(p.value.dtype(), "sgd", [&]<class T>() {
    T* buf = s_.momentum > 0 ? slots[0].data<T>() : nullptr;
    sgd_update<T>(s_, p.value.data<T>(), p.grad.data<T>(), buf, p.value.numel(), lr, steps_taken() == 1);
  });
}

GRADLAB_REGISTER(Optimizer, "sgd",
                 (Schema{lr_param("0.001"),
                         weight_decay_param("0", "adds weight_decay * w to the gradient (L2)")}),
                 "w <- w - lr (g + weight_decay w)", [](const Config& c) {
                   return std::make_unique<Sgd>(SgdSettings{
                       .lr = c.get_double("lr"), .weight_decay = c.get_double("weight_decay")});
                 });

}  // namespace gradlab
