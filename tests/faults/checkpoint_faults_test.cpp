// Checkpoints as a user or an adversary meets them, through the real CLI: their size does not
// grow with the epochs run; a NaN patched into a weight, a truncated file or a garbled header is
// invalid input (exit 2 naming the file, and the tensor); the command printed on SIGINT works as
// printed, --set options, spaces in the folder's name and all; `run --resume DIR` needs no FILE
// but still refuses a FILE or --set that differs from the run's.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/experiments/cli_support.hpp"

extern char** environ;

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::kSmallExperiment;
using testing::read_text;
using testing::replaced;
using testing::run_gradlab;
using testing::TempDir;
using testing::write_text;

std::string with_epochs(int64_t epochs) {
  return replaced(kSmallExperiment, "train: {epochs: 5, batch_size: 1}",
                  "train: {epochs: " + std::to_string(epochs) + ", batch_size: 1}");
}

// The byte offset in `file` of tensor `name`'s data, from the safetensors header.
size_t tensor_offset(const std::string& file, const std::string& name) {
  uint64_t n = 0;
  std::memcpy(&n, file.data(), 8);
  const auto header = nlohmann::json::parse(file.substr(8, n));
  return 8 + n + header.at(name).at("data_offsets").at(0).get<size_t>();
}

TEST(CheckpointFaults, SizeDoesNotGrowWithTheEpochsRun) {
  TempDir tmp;
  tmp.file("short.yaml", with_epochs(10));
  tmp.file("long.yaml", with_epochs(1000));
  ASSERT_EQ(run_gradlab("run short.yaml --out short --no-plots", tmp.path()).code, 0);
  ASSERT_EQ(run_gradlab("run long.yaml --out long --no-plots", tmp.path()).code, 0);
  const auto a = fs::file_size(tmp.path() / "short/checkpoints/last.safetensors");
  const auto b = fs::file_size(tmp.path() / "long/checkpoints/last.safetensors");
  // The numbers' digits (epoch, step, the rows' values) and the header's padding to 8 bytes only;
  // a checkpoint with the metric history differed by ~100 KB here.
  EXPECT_LE(std::max(a, b) - std::min(a, b), 24u) << a << " vs " << b;
  // summary.json still reports the best and final rows of the whole history, as metrics.csv has
  // them (to its 10 digits): the earliest lowest val_loss, and the last row.
  const auto s = nlohmann::json::parse(read_text(tmp.path() / "long/summary.json"));
  std::istringstream csv(read_text(tmp.path() / "long/metrics.csv"));
  std::string line;
  std::getline(csv, line);
  ASSERT_EQ(line.rfind("epoch,train_loss,val_loss,", 0), 0u) << line;
  std::vector<std::vector<double>> rows;  // epoch, train_loss, val_loss
  while (std::getline(csv, line)) {
    std::istringstream fields(line);
    std::string f;
    std::vector<double> row;
    for (int k = 0; k < 3 && std::getline(fields, f, ','); ++k) row.push_back(std::stod(f));
    rows.push_back(row);
  }
  ASSERT_EQ(rows.size(), 1000u);
  size_t best = 0;
  for (size_t i = 1; i < rows.size(); ++i)
    if (rows[i][2] < rows[best][2]) best = i;
  EXPECT_EQ(s["epochs_run"], 1000);
  EXPECT_EQ(s["best_epoch"], rows[best][0]);
  EXPECT_EQ(s["best"]["epoch"], rows[best][0]);
  EXPECT_NEAR(s["best"]["val_loss"].get<double>(), rows[best][2], 1e-9 * rows[best][2]);
  EXPECT_EQ(s["final"]["epoch"], 1000);
  EXPECT_NEAR(s["final"]["train_loss"].get<double>(), rows.back()[1], 1e-9 * rows.back()[1]);
}

struct DamagedCheckpoint : ::testing::Test {
  TempDir tmp;
  fs::path last = tmp.path() / "out/checkpoints/last.safetensors";
  void SetUp() override {
    tmp.file("exp.yaml", with_epochs(3));
    ASSERT_EQ(run_gradlab("run exp.yaml --out out --no-plots", tmp.path()).code, 0);
  }
};

TEST_F(DamagedCheckpoint, ANaNInAWeightIsInvalidInputNamingTheFileAndTensor) {
  std::string bytes = read_text(last);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::memcpy(bytes.data() + tensor_offset(bytes, "dense2.weight") + 8, &nan, 8);  // its second element
  write_text(last, bytes);
  for (const char* cmd : {"run --resume out --no-plots", "run exp.yaml --resume out --no-plots"}) {
    CliResult r = run_gradlab(cmd, tmp.path());
    EXPECT_EQ(r.code, 2) << cmd << "\n" << r.err;
    EXPECT_EQ(r.err, "gradlab: --resume out: checkpoint out/checkpoints/last.safetensors: tensor dense2.weight "
                     "holds nan (element 1 of shape [1,4]); a checkpoint's values must be finite\n")
        << cmd;
  }
  EXPECT_EQ(read_text(last), bytes);  // the evidence is left as it was
}

TEST_F(DamagedCheckpoint, AnInfinityInABiasIsRefusedToo) {
  std::string bytes = read_text(last);
  const double inf = -std::numeric_limits<double>::infinity();
  std::memcpy(bytes.data() + tensor_offset(bytes, "dense1.bias"), &inf, 8);
  write_text(last, bytes);
  CliResult r = run_gradlab("run --resume out", tmp.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("tensor dense1.bias holds -inf (element 0 of shape [4])"), std::string::npos) << r.err;
}

TEST_F(DamagedCheckpoint, ATruncatedOrGarbledFileIsInvalidInputNamingTheFile) {
  const std::string bytes = read_text(last);
  write_text(last, bytes.substr(0, bytes.size() - 5));
  for (const char* cmd : {"run --resume out", "run exp.yaml --resume out"}) {
    CliResult r = run_gradlab(cmd, tmp.path());
    EXPECT_EQ(r.code, 2) << cmd << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("gradlab: --resume out: safetensors out/checkpoints/last.safetensors: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("(truncated file?)"), std::string::npos) << r.err;
  }
  write_text(last, bytes.substr(0, 8) + std::string(bytes.size() - 8, 'x'));  // garbage after the length
  CliResult r = run_gradlab("run exp.yaml --resume out", tmp.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("gradlab: --resume out: safetensors out/checkpoints/last.safetensors: header is not valid "
                        "JSON", 0), 0u) << r.err;
  write_text(last, "");
  r = run_gradlab("run --resume out", tmp.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("out/checkpoints/last.safetensors: file is 0 bytes"), std::string::npos) << r.err;
}

TEST_F(DamagedCheckpoint, AFileOrSetThatDiffersIsStillRefused) {
  tmp.file("other.yaml", replaced(with_epochs(3), "lr: 0.5", "lr: 0.25"));
  CliResult r = run_gradlab("run other.yaml --resume out", tmp.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("the experiment differs from the run's config.resolved.yaml at optimizer.lr"), std::string::npos)
      << r.err;
  r = run_gradlab("run --resume out --set train.epochs=4", tmp.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("differs from the run's config.resolved.yaml at train.epochs"), std::string::npos) << r.err;
  r = run_gradlab("run --no-plots", tmp.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("FILE"), std::string::npos) << r.err;
}

// Waits (without a time limit: the run ends by itself) until `csv` holds `rows` rows or the
// process ended, then sends `sig`. Returns the wait status.
int signal_after_rows(pid_t pid, const fs::path& csv, size_t rows, int sig) {
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    const std::string text = read_text(csv);
    if (static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) >= rows + 1) {
      kill(pid, sig);
      waitpid(pid, &status, 0);
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return status;
}

TEST(CheckpointFaults, TheResumeCommandPrintedOnSigintWorksAsPrinted) {
  TempDir tmp;
  tmp.file("exp.yaml", with_epochs(5));
  const std::vector<std::string> sets{"--set", "train.epochs=1500", "--set", "optimizer.lr=0.3", "--no-plots"};
  std::vector<std::string> args{"run", "exp.yaml", "--out", "my run"};
  args.insert(args.end(), sets.begin(), sets.end());
  const fs::path err = tmp.path() / "err.txt";
  const int status = signal_after_rows(testing::spawn_gradlab(tmp.path(), args, err), tmp.path() / "my run/metrics.csv", 3, SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 130) << "the run ended before the signal; make it longer\n" << read_text(err);
  const std::string text = read_text(err);
  const std::string mark = "; resume with:\n  ";
  ASSERT_NE(text.find(mark), std::string::npos) << text;
  const std::string hint = text.substr(text.find(mark) + mark.size());
  EXPECT_EQ(hint, "gradlab run --resume 'my run'\n");

  tmp.file("hint.sh", hint);  // executed verbatim, `gradlab` found on PATH
  const std::string cmd = "cd '" + tmp.path().string() + "' && PATH='" GRADLAB_BINARY_DIR "':\"$PATH\" bash hint.sh" +
                          " >/dev/null 2>hint.err";
  const int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  ASSERT_EQ(WEXITSTATUS(rc), 0) << read_text(tmp.path() / "hint.err");

  CliResult whole = run_gradlab("run exp.yaml --out whole --set train.epochs=1500 --set optimizer.lr=0.3 --no-plots",
                                tmp.path());
  ASSERT_EQ(whole.code, 0) << whole.err;
  EXPECT_TRUE(read_text(tmp.path() / "my run/metrics.csv") == read_text(tmp.path() / "whole/metrics.csv"));
  EXPECT_TRUE(read_text(tmp.path() / "my run/checkpoints/last.safetensors") ==
              read_text(tmp.path() / "whole/checkpoints/last.safetensors"));
  const auto a = nlohmann::json::parse(read_text(tmp.path() / "my run/summary.json"));
  const auto b = nlohmann::json::parse(read_text(tmp.path() / "whole/summary.json"));
  for (const char* k : {"config_file", "status", "epochs_run", "best_epoch", "best", "final", "end_of_training"})
    EXPECT_EQ(a[k], b[k]) << k;
}

TEST(CheckpointFaults, ResumeWithoutFileFindsDataRelativeToTheOriginalFile) {
  TempDir tmp;
  std::string csv = "x1,x2,label\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(i % 5) + "," + std::to_string(i % 3) + "," + std::to_string(i % 2) + "\n";
  tmp.file("exp/data/points.csv", csv);
  tmp.file("exp/exp.yaml", "name: csvrun\nseed: 1\ndata:\n  train: {type: csv, path: data/points.csv, label: label}\n"
                           "model:\n  input: 2\n  layers:\n    - {type: dense, units: 1}\n    - {type: sigmoid}\n"
                           "loss: bce\noptimizer: {type: sgd, lr: 0.1}\ntrain: {epochs: 3, batch_size: 4}\n");
  ASSERT_EQ(run_gradlab("run exp/exp.yaml --out out --no-plots", tmp.path()).code, 0);
  const std::string metrics = read_text(tmp.path() / "out/metrics.csv");
  CliResult r = run_gradlab("run --resume out --no-plots", tmp.path());  // a finished run: nothing to train
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_text(tmp.path() / "out/metrics.csv"), metrics);
  EXPECT_EQ(nlohmann::json::parse(read_text(tmp.path() / "out/summary.json"))["config_file"], "exp/exp.yaml");
}

}  // namespace
}  // namespace gradlab
