// multi_head_attention: scaled dot-product self-attention over a sequence [T, D] (Vaswani et al.
// 2017, "Attention is all you need"), with PyTorch's nn.MultiheadAttention names, layout and
// initialization, so that PyTorch loads gradlab's weights as they are:
//   [q k v] = x in_proj_weight^T + in_proj_bias       in_proj_weight [3D, D], in_proj_bias [3D]
//   per head h (D/heads features each): A_h = softmax(q_h k_h^T / sqrt(D/heads)) over the keys
//   y = concat_h(A_h v_h) out_proj_weight^T + out_proj_bias    out_proj_weight [D, D], bias [D]
// `causal: true` hides the keys after each query (A_h is zero above the diagonal). Composed from
// primitives: no backward code of its own.
//   input: [28, 32], {type: multi_head_attention, heads: 4} -> [28, 32]
#include <fmt/format.h>

#include <cmath>

#include "layers/attention_weights.hpp"
#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

// NB: a finite fill, not -inf: softmax gives the masked keys exactly 0 either way (e^-1e9
// underflows), and check_numerics flags every Inf.
constexpr double kHidden = -1e9;

void fill_uniform(Tensor& t, double limit, Rng& rng) {
  for (double& v : t.span()) v = rng.uniform(-limit, limit);
}

class MultiHeadAttention : public UnaryLayer, public AttentionWeights {
 public:
  explicit MultiHeadAttention(const Config& c) : heads_(c.get_int("heads")), causal_(c.get_bool("causal")) {}

  std::vector<Parameter*> parameters() override {
    return {&in_proj_weight_, &in_proj_bias_, &out_proj_weight_, &out_proj_bias_};
  }
  Var last_attention_weights() const override { return weights_; }

 protected:
  Shape build_one(const Shape& input, Rng& rng) override {
    require_rank(*this, input, 2, "[steps, features] sequences");
    steps_ = input[0], dim_ = input[1];
    if (dim_ % heads_ != 0)
      throw ShapeError(fmt::format("{}: {} heads do not divide the {} features of its input {}", describe(*this),
                                   heads_, dim_, input.str()));
    // As PyTorch's _reset_parameters: xavier_uniform over all of in_proj_weight (fans D and 3D),
    // out_proj as nn.Linear's weight (U(+-1/sqrt(D))), both biases zero.
    in_proj_weight_ = Parameter("in_proj_weight", Tensor(Shape{3 * dim_, dim_}));
    fill_uniform(in_proj_weight_.value, std::sqrt(6.0 / static_cast<double>(dim_ + 3 * dim_)), rng);
    in_proj_bias_ = Parameter("in_proj_bias", Tensor(Shape{3 * dim_}, 0.0));
    out_proj_weight_ = Parameter("out_proj_weight", Tensor(Shape{dim_, dim_}));
    fill_uniform(out_proj_weight_.value, 1.0 / std::sqrt(static_cast<double>(dim_)), rng);
    out_proj_bias_ = Parameter("out_proj_bias", Tensor(Shape{dim_}, 0.0));
    future_ = Tensor(Shape{steps_, steps_}, 0.0);
    for (int64_t q = 0; q < steps_; ++q)
      for (int64_t k = q + 1; k < steps_; ++k) future_[q * steps_ + k] = 1.0;
    return input;
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    Tape& tape = ctx.tape;
    const int64_t n = x.shape()[0], per_head = dim_ / heads_;
    Var qkv = ops::linear(x, tape.param(in_proj_weight_), tape.param(in_proj_bias_));  // [N, T, 3D]
    const int64_t sizes[] = {dim_, dim_, dim_};
    Var parts[3];
    ops::split(qkv, -1, sizes, parts);
    // [N, T, D] -> [N, T, H, D/H] -> [N, H, T, D/H] (keys: [N, H, D/H, T], ready for q k^T)
    auto heads = [&](Var v, std::initializer_list<int> perm) {
      return ops::permute(ops::reshape(v, {n, steps_, heads_, per_head}), perm);
    };
    Var q = heads(parts[0], {0, 2, 1, 3}), k_t = heads(parts[1], {0, 2, 3, 1}), v = heads(parts[2], {0, 2, 1, 3});
    Var scores = ops::mul_scalar(ops::matmul(q, k_t), 1.0 / std::sqrt(static_cast<double>(per_head)));
    if (causal_) scores = ops::masked_fill(scores, tape.constant(in_dtype(future_, x.dtype(), future_cast_)), kHidden);
    weights_ = ops::softmax(scores, -1);                               // [N, H, T, T]
    Var mixed = ops::permute(ops::matmul(weights_, v), {0, 2, 1, 3});  // [N, T, H, D/H]
    return ops::linear(ops::reshape(mixed, {n, steps_, dim_}), tape.param(out_proj_weight_),
                       tape.param(out_proj_bias_));
  }

 private:
  int64_t heads_;
  bool causal_;
  int64_t steps_ = 0, dim_ = 0;
  Parameter in_proj_weight_, in_proj_bias_, out_proj_weight_, out_proj_bias_;
  Tensor future_;  // [T, T]: 1 where a key comes after its query (hidden when causal)
  Tensor future_cast_;  // future_ in a float32 input's dtype, made once
  Var weights_;
};

}  // namespace

GRADLAB_REGISTER(Layer, "multi_head_attention",
                 (Schema{
                     Param::integer("heads", "", "attention heads; must divide the input's features D").at_least(1),
                     Param::boolean("causal", "false", "hide from each step the steps after it (a decoder's mask)")}),
                 "self-attention over [T, D] -> [T, D]: in_proj_weight [3D, D], in_proj_bias [3D], out_proj_weight "
                 "[D, D], out_proj_bias [D] (PyTorch's nn.MultiheadAttention, its init too)",
                 [](const Config& c) { return std::make_unique<MultiHeadAttention>(c); });

}  // namespace gradlab
