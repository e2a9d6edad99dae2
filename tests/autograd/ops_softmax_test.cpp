// softmax and log_softmax: exact values on logs of small integers, stability, the Jacobian row.
#include <cmath>

#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

TEST(Softmax, ValuesAreNormalisedExponentials) {
  Tape tape;
  Var x = tape.constant(Tensor::matrix({{0, std::log(2.0), std::log(3.0)}}));
  expect_near_all(ops::softmax(x).value(), {1.0 / 6, 2.0 / 6, 3.0 / 6});
  expect_near_all(ops::log_softmax(x).value(), {std::log(1.0 / 6), std::log(2.0 / 6), std::log(3.0 / 6)});
}

TEST(Softmax, StableForLargeLogits) {
  Tape tape;
  Var x = tape.constant(Tensor::matrix({{1000, 1000}, {-1000, 0}}));
  expect_near_all(ops::softmax(x).value(), {0.5, 0.5, 0, 1});
  expect_near_all(ops::log_softmax(x).value(), {-std::log(2.0), -std::log(2.0), -1000, 0});
}

TEST(Softmax, AlongAxisZero) {
  Tape tape;
  Var x = tape.constant(Tensor::matrix({{0, 5}, {std::log(3.0), 5}}));
  expect_near_all(ops::softmax(x, 0).value(), {0.25, 0.5, 0.75, 0.5});
}

TEST(Softmax, GradientIsTheJacobianRow) {
  // d softmax_0 / dx_j = y0 (delta_0j - y_j) with y = [1/6, 2/6, 3/6]
  Tape tape;
  Parameter x("x", Tensor::vector({0, std::log(2.0), std::log(3.0)}));
  Var y = ops::softmax(tape.param(x));
  tape.backward(ops::sum(ops::mul(y, tape.constant(Tensor::vector({1, 0, 0})))));
  expect_near_all(x.grad, {1.0 / 6 * 5 / 6, -1.0 / 6 * 2 / 6, -1.0 / 6 * 3 / 6});
}

TEST(Softmax, LogSoftmaxGradient) {
  // d log_softmax_0 / dx_j = delta_0j - y_j
  Tape tape;
  Parameter x("x", Tensor::vector({0, std::log(2.0), std::log(3.0)}));
  Var y = ops::log_softmax(tape.param(x));
  tape.backward(ops::sum(ops::mul(y, tape.constant(Tensor::vector({1, 0, 0})))));
  expect_near_all(x.grad, {5.0 / 6, -2.0 / 6, -3.0 / 6});
}

}  // namespace
}  // namespace gradlab
