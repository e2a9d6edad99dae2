// Image sources: IDX files written here (raw and gzip) load exactly (pixel / 255, labels), stay
// bytes through splits (index lists over one copy), and every malformed file is one located line;
// Fashion-MNIST from Debian's package loads as 47 MB of bytes.
#include <gtest/gtest.h>

#include "experiments/config/data_section.hpp"
#include "experiments/datasets/idx_file.hpp"
#include "plugins/registry.hpp"
#include "tests/experiments/idx_support.hpp"

namespace gradlab {
namespace {

using testing::idx_bytes;

const char* kFashion = "/usr/share/datasets/fashion-mnist";

Dataset load_yaml(const testing::TempDir& dir, const std::string& source) {
  auto src = Registry::instance().create<DatasetSource>(Config::load_file(dir.file("exp.yaml", source)));
  Rng rng(1);
  return src->load(rng);
}

// Every row of d as float64 tensors, in the set's order.
void all_rows(const Dataset& d, Tensor& x, Tensor& y) {
  std::vector<int64_t> order(static_cast<size_t>(d.size()));
  for (int64_t i = 0; i < d.size(); ++i) order[static_cast<size_t>(i)] = i;
  gather_batch(d, order, 0, d.size(), d.sample_shape(), x, y);
}

void expect_exact(const Dataset& d, const testing::TinyImages& t) {
  ASSERT_EQ(d.size(), t.n);
  EXPECT_EQ(d.sample_shape(), (Shape{1, t.rows, t.cols}));
  EXPECT_EQ(d.num_classes, t.classes);
  EXPECT_TRUE(d.holds_bytes());
  EXPECT_EQ(d.samples().x.numel(), 0);
  Tensor x, y;
  all_rows(d, x, y);
  ASSERT_EQ(x.shape(), (Shape{t.n, 1, t.rows, t.cols}));
  ASSERT_EQ(y.shape(), (Shape{t.n}));
  for (int64_t i = 0; i < x.numel(); ++i) ASSERT_EQ(x[i], t.pixels[static_cast<size_t>(i)] / 255.0) << i;
  for (int64_t i = 0; i < t.n; ++i) EXPECT_EQ(y[i], t.labels[static_cast<size_t>(i)]);
}

TEST(IdxSource, RawFilesLoadAsPixelsOver255AndTheirLabels) {
  testing::TempDir dir;
  const testing::TinyImages t = testing::tiny_images(7);
  dir.file("data/img.idx", t.images_file());
  dir.file("data/lbl.idx", t.labels_file());
  expect_exact(load_yaml(dir, "{type: idx, images: data/img.idx, labels: data/lbl.idx}"), t);
}

TEST(IdxSource, GzipFilesLoadTheSame) {
  testing::TempDir dir;
  const testing::TinyImages t = testing::tiny_images(9, 3, 2, 3);
  testing::write_gzip(dir.path() / "img.gz", t.images_file());
  testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
  expect_exact(load_yaml(dir, "{type: idx, images: img.gz, labels: lbl.gz}"), t);
}

TEST(IdxSource, LimitTakesTheFirstImages) {
  testing::TempDir dir;
  testing::TinyImages t = testing::tiny_images(10);
  dir.file("img", t.images_file());
  testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
  const Dataset d = load_yaml(dir, "{type: idx, images: img, labels: lbl.gz, limit: 4}");
  t.n = 4;
  t.pixels.resize(static_cast<size_t>(4 * t.rows * t.cols));
  t.labels.resize(4);
  expect_exact(d, t);
  EXPECT_EQ(load_yaml(dir, "{type: idx, images: img, labels: lbl.gz, limit: 99}").size(), 10);
}

TEST(IdxSource, ASplitSharesTheBytesAndTakesDisjointRows) {
  testing::TempDir dir;
  const testing::TinyImages t = testing::tiny_images(50);
  dir.file("img", t.images_file());
  dir.file("lbl", t.labels_file());
  const std::string yaml = dir.file("d.yaml", "split: {source: {type: idx, images: img, labels: lbl}, val: 0.2, test: 0.1}");
  const DataSplits s = load_data(Config::load_file(yaml), Rng(3));
  ASSERT_EQ(s.train.size(), 35);
  ASSERT_EQ(s.val.size(), 10);
  ASSERT_EQ(s.test.size(), 5);
  EXPECT_EQ(&s.train.samples(), &s.val.samples());  // one copy of the pixels
  EXPECT_EQ(&s.train.samples(), &s.test.samples());
  std::vector<int64_t> seen;
  for (const Dataset* d : {&s.train, &s.val, &s.test}) seen.insert(seen.end(), d->rows().begin(), d->rows().end());
  std::sort(seen.begin(), seen.end());
  for (int64_t i = 0; i < 50; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], i);
  // Row r of a split is stored image rows()[r], pixels and label.
  Tensor x, y;
  all_rows(s.val, x, y);
  for (int64_t r = 0; r < 10; ++r) {
    const int64_t img = s.val.rows()[static_cast<size_t>(r)], per = t.rows * t.cols;
    EXPECT_EQ(y[r], t.labels[static_cast<size_t>(img)]);
    EXPECT_EQ(x[r * per + 3], t.pixels[static_cast<size_t>(img * per + 3)] / 255.0);
  }
}

std::string idx_error(const std::string& bytes, int rank, int64_t limit = 0, bool gzip = false) {
  testing::TempDir dir;
  if (gzip)
    testing::write_gzip(dir.path() / "f", bytes);
  else
    dir.file("f", bytes);
  try {
    read_idx((dir.path() / "f").string(), "f.idx", rank, limit);
  } catch (const IdxError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IdxFile, MalformedFilesSayWhatIsWrong) {
  const std::vector<uint8_t> six(6, 7);
  EXPECT_EQ(idx_error(idx_bytes(0x803, {2, 1, 3}, six), 3), "(no error)");
  EXPECT_EQ(idx_error(idx_bytes(0x803, {2, 1, 3}, {1, 2, 3, 4, 5}), 3),
            "f.idx: truncated: its header declares 2 items (6 bytes of values), the file holds 5");
  EXPECT_EQ(idx_error(idx_bytes(0x803, {2, 1, 3}, {1, 2, 3, 4, 5}), 3, 0, true),
            "f.idx: truncated: its header declares 2 items (6 bytes of values), the file holds 5");
  EXPECT_EQ(idx_error(idx_bytes(0x803, {2, 1, 3}, {1, 2, 3, 4, 5}), 3, 1, true), "(no error)");  // the first one is there
  EXPECT_EQ(idx_error(idx_bytes(0x803, {2, 1, 3}, {1, 2, 3, 4, 5}), 3, 1),  // a raw file's size is checked
            "f.idx: truncated: its header declares 2 items (6 bytes of values), the file holds 5");
  EXPECT_EQ(idx_error(idx_bytes(0x803, {1, 1, 3}, six), 3), "f.idx: 3 bytes follow the 1 items its header declares");
  EXPECT_EQ(idx_error(idx_bytes(0x803, {1, 1, 3}, six), 3, 0, true),
            "f.idx: more bytes follow the 1 items its header declares");
  EXPECT_EQ(idx_error(idx_bytes(0x801, {6}, six), 3),
            "f.idx: wrong magic number 0x00000801, expected 0x00000803 (unsigned bytes in 3 dimensions)");
  EXPECT_EQ(idx_error(idx_bytes(0x504b0304, {}, {}), 3),
            "f.idx: wrong magic number 0x504b0304, expected 0x00000803 (unsigned bytes in 3 dimensions)");
  EXPECT_EQ(idx_error(idx_bytes(0x0d03, {2, 1, 3}, six), 3),
            "f.idx: holds float values (magic number 0x00000d03), expected unsigned bytes (0x00000803)");
  EXPECT_EQ(idx_error(idx_bytes(0x0903, {2, 1, 3}, six), 3),
            "f.idx: holds signed byte values (magic number 0x00000903), expected unsigned bytes (0x00000803)");
  EXPECT_EQ(idx_error(std::string("\x00\x00", 2), 3), "f.idx: truncated: 2 bytes, too short for an IDX header");
  EXPECT_EQ(idx_error("", 1), "f.idx: truncated: 0 bytes, too short for an IDX header");
  EXPECT_EQ(idx_error(std::string("\x00\x00\x08\x03\x00\x00", 6), 3), "f.idx: truncated inside its header");
  EXPECT_EQ(idx_error(idx_bytes(0x803, {2, 0, 3}, {}), 3), "f.idx: items of shape [0,3] hold no values");
  const std::string forged = idx_error(idx_bytes(0x803, {1, 0xffffffff, 0xffffffff}, six), 3);
  EXPECT_EQ(forged.find("f.idx: its header declares 1 items of shape [4294967295,4294967295], more than the "), 0u)
      << forged;
}

TEST(IdxFile, CorruptGzipDataIsNamed) {
  testing::TempDir dir;
  std::vector<uint8_t> noise(3000);
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<uint8_t>((i * 2654435761u) >> 13);
  testing::write_gzip(dir.path() / "ok.gz", idx_bytes(0x801, {3000}, noise));
  std::string gz = testing::read_text(dir.path() / "ok.gz");
  gz.resize(gz.size() / 2);  // a download cut short
  const std::string cut = idx_error(gz, 1);
  EXPECT_EQ(cut.find("f.idx: truncated: its header declares 3000 items (3000 bytes of values), the file holds "), 0u)
      << cut;
  std::string flipped = testing::read_text(dir.path() / "ok.gz");
  for (size_t i = 12; i < flipped.size() - 8; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
  EXPECT_NE(idx_error(flipped, 1).find("f.idx: corrupt gzip data ("), std::string::npos) << idx_error(flipped, 1);
}

TEST(FashionMnist, SixtyThousandImagesStayBytes) {
  if (!std::filesystem::exists(std::string(kFashion) + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed (scripts/setup installs it)";
  testing::TempDir dir;
  const Dataset d = load_yaml(dir, "{type: fashion_mnist}");
  ASSERT_EQ(d.size(), 60000);
  EXPECT_EQ(d.sample_shape(), (Shape{1, 28, 28}));
  EXPECT_EQ(d.num_classes, 10);
  EXPECT_TRUE(d.holds_bytes());
  EXPECT_EQ(d.samples().bytes.size(), 60000u * 784u);  // 47 MB, not 376 MB of doubles
  EXPECT_EQ(d.samples().x.numel(), 0);
  EXPECT_EQ(d.samples().y.shape(), (Shape{60000}));
  const Dataset test = load_yaml(dir, "{type: fashion_mnist, split: test, limit: 500}");
  EXPECT_EQ(test.size(), 500);
  EXPECT_EQ(test.samples().bytes.size(), 500u * 784u);
  Tensor x, y;
  all_rows(test, x, y);
  int per_class[10] = {};
  for (int64_t i = 0; i < 500; ++i) ++per_class[static_cast<int>(y[i])];
  for (int c : per_class) EXPECT_GT(c, 20);  // every class, none rare
  double lo = 1, hi = 0;
  for (double v : x.span()) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_EQ(lo, 0.0);
  EXPECT_EQ(hi, 1.0);
}

}  // namespace
}  // namespace gradlab
