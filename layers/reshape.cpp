// reshape: gives each sample's features a new shape with the same number of elements, as
// torch.reshape / keras.layers.Reshape (the batch axis is kept). One size may be -1: inferred.
//   input: 64, {type: reshape, shape: [1, 8, 8]} -> [1, 8, 8] images from flat rows.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>

#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Reshape : public UnaryLayer {
 public:
  explicit Reshape(const Config& c) {
    const Config list = c["shape"];
    if (list.size() == 0 || static_cast<int>(list.size()) >= Shape::kMaxRank)
      list.fail(fmt::format("expected 1 to {} sizes, got {}", Shape::kMaxRank - 1, list.size()));
    for (size_t i = 0; i < list.size(); ++i) {
      const Config e = list[i];
      int64_t d = 0;
      try {
        d = e.as_int();
      } catch (const ConfigError&) {
        e.fail("expected a size >= 1 or -1, got " + e.describe());
      }
      if (d == 0 || d < -1) e.fail(fmt::format("expected a size >= 1 or -1, got {}", d));
      if (d == -1 && inferred_ >= 0) e.fail("only one size may be -1");
      if (d == -1) inferred_ = static_cast<int>(i);
      shape_.push_back(d);
    }
    written_ = fmt::format("[{}]", fmt::join(shape_, ","));
  }

 protected:
  Shape build_one(const Shape& input, Rng&) override {
    const int64_t n = input.numel();
    int64_t known = 1;  // the product of the sizes written, -1 left out
    for (size_t a = 0; a < shape_.size(); ++a)
      if (static_cast<int>(a) != inferred_ && __builtin_mul_overflow(known, shape_[a], &known))
        throw ShapeError(fmt::format("{}: cannot reshape {} ({} elements) into {} (more than {} elements)",
                                     describe(*this), input.str(), n, written_, INT64_MAX));
    if (inferred_ >= 0 && n % known != 0)
      throw ShapeError(fmt::format("{}: cannot reshape {} ({} elements) into {}: {} is not a multiple of {}",
                                   describe(*this), input.str(), n, written_, n, known));
    if (inferred_ < 0 && known != n)
      throw ShapeError(fmt::format("{}: cannot reshape {} ({} elements) into {} ({} elements)", describe(*this),
                                   input.str(), n, written_, known));
    features_ = Shape{};
    for (size_t a = 0; a < shape_.size(); ++a)
      features_.push_back(static_cast<int>(a) == inferred_ ? n / known : shape_[a]);
    return features_;
  }

  Var forward_one(Var x, ForwardContext&) override {
    Shape s{x.shape()[0]};
    for (int a = 0; a < features_.rank(); ++a) s.push_back(features_[a]);
    return ops::reshape(x, s);
  }

 private:
  std::vector<int64_t> shape_;  // as written, -1 included
  std::string written_;         // "[3,-1]", for messages
  int inferred_ = -1;           // the axis written -1
  Shape features_;              // resolved at build
};

}  // namespace

GRADLAB_REGISTER(Layer, "reshape",
                 {Param::list("shape", "",
                              "the new feature shape, batch excluded; one size may be -1 "
                              "(inferred)")
                      .with_example("[-1]")},
                 "gives each sample's features a new shape of as many elements: [64] -> [1, 8, 8]",
                 [](const Config& c) { return std::make_unique<Reshape>(c); });

}  // namespace gradlab
