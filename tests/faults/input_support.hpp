// Shared by the tests/faults/input_*_test.cpp scenarios: a bad input is refused through the real
// CLI with one line of text, the expected exit code, and no run folder left behind.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "tests/experiments/cli_support.hpp"

namespace gradlab::testing {

inline const std::string kFixtures = std::string(GRADLAB_BINARY_DIR) + "/tests/fixtures/";

// Runs `gradlab run ARGS --out out` in `dir`; expects exit `code`, `text` in stderr (one line),
// and neither out/ nor runs/ created.
inline CliResult expect_refused_run(const TempDir& dir, const std::string& args, int code, const std::string& text) {
  CliResult r = run_gradlab("run " + args + " --out out", dir.path());
  EXPECT_EQ(r.code, code) << r.err;
  EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out")) << "a run folder was left behind";
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "runs")) << "a run folder was left behind";
  return r;
}

}  // namespace gradlab::testing
