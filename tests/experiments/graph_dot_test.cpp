// `gradlab graph exp.yaml | dot -Tpng > model.png` works as the README shows it: scripts/setup
// installs Graphviz, and the DOT that gradlab prints is one that dot draws.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

TEST(GraphDot, TheReadmePipeIntoDotDrawsAPng) {
  testing::TempDir dir("gradlab-graph-dot");
  dir.file("exp.yaml", testing::kSmallExperiment);
  ASSERT_EQ(std::system("command -v dot >/dev/null"), 0) << "no `dot` on PATH: scripts/setup installs graphviz";
  const std::string cmd = "cd '" + dir.path().string() +
                          "' && set -o pipefail && '" GRADLAB_BINARY_DIR
                          "/gradlab' graph exp.yaml | dot -Tpng > model.png";
  ASSERT_EQ(std::system(("bash -c \"" + cmd + "\"").c_str()), 0);
  const std::string png = testing::read_text(dir.path() / "model.png");
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST(GraphDot, SetupInstallsGraphviz) {
  const std::string setup = testing::read_text(GRADLAB_SOURCE_DIR "/scripts/setup");
  EXPECT_NE(setup.find(" graphviz"), std::string::npos) << "scripts/setup's packages must list graphviz";
}

}  // namespace
}  // namespace gradlab
