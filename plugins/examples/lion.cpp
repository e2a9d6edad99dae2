// lion: the sign of an interpolated momentum (Chen et al. 2023, "Symbolic Discovery of
// Optimization Algorithms"). Every coordinate moves by exactly lr, so use a 3-10x smaller lr
// than Adam's.
//   c = beta1 m + (1 - beta1) g;   w <- w - lr (sign(c) + weight_decay w);   m <- beta2 m + (1 - beta2) g
#include "optim/slotted_optimizer.hpp"
#include "plugins/registry.hpp"

namespace gradlab_example {
using namespace gradlab;

class Lion : public SlottedOptimizer {
 public:
  explicit Lion(const Config& c)
      : SlottedOptimizer(c.get_double("lr"), {"exp_avg"}),
        beta1_(c.get_double("beta1")),
        beta2_(c.get_double("beta2")),
        weight_decay_(c.get_double("weight_decay")) {}

 protected:
  void update(Parameter& p, std::span<Tensor> slots, double lr) override {
    double* w = p.value.data();
    const double* g = p.grad.data();
    double* m = slots[0].data();
    for (int64_t i = 0; i < p.value.numel(); ++i) {
      const double c = beta1_ * m[i] + (1 - beta1_) * g[i];
      const double sign = (c > 0) - (c < 0);
      w[i] -= lr * (sign + weight_decay_ * w[i]);  // decoupled decay, as in the paper
      m[i] = beta2_ * m[i] + (1 - beta2_) * g[i];
    }
  }

 private:
  double beta1_, beta2_, weight_decay_;
};

GRADLAB_REGISTER(Optimizer, "lion",
                 (Schema{lr_param("0.0001"),
                         Param::real("beta1", "0.9", "interpolation of the update direction").at_least(0).below(1),
                         Param::real("beta2", "0.99", "decay of the momentum").at_least(0).below(1),
                         weight_decay_param("0", "decoupled: w <- w - lr weight_decay w")}),
                 "w <- w - lr sign(beta1 m + (1 - beta1) g); m <- beta2 m + (1 - beta2) g",
                 [](const Config& c) { return std::make_unique<Lion>(c); });

}  // namespace gradlab_example
