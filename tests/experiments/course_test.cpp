// The course's experiments show what they claim: overfitting.yaml has the overfitting signature
// for several seeds, and every cure in overfitting_solutions.yaml ends below the baseline.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "experiments/evaluate.hpp"
#include "experiments/overrides.hpp"
#include "experiments/sweep/grid.hpp"
#include "experiments/trainer.hpp"

namespace gradlab {
namespace {

const std::string kCourse = GRADLAB_SOURCE_DIR "/experiments/course/";

struct Trained {
  TrainOutcome outcome;
  double end_val_loss;  // after any restore
  std::vector<std::map<std::string, double>> rows;  // every epoch's (the outcome keeps two)
};

struct RowRecorder : TrainingObserver {
  std::vector<std::map<std::string, double>> rows;
  void on_epoch_end(TrainState& s) override { rows.push_back(s.metrics); }
};

Trained train_file(const std::string& file, std::vector<std::string> overrides = {}) {
  LoadOptions opts;
  opts.overrides = std::move(overrides);
  Experiment e = load_experiment(file, opts);
  RunInfo info;
  info.epochs = e.train.epochs;
  RowRecorder rows;
  Trained t{train(e, info, {&rows}), 0, {}};
  t.rows = std::move(rows.rows);
  Tape tape;
  t.end_val_loss = evaluate(e.model, *e.loss, e.data.val, tape).loss;
  return t;
}

class OverfittingSignature : public ::testing::TestWithParam<int> {};

TEST_P(OverfittingSignature, TrainPerfectValWorseMinimumEarlyFinalFarAbove) {
  Trained t = train_file(kCourse + "overfitting.yaml", {"seed=" + std::to_string(GetParam())});
  const auto& rows = t.rows;
  ASSERT_EQ(rows.size(), 500u);
  std::vector<double> val;
  for (const auto& r : rows) val.push_back(r.at("val_loss"));
  const auto min_it = std::min_element(val.begin(), val.end());
  const auto min_epoch = static_cast<size_t>(min_it - val.begin()) + 1;
  EXPECT_GE(rows.back().at("train_acc"), 0.99);
  EXPECT_LE(rows.back().at("val_acc"), 0.95);
  EXPECT_LT(static_cast<double>(min_epoch), 0.7 * 500) << "val-loss minimum at epoch " << min_epoch;
  EXPECT_GE(val.back(), 1.3 * *min_it) << "final " << val.back() << " vs minimum " << *min_it;
}

INSTANTIATE_TEST_SUITE_P(Seeds, OverfittingSignature, ::testing::Values(42, 1, 7));

TEST(OverfittingSolutions, EveryCureEndsBelowTheBaseline) {
  const std::string file = kCourse + "overfitting_solutions.yaml";
  const double baseline = train_file(file).end_val_loss;
  const SweepPlan plan = expand_sweep(Config::load_file(file));
  ASSERT_EQ(plan.runs.size(), 8u);
  for (const SweepRun& run : plan.runs) {
    std::vector<std::string> sets;
    for (const SweepOverride& o : run.overrides) sets.push_back(o.key + "=" + o.value);
    const double cured = train_file(file, sets).end_val_loss;
    EXPECT_LT(cured, baseline) << run.slug;
  }
}

TEST(CourseFiles, EveryFileValidates) {
  for (const auto& entry : std::filesystem::directory_iterator(kCourse)) {
    if (entry.path().extension() != ".yaml") continue;
    EXPECT_NO_THROW(load_experiment(entry.path().string())) << entry.path();
  }
}

}  // namespace
}  // namespace gradlab
