// max_pool2d and avg_pool2d: values and gradients by hand, padding and strides, errors.
#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

// One 4x4 plane:  1  2  5  0
//                 3  4  1  1
//                 0  9  2  8
//                 7  1  3  6
Tensor plane() {
  return Tensor(Shape{1, 1, 4, 4}, std::vector<double>{1, 2, 5, 0, 3, 4, 1, 1, 0, 9, 2, 8, 7, 1, 3, 6});
}

TEST(Pool, MaxPoolRoutesTheGradientToTheArgmax) {
  Tape tape;
  Parameter x("x", plane());
  Var y = ops::max_pool2d(tape.param(x));
  EXPECT_EQ(y.shape().str(), "[1,1,2,2]");
  expect_near_all(y.value(), {4, 5, 9, 8});
  tape.backward(ops::sum(ops::mul(y, tape.constant(Tensor(Shape{1, 1, 2, 2}, std::vector<double>{1, 2, 3, 4})))));
  expect_near_all(x.grad, {0, 0, 2, 0, 0, 1, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0});
}

// The 2x2 stride-2 pool (its own loop) against a naive window scan, on odd sizes (the last row
// and column dropped) and with many ties (the first maximum in row-major order takes the gradient).
TEST(Pool, MaxPool2x2MatchesANaiveScanWithTiesAndOddSizes) {
  for (DType dtype : {DType::float64, DType::float32}) {
    const int64_t n = 2, c = 3, h = 5, w = 7, oh = 2, ow = 3;
    Rng rng(3);
    Tensor x(Shape{n, c, h, w});
    for (int64_t k = 0; k < x.numel(); ++k) x[k] = static_cast<double>(rng.below(3));  // ties everywhere
    std::vector<double> want_y, want_g(static_cast<size_t>(x.numel()), 0.0);
    for (int64_t p = 0; p < n * c; ++p)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          int64_t best = p * h * w + 2 * i * w + 2 * j;
          for (int64_t r = 2 * i; r < 2 * i + 2; ++r)
            for (int64_t q = 2 * j; q < 2 * j + 2; ++q)
              if (x[p * h * w + r * w + q] > x[best]) best = p * h * w + r * w + q;
          want_y.push_back(x[best]);
          want_g[static_cast<size_t>(best)] += static_cast<double>(want_y.size());  // weight: output's 1-based index
        }
    Tensor weights(Shape{n, c, oh, ow});
    for (int64_t k = 0; k < weights.numel(); ++k) weights[k] = static_cast<double>(k + 1);
    Tape tape;
    Parameter px("x", x.to(dtype));
    Var y = ops::max_pool2d(tape.param(px));
    EXPECT_EQ(y.shape().str(), "[2,3,2,3]");
    expect_near_all(y.value().to(DType::float64), want_y, 0.0);
    tape.backward(ops::sum(ops::mul(y, tape.constant(weights.to(dtype)))));
    expect_near_all(px.grad.to(DType::float64), want_g, 0.0);
  }
}

TEST(Pool, MaxPoolOverlappingWindowsWithPadding) {
  Tape tape;
  Parameter x("x", plane());
  Var y = ops::max_pool2d(tape.param(x), {{3, 3}, {2, 2}, {1, 1}});  // windows at rows/cols -1 and 1
  EXPECT_EQ(y.shape().str(), "[1,1,2,2]");
  expect_near_all(y.value(), {4, 5, 9, 9});
  tape.backward(ops::sum(y));
  expect_near_all(x.grad, {0, 0, 1, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0});  // 9 wins two windows
}

TEST(Pool, MaxPoolNeverPicksThePadding) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{1, 1, 2, 2}, -5.0));  // every value below the zero padding
  expect_near_all(ops::max_pool2d(x, {{2, 2}, {1, 1}, {1, 1}}).value(), {-5, -5, -5, -5, -5, -5, -5, -5, -5});
}

TEST(Pool, AvgPoolCountsPaddingAsZeros) {
  Tape tape;
  Parameter x("x", plane());
  Var y = ops::avg_pool2d(tape.param(x));
  expect_near_all(y.value(), {2.5, 1.75, 4.25, 4.75});
  Var p = ops::avg_pool2d(tape.param(x), {{2, 2}, {2, 2}, {1, 1}});  // corners hold one real cell
  EXPECT_EQ(p.shape().str(), "[1,1,3,3]");
  expect_near_all(p.value(), {0.25, 1.75, 0, 0.75, 4, 2.25, 1.75, 1, 1.5});
  tape.backward(ops::sum(y));
  for (int64_t k = 0; k < 16; ++k) EXPECT_EQ(x.grad[k], 0.25) << k;  // each cell in one window
}

TEST(Pool, ChannelsAndImagesArePooledApart) {
  Tape tape;
  Tensor t(Shape{2, 3, 2, 2});
  for (int64_t k = 0; k < t.numel(); ++k) t[k] = static_cast<double>(k);
  expect_near_all(ops::max_pool2d(tape.constant(t)).value(), {3, 7, 11, 15, 19, 23});
  expect_near_all(ops::avg_pool2d(tape.constant(t)).value(), {1.5, 5.5, 9.5, 13.5, 17.5, 21.5});
}

TEST(Pool, Errors) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{1, 1, 3, 3}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::max_pool2d(x, {{4, 4}})),
            "max_pool2d: pool 4x4 larger than its 3x3 input (padding 0x0)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::avg_pool2d(x, {{2, 2}, {0, 0}, {2, 0}})),
            "avg_pool2d: pool 2x2, stride 2x2, padding 2x0: padding must be at most half the pool");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::max_pool2d(tape.constant(Tensor(Shape{3, 3})))),
            "max_pool2d: input [3,3] is not [N,C,H,W]");
}

}  // namespace
}  // namespace gradlab
