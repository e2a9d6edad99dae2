// Data sources: the course's vh_lines semantics, the toy sets, CSV files and their located
// errors, and the split of one source by fraction.
#include <gtest/gtest.h>

#include "experiments/config/data_section.hpp"
#include "plugins/registry.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

// A data set's rows in its order, as the float64 tensors a batch of all of them would be.
struct Rows {
  Tensor x, y;
  int64_t num_classes;
};

Rows rows_of(const Dataset& d) {
  std::vector<int64_t> all(static_cast<size_t>(d.size()));
  for (int64_t i = 0; i < d.size(); ++i) all[static_cast<size_t>(i)] = i;
  Rows r{Tensor(), Tensor(), d.num_classes};
  gather_batch(d, all, 0, d.size(), d.sample_shape(), r.x, r.y);
  return r;
}

Rows load(const std::string& yaml, uint64_t seed = 1) {
  auto src = Registry::instance().create<DatasetSource>(Config::parse(yaml, "d.yaml"));
  Rng rng(seed);
  return rows_of(src->load(rng));
}

TEST(VhLines, WithoutNoiseEveryImageIsOneFullLineAndHalfAreVertical) {
  Rows d = load("{type: vh_lines, samples: 30, noise: 0, seed: 5}");
  ASSERT_EQ(d.x.shape(), (Shape{30, 9}));
  ASSERT_EQ(d.y.shape(), (Shape{30, 1}));
  int vertical = 0;
  for (int64_t i = 0; i < 30; ++i) {
    int ones = 0, line = -1;
    for (int p = 0; p < 9; ++p) ones += d.x.at(i, p) == 1.0;
    EXPECT_EQ(ones, 3);
    // label 1: a column p, p+3, p+6 is lit; label 0: a row.
    for (int k = 0; k < 3; ++k) {
      const bool col = d.x.at(i, k) == 1 && d.x.at(i, k + 3) == 1 && d.x.at(i, k + 6) == 1;
      const bool row = d.x.at(i, 3 * k) == 1 && d.x.at(i, 3 * k + 1) == 1 && d.x.at(i, 3 * k + 2) == 1;
      if (col) line = 1;
      if (row) line = 0;
    }
    EXPECT_EQ(line, d.y[i]);
    vertical += d.y[i] == 1;
  }
  EXPECT_EQ(vertical, 15);
}

TEST(VhLines, NoiseIsClippedToTheUnitIntervalAndRowsAreShuffled) {
  Rows d = load("{type: vh_lines, samples: 200, noise: 0.3, seed: 5}");
  double lo = 1, hi = 0;
  for (double v : d.x.span()) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_EQ(lo, 0.0);
  EXPECT_EQ(hi, 1.0);
  int first_half_vertical = 0;
  for (int64_t i = 0; i < 100; ++i) first_half_vertical += d.y[i] == 1;
  EXPECT_GT(first_half_vertical, 30);  // shuffled: not all 100
  EXPECT_LT(first_half_vertical, 70);
}

TEST(VhLines, OwnSeedIgnoresTheExperimentStream) {
  Rows a = load("{type: vh_lines, samples: 10, noise: 0.2, seed: 5}", 1);
  Rows b = load("{type: vh_lines, samples: 10, noise: 0.2, seed: 5}", 2);
  Rows c = load("{type: vh_lines, samples: 10, noise: 0.2}", 2);
  EXPECT_EQ(std::vector<double>(a.x.span().begin(), a.x.span().end()),
            std::vector<double>(b.x.span().begin(), b.x.span().end()));
  EXPECT_NE(std::vector<double>(a.x.span().begin(), a.x.span().end()),
            std::vector<double>(c.x.span().begin(), c.x.span().end()));
}

TEST(Toy2d, ShapesLabelsAndClassCounts) {
  Rows x = load("{type: xor, samples: 100, noise: 0}");
  for (int64_t i = 0; i < 100; ++i) EXPECT_EQ(x.y[i], (x.x.at(i, 0) > 0) != (x.x.at(i, 1) > 0) ? 1.0 : 0.0);
  Rows m = load("{type: moons, samples: 101, noise: 0}");
  double ones = 0;
  for (int64_t i = 0; i < 101; ++i) ones += m.y[i];
  EXPECT_EQ(ones, 50);
  Rows s = load("{type: spirals, samples: 90, classes: 3}");
  EXPECT_EQ(s.y.shape(), (Shape{90}));
  EXPECT_EQ(s.num_classes, 3);
  Rows b = load("{type: blobs, samples: 60, classes: 2}");
  EXPECT_EQ(b.y.shape(), (Shape{60, 1}));
}

TEST(Csv, ReadsFeaturesAndLabelsRelativeToTheYamlFile) {
  testing::TempDir dir;
  dir.file("data/x.csv", "a,label,b\n1,0,2\n3,1,4\n5,1,6\n");
  const std::string yaml = dir.file("exp.yaml", "train: {type: csv, path: data/x.csv, normalize: minmax}");
  Rows d = rows_of(load_data(Config::load_file(yaml), Rng(1)).train);
  ASSERT_EQ(d.x.shape(), (Shape{3, 2}));
  EXPECT_EQ(d.y.shape(), (Shape{3, 1}));
  EXPECT_EQ(d.x.at(1, 0), 0.5);  // (3 - 1) / (5 - 1)
  EXPECT_EQ(d.x.at(2, 1), 1.0);
  EXPECT_EQ(d.y[1], 1.0);
}

std::string csv_error(const std::string& csv, const std::string& extra = "") {
  testing::TempDir dir;
  dir.file("x.csv", csv);
  const std::string yaml = dir.file("exp.yaml", "{type: csv, path: x.csv" + extra + "}");
  try {
    auto src = Registry::instance().create<DatasetSource>(Config::load_file(yaml));
    Rng rng(1);
    src->load(rng);
  } catch (const ConfigError& e) {
    std::string msg = e.what();
    return msg.substr(msg.find("exp.yaml"));
  }
  return "(no error)";
}

TEST(Csv, BadFilesAreLocatedErrors) {
  EXPECT_EQ(csv_error("a,b\n1,2\n"), "exp.yaml:1:19: path: x.csv: no column 'label' in the header (a, b)");
  EXPECT_EQ(csv_error("a,label\n1,0\n2\n"), "exp.yaml:1:19: path: x.csv:3: expected 2 fields, got 1");
  EXPECT_EQ(csv_error("a,label\n1,0\nx,1\n"),
            "exp.yaml:1:19: path: x.csv:3: column 'a': expected a finite number, got \"x\"");
  EXPECT_EQ(csv_error("a,label\n"), "exp.yaml:1:19: path: x.csv: no data rows");
  EXPECT_EQ(csv_error("a,label\n1,2\n", ", task: binary"),
            "exp.yaml:1:19: path: x.csv: column 'label': binary labels must be 0 or 1, got 2");
}

TEST(DataSection, SplitDividesOneSourceByFraction) {
  DataSplits s = load_data(Config::parse("split: {source: {type: moons, samples: 100}, val: 0.2, test: 0.1}", "d.yaml"),
                           Rng(3));
  EXPECT_EQ(s.train.size(), 70);
  EXPECT_EQ(s.val.size(), 20);
  EXPECT_EQ(s.test.size(), 10);
  EXPECT_TRUE(s.has_val);
  EXPECT_TRUE(s.has_test);
}

TEST(DataSection, SplitAndSourcesTogetherAreAnError) {
  try {
    load_data(Config::parse("train: xor\nsplit: {source: xor, val: 0.9, test: 0.2}\n", "d.yaml"), Rng(1));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "d.yaml:1:8: train: give either `split:` or train/val/test sources, not both");
  }
  try {
    load_data(Config::parse("split: {source: xor, val: 0.9, test: 0.2}\n", "d.yaml"), Rng(1));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "d.yaml:1:8: split: val + test = 1.1 leaves no training data");
  }
}

}  // namespace
}  // namespace gradlab
