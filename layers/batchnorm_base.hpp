// What batchnorm and batchnorm2d share: their keys, weight (gamma) and bias (beta) named as
// PyTorch names them, and running statistics with
// PyTorch's conventions (momentum weighs the new batch; the running variance is unbiased).
// Subclasses choose the shape of the statistics and the axes they are taken over.
#pragma once
#include <cstdint>

#include "layers/layer.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

class BatchNormBase : public UnaryLayer {
 public:
  static Schema schema() {
    return {Param::real("momentum", "0.1",
                        "running = (1 - momentum) running + momentum batch "
                        "(PyTorch's convention; Keras's 0.99 means 0.01 here)")
                .at_least(0)
                .at_most(1),
            Param::real("eps", "1e-5", "added to the variance before the sqrt").above(0)};
  }

  explicit BatchNormBase(const Config& c) : momentum_(c.get_double("momentum")), eps_(c.get_double("eps")) {}

  std::vector<Parameter*> parameters() override { return {&weight_, &bias_}; }
  std::vector<std::pair<std::string, Tensor*>> buffers() override {
    return {{"running_mean", &running_mean_}, {"running_var", &running_var_}};
  }

 protected:
  // weight 1, bias 0, running mean 0 and running variance 1, each of `shape`.
  void create_state(const Shape& shape) {
    weight_ = Parameter("weight", Tensor(shape, 1.0));
    bias_ = Parameter("bias", Tensor(shape, 0.0));
    running_mean_ = Tensor(shape, 0.0);
    running_var_ = Tensor(shape, 1.0);
  }

  // running = (1 - momentum) running + momentum batch, the batch variance unbiased by
  // count / (count - 1) (count: the values each statistic was taken over).
  void update_running(const double* mean, const double* var, int64_t count) {
    const double unbias = double(count) / double(count - 1);
    for (int64_t i = 0; i < running_mean_.numel(); ++i) {
      running_mean_[i] = (1 - momentum_) * running_mean_[i] + momentum_ * mean[i];
      running_var_[i] = (1 - momentum_) * running_var_[i] + momentum_ * var[i] * unbias;
    }
  }

  double momentum_, eps_;
  Parameter weight_, bias_;
  Tensor running_mean_, running_var_;
};

}  // namespace gradlab
