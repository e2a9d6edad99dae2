// grad_norms hook: per-parameter gradient norms against hand-computed values, global rows,
// every N, per-epoch mean/max, and its plots.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "experiments/plots/table.hpp"
#include "tests/experiments/hooks_harness.hpp"

namespace gradlab::testing {
namespace {

const Tensor kX = Tensor::matrix({{1, 2}});
const Tensor kY = Tensor::matrix({{1}});

double cell(const plots::Table& t, size_t row) { return t.number(row, t.column("norm")); }

TEST(GradNormsHook, SyncPutsEveryRecordedRowInTheFileBeforeTrainingEnds) {
  // A checkpoint is written only after sync(): the rows it covers must be on disk by then, or a
  // run killed just after it would resume with rows missing.
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: grad_norms, every: step}");
  h.begin();
  for (int s = 0; s < 50; ++s) h.step(kX, kY);
  h.end_epoch();
  h.hooks[0]->sync();
  EXPECT_EQ(plots::read_csv(h.run.out_dir + "/grad_norms.csv").rows.size(), 50u * 7u);
  h.end();
}

TEST(GradNormsHook, OneStepMatchesHandComputedNorms) {
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: grad_norms}");
  h.begin();
  h.step(kX, kY);
  h.end_epoch();
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/grad_norms.csv");
  ASSERT_EQ(t.columns, (std::vector<std::string>{"epoch", "step", "layer", "parameter", "norm"}));
  ASSERT_EQ(t.rows.size(), 7u);
  const std::vector<std::pair<std::string, std::string>> names{
      {"dense1", "weight"}, {"dense1", "bias"}, {"dense2", "weight"}, {"dense2", "bias"},
      {"_global", "norm_before"}, {"_global", "norm_after"}, {"_global", "clipped"}};
  const double global = std::sqrt(144 + 28.8 + 4.8 * 4.8 * 5 + 4.8 * 4.8);
  const std::vector<double> expected{12, std::sqrt(28.8), 4.8 * std::sqrt(5.0), 4.8, global, global, 0};
  for (size_t r = 0; r < t.rows.size(); ++r) {
    EXPECT_EQ(t.text(r, 0), "1");
    EXPECT_EQ(t.text(r, 1), "1");
    EXPECT_EQ(t.text(r, 2), names[r].first);
    EXPECT_EQ(t.text(r, 3), names[r].second);
    EXPECT_NEAR(cell(t, r), expected[r], 1e-12) << names[r].first << "." << names[r].second;
  }
}

TEST(GradNormsHook, OutputsRecordTheGradientReachingEachLayerOutput) {
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: grad_norms, outputs: true}");
  h.begin();
  h.step(kX, kY);
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/grad_norms.csv");
  ASSERT_EQ(t.rows.size(), 9u);
  // d loss / d dense2 output = -4.8; d loss / d dense1 output = -4.8 [0.5, -1].
  EXPECT_EQ(t.text(4, 2) + "." + t.text(4, 3), "dense1.output");
  EXPECT_NEAR(cell(t, 4), std::sqrt(28.8), 1e-12);
  EXPECT_EQ(t.text(5, 2) + "." + t.text(5, 3), "dense2.output");
  EXPECT_NEAR(cell(t, 5), 4.8, 1e-12);
  EXPECT_EQ(t.text(6, 2) + "." + t.text(6, 3), "_global.norm_before");
  EXPECT_NEAR(cell(t, 6), std::sqrt(311.04), 1e-12);  // parameters only
}

TEST(GradNormsHook, GlobalRowsShowClipping) {
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: grad_norms}");
  h.begin();
  h.step(kX, kY, 0.1, ClipReport{17.6, 1.0, true});
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/grad_norms.csv");
  ASSERT_EQ(t.rows.size(), 7u);
  EXPECT_NEAR(cell(t, 4), std::sqrt(311.04), 1e-12);  // measured before clipping by the hook
  EXPECT_EQ(cell(t, 5), 1.0);
  EXPECT_EQ(cell(t, 6), 1.0);
}

TEST(GradNormsHook, EveryNRecordsSteps1AndNPlus1) {
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: grad_norms, every: 2}");
  h.begin();
  for (int i = 0; i < 4; ++i) h.step(kX, kY);
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/grad_norms.csv");
  ASSERT_EQ(t.rows.size(), 14u);
  EXPECT_EQ(t.text(0, 1), "1");
  EXPECT_EQ(t.text(7, 1), "3");
}

TEST(GradNormsHook, PerEpochWritesMeanAndMax) {
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: grad_norms, every: epoch}");
  h.begin();
  h.step(kX, kY, 0.0);  // lr 0: the same gradient twice...
  h.step(kX, Tensor::matrix({{-1.4}}), 0.0);  // ...then a perfect fit: zero gradient
  h.end_epoch();
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/grad_norms.csv");
  ASSERT_EQ(t.rows.size(), 14u);
  EXPECT_EQ(t.text(0, 1), "2");  // the epoch's last step
  EXPECT_EQ(t.text(0, 3), "weight.mean");
  EXPECT_NEAR(cell(t, 0), 6.0, 1e-12);
  EXPECT_EQ(t.text(1, 3), "weight.max");
  EXPECT_NEAR(cell(t, 1), 12.0, 1e-12);
  EXPECT_EQ(t.text(13, 3), "clipped.max");
}

TEST(GradNormsHook, BadEveryIsAConfigErrorAtItsLine) {
  try {
    Registry::instance().create<Hook>(Config::parse("{type: grad_norms, every: sometimes}", "h.yaml"));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "h.yaml:1:27: every: expected step, epoch or an integer >= 1, got \"sometimes\"");
  }
  EXPECT_THROW(Registry::instance().create<Hook>(Config::parse("{type: grad_norms, every: 0}", "h.yaml")),
               ConfigError);
}

TEST(GradNormsHook, RowsSurviveARunThatEndsInAnException) {
  Harness h(kTwoDense);
  set_two_dense(h);
  h.add_hook("{type: grad_norms}");
  h.begin();
  h.step(kX, kY);
  h.hooks.clear();  // destroyed without on_train_end, as when training throws
  EXPECT_EQ(plots::read_csv(h.run.out_dir + "/grad_norms.csv").rows.size(), 7u);
}

TEST(GradNormsHook, DrawsBothPlotsAtTheEnd) {
  Harness h(kTwoDense);
  h.run.plots = true;
  h.add_hook("{type: grad_norms}");
  h.begin();
  for (int i = 0; i < 3; ++i) h.step(kX, kY);
  h.end();
  for (const char* f : {"grad_norms.png", "grad_norms.svg", "grad_norms_by_depth.png", "grad_norms_by_depth.svg"})
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(h.run.out_dir) / f)) << f;
}

}  // namespace
}  // namespace gradlab::testing
