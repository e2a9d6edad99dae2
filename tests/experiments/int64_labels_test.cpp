// Class labels are int64 from the source to the batch (experiments/datasets/): multi-class sources
// store int64 ids [n], binary and regression targets stay float64 [n, 1], and a batch taken with
// target_dtype (experiments/run/run_dtype.hpp) holds the ids as they are.
#include <gtest/gtest.h>

#include <algorithm>

#include "experiments/config/data_section.hpp"
#include "experiments/datasets/source_support.hpp"
#include "experiments/run/run_dtype.hpp"
#include "plugins/registry.hpp"
#include "tests/experiments/idx_support.hpp"

namespace gradlab {
namespace {

Dataset load_source(const std::string& yaml_file) {
  auto src = Registry::instance().create<DatasetSource>(Config::load_file(yaml_file));
  Rng rng(1);
  return src->load(rng);
}

// Every row of d in the set's order as one batch, y in the dtype training would use (float64 run).
Tensor all_targets(const Dataset& d) {
  std::vector<int64_t> order(static_cast<size_t>(d.size()));
  for (int64_t i = 0; i < d.size(); ++i) order[static_cast<size_t>(i)] = i;
  Tensor x = batch_tensor(DType::float64), y = batch_tensor(target_dtype(d, DType::float64));
  gather_batch(d, order, 0, d.size(), d.sample_shape(), x, y);
  return y;
}

std::vector<int64_t> ids_of(const Tensor& y) { return {y.data<int64_t>(), y.data<int64_t>() + y.numel()}; }

TEST(Int64Labels, IdxBatchHoldsTheLabelFilesIdsAsInt64) {
  testing::TempDir dir("int64-labels");
  const testing::TinyImages t = testing::tiny_images(7);  // labels i % 3: 0 1 2 0 1 2 0
  testing::write_gzip(dir.path() / "img.gz", t.images_file());
  testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
  const Dataset d = load_source(dir.file("src.yaml", "{type: idx, images: img.gz, labels: lbl.gz}"));
  EXPECT_EQ(d.samples().y.dtype(), DType::int64);
  const Tensor y = all_targets(d);
  ASSERT_EQ(y.dtype(), DType::int64);
  ASSERT_EQ(y.shape(), (Shape{7}));
  EXPECT_EQ(ids_of(y), (std::vector<int64_t>{0, 1, 2, 0, 1, 2, 0}));
  // a batch of rows out of order takes each row's own id
  Tensor x = batch_tensor(DType::float32), yb = batch_tensor(target_dtype(d, DType::float32));
  gather_batch(d, {5, 1, 3}, 0, 3, d.sample_shape(), x, yb);
  EXPECT_EQ(ids_of(yb), (std::vector<int64_t>{2, 1, 0}));
}

TEST(Int64Labels, CsvNumericAndNamedClassesAreInt64Ids) {
  testing::TempDir dir("int64-labels");
  dir.file("num.csv", "a,label\n1,2\n2,0\n3,1\n4,2\n");
  const Dataset num = load_source(dir.file("num.yaml", "{type: csv, path: num.csv}"));
  EXPECT_EQ(ids_of(all_targets(num)), (std::vector<int64_t>{2, 0, 1, 2}));
  dir.file("names.csv", "a,label\n1,dog\n2,ant\n3,cat\n4,dog\n");
  const Dataset names = load_source(dir.file("names.yaml", "{type: csv, path: names.csv}"));
  EXPECT_EQ(ids_of(all_targets(names)), (std::vector<int64_t>{2, 0, 1, 2}));  // ant < cat < dog
  // two classes asked to be multi-class: ids [n] for cross_entropy, not bce's [n, 1]
  dir.file("two.csv", "a,label\n1,1\n2,0\n");
  const Dataset two = load_source(dir.file("two.yaml", "{type: csv, path: two.csv, task: multiclass}"));
  EXPECT_EQ(all_targets(two).shape(), (Shape{2}));
  EXPECT_EQ(ids_of(all_targets(two)), (std::vector<int64_t>{1, 0}));
}

TEST(Int64Labels, CsvBinaryAndRegressionTargetsStayFloat) {
  testing::TempDir dir("int64-labels");
  dir.file("bin.csv", "a,label\n1,1\n2,0\n");
  const Dataset bin = load_source(dir.file("bin.yaml", "{type: csv, path: bin.csv}"));
  EXPECT_EQ(bin.samples().y.dtype(), DType::float64);
  EXPECT_EQ(bin.samples().y.shape(), (Shape{2, 1}));
  EXPECT_EQ(target_dtype(bin, DType::float32), DType::float32);  // cast per batch to the run's
  dir.file("reg.csv", "a,label\n1,2.5\n2,7\n");
  const Dataset reg = load_source(dir.file("reg.yaml", "{type: csv, path: reg.csv, task: regression}"));
  EXPECT_EQ(reg.samples().y.dtype(), DType::float64);
  EXPECT_EQ(all_targets(reg).get(0), 2.5);
}

TEST(Int64Labels, NamedValidationLabelsMapToTheTrainingIdsAsInt64) {
  testing::TempDir dir("int64-labels");
  dir.file("train.csv", "a,label\n1,dog\n2,ant\n3,cat\n");
  dir.file("val.csv", "a,label\n1,cat\n2,dog\n");
  const std::string yaml = dir.file("exp.yaml", "train: {type: csv, path: train.csv}\nval: {type: csv, path: val.csv}");
  const DataSplits s = load_data(Config::load_file(yaml), Rng(1));
  EXPECT_EQ(ids_of(all_targets(s.val)), (std::vector<int64_t>{1, 2}));  // the training file's ids
}

TEST(Int64Labels, Toy2dMultiClassIsInt64AndTwoClassesStayFloat) {
  testing::TempDir dir("int64-labels");
  const Dataset spirals = load_source(dir.file("s.yaml", "{type: spirals, samples: 90, classes: 3}"));
  const Tensor y = all_targets(spirals);
  ASSERT_EQ(y.dtype(), DType::int64);
  std::vector<int64_t> count(3, 0);
  for (int64_t id : ids_of(y)) ++count.at(static_cast<size_t>(id));  // at(): an id outside 0..2 throws
  EXPECT_EQ(count, (std::vector<int64_t>{30, 30, 30}));
  for (int64_t i = 0; i < spirals.size(); ++i) EXPECT_EQ(spirals.target(i), static_cast<double>(ids_of(y)[static_cast<size_t>(i)]));
  const Dataset blobs = load_source(dir.file("b.yaml", "{type: blobs, samples: 20, classes: 2}"));
  EXPECT_EQ(blobs.samples().y.dtype(), DType::float64);
  EXPECT_EQ(all_targets(blobs).shape(), (Shape{20, 1}));
}

TEST(Int64Labels, SixtyThousandLabelsAreSixtyThousandInt64) {
  std::vector<int64_t> labels(60000);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int64_t>(i % 10);
  const Tensor y = datasets::class_targets(labels, 10);
  EXPECT_EQ(y.dtype(), DType::int64);
  EXPECT_EQ(y.numel(), 60000);
  EXPECT_EQ(y.shape(), (Shape{60000}));
  EXPECT_EQ(y.data<int64_t>()[59999], 9);
}

TEST(Int64Labels, FashionMnistHoldsItsSixtyThousandLabelsAsInt64) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed (scripts/setup installs it)";
  testing::TempDir dir("int64-labels");
  const Dataset d = load_source(dir.file("f.yaml", "{type: fashion_mnist}"));
  EXPECT_EQ(d.samples().y.dtype(), DType::int64);
  EXPECT_EQ(d.samples().y.numel(), 60000);
  const int64_t* ids = d.samples().y.data<int64_t>();
  EXPECT_TRUE(std::all_of(ids, ids + 60000, [](int64_t id) { return id >= 0 && id < 10; }));
}

}  // namespace
}  // namespace gradlab
