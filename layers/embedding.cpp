// embedding: a lookup table from token ids to vectors, weight [vocab_size, dim] (PyTorch's
// nn.Embedding layout and name): input [T] ids -> [T, dim] (any input shape S -> S + [dim]).
// Ids arrive as int64, or as float64/float32 holding whole numbers: each must be in
// [0, vocab_size), checked at every forward. The gradient reaches the weight only (a row
// picked twice gets both gradients); ids are not differentiable.
//   input: 5, {type: embedding, vocab_size: 10, dim: 4} -> [5, 4]
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <type_traits>

#include "layers/layer_support.hpp"
#include "layers/token_ids.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

// "[3, 5]": the position of flat element k in a batch of this shape.
std::string position_text(const Shape& shape, int64_t k) {
  std::vector<int64_t> at(static_cast<size_t>(shape.rank()));
  for (int d = shape.rank() - 1; d >= 0; --d) {
    at[static_cast<size_t>(d)] = k % shape[d];
    k /= shape[d];
  }
  return fmt::format("[{}]", fmt::join(at, ", "));
}

class Embedding : public UnaryLayer, public TokenIds {
 public:
  explicit Embedding(const Config& c)
      : vocab_(c.get_int("vocab_size")), dim_(c.get_int("dim")), init_(make_initializer(c["init"])) {}

  std::vector<Parameter*> parameters() override { return {&weight_}; }
  int64_t id_range() const override { return vocab_; }

 protected:
  Shape build_one(const Shape& input, Rng& rng) override {
    if (input.rank() < 1 || input.rank() + 2 > Shape::kMaxRank)
      throw ShapeError(fmt::format("{}: expects ids of rank 1 to {} ([steps]), got {}", describe(*this),
                                   Shape::kMaxRank - 2, input.str()));
    weight_ = make_parameter("weight", Shape{vocab_, dim_}, *init_, vocab_, dim_, rng);
    Shape out = input;
    out.push_back(dim_);
    return out;
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    ids_.resize(static_cast<size_t>(x.numel()));
    visit_dtype(x.dtype(), [&]<class T>() { read_ids(x.data<T>(), x.shape()); });
    return ops::index_select(ctx.tape.param(weight_), 0, ids_, x.shape());
  }

  // Checks and copies this batch's ids (whole numbers in [0, vocab_size)) into ids_.
  template <class T>
  void read_ids(const T* v, const Shape& shape) {
    for (int64_t k = 0; k < shape.numel(); ++k) {
      // NB: IndexError, not ShapeError: bad data, which the model turns into exit 2 at its place.
      if constexpr (std::is_floating_point_v<T>) {
        if (v[k] != std::floor(v[k]))
          throw IndexError(
              fmt::format("{}: token id {} at {} is not a whole number", name(), v[k], position_text(shape, k)));
        if (!(v[k] >= 0 && static_cast<double>(v[k]) < static_cast<double>(vocab_)))
          throw IndexError(
              fmt::format("{}: token id {} at {} is outside [0, {})", name(), v[k], position_text(shape, k), vocab_));
      } else if (v[k] < 0 || v[k] >= vocab_) {
        throw IndexError(
            fmt::format("{}: token id {} at {} is outside [0, {})", name(), v[k], position_text(shape, k), vocab_));
      }
      ids_[static_cast<size_t>(k)] = static_cast<int64_t>(v[k]);
    }
  }

 private:
  int64_t vocab_, dim_;
  std::unique_ptr<Initializer> init_;
  Parameter weight_;
  std::vector<int64_t> ids_;  // this batch's ids, reused (no allocation per step)
};

}  // namespace

GRADLAB_REGISTER(Layer, "embedding",
                 (Schema{Param::integer("vocab_size", "", "number of token ids: ids are 0 .. vocab_size-1").at_least(1),
                         Param::integer("dim", "", "length of each token's vector").at_least(1),
                         init_param("init", "{type: normal, std: 1}",
                                    "weight initializer (PyTorch's nn.Embedding draws N(0, 1))")}),
                 "token ids [T] -> their rows of weight [vocab_size, dim]: [T, dim] (PyTorch's "
                 "nn.Embedding); ids outside [0, vocab_size) stop the run (exit 2)",
                 [](const Config& c) { return std::make_unique<Embedding>(c); });

}  // namespace gradlab
