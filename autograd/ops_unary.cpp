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

// NB: every row is a template on the element type T (double or float): the attributes p stay
// double and are cast to T where used, which changes nothing for T = double.
template <class T>
T stable_sigmoid(T x) {
  // NB: never exp of a large positive number, so no overflow to inf/inf for large |x|.
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const T e = std::exp(x);
  return e / (1 + e);
}

struct Neg {
  template <class T> static T f(T x, const P&) { return -x; }
  template <class T> static T d(T, T, const P&) { return -1; }
};
// Ops with a bulk form `all` compute a whole buffer with Eigen's SIMD exp (4 doubles at a time):
// the scalar libm call dominated sigmoid-net training (bench/gradlab_micro BM_sigmoid).
// NB: fixed blocks of 4 (one AVX packet, unaligned loads), never one dynamic-size Map: Eigen's
// dynamic loop computes the elements before the first 32-byte-aligned one with the scalar
// std::exp, which differs in the last bit from the SIMD exp, so results depended on the heap
// address of the buffer and two runs of one seed could differ (issue 6). The tail (< 4) is scalar.
// float uses the same fixed blocks of 4 (one SSE packet), for the same reason.
template <class T, class Packet, class Scalar>
void in_blocks_of_4(const T* x, T* y, int64_t n, Packet packet, Scalar scalar) {
  using Block = Eigen::Array<T, 4, 1>;
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) Eigen::Map<Block>(y + i) = packet(Eigen::Map<const Block>(x + i));
  for (; i < n; ++i) y[i] = scalar(x[i]);
}

struct Exp {
  template <class T> static T f(T x, const P&) { return std::exp(x); }
  template <class T>
  static void all(const T* x, T* y, int64_t n, const P&) {
    in_blocks_of_4(x, y, n, [](const auto& a) { return a.exp().eval(); }, [](T v) { return std::exp(v); });
  }
  template <class T> static T d(T, T y, const P&) { return y; }
};
struct Log {
  template <class T> static T f(T x, const P&) { return std::log(x); }
  template <class T> static T d(T x, T, const P&) { return 1 / x; }
};
struct Sqrt {
  template <class T> static T f(T x, const P&) { return std::sqrt(x); }
  template <class T> static T d(T, T y, const P&) { return T(0.5) / y; }
};
struct Abs {
  template <class T> static T f(T x, const P&) { return std::abs(x); }
  template <class T> static T d(T x, T, const P&) { return x > 0 ? 1 : x < 0 ? -1 : 0; }
};
struct Square {
  template <class T> static T f(T x, const P&) { return x * x; }
  template <class T> static T d(T x, T, const P&) { return 2 * x; }
};
struct Clamp {  // p = {lo, hi}
  template <class T> static T f(T x, const P& p) {
    const T lo = T(p[0]), hi = T(p[1]);
    return x < lo ? lo : x > hi ? hi : x;
  }
  template <class T> static T d(T x, T, const P& p) { return x > T(p[0]) && x < T(p[1]) ? 1 : 0; }
};
struct Tanh {
  template <class T> static T f(T x, const P&) { return std::tanh(x); }
  template <class T> static T d(T, T y, const P&) { return 1 - y * y; }
};
struct Sigmoid {
  template <class T> static T f(T x, const P&) { return stable_sigmoid(x); }
  // NB: 1/(1+e^-x) is safe in bulk: e^-x overflows to inf for x < -709 and gives exactly 0.
  template <class T>
  static void all(const T* x, T* y, int64_t n, const P&) {
    in_blocks_of_4(x, y, n, [](const auto& a) { return (T(1) + (-a).exp()).inverse().eval(); },
                   [](T v) { return 1 / (1 + std::exp(-v)); });
  }
  template <class T> static T d(T, T y, const P&) { return y * (1 - y); }
};
struct Relu {
  template <class T> static T f(T x, const P&) { return x > 0 ? x : 0; }
  template <class T> static T d(T x, T, const P&) { return x > 0 ? 1 : 0; }
};
struct LeakyRelu {  // p = {slope}
  template <class T> static T f(T x, const P& p) { return x > 0 ? x : T(p[0]) * x; }
  template <class T> static T d(T x, T, const P& p) { return x > 0 ? 1 : T(p[0]); }
};
struct Elu {  // p = {alpha}
  template <class T> static T f(T x, const P& p) { return x > 0 ? x : T(p[0]) * std::expm1(x); }
  template <class T> static T d(T x, T y, const P& p) { return x > 0 ? 1 : y + T(p[0]); }
};
struct Softplus {  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
  template <class T> static T f(T x, const P&) { return std::max(x, T(0)) + std::log1p(std::exp(-std::abs(x))); }
  template <class T> static T d(T x, T, const P&) { return stable_sigmoid(x); }
};
struct Gelu {  // x Phi(x), Phi the standard normal CDF
  template <class T> static T f(T x, const P&) { return T(0.5) * x * (1 + std::erf(x * std::numbers::sqrt2_v<T> / 2)); }
  template <class T> static T d(T x, T, const P&) {
    const T cdf = T(0.5) * (1 + std::erf(x * std::numbers::sqrt2_v<T> / 2));
    const T pdf = std::exp(T(-0.5) * x * x) * std::numbers::inv_sqrtpi_v<T> / std::numbers::sqrt2_v<T>;
    return cdf + x * pdf;
  }
};
struct AddScalar {  // p = {s}
  template <class T> static T f(T x, const P& p) { return x + T(p[0]); }
  template <class T> static T d(T, T, const P&) { return 1; }
};
struct MulScalar {  // p = {s}
  template <class T> static T f(T x, const P& p) { return x * T(p[0]); }
  template <class T> static T d(T, T, const P& p) { return T(p[0]); }
};
struct PowScalar {  // p = {exponent}
  template <class T> static T f(T x, const P& p) { return std::pow(x, T(p[0])); }
  // NB: the exponent minus 1 is taken in double, then cast (for T = double, as before).
  template <class T> static T d(T x, T, const P& p) { return T(p[0]) * std::pow(x, T(p[0] - 1)); }
};

// NB: __restrict and a local copy of the attributes let these loops vectorise: otherwise the
// compiler must assume that writing a gradient may change the inputs or n.f. The input's
// gradient is assigned when no other rule wrote it yet (the usual chain): no zeroing, no read.
template <class Op, class T>
void unary_backward(Tape& t, const Node& n) {
  const Node& in = detail::input(t, n, 0);
  if (!in.has_grad()) return;
  const int64_t size = n.numel();
  const P f = n.f;
  T* __restrict gx = in.grads<T>();
  const T* __restrict gy = n.grads<T>();
  const T* __restrict x = in.values<T>();
  const T* __restrict y = n.values<T>();
  if (t.claim_unwritten_grad(in))
    for (int64_t k = 0; k < size; ++k) gx[k] = gy[k] * Op::d(x[k], y[k], f) + T(0);
  else
    for (int64_t k = 0; k < size; ++k) gx[k] += gy[k] * Op::d(x[k], y[k], f);
}

template <class Op, class T>
Var unary_typed(const char* name, Var a, double p0, double p1) {
  Tape& t = a.tape();
  Node& n = t.record(name, a.shape(), {a}, &unary_backward<Op, T>);
  n.f = {p0, p1, 0};
  n.assigns_grads = 1;  // input 0's
  const T* __restrict x = detail::input(t, n, 0).values<T>();
  T* __restrict y = n.values<T>();
  const int64_t size = n.numel();
  const P f = n.f;
  if constexpr (requires { Op::all(x, y, size, f); })
    Op::all(x, y, size, f);
  else
    for (int64_t k = 0; k < size; ++k) y[k] = Op::f(x[k], f);
  t.finish(n);
  return t.var(n);
}

// One body per op, compiled for double and float; the dtype is looked at once, here.
template <class Op>
Var unary(const char* name, Var a, double p0 = 0, double p1 = 0) {
  return dispatch_float(a.dtype(), name, [&]<class T>() { return unary_typed<Op, T>(name, a, p0, p1); });
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
