// Runs on image data through the CLI: a flat model (flatten + dense + cross-entropy) learns a tiny
// IDX set end to end, `input: 20` takes the same images flat with the same numbers, a layout that
// differs from the data's is refused at `model.input`, and Fashion-MNIST trains from Debian's files.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/experiments/idx_support.hpp"

namespace gradlab {
namespace {

using testing::replaced;

const char* kImages =
    "name: images\n"
    "seed: 1\n"
    "data:\n"
    "  split: {source: {type: idx, images: img.gz, labels: lbl.gz}, val: 0.25}\n"
    "model:\n"
    "  input: [1, 4, 5]\n"
    "  layers: [{type: flatten}, {type: dense, units: 3}]\n"
    "loss: cross_entropy\n"
    "optimizer: {type: sgd, lr: 0.5}\n"
    "train: {epochs: 15, batch_size: 8}\n";

// The value of `column` in the last row of a metrics.csv.
double last_value(const std::string& csv, const std::string& column) {
  std::istringstream in(csv);
  std::string header, line, last;
  std::getline(in, header);
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  std::istringstream h(header), row(last);
  std::string name, value;
  while (std::getline(h, name, ',') && std::getline(row, value, ','))
    if (name == column) return std::stod(value);
  ADD_FAILURE() << "no column " << column << " in " << header;
  return -1;
}

void write_tiny_set(const testing::TempDir& dir) {
  const testing::TinyImages t = testing::tiny_images(80);
  testing::write_gzip(dir.path() / "img.gz", t.images_file());
  testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
}

TEST(ImageRun, AFlatModelLearnsATinyIdxSet) {
  testing::TempDir dir;
  write_tiny_set(dir);
  dir.file("exp.yaml", kImages);
  const testing::CliResult r = testing::run_gradlab("run exp.yaml --out out", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string metrics = testing::read_text(dir.path() / "out" / "metrics.csv");
  EXPECT_EQ(metrics.rfind("epoch,train_loss,val_loss,train_acc,val_acc", 0), 0u) << metrics;
  EXPECT_NE(metrics.find("\n15,"), std::string::npos) << metrics;
  EXPECT_EQ(last_value(metrics, "train_acc"), 1.0) << metrics;
  EXPECT_EQ(last_value(metrics, "val_acc"), 1.0) << metrics;
  EXPECT_LT(last_value(metrics, "val_loss"), 0.2) << metrics;
  const std::string resolved = testing::read_text(dir.path() / "out" / "config.resolved.yaml");
  EXPECT_NE(resolved.find("limit: 0"), std::string::npos) << resolved;
}

TEST(ImageRun, FlatInputTakesTheSameImagesWithTheSameNumbers) {
  testing::TempDir dir;
  write_tiny_set(dir);
  dir.file("exp.yaml", kImages);
  ASSERT_EQ(testing::run_gradlab("run exp.yaml --out a", dir.path()).code, 0);
  dir.file("flat.yaml", replaced(replaced(kImages, "input: [1, 4, 5]", "input: 20"), "{type: flatten}, ", ""));
  const testing::CliResult r = testing::run_gradlab("run flat.yaml --out b", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(testing::read_text(dir.path() / "b" / "metrics.csv"), testing::read_text(dir.path() / "a" / "metrics.csv"));
}

TEST(ImageRun, AnotherLayoutOfTheSameValuesIsRefusedAtModelInput) {
  testing::TempDir dir;
  write_tiny_set(dir);
  dir.file("exp.yaml", replaced(kImages, "input: [1, 4, 5]", "input: [4, 5, 1]"));
  const testing::CliResult r = testing::run_gradlab("run exp.yaml --out out", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "exp.yaml:6:10: model.input: the model takes samples of shape [4,5,1] (20 values), the training data's "
            "are [1,4,5] (20 values): write input: [1,4,5]\n");
  dir.file("exp.yaml", replaced(kImages, "input: [1, 4, 5]", "input: [1, 5, 5]"));
  EXPECT_EQ(testing::run_gradlab("run exp.yaml --out out", dir.path()).err,
            "exp.yaml:6:10: model.input: the model takes samples of shape [1,5,5] (25 values), the training data's "
            "are [1,4,5] (20 values)\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

// An image read as a sequence of its rows: [1, 4, 5] reshaped to 4 steps of 5 pixels, a GRU.
TEST(ImageRun, AGruReadsTheImagesRowByRow) {
  testing::TempDir dir;
  write_tiny_set(dir);
  dir.file("exp.yaml", replaced(replaced(kImages, "[{type: flatten}, {type: dense, units: 3}]",
                                         "[{type: reshape, shape: [4, 5]}, {type: gru, units: 8}, {type: dense, units: 3}]"),
                                "{type: sgd, lr: 0.5}", "{type: adam, lr: 0.05}"));
  const testing::CliResult r = testing::run_gradlab("run exp.yaml --out out --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string metrics = testing::read_text(dir.path() / "out" / "metrics.csv");
  EXPECT_GT(last_value(metrics, "train_acc"), 0.9) << metrics;
  EXPECT_GT(last_value(metrics, "val_acc"), 0.9) << metrics;
}

TEST(ImageRun, FashionMnistTrainsOnFiveHundredImages) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed (scripts/setup installs it)";
  testing::TempDir dir;
  dir.file("exp.yaml",
           "name: fashion\n"
           "seed: 1\n"
           "data:\n"
           "  train: {type: fashion_mnist, split: train, limit: 500}\n"
           "  val: {type: fashion_mnist, split: test, limit: 500}\n"
           "model:\n"
           "  input: [1, 28, 28]\n"
           "  layers: [{type: flatten}, {type: dense, units: 10}]\n"
           "loss: cross_entropy\n"
           "optimizer: {type: adam, lr: 0.01}\n"
           "train: {epochs: 5, batch_size: 50}\n");
  const testing::CliResult r = testing::run_gradlab("run exp.yaml --out out", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string metrics = testing::read_text(dir.path() / "out" / "metrics.csv");
  // A linear model on 500 images: far above the 0.1 of chance, as Fashion-MNIST's own benchmarks.
  EXPECT_GT(last_value(metrics, "train_acc"), 0.75) << metrics;
  EXPECT_GT(last_value(metrics, "val_acc"), 0.6) << metrics;
}

}  // namespace
}  // namespace gradlab
