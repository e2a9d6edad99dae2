// Regularizer: a penalty added to the loss (l2: lambda * sum w^2, so that SGD does the course's
// w <- w - lr (g + 2 lambda w)) and/or a constraint applied after each step (max_norm). Each one
// applies to the parameters selected by `apply_to` (weights by default, not biases).
#pragma once
#include <span>
#include <string>

#include "autograd/export.hpp"
#include "autograd/ops.hpp"

namespace gradlab {

class GRADLAB_API Regularizer {
 public:
  static constexpr const char* kind = "regularizer";
  virtual ~Regularizer() = default;

  // Whether the parameter named `param_name` ("weight", "bias", ...) is regularized.
  virtual bool applies_to(const std::string& param_name) const;
  // The penalty as a scalar Var over the selected parameters (already filtered), or an invalid
  // Var when this regularizer adds nothing to the loss.
  virtual Var penalty(Tape& tape, std::span<Parameter* const> params) const { return {}; }
  // A constraint after the optimizer step (max_norm).
  virtual void constrain(std::span<Parameter* const> params) const {}

 protected:
  std::string apply_to_ = "weights";  // weights | biases | all
};

}  // namespace gradlab
