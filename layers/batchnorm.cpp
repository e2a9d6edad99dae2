// batchnorm: normalizes each feature over the batch (Ioffe & Szegedy 2015), then scales by its
// weight (the paper's gamma) and shifts by its bias (beta), named as in PyTorch. Training uses the
// batch's statistics and updates running ones; evaluation uses the running statistics, so a
// prediction does not depend on the rest of its batch.
#include <fmt/format.h>

#include "layers/batchnorm_base.hpp"
#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class BatchNorm : public BatchNormBase {
 public:
  explicit BatchNorm(const Config& c) : BatchNormBase(c) {}

 protected:
  Shape build_one(const Shape& input, Rng&) override {
    if (input.rank() < 1) require_rank(*this, input, 1, "[features] inputs");
    create_state(input);
    return input;
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    Tape& tape = ctx.tape;
    Var normalized;
    if (ctx.training) {
      const int64_t n = x.shape()[0];
      if (n < 2)
        throw ShapeError(fmt::format("{}: training needs more than one sample per batch, got {}",
                                     describe(*this), x.shape().str()));
      Var mean = ops::mean(x, 0, /*keepdim=*/true);
      Var centred = x - mean;
      Var var = ops::mean(ops::square(centred), 0, /*keepdim=*/true);  // biased, as PyTorch
      normalized = centred / ops::sqrt(ops::add_scalar(var, eps_));
      update_running(mean, var, n);
    } else {
      Var mean = running_constant(tape, running_mean_, running_mean_.shape());
      Var var = running_constant(tape, running_var_, running_var_.shape());
      normalized = (x - mean) / ops::sqrt(ops::add_scalar(var, eps_));
    }
    return normalized * tape.param(weight_) + tape.param(bias_);
  }
};

}  // namespace

GRADLAB_REGISTER(Layer, "batchnorm",
                 BatchNormBase::schema(),
                 "(x - mean) / sqrt(var + eps) * weight + bias per feature; batch statistics in "
                 "training, running statistics in evaluation",
                 [](const Config& c) { return std::make_unique<BatchNorm>(c); });

}  // namespace gradlab
