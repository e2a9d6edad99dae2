// Targets for a loss that takes floats (bce, mse): int64 class ids converted to the prediction's
// dtype where the loss is applied, so that mse or bce on a set of class ids computes what it did
// when labels were doubles (PyTorch's MSELoss would refuse Long targets; gradlab keeps working).
#pragma once
#include "autograd/ops.hpp"

namespace gradlab {

// y itself when it is floating; else a cast to prediction's dtype (a tape node, no gradient).
inline Var float_target(Var y, DType prediction) {
  return y.dtype() == DType::int64 ? ops::cast(y, prediction) : y;
}

}  // namespace gradlab
