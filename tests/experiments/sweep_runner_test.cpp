// The sweep runner with a stand-in for training: parallelism, failure isolation, up-front checks,
// the table and shard tables it writes.
#include "../test_temp_dir.hpp"
#include "experiments/sweep/sweep_runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <thread>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/sweep/sweep_merge.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;

struct SweepRunnerTest : ::testing::Test {
  fs::path dir = test_temp_dir("gradlab_sweep_runner_test");
  SweepPlan plan = expand_sweep(Config::parse("sweep: {optimizer.lr: [0.1, -1, 0.3], seed: [1, 2]}\n", "s.yaml"));
  std::atomic<int> running{0}, peak{0};
  std::ostringstream log;

  void SetUp() override { fs::remove_all(dir); }
  void TearDown() override { fs::remove_all(dir); }

  SweepOptions options(const std::string& sub, int jobs) {
    SweepOptions o;
    o.file = "s.yaml";
    o.out_dir = (dir / sub).string();
    o.jobs = jobs;
    o.plots = false;
    o.sets = {"train.epochs=2"};
    return o;
  }

  // Stands in for training: a summary.json computed from the overrides; lr -1 throws.
  RunFn fake() {
    return [this](const SweepRun& run, const std::vector<std::string>& overrides, const std::string& run_dir) {
      int now = ++running;
      for (int p = peak; now > p && !peak.compare_exchange_weak(p, now);) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
      --running;
      EXPECT_EQ(overrides.front(), "train.epochs=2");
      if (run.value_of("optimizer.lr") == "-1") throw std::runtime_error("optimizer.lr: expected > 0, got -1");
      fs::create_directories(run_dir);
      write_file_atomic(run_dir + "/summary.json",
                        R"({"status": "completed", "epochs_run": 2, "best_epoch": 2, "final": {"val_loss": )" +
                            run.value_of("optimizer.lr") + "}}");
      SweepRunOutcome o;
      read_summary(run_dir, o);
      return o;
    };
  }
  std::string table(const std::string& path) {
    std::string text = read_file(path);
    CsvTable t = parse_csv(text, path);
    auto timing = std::find(t.header.begin(), t.header.end(), "wall_seconds") - t.header.begin();
    std::string out;
    for (auto row : t.rows) {
      row.erase(row.begin() + timing);
      out += csv_row(row);
    }
    return out;
  }
};

TEST_F(SweepRunnerTest, APoisonedRunIsRecordedAndTheOthersFinish) {
  auto outcomes = run_sweep(options("a", 2), plan, plan.runs, fake(), log);
  ASSERT_EQ(outcomes.size(), 6u);
  EXPECT_EQ(outcomes[2].status, RunStatus::kFailed);
  EXPECT_EQ(outcomes[3].status, RunStatus::kFailed);
  EXPECT_EQ(outcomes[2].error, "optimizer.lr: expected > 0, got -1");
  for (int k : {0, 1, 4, 5}) EXPECT_EQ(outcomes[static_cast<size_t>(k)].status, RunStatus::kCompleted);
  EXPECT_EQ(table((dir / "a" / "sweep.csv").string()),
            "0,0-optimizer.lr=0.1_seed=1,0.1,1,completed,2,2,0.1,\n"
            "1,1-optimizer.lr=0.1_seed=2,0.1,2,completed,2,2,0.1,\n"
            "2,2-optimizer.lr=-1_seed=1,-1,1,failed,0,0,,\"optimizer.lr: expected > 0, got -1\"\n"
            "3,3-optimizer.lr=-1_seed=2,-1,2,failed,0,0,,\"optimizer.lr: expected > 0, got -1\"\n"
            "4,4-optimizer.lr=0.3_seed=1,0.3,1,completed,2,2,0.3,\n"
            "5,5-optimizer.lr=0.3_seed=2,0.3,2,completed,2,2,0.3,\n");
  EXPECT_NE(log.str().find("sweep: 6/6 done, 0 running, 2 failed, ETA 0:00"), std::string::npos) << log.str();
}

TEST_F(SweepRunnerTest, JobsBoundHowManyRunAtOnceNotTheResults) {
  run_sweep(options("one", 1), plan, plan.runs, fake(), log);
  EXPECT_EQ(peak.load(), 1);
  peak = 0;
  run_sweep(options("two", 2), plan, plan.runs, fake(), log);
  EXPECT_EQ(peak.load(), 2);
  EXPECT_EQ(table((dir / "one" / "sweep.csv").string()), table((dir / "two" / "sweep.csv").string()));
}

TEST_F(SweepRunnerTest, ShardTablesMergeIntoTheWholeTable) {
  run_sweep(options("whole", 2), plan, plan.runs, fake(), log);
  for (int i = 1; i <= 4; ++i) {
    SweepOptions o = options("sharded", 1);
    o.shard = parse_shard(std::to_string(i) + "/4");
    run_sweep(o, plan, runs_of_shard(plan, o.shard), fake(), log);
  }
  EXPECT_TRUE(fs::exists(dir / "sharded" / "sweep.shard-3-of-4.csv"));
  EXPECT_FALSE(fs::exists(dir / "sharded" / "sweep.csv"));
  MergedSweep m = merge_sweep_dirs({(dir / "sharded").string()});
  write_sweep_csv((dir / "sharded" / "sweep.csv").string(), m.keys, m.rows);
  EXPECT_EQ(table((dir / "sharded" / "sweep.csv").string()), table((dir / "whole" / "sweep.csv").string()));
}

TEST_F(SweepRunnerTest, InvalidCombinationsAreReportedBeforeAnyRun) {
  auto check = [](const SweepRun&, const std::vector<std::string>& overrides) {
    for (const auto& o : overrides)
      if (o == "optimizer.lr=-1") throw ConfigError("s.yaml:3:7: optimizer.lr: expected a positive number, got -1");
  };
  try {
    check_runs(options("x", 1), plan.runs, check);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "sweep s.yaml: 2 of 6 runs are invalid, none was started:\n"
              "  run 2 (2-optimizer.lr=-1_seed=1): s.yaml:3:7: optimizer.lr: expected a positive number, got -1\n"
              "  run 3 (3-optimizer.lr=-1_seed=2): s.yaml:3:7: optimizer.lr: expected a positive number, got -1");
  }
  EXPECT_FALSE(fs::exists(dir / "x"));
}

}  // namespace
}  // namespace gradlab
