// Data files: every class label is checked when the data loads (exit 2 naming the file and line,
// not exit 1 mid-training), a path that is not a readable CSV says what it is, huge values are
// normalized instead of silently zeroed, and a binary file's control bytes are escaped in errors.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "experiments/config/data_section.hpp"
#include "experiments/datasets/dataset.hpp"
#include "plugins/registry.hpp"
#include "tests/faults/input_support.hpp"

namespace gradlab {
namespace {

using testing::expect_refused_run;

// Three classes on a CSV of two features; `label_at_702` is the label of the row on line 702.
std::string classes_csv(const std::string& label_at_702) {
  std::string csv = "a,b,y\n";
  for (int line = 2; line <= 800; ++line)
    csv += std::to_string(line % 7) + "," + std::to_string(line % 5) + "," +
           (line == 702 ? label_at_702 : std::to_string(line % 3)) + "\n";
  return csv;
}

const char* kCsvExperiment =
    "name: csv\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: csv, path: d.csv, label: y}\n"
    "model:\n"
    "  input: 2\n"
    "  layers: [{type: dense, units: 3}]\n"
    "loss: cross_entropy\n"
    "optimizer: {type: sgd, lr: 0.1}\n"
    "train: {epochs: 2, batch_size: 8, shuffle: false}\n";

TEST(InputData, AClassLabelOnLine702OutsideTheModelsClassesIsExit2AtLoad) {
  testing::TempDir dir;
  dir.file("exp.yaml", kCsvExperiment);
  dir.file("d.csv", classes_csv("5"));
  testing::CliResult r = expect_refused_run(
      dir, "exp.yaml", 2,
      "exp.yaml:7:12: model.layers[0]: the model has 3 outputs but labels go up to 5: set the last dense layer's "
      "units to 6 (label 5 at d.csv:702; 1 of 799 labels are 3 or more)");
  EXPECT_TRUE(r.out.empty()) << r.out;  // nothing trained
}

TEST(InputData, ABadLabelInASplitIsNamedByItsFileLine) {
  testing::TempDir dir;
  dir.file("exp.yaml", testing::replaced(kCsvExperiment, "  train: {type: csv, path: d.csv, label: y}",
                                         "  split: {source: {type: csv, path: d.csv, label: y}, val: 0.3}"));
  dir.file("d.csv", classes_csv("4"));
  expect_refused_run(dir, "exp.yaml", 2,
                     "exp.yaml:7:12: model.layers[0]: the model has 3 outputs but labels go up to 4: set the last "
                     "dense layer's units to 5 (label 4 at d.csv:702; 1 of 799 labels are 3 or more)");
}

TEST(InputData, ABinaryTargetOutsideZeroOneIsExit2) {
  testing::TempDir dir;
  dir.file("exp.yaml", testing::replaced(testing::replaced(kCsvExperiment, "units: 3}]", "units: 1}, sigmoid]"),
                                         "loss: cross_entropy", "loss: bce"));
  dir.file("d.csv", "a,b,y\n1,2,0\n2,3,1\n3,4,1.5\n");
  expect_refused_run(dir, "exp.yaml", 2, "d.csv:4: label 1.5 is not a binary target in [0, 1] (loss bce)");
}

TEST(InputData, AFolderAFifoDevNullOrAnEmptyFileSayWhatTheyAre) {
  testing::TempDir dir;
  dir.file("exp.yaml", kCsvExperiment);
  std::filesystem::create_directories(dir.path() / "folder.csv");
  ASSERT_EQ(mkfifo((dir.path() / "fifo.csv").c_str(), 0644), 0);
  dir.file("empty.csv", "");
  const std::string at = "exp.yaml:4:28: data.train.path: cannot read '";
  expect_refused_run(dir, "exp.yaml --set data.train.path=folder.csv", 2, at + "folder.csv': is a directory\n");
  expect_refused_run(dir, "exp.yaml --set data.train.path=fifo.csv", 2,
                     at + "fifo.csv': is not a regular file (a FIFO)\n");
  expect_refused_run(dir, "exp.yaml --set data.train.path=/dev/null", 2,
                     at + "/dev/null': is not a regular file (a character device)\n");
  expect_refused_run(dir, "exp.yaml --set data.train.path=empty.csv", 2,
                     "data.train.path: empty.csv: is empty (expected a header row)\n");
  expect_refused_run(dir, "exp.yaml --set data.train.path=none.csv", 2, at + "none.csv': no such file\n");
}

TEST(InputData, ACsvLargerThanTheMemoryIsRefusedBeforeItIsRead) {
  testing::TempDir dir;
  dir.file("exp.yaml", kCsvExperiment);
  dir.file("d.csv", "a,b,y\n");
  std::filesystem::resize_file(dir.path() / "d.csv", 10ull << 40);  // NB: sparse: 10 TiB that take no disk
  expect_refused_run(dir, "exp.yaml", 2,
                     "exp.yaml:4:28: data.train.path: d.csv: is 10995116277760 bytes (11.0 TB), more than the ");
}

TEST(InputData, ControlBytesOfABinaryFileAreEscapedAndLongValuesCut) {
  testing::TempDir dir;
  dir.file("exp.yaml", kCsvExperiment);
  dir.file("d.csv", "a,b,y\n1,\x01\x1b[2J" + std::string(200, 'z') + ",0\n");
  testing::CliResult r =
      expect_refused_run(dir, "exp.yaml", 2, "d.csv:2: column 'b': expected a finite number, got \"\\x01\\x1b[2Jzzz");
  EXPECT_EQ(r.err.find('\x01'), std::string::npos);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  EXPECT_NE(r.err.find("zzz...\""), std::string::npos) << r.err;
  EXPECT_LT(r.err.size(), 250u) << r.err;
}

// The features of `csv` as the training set with `normalize` (fit on them, as the data section does).
Tensor normalized(const std::string& csv, const std::string& normalize) {
  testing::TempDir dir;
  const std::string path = dir.file("d.csv", csv);
  const Config c = Config::parse("{train: {type: csv, path: " + path + ", label: y, normalize: " + normalize + "}}",
                                 (dir.path() / "exp.yaml").string());
  return load_data(c, Rng(1)).train.samples().x;  // in file order
}

TEST(InputData, StandardizingValuesNear1e300GivesUnitScaleNotZeros) {
  const Tensor x = normalized("a,b,y\n1e300,1,0\n3e300,2,1\n1e300,3,2\n", "standardize");
  EXPECT_NEAR(x.at(0, 0), -0.7071067812, 1e-9);
  EXPECT_NEAR(x.at(1, 0), 1.4142135624, 1e-9);
  EXPECT_NEAR(x.at(2, 0), -0.7071067812, 1e-9);
  EXPECT_NEAR(x.at(0, 1), -1.2247448714, 1e-9);  // an ordinary column is untouched by the fix
}

TEST(InputData, TheWholeDoubleRangeStandardizesAndScalesToFiniteValues) {
  const std::string csv = "a,b,y\n-1.7e308,1,0\n0,2,1\n1.7e308,3,2\n";
  const Tensor s = normalized(csv, "standardize"), m = normalized(csv, "minmax");
  EXPECT_NEAR(s.at(0, 0), -1.2247448714, 1e-9);
  EXPECT_NEAR(s.at(2, 0), 1.2247448714, 1e-9);
  EXPECT_EQ(m.at(0, 0), 0.0);
  EXPECT_EQ(m.at(1, 0), 0.5);
  EXPECT_EQ(m.at(2, 0), 1.0);
}

TEST(InputData, HugeValuesTrainThroughTheCli) {
  testing::TempDir dir;
  dir.file("exp.yaml", testing::replaced(kCsvExperiment, "label: y}", "label: y, normalize: standardize}"));
  dir.file("d.csv", "a,b,y\n-1.7e308,1,0\n0,2,1\n1.7e308,3,2\n");
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out out", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;  // it was reported as divergence (exit 3)
}

}  // namespace
}  // namespace gradlab
