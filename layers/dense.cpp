// dense: the fully connected layer y = x W^T + b, with W [units, in] and b [units] named
// "weight" and "bias" (PyTorch's nn.Linear layout). On a sequence [T, in] it maps every step
// with the same weights: [T, units].
#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Dense : public UnaryLayer {
 public:
  explicit Dense(const Config& c)
      : units_(c.get_int("units")),
        use_bias_(c.get_bool("use_bias")),
        init_(make_initializer(c["init"])),
        bias_init_(make_initializer(c["bias_init"])) {
  }

  std::vector<Parameter*> parameters() override {
    if (use_bias_) return {&weight_, &bias_};
    return {&weight_};
  }

 protected:
  Shape build_one(const Shape& input, Rng& rng) override {
    // NB: a sequence [T, F] is mapped step by step (the last axis, as nn.Linear); an image
    // [C, H, W] is refused rather than mixed along its rows, a beginner's silent mistake.
    if (input.rank() != 2)
      require_rank(*this, input, 1, "[features] or [steps, features] inputs (put a flatten layer first)");
    const int64_t in = input[input.rank() - 1];
    weight_ = make_parameter("weight", Shape{units_, in}, *init_, in, units_, rng);
    if (use_bias_) bias_ = make_parameter("bias", Shape{units_}, *bias_init_, in, units_, rng);
    Shape out = input;
    out[out.rank() - 1] = units_;
    return out;
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    return ops::linear(x, ctx.tape.param(weight_), use_bias_ ? ctx.tape.param(bias_) : Var{});
  }

 private:
  int64_t units_;
  bool use_bias_;
  std::unique_ptr<Initializer> init_, bias_init_;
  Parameter weight_, bias_;
};

}  // namespace

GRADLAB_REGISTER(Layer, "dense",
                 (Schema{Param::integer("units", "", "number of output features").at_least(1),
                         init_param("init", "he_normal",
                                    "weight initializer; he_normal as the course's MLP (Keras "
                                    "uses xavier_uniform, PyTorch a uniform +-1/sqrt(fan_in))"),
                         init_param("bias_init", "zeros", "bias initializer"),
                         Param::boolean("use_bias", "true", "add the bias b")}),
                 "fully connected: y = x W^T + b, weight [units, in], bias [units]; a sequence [T, in] -> [T, units], "
                 "step by step",
                 [](const Config& c) { return std::make_unique<Dense>(c); });

}  // namespace gradlab
