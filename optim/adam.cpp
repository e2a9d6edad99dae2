// adam: adaptive moment estimation with L2 weight decay coupled into the gradient.
#include "optim/adam.hpp"

#include <cmath>

#include "plugins/registry.hpp"

namespace gradlab {

Adam::Adam(const AdamSettings& s) : SlottedOptimizer(s.lr, {"exp_avg", "exp_avg_sq"}), s_(s) {}

// One parameter's step in T; the bias corrections are computed in double, then cast once.
template <class T>
static void adam_update(const AdamSettings& s, T* w, const T* grad, T* m, T* v, int64_t n, double learning_rate,
                        double t) {
  const T step_size = static_cast<T>(learning_rate / (1 - std::pow(s.beta1, t)));
  const T sqrt_bc2 = static_cast<T>(std::sqrt(1 - std::pow(s.beta2, t)));
  const T lr = static_cast<T>(learning_rate), beta1 = static_cast<T>(s.beta1), beta2 = static_cast<T>(s.beta2);
  const T eps = static_cast<T>(s.eps), weight_decay = static_cast<T>(s.weight_decay);
  for (int64_t i = 0; i < n; ++i) {
    T g = grad[i];
    if (s.decoupled)
      w[i] *= 1 - lr * weight_decay;
    else
      g += weight_decay * w[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    w[i] -= step_size * m[i] / (std::sqrt(v[i]) / sqrt_bc2 + eps);
  }
}

void Adam::update(Parameter& p, std::span<Tensor> slots, double lr) {
  dispatch_float(p.value.dtype(), s_.decoupled ? "adamw" : "adam", [&]<class T>() {
    adam_update<T>(s_, p.value.data<T>(), p.grad.data<T>(), slots[0].data<T>(), slots[1].data<T>(),
                   p.value.numel(), lr, double(steps_taken()));
  });
}

AdamSettings Adam::settings(const Config& c, bool decoupled) {
  return AdamSettings{c.get_double("lr"),  c.get_double("beta1"),        c.get_double("beta2"),
                      c.get_double("eps"), c.get_double("weight_decay"), decoupled};
}

Schema Adam::schema(const char* weight_decay_default, const char* weight_decay_doc) {
  return {lr_param("0.001"),
          Param::real("beta1", "0.9", "decay of the first moment (PyTorch's betas[0])")
              .at_least(0)
              .below(1),
          Param::real("beta2", "0.999", "decay of the second moment (PyTorch's betas[1])")
              .at_least(0)
              .below(1),
          Param::real("eps", "1e-8", "added to the denominator").above(0),
          weight_decay_param(weight_decay_default, weight_decay_doc)};
}

GRADLAB_REGISTER(Optimizer, "adam",
                 Adam::schema("0", "adds weight_decay * w to the gradient (L2, coupled)"),
                 "w <- w - lr m_hat / (sqrt(v_hat) + eps), moments of g and g^2 bias-corrected",
                 [](const Config& c) { return std::make_unique<Adam>(Adam::settings(c, false)); });

}  // namespace gradlab
