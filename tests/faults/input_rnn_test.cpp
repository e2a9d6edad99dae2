// A recurrent layer on an input that is not a [T, F] sequence is refused when the model is built,
// through `check` and `run`: exit 2, one line naming the file, the layer's line and the layer.
#include "tests/faults/input_support.hpp"

namespace gradlab {
namespace {

using testing::replaced;

// vh_lines's 3x3 images read row by row: three steps of three pixels.
const std::string kRows = replaced(replaced(testing::kSmallExperiment, "input: 9", "input: [3, 3]"),
                                   "    - {type: dense, units: 4}\n    - {type: sigmoid}\n",
                                   "    - {type: gru, units: 4}\n");

void expect_refused(const std::string& yaml, const std::string& text) {
  testing::TempDir dir;
  dir.file("rnn.yaml", yaml);
  testing::CliResult check = testing::run_gradlab("check rnn.yaml", dir.path());
  EXPECT_EQ(check.code, 2) << check.out << check.err;
  EXPECT_EQ(check.err, text + "\n");
  testing::expect_refused_run(dir, "rnn.yaml", 2, text);
}

TEST(InputRnn, ImagesReadRowByRowTrain) {
  testing::TempDir dir;
  dir.file("rnn.yaml", kRows);
  testing::CliResult r = testing::run_gradlab("run rnn.yaml --out out --no-plots", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(InputRnn, AGruAfterFlatFeaturesIsNamedAtItsLine) {
  expect_refused(replaced(kRows, "input: [3, 3]\n  layers:\n", "input: [3, 3]\n  layers:\n    - {type: flatten}\n"),
                 "rnn.yaml:10:7: model.layers[1]: gru1 (gru): expects [steps, features] sequences, got [9]");
}

TEST(InputRnn, AnLstmOnFlatInputIsNamedAtItsLine) {
  expect_refused(replaced(replaced(kRows, "input: [3, 3]", "input: 9"), "type: gru", "type: lstm"),
                 "rnn.yaml:9:7: model.layers[0]: lstm1 (lstm): expects [steps, features] sequences, got [9]");
}

TEST(InputRnn, UnitsMustBePositive) {
  expect_refused(replaced(kRows, "units: 4}", "units: 0}"),
                 "rnn.yaml:9:26: model.layers[0].units: expected an integer >= 1, got 0");
}

}  // namespace
}  // namespace gradlab
