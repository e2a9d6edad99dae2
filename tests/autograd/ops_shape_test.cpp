// Shape ops: reshape (with -1), broadcast_to, slice, concat, flatten; values, gradients, errors.
#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

struct ShapeOps : ::testing::Test {
  Tape tape;
  Parameter a{"a", Tensor::matrix({{1, 2, 3}, {4, 5, 6}})};
};

TEST_F(ShapeOps, ReshapeInfersOneDimension) {
  Var r = ops::reshape(tape.param(a), {-1, 2});
  EXPECT_EQ(r.shape().str(), "[3,2]");
  expect_near_all(r.value(), {1, 2, 3, 4, 5, 6});
  Var w = tape.constant(Tensor::matrix({{1, 2}, {3, 4}, {5, 6}}));
  tape.backward(ops::sum(ops::mul(r, w)));
  expect_near_all(a.grad, {1, 2, 3, 4, 5, 6});  // same element order
}

TEST_F(ShapeOps, ReshapeErrors) {
  Var x = tape.param(a);
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::reshape(x, Shape{4})), "reshape: input [2,3] vs shape [4]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::reshape(x, {-1, 4})),
            "reshape: input [2,3] vs shape [-1,4]");
}

TEST_F(ShapeOps, FlattenKeepsTheBatchAxis) {
  Var f = ops::flatten(tape.constant(Tensor(Shape{2, 2, 3})));
  EXPECT_EQ(f.shape().str(), "[2,6]");
}

TEST_F(ShapeOps, BroadcastToSumsTheStretchedAxesBackward) {
  Parameter row("row", Tensor::vector({1, 2, 3}));
  Var b = ops::broadcast_to(tape.param(row), Shape{2, 3});
  expect_near_all(b.value(), {1, 2, 3, 1, 2, 3});
  Var w = tape.constant(Tensor::matrix({{1, 2, 3}, {10, 20, 30}}));
  tape.backward(ops::sum(ops::mul(b, w)));
  expect_near_all(row.grad, {11, 22, 33});
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::broadcast_to(tape.param(row), Shape{2, 4})),
            "broadcast_to: input [3] vs shape [2,4]");
}

TEST_F(ShapeOps, SliceAlongAnAxis) {
  Var s = ops::slice(tape.param(a), 1, 1, 3);
  EXPECT_EQ(s.shape().str(), "[2,2]");
  expect_near_all(s.value(), {2, 3, 5, 6});
  tape.backward(ops::sum(s));
  expect_near_all(a.grad, {0, 1, 1, 0, 1, 1});
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::slice(tape.constant(a.value), 0, 1, 3)),
            "slice: range [1,3) out of bounds for axis 0 of [2,3]");
}

TEST_F(ShapeOps, ConcatThreePartsAlongEachAxis) {
  Parameter b("b", Tensor::matrix({{7, 8, 9}})), c("c", Tensor::matrix({{0, 0, 1}}));
  std::vector<Var> rows{tape.param(a), tape.param(b), tape.param(c)};
  Var cat0 = ops::concat(rows, 0);
  EXPECT_EQ(cat0.shape().str(), "[4,3]");
  expect_near_all(cat0.value(), {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 1});
  Tensor w(Shape{4, 3});
  for (int k = 0; k < 12; ++k) w[k] = k;
  tape.backward(ops::sum(ops::mul(cat0, tape.constant(w))));
  expect_near_all(a.grad, {0, 1, 2, 3, 4, 5});
  expect_near_all(b.grad, {6, 7, 8});
  expect_near_all(c.grad, {9, 10, 11});

  tape.reset();
  Parameter d("d", Tensor::matrix({{-1}, {-2}}));
  std::vector<Var> cols{tape.param(d), tape.param(a)};
  Var cat1 = ops::concat(cols, -1);
  expect_near_all(cat1.value(), {-1, 1, 2, 3, -2, 4, 5, 6});
}

TEST_F(ShapeOps, ConcatMismatchNamesBothShapes) {
  std::vector<Var> parts{tape.constant(Tensor(Shape{2, 3})), tape.constant(Tensor(Shape{2, 4}))};
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::concat(parts, 0)), "concat: lhs [2,3] vs rhs [2,4] along axis 0");
}

}  // namespace
}  // namespace gradlab
