// Sweep folders are never overwritten or mixed: a second sweep into one is refused (resume or
// --overwrite), --overwrite removes only gradlab's own sweep files, a folder of other files is
// refused untouched, and a sweep (or one shard of it) locks the folder against a second process
// while the shards of one sweep still share it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using testing::kSmallExperiment;
using testing::read_text;
using testing::replaced;
using testing::run_gradlab;

std::string with_sweep(const std::string& sweep) { return kSmallExperiment + std::string("sweep:\n") + sweep; }

// Holds an flock on `path` as another gradlab process would, naming itself in the file.
struct HeldLock {
  int fd = -1;
  HeldLock(const fs::path& path, const std::string& holder) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
    EXPECT_EQ(::write(fd, holder.data(), holder.size()), static_cast<ssize_t>(holder.size()));
  }
  ~HeldLock() { ::close(fd); }
};

struct SweepFolder : ::testing::Test {
  testing::TempDir dir;
  void SetUp() override { dir.file("exp.yaml", with_sweep("  optimizer.lr: [0.1, 0.5]\n")); }
};

TEST_F(SweepFolder, ASecondSweepIntoAnEarlierOneIsRefusedAndChangesNothing) {
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out s --no-plots", dir.path()).code, 0);
  const std::string table = read_text(dir.path() / "s/sweep.csv");
  const std::string metrics = read_text(dir.path() / "s/runs/0-optimizer.lr=0.1/metrics.csv");
  dir.file("other.yaml", with_sweep("  optimizer.lr: [0.2, 0.3]\n"));

  testing::CliResult r = run_gradlab("sweep other.yaml --out s --no-plots", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: --out s: holds an earlier sweep (sweep.csv); continue it with `gradlab sweep other.yaml "
                   "--out s --no-plots --resume`, or pass --overwrite to replace gradlab's files in it (other files "
                   "are kept)\n");
  EXPECT_EQ(read_text(dir.path() / "s/sweep.csv"), table);
  EXPECT_EQ(read_text(dir.path() / "s/runs/0-optimizer.lr=0.1/metrics.csv"), metrics);
  EXPECT_FALSE(fs::exists(dir.path() / "s/runs/0-optimizer.lr=0.2"));
}

TEST_F(SweepFolder, OverwriteRemovesOnlyGradlabsSweepFiles) {
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out s", dir.path()).code, 0);
  dir.file("s/notes.md", "what I saw\n");
  dir.file("s/runs/mine/data.txt", "not a run\n");
  dir.file("s/runs/0-optimizer.lr=0.1/analysis.txt", "my analysis of run 0\n");
  dir.file("other.yaml", with_sweep("  optimizer.lr: [0.2, 0.3]\n"));

  testing::CliResult r = run_gradlab("sweep other.yaml --out s --overwrite --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_text(dir.path() / "s/notes.md"), "what I saw\n");
  EXPECT_EQ(read_text(dir.path() / "s/runs/mine/data.txt"), "not a run\n");
  EXPECT_EQ(read_text(dir.path() / "s/runs/0-optimizer.lr=0.1/analysis.txt"), "my analysis of run 0\n");
  EXPECT_FALSE(fs::exists(dir.path() / "s/runs/0-optimizer.lr=0.1/metrics.csv"));
  EXPECT_FALSE(fs::exists(dir.path() / "s/runs/1-optimizer.lr=0.5")) << "the earlier sweep's run was kept";
  EXPECT_FALSE(fs::exists(dir.path() / "s/comparison.png")) << "the earlier sweep's plot was kept";
  EXPECT_TRUE(fs::exists(dir.path() / "s/runs/1-optimizer.lr=0.3/summary.json"));
  EXPECT_NE(read_text(dir.path() / "s/sweep.csv").find("0-optimizer.lr=0.2"), std::string::npos);
  EXPECT_EQ(read_text(dir.path() / "s/sweep.csv").find("optimizer.lr=0.5"), std::string::npos);
}

TEST_F(SweepFolder, AFolderOfOtherFilesIsRefusedUntouched) {
  dir.file("mine/analysis.txt", "mine\n");
  testing::CliResult r = run_gradlab("sweep exp.yaml --out mine --no-plots", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: --out mine: the folder is not empty and holds no gradlab sweep (analysis.txt is not a "
                   "sweep's); choose a new or empty folder\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "mine"), fs::directory_iterator{}), 1)
      << "the folder was written";
}

TEST_F(SweepFolder, ResumeOfAFolderWithoutASweepIsRefused) {
  testing::CliResult r = run_gradlab("sweep exp.yaml --out nothing --resume", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: --resume nothing: no such sweep folder\n");
  fs::create_directories(dir.path() / "empty");
  r = run_gradlab("sweep exp.yaml --out empty --resume", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--resume empty: no sweep to continue"), std::string::npos) << r.err;
  r = run_gradlab("sweep exp.yaml --resume --overwrite --out s", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("excludes"), std::string::npos) << r.err;
}

TEST_F(SweepFolder, ResumeWithAnEditedFileIsRefusedNamingTheKeys) {
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out s --no-plots", dir.path()).code, 0);
  const std::string table = testing::read_text(dir.path() / "s/sweep.csv");
  dir.file("exp.yaml", replaced(with_sweep("  optimizer.lr: [0.1, 0.5]\n"), "epochs: 5", "epochs: 6"));
  testing::CliResult r = run_gradlab("sweep exp.yaml --out s --no-plots --resume", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("run 0 (0-optimizer.lr=0.1): --resume: s/runs/0-optimizer.lr=0.1 was made from a different "
                       "config (at train.epochs)"), std::string::npos) << r.err;
  EXPECT_EQ(testing::read_text(dir.path() / "s/sweep.csv"), table);
}

TEST_F(SweepFolder, ASweepFolderInUseIsRefusedNamingTheHolder) {
  fs::create_directories(dir.path() / "s");
  {
    HeldLock held(dir.path() / "s/.gradlab.lock", "pid 4242: gradlab sweep exp.yaml --out s\n");
    testing::CliResult r = run_gradlab("sweep exp.yaml --out s --no-plots", dir.path());
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "gradlab: --out s: in use by another gradlab process (pid 4242: gradlab sweep exp.yaml --out s); "
                     "wait for it to end or choose another folder\n");
    EXPECT_FALSE(fs::exists(dir.path() / "s/sweep.csv"));
    EXPECT_FALSE(fs::exists(dir.path() / "s/runs/0-optimizer.lr=0.1"));
  }
  EXPECT_EQ(run_gradlab("sweep exp.yaml --out s --no-plots", dir.path()).code, 0);
}

TEST_F(SweepFolder, ShardsShareTheFolderButEachShardIsLocked) {
  fs::create_directories(dir.path() / "s");
  {
    HeldLock held(dir.path() / "s/.gradlab.shard-1-of-2.lock", "pid 4242: gradlab sweep exp.yaml --shard 1/2\n");
    testing::CliResult one = run_gradlab("sweep exp.yaml --out s --shard 1/2 --no-plots", dir.path());
    EXPECT_EQ(one.code, 2);
    EXPECT_NE(one.err.find("in use by another gradlab process (pid 4242: gradlab sweep exp.yaml --shard 1/2)"),
              std::string::npos) << one.err;
    // Shard 1 still holds its lock: shard 2 writes the same folder meanwhile.
    testing::CliResult two = run_gradlab("sweep exp.yaml --out s --shard 2/2 --no-plots", dir.path());
    EXPECT_EQ(two.code, 0) << two.err;
  }
  EXPECT_EQ(run_gradlab("sweep exp.yaml --out s --shard 1/2 --no-plots", dir.path()).code, 0);
  // A shard run again is an earlier shard: refused, and --resume keeps its finished run.
  testing::CliResult again = run_gradlab("sweep exp.yaml --out s --shard 2/2 --no-plots", dir.path());
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("holds an earlier sweep (sweep.shard-2-of-2.csv)"), std::string::npos) << again.err;
  const std::string summary = read_text(dir.path() / "s/runs/1-optimizer.lr=0.5/summary.json");
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out s --shard 2/2 --no-plots --resume", dir.path()).code, 0);
  EXPECT_EQ(read_text(dir.path() / "s/runs/1-optimizer.lr=0.5/summary.json"), summary);
  testing::CliResult merged = run_gradlab("sweep merge s --no-plots", dir.path());
  EXPECT_EQ(merged.code, 0) << merged.err;
}

}  // namespace
}  // namespace gradlab
