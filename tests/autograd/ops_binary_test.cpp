// Values and gradients of the elementwise binary ops against hand-derived numbers, including
// numpy broadcasting (row vector, column vector, scalar, rank 3).
#include <cmath>

#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

struct BinaryOps : ::testing::Test {
  Tape tape;
  Parameter a{"a", Tensor::matrix({{1, 2}, {3, 4}})};
};

TEST_F(BinaryOps, AddBroadcastsARowVector) {
  Parameter row("row", Tensor::vector({10, 20}));
  Var y = ops::add(tape.param(a), tape.param(row));
  expect_near_all(y.value(), {11, 22, 13, 24});
  EXPECT_EQ(y.shape().str(), "[2,2]");
  tape.backward(ops::sum(y));
  expect_near_all(a.grad, {1, 1, 1, 1});
  expect_near_all(row.grad, {2, 2});  // each row element fed two outputs
}

TEST_F(BinaryOps, SubBroadcastsAColumnVector) {
  Parameter col("col", Tensor::matrix({{1}, {2}}));
  Var y = ops::sub(tape.param(a), tape.param(col));
  expect_near_all(y.value(), {0, 1, 1, 2});
  tape.backward(ops::sum(y));
  expect_near_all(a.grad, {1, 1, 1, 1});
  expect_near_all(col.grad, {-2, -2});
}

TEST_F(BinaryOps, MulBroadcastsAScalar) {
  Parameter s("s", Tensor::scalar(3));
  Var y = ops::mul(tape.param(a), tape.param(s));
  expect_near_all(y.value(), {3, 6, 9, 12});
  tape.backward(ops::sum(y));
  expect_near_all(a.grad, {3, 3, 3, 3});
  expect_near_all(s.grad, {10});  // 1 + 2 + 3 + 4
}

TEST_F(BinaryOps, Div) {
  Parameter n("n", Tensor::vector({6, 8})), d("d", Tensor::vector({2, 4}));
  Var y = ops::div(tape.param(n), tape.param(d));
  expect_near_all(y.value(), {3, 2});
  tape.backward(ops::sum(y));
  expect_near_all(n.grad, {0.5, 0.25});   // 1/d
  expect_near_all(d.grad, {-1.5, -0.5});  // -n/d^2
}

TEST_F(BinaryOps, MaximumSendsTiesToTheLeft) {
  Parameter x("x", Tensor::vector({1, 5, 3})), z("z", Tensor::vector({2, 5, 1}));
  Var y = ops::maximum(tape.param(x), tape.param(z));
  expect_near_all(y.value(), {2, 5, 3});
  tape.backward(ops::sum(y));
  expect_near_all(x.grad, {0, 1, 1});
  expect_near_all(z.grad, {1, 0, 0});
}

TEST_F(BinaryOps, Pow) {
  Parameter base("b", Tensor::vector({2, 3})), ex("e", Tensor::vector({3, 2}));
  Var y = ops::pow(tape.param(base), tape.param(ex));
  expect_near_all(y.value(), {8, 9});
  tape.backward(ops::sum(y));
  expect_near_all(base.grad, {12, 6});                             // e * b^(e-1)
  expect_near_all(ex.grad, {8 * std::log(2.0), 9 * std::log(3.0)});  // b^e ln b
}

TEST_F(BinaryOps, WhereTakesAWhereTheMaskIsSet) {
  Var cond = tape.constant(Tensor::vector({1, 0, 1}));
  Parameter x("x", Tensor::vector({1, 2, 3})), z("z", Tensor::vector({10, 20, 30}));
  Var y = ops::where(cond, tape.param(x), tape.param(z));
  expect_near_all(y.value(), {1, 20, 3});
  tape.backward(ops::sum(y));
  expect_near_all(x.grad, {1, 0, 1});
  expect_near_all(z.grad, {0, 1, 0});
}

TEST_F(BinaryOps, WhereBroadcastsAColumnMaskAgainstAScalar) {
  Var cond = tape.constant(Tensor::matrix({{1}, {0}}));
  Parameter s("s", Tensor::scalar(7));
  Var y = ops::where(cond, tape.param(a), tape.param(s));
  expect_near_all(y.value(), {1, 2, 7, 7});
  tape.backward(ops::sum(y));
  expect_near_all(a.grad, {1, 1, 0, 0});
  expect_near_all(s.grad, {2});
}

TEST_F(BinaryOps, BroadcastsRank3AgainstRank2) {
  Tensor t3(Shape{2, 1, 3});
  for (int k = 0; k < 6; ++k) t3[k] = k;  // [[[0,1,2]],[[3,4,5]]]
  Parameter x("x", t3), z("z", Tensor::matrix({{10}, {20}, {30}, {40}}));
  Var y = ops::add(tape.param(x), tape.param(z));
  EXPECT_EQ(y.shape().str(), "[2,4,3]");
  const Tensor v = y.value();
  EXPECT_DOUBLE_EQ(v[0], 10);            // [0,0,0] = 0 + 10
  EXPECT_DOUBLE_EQ(v[1 * 12 + 3 * 3 + 2], 45);  // [1,3,2] = 5 + 40
  tape.backward(ops::sum(y));
  expect_near_all(x.grad, {4, 4, 4, 4, 4, 4});
  expect_near_all(z.grad, {6, 6, 6, 6});
}

TEST_F(BinaryOps, ScalarFormsNeedNoConstantNode) {
  Var x = tape.param(a);
  Var y = ops::pow_scalar(ops::mul_scalar(ops::add_scalar(x, 1), 2), 2);  // (2(x+1))^2
  expect_near_all(y.value(), {16, 36, 64, 100});
  tape.backward(ops::sum(y));
  expect_near_all(a.grad, {16, 24, 32, 40});  // 8(x+1)
  EXPECT_EQ(tape.size(), 5u);  // param, three ops, sum: no constant nodes
}

TEST_F(BinaryOps, OperatorsCallTheOps) {
  Var x = tape.param(a);
  Var y = (x * 2.0 + x * x) / x - x;  // = 2 for every x
  expect_near_all(y.value(), {2, 2, 2, 2}, 1e-15);
  expect_near_all((-x).value(), {-1, -2, -3, -4});
}

TEST_F(BinaryOps, ShapeMismatchNamesTheOpAndBothShapes) {
  Var x = tape.constant(Tensor(Shape{2, 3}));
  Var z = tape.constant(Tensor(Shape{4}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::add(x, z)), "add: lhs [2,3] vs rhs [4]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::mul(z, x)), "mul: lhs [4] vs rhs [2,3]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::where(z, x, x)), "where: lhs [4] vs rhs [2,3]");
}

}  // namespace
}  // namespace gradlab
