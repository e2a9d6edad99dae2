// adagrad: per-element learning rates that shrink with the sum of past squared gradients
// (Duchi et al. 2011), PyTorch's torch.optim.Adagrad:
//   clr = lr / (1 + (t - 1) lr_decay);  g = grad + weight_decay w
//   sum += g^2;  w -= clr g / (sqrt(sum) + eps)
#include <cmath>

#include "optim/slotted_optimizer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct AdagradSettings {
  double lr, lr_decay, weight_decay, initial_accumulator_value, eps;
};

class Adagrad : public SlottedOptimizer {
 public:
  explicit Adagrad(const AdagradSettings& s) : SlottedOptimizer(s.lr, {"sum"}), s_(s) {}

 protected:
  double slot_initial_value(size_t) const override { return s_.initial_accumulator_value; }

  void update(Parameter& p, std::span<Tensor> slots, double lr) override {
    const double clr = lr / (1 + double(steps_taken() - 1) * s_.lr_decay);
    dispatch_float(p.value.dtype(), "adagrad", [&]<class T>() {
      step<T>(p.value.data<T>(), p.grad.data<T>(), slots[0].data<T>(), p.value.numel(), clr);
    });
  }

  template <class T>
  void step(T* w, const T* grad, T* sum, int64_t n, double decayed_lr) const {
    const T clr = static_cast<T>(decayed_lr), weight_decay = static_cast<T>(s_.weight_decay);
    const T eps = static_cast<T>(s_.eps);
    for (int64_t i = 0; i < n; ++i) {
      const T g = grad[i] + weight_decay * w[i];
      sum[i] += g * g;
      w[i] -= clr * g / (std::sqrt(sum[i]) + eps);
    }
  }

 private:
  AdagradSettings s_;
};

}  // namespace

GRADLAB_REGISTER(
    Optimizer, "adagrad",
    (Schema{lr_param("0.01"),
            Param::real("lr_decay", "0", "lr / (1 + (step - 1) lr_decay)").at_least(0),
            weight_decay_param("0", "adds weight_decay * w to the gradient (L2)"),
            Param::real("initial_accumulator_value", "0", "starting value of sum").at_least(0),
            Param::real("eps", "1e-10", "added to sqrt(sum) before dividing").above(0)}),
    "sum <- sum + g^2;  w <- w - lr g / (sqrt(sum) + eps)", [](const Config& c) {
      return std::make_unique<Adagrad>(AdagradSettings{
          c.get_double("lr"), c.get_double("lr_decay"), c.get_double("weight_decay"),
          c.get_double("initial_accumulator_value"), c.get_double("eps")});
    });

}  // namespace gradlab
