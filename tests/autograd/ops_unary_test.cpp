// Values and derivatives of the elementwise unary ops at hand-picked points.
#include <cmath>

#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

// Applies `op` to x, backpropagates sum(op(x)), and checks both the value and dy/dx.
template <class Op>
void check_unary(Op op, std::vector<double> x, std::vector<double> y, std::vector<double> dydx,
                 double tol = 1e-10) {
  Tape tape;
  Parameter p("x", Tensor(Shape{static_cast<int64_t>(x.size())}, x));
  Var out = op(tape.param(p));
  expect_near_all(out.value(), y, tol);
  tape.backward(ops::sum(out));
  expect_near_all(p.grad, dydx, tol);
}

const double e = std::exp(1.0);

TEST(UnaryOps, Neg) { check_unary([](Var v) { return ops::neg(v); }, {2, -3}, {-2, 3}, {-1, -1}); }
TEST(UnaryOps, Exp) { check_unary([](Var v) { return ops::exp(v); }, {0, 1}, {1, e}, {1, e}); }
TEST(UnaryOps, Log) { check_unary([](Var v) { return ops::log(v); }, {1, e}, {0, 1}, {1, 1 / e}); }
TEST(UnaryOps, Sqrt) { check_unary([](Var v) { return ops::sqrt(v); }, {4, 9}, {2, 3}, {0.25, 1.0 / 6}); }
TEST(UnaryOps, AbsHasZeroSlopeAtZero) {
  check_unary([](Var v) { return ops::abs(v); }, {-3, 0, 2}, {3, 0, 2}, {-1, 0, 1});
}
TEST(UnaryOps, Square) { check_unary([](Var v) { return ops::square(v); }, {3, -1}, {9, 1}, {6, -2}); }
TEST(UnaryOps, ClampPassesGradientOnlyInside) {
  check_unary([](Var v) { return ops::clamp(v, -1, 1); }, {-2, 0.5, 2, 1}, {-1, 0.5, 1, 1}, {0, 1, 0, 0});
}
TEST(UnaryOps, Tanh) {
  const double t = std::tanh(0.5);  // 0.46211715726...
  check_unary([](Var v) { return ops::tanh(v); }, {0, 0.5}, {0, 0.46211715726000974}, {1, 1 - t * t});
}
TEST(UnaryOps, Sigmoid) {
  check_unary([](Var v) { return ops::sigmoid(v); }, {0, 2}, {0.5, 0.8807970779778823},
              {0.25, 0.8807970779778823 * 0.11920292202211757});
}
TEST(UnaryOps, SigmoidIsFiniteForLargeInputs) {
  check_unary([](Var v) { return ops::sigmoid(v); }, {-800, 800}, {0, 1}, {0, 0});
}
TEST(UnaryOps, Relu) { check_unary([](Var v) { return ops::relu(v); }, {-1, 2}, {0, 2}, {0, 1}); }
TEST(UnaryOps, LeakyRelu) {
  check_unary([](Var v) { return ops::leaky_relu(v, 0.1); }, {-2, 3}, {-0.2, 3}, {0.1, 1});
}
TEST(UnaryOps, Elu) {  // alpha (e^x - 1) below 0, slope alpha e^x
  check_unary([](Var v) { return ops::elu(v, 2.0); }, {-1, 3}, {2 * (1 / e - 1), 3}, {2 / e, 1});
}
TEST(UnaryOps, SoftplusIsStable) {
  check_unary([](Var v) { return ops::softplus(v); }, {0, 1000, -1000}, {std::log(2.0), 1000, 0},
              {0.5, 1, 0});
}
TEST(UnaryOps, GeluIsExact) {
  // Phi(1) = 0.841344746..., phi(1) = 0.241970724...; d/dx x Phi(x) = Phi(x) + x phi(x)
  check_unary([](Var v) { return ops::gelu(v); }, {0, 1, -1}, {0, 0.8413447460685429, -0.15865525393145707},
              {0.5, 0.8413447460685429 + 0.24197072451914337, 0.15865525393145707 - 0.24197072451914337});
}
TEST(UnaryOps, ScalarForms) {
  check_unary([](Var v) { return ops::add_scalar(v, 2.5); }, {1}, {3.5}, {1});
  check_unary([](Var v) { return ops::mul_scalar(v, -3); }, {2}, {-6}, {-3});
  check_unary([](Var v) { return ops::pow_scalar(v, 3); }, {2}, {8}, {12});
}

TEST(UnaryOps, ClampRejectsInvertedBounds) {
  Tape tape;
  Var x = tape.constant(Tensor::vector({1}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::clamp(x, 1, 0)), "clamp: lo 1 > hi 0");
}

}  // namespace
}  // namespace gradlab
