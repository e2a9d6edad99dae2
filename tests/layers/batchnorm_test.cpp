// batchnorm: batch statistics and running-statistics updates in training, running statistics in
// evaluation, with PyTorch's momentum convention and unbiased running variance.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

// eps 1e-300 in these tests is negligible, so the expected numbers are exact.
// Feature 0: {1, 3} (mean 2, biased var 1, unbiased 2); feature 1: {0, 4} (mean 2, var 4, 8).
const Tensor kBatch = Tensor::matrix({{1, 0}, {3, 4}});

std::unique_ptr<Layer> built(const std::string& yaml) {
  auto bn = test::make_layer(yaml);
  Rng rng(1);
  bn->build(Shape{2}, rng);
  return bn;
}

TEST(Batchnorm, TrainingNormalizesWithBatchStatistics) {
  auto bn = built("{type: batchnorm, eps: 1e-300}");
  Tape tape;
  ForwardContext ctx{tape, /*training=*/true};
  Tensor y = bn->forward(tape.constant(kBatch), ctx).value();
  EXPECT_DOUBLE_EQ(y.at(0, 0), -1.0);
  EXPECT_DOUBLE_EQ(y.at(1, 0), 1.0);
  EXPECT_DOUBLE_EQ(y.at(0, 1), -1.0);
  EXPECT_DOUBLE_EQ(y.at(1, 1), 1.0);
}

TEST(Batchnorm, TrainingUpdatesRunningStatistics) {
  auto bn = built("{type: batchnorm, momentum: 0.1}");
  auto buffers = bn->buffers();
  ASSERT_EQ(buffers.size(), 2u);
  EXPECT_EQ(buffers[0].first, "running_mean");
  EXPECT_EQ(buffers[1].first, "running_var");
  Tape tape;
  ForwardContext ctx{tape, true};
  bn->forward(tape.constant(kBatch), ctx);
  // running = 0.9 running + 0.1 batch, from mean 0 and var 1.
  const Tensor& mean = *buffers[0].second;
  const Tensor& var = *buffers[1].second;
  EXPECT_DOUBLE_EQ(mean[0], 0.2);
  EXPECT_DOUBLE_EQ(mean[1], 0.2);
  EXPECT_DOUBLE_EQ(var[0], 0.9 + 0.1 * 2);
  EXPECT_DOUBLE_EQ(var[1], 0.9 + 0.1 * 8);
}

TEST(Batchnorm, EvaluationUsesRunningStatisticsAndLeavesThem) {
  auto bn = built("{type: batchnorm, momentum: 1, eps: 1e-300}");
  Tape tape;
  ForwardContext train{tape, true};
  bn->forward(tape.constant(kBatch), train);  // momentum 1: running = this batch (var unbiased)
  ForwardContext eval{tape, false};
  Tensor y = bn->forward(tape.constant(Tensor::matrix({{2, 2}, {4, 10}})), eval).value();
  EXPECT_DOUBLE_EQ(y.at(0, 0), 0.0);                     // (2 - 2) / sqrt(2)
  EXPECT_DOUBLE_EQ(y.at(1, 0), 2.0 / std::sqrt(2.0));    // (4 - 2) / sqrt(2)
  EXPECT_DOUBLE_EQ(y.at(0, 1), 0.0);                     // (2 - 2) / sqrt(8)
  EXPECT_DOUBLE_EQ(y.at(1, 1), 8.0 / std::sqrt(8.0));    // (10 - 2) / sqrt(8)
  EXPECT_DOUBLE_EQ((*bn->buffers()[0].second)[1], 2.0);  // unchanged by evaluation
  // One sample is fine in evaluation, and does not depend on the rest of its batch.
  Tensor one = bn->forward(tape.constant(Tensor::matrix({{4, 10}})), eval).value();
  EXPECT_DOUBLE_EQ(one.at(0, 1), y.at(1, 1));
}

TEST(Batchnorm, WeightAndBiasScaleAndShift) {
  auto bn = built("{type: batchnorm, eps: 1e-300}");
  auto ps = bn->parameters();
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0]->name, "weight");
  EXPECT_EQ(ps[1]->name, "bias");
  ps[0]->value.fill(3.0);
  ps[1]->value.fill(0.5);
  Tape tape;
  ForwardContext ctx{tape, true};
  Tensor y = bn->forward(tape.constant(kBatch), ctx).value();
  EXPECT_DOUBLE_EQ(y.at(0, 0), -2.5);
  EXPECT_DOUBLE_EQ(y.at(1, 1), 3.5);
}

TEST(Batchnorm, TrainingOnOneSampleIsAnError) {
  auto bn = built("{type: batchnorm}");
  Tape tape;
  ForwardContext ctx{tape, true};
  try {
    bn->forward(tape.constant(Tensor::matrix({{1, 2}})), ctx);
    FAIL() << "expected a ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(
        e.what(),
        "batchnorm1 (batchnorm): training needs more than one sample per batch, got [1,2]");
  }
}

}  // namespace
}  // namespace gradlab
