// Optimizer: updates parameters from their gradients. Sorted in order of increasing complexity
// in the built-ins (sgd, momentum, rmsprop, adagrad, adam, adamw). State per parameter is named by
// slot ("momentum", "exp_avg", ...) so that checkpoints can save it as <layer>.<param>.<slot>.
#pragma once
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "autograd/export.hpp"
#include "autograd/parameter.hpp"

namespace gradlab {

class GRADLAB_API Optimizer {
 public:
  static constexpr const char* kind = "optimizer";
  virtual ~Optimizer() = default;

  // Called once with the parameters it will update, in a fixed order.
  virtual void attach(std::span<Parameter* const> params) { params_.assign(params.begin(), params.end()); }
  // One update with learning rate lr (the schedule's value for this step).
  virtual void step(double lr) = 0;
  double base_lr() const { return base_lr_; }

  // (parameter index, slot name, state tensor) for checkpoints.
  struct Slot {
    size_t param;
    std::string name;
    Tensor* tensor;
  };
  virtual std::vector<Slot> state() { return {}; }
  // Scalar state (step counters) saved as metadata.
  virtual int64_t steps_taken() const { return 0; }
  virtual void set_steps_taken(int64_t) {}

 protected:
  std::vector<Parameter*> params_;
  double base_lr_ = 0.01;
};

}  // namespace gradlab
