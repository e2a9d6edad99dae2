// adding: the adding problem's layout (two markers, one per half), its target, its seed, and the
// mean-prediction baseline of 1/6 that the course's rnn_vs_lstm lesson measures against.
#include <gtest/gtest.h>

#include "experiments/datasets/dataset.hpp"
#include "plugins/config.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Rows {
  Tensor x, y;
  int64_t num_classes;
};

Rows load(const std::string& yaml, uint64_t seed = 1) {
  auto src = Registry::instance().create<DatasetSource>(Config::parse(yaml, "d.yaml"));
  Rng rng(seed);
  Dataset d = src->load(rng);
  std::vector<int64_t> all(static_cast<size_t>(d.size()));
  for (int64_t i = 0; i < d.size(); ++i) all[static_cast<size_t>(i)] = i;
  Rows r{Tensor(), Tensor(), d.num_classes};
  gather_batch(d, all, 0, d.size(), d.sample_shape(), r.x, r.y);
  return r;
}

TEST(Adding, TwoMarkedStepsOnePerHalfAndTheirSumAsTarget) {
  Rows d = load("{type: adding, samples: 200, length: 9, seed: 3}");
  ASSERT_EQ(d.x.shape(), (Shape{200, 9, 2}));
  ASSERT_EQ(d.y.shape(), (Shape{200, 1}));
  EXPECT_EQ(d.num_classes, 0);  // regression
  for (int64_t i = 0; i < 200; ++i) {
    std::vector<int64_t> marked;
    double sum = 0;
    for (int64_t t = 0; t < 9; ++t) {
      const double value = d.x[(i * 9 + t) * 2], marker = d.x[(i * 9 + t) * 2 + 1];
      EXPECT_GE(value, 0.0);
      EXPECT_LT(value, 1.0);
      ASSERT_TRUE(marker == 0.0 || marker == 1.0);
      if (marker == 1.0) marked.push_back(t), sum += value;
    }
    ASSERT_EQ(marked.size(), 2u) << "sample " << i;
    EXPECT_LT(marked[0], 4);   // the first half: steps 0..3
    EXPECT_GE(marked[1], 4);   // the second: 4..8
    EXPECT_EQ(d.y[i], sum);
  }
}

TEST(Adding, PredictingTheMeanScoresASixth) {
  Rows d = load("{type: adding, samples: 20000, length: 20, seed: 1}");
  double se = 0;
  for (int64_t i = 0; i < 20000; ++i) se += (d.y[i] - 1.0) * (d.y[i] - 1.0);
  EXPECT_NEAR(se / 20000, 1.0 / 6.0, 0.005);
}

TEST(Adding, ItsOwnSeedFixesTheData) {
  Rows a = load("{type: adding, samples: 5, length: 6, seed: 4}", 1);
  Rows b = load("{type: adding, samples: 5, length: 6, seed: 4}", 2);
  Rows c = load("{type: adding, samples: 5, length: 6}", 1);
  Rows e = load("{type: adding, samples: 5, length: 6}", 2);
  for (int64_t i = 0; i < a.x.numel(); ++i) EXPECT_EQ(a.x[i], b.x[i]);
  bool differ = false;
  for (int64_t i = 0; i < c.x.numel(); ++i) differ |= c.x[i] != e.x[i];
  EXPECT_TRUE(differ);  // without `seed`, the experiment's stream decides
}

TEST(Adding, ASetLargerThanTheMemoryIsRefusedAtItsLength) {
  auto src = Registry::instance().create<DatasetSource>(
      Config::parse("{type: adding, samples: 10000000, length: 100000}", "d.yaml"));
  Rng rng(1);
  try {
    src->load(rng);
    FAIL() << "loaded 16 TB";
  } catch (const ConfigError& e) {
    const std::string text = e.what();
    EXPECT_EQ(text.rfind("d.yaml:1:43: length: 10000000 samples of [100000, 2] need 16.0 TB, more than the ", 0), 0u)
        << text;
    EXPECT_TRUE(text.ends_with(" of memory available")) << text;
  }
}

}  // namespace
}  // namespace gradlab
