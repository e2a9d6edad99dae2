// Reproducibility and resume, through the real `gradlab` binary: two runs are identical; a run
// killed with SIGKILL at random moments (even again while resuming) and resumed ends identical
// to one never interrupted; SIGINT checkpoints and exits 130; a changed config or a corrupted
// checkpoint is refused; a long history resumes as exactly as a short one.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "tests/experiments/cli_support.hpp"

extern char** environ;

namespace gradlab::testing {
namespace {

namespace fs = std::filesystem;

// Small, but long enough (~1 s) to be killed in the middle; a checkpoint every epoch, grad norms
// every step, dropout and shuffling so that every random stream matters, and early stopping with
// restore_best so that callback state (best value, patience count, best weights) must survive.
std::string resumable_experiment() {
  std::string y = replaced(kSmallExperiment, "train: {epochs: 5, batch_size: 1}",
                           "train: {epochs: 60, batch_size: 2, shuffle: true}\n"
                           "checkpoint: {every_epochs: 1}\n"
                           "callbacks: [{type: early_stopping, monitor: val_loss, patience: 8, restore_best: true},\n"
                           "            {type: checkpoint_best}]\n"
                           "hooks: [{type: grad_norms, every: step}, {type: activations}]");
  y = replaced(y, "    - {type: sigmoid}\n", "    - {type: sigmoid}\n    - {type: dropout, p: 0.2}\n");
  return replaced(y, "optimizer: {type: sgd, lr: 0.5}", "optimizer: {type: adam, lr: 0.05}");
}

// The files that must be bit-identical (summary.json and plots hold timings or are derived).
void expect_same_run(const fs::path& a, const fs::path& b) {
  for (const char* f : {"metrics.csv", "grad_norms.csv", "activations.csv", "checkpoints/last.safetensors",
                        "checkpoints/initial.safetensors", "checkpoints/best.safetensors"}) {
    ASSERT_TRUE(fs::exists(a / f)) << a / f;
    ASSERT_TRUE(fs::exists(b / f)) << b / f;
    EXPECT_TRUE(read_text(a / f) == read_text(b / f)) << f << " differs between " << a << " and " << b;
  }
  EXPECT_FALSE(fs::exists(b / ".resume"));
  // summary.json, but for timings and the list of files (plots depend on gnuplot).
  auto ja = nlohmann::json::parse(read_text(a / "summary.json")), jb = nlohmann::json::parse(read_text(b / "summary.json"));
  for (const char* k : {"status", "epochs_run", "best_epoch", "best", "final", "end_of_training", "restored_epoch"})
    EXPECT_EQ(ja.value(k, nlohmann::json()), jb.value(k, nlohmann::json())) << k;
}

// Starts `gradlab run exp.yaml --out OUT --no-plots` (or `--resume OUT`) in `cwd`; stderr to `err`.
pid_t spawn_run(const fs::path& cwd, const std::string& out, bool resume = false, const std::string& err = "/dev/null") {
  return testing::spawn_gradlab(cwd, {"run", "exp.yaml", resume ? "--resume" : "--out", out, "--no-plots"}, err);
}

// Waits until the run has written its first checkpoint, then `ms` more, then sends `sig`.
// Returns the wait status.
int kill_after(pid_t pid, const fs::path& out, int ms, int sig) {
  for (int i = 0; i < 2000 && !fs::exists(out / "checkpoints" / "last.safetensors"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

struct ResumeTest : ::testing::Test {
  TempDir tmp;
  std::string file = tmp.file("exp.yaml", resumable_experiment());  // runs in tmp as exp.yaml
  fs::path reference = tmp.path() / "reference";
  void SetUp() override { ASSERT_EQ(run_gradlab("run exp.yaml --out reference --no-plots", tmp.path()).code, 0); }
};

TEST_F(ResumeTest, TwoRunsAreBitIdentical) {
  ASSERT_EQ(run_gradlab("run exp.yaml --out again --no-plots", tmp.path()).code, 0);
  expect_same_run(reference, tmp.path() / "again");
}

TEST(Reproducibility, TbbThreadCountsGiveTheSameBits) {
  // Wide enough that the products are split into parallel panels (autograd/gemm.cpp).
  TempDir tmp;
  std::string y = replaced(kSmallExperiment, "samples: 40, noise: 0.1, seed: 3", "samples: 256, noise: 0.1, seed: 3");
  y = replaced(y, "    - {type: dense, units: 4}\n", "    - {type: dense, units: 512}\n    - {type: relu}\n    - {type: dense, units: 512}\n");
  tmp.file("wide.yaml", replaced(y, "train: {epochs: 5, batch_size: 1}", "train: {epochs: 2, batch_size: 256}\n"
                                                                          "hooks: [{type: grad_norms, every: step}]"));
  for (const char* threads : {"1", "2", "3"}) {
    setenv("GRADLAB_NUM_THREADS", threads, 1);
    CliResult r = run_gradlab(std::string("run wide.yaml --no-plots --out t") + threads, tmp.path());
    ASSERT_EQ(r.code, 0) << r.err;
  }
  unsetenv("GRADLAB_NUM_THREADS");
  for (const char* f : {"metrics.csv", "grad_norms.csv", "checkpoints/last.safetensors"}) {
    EXPECT_TRUE(read_text(tmp.path() / "t1" / f) == read_text(tmp.path() / "t2" / f)) << f;
    EXPECT_TRUE(read_text(tmp.path() / "t1" / f) == read_text(tmp.path() / "t3" / f)) << f;
  }
}

TEST_F(ResumeTest, CheckpointsNameTensorsAsTheDesignSays) {
  const std::string last = read_text(reference / "checkpoints" / "last.safetensors");
  for (const char* name : {"\"dense1.weight\"", "\"dense1.bias\"", "\"dense2.weight\"", "\"dense1.weight.exp_avg\"",
                           "\"dense2.bias.exp_avg_sq\"", "\"_observer.callback0.best.dense1.weight\"",
                           "\"observer.callback0.wait\"", "\"rng.shuffle\"", "\"config_hash\""})
    EXPECT_NE(last.find(name), std::string::npos) << name;
}

TEST_F(ResumeTest, KilledAtRandomMomentsAndResumedEqualsUninterrupted) {
  std::mt19937 gen(20261129);
  std::uniform_int_distribution<int> delay(0, 400);
  for (int trial = 0; trial < 4; ++trial) {
    const fs::path out = tmp.path() / ("killed" + std::to_string(trial));
    int status = kill_after(spawn_run(tmp.path(), out.string()), out, delay(gen), SIGKILL);
    if (WIFEXITED(status)) continue;  // it finished first: nothing to resume
    ASSERT_TRUE(WIFSIGNALED(status));
    if (trial % 2 == 1) {  // killed again while resuming
      kill_after(spawn_run(tmp.path(), out.string(), true), out, delay(gen) / 2, SIGKILL);
    }
    CliResult r = run_gradlab("run exp.yaml --resume " + out.string() + " --no-plots", tmp.path());
    ASSERT_EQ(r.code, 0) << r.err;
    expect_same_run(reference, out);
  }
}

TEST_F(ResumeTest, ResumingAFinishedRunChangesNothing) {
  // A kill after the last epoch (while plotting, say) leaves a final checkpoint: resuming it must
  // not train on, even when early stopping had ended the run.
  fs::copy(reference, tmp.path() / "copy", fs::copy_options::recursive);
  CliResult r = run_gradlab("run exp.yaml --resume copy --no-plots", tmp.path());
  ASSERT_EQ(r.code, 0) << r.err;
  expect_same_run(reference, tmp.path() / "copy");
}

TEST_F(ResumeTest, SigintFinishesTheStepCheckpointsAndExits130) {
  const fs::path out = tmp.path() / "interrupted", err = tmp.path() / "err.txt";
  int status = kill_after(spawn_run(tmp.path(), "interrupted", false, err.string()), out, 50, SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 130);
  const std::string text = read_text(err);
  EXPECT_EQ(text.rfind("gradlab: interrupted by SIGINT during epoch ", 0), 0u) << text;
  EXPECT_NE(text.find("interrupted/checkpoints/last.safetensors holds epoch "), std::string::npos) << text;
  EXPECT_NE(text.find("; resume with:\n  gradlab run --resume interrupted\n"), std::string::npos) << text;
  CliResult r = run_gradlab("run exp.yaml --resume interrupted --no-plots", tmp.path());
  ASSERT_EQ(r.code, 0) << r.err;
  expect_same_run(reference, out);
}

TEST_F(ResumeTest, ResumeWithADifferentConfigIsRefusedNamingTheKeys) {
  CliResult r = run_gradlab("run exp.yaml --resume reference --set optimizer.lr=0.02 --set train.epochs=61",
                            tmp.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "gradlab: --resume reference: the experiment differs from the run's config.resolved.yaml at "
            "optimizer.lr, train.epochs; resume with the same file and --set options (or with no file: "
            "gradlab run --resume reference)\n");
}

TEST_F(ResumeTest, CorruptedCheckpointIsRefused) {
  const fs::path last = reference / "checkpoints" / "last.safetensors";
  std::string bytes = read_text(last);
  write_text(last, bytes.substr(0, bytes.size() - 5));
  CliResult r = run_gradlab("run exp.yaml --resume reference", tmp.path());
  EXPECT_EQ(r.code, 2);  // the user's file, damaged: invalid input
  EXPECT_NE(r.err.find("gradlab: --resume reference: safetensors reference/checkpoints/last.safetensors: "),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(truncated file?)"), std::string::npos) << r.err;
  fs::remove(last);
  r = run_gradlab("run exp.yaml --resume reference", tmp.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: --resume reference: no checkpoints/last.safetensors (is it the directory of a gradlab run?)\n");
}

// A history of 1,200 epochs (the checkpoint once carried it all): interrupted late, resumed from
// its checkpoint without FILE, the run ends bit-identical to one never interrupted, summary.json
// included.
TEST(LongResume, AfterAThousandEpochsResumeIsBitIdentical) {
  TempDir tmp;
  tmp.file("exp.yaml", replaced(resumable_experiment(), "train: {epochs: 60, batch_size: 2, shuffle: true}",
                                "train: {epochs: 1200, batch_size: 8, shuffle: true}"));
  // patience beyond the run: early stopping keeps its state but never ends it
  std::string y = replaced(read_text(tmp.path() / "exp.yaml"), "patience: 8", "patience: 5000");
  write_text(tmp.path() / "exp.yaml", replaced(y, "checkpoint: {every_epochs: 1}", "checkpoint: {every_epochs: 100}"));
  ASSERT_EQ(run_gradlab("run exp.yaml --out reference --no-plots", tmp.path()).code, 0);
  const fs::path out = tmp.path() / "late";
  const pid_t pid = spawn_run(tmp.path(), "late");
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {  // SIGINT once 1,000 rows are written
    const std::string csv = read_text(out / "metrics.csv");
    if (std::count(csv.begin(), csv.end(), '\n') > 1000) {
      kill(pid, SIGINT);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 130) << "the run ended before the signal";
  CliResult r = run_gradlab("run --resume late --no-plots", tmp.path());
  ASSERT_EQ(r.code, 0) << r.err;
  expect_same_run(tmp.path() / "reference", out);
}

}  // namespace
}  // namespace gradlab::testing
