// Layout ops: permute (any rank) and constant pad; values, gradients and errors by hand.
#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

Tensor iota(const Shape& s) {
  Tensor t(s);
  for (int64_t k = 0; k < t.numel(); ++k) t[k] = static_cast<double>(k);
  return t;
}

TEST(Layout, PermuteMovesEveryAxis) {
  Tape tape;
  Parameter x("x", iota(Shape{2, 3, 4}));
  Var y = ops::permute(tape.param(x), {2, 0, 1});  // y[k,i,j] = x[i,j,k]
  EXPECT_EQ(y.shape().str(), "[4,2,3]");
  const Tensor v = y.value();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) EXPECT_EQ(v[(k * 2 + i) * 3 + j], x.value[(i * 3 + j) * 4 + k]);
  tape.backward(ops::sum(ops::mul(y, tape.constant(iota(Shape{4, 2, 3})))));
  for (int i = 0; i < 2; ++i)  // the weight that y's element carried, back at x's position
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) EXPECT_EQ(x.grad[(i * 3 + j) * 4 + k], (k * 2 + i) * 3 + j);
}

TEST(Layout, PermuteAtRankSixAndIdentity) {
  Tape tape;
  Var x = tape.constant(iota(Shape{1, 2, 1, 3, 1, 2}));
  EXPECT_EQ(ops::permute(x, {5, 4, 3, 2, 1, 0}).shape().str(), "[2,1,3,1,2,1]");
  expect_near_all(ops::permute(x, {0, 1, 2, 3, 4, 5}).value(), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  Var t = ops::permute(tape.constant(Tensor::matrix({{1, 2, 3}, {4, 5, 6}})), {1, 0});
  expect_near_all(t.value(), {1, 4, 2, 5, 3, 6});  // rank 2: the transpose
}

TEST(Layout, PermuteErrors) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{2, 3, 4}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::permute(x, {0, 1})),
            "permute: input [2,3,4] vs permutation {0,1}");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::permute(x, {0, 1, 1})),
            "permute: input [2,3,4] vs permutation {0,1,1}");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::permute(x, {0, 3, 1})),
            "permute: input [2,3,4] vs permutation {0,3,1}");
}

TEST(Layout, PadFillsTheBorderAndPassesTheInteriorsGradient) {
  Tape tape;
  Parameter x("x", Tensor::matrix({{1, 2, 3}, {4, 5, 6}}));
  Var y = ops::pad(tape.param(x), {{1, 0}, {1, 2}}, 0.5);
  EXPECT_EQ(y.shape().str(), "[3,6]");
  expect_near_all(y.value(), {0.5, 0.5, 0.5, 0.5, 0.5, 0.5,  //
                              0.5, 1, 2, 3, 0.5, 0.5,        //
                              0.5, 4, 5, 6, 0.5, 0.5});
  tape.backward(ops::sum(ops::mul(y, tape.constant(iota(Shape{3, 6})))));
  expect_near_all(x.grad, {7, 8, 9, 13, 14, 15});  // the weights at the interior's cells
}

TEST(Layout, PadOnlyTheImageAxes) {
  Tape tape;
  Var y = ops::pad(tape.constant(Tensor(Shape{2, 3, 4, 5}, 1.0)), {{0, 0}, {0, 0}, {1, 1}, {2, 0}});
  EXPECT_EQ(y.shape().str(), "[2,3,6,7]");
  EXPECT_EQ(ops::sum(y).item(), 2 * 3 * 4 * 5);  // zeros around, the ones kept
  EXPECT_EQ(y.value()[0], 0.0);
  EXPECT_EQ(y.value()[7 + 2], 1.0);  // row 1, column 2: the first interior cell
}

TEST(Layout, PadErrors) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{2, 3}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::pad(x, {{1, 1}})),
            "pad: input [2,3] vs widths {{1,1}}: one non-negative {before,after} per axis");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::pad(x, {{0, 0}, {-1, 2}})),
            "pad: input [2,3] vs widths {{0,0},{-1,2}}: one non-negative {before,after} per axis");
}

}  // namespace
}  // namespace gradlab
