// maxpool2d and avgpool2d: a window's maximum or mean over each channel of [C, H, W] inputs, as
// PyTorch's nn.MaxPool2d / nn.AvgPool2d (stride null is the pool size; avgpool2d counts padded
// cells as zeros, PyTorch's count_include_pad). One class: only the op differs.
#include <fmt/format.h>

#include "layers/layer_support.hpp"
#include "layers/window_params.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Pool2d : public UnaryLayer {
 public:
  using Op = Var (*)(Var, const ops::Pool2dOptions&);

  Pool2d(const Config& c, Op op) : op_(op) {
    opt_.kernel = read_pair(c["pool_size"], 1);
    opt_.stride = c["stride"].is_null() ? opt_.kernel : read_pair(c["stride"], 1);
    opt_.padding = read_pair(c["padding"], 0);
    for (int a = 0; a < 2; ++a)
      if (2 * opt_.padding[a] > opt_.kernel[a])
        c["padding"].fail(
            fmt::format("padding {} is more than half the pool {} (PyTorch's limit: a "
                        "window must hold a real cell)",
                        pair_text(opt_.padding), pair_text(opt_.kernel)));
  }

 protected:
  Shape build_one(const Shape& input, Rng&) override {
    require_rank(*this, input, 3, "[channels, height, width] input");
    Pair out{};
    for (int a = 0; a < 2; ++a) {
      const int64_t padded = input[a + 1] + 2 * opt_.padding[a];
      if (padded < opt_.kernel[a])
        throw ShapeError(fmt::format(
            "{}: pool {} larger than its {} input{}", describe(*this), pair_text(opt_.kernel), plane_text(input),
            opt_.padding == Pair{0, 0} ? "" : fmt::format(" padded by {}", pair_text(opt_.padding))));
      out[a] = (padded - opt_.kernel[a]) / opt_.stride[a] + 1;
    }
    return Shape{input[0], out[0], out[1]};
  }

  Var forward_one(Var x, ForwardContext&) override { return op_(x, opt_); }

 private:
  Op op_;
  ops::Pool2dOptions opt_;
};

Schema pool_schema() {
  return {pair_param("pool_size", "2", "window height and width"),
          pair_param("stride", "null", "step between windows; null: the pool size (PyTorch's default)"),
          pair_param("padding", "0", "padding on each side, at most half the pool")};
}

// Plain functions, so that their address fits Pool2d::Op (ops::max_pool2d has a default argument).
Var max_pool(Var x, const ops::Pool2dOptions& o) { return ops::max_pool2d(x, o); }
Var avg_pool(Var x, const ops::Pool2dOptions& o) { return ops::avg_pool2d(x, o); }

}  // namespace

GRADLAB_REGISTER(Layer, "maxpool2d", pool_schema(),
                 "the maximum of each pool_size window per channel: [C, H, W] -> [C, OH, OW]; "
                 "padding never wins",
                 [](const Config& c) { return std::make_unique<Pool2d>(c, &max_pool); });

GRADLAB_REGISTER(Layer, "avgpool2d", pool_schema(),
                 "the mean of each pool_size window per channel: [C, H, W] -> [C, OH, OW]; "
                 "padded cells count as zeros (PyTorch's count_include_pad)",
                 [](const Config& c) { return std::make_unique<Pool2d>(c, &avg_pool); });

}  // namespace gradlab
