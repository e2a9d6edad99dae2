// Test support: run the built `gradlab` binary in a directory and capture its exit code, stdout
// and stderr; temporary directories and files for experiment YAML.
#pragma once
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

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

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("gradlab-test-" + std::to_string(rd()) + std::to_string(rd()));
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

}  // namespace gradlab::testing
