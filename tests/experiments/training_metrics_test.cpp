// `metrics:` in a run, through the CLI: the metrics.csv columns they add (none when the key is
// absent), their figures against `gradlab evaluate` on the same model, early stopping on one of
// them, and the refusal of a metric that does not fit the loss, at its place in the file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <tuple>

#include "tests/experiments/cli_support.hpp"
#include "tests/experiments/evaluation_support.hpp"

namespace gradlab {
namespace {

using nlohmann::json;
using testing::csv_rows;
using testing::end_of_training;
using testing::evaluation_metrics;
using testing::kCsvExperiment;
using testing::read_text;
using testing::replaced;
using testing::Rows;
using testing::run_gradlab;
using testing::train_run;

std::string with_metrics(const std::string& list, const std::string& yaml = kCsvExperiment) {
  return replaced(yaml, "loss: bce", "metrics: " + list + "\nloss: bce");
}

// The column `name` of metrics.csv's rows, as text.
std::vector<std::string> column(const Rows& rows, const std::string& name) {
  const auto at = std::find(rows[0].begin(), rows[0].end(), name) - rows[0].begin();
  EXPECT_LT(static_cast<size_t>(at), rows[0].size()) << name;
  std::vector<std::string> out;
  for (size_t i = 1; i < rows.size(); ++i) out.push_back(rows[i][static_cast<size_t>(at)]);
  return out;
}

TEST(TrainingMetrics, WithoutTheKeyMetricsCsvKeepsItsColumns) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  EXPECT_EQ(csv_rows(read_text(dir.path() / "run" / "metrics.csv"))[0],
            (std::vector<std::string>{"epoch", "train_loss", "val_loss", "train_acc", "val_acc", "lr"}));
}

TEST(TrainingMetrics, AddTrainAndValColumnsThatAgreeWithEvaluate) {
  testing::TempDir dir;
  train_run(dir, with_metrics("[accuracy, precision, recall, f1, auc]"));
  const Rows rows = csv_rows(read_text(dir.path() / "run" / "metrics.csv"));
  EXPECT_EQ(rows[0], (std::vector<std::string>{"epoch", "train_loss", "val_loss", "train_acc", "val_acc",
                                               "train_accuracy", "val_accuracy", "train_precision", "val_precision",
                                               "train_recall", "val_recall", "train_f1", "val_f1", "train_auc",
                                               "val_auc", "lr"}));
  EXPECT_EQ(rows.size(), 13u);
  EXPECT_EQ(column(rows, "train_accuracy"), column(rows, "train_acc"));
  EXPECT_EQ(column(rows, "val_accuracy"), column(rows, "val_acc"));
  // the run's final figures are evaluate's on the same model and split, to the last bit
  ASSERT_EQ(run_gradlab("evaluate run --no-plots", dir.path()).code, 0);
  const json m = evaluation_metrics(dir), end = end_of_training(dir);
  EXPECT_EQ(end["val_precision"].get<double>(), m["per_class"]["1"]["precision"].get<double>());
  EXPECT_EQ(end["val_recall"].get<double>(), m["per_class"]["1"]["recall"].get<double>());
  EXPECT_EQ(end["val_f1"].get<double>(), m["per_class"]["1"]["f1"].get<double>());
  EXPECT_EQ(end["val_auc"].get<double>(), m["roc_auc"].get<double>());
  EXPECT_GT(end["val_auc"].get<double>(), 0.8);
}

TEST(TrainingMetrics, MulticlassMacroAndTopKAgreeWithEvaluate) {
  testing::TempDir dir;
  const std::string yaml = replaced(replaced(replaced(kCsvExperiment, "units: 1}", "units: 3}"), "    - {type: sigmoid}\n", ""),
                                    "loss: bce", "metrics: [f1, {type: top_k_accuracy, k: 2}]\nloss: cross_entropy");
  train_run(dir, yaml, 3);
  ASSERT_EQ(run_gradlab("evaluate run --no-plots", dir.path()).code, 0);
  const json m = evaluation_metrics(dir), end = end_of_training(dir);
  EXPECT_EQ(end["val_f1"].get<double>(), m["macro_avg"]["f1"].get<double>());
  // top-2 of 3: wrong only where the true class was the least probable
  const double top2 = end["val_top_k_accuracy"].get<double>();
  EXPECT_GE(top2, end["val_acc"].get<double>());
  EXPECT_LE(top2, 1.0);
}

TEST(TrainingMetrics, EarlyStoppingOnValF1KeepsTheHighest) {
  testing::TempDir dir;
  const std::string yaml =
      replaced(with_metrics("[f1]"), "train: {epochs: 12, batch_size: 8}",
               "train: {epochs: 200, batch_size: 8}\n"
               "callbacks: [{type: early_stopping, monitor: val_f1, patience: 4, restore_best: true}]");
  train_run(dir, yaml);
  const Rows rows = csv_rows(read_text(dir.path() / "run" / "metrics.csv"));
  const std::vector<std::string> f1 = column(rows, "val_f1");
  size_t best = 0;  // the first epoch of the highest val_f1: mode max, inferred from the name
  for (size_t i = 1; i < f1.size(); ++i)
    if (std::stod(f1[i]) > std::stod(f1[best])) best = i;
  const json summary = json::parse(read_text(dir.path() / "run" / "summary.json"));
  EXPECT_EQ(summary["status"], "stopped_early");
  EXPECT_EQ(f1.size(), best + 1 + 4);  // 4 epochs without improvement after the best
  EXPECT_LT(f1.size(), 200u);
  // restored: metrics.csv holds 10 significant digits
  EXPECT_NEAR(summary["end_of_training"]["val_f1"].get<double>(), std::stod(f1[best]), 1e-9);
}

TEST(TrainingMetrics, AMetricThatDoesNotFitTheLossIsRefusedAtItsPlace) {
  testing::TempDir dir;
  const std::string regression = replaced(with_metrics("[accuracy, precision]"), "loss: bce", "loss: mse");
  const std::string binary_top_k = with_metrics("[f1, top_k_accuracy]");
  const std::string top_5_of_3 =
      replaced(replaced(replaced(with_metrics("[top_k_accuracy]"), "units: 1}", "units: 3}"), "    - {type: sigmoid}\n", ""),
               "loss: bce", "loss: cross_entropy");
  const std::tuple<std::string, int, std::string> cases[] = {
      {regression, 2, "exp.yaml:14:11: metrics[0]: accuracy cannot score this model (loss mse): it scores class "
                      "decisions, and this loss makes none (bce, bce_with_logits and cross_entropy do)\n"},
      {binary_top_k, 2, "exp.yaml:14:15: metrics[1]: top_k_accuracy cannot score this model (loss bce): it ranks the "
                        "classes of a cross_entropy model; a binary model has two (use accuracy)\n"},
      {top_5_of_3, 3, "exp.yaml:13:11: metrics[0]: top_k_accuracy cannot score this model (loss cross_entropy): k: 5 "
                      "is not below the model's 3 classes (every example would count as right)\n"},
      {with_metrics("[f1, {type: auc, name: loss}]"), 2,
       "exp.yaml:14:33: metrics[1].name: \"loss\" cannot name a metric's columns (train_<name>, val_<name>): not loss "
       "or acc, not empty, no comma, quote or space\n"},
  };
  for (const auto& [yaml, classes, message] : cases) {
    dir.file("train.csv", testing::csv_data(40, 1, classes));
    dir.file("exp.yaml", replaced(yaml, "val: {type: csv, path: val.csv", "val: {type: csv, path: train.csv"));
    const testing::CliResult r = run_gradlab("check exp.yaml", dir.path());
    EXPECT_EQ(r.code, 2) << yaml;
    EXPECT_EQ(r.err, message) << yaml;
  }
}

}  // namespace
}  // namespace gradlab
