// Early stopping that puts back a useless model says so (issue 17): a warning line on the terminal
// and in summary.json's `warnings` when the restored epoch is the first, or its validation accuracy
// is no better than always predicting the most common class.
#include "experiments/run/restore_warnings.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

using testing::replaced;

const std::string kFirstEpoch =
    "the weights restored are epoch 1's: no later epoch improved val_loss, so the model barely trained (try a "
    "lower learning rate, or start_from_epoch)";

TEST(RestoreWarnings, NamesTheFirstEpochAndChance) {
  RestoreFacts f{1, "val_loss", {{"val_acc", 0.5}}, 0.5};
  EXPECT_EQ(restore_warnings(f),
            (std::vector<std::string>{kFirstEpoch,
                                      "the restored model (epoch 1) is no better than chance: val_acc "
                                      "0.5000, and always predicting the most common class scores 0.5000"}));
  f.restored_epoch = 7;
  f.end["val_acc"] = 0.75;
  EXPECT_TRUE(restore_warnings(f).empty());
  f.end["val_acc"] = 0.25;
  EXPECT_EQ(restore_warnings(f).size(), 1u);
  f.restored_epoch = 0;  // nothing restored: the run's own last epoch is not early stopping's doing
  EXPECT_TRUE(restore_warnings(f).empty());
}

TEST(RestoreWarnings, UnknownChanceOrNoValAccuracyWarnsOnlyOfTheFirstEpoch) {
  EXPECT_EQ(restore_warnings({1, "val_loss", {{"val_loss", 0.1}}, -1}), std::vector<std::string>{kFirstEpoch});
  EXPECT_TRUE(restore_warnings({2, "val_loss", {{"val_acc", 0.1}}, -1}).empty());
}

// A model whose first layer starts at zero before a relu learns nothing but the last bias: it
// predicts one class for every row, so it scores at most the majority rate.
const std::string kExperiment =
    "name: restore\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: vh_lines, samples: 40, noise: 0.1, seed: 3}\n"
    "  val: {type: vh_lines, samples: 40, noise: 0.1, seed: 4}\n"
    "model:\n"
    "  input: 9\n"
    "  layers:\n"
    "    - {type: dense, units: 4, init: he_normal}\n"
    "    - {type: relu}\n"
    "    - {type: dense, units: 1}\n"
    "    - {type: sigmoid}\n"
    "loss: bce\n"
    "optimizer: {type: sgd, lr: 0.5}\n"
    "train: {epochs: 40, batch_size: 4, shuffle: false}\n"
    "callbacks: [{type: early_stopping, monitor: val_loss, patience: 5, restore_best: true}]\n";

struct Ran {
  testing::CliResult cli;
  nlohmann::json summary;
};

Ran run(const testing::TempDir& dir, const std::string& yaml) {
  dir.file("exp.yaml", yaml);
  Ran r{testing::run_gradlab("run exp.yaml --out out --no-plots", dir.path()), {}};
  EXPECT_EQ(r.cli.code, 0) << r.cli.err;
  r.summary = nlohmann::json::parse(testing::read_text(dir.path() / "out/summary.json"));
  return r;
}

TEST(RestoreWarnings, AGoodRestoredModelHasNoWarning) {
  testing::TempDir dir("gradlab-restore");
  Ran r = run(dir, kExperiment);
  EXPECT_GT(r.summary["restored_epoch"].get<int>(), 1) << r.cli.out;
  EXPECT_EQ(r.summary["warnings"], nlohmann::json::array());
  EXPECT_EQ(r.cli.out.find("warning"), std::string::npos) << r.cli.out;
}

TEST(RestoreWarnings, TheFirstEpochRestoredIsSaidOnTheTerminalAndInTheSummary) {
  testing::TempDir dir("gradlab-restore");
  // min_delta 10: no later epoch counts as better than the first
  Ran r = run(dir, replaced(kExperiment, "patience: 5,", "patience: 5, min_delta: 10,"));
  EXPECT_EQ(r.summary["restored_epoch"], 1);
  EXPECT_EQ(r.summary["warnings"], nlohmann::json::array({kFirstEpoch}));
  EXPECT_NE(r.cli.out.find("\n  weights restored from epoch 1\n"), std::string::npos) << r.cli.out;
  EXPECT_NE(r.cli.out.find("\n  warning: " + kFirstEpoch + "\n  run directory: out\n"), std::string::npos) << r.cli.out;
}

TEST(RestoreWarnings, ARestoredModelAtChanceIsSaid) {
  testing::TempDir dir("gradlab-restore");
  // zeros before a relu: only the last bias learns, every row gets one class; watched from epoch 4
  Ran r = run(dir, replaced(replaced(kExperiment, "init: he_normal", "init: zeros"), "patience: 5,",
                            "patience: 5, start_from_epoch: 3,"));
  EXPECT_EQ(r.summary["restored_epoch"], 4) << r.cli.out;
  const std::string w =
      "the restored model (epoch 4) is no better than chance: val_acc 0.5000, and always "
      "predicting the most common class scores 0.5000";
  EXPECT_EQ(r.summary["warnings"], nlohmann::json::array({w})) << r.cli.out;
  EXPECT_NE(r.cli.out.find("\n  warning: " + w + "\n  run directory: out\n"), std::string::npos) << r.cli.out;
}

}  // namespace
}  // namespace gradlab
