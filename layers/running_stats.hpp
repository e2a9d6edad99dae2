// What batchnorm and batchnorm2d share: their keys and the running-statistics update, with
// PyTorch's conventions (momentum weighs the new batch; the running variance is unbiased).
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

inline Schema running_stats_schema() {
  return {Param::real("momentum", "0.1",
                      "running = (1 - momentum) running + momentum batch "
                      "(PyTorch's convention; Keras's 0.99 means 0.01 here)")
              .at_least(0)
              .at_most(1),
          Param::real("eps", "1e-5", "added to the variance before the sqrt").above(0)};
}

// running = (1 - momentum) running + momentum batch, the variance unbiased by count / (count - 1)
// (count: the values each statistic was taken over).
inline void update_running_stats(Tensor& running_mean, Tensor& running_var, const double* mean, const double* var,
                                 int64_t count, double momentum) {
  const double unbias = double(count) / double(count - 1);
  for (int64_t i = 0; i < running_mean.numel(); ++i) {
    running_mean[i] = (1 - momentum) * running_mean[i] + momentum * mean[i];
    running_var[i] = (1 - momentum) * running_var[i] + momentum * var[i] * unbias;
  }
}

}  // namespace gradlab
