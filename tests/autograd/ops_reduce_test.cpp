// Reductions: sum (all, per axis, keepdim), mean, max (first maximum gets the gradient).
#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

struct Reductions : ::testing::Test {
  Tape tape;
  Parameter a{"a", Tensor::matrix({{1, 2}, {3, 4}})};
};

TEST_F(Reductions, SumOfAllIsRankZero) {
  Var s = ops::sum(tape.param(a));
  EXPECT_EQ(s.shape().rank(), 0);
  EXPECT_EQ(s.shape().str(), "[]");
  EXPECT_DOUBLE_EQ(s.item(), 10);
  tape.backward(s);
  expect_near_all(a.grad, {1, 1, 1, 1});
}

TEST_F(Reductions, SumAlongAxes) {
  Var x = tape.param(a);
  Var s0 = ops::sum(x, 0);
  Var s1 = ops::sum(x, 1, true);
  EXPECT_EQ(s0.shape().str(), "[2]");
  expect_near_all(s0.value(), {4, 6});
  EXPECT_EQ(s1.shape().str(), "[2,1]");
  expect_near_all(s1.value(), {3, 7});
  Var w = tape.constant(Tensor::vector({1, 10}));
  tape.backward(ops::sum(ops::mul(s0, w)));  // d/da[i][j] = w[j]
  expect_near_all(a.grad, {1, 10, 1, 10});
}

TEST_F(Reductions, SumOverTheMiddleAxisOfRank3) {
  Tensor t(Shape{2, 3, 2});
  for (int k = 0; k < 12; ++k) t[k] = k;
  Var s = ops::sum(tape.constant(t), 1);
  EXPECT_EQ(s.shape().str(), "[2,2]");
  expect_near_all(s.value(), {0 + 2 + 4, 1 + 3 + 5, 6 + 8 + 10, 7 + 9 + 11});
}

TEST_F(Reductions, Mean) {
  Var x = tape.param(a);
  expect_near_all(ops::mean(x, -1).value(), {1.5, 3.5});
  Var m = ops::mean(x);
  EXPECT_DOUBLE_EQ(m.item(), 2.5);
  tape.backward(m);
  expect_near_all(a.grad, {0.25, 0.25, 0.25, 0.25});
}

TEST_F(Reductions, MaxSendsTheGradientToTheFirstMaximum) {
  Parameter b("b", Tensor::matrix({{1, 3, 3}, {5, 2, 0}}));
  Var m = ops::max(tape.param(b), 1);
  expect_near_all(m.value(), {3, 5});
  tape.backward(ops::sum(m));
  expect_near_all(b.grad, {0, 1, 0, 1, 0, 0});
  EXPECT_EQ(ops::max(tape.constant(b.value), 0, true).shape().str(), "[1,3]");
}

TEST_F(Reductions, AxisOutOfRangeNamesTheOp) {
  Var x = tape.param(a);
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::out_of_range, ops::sum(x, 2)), "sum: axis 2 out of range for shape [2,2]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::out_of_range, ops::max(x, -3)), "max: axis -3 out of range for shape [2,2]");
}

}  // namespace
}  // namespace gradlab
