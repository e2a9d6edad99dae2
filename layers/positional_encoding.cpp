// positional_encoding: adds to each step of a sequence [T, D] a vector that says where it is, so
// that attention (which treats its inputs as a set) can use their order.
//   sinusoidal ("Attention is all you need", section 3.5), a constant:
//     PE[t, 2i] = sin(t / 10000^(2i/D)),  PE[t, 2i+1] = cos(t / 10000^(2i/D))
//   learned: a weight [max_length, D] (as BERT's position embeddings); steps use its first T rows.
// Sequences longer than max_length are refused at build.
//   input: [28, 32], {type: positional_encoding} -> [28, 32]
#include <fmt/format.h>

#include <cmath>

#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class PositionalEncoding : public UnaryLayer {
 public:
  explicit PositionalEncoding(const Config& c)
      : learned_(c.get_string("kind") == "learned"),
        max_length_(c.get_int("max_length")),
        init_(make_initializer(c["init"])) {}

  std::vector<Parameter*> parameters() override {
    if (learned_) return {&weight_};
    return {};
  }

 protected:
  Shape build_one(const Shape& input, Rng& rng) override {
    require_rank(*this, input, 2, "[steps, features] sequences");
    steps_ = input[0];
    const int64_t dim = input[1];
    if (steps_ > max_length_)
      throw ShapeError(fmt::format("{}: sequences of {} steps are longer than its max_length {}", describe(*this),
                                   steps_, max_length_));
    if (learned_) {
      weight_ = make_parameter("weight", Shape{max_length_, dim}, *init_, max_length_, dim, rng);
      return input;
    }
    table_ = Tensor(Shape{steps_, dim});
    for (int64_t t = 0; t < steps_; ++t)
      for (int64_t d = 0; d < dim; ++d) {
        const double angle = static_cast<double>(t) / std::pow(10000.0, static_cast<double>(d - d % 2) / dim);
        table_[t * dim + d] = d % 2 == 0 ? std::sin(angle) : std::cos(angle);
      }
    return input;
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    // [T, D] broadcast over the batch
    if (!learned_) return x + ctx.tape.constant(in_dtype(table_, x.dtype(), table_cast_));
    Var rows = ctx.tape.param(weight_);
    return x + (steps_ == max_length_ ? rows : ops::slice(rows, 0, 0, steps_));
  }

 private:
  bool learned_;
  int64_t max_length_;
  std::unique_ptr<Initializer> init_;
  int64_t steps_ = 0;
  Tensor table_;      // sinusoidal: [T, D]
  Tensor table_cast_;  // table_ in a float32 input's dtype, made once
  Parameter weight_;  // learned: [max_length, D]
};

}  // namespace

GRADLAB_REGISTER(
    Layer, "positional_encoding",
    (Schema{
        Param::choice("kind", "sinusoidal", {"sinusoidal", "learned"},
                      "sinusoidal (a constant, Vaswani et al. 2017) or learned (a weight [max_length, D])"),
        Param::integer("max_length", "512", "the longest sequence it accepts (T <= max_length)").at_least(1),
        init_param("init", "{type: normal, std: 0.02}", "learned: the weight's initializer (BERT's N(0, 0.02^2))")}),
    "adds to each step t of [T, D] its position's vector: sinusoidal or learned (weight [max_length, D])",
    [](const Config& c) { return std::make_unique<PositionalEncoding>(c); });

}  // namespace gradlab
