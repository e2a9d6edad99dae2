// Elementwise binary primitives with numpy broadcasting. Each op is one row: its value and its
// two partial derivatives; one template does the recording and one the backward walk.
#include <cmath>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::for_each_broadcast;
using detail::input;
using detail::make_broadcast;

struct Add {
  static double f(double a, double b) { return a + b; }
  static double da(double, double, double) { return 1; }
  static double db(double, double, double) { return 1; }
};
struct Sub {
  static double f(double a, double b) { return a - b; }
  static double da(double, double, double) { return 1; }
  static double db(double, double, double) { return -1; }
};
struct Mul {
  static double f(double a, double b) { return a * b; }
  static double da(double, double b, double) { return b; }
  static double db(double a, double, double) { return a; }
};
struct Div {
  static double f(double a, double b) { return a / b; }
  static double da(double, double b, double) { return 1 / b; }
  static double db(double a, double b, double) { return -a / (b * b); }
};
struct Maximum {  // ties go to a
  static double f(double a, double b) { return a >= b ? a : b; }
  static double da(double a, double b, double) { return a >= b ? 1 : 0; }
  static double db(double a, double b, double) { return a >= b ? 0 : 1; }
};
struct Pow {
  static double f(double a, double b) { return std::pow(a, b); }
  static double da(double a, double b, double) { return b * std::pow(a, b - 1); }
  // NB: d/db a^b = a^b ln a is undefined for a <= 0; the exponent then gets no gradient.
  static double db(double a, double, double y) { return a > 0 ? y * std::log(a) : 0; }
};

template <class Op>
void binary_backward(Tape& t, const Node& n) {
  const Node& a = input(t, n, 0);
  const Node& b = input(t, n, 1);
  const double *av = a.value, *bv = b.value, *y = n.value, *g = n.grad;
  // NB: same shapes skip the broadcast plan (a rank-6 plan costs more than a 4-element op).
  if (a.shape == n.shape && b.shape == n.shape) {  // __restrict: the loops vectorise
    const double *__restrict ar = av, *__restrict br = bv, *__restrict yr = y, *__restrict gr = g;
    const int64_t size = n.numel();
    if (double* __restrict ga = a.grad)
      for (int64_t o = 0; o < size; ++o) ga[o] += gr[o] * Op::da(ar[o], br[o], yr[o]);
    if (double* __restrict gb = b.grad)
      for (int64_t o = 0; o < size; ++o) gb[o] += gr[o] * Op::db(ar[o], br[o], yr[o]);
    return;
  }
  const auto bc = make_broadcast(n.shape, {a.shape, b.shape});
  if (a.grad) {
    double* ga = a.grad;
    for_each_broadcast(bc, [&](int64_t o, int64_t i, int64_t j, int64_t) {
      ga[i] += g[o] * Op::da(av[i], bv[j], y[o]);
    });
  }
  if (b.grad) {
    double* gb = b.grad;
    for_each_broadcast(bc, [&](int64_t o, int64_t i, int64_t j, int64_t) {
      gb[j] += g[o] * Op::db(av[i], bv[j], y[o]);
    });
  }
}

template <class Op>
Var binary(const char* name, Var a, Var b) {
  Tape& t = a.tape();
  const Shape out = detail::broadcast_shapes(name, a.shape(), b.shape());
  Node& n = t.record(name, out, {a, b}, &binary_backward<Op>);
  const Node& x = input(t, n, 0);
  const Node& z = input(t, n, 1);
  const double *__restrict xv = x.value, *__restrict zv = z.value;
  double* __restrict y = n.value;
  if (x.shape == out && z.shape == out) {
    const int64_t size = n.numel();
    for (int64_t o = 0; o < size; ++o) y[o] = Op::f(xv[o], zv[o]);
  } else {
    for_each_broadcast(make_broadcast(out, {x.shape, z.shape}),
                       [&](int64_t o, int64_t i, int64_t j, int64_t) { y[o] = Op::f(xv[i], zv[j]); });
  }
  t.finish(n);
  return t.var(n);
}

void where_backward(Tape& t, const Node& n) {
  const Node& c = input(t, n, 0);
  const Node& a = input(t, n, 1);
  const Node& b = input(t, n, 2);
  const auto bc = make_broadcast(n.shape, {c.shape, a.shape, b.shape});
  const double *cv = c.value, *g = n.grad;
  double *ga = a.grad, *gb = b.grad;
  for_each_broadcast(bc, [&](int64_t o, int64_t k, int64_t i, int64_t j) {
    if (cv[k] != 0) {
      if (ga) ga[i] += g[o];
    } else if (gb) {
      gb[j] += g[o];
    }
  });
}

}  // namespace

Var add(Var a, Var b) { return binary<Add>("add", a, b); }
Var sub(Var a, Var b) { return binary<Sub>("sub", a, b); }
Var mul(Var a, Var b) { return binary<Mul>("mul", a, b); }
Var div(Var a, Var b) { return binary<Div>("div", a, b); }
Var maximum(Var a, Var b) { return binary<Maximum>("maximum", a, b); }
Var pow(Var a, Var b) { return binary<Pow>("pow", a, b); }

Var where(Var cond, Var a, Var b) {
  Tape& t = a.tape();
  const Shape ab = detail::broadcast_shapes("where", a.shape(), b.shape());
  const Shape out = detail::broadcast_shapes("where", cond.shape(), ab);
  Node& n = t.record("where", out, {cond, a, b}, &where_backward);
  const Node& c = input(t, n, 0);
  const Node& x = input(t, n, 1);
  const Node& z = input(t, n, 2);
  const double *cv = c.value, *xv = x.value, *zv = z.value;
  double* y = n.value;
  for_each_broadcast(make_broadcast(out, {c.shape, x.shape, z.shape}),
                     [&](int64_t o, int64_t k, int64_t i, int64_t j) { y[o] = cv[k] != 0 ? xv[i] : zv[j]; });
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops
