// batchnorm2d: statistics per channel over the batch and the pixels (not per pixel), the
// running-statistics update with PyTorch's momentum and unbiased variance, evaluation with the
// running statistics, and weight / bias per channel.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

// N=2, C=2, H=1, W=2. Channel 0 holds {1, 3} and {5, 7}: mean 4, biased variance 5, unbiased
// 20/3. Channel 1 holds {0, 0} and {2, 2}: mean 1, variance 1, unbiased 4/3.
const Tensor kBatch(Shape{2, 2, 1, 2}, {1, 3, 0, 0, 5, 7, 2, 2});

std::unique_ptr<Layer> built(const std::string& yaml) {
  auto bn = test::make_layer(yaml);
  Rng rng(1);
  EXPECT_EQ(bn->build(Shape{2, 1, 2}, rng).str(), "[2,1,2]");
  return bn;
}

Tensor forward(Layer& bn, const Tensor& x, bool training) {
  Tape tape;
  ForwardContext ctx{tape, training};
  return bn.forward(tape.constant(x), ctx).value();
}

TEST(Batchnorm2d, TrainingNormalizesEachChannelOverBatchAndPixels) {
  auto bn = built("{type: batchnorm2d, eps: 1e-300}");
  Tensor y = forward(*bn, kBatch, true);
  const double s5 = std::sqrt(5.0);
  // Per pixel (batchnorm's rule) channel 0's first pixel would be (1 - 3) / 2 = -1; per channel
  // it is (1 - 4) / sqrt(5).
  const std::vector<double> want{-3 / s5, -1 / s5, -1, -1, 1 / s5, 3 / s5, 1, 1};
  for (int i = 0; i < 8; ++i) EXPECT_DOUBLE_EQ(y[i], want[static_cast<size_t>(i)]) << i;
}

TEST(Batchnorm2d, TrainingUpdatesRunningStatisticsPerChannel) {
  auto bn = built("{type: batchnorm2d}");  // momentum 0.1
  auto buffers = bn->buffers();
  ASSERT_EQ(buffers.size(), 2u);
  EXPECT_EQ(buffers[0].first, "running_mean");
  EXPECT_EQ(buffers[1].first, "running_var");
  EXPECT_EQ(buffers[0].second->shape().str(), "[2]");
  forward(*bn, kBatch, true);
  // running = 0.9 running + 0.1 batch, from mean 0 and var 1; the variance unbiased over N*H*W = 4.
  const Tensor& mean = *buffers[0].second;
  const Tensor& var = *buffers[1].second;
  EXPECT_DOUBLE_EQ(mean[0], 0.4);
  EXPECT_DOUBLE_EQ(mean[1], 0.1);
  EXPECT_DOUBLE_EQ(var[0], 0.9 + 0.1 * 20.0 / 3.0);
  EXPECT_DOUBLE_EQ(var[1], 0.9 + 0.1 * 4.0 / 3.0);
}

TEST(Batchnorm2d, EvaluationUsesRunningStatisticsAndLeavesThem) {
  auto bn = built("{type: batchnorm2d, momentum: 1, eps: 1e-300}");
  forward(*bn, kBatch, true);  // momentum 1: running = this batch's (variance unbiased)
  Tensor one(Shape{1, 2, 1, 2}, {4, 6, 1, 3});
  Tensor y = forward(*bn, one, false);
  const double v0 = std::sqrt(20.0 / 3.0), v1 = std::sqrt(4.0 / 3.0);
  EXPECT_DOUBLE_EQ(y[0], 0.0);
  EXPECT_DOUBLE_EQ(y[1], 2 / v0);
  EXPECT_DOUBLE_EQ(y[2], 0.0);
  EXPECT_DOUBLE_EQ(y[3], 2 / v1);
  EXPECT_DOUBLE_EQ((*bn->buffers()[0].second)[0], 4.0);  // unchanged by evaluation
}

TEST(Batchnorm2d, WeightAndBiasArePerChannel) {
  auto bn = built("{type: batchnorm2d, eps: 1e-300}");
  auto ps = bn->parameters();
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0]->name, "weight");
  EXPECT_EQ(ps[1]->name, "bias");
  EXPECT_EQ(ps[0]->value.shape().str(), "[2]");
  ps[0]->value = Tensor::vector({2, 3});
  ps[1]->value = Tensor::vector({0.5, -1});
  Tensor y = forward(*bn, kBatch, true);
  EXPECT_DOUBLE_EQ(y[0], -6 / std::sqrt(5.0) + 0.5);
  EXPECT_DOUBLE_EQ(y[2], -3 - 1);
  EXPECT_DOUBLE_EQ(y[7], 3 - 1);
}

TEST(Batchnorm2d, NeedsImagesAndMoreThanOneValuePerChannel) {
  auto bn = test::make_layer("{type: batchnorm2d}");
  Rng rng(1);
  try {
    bn->build(Shape{4}, rng);
    FAIL() << "built on [4]";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(e.what(), "batchnorm2d1 (batchnorm2d): expects [channels, height, width] input, got [4]");
  }
  bn->build(Shape{3, 1, 1}, rng);
  try {
    forward(*bn, Tensor(Shape{1, 3, 1, 1}), true);
    FAIL() << "trained on one value per channel";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(e.what(),
                 "batchnorm2d1 (batchnorm2d): training needs more than one value per channel, got "
                 "[1,3,1,1]");
  }
  // One image of several pixels is enough (PyTorch agrees), and evaluation takes one value.
  EXPECT_NO_THROW(forward(*bn, Tensor(Shape{1, 3, 1, 1}), false));
}

}  // namespace
}  // namespace gradlab
