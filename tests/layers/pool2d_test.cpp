// maxpool2d, avgpool2d and global_avgpool2d on a 4x4 plane worked by hand: windows, strides,
// padding (never the maximum; zeros in the mean, PyTorch's count_include_pad), gradients routed
// to the maximum, and the shape and config errors.
#include <gtest/gtest.h>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::build_or_error;
using test::config_error;
using test::make_layer;

// One image, one channel; the corner -2 shows that padding never wins a maximum.
const Tensor kPlane(Shape{1, 1, 4, 4}, {1, 5, 2, -2,  //
                                        3, -1, 4, 8,  //
                                        0, 2, -3, 1,  //
                                        7, 6, 5, 9});

// Builds the layer on x's feature shape and returns its output and d sum(y) / dx.
std::pair<Tensor, Tensor> run(const std::string& yaml, const Tensor& x, const char* out_shape) {
  auto layer = make_layer(yaml);
  Rng rng(1);
  Shape features;
  for (int a = 1; a < x.shape().rank(); ++a) features.push_back(x.shape()[a]);
  EXPECT_EQ(layer->build(features, rng).str(), out_shape) << yaml;
  Parameter input("x", x);  // a leaf that collects its gradient
  Tape tape;
  ForwardContext ctx{tape, true};
  Var y = layer->forward(tape.param(input), ctx);
  tape.backward(ops::sum(y));
  return {y.value(), input.grad};
}

void expect_values(const Tensor& t, const std::vector<double>& want) {
  ASSERT_EQ(t.numel(), static_cast<int64_t>(want.size())) << t.shape().str();
  for (size_t i = 0; i < want.size(); ++i) EXPECT_DOUBLE_EQ(t[static_cast<int64_t>(i)], want[i]) << "element " << i;
}

TEST(Pool2d, MaxPoolTakesEachWindowsMaximumAndRoutesItsGradientThere) {
  auto [y, dx] = run("{type: maxpool2d}", kPlane, "[1,2,2]");  // pool 2, stride 2
  expect_values(y, {5, 8, 7, 9});
  expect_values(dx, {0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1});
  auto [overlap, dover] = run("{type: maxpool2d, pool_size: 3, stride: 1}", kPlane, "[1,2,2]");
  expect_values(overlap, {5, 8, 7, 9});
  // With padding 1: the lone corner -2 is its window's maximum, not the padding's 0.
  auto [padded, dpad] = run("{type: maxpool2d, padding: 1}", kPlane, "[1,3,3]");
  expect_values(padded, {1, 5, -2, 3, 4, 8, 7, 6, 9});
  auto [rect, drect] = run("{type: maxpool2d, pool_size: [1, 4]}", kPlane, "[1,4,1]");
  expect_values(rect, {5, 8, 2, 9});
}

TEST(Pool2d, AvgPoolTakesEachWindowsMeanAndCountsPaddingAsZeros) {
  auto [y, dx] = run("{type: avgpool2d}", kPlane, "[1,2,2]");
  expect_values(y, {2, 3, 3.75, 3});
  for (double g : dx.span()) EXPECT_DOUBLE_EQ(g, 0.25);  // each cell in exactly one window
  auto [padded, dpad] = run("{type: avgpool2d, padding: 1}", kPlane, "[1,3,3]");
  expect_values(padded, {0.25, 1.75, -0.5, 0.75, 0.5, 2.25, 1.75, 2.75, 2.25});
  auto [strided, dstr] = run("{type: avgpool2d, pool_size: 2, stride: 1}", kPlane, "[1,3,3]");
  expect_values(strided, {2, 2.5, 3, 1, 0.5, 2.5, 3.75, 2.5, 3});
  expect_values(dstr, {0.25, 0.5, 0.5, 0.25, 0.5, 1, 1, 0.5, 0.5, 1, 1, 0.5, 0.25, 0.5, 0.5, 0.25});
}

TEST(Pool2d, GlobalAvgPoolAveragesEachChannel) {
  Tensor x(Shape{2, 2, 2, 2}, {1, 2, 3, 4, 0, 0, 0, 8,  //
                               -1, -1, -1, -1, 2, 4, 6, 8});
  auto [y, dx] = run("{type: global_avgpool2d}", x, "[2]");
  ASSERT_EQ(y.shape().str(), "[2,2]");
  expect_values(y, {2.5, 2, -1, 5});
  for (double g : dx.span()) EXPECT_DOUBLE_EQ(g, 0.25);
}

TEST(Pool2d, ShapeErrorsNameTheLayer) {
  EXPECT_EQ(build_or_error("{type: maxpool2d, pool_size: 4}", Shape{1, 3, 3}),
            "maxpool2d1 (maxpool2d): pool 4 larger than its 3x3 input");
  EXPECT_EQ(build_or_error("{type: avgpool2d, pool_size: [2, 6], padding: 1}", Shape{1, 3, 3}),
            "avgpool2d1 (avgpool2d): pool 2x6 larger than its 3x3 input padded by 1");
  EXPECT_EQ(build_or_error("{type: maxpool2d}", Shape{9}),
            "maxpool2d1 (maxpool2d): expects [channels, height, width] input, got [9]");
  EXPECT_EQ(build_or_error("{type: global_avgpool2d}", Shape{4, 4}),
            "global_avgpool2d1 (global_avgpool2d): expects [channels, height, width] input, got [4,4]");
}

TEST(Pool2d, PaddingOfMoreThanHalfThePoolIsAConfigError) {
  EXPECT_EQ(config_error("{type: maxpool2d, pool_size: 2, padding: 2}"),
            "test.yaml:1:42: padding: padding 2 is more than half the pool 2 (PyTorch's limit: a window must hold a "
            "real cell)");
}

}  // namespace
}  // namespace gradlab
