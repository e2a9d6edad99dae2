// dropout: inverted scaling in training, identity in evaluation and without an rng.
#include <gtest/gtest.h>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

TEST(Dropout, TrainingZeroesAboutPAndScalesSurvivors) {
  auto drop = test::make_layer("{type: dropout, p: 0.25}");
  Rng init(1), rng(2);
  drop->build(Shape{1000}, init);
  Tape tape;
  ForwardContext ctx{tape, /*training=*/true, &rng};
  Var y = drop->forward(tape.constant(Tensor(Shape{10, 1000}, 3.0)), ctx);
  int64_t zeros = 0;
  for (int64_t i = 0; i < y.numel(); ++i) {
    const double v = y.data()[i];
    if (v == 0)
      ++zeros;
    else
      EXPECT_DOUBLE_EQ(v, 3.0 / 0.75);  // survivors scaled by 1/(1-p)
  }
  EXPECT_NEAR(double(zeros) / 10000, 0.25, 0.015);
}

TEST(Dropout, GradientFlowsOnlyThroughSurvivors) {
  auto drop = test::make_layer("{type: dropout, p: 0.5}");
  Rng init(1), rng(4);
  drop->build(Shape{50}, init);
  Parameter x("x", Tensor(Shape{2, 50}, 1.0));
  Tape tape;
  ForwardContext ctx{tape, true, &rng};
  Var y = drop->forward(tape.param(x), ctx);
  tape.backward(ops::sum(y));
  for (int64_t i = 0; i < y.numel(); ++i) EXPECT_DOUBLE_EQ(x.grad[i], y.data()[i]);  // mask * 2
}

TEST(Dropout, EvaluationIsTheIdentity) {
  auto drop = test::make_layer("{type: dropout, p: 0.9}");
  Rng init(1), rng(2);
  drop->build(Shape{4}, init);
  Tensor x = Tensor::matrix({{1, -2, 3, 4}});
  Tape tape;
  ForwardContext eval{tape, /*training=*/false, &rng};
  Tensor y = drop->forward(tape.constant(x), eval).value();
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(y[i], x[i]);
  ForwardContext no_rng{tape, /*training=*/true, nullptr};
  y = drop->forward(tape.constant(x), no_rng).value();
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(y[i], x[i]);
}

TEST(Dropout, PMustBeBelowOne) {
  EXPECT_THROW(test::make_layer("{type: dropout, p: 1}"), ConfigError);
  EXPECT_THROW(test::make_layer("{type: dropout, p: -0.1}"), ConfigError);
}

}  // namespace
}  // namespace gradlab
