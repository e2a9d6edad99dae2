// docs/yaml-reference.md is generated from the registry; this fails when the committed file is
// stale (regenerate: ./build/gradlab list --markdown > docs/yaml-reference.md).
#include <gtest/gtest.h>

#include "experiments/cli/commands.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

// NB: through the binary: this test executable registers test-only components of its own.
TEST(ReferenceDoc, CommittedFileMatchesTheRegistry) {
  const std::string committed = testing::read_text(GRADLAB_SOURCE_DIR "/docs/yaml-reference.md");
  testing::TempDir dir;
  testing::CliResult r = testing::run_gradlab("list --markdown", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(committed == r.out)
      << "docs/yaml-reference.md is stale: run ./build/gradlab list --markdown > docs/yaml-reference.md";
}

TEST(ReferenceDoc, NamesEveryKindAndTheTopLevelKeys) {
  const std::string md = yaml_reference_markdown();
  for (const char* s : {"## Kind `layer`", "### `dense`", "| `units` |", "## Kind `dataset`", "### `vh_lines`",
                        "## `train`", "| `batch_size` |", "### `early_stopping`"})
    EXPECT_NE(md.find(s), std::string::npos) << s;
}

}  // namespace
}  // namespace gradlab
