// The tape zeroes a non-leaf gradient only when a rule adds to it, and lets linear and the unary
// ops assign the first gradient instead (Tape::claim_unwritten_grad): fan-out still sums, a
// gradient no rule writes reads zero (never a stale number from the last step), an op whose two
// inputs are one node gets both terms, and an assigned zero is +0, as adding to zeros gives.
// backward(loss, params) leaves every parameter's gradient as zero_grad() then backward(loss) does.
#include <cmath>
#include <functional>
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

// Every parameter's gradient after `step` records a loss on a tape whose gradients hold stale
// numbers from a first step, then backs it up with `backward(tape, loss, params)`.
using Params = std::vector<Parameter*>;
std::vector<std::vector<double>> grads_after(
    const std::function<Var(Tape&, Params&)>& step,
    const std::function<void(Tape&, Var, Params&)>& backward, DType dtype) {
  Parameter w1{"w1", Tensor::matrix({{0.5, -1.0, 0.25}, {2.0, 0.75, -0.5}})};
  Parameter b1{"b1", Tensor::vector({0.1, -0.2})};
  Parameter w2{"w2", Tensor::matrix({{1.5, -0.5}})};
  Parameter b2{"b2", Tensor::vector({0.3})};
  Parameter idle{"idle", Tensor::vector({4.0, 5.0})};
  Parameter off{"off", Tensor::vector({6.0})};
  Params params{&w1, &b1, &w2, &b2, &idle, &off};
  for (Parameter* p : params) p->value = p->value.to(dtype);
  Tape tape;
  for (int s = 0; s < 2; ++s) {  // the first step leaves stale numbers in every buffer
    tape.reset();
    for (Parameter* p : params) p->grad.fill(7.0 + s);
    backward(tape, step(tape, params), params);
  }
  std::vector<std::vector<double>> out;
  for (Parameter* p : params) {
    out.emplace_back();
    for (int64_t k = 0; k < p->grad.numel(); ++k) out.back().push_back(p->grad.get(k));
  }
  return out;
}

TEST(TapeUnwrittenGrad, BackwardWithParamsIsZeroGradThenBackwardBitForBit) {
  // A linear-relu-linear net whose last weight is also read a second time (two leaves, one
  // buffer), a parameter recorded but read by nothing, one not on the tape at all.
  auto step = [](Tape& t, Params& p) {
    Var x = t.constant(Tensor::matrix({{1.0, -2.0, 0.5}, {0.25, 3.0, -1.0}}).to(p[0]->value.dtype()));
    Var h = ops::relu(ops::linear(x, t.param(*p[0]), t.param(*p[1])));
    Var y = ops::linear(h, t.param(*p[2]), t.param(*p[3]));
    t.param(*p[4]);
    return ops::add(ops::sum(ops::mul(y, y)), ops::sum(ops::mul_scalar(t.param(*p[2]), 0.5)));
  };
  auto lazily = [](Tape& t, Var loss, Params& p) { t.backward(loss, p); };
  auto eagerly = [](Tape& t, Var loss, Params& p) {
    for (Parameter* q : p) q->zero_grad();
    t.backward(loss);
  };
  for (DType dtype : {DType::float64, DType::float32}) {
    const auto want = grads_after(step, eagerly, dtype), got = grads_after(step, lazily, dtype);
    const char* names[] = {"w1", "b1", "w2", "b2", "idle", "off"};
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]) << names[i] << " " << name_of(dtype);
    EXPECT_EQ(want[4], (std::vector<double>{0, 0}));
    EXPECT_EQ(want[5], (std::vector<double>{0}));
  }
}

TEST(TapeUnwrittenGrad, ParametersLeftOutOfBackwardKeepAccumulating) {
  Tape tape;
  Parameter a{"a", Tensor::vector({1.0, 2.0})}, b{"b", Tensor::matrix({{3.0}})};
  a.grad.fill(10.0), b.grad.fill(10.0);
  Var loss = ops::add(ops::sum(ops::relu(tape.param(a))), ops::sum(ops::linear(
      tape.constant(Tensor::matrix({{2.0}})), tape.param(b), Var{})));
  Parameter* zeroed[] = {&a};
  tape.backward(loss, zeroed);
  expect_near_all(a.grad, {1, 1});
  expect_near_all(b.grad, {12});
}

}  // namespace
}  // namespace gradlab
