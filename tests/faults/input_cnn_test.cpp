// A CNN whose layers do not fit their inputs is refused when the model is built, through `check`
// and `run`: exit 2, one line naming the file, the layer's line and the layer, no run folder.
#include "tests/faults/input_support.hpp"

namespace gradlab {
namespace {

using testing::replaced;

// vh_lines's 9 features as one 3x3 image.
const std::string kCnn =
    replaced(replaced(testing::kSmallExperiment, "input: 9", "input: [1, 3, 3]"), "    - {type: dense, units: 4}\n",
             "    - {type: conv2d, filters: 2, kernel_size: 2}\n"
             "    - {type: maxpool2d, pool_size: 2}\n"
             "    - {type: flatten}\n");

void expect_refused(const std::string& yaml, const std::string& text) {
  testing::TempDir dir;
  dir.file("cnn.yaml", yaml);
  testing::CliResult check = testing::run_gradlab("check cnn.yaml", dir.path());
  EXPECT_EQ(check.code, 2) << check.out << check.err;
  EXPECT_EQ(check.err, text + "\n");
  testing::expect_refused_run(dir, "cnn.yaml", 2, text);
}

TEST(InputCnn, TheSmallCnnIsValid) {
  testing::TempDir dir;
  dir.file("cnn.yaml", kCnn);
  testing::CliResult r = testing::run_gradlab("check cnn.yaml", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(InputCnn, APoolLargerThanItsInputIsNamedAtItsLine) {
  expect_refused(replaced(kCnn, "{type: maxpool2d, pool_size: 2}", "{type: maxpool2d, pool_size: 4}"),
                 "cnn.yaml:10:7: model.layers[1]: maxpool2d1 (maxpool2d): pool 4 larger than its 2x2 input");
}

TEST(InputCnn, AConvOnFlatFeaturesIsNamedAtItsLine) {
  expect_refused(replaced(kCnn, "input: [1, 3, 3]", "input: 9"),
                 "cnn.yaml:9:7: model.layers[0]: conv2d1 (conv2d): expects [channels, height, width] input, got [9]");
}

TEST(InputCnn, AKernelLargerThanItsInputIsNamedAtItsLine) {
  expect_refused(replaced(kCnn, "kernel_size: 2}", "kernel_size: [2, 4]}"),
                 "cnn.yaml:9:7: model.layers[0]: conv2d1 (conv2d): kernel 2x4 larger than its 3x3 input");
}

TEST(InputCnn, AReshapeOfAnotherSizeIsNamedAtItsLine) {
  expect_refused(
      replaced(kCnn, "input: [1, 3, 3]\n  layers:\n", "input: 9\n  layers:\n    - {type: reshape, shape: [1, 4, 4]}\n"),
      "cnn.yaml:9:7: model.layers[0]: reshape1 (reshape): cannot reshape [9] (9 elements) into [1,4,4] "
      "(16 elements)");
}

TEST(InputCnn, ABadWindowKeyIsNamedAtItsValue) {
  expect_refused(replaced(kCnn, "kernel_size: 2}", "kernel_size: [2, 2, 2]}"),
                 "cnn.yaml:9:47: model.layers[0].kernel_size: expected an integer >= 1 or a pair [height, width], "
                 "got a list of 3");
}

}  // namespace
}  // namespace gradlab
