// The course's experiments show what they claim: overfitting.yaml has the overfitting signature
// for several seeds, every cure in overfitting_solutions.yaml ends below the baseline, and the
// exploding lesson explodes with the course's own sigmoid + bce output too.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "experiments/config/overrides.hpp"
#include "experiments/run/evaluate.hpp"
#include "experiments/run/trainer.hpp"
#include "experiments/sweep/grid.hpp"
#include "tests/experiments/cli_support.hpp"

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

// exploding_gradients.yaml with the course's output, a sigmoid layer and bce, as exploding.yaml
// in `dir`; returns its text.
std::string exploding_with_sigmoid_bce(const testing::TempDir& dir, const std::string& loss) {
  std::string text = testing::read_text(kCourse + "exploding_gradients.yaml");
  const std::string last = "    - {type: dense, units: 1, init: {type: normal, std: 5}}\n";
  text = testing::replaced(text, last, last + "    - {type: sigmoid}\n");
  text = testing::replaced(text, "loss: bce_with_logits", "loss: " + loss);
  text = text.substr(0, text.find("\nsweep:") + 1);  // the base run alone
  dir.file("exploding.yaml", text);
  return text;
}

testing::CliResult run_exploding(const testing::TempDir& dir) {
  return testing::run_gradlab("run exploding.yaml --no-plots --out out", dir.path());
}

// bce after the final sigmoid is computed from its logits, so the saturated sigmoid does not stop
// the gradient: the run overflows and check_numerics names the place (exit 3), as it does for
// the lesson's own bce_with_logits output.
TEST(ExplodingLesson, SigmoidBceDivergesWithThePlace) {
  testing::TempDir dir;
  const std::string text = exploding_with_sigmoid_bce(dir, "bce");
  const std::string dense = text.substr(0, text.find("        - {type: dense, units: 32"));
  const auto line = std::count(dense.begin(), dense.end(), '\n') + 1;
  const testing::CliResult r = run_exploding(dir);
  EXPECT_EQ(r.code, 3) << r.err;
  const std::string place = "(exploding.yaml:" + std::to_string(line) + ":11), epoch 1, step 3";
  EXPECT_NE(r.out.find("check_numerics: non-finite value in forward at op 'linear' of layer "
                       "'dense5' " + place),
            std::string::npos)
      << r.out;
  const std::string summary = testing::read_text(dir.path() / "out" / "summary.json");
  EXPECT_NE(summary.find("\"diverged\""), std::string::npos) << summary;
}

// The unfused, clipped bce (fuse_sigmoid: false) is what froze: the saturated sigmoid's gradient
// is exactly 0, so the loss stays at its clipped constant and the run "completes".
TEST(ExplodingLesson, ClippedBceFreezesAtAConstantLoss) {
  testing::TempDir dir;
  exploding_with_sigmoid_bce(dir, "{type: bce, fuse_sigmoid: false}");
  const testing::CliResult r = run_exploding(dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string metrics = testing::read_text(dir.path() / "out" / "metrics.csv");
  EXPECT_NE(metrics.find("\n1,17.269788,"), std::string::npos) << metrics;  // half at -log(1e-15)
  EXPECT_NE(metrics.find("\n20,17.269788,"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace gradlab
