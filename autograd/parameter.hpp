// Parameter: a trainable tensor that lives outside the tape and keeps its gradient across steps
// (accumulated by every backward until zero_grad, as in PyTorch).
#pragma once
#include <string>

#include "autograd/export.hpp"
#include "autograd/tensor.hpp"

namespace gradlab {

struct GRADLAB_API Parameter {
  Parameter() = default;
  Parameter(std::string name, Tensor value)
      : name(std::move(name)), value(std::move(value)), grad(this->value.shape(), this->value.dtype()) {}

  std::string name;  // "weight", "bias", "gamma", ... (the layer prefixes its own name)
  Tensor value;
  Tensor grad;
  void zero_grad() { grad.fill(0.0); }
};

}  // namespace gradlab
