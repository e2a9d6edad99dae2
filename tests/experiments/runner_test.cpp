// End to end through the CLI: the run directory's files and their contents, early stopping,
// divergence (exit 3), a DAG model with a skip connection, and --set.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

using testing::kSmallExperiment;
using testing::read_text;
using testing::csv_rows;
using testing::replaced;

TEST(Runner, RunDirectoryHoldsEveryFileWithTheDocumentedContents) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment);
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out out", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto out = dir.path() / "out";
  for (const char* f : {"config.resolved.yaml", "metrics.csv", "summary.json", "model.dot",
                        "learning_curves.png", "learning_curves.svg"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;

  auto rows = csv_rows(read_text(out / "metrics.csv"));
  ASSERT_EQ(rows.size(), 6u);  // header + 5 epochs
  EXPECT_EQ(rows[0], (std::vector<std::string>{"epoch", "train_loss", "val_loss", "train_acc", "val_acc", "lr"}));
  size_t best = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], std::to_string(i));
    for (int c : {3, 4}) {
      const double acc = std::stod(rows[i][static_cast<size_t>(c)]);
      EXPECT_GE(acc, 0.0);
      EXPECT_LE(acc, 1.0);
    }
    EXPECT_EQ(std::stod(rows[i][5]), 0.5);
    if (best == 0 || std::stod(rows[i][2]) < std::stod(rows[best][2])) best = i;
  }

  const auto s = nlohmann::json::parse(read_text(out / "summary.json"));
  EXPECT_EQ(s["status"], "completed");
  EXPECT_EQ(s["epochs_run"], 5);
  EXPECT_EQ(s["best_epoch"], static_cast<int>(best));
  // metrics.csv holds 10 significant digits, summary.json every digit.
  EXPECT_NEAR(s["final"]["val_loss"].get<double>(), std::stod(rows[5][2]), 1e-9);
  EXPECT_NEAR(s["best"]["val_loss"].get<double>(), std::stod(rows[best][2]), 1e-9);
  EXPECT_NEAR(s["end_of_training"]["val_loss"].get<double>(), std::stod(rows[5][2]), 1e-9);
  EXPECT_GT(s["wall_seconds"].get<double>(), 0);

  const std::string resolved = read_text(out / "config.resolved.yaml");
  for (const char* filled : {"batch_size: 1", "shuffle: true", "check_numerics: true", "init: he_normal",
                             "weight_decay: 0", "name: small"})
    EXPECT_NE(resolved.find(filled), std::string::npos) << filled << " in\n" << resolved;
  EXPECT_NE(read_text(out / "model.dot").find("\"dense1\" -> \"sigmoid1\";"), std::string::npos);
  // The summary on stdout names the directory and its files.
  EXPECT_NE(r.out.find("small: completed after 5 of 5 epochs"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n    out/metrics.csv\n"), std::string::npos) << r.out;
}

TEST(Runner, ResolvedConfigRunsAgainToTheSameMetrics) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment);
  ASSERT_EQ(testing::run_gradlab("run exp.yaml --out a --no-plots", dir.path()).code, 0);
  ASSERT_EQ(testing::run_gradlab("run a/config.resolved.yaml --out b --no-plots", dir.path()).code, 0);
  EXPECT_EQ(read_text(dir.path() / "a/metrics.csv"), read_text(dir.path() / "b/metrics.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "a/learning_curves.png"));
}

TEST(Runner, SetOverridesAKeyAndTheResolvedFileShowsIt) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment);
  testing::CliResult r = testing::run_gradlab(
      "run exp.yaml --out out --no-plots --set train.epochs=3 --set 'model.layers[0].units=6' "
      "--set 'regularizers=[{type: l2, lambda: 0.01}]'",
      dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(csv_rows(read_text(dir.path() / "out/metrics.csv")).size(), 4u);
  const std::string resolved = read_text(dir.path() / "out/config.resolved.yaml");
  EXPECT_NE(resolved.find("units: 6"), std::string::npos);
  EXPECT_NE(resolved.find("lambda: 0.01"), std::string::npos);
}

TEST(Runner, EarlyStoppingStopsRestoresAndSaysSo) {
  testing::TempDir dir;
  dir.file("exp.yaml", replaced(kSmallExperiment, "epochs: 5", "epochs: 400") +
                           "callbacks: [{type: early_stopping, patience: 3, min_delta: 0.5, restore_best: true},"
                           " {type: checkpoint_best}]\n");
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out out --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto s = nlohmann::json::parse(read_text(dir.path() / "out/summary.json"));
  EXPECT_EQ(s["status"], "stopped_early");
  // min_delta 0.5 on a loss that starts below 1: only epoch 1 counts as an improvement.
  EXPECT_EQ(s["epochs_run"], 4);
  EXPECT_EQ(s["restored_epoch"], 1);
  const double first = std::stod(csv_rows(read_text(dir.path() / "out/metrics.csv"))[1][2]);
  EXPECT_NEAR(s["end_of_training"]["val_loss"].get<double>(), first, 1e-9);  // epoch 1's weights
  char best[32];
  std::snprintf(best, sizeof best, "%.6g", first);
  EXPECT_EQ(s["message"], std::string("early_stopping: val_loss did not improve for 3 epochs (best ") + best +
                              " at epoch 1)");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "out/checkpoints/best.safetensors"));
}

TEST(Runner, EvaluateEveryLeavesTheRowsBetweenEvaluationsBlankAndChangesNoWeight) {
  testing::TempDir dir;
  const std::string every = replaced(kSmallExperiment, "epochs: 5,", "epochs: 7, evaluate_every: 3,");
  dir.file("every.yaml", every);
  dir.file("all.yaml", replaced(kSmallExperiment, "epochs: 5,", "epochs: 7,"));
  testing::CliResult r = testing::run_gradlab("run every.yaml --out every --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  r = testing::run_gradlab("run all.yaml --out all --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto sparse = csv_rows(read_text(dir.path() / "every/metrics.csv"));
  const auto full = csv_rows(read_text(dir.path() / "all/metrics.csv"));
  ASSERT_EQ(sparse.size(), 8u);  // header + 7 epochs: a row per epoch still
  ASSERT_EQ(sparse[0], full[0]);
  for (size_t epoch = 1; epoch <= 7; ++epoch) {
    const bool evaluated = epoch % 3 == 0 || epoch == 7;
    EXPECT_EQ(sparse[epoch][0], std::to_string(epoch));
    for (size_t c = 1; c + 1 < sparse[0].size(); ++c)  // every column but epoch and lr
      EXPECT_EQ(sparse[epoch][c], evaluated ? full[epoch][c] : "") << "epoch " << epoch << " " << sparse[0][c];
    EXPECT_EQ(sparse[epoch].back(), full[epoch].back());  // lr
  }
  const auto s = nlohmann::json::parse(read_text(dir.path() / "every/summary.json"));
  EXPECT_EQ(s["status"], "completed");
  EXPECT_FALSE(s["final"]["val_loss"].is_null());
}

TEST(Runner, DivergenceExitsThreeWithStatusDiverged) {
  testing::TempDir dir;
  // A linear model with a huge learning rate: the weights grow geometrically to inf, then NaN.
  dir.file("exp.yaml", replaced(replaced(replaced(kSmallExperiment, "lr: 0.5", "lr: 1e6"), "loss: bce", "loss: mse"),
                                "    - {type: sigmoid}\n    - {type: dense, units: 1}\n    - {type: sigmoid}\n",
                                "    - {type: dense, units: 1}\n"));
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out out --no-plots", dir.path());
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  const auto s = nlohmann::json::parse(read_text(dir.path() / "out/summary.json"));
  EXPECT_EQ(s["status"], "diverged");
  EXPECT_NE(s["message"].get<std::string>().find("non-finite"), std::string::npos) << s["message"];
}

TEST(Runner, DagModelWithASkipConnectionTrains) {
  testing::TempDir dir;
  dir.file("dag.yaml",
           "name: dag\nseed: 3\n"
           "data: {train: {type: vh_lines, samples: 100, noise: 0.1, seed: 1}, val: {type: vh_lines, samples: 50, seed: 2}}\n"
           "model:\n  input: 9\n  graph:\n"
           "    - {name: h1, type: dense, units: 8, inputs: [input]}\n"
           "    - {name: a1, type: relu, inputs: [h1]}\n"
           "    - {name: h2, type: dense, units: 8, inputs: [a1]}\n"
           "    - {name: sum, type: add, inputs: [h2, h1]}\n"
           "    - {name: out, type: dense, units: 1, inputs: [sum]}\n"
           "loss: bce_with_logits\noptimizer: {type: adam, lr: 0.01}\ntrain: {epochs: 40, batch_size: 10}\n");
  testing::CliResult r = testing::run_gradlab("run dag.yaml --out out --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto s = nlohmann::json::parse(read_text(dir.path() / "out/summary.json"));
  EXPECT_GE(s["final"]["train_acc"].get<double>(), 0.95);
  EXPECT_GE(s["final"]["val_acc"].get<double>(), 0.9);
  testing::CliResult g = testing::run_gradlab("graph dag.yaml", dir.path());
  EXPECT_EQ(g.code, 0);
  EXPECT_NE(g.out.find("\"h1\" -> \"sum\";"), std::string::npos) << g.out;
  EXPECT_EQ(g.out, read_text(dir.path() / "out/model.dot"));
}

}  // namespace
}  // namespace gradlab
