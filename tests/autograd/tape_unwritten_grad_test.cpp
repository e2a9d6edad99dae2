// The tape zeroes a non-leaf gradient only when a rule adds to it, and lets linear and the unary
// ops assign the first gradient instead (Tape::claim_unwritten_grad): fan-out still sums, a
// gradient no rule writes reads zero (never a stale number from the last step), an op whose two
// inputs are one node gets both terms, and an assigned zero is +0, as adding to zeros gives.
#include <cmath>
#include <vector>

#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

TEST(TapeUnwrittenGrad, FanOutToAssigningOpsSumsBothGradients) {
  Tape tape;
  Parameter p{"p", Tensor::vector({0.5, -2.0, 1.5})};
  // h = 3p feeds relu and tanh: the later consumer assigns h's gradient, the earlier one adds.
  Var h = ops::mul_scalar(tape.param(p), 3.0);
  Var loss = ops::sum(ops::add(ops::relu(h), ops::tanh(h)));
  tape.backward(loss);
  std::vector<double> want;
  for (double v : {0.5, -2.0, 1.5}) {
    const double x = 3 * v, t = std::tanh(x);
    want.push_back(3 * ((x > 0 ? 1.0 : 0.0) + (1 - t * t)));
  }
  expect_near_all(p.grad, want);
  const double hx[] = {1.5, -6.0, 4.5};
  for (int k = 0; k < 3; ++k) {
    const double t = std::tanh(hx[k]);
    EXPECT_NEAR(h.grad()[k], (hx[k] > 0 ? 1.0 : 0.0) + (1 - t * t), 1e-15) << k;
  }
}

TEST(TapeUnwrittenGrad, AGradientNoRuleWritesIsZeroNotTheLastStepsValue) {
  Tape tape;
  Parameter p{"p", Tensor::vector({1.0, 2.0})};
  // Step 1: h's gradient is 2 per element (the add reads h twice).
  {
    Var h = ops::relu(tape.param(p));
    tape.backward(ops::sum(ops::add(h, h)));
    expect_near_all(h.grad(), {2, 2});
  }
  tape.reset();
  p.zero_grad();
  // Step 2, the same buffers: h is recorded, but the loss reads p only.
  Var h = ops::relu(tape.param(p));
  Var loss = ops::sum(ops::mul_scalar(tape.param(p), 5.0));
  std::vector<double> seen;
  tape.add_grad_hook(h, [&](const Node& n) { seen.assign(n.grads<double>(), n.grads<double>() + 2); });
  tape.backward(loss);
  EXPECT_EQ(seen, (std::vector<double>{0, 0})) << "the hook saw a stale gradient";
  expect_near_all(h.grad(), {0, 0});
  expect_near_all(p.grad, {5, 5});
}

TEST(TapeUnwrittenGrad, LinearWhoseInputAndWeightAreOneNodeGetsBothTerms) {
  Tape tape;
  Parameter p{"p", Tensor::matrix({{0.5, -1.0}, {2.0, 0.25}})};
  // y = X X^T with X = 2P: dL/dX = G X + G^T X with G = ones, so dL/dP = 2 (G + G^T) X.
  Var x = ops::mul_scalar(tape.param(p), 2.0);
  tape.backward(ops::sum(ops::linear(x, x, Var{})));
  const double X[2][2] = {{1.0, -2.0}, {4.0, 0.5}};
  std::vector<double> want;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) want.push_back(2 * 2 * (X[0][j] + X[1][j]));
  expect_near_all(p.grad, want);
}

TEST(TapeUnwrittenGrad, AnAssignedZeroGradientIsPositiveZero) {
  Tape tape;
  Parameter p{"p", Tensor::vector({-1.0, 2.0})};
  // relu's gradient at x < 0 is 0 * (-3) = -0 before it is added to zeros: +0 after.
  Var h = ops::mul_scalar(tape.param(p), 1.0);
  Var r = ops::relu(h);
  tape.backward(ops::sum(ops::mul_scalar(r, -3.0)));
  EXPECT_EQ(h.grad()[0], 0.0);
  EXPECT_FALSE(std::signbit(h.grad()[0])) << "-0: the rule skipped the + 0";
  EXPECT_EQ(h.grad()[1], -3.0);
}

}  // namespace
}  // namespace gradlab
