// sweep.csv: quoting CSV, the row of a run from its summary.json, column order.
#include "../test_temp_dir.hpp"
#include "experiments/sweep/sweep_table.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {
namespace {

TEST(Csv, QuotesOnlyWhenNeededAndParsesBack) {
  std::string text = csv_row({"index", "optimizer", "error"}) + csv_row({"0", "{type: adam, lr: 0.01}", "say \"hi\"\nbye"});
  EXPECT_EQ(text, "index,optimizer,error\n0,\"{type: adam, lr: 0.01}\",\"say \"\"hi\"\"\nbye\"\n");
  CsvTable t = parse_csv(text, "s.csv");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][1], "{type: adam, lr: 0.01}");
  EXPECT_EQ(t.rows[0][2], "say \"hi\"\nbye");
  EXPECT_EQ(t.row_map(0).at("optimizer"), "{type: adam, lr: 0.01}");
}

TEST(Csv, ErrorsNameFileAndLine) {
  try {
    parse_csv("a,b\n1,2\n3\n", "s.csv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "s.csv:3: 1 fields, the header has 2");
  }
  try {
    parse_csv("a,b\n1,\"2\n", "s.csv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "s.csv:2: unterminated quoted field");
  }
}

TEST(SweepTable, RowsFromSummariesInIndexOrderWithUnionOfMetrics) {
  auto dir = test_temp_dir("gradlab_sweep_table_test");
  std::filesystem::create_directories(dir);
  write_file_atomic((dir / "summary.json").string(),
                    R"({"status": "stopped_early", "epochs_run": 30, "best_epoch": 12, "wall_seconds": 1.23456,
                        "final": {"val_loss": 0.25, "val_acc": 0.875}, "best": {"val_loss": 0.125}})");
  SweepRunOutcome ok{SweepRun{1, {{"optimizer.lr", "0.5"}}, "1-optimizer.lr=0.5"}, "", 0, 0, {}, {}, 0, ""};
  read_summary(dir.string(), ok);
  SweepRunOutcome bad{SweepRun{0, {{"optimizer.lr", "-1"}}, "0-optimizer.lr=-1"}, "failed", 0, 0, {}, {}, 0.5,
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

}  // namespace
}  // namespace gradlab
