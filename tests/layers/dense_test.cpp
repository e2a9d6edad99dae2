// dense: parameter names and shapes, y = x W^T + b on known numbers, and its config errors.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::make_layer;

TEST(Dense, CreatesWeightAndBiasNamedAsPyTorch) {
  auto dense = make_layer("{type: dense, units: 3}");
  Rng rng(1);
  EXPECT_EQ(dense->build(Shape{5}, rng), (Shape{3}));
  auto ps = dense->parameters();
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0]->name, "weight");
  EXPECT_EQ(ps[0]->value.shape(), (Shape{3, 5}));
  EXPECT_EQ(ps[0]->grad.shape(), (Shape{3, 5}));
  EXPECT_EQ(ps[1]->name, "bias");
  EXPECT_EQ(ps[1]->value.shape(), (Shape{3}));
  for (double b : ps[1]->value.span()) EXPECT_EQ(b, 0.0);  // bias_init: zeros
}

TEST(Dense, ComputesXWTransposePlusB) {
  auto dense = make_layer(
      "{type: dense, units: 2, init: {type: constant, value: 0.5}, "
      "bias_init: {type: constant, value: -1}}");
  Rng rng(1);
  dense->build(Shape{3}, rng);
  Tape tape;
  ForwardContext ctx{tape};
  Var y = dense->forward(tape.constant(Tensor::matrix({{1, 2, 3}, {0, -2, 4}})), ctx);
  // Each output: 0.5 * (sum of the row) - 1.
  Tensor v = y.value();
  EXPECT_EQ(v.shape(), (Shape{2, 2}));
  EXPECT_DOUBLE_EQ(v.at(0, 0), 2.0);
  EXPECT_DOUBLE_EQ(v.at(0, 1), 2.0);
  EXPECT_DOUBLE_EQ(v.at(1, 0), 0.0);
  EXPECT_DOUBLE_EQ(v.at(1, 1), 0.0);
}

TEST(Dense, WithoutBiasHasOnlyAWeight) {
  auto dense = make_layer("{type: dense, units: 2, use_bias: false}");
  Rng rng(1);
  dense->build(Shape{3}, rng);
  ASSERT_EQ(dense->parameters().size(), 1u);
  EXPECT_EQ(dense->parameters()[0]->name, "weight");
}

TEST(Dense, DefaultInitIsHeNormalAsTheCourse) {
  // he_normal: std sqrt(2 / fan_in) = sqrt(2 / 200) = 0.1 over 40000 draws.
  auto dense = make_layer("{type: dense, units: 200}");
  Rng rng(3);
  dense->build(Shape{200}, rng);
  const Tensor& w = dense->parameters()[0]->value;
  double s = 0, s2 = 0;
  for (double v : w.span()) s += v, s2 += v * v;
  const double n = double(w.numel()), mean = s / n;
  EXPECT_NEAR(mean, 0.0, 0.003);
  EXPECT_NEAR(std::sqrt(s2 / n - mean * mean), 0.1, 0.002);
}

TEST(Dense, RejectsNonFlatInputs) {
  auto dense = make_layer("{type: dense, units: 2}");
  Rng rng(1);
  try {
    dense->build(Shape{1, 2, 3}, rng);  // an image: [steps, features] sequences are mapped step by step
    FAIL() << "expected a ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(e.what(),
                 "dense1 (dense): expects [features] or [steps, features] inputs (put a flatten layer first), got "
                 "[1,2,3]");
  }
}

TEST(Dense, UnitsAreRequired) {
  try {
    make_layer("{type: dense}");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("units"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("test.yaml:1:", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace gradlab
