// Adam (Kingma & Ba 2015) as PyTorch's torch.optim.Adam / AdamW, at step t:
//   adam:  g = grad + weight_decay w          (L2 coupled into the moments)
//   adamw: w = w (1 - lr weight_decay)        (decoupled, Loshchilov & Hutter 2019); g = grad
//   exp_avg = beta1 exp_avg + (1 - beta1) g;  exp_avg_sq = beta2 exp_avg_sq + (1 - beta2) g^2
//   w -= lr / (1 - beta1^t) * exp_avg / (sqrt(exp_avg_sq) / sqrt(1 - beta2^t) + eps)
// "adam" and "adamw" are two settings of this one rule.
#pragma once
#include "autograd/export.hpp"
#include "optim/slotted_optimizer.hpp"

namespace gradlab {

struct GRADLAB_API AdamSettings {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool decoupled = false;  // true: AdamW
};

class GRADLAB_API Adam : public SlottedOptimizer {
 public:
  explicit Adam(const AdamSettings& s);
  // Reads lr, beta1, beta2, eps, weight_decay from a resolved config.
  static AdamSettings settings(const Config& c, bool decoupled);
  static Schema schema(const char* weight_decay_default, const char* weight_decay_doc);

 protected:
  void update(Parameter& p, std::span<Tensor> slots, double lr) override;

 private:
  AdamSettings s_;
};

}  // namespace gradlab
