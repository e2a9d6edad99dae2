// What a finished sweep shows through the real binary: brief run folder names (and an old
// sweep's long ones still resumed), the base run `{}` compared with the others, sweep.csv's
// model_ columns equal to each run's summary.json, and the ranked table on stdout.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "experiments/output/csv.hpp"
#include "experiments/output/csv_reader.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab::testing {
namespace {

namespace fs = std::filesystem;

const char* kEarlyStopping = "[{type: early_stopping, monitor: val_loss, patience: 2, restore_best: true}]";

std::string list_sweep() {
  std::string y = replaced(kSmallExperiment, "train: {epochs: 5, batch_size: 1}", "train: {epochs: 12, batch_size: 1}");
  return y + "sweep:\n  - {}\n  - {callbacks: " + kEarlyStopping + "}\n  - {optimizer.lr: 3}\n";
}

std::vector<std::string> run_folders(const fs::path& sweep) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(sweep / "runs")) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SweepResults, BriefFoldersModelColumnsAndTheRankedTable) {
  TempDir tmp;
  tmp.file("s.yaml", list_sweep());
  CliResult r = run_gradlab("sweep s.yaml --out s --jobs 2", tmp.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(run_folders(tmp.path() / "s"),
            (std::vector<std::string>{"0-base", "1-callbacks=early_stopping-2", "2-optimizer.lr=3"}));

  // model_<metric> is summary.json's end_of_training: the restored model's, not the last epoch's.
  CsvTable t = parse_csv(read_text(tmp.path() / "s" / "sweep.csv"), "sweep.csv");
  int restored_runs = 0;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    auto row = t.row_map(i);
    const auto summary = nlohmann::json::parse(read_text(tmp.path() / "s" / "runs" / row.at("run") / "summary.json"));
    for (const char* m : {"train_loss", "val_loss", "train_acc", "val_acc"})
      EXPECT_EQ(std::stod(row.at(std::string("model_") + m)), summary["end_of_training"][m].get<double>())
          << row.at("run") << " " << m;
    const bool restored = summary["restored_epoch"].is_number();
    restored_runs += restored;
    EXPECT_EQ(std::stoll(row.at("model_epoch")),
              restored ? summary["restored_epoch"].get<int64_t>() : summary["epochs_run"].get<int64_t>());
  }
  EXPECT_EQ(restored_runs, 1) << "the early-stopping run restores its best epoch";
  const auto stopped = t.row_map(1);
  EXPECT_NE(stopped.at("model_val_loss"), stopped.at("final_val_loss")) << "final_ stays the last epoch's";

  // The ranked table ends stderr, after the progress lines: every run once, best first, by the monitor.
  EXPECT_EQ(r.out, "sweep small: 3 runs, 0 failed, 0 diverged\n  s/sweep.csv\n");
  const std::string first = "ranked by val_loss (lower is better; early_stopping's monitor), of the model each run left:\n";
  ASSERT_NE(r.err.find(first), std::string::npos) << r.err;
  const std::string table = r.err.substr(r.err.find(first) + first.size());
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 4) << "the header and 3 runs: " << r.err;
  EXPECT_NE(r.err.find("\nrank  run  callbacks         optimizer.lr  val_loss  epoch  status\n"), std::string::npos)
      << r.err;
  // Every run once, in order of its model's val_loss; the early-stopping run at its restored epoch.
  const std::vector<std::string> runs{"    0  -                 -     ", "    1  early_stopping-2  -     ",
                                      "    2  -                 3     "};
  std::vector<std::pair<double, std::string>> expected;
  for (size_t i = 0; i < t.rows.size(); ++i) expected.emplace_back(std::stod(t.row_map(i).at("model_val_loss")), runs[i]);
  std::sort(expected.begin(), expected.end());
  size_t at = 0;
  for (size_t rank = 0; rank < expected.size(); ++rank) {
    at = r.err.find("\n   " + std::to_string(rank + 1) + expected[rank].second, at);
    EXPECT_NE(at, std::string::npos) << "rank " << rank + 1 << ": " << expected[rank].second << "\n" << r.err;
  }
  EXPECT_NE(r.err.find("      2  stopped_early\n"), std::string::npos) << r.err;

  // The comparison names each run by its swept values, the base run as "base", legends below the data.
  const std::string script = read_text(tmp.path() / "s" / "plot_data" / "comparison.gp");
  for (const char* label : {"title 'base (final ", "title 'callbacks=early_stopping-2 (final ", "title 'optimizer.lr=3 (final "})
    EXPECT_NE(script.find(label), std::string::npos) << label;
  EXPECT_NE(script.find("set key below left Left reverse vertical nobox height 1.5"), std::string::npos);
}

TEST(SweepResults, AnOldSweepsLongFolderNamesAreResumedUnderThoseNames) {
  TempDir tmp;
  tmp.file("s.yaml", list_sweep());
  ASSERT_EQ(run_gradlab("sweep s.yaml --out s --jobs 2 --no-plots", tmp.path()).code, 0);
  // As an earlier gradlab named it; and the table lost, as if the sweep had been interrupted.
  const std::string legacy = "1-callbacks=__type__early_stopping__monitor__val_loss__patience__2__restore_best__true__";
  fs::rename(tmp.path() / "s" / "runs" / "1-callbacks=early_stopping-2", tmp.path() / "s" / "runs" / legacy);
  const std::string before = read_text(tmp.path() / "s" / "runs" / legacy / "metrics.csv");
  fs::remove(tmp.path() / "s" / "sweep.csv");
  CliResult r = run_gradlab("sweep s.yaml --out s --jobs 2 --no-plots --resume", tmp.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(legacy + ": stopped_early, kept from the earlier sweep"), std::string::npos) << r.err;
  EXPECT_EQ(run_folders(tmp.path() / "s"), (std::vector<std::string>{"0-base", legacy, "2-optimizer.lr=3"}));
  EXPECT_EQ(read_text(tmp.path() / "s" / "runs" / legacy / "metrics.csv"), before);
  CsvTable t = parse_csv(read_text(tmp.path() / "s" / "sweep.csv"), "sweep.csv");
  EXPECT_EQ(t.row_map(1).at("run"), legacy);
}

}  // namespace
}  // namespace gradlab::testing
