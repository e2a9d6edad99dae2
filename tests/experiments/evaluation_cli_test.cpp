// `gradlab evaluate` end to end, and the model.safetensors every run leaves: files and their exact
// columns, metrics.json against the run's own figures and against metrics recomputed here from
// predict's probabilities, and every input mistake (exit 2). predict: predict_cli_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "experiments/checkpoint/safetensors.hpp"
#include "experiments/output/run_folder.hpp"
#include "tests/experiments/cli_support.hpp"
#include "tests/experiments/evaluation_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::read_text;
using testing::csv_rows;
using testing::replaced;
using testing::run_gradlab;
using testing::end_of_training;
using testing::evaluation_metrics;
using testing::kCsvExperiment;
using testing::labels_of;
using testing::Rows;
using testing::train_run;


TEST(ModelFile, EveryRunLeavesItsFinalWeightsNamedAsCheckpoints) {
  testing::TempDir dir;
  // restore_best with a patience that stops early: model.safetensors holds the best epoch's
  // weights, which checkpoint_best wrote at that epoch.
  train_run(dir, std::string(kCsvExperiment) +
                     "callbacks: [{type: early_stopping, monitor: val_loss, patience: 2, restore_best: true},\n"
                     "            {type: checkpoint_best, monitor: val_loss}]\n");
  const fs::path run = dir.path() / "run";
  const SafetensorsContents model = read_safetensors((run / "model.safetensors").string());
  const SafetensorsContents best = read_safetensors((run / "checkpoints/best.safetensors").string());
  std::vector<std::string> names;
  for (const auto& [name, t] : model.tensors) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias"}));
  for (const auto& [name, t] : model.tensors) {
    const Tensor* b = best.find(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(t.shape(), b->shape()) << name;
    for (int64_t i = 0; i < t.numel(); ++i) EXPECT_EQ(t[i], (*b)[i]) << name << "[" << i << "]";
  }
  EXPECT_EQ(model.find("dense1.weight")->shape(), (Shape{6, 3}));  // PyTorch's [out, in]
  const json summary = json::parse(read_text(run / "summary.json"));
  EXPECT_NE(summary["restored_epoch"], nullptr);
  const auto files = summary["files"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(files.begin(), files.end(), "model.safetensors"), files.end());
  const auto own = run_files_in(run.string());  // so --overwrite replaces it as gradlab's own
  EXPECT_NE(std::find(own.begin(), own.end(), "model.safetensors"), own.end());
}

// Batchnorm's running statistics are buffers: saved with the weights, and what evaluation
// normalizes with (the run's own end-of-training figures use them too).
TEST(ModelFile, HoldsBuffersAndEvaluationUsesThem) {
  testing::TempDir dir;
  train_run(dir, replaced(kCsvExperiment, "    - {type: relu}\n", "    - {type: batchnorm}\n    - {type: relu}\n"));
  const SafetensorsContents model = read_safetensors((dir.path() / "run" / "model.safetensors").string());
  for (const char* name : {"batchnorm1.weight", "batchnorm1.bias", "batchnorm1.running_mean", "batchnorm1.running_var"})
    EXPECT_NE(model.find(name), nullptr) << name;
  EXPECT_NE((*model.find("batchnorm1.running_mean"))[0], 0.0);  // trained, not the initial zeros
  ASSERT_EQ(run_gradlab("evaluate run --no-plots", dir.path()).code, 0);
  const json m = evaluation_metrics(dir);
  const json end = end_of_training(dir);
  EXPECT_EQ(m["loss"].get<double>(), end["val_loss"].get<double>());
}

TEST(Evaluate, BinaryRunWritesEveryFileWithItsColumnsAndTheRunsOwnFigures) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  const testing::CliResult r = run_gradlab("evaluate run", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path ev = dir.path() / "run" / "evaluation-val";
  for (const char* f : {"metrics.json", "confusion_matrix.csv", "per_class.csv", "misclassified.csv", "roc.csv", "pr.csv",
                        "confusion_matrix.png", "confusion_matrix.svg", "roc.png", "roc.svg", "pr.png", "pr.svg"})
    EXPECT_TRUE(fs::exists(ev / f)) << f;
  EXPECT_EQ(csv_rows(read_text(ev / "confusion_matrix.csv"))[0], (std::vector<std::string>{"true/predicted", "0", "1"}));
  EXPECT_EQ(csv_rows(read_text(ev / "per_class.csv"))[0],
            (std::vector<std::string>{"class", "precision", "recall", "f1", "support"}));
  EXPECT_EQ(csv_rows(read_text(ev / "misclassified.csv"))[0],
            (std::vector<std::string>{"index", "label", "predicted", "confidence"}));
  const Rows roc = csv_rows(read_text(ev / "roc.csv")), pr = csv_rows(read_text(ev / "pr.csv"));
  EXPECT_EQ(roc[0], (std::vector<std::string>{"threshold", "fpr", "tpr"}));
  EXPECT_EQ(roc[1], (std::vector<std::string>{"inf", "0", "0"}));
  EXPECT_EQ(roc.back()[1], "1");
  EXPECT_EQ(roc.back()[2], "1");
  EXPECT_EQ(pr[0], (std::vector<std::string>{"threshold", "precision", "recall"}));
  EXPECT_EQ(pr.back(), (std::vector<std::string>{"", "1", "0"}));

  // loss and accuracy: the very numbers the run computed at its end (same weights, same batches).
  const json m = evaluation_metrics(dir);
  const json end = end_of_training(dir);
  EXPECT_EQ(m["loss"].get<double>(), end["val_loss"].get<double>());
  EXPECT_EQ(m["accuracy"].get<double>(), end["val_acc"].get<double>());
  EXPECT_EQ(m["split"], "val");
  EXPECT_EQ(m["checkpoint"], "model");
  EXPECT_EQ(m["task"], "binary");
  EXPECT_EQ(m["samples"], 60);
  const size_t wrong = csv_rows(read_text(ev / "misclassified.csv")).size() - 1;
  EXPECT_DOUBLE_EQ(m["accuracy"].get<double>(), 1 - static_cast<double>(wrong) / 60);
}

// The figures of metrics.json recomputed here from predict's P(class 1) on the same file, by
// definitions written independently of the code under test.
TEST(Evaluate, BinaryFiguresMatchTheirDefinitionsOnPredictsProbabilities) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  ASSERT_EQ(run_gradlab("evaluate run --no-plots", dir.path()).code, 0);
  const testing::CliResult p = run_gradlab("predict run --input val.csv --out val_pred.csv", dir.path());
  ASSERT_EQ(p.code, 0) << p.err;
  const Rows pred = csv_rows(read_text(dir.path() / "val_pred.csv"));
  ASSERT_EQ(pred[0], (std::vector<std::string>{"index", "predicted", "p_1"}));
  const std::vector<int> truth = labels_of(read_text(dir.path() / "val.csv"));
  ASSERT_EQ(pred.size(), truth.size() + 1);
  std::vector<double> score;
  int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    score.push_back(std::stod(pred[i + 1][2]));
    const int guess = std::stoi(pred[i + 1][1]);
    EXPECT_EQ(guess, score.back() >= 0.5 ? 1 : 0);
    (truth[i] ? (guess ? tp : fn) : (guess ? fp : tn))++;
  }
  // AUC as the probability that a positive outscores a negative, ties counting half.
  double pairs = 0, wins = 0;
  for (size_t i = 0; i < truth.size(); ++i)
    for (size_t j = 0; j < truth.size(); ++j)
      if (truth[i] == 1 && truth[j] == 0) pairs += 1, wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
  // AP: at each distinct threshold t (decreasing), precision of {score >= t} times the recall gained.
  std::set<double, std::greater<>> thresholds(score.begin(), score.end());
  double ap = 0, recall_before = 0;
  for (double t : thresholds) {
    double hit = 0, all = 0;
    for (size_t i = 0; i < truth.size(); ++i)
      if (score[i] >= t) all += 1, hit += truth[i];
    ap += (hit / static_cast<double>(tp + fn) - recall_before) * hit / all;
    recall_before = hit / static_cast<double>(tp + fn);
  }
  const json m = evaluation_metrics(dir);
  // NB: predict writes probabilities in shortest round-trip text, so they are the same doubles.
  EXPECT_NEAR(m["roc_auc"].get<double>(), wins / pairs, 1e-12);
  EXPECT_NEAR(m["average_precision"].get<double>(), ap, 1e-12);
  const double p1 = static_cast<double>(tp) / static_cast<double>(tp + fp), r1 = static_cast<double>(tp) / static_cast<double>(tp + fn);
  const double p0 = static_cast<double>(tn) / static_cast<double>(tn + fn), r0 = static_cast<double>(tn) / static_cast<double>(tn + fp);
  EXPECT_NEAR(m["per_class"]["1"]["precision"].get<double>(), p1, 1e-15);
  EXPECT_NEAR(m["per_class"]["1"]["recall"].get<double>(), r1, 1e-15);
  EXPECT_NEAR(m["per_class"]["1"]["f1"].get<double>(), 2 * p1 * r1 / (p1 + r1), 1e-12);
  EXPECT_NEAR(m["per_class"]["0"]["precision"].get<double>(), p0, 1e-15);
  EXPECT_EQ(m["per_class"]["0"]["support"], tn + fp);
  EXPECT_NEAR(m["macro_avg"]["recall"].get<double>(), (r0 + r1) / 2, 1e-15);
  EXPECT_NEAR(m["weighted_avg"]["precision"].get<double>(),
              (p0 * static_cast<double>(tn + fp) + p1 * static_cast<double>(tp + fn)) / 60, 1e-15);
  EXPECT_EQ(m["confusion_matrix"]["counts"], json::array({json::array({tn, fp}), json::array({fn, tp})}));
  // the same figures in classification_report's layout
  const json& report = m["classification_report"];
  EXPECT_EQ(report["1"]["precision"], m["per_class"]["1"]["precision"]);
  EXPECT_EQ(report["0"]["f1-score"], m["per_class"]["0"]["f1"]);
  EXPECT_EQ(report["accuracy"], m["accuracy"]);
  EXPECT_EQ(report["macro avg"]["recall"], m["macro_avg"]["recall"]);
  EXPECT_EQ(report["weighted avg"]["support"], 60);
}

TEST(Evaluate, MulticlassRunHasAConfusionMatrixButNoCurves) {
  testing::TempDir dir;
  train_run(dir, replaced(replaced(replaced(kCsvExperiment, "units: 1}", "units: 3}"), "    - {type: sigmoid}\n", ""),
                          "loss: bce", "metrics: [auc]\nloss: cross_entropy"),
            3);
  const testing::CliResult r = run_gradlab("evaluate run --split train --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path ev = dir.path() / "run" / "evaluation-train";
  EXPECT_FALSE(fs::exists(ev / "roc.csv"));
  EXPECT_FALSE(fs::exists(ev / "confusion_matrix.png"));  // --no-plots
  const Rows cm = csv_rows(read_text(ev / "confusion_matrix.csv"));
  ASSERT_EQ(cm.size(), 4u);
  EXPECT_EQ(cm[0], (std::vector<std::string>{"true/predicted", "0", "1", "2"}));
  // Each row sums to the class's support in train.csv; per_class.csv agrees.
  const std::vector<int> truth = labels_of(read_text(dir.path() / "train.csv"));
  const Rows per_class = csv_rows(read_text(ev / "per_class.csv"));
  const json m = json::parse(read_text(ev / "metrics.json"));
  int64_t diagonal = 0;
  for (int c = 0; c < 3; ++c) {
    const auto support = std::count(truth.begin(), truth.end(), c);
    int64_t row = 0, col = 0;
    for (size_t j = 1; j <= 3; ++j) row += std::stoll(cm[static_cast<size_t>(c) + 1][j]), col += std::stoll(cm[j][static_cast<size_t>(c) + 1]);
    const int64_t hit = std::stoll(cm[static_cast<size_t>(c) + 1][static_cast<size_t>(c) + 1]);
    diagonal += hit;
    EXPECT_EQ(row, support) << c;
    EXPECT_EQ(per_class[static_cast<size_t>(c) + 1][4], std::to_string(support));
    EXPECT_DOUBLE_EQ(m["per_class"][std::to_string(c)]["precision"].get<double>(), col ? static_cast<double>(hit) / static_cast<double>(col) : 0);
    EXPECT_DOUBLE_EQ(m["per_class"][std::to_string(c)]["recall"].get<double>(), static_cast<double>(hit) / static_cast<double>(support));
  }
  EXPECT_DOUBLE_EQ(m["accuracy"].get<double>(), static_cast<double>(diagonal) / 120);
  EXPECT_EQ(m["task"], "multiclass");
  EXPECT_FALSE(m.contains("average_precision"));
  const json end = end_of_training(dir);
  EXPECT_EQ(m["accuracy"].get<double>(), end["train_acc"].get<double>());
  // one-vs-rest macro AUC, the very figure of the training metric `auc`
  EXPECT_EQ(m["roc_auc"].get<double>(), end["train_auc"].get<double>());
  EXPECT_GT(m["roc_auc"].get<double>(), 0.5);

  // predict: a probability per class, summing to 1, the predicted class the most probable.
  ASSERT_EQ(run_gradlab("predict run --input train.csv", dir.path()).code, 0);
  const Rows pred = csv_rows(read_text(dir.path() / "predictions.csv"));
  EXPECT_EQ(pred[0], (std::vector<std::string>{"index", "predicted", "p_0", "p_1", "p_2"}));
  ASSERT_EQ(pred.size(), 121u);
  for (size_t i = 1; i < pred.size(); ++i) {
    const double p[] = {std::stod(pred[i][2]), std::stod(pred[i][3]), std::stod(pred[i][4])};
    EXPECT_NEAR(p[0] + p[1] + p[2], 1, 1e-12);
    EXPECT_EQ(std::stoi(pred[i][1]), std::max_element(p, p + 3) - p);
    EXPECT_EQ(pred[i][0], std::to_string(i - 1));
  }
}

TEST(Evaluate, RegressionReportsMaeRmseR2) {
  testing::TempDir dir;
  dir.file("train.csv", "x,t\n0,0.1\n1,2.2\n2,3.9\n3,6.1\n4,8.0\n");
  dir.file("exp.yaml",
           "name: line\nseed: 1\ndata:\n  train: {type: csv, path: train.csv, label: t, task: regression}\n"
           "model: {input: 1, layers: [{type: dense, units: 1}]}\nloss: mse\noptimizer: {type: sgd, lr: 0.02}\n"
           "train: {epochs: 40, batch_size: 5}\n");
  ASSERT_EQ(run_gradlab("run exp.yaml --out run --no-plots", dir.path()).code, 0);
  ASSERT_EQ(run_gradlab("evaluate run --split train --no-plots", dir.path()).code, 0);
  const json m = evaluation_metrics(dir, "train");
  EXPECT_EQ(m["task"], "regression");
  EXPECT_FALSE(fs::exists(dir.path() / "run" / "evaluation-train" / "confusion_matrix.csv"));
  ASSERT_EQ(run_gradlab("predict run --input train.csv", dir.path()).code, 0);
  const Rows pred = csv_rows(read_text(dir.path() / "predictions.csv"));
  ASSERT_EQ(pred[0], (std::vector<std::string>{"index", "predicted"}));
  const double truth[] = {0.1, 2.2, 3.9, 6.1, 8.0};
  double abs_err = 0, sq_err = 0, ss_tot = 0;
  for (int i = 0; i < 5; ++i) {
    const double d = truth[i] - std::stod(pred[static_cast<size_t>(i) + 1][1]);
    abs_err += std::fabs(d), sq_err += d * d, ss_tot += (truth[i] - 4.06) * (truth[i] - 4.06);
  }
  EXPECT_NEAR(m["mae"].get<double>(), abs_err / 5, 1e-12);
  EXPECT_NEAR(m["mse"].get<double>(), sq_err / 5, 1e-12);
  EXPECT_NEAR(m["loss"].get<double>(), sq_err / 5, 1e-12);  // the mse loss is the same figure
  EXPECT_NEAR(m["rmse"].get<double>(), std::sqrt(sq_err / 5), 1e-12);
  EXPECT_NEAR(m["r2"].get<double>(), 1 - sq_err / ss_tot, 1e-12);
}

TEST(Evaluate, AgainReplacesOnlyItsOwnFiles) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  ASSERT_EQ(run_gradlab("evaluate run", dir.path()).code, 0);
  const fs::path ev = dir.path() / "run" / "evaluation-val";
  testing::write_text(ev / "notes.txt", "mine");
  ASSERT_EQ(run_gradlab("evaluate run --no-plots", dir.path()).code, 0);
  EXPECT_FALSE(fs::exists(ev / "roc.png"));  // the earlier evaluation's picture is gone, not stale
  EXPECT_FALSE(fs::exists(ev / "plot_data"));
  EXPECT_TRUE(fs::exists(ev / "metrics.json"));
  EXPECT_EQ(read_text(ev / "notes.txt"), "mine");
  const auto listed = json::parse(read_text(ev / "metrics.json"))["files"].get<std::vector<std::string>>();
  EXPECT_EQ(std::find(listed.begin(), listed.end(), "roc.png"), listed.end());
}

// `run --overwrite` replaces the model, so the evaluations of the old one go too (they are
// gradlab's files); a file of the user's in an evaluation folder keeps the folder.
TEST(Evaluate, RunOverwriteRemovesTheOldModelsEvaluations) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  ASSERT_EQ(run_gradlab("evaluate run", dir.path()).code, 0);
  ASSERT_EQ(run_gradlab("evaluate run --split train --no-plots", dir.path()).code, 0);
  testing::write_text(dir.path() / "run" / "evaluation-train" / "notes.txt", "mine");
  const testing::CliResult r = run_gradlab("run exp.yaml --out run --overwrite --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "run" / "evaluation-val"));
  EXPECT_TRUE(fs::exists(dir.path() / "run" / "model.safetensors"));
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir.path() / "run" / "evaluation-train"))
    left.push_back(entry.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"notes.txt"});
}

TEST(Evaluate, CheckpointChoosesTheWeights) {
  testing::TempDir dir;
  train_run(dir, std::string(kCsvExperiment) + "callbacks: [{type: checkpoint_best, monitor: val_loss}]\n");
  for (const char* c : {"best", "last"}) {
    const testing::CliResult r = run_gradlab(std::string("evaluate run --no-plots --checkpoint ") + c, dir.path());
    ASSERT_EQ(r.code, 0) << r.err;
    const json m = evaluation_metrics(dir);
    EXPECT_EQ(m["checkpoint"], c);
    EXPECT_EQ(m["weights"], std::string("checkpoints/") + c + ".safetensors");
  }
  // last: the final epoch's weights, which are model.safetensors's too (no restore here).
  const json last = evaluation_metrics(dir);
  const json end = end_of_training(dir);
  EXPECT_EQ(last["loss"].get<double>(), end["val_loss"].get<double>());
}

TEST(Evaluate, InputMistakesAreOneLineAndExit2) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  testing::write_text(dir.path() / "notarun" / "x.txt", "x");
  const std::pair<std::string, std::string> cases[] = {
      {"evaluate nowhere", "gradlab: evaluate nowhere: no such run folder\n"},
      {"evaluate notarun", "gradlab: evaluate notarun: not a gradlab run folder (no config.resolved.yaml)\n"},
      {"evaluate run --split test",
       "gradlab: evaluate run: the run has no test split (its config has no data.test and no data.split.test "
       "fraction); splits it has: train, val\n"},
      {"evaluate run --checkpoint best",
       "gradlab: evaluate run: no checkpoints/best.safetensors (a run with the checkpoint_best callback writes it; "
       "--checkpoint chooses model, best or last)\n"},
  };
  for (const auto& [args, message] : cases) {
    const testing::CliResult r = run_gradlab(args, dir.path());
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(r.err, message) << args;
  }
  EXPECT_EQ(run_gradlab("evaluate run --split tset", dir.path()).code, 2);  // CLI11 names the choices
  EXPECT_FALSE(fs::exists(dir.path() / "run" / "evaluation-test"));
  // A damaged weights file: exit 2, the file and tensor named.
  testing::write_text(dir.path() / "run" / "model.safetensors", "garbage");
  const testing::CliResult r = run_gradlab("evaluate run", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("evaluate run: safetensors"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// A run whose layer, optimizer and regularizer come from a plugin named in its file: evaluate
// loads the plugin as the run did, and the swish layer's trainable beta comes back with the rest.
TEST(Evaluate, RunWithAPluginLoadsItAgain) {
  const std::string plugin = GRADLAB_BINARY_DIR "/plugins/examples/libgradlab_example.so";
  if (!fs::exists(plugin)) GTEST_SKIP() << "example plugin not built";
  testing::TempDir dir;
  const testing::CliResult r = run_gradlab(
      "run '" GRADLAB_SOURCE_DIR "/plugins/examples/swish_experiment.yaml' --out run --no-plots --set train.epochs=3 "
      "--set 'plugins=[" + plugin + "]'", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const SafetensorsContents model = read_safetensors((dir.path() / "run" / "model.safetensors").string());
  EXPECT_NE(model.find("swish1.beta"), nullptr);
  const testing::CliResult ev = run_gradlab("evaluate run --no-plots", dir.path());
  ASSERT_EQ(ev.code, 0) << ev.err;
  const json m = evaluation_metrics(dir);
  const json end = end_of_training(dir);
  EXPECT_EQ(m["loss"].get<double>(), end["val_loss"].get<double>());
  EXPECT_EQ(m["accuracy"].get<double>(), end["val_acc"].get<double>());
  EXPECT_EQ(m["task"], "binary");  // bce_with_logits: P(class 1) = sigmoid(logit)
}

TEST(Evaluate, DivergedRunExits3AndWritesNothing) {
  testing::TempDir dir;
  // runner_test's divergence: a linear model with a huge learning rate; its weights stay finite
  // but huge, and the loss on the validation set overflows.
  dir.file("exp.yaml", replaced(replaced(replaced(testing::kSmallExperiment, "lr: 0.5", "lr: 1e6"), "loss: bce", "loss: mse"),
                                "    - {type: sigmoid}\n    - {type: dense, units: 1}\n    - {type: sigmoid}\n",
                                "    - {type: dense, units: 1}\n"));
  ASSERT_EQ(run_gradlab("run exp.yaml --out run --no-plots", dir.path()).code, 3);
  const testing::CliResult r = run_gradlab("evaluate run --no-plots", dir.path());
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("gradlab: evaluate run: the model's loss is not finite on the val split (0 of 40 outputs "
                       "non-finite, loss inf)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "run" / "evaluation-val"));
}

}  // namespace
}  // namespace gradlab
