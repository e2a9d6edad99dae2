// Command-line mistakes: one line that names the mistake and what would be right, exit 2.
#include <gtest/gtest.h>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

TEST(CliUsage, AnUnknownCommandIsNamedWithTheClosestVerbAndTheList) {
  testing::TempDir dir;
  testing::CliResult r = testing::run_gradlab("rnu exp.yaml", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find(';')), "gradlab: unknown command 'rnu' (did you mean 'run'?)");
  for (const char* verb : {"run", "check", "graph", "list", "gradcheck", "sweep"})
    EXPECT_NE(r.err.find(verb), std::string::npos) << verb << " missing from: " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(CliUsage, NoCommandAtAllStillAsksForOne) {
  testing::TempDir dir;
  testing::CliResult r = testing::run_gradlab("", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("subcommand"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gradlab
