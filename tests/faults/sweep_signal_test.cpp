// A sweep stopped by SIGTERM or SIGINT exits 130 with its table written and its runs in flight
// checkpointed; `gradlab sweep --resume` keeps the finished runs, resumes the stopped ones from
// their checkpoints, starts the rest, and ends with the table an uninterrupted sweep writes.
// The signal is sent at a chosen moment (a run finished and another one under way), never after
// a sleep.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

#include "experiments/output/csv.hpp"
#include "experiments/output/csv_reader.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using testing::kSmallExperiment;
using testing::read_text;
using testing::replaced;
using testing::run_gradlab;

// Four runs long enough (a few hundred milliseconds each) that a signal lands inside one;
// a checkpoint every 20 epochs, so that a resumed run really continues from the middle.
std::string sweep_file() {
  return replaced(kSmallExperiment, "train: {epochs: 5, batch_size: 1}",
                  "train: {epochs: 400, batch_size: 1, shuffle: true}\n"
                  "checkpoint: {every_epochs: 20}\n"
                  "sweep:\n  optimizer.lr: [0.1, 0.5]\n  seed: [1, 2]\n");
}

// `gradlab ARGS...` started in `cwd` as a child process (stdout and stderr to files there).
struct Child {
  pid_t pid = -1;
  int wait_exit() {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

Child start_gradlab(const std::vector<std::string>& args, const fs::path& cwd, bool ignore_sigint) {
  const std::string binary = GRADLAB_BINARY_DIR "/gradlab";
  std::vector<char*> argv{const_cast<char*>(binary.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::string out = (cwd / "child.out").string(), err = (cwd / "child.err").string();
  Child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    // As a POSIX shell starts `gradlab sweep ... &` from a script: SIGINT ignored.
    if (ignore_sigint) ::signal(SIGINT, SIG_IGN);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::dup2(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
    ::dup2(::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return c;
}

// Polls the file system until `ready` holds; false if the child ended first (a missed moment).
bool wait_until(pid_t pid, const std::function<bool()>& ready) {
  for (;;) {
    if (ready()) return true;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// Runs of the sweep in `dir` with a summary.json, and runs that began training (their epoch-0
// checkpoint written).
std::pair<int, int> finished_and_started(const fs::path& dir) {
  int finished = 0, started = 0;
  std::error_code ec;
  for (const auto& run : fs::directory_iterator(dir / "runs", ec)) {
    finished += fs::exists(run.path() / "summary.json", ec);
    started += fs::exists(run.path() / "checkpoints/last.safetensors", ec);
  }
  return {finished, started};
}

// sweep.csv without its timing column, one line per row (header included).
std::string table_without_timing(const fs::path& path) {
  CsvTable t = parse_csv(read_text(path), path.string());
  const auto timing = std::find(t.header.begin(), t.header.end(), "wall_seconds") - t.header.begin();
  std::vector<std::vector<std::string>> rows{t.header};
  rows.insert(rows.end(), t.rows.begin(), t.rows.end());
  std::string out;
  for (auto& row : rows) {
    row.erase(row.begin() + timing);
    out += csv_row(row);
  }
  return out;
}

std::vector<std::string> statuses(const fs::path& table) {
  CsvTable t = parse_csv(read_text(table), table.string());
  std::vector<std::string> out;
  for (size_t r = 0; r < t.rows.size(); ++r) out.push_back(t.row_map(r).at("status"));
  return out;
}

int64_t mtime_ns(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return -1;
  return int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
}

struct SweepSignal : ::testing::Test {
  testing::TempDir dir;
  void SetUp() override { dir.file("exp.yaml", sweep_file()); }
};

TEST_F(SweepSignal, SigtermStopsTheSweepAndResumeEndsWithTheUninterruptedTable) {
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out whole --jobs 2 --no-plots", dir.path()).code, 0);

  Child sweep = start_gradlab({"sweep", "exp.yaml", "--out", "cut", "--jobs", "2", "--no-plots"}, dir.path(), false);
  // The moment: a third run has just begun (with --jobs 2 only after one of the first two
  // finished), so one run is done and one has hundreds of epochs to go.
  // NB: not "a run with a checkpoint and no summary": a run between its final checkpoint and its
  // summary.json matches that too, and finishes before the signal is seen.
  const bool caught = wait_until(sweep.pid, [&] {
    auto [finished, started] = finished_and_started(dir.path() / "cut");
    return finished >= 1 && started >= 3;
  });
  ASSERT_TRUE(caught) << "the sweep ended before the moment came: " << read_text(dir.path() / "child.err");
  ASSERT_EQ(::kill(sweep.pid, SIGTERM), 0);
  ASSERT_EQ(sweep.wait_exit(), 130) << read_text(dir.path() / "child.err");

  const std::string err = read_text(dir.path() / "child.err");
  EXPECT_NE(err.find("gradlab: sweep interrupted by SIGTERM: "), std::string::npos) << err;
  EXPECT_NE(err.find("continue with:\n  gradlab sweep exp.yaml --out cut --jobs 2 --no-plots --resume\n"),
            std::string::npos) << err;
  const std::vector<std::string> cut = statuses(dir.path() / "cut/sweep.csv");
  ASSERT_EQ(cut.size(), 4u);
  EXPECT_GE(std::count(cut.begin(), cut.end(), "completed"), 1);
  EXPECT_GE(std::count(cut.begin(), cut.end(), "interrupted"), 1);
  for (const std::string& s : cut) EXPECT_TRUE(s == "completed" || s == "interrupted" || s == "not_started") << s;

  // What --resume must keep (a finished run) and continue (a stopped run), as they are now.
  std::map<std::string, int64_t> summaries, configs;
  for (const auto& run : fs::directory_iterator(dir.path() / "cut/runs")) {
    if (fs::exists(run.path() / "summary.json")) summaries[run.path().string()] = mtime_ns(run.path() / "summary.json");
    else configs[run.path().string()] = mtime_ns(run.path() / "config.resolved.yaml");
  }
  testing::CliResult resumed = run_gradlab("sweep exp.yaml --out cut --jobs 2 --no-plots --resume", dir.path());
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(table_without_timing(dir.path() / "cut/sweep.csv"), table_without_timing(dir.path() / "whole/sweep.csv"));
  for (const auto& [path, t] : summaries) EXPECT_EQ(mtime_ns(fs::path(path) / "summary.json"), t) << path << " was rerun";
  for (const auto& [path, t] : configs)  // a run started again writes its config again; a resumed one reads it
    EXPECT_EQ(mtime_ns(fs::path(path) / "config.resolved.yaml"), t) << path << " was not resumed";
  for (const auto& run : fs::directory_iterator(dir.path() / "whole/runs"))
    EXPECT_TRUE(read_text(run.path() / "metrics.csv") ==
                read_text(dir.path() / "cut/runs" / run.path().filename() / "metrics.csv"))
        << run.path().filename();
}

TEST_F(SweepSignal, SigintStopsASweepStartedInTheBackgroundWithSigintIgnored) {
  Child sweep = start_gradlab({"sweep", "exp.yaml", "--out", "bg", "--jobs", "1", "--no-plots"}, dir.path(), true);
  const bool caught = wait_until(sweep.pid, [&] { return finished_and_started(dir.path() / "bg").second >= 1; });
  ASSERT_TRUE(caught) << read_text(dir.path() / "child.err");
  ASSERT_EQ(::kill(sweep.pid, SIGINT), 0);
  ASSERT_EQ(sweep.wait_exit(), 130) << read_text(dir.path() / "child.err");
  EXPECT_NE(read_text(dir.path() / "child.err").find("gradlab: sweep interrupted by SIGINT: 0 of 4 runs finished, 1 stopped "
                                                     "at a checkpoint, 3 not started; the table is bg/sweep.csv"),
            std::string::npos)
      << read_text(dir.path() / "child.err");
  const std::vector<std::string> st = statuses(dir.path() / "bg/sweep.csv");
  EXPECT_EQ(st, (std::vector<std::string>{"interrupted", "not_started", "not_started", "not_started"}));
}

TEST_F(SweepSignal, AShardStoppedBySigtermKeepsItsTableAndResumesToTheMergedWhole) {
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out whole --jobs 2 --no-plots", dir.path()).code, 0);
  ASSERT_EQ(run_gradlab("sweep exp.yaml --out sharded --shard 1/2 --jobs 1 --no-plots", dir.path()).code, 0);
  Child shard = start_gradlab({"sweep", "exp.yaml", "--out", "sharded", "--shard", "2/2", "--jobs", "1", "--no-plots"},
                              dir.path(), false);
  const bool caught = wait_until(shard.pid, [&] {
    std::error_code ec;
    return fs::exists(dir.path() / "sharded/runs/1-optimizer.lr=0.1_seed=2/checkpoints/last.safetensors", ec) ||
           fs::exists(dir.path() / "sharded/runs/3-optimizer.lr=0.5_seed=2/checkpoints/last.safetensors", ec);
  });
  ASSERT_TRUE(caught) << read_text(dir.path() / "child.err");
  ASSERT_EQ(::kill(shard.pid, SIGTERM), 0);
  ASSERT_EQ(shard.wait_exit(), 130) << read_text(dir.path() / "child.err");
  EXPECT_TRUE(fs::exists(dir.path() / "sharded/sweep.shard-2-of-2.csv"));
  // A merge now (Slurm's afterany merge job after a time limit) says the table is not complete.
  testing::CliResult early = run_gradlab("sweep merge sharded --no-plots", dir.path());
  EXPECT_EQ(early.code, 0) << early.err;
  EXPECT_NE(early.err.find("runs did not finish (interrupted or not started)"), std::string::npos) << early.err;

  testing::CliResult resumed = run_gradlab("sweep exp.yaml --out sharded --shard 2/2 --jobs 1 --no-plots --resume", dir.path());
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  ASSERT_EQ(run_gradlab("sweep merge sharded --no-plots", dir.path()).code, 0);
  EXPECT_EQ(table_without_timing(dir.path() / "sharded/sweep.csv"), table_without_timing(dir.path() / "whole/sweep.csv"));
}

}  // namespace
}  // namespace gradlab
