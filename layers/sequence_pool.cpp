// sequence_pool: one vector from a sequence [T, F] -> [F], pooling over the steps: the last step
// (an encoder read to the end, as Keras's return_sequences=False), their mean (global average
// pooling over time), or their maximum per feature (the gradient goes to the first maximum).
//   input: [28, 32], {type: sequence_pool, mode: mean} -> [32]
#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

enum class Mode { Last, Mean, Max };

Mode read_mode(const std::string& s) {
  if (s == "last") return Mode::Last;
  return s == "mean" ? Mode::Mean : Mode::Max;
}

class SequencePool : public UnaryLayer {
 public:
  explicit SequencePool(const Config& c) : mode_(read_mode(c.get_string("mode"))) {}

 protected:
  Shape build_one(const Shape& input, Rng&) override {
    require_rank(*this, input, 2, "[steps, features] sequences");
    steps_ = input[0];
    return Shape{input[1]};
  }

  Var forward_one(Var x, ForwardContext&) override {
    switch (mode_) {
      case Mode::Last:
        return ops::reshape(ops::slice(x, 1, steps_ - 1, steps_), {x.shape()[0], x.shape()[2]});
      case Mode::Mean:
        return ops::mean(x, 1);
      case Mode::Max:
        return ops::max(x, 1);
    }
    return x;  // unreachable: every mode is handled above
  }

 private:
  Mode mode_;
  int64_t steps_ = 0;
};

}  // namespace

GRADLAB_REGISTER(Layer, "sequence_pool",
                 {Param::choice("mode", "mean", {"last", "mean", "max"},
                                "last: the last step; mean: the mean over the steps; max: each feature's maximum")},
                 "pools a sequence [T, F] over its steps -> [F]: last, mean or max",
                 [](const Config& c) { return std::make_unique<SequencePool>(c); });

}  // namespace gradlab
