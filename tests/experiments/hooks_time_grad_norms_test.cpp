// grad_norms_through_time hook: |d loss / d h_t| per step of a one-unit RNN against the chain
// rule worked by hand, the per-epoch mean by default, every N steps, and its plot.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "experiments/plots/table.hpp"
#include "tests/experiments/hooks_harness.hpp"

namespace gradlab::testing {
namespace {

// h_t = tanh(0.5 x_t + 0.1 - 0.8 h_{t-1}) over x = 1, 2, 3; the loss is (h_2 - 1)^2.
const char* kRnn =
    "input: [3, 1]\n"
    "layers:\n"
    "  - {type: rnn, units: 1}\n";
const Tensor kX(Shape{1, 3, 1}, {1, 2, 3});
const Tensor kY = Tensor::matrix({{1}});

void set_rnn(Harness& h) {
  h.set("rnn1.weight_ih", Tensor::matrix({{0.5}}));
  h.set("rnn1.weight_hh", Tensor::matrix({{-0.8}}));
  h.set("rnn1.bias_ih", Tensor::vector({0.1}));
  h.set("rnn1.bias_hh", Tensor::vector({0.0}));
}

// d loss / d h_t for t = 0, 1, 2 at the weights set_rnn() gives (the first step).
std::vector<double> by_hand() {
  double h[3], prev = 0;
  for (int t = 0; t < 3; ++t) prev = h[t] = std::tanh(0.5 * (t + 1) + 0.1 - 0.8 * prev);
  double g2 = 2 * (h[2] - 1);
  double g1 = g2 * (1 - h[2] * h[2]) * -0.8;
  double g0 = g1 * (1 - h[1] * h[1]) * -0.8;
  return {std::abs(g0), std::abs(g1), std::abs(g2)};
}

TEST(TimeGradNormsHook, EveryStepMatchesTheChainRuleByHand) {
  Harness h(kRnn);
  set_rnn(h);
  h.add_hook("{type: grad_norms_through_time, every: step}");
  h.begin();
  h.step(kX, kY, 0.0);  // lr 0: the second step sees the same weights
  h.step(kX, kY, 0.0);
  h.end_epoch();
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/time_grad_norms.csv");
  ASSERT_EQ(t.columns, (std::vector<std::string>{"epoch", "step", "layer", "t", "norm"}));
  ASSERT_EQ(t.rows.size(), 6u);
  const std::vector<double> expected = by_hand();
  for (size_t r = 0; r < 6; ++r) {
    EXPECT_EQ(t.text(r, 0), "1");
    EXPECT_EQ(t.text(r, 1), r < 3 ? "1" : "2");
    EXPECT_EQ(t.text(r, 2), "rnn1");
    EXPECT_EQ(t.text(r, 3), std::to_string(r % 3));
    EXPECT_NEAR(t.number(r, 4), expected[r % 3], 1e-14) << "row " << r;
  }
  EXPECT_LT(expected[0], expected[2]);  // the gradient shrinks going back in time
}

TEST(TimeGradNormsHook, ByDefaultOneRowPerStepOfTheSequencePerEpoch) {
  Harness h(kRnn);
  set_rnn(h);
  h.add_hook("{type: grad_norms_through_time}");
  h.begin();
  h.step(kX, kY, 0.0);
  h.step(kX, kY, 0.0);
  h.step(kX, kY, 0.0);
  h.end_epoch();
  h.step(kX, kY, 0.0);
  h.end_epoch();
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/time_grad_norms.csv");
  ASSERT_EQ(t.rows.size(), 6u);
  const std::vector<double> expected = by_hand();
  for (size_t r = 0; r < 6; ++r) {
    EXPECT_EQ(t.text(r, 0), r < 3 ? "1" : "2");
    EXPECT_EQ(t.text(r, 1), r < 3 ? "3" : "4");  // the epoch's last step
    EXPECT_EQ(t.text(r, 3), std::to_string(r % 3));
    EXPECT_NEAR(t.number(r, 4), expected[r % 3], 1e-14);  // the mean of equal norms
  }
}

TEST(TimeGradNormsHook, EveryNStepsAndOnlyRecurrentLayers) {
  Harness h("input: [3, 1]\nlayers:\n  - {type: gru, units: 2, return_sequences: true}\n"
            "  - {type: flatten}\n  - {type: dense, units: 1}\n");
  h.add_hook("{type: grad_norms_through_time, every: 2}");
  h.begin();
  for (int s = 0; s < 3; ++s) h.step(kX, kY, 0.1);
  h.end_epoch();
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/time_grad_norms.csv");
  ASSERT_EQ(t.rows.size(), 6u);  // steps 1 and 3, t = 0..2, gru1 only
  for (size_t r = 0; r < 6; ++r) {
    EXPECT_EQ(t.text(r, 1), r < 3 ? "1" : "3");
    EXPECT_EQ(t.text(r, 2), "gru1");
    EXPECT_GT(t.number(r, 4), 0.0);
  }
}

TEST(TimeGradNormsHook, DrawsNormAgainstTime) {
  Harness h(kRnn);
  set_rnn(h);
  h.run.plots = true;
  h.add_hook("{type: grad_norms_through_time}");
  h.begin();
  h.step(kX, kY);
  h.end_epoch();
  h.step(kX, kY);
  h.end_epoch();
  h.end();
  for (const char* f : {"time_grad_norms.png", "time_grad_norms.svg"}) {
    const auto p = std::filesystem::path(h.run.out_dir) / f;
    ASSERT_TRUE(std::filesystem::exists(p)) << f;
    EXPECT_GT(std::filesystem::file_size(p), 1000u) << f;
  }
  EXPECT_NE(h.file("time_grad_norms.svg").find("rnn1, epoch 2"), std::string::npos);
}

}  // namespace
}  // namespace gradlab::testing
