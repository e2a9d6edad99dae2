// The tape: memory reuse across reset, parameter accumulation, no-grad mode, misuse errors,
// gradient hooks and the forward/backward observers.
#include <limits>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

// loss = sum(tanh(x W^T + b) * c): a little of everything, with a constant and an intermediate.
Var record_step(Tape& tape, Parameter& w, Parameter& b) {
  Var x = tape.constant(Tensor::matrix({{1, -1}, {0.5, 2}}));
  Var h = ops::tanh(ops::linear(x, tape.param(w), tape.param(b)));
  return ops::sum(ops::mul(h, tape.constant(Tensor::matrix({{1, 2}, {3, 4}}))));
}

struct TapeTest : ::testing::Test {
  Tape tape;
  Parameter w{"w", Tensor::matrix({{0.1, 0.2}, {-0.3, 0.4}})};
  Parameter b{"b", Tensor::vector({0.05, -0.05})};
};

TEST_F(TapeTest, ResetReusesEveryNodeBuffer) {
  tape.backward(record_step(tape, w, b));
  std::vector<const void*> values, grads;
  std::vector<double> grad_values;
  for (size_t k = 0; k < tape.size(); ++k) {
    const Node& n = tape.node(static_cast<NodeId>(k));
    values.push_back(n.value_ptr);
    grads.push_back(n.grad_ptr);
    grad_values.push_back(n.has_grad() && !n.param ? n.grads<double>()[0] : 0);
  }
  tape.reset();
  EXPECT_EQ(tape.size(), 0u);
  tape.backward(record_step(tape, w, b));
  ASSERT_EQ(tape.size(), values.size());
  for (size_t k = 0; k < tape.size(); ++k) {
    const Node& n = tape.node(static_cast<NodeId>(k));
    EXPECT_EQ(n.value_ptr, values[k]) << "node " << k << " " << n.op;
    EXPECT_EQ(n.grad_ptr, grads[k]) << "node " << k << " " << n.op;
    // Non-leaf gradients were zeroed before accumulating: same numbers as the first step.
    if (n.has_grad() && !n.param) {
      EXPECT_DOUBLE_EQ(n.grads<double>()[0], grad_values[k]) << n.op;
    }
  }
}

TEST_F(TapeTest, ParametersAliasAndAccumulateAcrossBackwardCalls) {
  tape.backward(record_step(tape, w, b));
  const Tensor once = w.grad;
  Var pw = tape.param(w);
  EXPECT_EQ(pw.data(), w.value.data());          // no copy
  EXPECT_EQ(tape.node(pw.id()).grad_ptr, w.grad.raw());
  tape.reset();
  tape.backward(record_step(tape, w, b));
  for (int64_t k = 0; k < 4; ++k) EXPECT_DOUBLE_EQ(w.grad[k], 2 * once[k]);
  w.zero_grad();
  tape.reset();
  tape.backward(record_step(tape, w, b));
  for (int64_t k = 0; k < 4; ++k) EXPECT_DOUBLE_EQ(w.grad[k], once[k]);
}

TEST_F(TapeTest, ConstantsAndTheirDescendantsHaveNoGradient) {
  Var c = tape.constant(Tensor::vector({1, 2}));
  Var e = ops::exp(c);
  EXPECT_FALSE(e.requires_grad());
  EXPECT_FALSE(tape.node(e.id()).has_grad());
  EXPECT_EQ(tape.node(e.id()).backward, nullptr);
  expect_near_all(e.grad(), {0, 0});
}

TEST_F(TapeTest, NoGradModeRecordsNoBackward) {
  Var loss;
  {
    NoGradGuard no_grad(tape);
    loss = record_step(tape, w, b);
  }
  EXPECT_TRUE(tape.grad_enabled());
  for (size_t k = 0; k < tape.size(); ++k) {
    const Node& n = tape.node(static_cast<NodeId>(k));
    EXPECT_FALSE(n.requires_grad) << n.op;
    EXPECT_FALSE(n.has_grad()) << n.op;
    EXPECT_EQ(n.backward, nullptr) << n.op;
  }
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, tape.backward(loss)),
            "backward: the loss (sum) does not require grad (recorded in no-grad mode or from constants)");
}

TEST_F(TapeTest, StaleVarThrows) {
  Var x = tape.constant(Tensor::vector({1}));
  tape.reset();
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, x.item()),
            "Var: stale Var #0 from tape generation 1; the tape was reset since (now generation 2)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, ops::exp(x)),
            "Var: stale Var #0 from tape generation 1; the tape was reset since (now generation 2)");
  Var fresh = tape.constant(Tensor::vector({1}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, ops::add(fresh, x)),
            "Var: stale Var #0 from tape generation 1; the tape was reset since (now generation 2)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, ops::exp(Var{})),
            "Var: empty Var (default-constructed, not recorded on any tape)");
}

TEST_F(TapeTest, ForeignVarThrows) {
  Tape other;
  Var mine = tape.constant(Tensor::vector({1}));
  Var theirs = other.constant(Tensor::vector({2}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, ops::add(mine, theirs)), "add: Var #0 belongs to another tape");
  Var p = other.param(w);
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, tape.backward(p)), "backward: Var #1 belongs to another tape");
}

TEST_F(TapeTest, SecondBackwardThrows) {
  Var loss = record_step(tape, w, b);
  tape.backward(loss);
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, tape.backward(loss)),
            "backward: called twice on the same recording; reset() the tape and record again");
}

TEST_F(TapeTest, LossMustBeOneElement) {
  Var v = ops::exp(tape.param(b));
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, tape.backward(v)),
            "backward: the loss must have one element, got exp of shape [2]");
}

TEST_F(TapeTest, GradHookSeesTheCompleteGradientAndCanRewriteIt) {
  Var x = tape.param(b);               // [0.05, -0.05]
  Var h = ops::mul_scalar(x, 3);       // used twice below: its gradient has two contributions
  Var loss = ops::sum(ops::add(h, ops::mul(h, h)));  // d/dh = 1 + 2h
  std::vector<double> seen;
  tape.add_grad_hook(h, [&](const Node& n) {
    EXPECT_STREQ(n.op, "mul_scalar");
    std::span<double> g(n.grads<double>(), static_cast<size_t>(n.numel()));
    seen.assign(g.begin(), g.end());
    for (double& v : g) v *= 10;  // rewrite before it flows to x
  });
  std::vector<std::string> order;
  tape.add_grad_hook(h, [&](const Node& n) { order.push_back(std::to_string(n.grads<double>()[0])); });
  tape.backward(loss);
  expect_near_all(Tensor(Shape{2}, seen), {1 + 2 * 0.15, 1 - 2 * 0.15});
  expect_near_all(b.grad, {3 * 10 * 1.3, 3 * 10 * 0.7});
  ASSERT_EQ(order.size(), 1u);
  EXPECT_EQ(order[0], std::to_string(13.0));  // the second hook sees the first one's rewrite
}

TEST_F(TapeTest, ObserversSeeEveryNode) {
  std::vector<std::string> forward, backward;
  tape.set_forward_observer([&](const Node& n) { forward.push_back(n.op); });
  tape.set_backward_observer([&](const Node& n) { backward.push_back(n.op); });
  Var x = tape.param(b);
  Var c = tape.constant(Tensor::vector({2, 3}));
  tape.backward(ops::sum(ops::mul(x, c)));
  EXPECT_EQ(forward, (std::vector<std::string>{"param", "constant", "mul", "sum"}));
  EXPECT_EQ(backward, (std::vector<std::string>{"sum", "mul", "param"}));  // constants need none
}

TEST_F(TapeTest, OwnerTagsNodes) {
  tape.set_owner(3);
  Var x = ops::exp(tape.param(b));
  tape.set_owner(-1);
  Var y = ops::exp(x);
  EXPECT_EQ(x.node().owner, 3);
  EXPECT_EQ(y.node().owner, -1);
}

// ---- engine v2: any arity, several outputs, aux buffers ----

// A two-output op for the tests: (sum(x), sum(x^2)). The leader's rule reads both gradients.
void sums_backward(Tape& t, const Node& n) {
  const Node& in = t.node(n.inputs[0]);
  const double g1 = n.grads<double>()[0], g2 = t.output(n, 1).grads<double>()[0];
  const double* x = in.values<double>();
  for (int64_t k = 0; k < in.numel(); ++k) in.grads<double>()[k] += g1 + 2 * x[k] * g2;
}
std::array<Var, 2> sums(Var x) {
  Tape& t = x.tape();
  const Shape shapes[] = {Shape{}, Shape{}};
  Node& lead = t.record_outputs("sums", shapes, std::span<const Var>(&x, 1), &sums_backward);
  const NodeId id = t.id_of(lead);
  const Node& in = t.node(lead.inputs[0]);
  double s = 0, s2 = 0;
  const double* v = in.values<double>();
  for (int64_t k = 0; k < in.numel(); ++k) s += v[k], s2 += v[k] * v[k];
  t.mutable_node(id).values<double>()[0] = s;
  t.mutable_node(id + 1).values<double>()[0] = s2;
  t.finish(t.node(id));
  t.finish(t.node(id + 1));
  return {t.var(t.node(id)), t.var(t.node(id + 1))};
}

TEST_F(TapeTest, MultiOutputOpGetsEveryOutputsGradient) {
  Parameter x("x", Tensor::vector({1, 2}));
  auto [s, s2] = sums(tape.param(x));
  EXPECT_EQ(s.item(), 3);
  EXPECT_EQ(s2.item(), 5);
  std::vector<double> seen;
  tape.add_grad_hook(s2, [&](const Node& n) { seen.push_back(n.grads<double>()[0]); });
  tape.backward(ops::add(ops::mul_scalar(s, 3), ops::mul_scalar(s2, 0.5)));
  expect_near_all(x.grad, {3 + 1, 3 + 2});  // 3 + 0.5 * 2x
  EXPECT_EQ(seen, std::vector<double>{0.5});  // the follower's hook saw its complete gradient
  EXPECT_EQ(GRADLAB_THROW_TEXT(TapeError, tape.record_outputs("none", {}, {}, nullptr)),
            "none: an op records 1 to 32767 outputs, got 0");
}

// The loss may be the leader itself: the follower, recorded after it, must still read as zero
// (its buffer held the previous step's gradient).
TEST_F(TapeTest, MultiOutputLeaderAsTheLossSeesZeroForTheOthers) {
  Parameter x("x", Tensor::vector({1, 2}));
  tape.backward(sums(tape.param(x))[1]);
  expect_near_all(x.grad, {2, 4});
  x.zero_grad();
  tape.reset();
  tape.backward(sums(tape.param(x))[0]);
  expect_near_all(x.grad, {1, 1});
}

// Inputs live in one edge list; when it grows, the earlier nodes' inputs follow it.
TEST_F(TapeTest, NodesTakeAnyNumberOfInputs) {
  Parameter p("p", Tensor::vector({1}));
  std::vector<Var> parts;
  for (int k = 0; k < 300; ++k) parts.push_back(ops::mul_scalar(tape.param(p), k));
  Var c = ops::concat(parts, 0);
  EXPECT_EQ(c.node().num_inputs(), 300);
  for (int k = 0; k < 300; ++k) EXPECT_EQ(tape.node(parts[static_cast<size_t>(k)].id()).inputs[0], 2 * k);
  tape.backward(ops::sum(c));
  expect_near_all(p.grad, {299 * 300 / 2});
}

TEST_F(TapeTest, AuxBuffersAreReusedAcrossReset) {
  Var x = tape.constant(Tensor(Shape{1, 1, 4, 4}, 1.0));
  const int64_t* first = ops::max_pool2d(x).node().aux<int64_t>();
  tape.reset();
  Var y = ops::max_pool2d(tape.constant(Tensor(Shape{1, 1, 4, 4}, 1.0)));
  EXPECT_EQ(y.node().aux<int64_t>(), first);
  EXPECT_EQ(y.node().aux_store.size(), 4 * sizeof(int64_t));
}

// ---- dtypes ----

// y = 3 x in the input's dtype: a primitive written once for float and double, as ops are.
void triple_backward(Tape& t, const Node& n) {
  dispatch_float(n.dtype, n.op, [&]<class T>() {
    const Node& in = t.node(n.inputs[0]);
    for (int64_t k = 0; k < n.numel(); ++k) in.grads<T>()[k] += 3 * n.grads<T>()[k];
  });
}
Var triple(Var x) {
  Tape& t = x.tape();
  Node& n = t.record("triple", x.shape(), {x}, &triple_backward);
  dispatch_float(n.dtype, n.op, [&]<class T>() {
    for (int64_t k = 0; k < n.numel(); ++k) n.values<T>()[k] = 3 * t.node(n.inputs[0]).values<T>()[k];
  });
  t.finish(n);
  return t.var(n);
}

TEST_F(TapeTest, ANodeTakesItsFirstInputsDtypeAndGradientsStayInIt) {
  Parameter f("f", Tensor(Shape{1}, std::vector<float>{-1.25f}));
  Var y = triple(tape.param(f));
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_EQ(y.value().dtype(), DType::float32);
  EXPECT_EQ(y.data<float>()[0], -3.75f);
  Var loss = triple(y);
  tape.backward(loss);
  EXPECT_EQ(f.grad.dtype(), DType::float32);
  EXPECT_EQ(f.grad.data<float>()[0], 9.0f);
  EXPECT_EQ(loss.item(), -11.25);
  tape.reset();
  f.zero_grad();
  y = triple(tape.param(f));
  tape.add_grad_hook(y, [](const Node& n) { n.grads<float>()[0] = 2.0f; });  // rewritten in flight
  tape.backward(triple(y));
  EXPECT_EQ(f.grad.data<float>()[0], 6.0f);
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, y.node().values<double>()), "triple: float32 where float64 was expected");
}

TEST_F(TapeTest, MixingFloatDtypesInOneOpIsRefusedByName) {
  Var f = tape.constant(Tensor(Shape{2}, DType::float32));
  Var d = tape.constant(Tensor(Shape{2}, 1.0));
  Var ids = tape.constant(Tensor(Shape{2}, std::vector<int64_t>{0, 1}));
  const Var mixed[] = {f, ids, d};
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, tape.record("mix", Shape{2}, mixed, nullptr)),
            "mix: float64 where float32 was expected");
  const Var with_ids[] = {f, ids};  // integer inputs (indices, labels) go with any float dtype
  EXPECT_EQ(tape.record("lookup", Shape{2}, with_ids, nullptr).dtype, DType::float32);
  const Var none[] = {ids};
  const Node& n = tape.record("count", Shape{1}, none, nullptr, DType::float64);  // explicit dtype
  EXPECT_EQ(n.dtype, DType::float64);
  EXPECT_EQ(tape.constant(Tensor(Shape{3}, std::vector<int64_t>{1, 2, 3})).dtype(), DType::int64);
}

TEST_F(TapeTest, IntegerNodesNeverRequireGrad) {
  Parameter f("f", Tensor(Shape{1}, DType::float32, 1.0));
  const Var in[] = {tape.param(f)};
  EXPECT_TRUE(tape.record("as_float", Shape{1}, in, nullptr).requires_grad);
  EXPECT_FALSE(tape.record("argmax", Shape{1}, in, nullptr, DType::int64).requires_grad);
}

TEST_F(TapeTest, CheckNumericsSeesAFloat32NaN) {
  std::string seen;
  tape.set_non_finite_handler([&](const Node& n, bool) { seen = n.op; });
  Parameter f("f", Tensor(Shape{5}, DType::float32, 1.0));
  f.value.data<float>()[4] = std::numeric_limits<float>::quiet_NaN();
  triple(tape.param(f));
  EXPECT_EQ(seen, "triple");
  EXPECT_FALSE(all_finite(std::vector<float>{1, 2, std::numeric_limits<float>::infinity()}.data(), 3));
  EXPECT_TRUE(all_finite(std::vector<float>{1, 2, 3e38f}.data(), 3));
}

}  // namespace
}  // namespace gradlab
