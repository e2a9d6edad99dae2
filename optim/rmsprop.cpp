// rmsprop: divides the gradient by a running RMS of recent gradients (Hinton's lecture 6e),
// PyTorch's torch.optim.RMSprop:
//   g = grad + weight_decay w;  square_avg = alpha square_avg + (1 - alpha) g^2
//   avg = sqrt(square_avg) + eps   (centered: sqrt(square_avg - grad_avg^2) + eps)
//   w -= lr g / avg                (momentum > 0: b = momentum b + g / avg;  w -= lr b)
#include <cmath>

#include "optim/slotted_optimizer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct RmspropSettings {
  double lr, alpha, eps, weight_decay, momentum;
  bool centered;
};

std::vector<std::string> rmsprop_slots(const RmspropSettings& s) {
  std::vector<std::string> names{"square_avg"};
  if (s.momentum > 0) names.push_back("momentum_buffer");
  if (s.centered) names.push_back("grad_avg");
  return names;
}

class Rmsprop : public SlottedOptimizer {
 public:
  explicit Rmsprop(const RmspropSettings& s) : SlottedOptimizer(s.lr, rmsprop_slots(s)), s_(s) {}

 protected:
  void update(Parameter& p, std::span<Tensor> slots, double lr) override {
    dispatch_float(p.value.dtype(), "rmsprop", [&]<class T>() {
      T* buf = s_.momentum > 0 ? slots[1].data<T>() : nullptr;
      T* gavg = s_.centered ? slots.back().data<T>() : nullptr;
      step<T>(p.value.data<T>(), p.grad.data<T>(), slots[0].data<T>(), buf, gavg, p.value.numel(), lr);
    });
  }

  template <class T>
  void step(T* w, const T* grad, T* sq, T* buf, T* gavg, int64_t n, double learning_rate) const {
    const T lr = static_cast<T>(learning_rate), alpha = static_cast<T>(s_.alpha), eps = static_cast<T>(s_.eps);
    const T weight_decay = static_cast<T>(s_.weight_decay), momentum = static_cast<T>(s_.momentum);
    for (int64_t i = 0; i < n; ++i) {
      const T g = grad[i] + weight_decay * w[i];
      sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
      T var = sq[i];
      if (gavg) {
        gavg[i] = alpha * gavg[i] + (1 - alpha) * g;
        var -= gavg[i] * gavg[i];
      }
      const T step = g / (std::sqrt(var) + eps);
      if (buf) {
        buf[i] = momentum * buf[i] + step;
        w[i] -= lr * buf[i];
      } else {
        w[i] -= lr * step;
      }
    }
  }

 private:
  RmspropSettings s_;
};

}  // namespace

GRADLAB_REGISTER(
    Optimizer, "rmsprop",
    (Schema{
        lr_param("0.01"),
        Param::real("alpha", "0.99", "decay of the running mean of g^2").at_least(0).below(1),
        Param::real("eps", "1e-8", "added to the RMS before dividing").above(0),
        weight_decay_param("0", "adds weight_decay * w to the gradient (L2)"),
        Param::real("momentum", "0", "momentum on the scaled step (0: none)").at_least(0).below(1),
        Param::boolean("centered", "false", "divide by the gradient's std, not its RMS")}),
    "w <- w - lr g / (sqrt(mean of g^2) + eps)", [](const Config& c) {
      return std::make_unique<Rmsprop>(RmspropSettings{
          c.get_double("lr"), c.get_double("alpha"), c.get_double("eps"),
          c.get_double("weight_decay"), c.get_double("momentum"), c.get_bool("centered")});
    });

}  // namespace gradlab
