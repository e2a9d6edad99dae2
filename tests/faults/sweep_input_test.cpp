// Wrong input to the sweep verbs is exit 2 with one line that says what is wrong: shard tables
// missing for `sweep merge`, a negative --jobs, and a `sweep:` that names a key the experiment
// does not have (refused by run, check and sweep at the place of the sweep entry).
#include <gtest/gtest.h>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using testing::kSmallExperiment;
using testing::run_gradlab;

TEST(SweepInput, MergeWithAMissingShardIsInvalidInputNamingIt) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment + std::string("sweep:\n  optimizer.lr: [0.1, 0.5, 1]\n"));
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out s --shard 1/3 --no-plots", dir.path()).code, 0);
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out s --shard 3/3 --no-plots", dir.path()).code, 0);
  testing::CliResult r = run_gradlab("sweep merge s --no-plots", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: sweep merge: shard 2/3 is missing (no sweep.shard-2-of-3.csv in the directories given)\n");
  EXPECT_FALSE(fs::exists(dir.path() / "s/sweep.csv"));
  r = run_gradlab("sweep merge nowhere", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: sweep merge: nowhere is not a directory\n");
}

TEST(SweepInput, NegativeJobsSaysWhatJobsTakesInOneLine) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment);
  testing::CliResult r = run_gradlab("sweep exp.yaml --jobs -1", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--jobs: takes 0 (all cores) or a positive count, got -1\n"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("000000"), std::string::npos) << r.err;
  EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;  // the message, and CLI11's --help hint
  r = run_gradlab("sweep exp.yaml --slurm --shards 0", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--shards: takes a positive count, got 0\n"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "runs"));
}

// kSmallExperiment has 15 lines (14 is `optimizer:`); the sweep entry is on line 17, its first value at column 19.
struct SweptKeyThatDoesNotExist : ::testing::Test {
  testing::TempDir dir;
  void SetUp() override {
    dir.file("exp.yaml", kSmallExperiment + std::string("sweep:\n  optimizer.lrr: [0.1, 0.5]\n"));
  }
};

TEST_F(SweptKeyThatDoesNotExist, RunRefusesTheFileAtTheSweepEntry) {
  testing::CliResult r = run_gradlab("run exp.yaml --out r --no-plots", dir.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(r.err.rfind("exp.yaml:17:19: sweep.optimizer.lrr[0]: optimizer.lrr=0.1: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("lrr"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "r")) << "the base configuration was trained";
}

TEST_F(SweptKeyThatDoesNotExist, CheckAndSweepRefuseItAtTheSweepEntry) {
  testing::CliResult r = run_gradlab("check exp.yaml", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("exp.yaml:17:19: sweep.optimizer.lrr[0]: optimizer.lrr=0.1: ", 0), 0u) << r.err;
  // sweep lists every invalid run, each at its entry.
  r = run_gradlab("sweep exp.yaml --out s --no-plots", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("sweep exp.yaml: 2 of 2 runs are invalid, none was started:\n"
                        "  run 0 (0-optimizer.lrr=0.1): exp.yaml:17:19: sweep.optimizer.lrr[0]: optimizer.lrr=0.1: ", 0), 0u)
      << r.err;
  EXPECT_NE(r.err.find("\n  run 1 (1-optimizer.lrr=0.5): exp.yaml:17:24: sweep.optimizer.lrr[1]: optimizer.lrr=0.5: "),
            std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "s"));
}

TEST(SweepInput, AnEntryValidOnlyBesideAnotherOfItsRunPasses) {
  // momentum exists for the momentum optimizer only: each run is checked as a whole.
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment + std::string("sweep:\n  - {optimizer: {type: momentum, lr: 0.1}, "
                                                      "optimizer.momentum: 0.5}\n"));
  testing::CliResult r = run_gradlab("check exp.yaml", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
}

}  // namespace
}  // namespace gradlab
