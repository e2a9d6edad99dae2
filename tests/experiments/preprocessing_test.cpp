// Preprocessing fit on the training set: val and test are scaled with the training rows'
// statistics (sklearn's StandardScaler / MinMaxScaler fit on train), class names are mapped by
// the training file's sorted names (LabelEncoder), and preprocessing.json holds it all exactly.
#include <gtest/gtest.h>

#include <cmath>

#include "experiments/config/data_section.hpp"
#include "experiments/config/config_util.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

// The x and y of every row of a set, in its order.
struct Rows {
  Tensor x, y;
};
Rows rows_of(const Dataset& d) {
  std::vector<int64_t> all(static_cast<size_t>(d.size()));
  for (int64_t i = 0; i < d.size(); ++i) all[static_cast<size_t>(i)] = i;
  Rows r;
  gather_batch(d, all, 0, d.size(), d.sample_shape(), r.x, r.y);
  return r;
}

// train.csv: a = 1..4 (mean 2.5, population deviation sqrt(1.25)), b constant 10.
// val.csv: another distribution, that its own statistics would have rescaled to look the same.
DataSplits load_two_files(const testing::TempDir& dir, const std::string& normalize) {
  dir.file("train.csv", "a,b,y\n1,10,0\n2,10,1\n3,10,0\n4,10,1\n");
  dir.file("val.csv", "a,b,y\n12,20,1\n2.5,10,0\n0,0,1\n");
  const std::string yaml = dir.file("d.yaml", "train: {type: csv, path: train.csv, label: y, normalize: " + normalize +
                                                  "}\nval: {type: csv, path: val.csv, label: y, normalize: " +
                                                  normalize + "}\n");
  return load_data(Config::load_file(yaml), Rng(1));
}

TEST(Preprocessing, StandardizeScalesValidationWithTheTrainingStatistics) {
  testing::TempDir dir;
  const DataSplits s = load_two_files(dir, "standardize");
  const Rows val = rows_of(s.val);
  const double sd = std::sqrt(1.25);  // ddof 0, as StandardScaler
  EXPECT_DOUBLE_EQ(val.x.at(0, 0), (12 - 2.5) / sd);  // 8.497058314499201
  EXPECT_DOUBLE_EQ(val.x.at(1, 0), 0.0);
  EXPECT_DOUBLE_EQ(val.x.at(2, 0), -2.5 / sd);
  EXPECT_EQ(val.x.at(0, 1), 10.0);  // a constant training column: scale 1, as sklearn
  EXPECT_EQ(val.x.at(1, 1), 0.0);
  EXPECT_EQ(val.x.at(2, 1), -10.0);
  const Rows train = rows_of(s.train);
  EXPECT_DOUBLE_EQ(train.x.at(0, 0), -1.5 / sd);
  EXPECT_EQ(train.x.at(3, 1), 0.0);
  EXPECT_EQ(s.preprocessing.normalize, "standardize");
  EXPECT_EQ(s.preprocessing.columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.preprocessing.scaling.a, (std::vector<double>{2.5, 10}));
  EXPECT_EQ(s.preprocessing.scaling.b, (std::vector<double>{sd, 1}));
}

TEST(Preprocessing, MinmaxScalesValidationWithTheTrainingRange) {
  testing::TempDir dir;
  const Rows val = rows_of(load_two_files(dir, "minmax").val);
  EXPECT_DOUBLE_EQ(val.x.at(0, 0), 11.0 / 3);  // (12 - 1) / (4 - 1): outside [0, 1], as MinMaxScaler
  EXPECT_DOUBLE_EQ(val.x.at(1, 0), 0.5);
  EXPECT_DOUBLE_EQ(val.x.at(2, 0), -1.0 / 3);
  EXPECT_EQ(val.x.at(0, 1), 10.0);  // range 0: scale 1
}

TEST(Preprocessing, ASplitFitsOnTheRowsThatTrain) {
  testing::TempDir dir;
  dir.file("x.csv", "a,y\n1,0\n2,1\n3,0\n4,1\n");
  const std::string yaml =
      dir.file("d.yaml", "split: {source: {type: csv, path: x.csv, label: y, normalize: standardize}, val: 0.5, shuffle: false}\n");
  const DataSplits s = load_data(Config::load_file(yaml), Rng(1));
  // train rows a = 1, 2: mean 1.5, deviation 0.5
  EXPECT_EQ(rows_of(s.train).x.at(0, 0), -1.0);
  EXPECT_EQ(rows_of(s.val).x.at(0, 0), 3.0);
  EXPECT_EQ(rows_of(s.val).x.at(1, 0), 5.0);
}

TEST(Preprocessing, ValidationMustNotAskForAnotherScaling) {
  testing::TempDir dir;
  dir.file("train.csv", "a,y\n1,0\n2,1\n");
  dir.file("val.csv", "a,y\n1,0\n2,1\n");
  const std::string yaml = dir.file(
      "d.yaml", "train: {type: csv, path: train.csv, label: y}\nval: {type: csv, path: val.csv, label: y, normalize: minmax}\n");
  try {
    load_data(Config::load_file(yaml), Rng(1));
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.substr(msg.find("d.yaml")),
              "d.yaml:2:54: val.normalize: minmax, but the training set's source has normalize: none (the training "
              "set's statistics scale every split: give normalize: there)");
  }
}

TEST(Preprocessing, ClassNamesAreSortedIndicesOfTheTrainingFile) {
  testing::TempDir dir;
  dir.file("train.csv", "a,species\n1,versicolor\n2,setosa\n3,virginica\n4,setosa\n");
  dir.file("val.csv", "a,species\n1,virginica\n2,setosa\n");  // two of the three: still 3 classes
  const std::string yaml = dir.file(
      "d.yaml", "train: {type: csv, path: train.csv, label: species}\nval: {type: csv, path: val.csv, label: species}\n");
  const DataSplits s = load_data(Config::load_file(yaml), Rng(1));
  EXPECT_EQ(s.preprocessing.classes, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  EXPECT_EQ(s.train.num_classes, 3);
  EXPECT_EQ(s.val.num_classes, 3);
  const Rows train = rows_of(s.train), val = rows_of(s.val);
  ASSERT_EQ(train.y.shape(), (Shape{4}));
  EXPECT_EQ(train.y[0], 1.0);
  EXPECT_EQ(train.y[1], 0.0);
  EXPECT_EQ(train.y[2], 2.0);
  ASSERT_EQ(val.y.shape(), (Shape{2}));  // val alone has two names, but the classes are training's
  EXPECT_EQ(val.y[0], 2.0);
  EXPECT_EQ(val.y[1], 0.0);
}

TEST(Preprocessing, TwoClassNamesAreABinaryTask) {
  testing::TempDir dir;
  dir.file("train.csv", "a,y\n1,yes\n2,no\n3,yes\n");
  const std::string yaml = dir.file("d.yaml", "train: {type: csv, path: train.csv, label: y}\n");
  const Rows train = rows_of(load_data(Config::load_file(yaml), Rng(1)).train);
  ASSERT_EQ(train.y.shape(), (Shape{3, 1}));
  EXPECT_EQ(train.y[0], 1.0);  // "no" < "yes"
  EXPECT_EQ(train.y[1], 0.0);
}

std::string load_error(const std::string& train, const std::string& val) {
  testing::TempDir dir;
  dir.file("train.csv", train);
  dir.file("val.csv", val);
  const std::string yaml =
      dir.file("d.yaml", "train: {type: csv, path: train.csv, label: y}\nval: {type: csv, path: val.csv, label: y}\n");
  try {
    load_data(Config::load_file(yaml), Rng(1));
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    return msg.substr(msg.find("d.yaml"));
  }
  return "(no error)";
}

TEST(Preprocessing, ALabelTheTrainingFileDoesNotHaveIsRefusedNamingFileRowAndValue) {
  EXPECT_EQ(load_error("a,y\n1,cat\n2,dog\n", "a,y\n1,dog\n2,cow\n"),
            "d.yaml:2:24: val.path: val.csv:3: label 'cow' is not a class of the training set (cat, dog)");
  EXPECT_EQ(load_error("a,y\n1,0\n2,1\n", "a,y\n1,dog\n2,cat\n"),
            "d.yaml:2:24: val.path: val.csv: its labels are names (cat, dog) but the training set's are numbers");
  EXPECT_EQ(load_error("a,y\n1,cat\n2,dog\n", "a,y\n1,1\n2,0\n"),
            "d.yaml:2:24: val.path: val.csv:2: label '1' is not a class of the training set (cat, dog)");
}

TEST(Preprocessing, AValFileOfOneClassIsFineATrainingFileIsNot) {
  EXPECT_EQ(load_error("a,y\n1,cat\n2,dog\n", "a,y\n1,dog\n2,dog\n"), "(no error)");
  EXPECT_EQ(load_error("a,y\n1,cat\n2,cat\n", "a,y\n1,cat\n"),
            "d.yaml:1:26: train.path: train.csv: every label is 'cat': a classifier needs two classes at the least");
}

TEST(Preprocessing, JsonHoldsTheStatisticsExactlyAndReadsBack) {
  Preprocessing p;
  p.normalize = "standardize";
  p.columns = {"a", "b"};
  p.scaling.k = {0, 600};
  p.scaling.a = {2.5, 0.1};
  p.scaling.b = {std::sqrt(1.25), 1};
  p.classes = {"setosa", "versicolor"};
  const std::string text = preprocessing_json(p);
  EXPECT_EQ(text.rfind("{\n  \"normalize\": \"standardize\",\n  \"features\": [\n    {\n      \"name\": \"a\",\n      \"mean\": 2.5,\n", 0), 0u) << text;
  EXPECT_NE(text.find("\"scale\": 1.118033988749895\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"prescale\": 600"), std::string::npos) << text;
  EXPECT_NE(text.find("\"classes\": [\n    \"setosa\",\n    \"versicolor\"\n  ]"), std::string::npos) << text;
  const Preprocessing back = parse_preprocessing_json(text, "p.json");
  EXPECT_EQ(back.columns, p.columns);
  EXPECT_EQ(back.scaling.k, p.scaling.k);
  EXPECT_EQ(back.scaling.a, p.scaling.a);  // bit for bit
  EXPECT_EQ(back.scaling.b, p.scaling.b);
  EXPECT_EQ(back.classes, p.classes);
  try {
    parse_preprocessing_json("{\"normalize\": \"standardize\", \"features\": [{\"name\": \"a\", \"mean\": 1, \"scale\": 0}]}",
                             "run/preprocessing.json");
    FAIL();
  } catch (const PreprocessingError& e) {
    EXPECT_STREQ(e.what(), "run/preprocessing.json: feature 'a': mean and scale must be finite, scale > 0");
  }
}

}  // namespace
}  // namespace gradlab
