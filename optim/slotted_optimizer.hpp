// SlottedOptimizer: what every built-in optimizer shares: per-parameter state tensors named by
// slot as in PyTorch ("momentum_buffer", "exp_avg", ...) and a step counter. A concrete optimizer
// only writes update(), the rule for one parameter, weight decay included (coupled or decoupled).
#pragma once
#include <string>
#include <vector>

#include "autograd/export.hpp"
#include "optim/optimizer.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

class GRADLAB_API SlottedOptimizer : public Optimizer {
 public:
  SlottedOptimizer(double base_lr, std::vector<std::string> slot_names);

  // Zero-filled slots per parameter, of the parameter's dtype (attach after Model::to).
  void attach(std::span<Parameter* const> params) override;
  void step(double lr) final;  // steps_taken() is 1 during the first update
  std::vector<Slot> state() override;
  int64_t steps_taken() const override { return steps_; }
  void set_steps_taken(int64_t n) override { steps_ = n; }

 protected:
  // Updates one parameter; slots[k] is this parameter's state named slot_names[k], of the
  // parameter's dtype (the built-ins dispatch_float once per parameter to a templated loop).
  virtual void update(Parameter& p, std::span<Tensor> slots, double lr) = 0;
  // Fills a slot with its initial value at attach time (default: zeros).
  virtual double slot_initial_value(size_t slot) const { return 0.0; }

 private:
  std::vector<std::string> slot_names_;
  std::vector<std::vector<Tensor>> slots_;  // [param][slot]
  int64_t steps_ = 0;
};

// Schema entries every optimizer shares.
GRADLAB_API Param lr_param(std::string default_value);
GRADLAB_API Param weight_decay_param(std::string default_value, std::string doc);

}  // namespace gradlab
