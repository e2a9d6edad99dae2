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
