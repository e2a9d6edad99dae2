// conv2d: a 2-d convolution over [channels, height, width] inputs (NCHW batches), weight
// [filters, in_channels, kh, kw] and bias [filters], PyTorch's nn.Conv2d layout and names.
// `padding: same` pads so that the output is ceil(H / stride) x ceil(W / stride) (H x W at
// stride 1); an odd total puts the extra row and column at the bottom and right, as PyTorch and
// TensorFlow do. `activation: relu` rectifies the output in the same op (Keras' Conv2D
// activation='relu'): the same numbers as a relu layer after it, without a pass over memory.
#include <fmt/format.h>

#include <algorithm>

#include "layers/layer_support.hpp"
#include "layers/window_params.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

// `padding:` as written: a size, or same / valid (resolved once the input size is known).
struct PaddingKey {
  bool same = false;
  Pair size{0, 0};  // explicit (valid: 0)

  static PaddingKey read(const Config& v) {
    if (v.is_scalar() && (v.as_string() == "same" || v.as_string() == "valid"))
      return {v.as_string() == "same", {0, 0}};
    try {
      return {false, read_pair(v, 0)};
    } catch (const ConfigError&) {
      v.fail(fmt::format("expected same, valid, an integer >= 0 or a pair [height, width], got {}", v.describe()));
    }
  }
};

class Conv2d : public UnaryLayer {
 public:
  explicit Conv2d(const Config& c)
      : filters_(c.get_int("filters")),
        kernel_(read_pair(c["kernel_size"], 1)),
        stride_(read_pair(c["stride"], 1)),
        dilation_(read_pair(c["dilation"], 1)),
        padding_(PaddingKey::read(c["padding"])),
        use_bias_(c.get_bool("use_bias")),
        relu_(c.get_string("activation") == "relu"),
        init_(make_initializer(c["init"])),
        bias_init_(make_initializer(c["bias_init"])) {
  }

  std::vector<Parameter*> parameters() override {
    if (use_bias_) return {&weight_, &bias_};
    return {&weight_};
  }

 protected:
  Shape build_one(const Shape& input, Rng& rng) override {
    require_rank(*this, input, 3, "[channels, height, width] input");
    const int64_t channels = input[0];
    Pair span{}, total{}, out{};
    for (int a = 0; a < 2; ++a) {
      const int64_t size = input[a + 1];
      span[a] = dilation_[a] * (kernel_[a] - 1) + 1;
      total[a] = 2 * padding_.size[a];
      if (padding_.same) {
        const int64_t want = (size + stride_[a] - 1) / stride_[a];
        total[a] = std::max<int64_t>((want - 1) * stride_[a] + span[a] - size, 0);
      }
      before_[a] = total[a] / 2;
      extra_[a] = total[a] - 2 * before_[a];
      out[a] = (size + total[a] - span[a]) / stride_[a] + 1;
    }
    if (input[1] + total[0] < span[0] || input[2] + total[1] < span[1]) {
      std::string kernel = pair_text(kernel_), padded;
      if (dilation_ != Pair{1, 1})
        kernel += fmt::format(" (dilation {}: spans {}x{})", pair_text(dilation_), span[0], span[1]);
      if (total != Pair{0, 0}) padded = fmt::format(" (padded: {}x{})", input[1] + total[0], input[2] + total[1]);
      throw ShapeError(
          fmt::format("{}: kernel {} larger than its {} input{}", describe(*this), kernel, plane_text(input), padded));
    }
    const int64_t fan_in = channels * kernel_[0] * kernel_[1], fan_out = filters_ * kernel_[0] * kernel_[1];
    weight_ = make_parameter("weight", Shape{filters_, channels, kernel_[0], kernel_[1]}, *init_, fan_in, fan_out, rng);
    if (use_bias_) bias_ = make_parameter("bias", Shape{filters_}, *bias_init_, fan_in, fan_out, rng);
    return Shape{filters_, out[0], out[1]};
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    // NB: the conv op pads symmetrically; an odd `same` total adds its last row and column first.
    if (extra_[0] || extra_[1]) x = ops::pad(x, {{0, 0}, {0, 0}, {0, extra_[0]}, {0, extra_[1]}});
    ops::Conv2dOptions opt;
    opt.stride = stride_;
    opt.padding = before_;
    opt.dilation = dilation_;
    opt.relu = relu_;
    return ops::conv2d(x, ctx.tape.param(weight_), use_bias_ ? ctx.tape.param(bias_) : Var{}, opt);
  }

 private:
  int64_t filters_;
  Pair kernel_, stride_, dilation_;
  PaddingKey padding_;
  bool use_bias_, relu_;
  std::unique_ptr<Initializer> init_, bias_init_;
  Parameter weight_, bias_;
  Pair before_{0, 0}, extra_{0, 0};  // resolved padding: both sides, and the bottom/right only
};

}  // namespace

GRADLAB_REGISTER(Layer, "conv2d",
                 (Schema{Param::integer("filters", "", "number of output channels").at_least(1),
                         pair_param("kernel_size", "", "kernel height and width").with_example("2"),
                         pair_param("stride", "1", "step between windows"),
                         Param{"padding",
                               ParamType::Any,
                               "0",
                               "zeros around the input: N, [height, width], valid (0) or same (output "
                               "ceil(size / stride); extra at the bottom/right)",
                               {},
                               {},
                               false,
                               false,
                               {},
                               "",
                               false,
                               ""},
                         pair_param("dilation", "1", "spacing between kernel cells"),
                         Param::boolean("use_bias", "true", "add the bias b"),
                         Param::choice("activation", "none", {"none", "relu"},
                                       "relu: max(0, y) in the same op (as Keras' Conv2D), the numbers of a "
                                       "relu layer after it in one pass less over memory"),
                         init_param("init", "he_normal",
                                    "weight initializer; fans are in_channels*kh*kw and filters*kh*kw (PyTorch "
                                    "uses a uniform +-1/sqrt(fan_in), Keras glorot_uniform)"),
                         init_param("bias_init", "zeros", "bias initializer")}),
                 "2-d convolution over [C, H, W]: weight [filters, C, kh, kw], bias [filters] (PyTorch's "
                 "layout) -> [filters, OH, OW]",
                 [](const Config& c) { return std::make_unique<Conv2d>(c); });

}  // namespace gradlab
