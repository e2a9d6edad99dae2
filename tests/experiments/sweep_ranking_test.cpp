// The ranked table printed when a sweep ends: the order, the values it ranks by (the model each
// run left), the metric and its direction named on the first line, the swept values brief.
#include "experiments/sweep/sweep_ranking.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "../test_temp_dir.hpp"
#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> row(const std::string& index, const std::string& lr, const std::string& status,
                                       const std::string& model_epoch, const std::string& loss, const std::string& acc) {
  std::map<std::string, std::string> r{{"index", index}, {"run", index + "-optimizer.lr=" + lr}, {"optimizer.lr", lr},
                                       {"status", status}, {"epochs_run", "8"}};
  if (!model_epoch.empty()) r["model_epoch"] = model_epoch;
  if (!loss.empty()) r["model_val_loss"] = loss, r["final_val_loss"] = "9";
  if (!acc.empty()) r["model_val_acc"] = acc;
  return r;
}

TEST(SweepRanking, LowestValLossFirstByDefaultRunsWithoutAValueLast) {
  const std::vector<std::map<std::string, std::string>> rows{
      row("0", "0.1", "completed", "8", "0.3", "0.8"), row("1", "0.5", "stopped_early", "5", "0.25", "0.9"),
      row("2", "2", "failed", "", "", ""), row("3", "1", "completed", "8", "0.125", "0.85")};
  EXPECT_EQ(ranked_table(RankBy{}, {"optimizer.lr"}, rows),
            "ranked by val_loss (lower is better; no early_stopping or checkpoint_best monitor), of the model each "
            "run left:\n"
            "rank  run  optimizer.lr  val_loss  epoch  status\n"
            "   1    3  1                0.125      8  completed\n"
            "   2    1  0.5               0.25      5  stopped_early\n"
            "   3    0  0.1                0.3      8  completed\n"
            "   -    2  2                    -      8  failed\n");
}

TEST(SweepRanking, AMonitorThatMaximisesRanksHighestFirst) {
  const auto dir = test_temp_dir("gradlab_sweep_ranking");
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  write_file_atomic((dir / "a" / "config.resolved.yaml").string(), "name: x\ncallbacks: []\n");
  write_file_atomic((dir / "b" / "config.resolved.yaml").string(),
                    "name: x\ncallbacks:\n  - {type: terminate_on_nan}\n"
                    "  - {type: early_stopping, monitor: val_acc, mode: auto, patience: 3}\n");
  const std::vector<std::map<std::string, std::string>> rows{row("0", "0.1", "completed", "8", "0.3", "0.8"),
                                                             row("1", "0.5", "completed", "8", "0.25", "0.9")};
  const RankBy by = rank_by({(dir / "a").string(), (dir / "b").string(), (dir / "missing").string()}, rows);
  EXPECT_EQ(by.metric, "val_acc");
  EXPECT_TRUE(by.maximize);
  EXPECT_EQ(by.monitored_by, "early_stopping");
  const std::string table = ranked_table(by, {"optimizer.lr"}, rows);
  EXPECT_EQ(table.substr(0, table.find('\n')),
            "ranked by val_acc (higher is better; early_stopping's monitor), of the model each run left:");
  EXPECT_LT(table.find("\n   1    1  0.5"), table.find("\n   2    0  0.1")) << table;
  // mode: min turns a score into one where lower is better.
  write_file_atomic((dir / "a" / "config.resolved.yaml").string(),
                    "callbacks: [{type: checkpoint_best, monitor: val_acc, mode: min}]\n");
  const RankBy min = rank_by({(dir / "a").string(), (dir / "b").string()}, rows);
  EXPECT_EQ(min.monitored_by, "checkpoint_best");
  EXPECT_FALSE(min.maximize);
  fs::remove_all(dir);
}

TEST(SweepRanking, WithoutValidationTrainLossAndSweptListsShownBrief) {
  std::vector<std::map<std::string, std::string>> rows{
      {{"index", "0"}, {"regularizers", "[{type: l2, lambda: 0.001}]"}, {"status", "completed"}, {"epochs_run", "4"},
       {"final_train_loss", "0.5"}},
      {{"index", "1"}, {"regularizers", "[]"}, {"status", "completed"}, {"epochs_run", "4"}, {"final_train_loss", "0.25"}}};
  const RankBy by = rank_by({}, rows);
  EXPECT_EQ(by.metric, "train_loss");
  EXPECT_EQ(ranked_table(by, {"regularizers"}, rows),
            "ranked by train_loss (lower is better; no early_stopping or checkpoint_best monitor), of the model each "
            "run left:\n"
            "rank  run  regularizers  train_loss  epoch  status\n"
            "   1    1  none                0.25      4  completed\n"
            "   2    0  l2-0.001             0.5      4  completed\n");
}

}  // namespace
}  // namespace gradlab
