// Initializers: each draws with the variance its paper prescribes, orthogonal is orthogonal, and
// an unknown name is an error that lists the known ones.
#include <gtest/gtest.h>

#include <cmath>

#include "layers/initializer.hpp"
#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::yaml;

struct Moments {
  double mean, std, min, max;
};

// Fills a [rows, cols] tensor (fan_in = cols, fan_out = rows) and measures it.
Moments draw(const std::string& init, int64_t rows, int64_t cols) {
  auto ini = Registry::instance().create<Initializer>(yaml(init));
  Tensor t({rows, cols});
  Rng rng(5);
  ini->fill(t, cols, rows, rng);
  double s = 0, s2 = 0, lo = INFINITY, hi = -INFINITY;
  for (double v : t.span()) s += v, s2 += v * v, lo = std::min(lo, v), hi = std::max(hi, v);
  const double n = double(t.numel()), mean = s / n;
  return {mean, std::sqrt(s2 / n - mean * mean), lo, hi};
}

TEST(Initializers, ConstantsFillExactly) {
  Moments z = draw("zeros", 3, 4);
  EXPECT_EQ(z.min, 0.0);
  EXPECT_EQ(z.max, 0.0);
  Moments c = draw("{type: constant, value: 2.5}", 3, 4);
  EXPECT_EQ(c.min, 2.5);
  EXPECT_EQ(c.max, 2.5);
}

TEST(Initializers, StandardDeviationsFollowTheFans) {
  // fan_in 400, fan_out 100; 40000 draws give the std to about 0.4%.
  struct Row {
    const char* init;
    double std;
  };
  const Row rows[] = {
      {"{type: normal, mean: 0, std: 5}", 5.0},
      {"he_normal", std::sqrt(2.0 / 400)},
      {"{type: he_normal, mode: fan_out}", std::sqrt(2.0 / 100)},
      {"he_uniform", std::sqrt(2.0 / 400)},  // U(-a,a) has std a/sqrt(3) = sqrt(2/fan)
      {"xavier_normal", std::sqrt(2.0 / 500)},
      {"xavier_uniform", std::sqrt(2.0 / 500)},
      {"{type: xavier_uniform, gain: 2}", 2 * std::sqrt(2.0 / 500)},
      {"lecun_normal", std::sqrt(1.0 / 400)},
  };
  for (const Row& r : rows) {
    Moments m = draw(r.init, 100, 400);
    EXPECT_NEAR(m.std / r.std, 1.0, 0.02) << r.init;
    EXPECT_NEAR(m.mean / r.std, 0.0, 0.03) << r.init;
  }
}

TEST(Initializers, UniformsStayInTheirBounds) {
  Moments u = draw("{type: uniform, low: -0.5, high: 2}", 100, 100);
  EXPECT_GE(u.min, -0.5);
  EXPECT_LT(u.max, 2.0);
  EXPECT_NEAR(u.mean, 0.75, 0.02);
  const double limit = std::sqrt(6.0 / 100);  // he_uniform, fan_in 100
  Moments h = draw("he_uniform", 100, 100);
  EXPECT_GE(h.min, -limit);
  EXPECT_LT(h.max, limit);
  EXPECT_GT(h.max, 0.99 * limit);
}

TEST(Initializers, OrthogonalRowsOrColumnsAreOrthonormal) {
  for (auto [rows, cols] : {std::pair<int64_t, int64_t>{5, 3}, {3, 5}, {4, 4}}) {
    auto ini = Registry::instance().create<Initializer>(yaml("{type: orthogonal, gain: 2}"));
    Tensor t({rows, cols});
    Rng rng(9);
    ini->fill(t, cols, rows, rng);
    // The smaller Gram matrix (columns of a tall one, rows of a wide one) is gain^2 I.
    const bool tall = rows >= cols;
    const int64_t k = tall ? cols : rows;
    for (int64_t a = 0; a < k; ++a)
      for (int64_t b = 0; b < k; ++b) {
        double dot = 0;
        for (int64_t i = 0; i < (tall ? rows : cols); ++i)
          dot += tall ? t.at(i, a) * t.at(i, b) : t.at(a, i) * t.at(b, i);
        EXPECT_NEAR(dot, a == b ? 4.0 : 0.0, 1e-12) << rows << "x" << cols;
      }
  }
}

TEST(Initializers, UnknownNameListsTheKnownOnes) {
  try {
    test::make_layer("{type: dense, units: 2, init: {type: he_normel, mode: fan_in}}");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "test.yaml:1:38: init.type: unknown initializer 'he_normel' (did you mean 'he_normal'?); "
        "known: constant, he_normal, he_uniform, lecun_normal, normal, orthogonal, uniform, "
        "xavier_normal, xavier_uniform, zeros");
  }
  try {
    test::make_layer("{type: dense, units: 2, init: orthogonol}");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("test.yaml:1:31: "), std::string::npos) << e.what();
    EXPECT_NE(
        std::string(e.what()).find("unknown initializer 'orthogonol' (did you mean 'orthogonal'?)"),
        std::string::npos)
        << e.what();
  }
}

TEST(Initializers, UniformNeedsLowBelowHigh) {
  try {
    Registry::instance().create<Initializer>(yaml("{type: uniform, low: 1, high: 1}"));
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("high: must be greater than low"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace gradlab
