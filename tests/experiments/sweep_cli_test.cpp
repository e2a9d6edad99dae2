// `gradlab sweep` through the real binary: --jobs 1 and --jobs 2 give identical bits, a poisoned
// combination does not stop the others, invalid combinations stop everything before it starts,
// shards merged equal the whole sweep, and the Slurm scripts are valid bash whose per-task
// commands, run locally, give that same sweep.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "experiments/output/csv.hpp"
#include "experiments/output/csv_reader.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab::testing {
namespace {

namespace fs = std::filesystem;

std::string sweep_experiment(const std::string& sweep) {
  std::string y = replaced(kSmallExperiment, "train: {epochs: 5, batch_size: 1}",
                           "train: {epochs: 8, batch_size: 4, shuffle: true}\n"
                           "hooks: [{type: grad_norms, every: step}]");
  return y + "sweep:\n" + sweep;
}

// sweep.csv without its timing column.
std::string table_without_timing(const fs::path& path) {
  CsvTable t = parse_csv(read_text(path), path.string());
  auto timing = std::find(t.header.begin(), t.header.end(), "wall_seconds") - t.header.begin();
  std::string out;
  for (auto row : t.rows) {
    row.erase(row.begin() + timing);
    out += csv_row(row);
  }
  return out;
}

void expect_same_sweep(const fs::path& a, const fs::path& b) {
  EXPECT_EQ(table_without_timing(a / "sweep.csv"), table_without_timing(b / "sweep.csv"));
  int runs = 0;
  for (const auto& run : fs::directory_iterator(a / "runs")) {
    ++runs;
    for (const char* f : {"metrics.csv", "grad_norms.csv"})
      EXPECT_TRUE(read_text(run.path() / f) == read_text(b / "runs" / run.path().filename() / f))
          << f << " of " << run.path().filename();
  }
  EXPECT_GT(runs, 0);
}

struct SweepCliTest : ::testing::Test {
  TempDir tmp;
  void SetUp() override {
    tmp.file("grid.yaml", sweep_experiment("  optimizer.lr: [0.1, 0.5, 2]\n  seed: [1, 2]\n"));
  }
};

TEST_F(SweepCliTest, JobsOneAndJobsTwoAreBitIdentical) {
  CliResult one = run_gradlab("sweep grid.yaml --out one --jobs 1 --no-plots", tmp.path());
  ASSERT_EQ(one.code, 0) << one.err;
  CliResult two = run_gradlab("sweep grid.yaml --out two --jobs 2 --no-plots", tmp.path());
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_EQ(one.out, "sweep small: 6 runs, 0 failed, 0 diverged\n  one/sweep.csv\n");
  EXPECT_NE(two.err.find("sweep: 6/6 done, 0 running, 0 failed, ETA 0:00"), std::string::npos) << two.err;
  expect_same_sweep(tmp.path() / "one", tmp.path() / "two");
}

TEST_F(SweepCliTest, ARunOfTheSweepEqualsTheSameRunAlone) {
  ASSERT_EQ(run_gradlab("sweep grid.yaml --out s --jobs 2 --no-plots", tmp.path()).code, 0);
  ASSERT_EQ(run_gradlab("run grid.yaml --set optimizer.lr=0.5 --set seed=2 --out alone --no-plots", tmp.path()).code, 0);
  for (const char* f : {"metrics.csv", "grad_norms.csv"})
    EXPECT_TRUE(read_text(tmp.path() / "s/runs/3-optimizer.lr=0.5_seed=2" / f) == read_text(tmp.path() / "alone" / f)) << f;
}

TEST_F(SweepCliTest, APoisonedCombinationIsRecordedAndTheRestFinish) {
  // A linear output under mse with lr 1e300 overflows at the second step: that run diverges
  // (check_numerics), the others complete.
  std::string y = replaced(sweep_experiment("  optimizer.lr: [0.1, 1e300, 0.5]\n"),
                           "    - {type: dense, units: 1}\n    - {type: sigmoid}\n", "    - {type: dense, units: 1}\n");
  tmp.file("poison.yaml", replaced(y, "loss: bce", "loss: mse"));
  CliResult r = run_gradlab("sweep poison.yaml --out p --jobs 2 --no-plots", tmp.path());
  ASSERT_EQ(r.code, 0) << r.err;
  CsvTable t = parse_csv(read_text(tmp.path() / "p/sweep.csv"), "sweep.csv");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.row_map(0).at("status"), "completed");
  EXPECT_EQ(t.row_map(1).at("status"), "diverged");
  EXPECT_NE(t.row_map(1).at("error").find("non-finite value in forward"), std::string::npos) << t.row_map(1).at("error");
  EXPECT_EQ(r.out, "sweep small: 3 runs, 0 failed, 1 diverged\n  p/sweep.csv\n");
  EXPECT_EQ(t.row_map(2).at("status"), "completed");
  EXPECT_TRUE(fs::exists(tmp.path() / "p/runs/2-optimizer.lr=0.5/metrics.csv"));
}

TEST_F(SweepCliTest, InvalidCombinationsStopTheSweepBeforeAnyRun) {
  tmp.file("bad.yaml", sweep_experiment("  optimizer.lr: [0.1, -1]\n  train.batch_size: [4, 0]\n"));
  CliResult r = run_gradlab("sweep bad.yaml --out bad --no-plots", tmp.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("sweep bad.yaml: 3 of 4 runs are invalid, none was started:\n  run 1 (1-optimizer.lr=0.1_train.batch_size=0): ", 0), 0u) << r.err;
  EXPECT_FALSE(fs::exists(tmp.path() / "bad"));
  // Data are loaded for the check too: a missing file in one combination stops the sweep.
  tmp.file("nodata.yaml", sweep_experiment("  data.train: [{type: csv, path: missing.csv, label: y}]\n"));
  r = run_gradlab("sweep nodata.yaml --out nodata --no-plots", tmp.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_FALSE(fs::exists(tmp.path() / "nodata"));
}

TEST_F(SweepCliTest, ShardsMergedEqualTheWholeSweep) {
  ASSERT_EQ(run_gradlab("sweep grid.yaml --out whole --no-plots", tmp.path()).code, 0);
  for (const char* shard : {"1/4", "2/4", "3/4", "4/4"}) {
    CliResult r = run_gradlab(std::string("sweep grid.yaml --out sharded --jobs 1 --no-plots --shard ") + shard, tmp.path());
    ASSERT_EQ(r.code, 0) << r.err;
  }
  CliResult m = run_gradlab("sweep merge sharded --no-plots", tmp.path());
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_EQ(m.out, "sweep merge: 6 runs (0 failed) -> sharded/sweep.csv\n");
  expect_same_sweep(tmp.path() / "whole", tmp.path() / "sharded");
  CliResult bad = run_gradlab("sweep grid.yaml --shard 5/4", tmp.path());
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "gradlab: --shard 5/4: expected I/N with 1 <= I <= N (e.g. 1/4)\n");
}

TEST_F(SweepCliTest, SlurmScriptsAreValidBashAndTheirTasksReproduceTheSweep) {
  ASSERT_EQ(run_gradlab("sweep grid.yaml --out whole --no-plots", tmp.path()).code, 0);
  CliResult r = run_gradlab("sweep grid.yaml --slurm --out cluster --shards 3 --array-parallel 2 --no-plots", tmp.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path slurm = tmp.path() / "cluster" / "slurm";
  const std::string array = read_text(slurm / "sweep.sbatch");
  EXPECT_NE(array.find("#SBATCH --array=1-3%2\n"), std::string::npos) << array;
  EXPECT_NE(array.find("--shard \"${SLURM_ARRAY_TASK_ID}/3\""), std::string::npos) << array;
  EXPECT_NE(read_text(slurm / "submit.sh").find("--dependency=afterany:"), std::string::npos);
  for (const char* s : {"sweep.sbatch", "merge.sbatch", "submit.sh"})
    EXPECT_EQ(std::system(("bash -n '" + (slurm / s).string() + "'").c_str()), 0) << s;
  for (int task = 1; task <= 3; ++task) {
    std::string cmd = "cd / && SLURM_ARRAY_TASK_ID=" + std::to_string(task) + " bash '" + (slurm / "sweep.sbatch").string() +
                      "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "task " << task;
  }
  ASSERT_EQ(std::system(("bash '" + (slurm / "merge.sbatch").string() + "' >/dev/null").c_str()), 0);
  expect_same_sweep(tmp.path() / "whole", tmp.path() / "cluster");
  // A task run again is refused (its table is there); with --resume (sbatch passes it on) it
  // keeps its finished runs.
  const std::string again = "cd / && SLURM_ARRAY_TASK_ID=2 bash '" + (slurm / "sweep.sbatch").string() + "'";
  EXPECT_EQ(WEXITSTATUS(std::system((again + " >/dev/null 2>&1").c_str())), 2);
  EXPECT_EQ(std::system((again + " --resume >/dev/null 2>&1").c_str()), 0);
  expect_same_sweep(tmp.path() / "whole", tmp.path() / "cluster");
}

}  // namespace
}  // namespace gradlab::testing
