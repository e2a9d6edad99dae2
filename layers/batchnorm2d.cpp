// batchnorm2d: batchnorm per channel of [C, H, W] inputs (PyTorch's nn.BatchNorm2d): each channel
// is normalized over the batch and every pixel (N*H*W values), then scaled by weight [C] and
// shifted by bias [C]. Running statistics [C] as batchnorm's: updated in training, used in
// evaluation.
#include <fmt/format.h>

#include "layers/batchnorm_base.hpp"
#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class BatchNorm2d : public BatchNormBase {
 public:
  explicit BatchNorm2d(const Config& c) : BatchNormBase(c) {}

 protected:
  Shape build_one(const Shape& input, Rng&) override {
    require_rank(*this, input, 3, "[channels, height, width] input");
    create_state(Shape{input[0]});
    return input;
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    Tape& tape = ctx.tape;
    const Shape s = x.shape();
    const int64_t c = s[1], pixels = s[2] * s[3];
    const Shape per_channel{1, c, 1};
    // NB: a view [N, C, H*W] makes the statistics two single-axis means (equal groups, so the
    // mean of the per-image means is the mean over N*H*W).
    Var v = ops::reshape(x, Shape{s[0], c, pixels});
    Var normalized;
    if (ctx.training) {
      const int64_t count = s[0] * pixels;
      if (count < 2)
        throw ShapeError(
            fmt::format("{}: training needs more than one value per channel, got {}", describe(*this), s.str()));
      Var mean = ops::mean(ops::mean(v, 2, /*keepdim=*/true), 0, /*keepdim=*/true);
      Var centred = v - mean;
      Var var = ops::mean(ops::mean(ops::square(centred), 2, true), 0, true);  // biased, as PyTorch
      normalized = centred / ops::sqrt(ops::add_scalar(var, eps_));
      update_running(mean, var, count);
    } else {
      Var mean = running_constant(tape, running_mean_, per_channel);
      Var var = running_constant(tape, running_var_, per_channel);
      normalized = (v - mean) / ops::sqrt(ops::add_scalar(var, eps_));
    }
    Var y = normalized * ops::reshape(tape.param(weight_), per_channel) + ops::reshape(tape.param(bias_), per_channel);
    return ops::reshape(y, s);
  }
};

}  // namespace

GRADLAB_REGISTER(Layer, "batchnorm2d", BatchNormBase::schema(),
                 "(x - mean) / sqrt(var + eps) * weight + bias per channel of [C, H, W], statistics "
                 "over the batch and the pixels; batch statistics in training, running in evaluation",
                 [](const Config& c) { return std::make_unique<BatchNorm2d>(c); });

}  // namespace gradlab
