// Sgd: stochastic gradient descent with optional (Nesterov) momentum, PyTorch's torch.optim.SGD:
//   g = grad + weight_decay * w
//   b = g on the first step, else momentum * b + (1 - dampening) * g      (if momentum > 0)
//   g = g + momentum * b  (nesterov)   or   g = b
//   w = w - lr * g
// "sgd" and "momentum" are two settings of this one rule.
#pragma once
#include "autograd/export.hpp"
#include "optim/slotted_optimizer.hpp"

namespace gradlab {

struct GRADLAB_API SgdSettings {
  double lr = 1e-3;
  double momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false;
};

class GRADLAB_API Sgd : public SlottedOptimizer {
 public:
  explicit Sgd(const SgdSettings& s);

 protected:
  void update(Parameter& p, std::span<Tensor> slots, double lr) override;

 private:
  SgdSettings s_;
};

}  // namespace gradlab
