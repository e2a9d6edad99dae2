// Elementwise unary primitives. Each op is one row: its value f(x) and its derivative written
// with x, the output y and the op's attributes p (slope, bounds, exponent, ...).
#include <cmath>
#include <numbers>

#include <Eigen/Core>
#include <fmt/format.h>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using P = decltype(Node::f);

double stable_sigmoid(double x) {
  // NB: never exp of a large positive number, so no overflow to inf/inf for large |x|.
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1 + e);
}

struct Neg {
  static double f(double x, const P&) { return -x; }
  static double d(double, double, const P&) { return -1; }
};
// Ops with a bulk form `all` compute a whole buffer with Eigen's SIMD exp (4 doubles at a time):
// the scalar libm call dominated sigmoid-net training (bench/gradlab_micro BM_sigmoid).
// NB: fixed blocks of 4 (one AVX packet, unaligned loads), never one dynamic-size Map: Eigen's
// dynamic loop computes the elements before the first 32-byte-aligned one with the scalar
// std::exp, which differs in the last bit from the SIMD exp, so results depended on the heap
// address of the buffer and two runs of one seed could differ (issue 6). The tail (< 4) is scalar.
template <class Packet, class Scalar>
void in_blocks_of_4(const double* x, double* y, int64_t n, Packet packet, Scalar scalar) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) Eigen::Map<Eigen::Array4d>(y + i) = packet(Eigen::Map<const Eigen::Array4d>(x + i));
  for (; i < n; ++i) y[i] = scalar(x[i]);
}

struct Exp {
  static double f(double x, const P&) { return std::exp(x); }
  static void all(const double* x, double* y, int64_t n, const P&) {
    in_blocks_of_4(x, y, n, [](const auto& a) { return a.exp().eval(); }, [](double v) { return std::exp(v); });
  }
  static double d(double, double y, const P&) { return y; }
};
struct Log {
  static double f(double x, const P&) { return std::log(x); }
  static double d(double x, double, const P&) { return 1 / x; }
};
struct Sqrt {
  static double f(double x, const P&) { return std::sqrt(x); }
  static double d(double, double y, const P&) { return 0.5 / y; }
};
struct Abs {
  static double f(double x, const P&) { return std::abs(x); }
  static double d(double x, double, const P&) { return x > 0 ? 1 : x < 0 ? -1 : 0; }
};
struct Square {
  static double f(double x, const P&) { return x * x; }
  static double d(double x, double, const P&) { return 2 * x; }
};
struct Clamp {  // p = {lo, hi}
  static double f(double x, const P& p) { return x < p[0] ? p[0] : x > p[1] ? p[1] : x; }
  static double d(double x, double, const P& p) { return x > p[0] && x < p[1] ? 1 : 0; }
};
struct Tanh {
  static double f(double x, const P&) { return std::tanh(x); }
  static double d(double, double y, const P&) { return 1 - y * y; }
};
struct Sigmoid {
  static double f(double x, const P&) { return stable_sigmoid(x); }
  // NB: 1/(1+e^-x) is safe in bulk: e^-x overflows to inf for x < -709 and gives exactly 0.
  static void all(const double* x, double* y, int64_t n, const P&) {
    in_blocks_of_4(x, y, n, [](const auto& a) { return (1.0 + (-a).exp()).inverse().eval(); },
                   [](double v) { return 1 / (1 + std::exp(-v)); });
  }
  static double d(double, double y, const P&) { return y * (1 - y); }
};
struct Relu {
  static double f(double x, const P&) { return x > 0 ? x : 0; }
  static double d(double x, double, const P&) { return x > 0 ? 1 : 0; }
};
struct LeakyRelu {  // p = {slope}
  static double f(double x, const P& p) { return x > 0 ? x : p[0] * x; }
  static double d(double x, double, const P& p) { return x > 0 ? 1 : p[0]; }
};
struct Elu {  // p = {alpha}
  static double f(double x, const P& p) { return x > 0 ? x : p[0] * std::expm1(x); }
  static double d(double x, double y, const P& p) { return x > 0 ? 1 : y + p[0]; }
};
struct Softplus {  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
  static double f(double x, const P&) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }
  static double d(double x, double, const P&) { return stable_sigmoid(x); }
};
struct Gelu {  // x Phi(x), Phi the standard normal CDF
  static double f(double x, const P&) { return 0.5 * x * (1 + std::erf(x * std::numbers::sqrt2 / 2)); }
  static double d(double x, double, const P&) {
    const double cdf = 0.5 * (1 + std::erf(x * std::numbers::sqrt2 / 2));
    const double pdf = std::exp(-0.5 * x * x) * std::numbers::inv_sqrtpi / std::numbers::sqrt2;
    return cdf + x * pdf;
  }
};
struct AddScalar {  // p = {s}
  static double f(double x, const P& p) { return x + p[0]; }
  static double d(double, double, const P&) { return 1; }
};
struct MulScalar {  // p = {s}
  static double f(double x, const P& p) { return x * p[0]; }
  static double d(double, double, const P& p) { return p[0]; }
};
struct PowScalar {  // p = {exponent}
  static double f(double x, const P& p) { return std::pow(x, p[0]); }
  static double d(double x, double, const P& p) { return p[0] * std::pow(x, p[0] - 1); }
};

// NB: __restrict and a local copy of the attributes let these loops vectorise: otherwise the
// compiler must assume that writing a gradient may change the inputs or n.f.
template <class Op>
void unary_backward(Tape& t, const Node& n) {
  const Node& in = detail::input(t, n, 0);
  if (!in.grad) return;
  const int64_t size = n.numel();
  const P f = n.f;
  double* __restrict gx = in.grad;
  const double* __restrict gy = n.grad;
  const double* __restrict x = in.value;
  const double* __restrict y = n.value;
  for (int64_t k = 0; k < size; ++k) gx[k] += gy[k] * Op::d(x[k], y[k], f);
}

template <class Op>
Var unary(const char* name, Var a, double p0 = 0, double p1 = 0) {
  Tape& t = a.tape();
  Node& n = t.record(name, a.shape(), {a}, &unary_backward<Op>);
  n.f = {p0, p1, 0};
  const double* __restrict x = detail::input(t, n, 0).value;
  double* __restrict y = n.value;
  const int64_t size = n.numel();
  const P f = n.f;
  if constexpr (requires { Op::all(x, y, size, f); })
    Op::all(x, y, size, f);
  else
    for (int64_t k = 0; k < size; ++k) y[k] = Op::f(x[k], f);
  t.finish(n);
  return t.var(n);
}

}  // namespace

Var neg(Var a) { return unary<Neg>("neg", a); }
Var exp(Var a) { return unary<Exp>("exp", a); }
Var log(Var a) { return unary<Log>("log", a); }
Var sqrt(Var a) { return unary<Sqrt>("sqrt", a); }
Var abs(Var a) { return unary<Abs>("abs", a); }
Var square(Var a) { return unary<Square>("square", a); }
Var clamp(Var a, double lo, double hi) {
  if (!(lo <= hi)) throw ShapeError(fmt::format("clamp: lo {} > hi {}", lo, hi));
  return unary<Clamp>("clamp", a, lo, hi);
}
Var tanh(Var a) { return unary<Tanh>("tanh", a); }
Var sigmoid(Var a) { return unary<Sigmoid>("sigmoid", a); }
Var relu(Var a) { return unary<Relu>("relu", a); }
Var leaky_relu(Var a, double slope) { return unary<LeakyRelu>("leaky_relu", a, slope); }
Var elu(Var a, double alpha) { return unary<Elu>("elu", a, alpha); }
Var softplus(Var a) { return unary<Softplus>("softplus", a); }
Var gelu(Var a) { return unary<Gelu>("gelu", a); }
Var add_scalar(Var a, double s) { return unary<AddScalar>("add_scalar", a, s); }
Var mul_scalar(Var a, double s) { return unary<MulScalar>("mul_scalar", a, s); }
Var pow_scalar(Var a, double exponent) { return unary<PowScalar>("pow_scalar", a, exponent); }

}  // namespace gradlab::ops
