// What batchnorm and batchnorm2d share: their keys, weight (gamma) and bias (beta) named as
// PyTorch names them, and running statistics with
// PyTorch's conventions (momentum weighs the new batch; the running variance is unbiased).
// Subclasses choose the shape of the statistics and the axes they are taken over.
#pragma once
#include <cstdint>

#include "autograd/export.hpp"
#include "layers/layer.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

class GRADLAB_API BatchNormBase : public UnaryLayer {
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
  // count / (count - 1) (count: the values each statistic was taken over). The batch statistics
  // are Vars of the running statistics' dtype (Model::to converts both); arithmetic in double.
  void update_running(Var mean, Var var, int64_t count) {
    dispatch_float(running_mean_.dtype(), "batchnorm", [&]<class T>() {
      update_running_as<T>(mean.data<T>(), var.data<T>(), count);
    });
  }

  // The running statistic `t` as a constant of `shape` (its dtype kept).
  static Var running_constant(Tape& tape, const Tensor& t, const Shape& shape) {
    return dispatch_float(t.dtype(), "batchnorm", [&]<class T>() { return tape.constant(shape, t.data<T>()); });
  }

  double momentum_, eps_;
  Parameter weight_, bias_;
  Tensor running_mean_, running_var_;

 private:
  template <class T>
  void update_running_as(const T* mean, const T* var, int64_t count) {
    const double unbias = double(count) / double(count - 1);
    T* running_mean = running_mean_.data<T>();
    T* running_var = running_var_.data<T>();
    for (int64_t i = 0; i < running_mean_.numel(); ++i) {
      running_mean[i] = static_cast<T>((1 - momentum_) * double(running_mean[i]) + momentum_ * double(mean[i]));
      running_var[i] = static_cast<T>((1 - momentum_) * double(running_var[i]) + momentum_ * double(var[i]) * unbias);
    }
  }
};

}  // namespace gradlab
