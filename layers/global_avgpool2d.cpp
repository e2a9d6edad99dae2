// global_avgpool2d: the mean of each channel's whole plane, [C, H, W] -> [C] (PyTorch's
// nn.AdaptiveAvgPool2d(1) then flatten; Keras's GlobalAveragePooling2D). A CNN's usual bridge to
// its dense head.
#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class GlobalAvgPool2d : public UnaryLayer {
 public:

 protected:
  Shape build_one(const Shape& input, Rng&) override {
    require_rank(*this, input, 3, "[channels, height, width] input");
    return Shape{input[0]};
  }

  Var forward_one(Var x, ForwardContext&) override {
    const Shape s = x.shape();
    return ops::mean(ops::reshape(x, Shape{s[0], s[1], s[2] * s[3]}), 2);
  }
};

}  // namespace

GRADLAB_REGISTER(Layer, "global_avgpool2d", {}, "the mean of each channel over its height and width: [C, H, W] -> [C]",
                 [](const Config&) { return std::make_unique<GlobalAvgPool2d>(); });

}  // namespace gradlab
