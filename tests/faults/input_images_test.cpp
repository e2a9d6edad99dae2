// Image files: a truncated IDX file (raw or gzip), a wrong magic number, values that are not
// unsigned bytes, image and label files of different counts, a missing file or Fashion-MNIST
// folder: each is exit 2 with one line naming the config key and the file, and no run folder.
#include <gtest/gtest.h>

#include "tests/experiments/idx_support.hpp"
#include "tests/faults/input_support.hpp"

namespace gradlab {
namespace {

using testing::expect_refused_run;
using testing::idx_bytes;

const char* kIdxExperiment =
    "name: images\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: idx, images: img.gz, labels: lbl.gz}\n"
    "model:\n"
    "  input: [1, 4, 5]\n"
    "  layers: [{type: flatten}, {type: dense, units: 3}]\n"
    "loss: cross_entropy\n"
    "optimizer: {type: sgd, lr: 0.1}\n"
    "train: {epochs: 1, batch_size: 4}\n";

const std::string kImagesAt = "exp.yaml:4:30: data.train.images: ", kLabelsAt = "exp.yaml:4:46: data.train.labels: ";

// A directory with the experiment and a good gzip pair of 12 images; tests then spoil one file.
struct ImageDir {
  testing::TempDir dir;
  testing::TinyImages t = testing::tiny_images(12);
  ImageDir() {
    dir.file("exp.yaml", kIdxExperiment);
    testing::write_gzip(dir.path() / "img.gz", t.images_file());
    testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
  }
};

TEST(InputImages, TheGoodPairTrains) {
  ImageDir d;
  const testing::CliResult r = testing::run_gradlab("run exp.yaml --out out", d.dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(InputImages, ATruncatedFileIsExit2NamingIt) {
  ImageDir d;
  const std::string whole = d.t.images_file(), cut = whole.substr(0, whole.size() - 7);
  testing::write_gzip(d.dir.path() / "img.gz", cut);
  expect_refused_run(d.dir, "exp.yaml", 2,
                     kImagesAt + "img.gz: truncated: its header declares 12 items (240 bytes of values), the file holds 233\n");
  d.dir.file("img.raw", cut);
  expect_refused_run(d.dir, "exp.yaml --set data.train.images=img.raw", 2,
                     kImagesAt + "img.raw: truncated: its header declares 12 items (240 bytes of values), the file holds 233\n");
  // A gzip stream cut short, as an interrupted download leaves it.
  testing::write_gzip(d.dir.path() / "img.gz", whole);
  const std::string gz = testing::read_text(d.dir.path() / "img.gz");
  d.dir.file("img.gz", gz.substr(0, gz.size() - 20));
  expect_refused_run(d.dir, "exp.yaml", 2, kImagesAt + "img.gz: truncated: its header declares 12 items");
}

TEST(InputImages, AWrongMagicNumberIsExit2NamingIt) {
  ImageDir d;
  expect_refused_run(d.dir, "exp.yaml --set data.train.images=lbl.gz", 2,
                     kImagesAt + "lbl.gz: wrong magic number 0x00000801, expected 0x00000803 (unsigned bytes in 3 dimensions)\n");
  d.dir.file("photo.png", "\x89PNG\r\n\x1a\n and more");
  expect_refused_run(d.dir, "exp.yaml --set data.train.labels=photo.png", 2,
                     kLabelsAt + "photo.png: wrong magic number 0x89504e47, expected 0x00000801 (unsigned bytes in 1 dimensions)\n");
}

TEST(InputImages, ValuesThatAreNotUnsignedBytesAreExit2) {
  ImageDir d;
  d.dir.file("img.f32", idx_bytes(0x0d03, {12, 4, 5}, std::vector<uint8_t>(4 * 240)));
  expect_refused_run(d.dir, "exp.yaml --set data.train.images=img.f32", 2,
                     kImagesAt + "img.f32: holds float values (magic number 0x00000d03), expected unsigned bytes (0x00000803)\n");
}

TEST(InputImages, ImageAndLabelFilesOfDifferentCountsAreExit2) {
  ImageDir d;
  std::vector<uint8_t> labels = d.t.labels;
  labels.pop_back();
  testing::write_gzip(d.dir.path() / "lbl.gz", idx_bytes(0x801, {11}, labels));
  expect_refused_run(d.dir, "exp.yaml", 2, kLabelsAt + "lbl.gz: 11 labels, but img.gz has 12 images\n");
  // limit reads only the first images, but the two files must still describe the same set.
  expect_refused_run(d.dir, "exp.yaml --set data.train.limit=5", 2, kLabelsAt + "lbl.gz: 11 labels, but img.gz has 12 images\n");
}

TEST(InputImages, FilesOfNoImagesAreAnEmptyDataSet) {
  ImageDir d;
  d.dir.file("img0", idx_bytes(0x803, {0, 4, 5}, {}));
  d.dir.file("lbl0", idx_bytes(0x801, {0}, {}));
  expect_refused_run(d.dir, "exp.yaml --set data.train.images=img0 --set data.train.labels=lbl0", 2,
                     "exp.yaml:4:10: data.train: the data set is empty\n");
}

TEST(InputImages, AValidationSetOfAnotherSampleShapeIsExit2) {
  ImageDir d;
  d.dir.file("val.yaml", testing::replaced(kIdxExperiment, "labels: lbl.gz}\n",
                                           "labels: lbl.gz}\n  val: {type: vh_lines, samples: 10}\n"));
  expect_refused_run(d.dir, "val.yaml", 2, "val.yaml:5:8: data.val: samples of shape [9], but the training set's are [1,4,5]\n");
}

TEST(InputImages, ALabelOutsideTheModelsClassesNamesItsItem) {
  ImageDir d;
  std::vector<uint8_t> labels = d.t.labels;
  labels[7] = 9;
  testing::write_gzip(d.dir.path() / "lbl.gz", idx_bytes(0x801, {12}, labels));
  expect_refused_run(d.dir, "exp.yaml", 2,
                     "exp.yaml:7:29: model.layers[1]: the model has 3 outputs but labels go up to 9: set the last "
                     "dense layer's units to 10 (label 9 at lbl.gz: item 8; 1 of 12 labels are 3 or more)\n");
}

TEST(InputImages, AMissingFileOrFashionMnistFolderIsExit2) {
  ImageDir d;
  expect_refused_run(d.dir, "exp.yaml --set data.train.labels=none.gz", 2, kLabelsAt + "cannot read 'none.gz': no such file\n");
  std::filesystem::create_directories(d.dir.path() / "dir.gz");
  expect_refused_run(d.dir, "exp.yaml --set data.train.images=dir.gz", 2, kImagesAt + "cannot read 'dir.gz': is a directory\n");
  d.dir.file("fm.yaml", testing::replaced(kIdxExperiment, "{type: idx, images: img.gz, labels: lbl.gz}",
                                          "{type: fashion_mnist, path: /nonexistent/fm}"));
  expect_refused_run(d.dir, "fm.yaml", 2,
                     "fm.yaml:4:38: data.train.path: cannot read '/nonexistent/fm': no such folder (Debian's package "
                     "dataset-fashion-mnist installs it)\n");
  std::filesystem::create_directories(d.dir.path() / "fm");
  d.dir.file("fm/train-labels-idx1-ubyte.gz", d.t.labels_file());
  expect_refused_run(d.dir, "fm.yaml --set data.train.path=fm", 2,
                     "fm.yaml:4:38: data.train.path: cannot read 'fm/train-images-idx3-ubyte.gz': no such file\n");
}

}  // namespace
}  // namespace gradlab
