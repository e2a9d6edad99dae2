// experiments/course/full_implementation.yaml (Part 9) does what its header promises: it stops
// early on the validation loss, puts the best weights back, and the model it leaves scores
// (almost) every unseen test image right; `gradlab evaluate` then reads the very same figures.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

TEST(FullImplementation, StopsEarlyRestoresTheBestAndGeneralizes) {
  testing::TempDir dir;
  const testing::CliResult run = testing::run_gradlab(
      "run '" GRADLAB_SOURCE_DIR "/experiments/course/full_implementation.yaml' --out run --no-plots", dir.path());
  ASSERT_EQ(run.code, 0) << run.err;
  const auto summary = nlohmann::json::parse(testing::read_text(dir.path() / "run" / "summary.json"));
  EXPECT_EQ(summary["status"], "stopped_early");
  EXPECT_EQ(summary["restored_epoch"], summary["best_epoch"]);
  const auto& end = summary["end_of_training"];
  EXPECT_GE(end["val_acc"].get<double>(), 0.98);
  EXPECT_GE(end["test_acc"].get<double>(), 0.98);

  const testing::CliResult ev = testing::run_gradlab("evaluate run --split test --no-plots", dir.path());
  ASSERT_EQ(ev.code, 0) << ev.err;
  const auto m = nlohmann::json::parse(testing::read_text(dir.path() / "run" / "evaluation-test" / "metrics.json"));
  EXPECT_EQ(m["accuracy"].get<double>(), end["test_acc"].get<double>());
  EXPECT_EQ(m["loss"].get<double>(), end["test_loss"].get<double>());
  EXPECT_GE(m["roc_auc"].get<double>(), 0.99);
}

}  // namespace
}  // namespace gradlab
