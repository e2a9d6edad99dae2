// Loss: maps a batch of predictions and targets to a scalar Var (mean over the batch).
#pragma once
#include "autograd/export.hpp"
#include "autograd/ops.hpp"

namespace gradlab {

class GRADLAB_API Loss {
 public:
  static constexpr const char* kind = "loss";
  virtual ~Loss() = default;
  virtual Var operator()(Var prediction, Var target) const = 0;
  // How predictions become class decisions for accuracy: "probability" (>= 0.5), "logit" (>= 0),
  // "argmax" (multi-class), "none" (regression).
  virtual const char* decision() const = 0;
};

}  // namespace gradlab
