// Test support: run the built `gradlab` binary in a directory and capture its exit code, stdout
// and stderr; temporary directories and files for experiment YAML.
#pragma once
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_temp_dir.hpp"

namespace gradlab::testing {

struct CliResult {
  int code = -1;
  std::string out, err;
};

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// A fresh directory under the system temp dir, removed at the end of the test: a random name, or
// with a stem one named after the stem, the test and the pid (test_temp_dir.hpp).
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("gradlab-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  explicit TempDir(const std::string& stem) : path_(test_temp_dir(stem)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name, const std::string& text) const {
    write_text(path_ / name, text);
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

// Runs `gradlab ARGS` with `cwd` as the working directory (so that errors name files relatively).
inline CliResult run_gradlab(const std::string& args, const std::filesystem::path& cwd) {
  const std::filesystem::path out = cwd / ".stdout", err = cwd / ".stderr";
  const std::string cmd = "cd '" + cwd.string() + "' && '" GRADLAB_BINARY_DIR "/gradlab' " + args + " >'" +
                          out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

// Starts `gradlab ARGS...` in `cwd` with stderr to `err`; returns its pid.
inline pid_t spawn_gradlab(const std::filesystem::path& cwd, std::vector<std::string> args, const std::filesystem::path& err) {
  std::string bin = GRADLAB_BINARY_DIR "/gradlab";
  args.insert(args.begin(), bin);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

// A small valid experiment that trains in milliseconds; tests edit it line by line.
inline const char* kSmallExperiment =
    "name: small\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: vh_lines, samples: 40, noise: 0.1, seed: 3}\n"
    "  val: {type: vh_lines, samples: 40, noise: 0.1, seed: 4}\n"
    "model:\n"
    "  input: 9\n"
    "  layers:\n"
    "    - {type: dense, units: 4}\n"
    "    - {type: sigmoid}\n"
    "    - {type: dense, units: 1}\n"
    "    - {type: sigmoid}\n"
    "loss: bce\n"
    "optimizer: {type: sgd, lr: 0.5}\n"
    "train: {epochs: 5, batch_size: 1}\n";

// Replaces the first occurrence of `from` in `text` by `to` (the test fails loudly if absent).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("replaced: no '" + from + "' in the text");
  return text.replace(at, from.size(), to);
}

// A CSV file's text as rows of cells (no quoting; a trailing comma is an empty last cell).
inline std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace gradlab::testing
