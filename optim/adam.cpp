// adam: adaptive moment estimation with L2 weight decay coupled into the gradient.
#include "optim/adam.hpp"

#include <cmath>

#include "plugins/registry.hpp"

namespace gradlab {

Adam::Adam(const AdamSettings& s) : SlottedOptimizer(s.lr, {"exp_avg", "exp_avg_sq"}), s_(s) {}

void Adam::update(Parameter& p, std::span<Tensor> slots, double lr) {
  const double t = double(steps_taken());
  const double step_size = lr / (1 - std::pow(s_.beta1, t));
  const double sqrt_bc2 = std::sqrt(1 - std::pow(s_.beta2, t));
  double* w = p.value.data();
  const double* grad = p.grad.data();
  double* m = slots[0].data();
  double* v = slots[1].data();
  for (int64_t i = 0; i < p.value.numel(); ++i) {
    double g = grad[i];
    if (s_.decoupled)
      w[i] *= 1 - lr * s_.weight_decay;
    else
      g += s_.weight_decay * w[i];
    m[i] = s_.beta1 * m[i] + (1 - s_.beta1) * g;
    v[i] = s_.beta2 * v[i] + (1 - s_.beta2) * g * g;
    w[i] -= step_size * m[i] / (std::sqrt(v[i]) / sqrt_bc2 + s_.eps);
  }
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
