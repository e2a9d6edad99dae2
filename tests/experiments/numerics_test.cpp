// check_numerics: NaN and Inf injected at a chosen layer, in forward and in backward, stop the
// computation with a message naming op, layer, YAML line, phase, epoch, step and counts.
#include "experiments/run/numerics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "layers/layer.hpp"
#include "tests/experiments/hooks_harness.hpp"

namespace gradlab::testing {
namespace {

// A test layer that makes non-finite values on purpose: `make: nan` takes log(-1), `make: inf`
// exp(1000) - each through a real tape op, as a diverging network would.
class Poison : public UnaryLayer {
 public:
  explicit Poison(const Config& c) : nan_(c.get_string("make") == "nan") {}

 protected:
  Var forward_one(Var x, ForwardContext&) override {
    Var zero = ops::mul_scalar(x, 0.0);
    return nan_ ? ops::log(ops::add_scalar(zero, -1.0)) : ops::exp(ops::add_scalar(zero, 1000.0));
  }

 private:
  bool nan_;
};
GRADLAB_REGISTER(Layer, "test_poison", {Param::choice("make", "nan", {"nan", "inf"}, "what to make")},
                 "test only: makes NaN or Inf", [](const Config& c) { return std::make_unique<Poison>(c); });

std::string net(const std::string& poison) {
  return "input: 3\n"
         "layers:\n"
         "  - {type: dense, units: 4}\n"
         "  - {type: sigmoid}\n" +
         (poison.empty() ? "" : "  - {name: bad, type: test_poison, make: " + poison + "}\n") +
         "  - {type: dense, units: 1}\n";
}

class Numerics : public ::testing::Test {
 protected:
  void run_step(Harness& h, const std::function<void(Harness&)>& after_forward = {}) {
    h.tape.reset();
    ForwardContext ctx{h.tape, true, nullptr};
    Var out = h.model.forward(h.tape.constant(x), ctx);
    if (after_forward) after_forward(h);
    h.tape.backward(ops::mse(out, h.tape.constant(y)));
  }
  std::string error_of(Harness& h, const std::function<void(Harness&)>& after_forward = {}) {
    try {
      run_step(h, after_forward);
    } catch (const NumericsError& e) {
      last = e.facts;
      return e.what();
    }
    return "no error";
  }
  const Tensor x = Tensor::matrix({{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}});
  const Tensor y = Tensor::matrix({{1}, {0}});
  NumericsFacts last;
};

TEST_F(Numerics, NanInForwardNamesOpLayerLineEpochAndStep) {
  Harness h(net("nan"));
  h.state.epoch = 3;
  h.state.step = 41;
  NumericsGuard guard(h.state);
  EXPECT_EQ(error_of(h),
            "check_numerics: non-finite value in forward at op 'log' of layer 'bad' (net.yaml:5:5), "
            "epoch 3, step 42: 8 NaN and 0 Inf among 8 values [2,4]");
  EXPECT_EQ(last.phase, "forward");
  EXPECT_EQ(last.layer_index, 2);
  EXPECT_EQ(last.nan_count, 8);
}

TEST_F(Numerics, InfInForward) {
  Harness h(net("inf"));
  NumericsGuard guard(h.state);
  EXPECT_EQ(error_of(h),
            "check_numerics: non-finite value in forward at op 'exp' of layer 'bad' (net.yaml:5:5), "
            "epoch 1, step 1: 0 NaN and 8 Inf among 8 values [2,4]");
}

// A gradient hook on sigmoid1's output rewrites its gradient in flight, as an overflowing
// backward rule would; the guard sees it as soon as that gradient is complete.
void poison_gradient(Harness& h, double value, int count) {
  h.tape.add_grad_hook(h.model.outputs()[1], [value, count](const Node& n) {
    for (int i = 0; i < count; ++i) n.grads<double>()[i] = value;
  });
}

TEST_F(Numerics, NanInBackwardNamesTheLayerWhoseGradientWentBad) {
  Harness h(net(""));
  h.state.epoch = 2;
  h.state.step = 7;
  NumericsGuard guard(h.state);
  EXPECT_EQ(error_of(h, [](Harness& h) { poison_gradient(h, std::nan(""), 3); }),
            "check_numerics: non-finite gradient in backward at op 'sigmoid' of layer 'sigmoid1' "
            "(net.yaml:4:5), epoch 2, step 8: 3 NaN and 0 Inf among 8 values [2,4]");
  EXPECT_EQ(last.phase, "backward");
}

TEST_F(Numerics, InfInBackward) {
  Harness h(net(""));
  NumericsGuard guard(h.state);
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_of(h, [inf](Harness& h) { poison_gradient(h, -inf, 2); }),
            "check_numerics: non-finite gradient in backward at op 'sigmoid' of layer 'sigmoid1' "
            "(net.yaml:4:5), epoch 1, step 1: 0 NaN and 2 Inf among 8 values [2,4]");
}

TEST_F(Numerics, EvaluationReportsTheLastCompletedStep) {
  Harness h(net("nan"));
  h.state.step = 5;
  NumericsGuard guard(h.state);
  NoGradGuard no_grad(h.tape);
  h.tape.reset();
  ForwardContext ctx{h.tape, false, nullptr};
  try {
    h.model.forward(h.tape.constant(x), ctx);
    FAIL();
  } catch (const NumericsError& e) {
    EXPECT_EQ(std::string(e.what()),
              "check_numerics: non-finite value in evaluation at op 'log' of layer 'bad' (net.yaml:5:5), "
              "epoch 1, after step 5: 8 NaN and 0 Inf among 8 values [2,4]");
  }
}

TEST_F(Numerics, NonFiniteInputIsOutsideTheLayers) {
  Harness h(net(""));
  NumericsGuard guard(h.state);
  h.tape.reset();
  Tensor bad = x;
  bad[4] = std::nan("");
  try {
    h.tape.constant(bad);
    FAIL();
  } catch (const TrainingDiverged& e) {  // NumericsError is a TrainingDiverged: one catch
    EXPECT_EQ(std::string(e.what()),
              "check_numerics: non-finite value in forward at op 'constant' outside the model's layers "
              "(input data, loss or regularizer), epoch 1, step 1: 1 NaN and 0 Inf among 6 values [2,3]");
  }
}

TEST_F(Numerics, WithoutAGuardNothingIsCheckedAndTheObserversAreRemoved) {
  Harness h(net("nan"));
  { NumericsGuard guard(h.state); }
  EXPECT_EQ(error_of(h), "no error");  // the loss is NaN, silently
}

TEST(NumericsCounts, CountsNanAndInf) {
  const double v[] = {1, std::nan(""), INFINITY, -INFINITY, 0, std::nan("")};
  int64_t nan = 0, inf = 0;
  count_non_finite(v, 6, nan, inf);
  EXPECT_EQ(nan, 2);
  EXPECT_EQ(inf, 2);
  EXPECT_FALSE(all_finite(v, 6));
  EXPECT_TRUE(all_finite(v, 1));
}

}  // namespace
}  // namespace gradlab::testing
