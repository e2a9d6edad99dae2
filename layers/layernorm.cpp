// layernorm: normalizes each sample over its last axis (Ba et al. 2016), then scales by its weight
// and shifts by its bias (the paper's gamma and beta, named as in PyTorch). Unlike batchnorm it
// needs no batch statistics: training and evaluation agree.
#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class LayerNorm : public UnaryLayer {
 public:
  explicit LayerNorm(const Config& c) : eps_(c.get_double("eps")) {}

  std::vector<Parameter*> parameters() override { return {&weight_, &bias_}; }

 protected:
  Shape build_one(const Shape& input, Rng&) override {
    if (input.rank() < 1) require_rank(*this, input, 1, "[features] inputs");
    const Shape last{input[input.rank() - 1]};
    weight_ = Parameter("weight", Tensor(last, 1.0));
    bias_ = Parameter("bias", Tensor(last, 0.0));
    return input;
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    Var centred = x - ops::mean(x, -1, /*keepdim=*/true);
    Var var = ops::mean(ops::square(centred), -1, /*keepdim=*/true);  // biased, as PyTorch
    Var normalized = centred / ops::sqrt(ops::add_scalar(var, eps_));
    return normalized * ctx.tape.param(weight_) + ctx.tape.param(bias_);
  }

 private:
  double eps_;
  Parameter weight_, bias_;
};

}  // namespace

GRADLAB_REGISTER(Layer, "layernorm",
                 {Param::real("eps", "1e-5", "added to the variance before the sqrt").above(0)},
                 "(x - mean) / sqrt(var + eps) * weight + bias over each sample's last axis",
                 [](const Config& c) { return std::make_unique<LayerNorm>(c); });

}  // namespace gradlab
