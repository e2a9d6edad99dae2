// Run folders are never deleted or mixed: an earlier run is refused (resume or --overwrite), a
// folder of other files is refused untouched (experiment_test.cpp), --overwrite removes only gradlab's own files, and a
// folder that one process writes is locked against a second.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using testing::kSmallExperiment;
using testing::read_text;
using testing::replaced;
using testing::run_gradlab;

TEST(RunFolder, AFolderOfOtherFilesWithAStrayConfigIsRefusedAndKeptWhole) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment);
  dir.file("p/README", "my notes\n");
  dir.file("p/config.resolved.yaml", "");
  testing::CliResult r = run_gradlab("run ../exp.yaml --out .", dir.path() / "p");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--out .: holds an earlier run; continue it with `gradlab run FILE --resume .`"), std::string::npos)
      << r.err;
  EXPECT_EQ(read_text(dir.path() / "p/README"), "my notes\n");
  EXPECT_TRUE(fs::exists(dir.path() / "p/config.resolved.yaml"));
}

TEST(RunFolder, AnEarlierRunIsRefusedThenOverwriteReplacesOnlyGradlabsFiles) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment + std::string("hooks: [{type: grad_norms}]\n"));
  ASSERT_EQ(run_gradlab("run exp.yaml --out out", dir.path()).code, 0);
  dir.file("out/notes.md", "what I saw\n");
  dir.file("out/analysis.png", "not a gradlab plot");
  const std::string metrics = read_text(dir.path() / "out/metrics.csv");

  testing::CliResult again = run_gradlab("run exp.yaml --out out", dir.path());
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("pass --overwrite"), std::string::npos) << again.err;
  EXPECT_EQ(read_text(dir.path() / "out/metrics.csv"), metrics);

  // A stale gradlab file of the earlier run, that the new run does not write, must go.
  testing::write_text(dir.path() / "out/plot_data/stale.dat", "1 2\n");
  testing::CliResult over = run_gradlab("run exp.yaml --out out --overwrite --set train.epochs=3", dir.path());
  ASSERT_EQ(over.code, 0) << over.err;
  EXPECT_EQ(read_text(dir.path() / "out/notes.md"), "what I saw\n");
  EXPECT_EQ(read_text(dir.path() / "out/analysis.png"), "not a gradlab plot");
  EXPECT_FALSE(fs::exists(dir.path() / "out/plot_data/stale.dat"));
  EXPECT_TRUE(fs::exists(dir.path() / "out/grad_norms.csv"));
  const std::string summary = read_text(dir.path() / "out/summary.json");
  EXPECT_EQ(summary.find("notes.md"), std::string::npos) << "a user's file listed as the run's: " << summary;
  EXPECT_NE(summary.find("\"epochs_run\": 3"), std::string::npos);

  // The user's files survive a second --overwrite too (they were never listed as the run's).
  ASSERT_EQ(run_gradlab("run exp.yaml --out out --overwrite", dir.path()).code, 0);
  EXPECT_EQ(read_text(dir.path() / "out/notes.md"), "what I saw\n");
  EXPECT_TRUE(fs::exists(dir.path() / "out/analysis.png"));
}

TEST(RunFolder, OverwriteAndResumeExcludeEachOther) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment);
  testing::CliResult r = run_gradlab("run exp.yaml --resume out --overwrite", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--resume excludes --overwrite"), std::string::npos) << r.err;
}

TEST(RunFolder, AFolderLockedByAnotherProcessIsRefusedNamingTheHolder) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment);
  fs::create_directories(dir.path() / "out");
  const std::string lock_path = (dir.path() / "out/.gradlab.lock").string();
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const std::string holder = "pid 4242: gradlab run other.yaml --out out\n";
  ASSERT_EQ(::write(fd, holder.data(), holder.size()), static_cast<ssize_t>(holder.size()));

  testing::CliResult r = run_gradlab("run exp.yaml --out out", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: --out out: in use by another gradlab process (pid 4242: gradlab run other.yaml --out out); "
                   "wait for it to end or choose another folder\n");
  EXPECT_FALSE(fs::exists(dir.path() / "out/config.resolved.yaml"));

  ::close(fd);  // the holder ends: the folder is free again
  EXPECT_EQ(run_gradlab("run exp.yaml --out out", dir.path()).code, 0);
}

TEST(RunFolder, TwoRunsIntoOneFolderAtOnceNeverMix) {
  testing::TempDir dir;
  dir.file("exp.yaml", replaced(kSmallExperiment, "epochs: 5", "epochs: 300"));
  // Both start together; exactly one may write the folder, the other is refused with exit 2.
  dir.file("both.sh",
           "g='" GRADLAB_BINARY_DIR "/gradlab'\n"
           "\"$g\" run exp.yaml --out out --no-plots --set seed=1 >a.log 2>&1 & a=$!\n"
           "\"$g\" run exp.yaml --out out --no-plots --set seed=2 >b.log 2>&1 & b=$!\n"
           "wait $a; echo $? > a.rc; wait $b; echo $? > b.rc\n");
  ASSERT_EQ(std::system(("cd '" + dir.path().string() + "' && bash both.sh").c_str()), 0);
  const std::string a = read_text(dir.path() / "a.rc"), b = read_text(dir.path() / "b.rc");
  EXPECT_TRUE((a == "0\n" && b == "2\n") || (a == "2\n" && b == "0\n")) << a << b;
  const std::string config = read_text(dir.path() / "out/config.resolved.yaml");
  const std::string winner_seed = a == "0\n" ? "seed: 1" : "seed: 2";
  EXPECT_NE(config.find(winner_seed), std::string::npos) << config;
  EXPECT_NE(read_text(dir.path() / "out/summary.json").find(a == "0\n" ? "\"seed\": 1" : "\"seed\": 2"),
            std::string::npos);
}

}  // namespace
}  // namespace gradlab
