// update_ratio hook: |dw|/|w| of an SGD step against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include "experiments/plots/table.hpp"
#include "tests/experiments/hooks_harness.hpp"

namespace gradlab::testing {
namespace {

TEST(UpdateRatioHook, SgdStepRatiosMatchHandComputedValues) {
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: update_ratio}");
  h.begin();
  h.step(Tensor::matrix({{1, 2}}), Tensor::matrix({{1}}), 0.1);
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/update_ratio.csv");
  ASSERT_EQ(t.columns, (std::vector<std::string>{"epoch", "step", "layer", "parameter", "ratio"}));
  ASSERT_EQ(t.rows.size(), 4u);
  int c = t.column("ratio");
  // |dw| = lr |grad|: dense1.weight 0.1 * 12 / |I| = 1.2 / sqrt(2); its zero bias moved: inf;
  // dense2.weight 0.1 * 4.8 sqrt(5) / sqrt(1.25) = 0.96; dense2.bias 0.1 * 4.8 / 0.1 = 4.8.
  EXPECT_EQ(t.text(0, 2) + "." + t.text(0, 3), "dense1.weight");
  EXPECT_NEAR(t.number(0, c), 1.2 / std::sqrt(2.0), 1e-12);
  EXPECT_EQ(t.text(1, c), "inf");
  EXPECT_NEAR(t.number(2, c), 0.96, 1e-12);
  EXPECT_NEAR(t.number(3, c), 4.8, 1e-12);
}

TEST(UpdateRatioHook, ZeroLearningRateGivesZeroRatios) {
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: update_ratio, every: epoch}");
  h.begin();
  h.step(Tensor::matrix({{1, 2}}), Tensor::matrix({{1}}), 0.0);
  h.end_epoch();
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/update_ratio.csv");
  ASSERT_EQ(t.rows.size(), 8u);
  for (size_t r = 0; r < t.rows.size(); ++r) EXPECT_EQ(t.number(r, 4), 0.0) << r;
  EXPECT_EQ(t.text(1, 3), "weight.max");
}

}  // namespace
}  // namespace gradlab::testing
