// A folder of the test's own under /tmp, named after the test and the pid (test_temp_dir.hpp),
// created empty and removed at the end.
#pragma once
#include <filesystem>
#include <string>

#include "tests/experiments/cli_support.hpp"
#include "tests/test_temp_dir.hpp"

namespace gradlab::testing {

class PidTempDir {
 public:
  explicit PidTempDir(const std::string& stem) : path_(test_temp_dir(stem)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~PidTempDir() {
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

}  // namespace gradlab::testing
