// sweep.csv: the row of a run from its summary.json, column order (quoting: csv_test.cpp).
#include "../test_temp_dir.hpp"
#include "experiments/sweep/sweep_table.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {
namespace {

TEST(SweepTable, RowsFromSummariesInIndexOrderWithUnionOfMetrics) {
  auto dir = test_temp_dir("gradlab_sweep_table_test");
  std::filesystem::create_directories(dir);
  write_file_atomic((dir / "summary.json").string(),
                    R"({"status": "stopped_early", "epochs_run": 30, "best_epoch": 12, "wall_seconds": 1.23456,
                        "final": {"val_loss": 0.25, "val_acc": 0.875}, "best": {"val_loss": 0.125}})");
  SweepRunOutcome ok{SweepRun{1, {{"optimizer.lr", "0.5"}}, "1-optimizer.lr=0.5"}, RunStatus::kNotStarted, 0, 0, {}, {}, 0, ""};
  read_summary(dir.string(), ok);
  SweepRunOutcome bad{SweepRun{0, {{"optimizer.lr", "-1"}}, "0-optimizer.lr=-1"}, RunStatus::kFailed, 0, 0, {}, {}, 0.5,
                      "lr, negative"};
  CsvTable t = sweep_table({"optimizer.lr"}, {outcome_row(ok), outcome_row(bad)});
  EXPECT_EQ(csv_row(t.header),
            "index,run,optimizer.lr,status,epochs_run,best_epoch,final_val_acc,final_val_loss,best_val_loss,"
            "wall_seconds,error\n");
  EXPECT_EQ(csv_row(t.rows[0]), "0,0-optimizer.lr=-1,-1,failed,0,0,,,,0.500,\"lr, negative\"\n");
  EXPECT_EQ(csv_row(t.rows[1]), "1,1-optimizer.lr=0.5,0.5,stopped_early,30,12,0.875,0.25,0.125,1.235,\n");
  EXPECT_EQ(swept_keys_of(t, "x"), std::vector<std::string>{"optimizer.lr"});
  EXPECT_THROW(swept_keys_of(CsvTable{{"a", "b"}, {}}, "x"), std::runtime_error);
  SweepRunOutcome missing;
  EXPECT_THROW(read_summary((dir / "nope").string(), missing), std::runtime_error);
  std::filesystem::remove_all(dir);
}


TEST(SweepTable, ModelColumnsHoldTheRestoredModelsMetricsAndEpoch) {
  auto dir = test_temp_dir("gradlab_sweep_table_model");
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / "b");
  // Early stopping restored epoch 12: its end_of_training is the restored model's, not the last epoch's.
  write_file_atomic((dir / "a" / "summary.json").string(),
                    R"({"status": "stopped_early", "epochs_run": 30, "best_epoch": 12, "restored_epoch": 12,
                        "final": {"val_loss": 0.5}, "best": {"val_loss": 0.125},
                        "end_of_training": {"train_loss": 0.0625, "val_loss": 0.125, "val_acc": 0.75}})");
  // No restore: the model is the last epoch's.
  write_file_atomic((dir / "b" / "summary.json").string(),
                    R"({"status": "completed", "epochs_run": 30, "best_epoch": 30, "restored_epoch": null,
                        "final": {"val_loss": 0.25}, "best": {"val_loss": 0.25},
                        "end_of_training": {"train_loss": 0.5, "val_loss": 0.25, "val_acc": 0.5}})");
  SweepRunOutcome a{SweepRun{0, {{"seed", "1"}}, "0-seed=1"}, RunStatus::kNotStarted, 0, 0, {}, {}, 0, ""};
  SweepRunOutcome b{SweepRun{1, {{"seed", "2"}}, "1-seed=2"}, RunStatus::kNotStarted, 0, 0, {}, {}, 0, ""};
  read_summary((dir / "a").string(), a);
  read_summary((dir / "b").string(), b);
  EXPECT_EQ(a.model_epoch, 12);
  EXPECT_EQ(b.model_epoch, 30);
  CsvTable t = sweep_table({"seed"}, {outcome_row(a), outcome_row(b)});
  EXPECT_EQ(csv_row(t.header),
            "index,run,seed,status,epochs_run,best_epoch,final_val_loss,best_val_loss,model_epoch,model_train_loss,"
            "model_val_acc,model_val_loss,wall_seconds,error\n");
  EXPECT_EQ(csv_row(t.rows[0]), "0,0-seed=1,1,stopped_early,30,12,0.5,0.125,12,0.0625,0.75,0.125,0.000,\n");
  EXPECT_EQ(csv_row(t.rows[1]), "1,1-seed=2,2,completed,30,30,0.25,0.25,30,0.5,0.5,0.25,0.000,\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gradlab
