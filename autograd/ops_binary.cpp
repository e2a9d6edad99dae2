// Elementwise binary primitives with numpy broadcasting. Each op is one row: its value and its
// two partial derivatives; one template does the recording and one the backward walk.
#include <cmath>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::for_each_broadcast;
using detail::input;
using detail::make_broadcast;

// NB: each row is a template on the element type T (double or float).
struct Add {
  template <class T> static T f(T a, T b) { return a + b; }
  template <class T> static T da(T, T, T) { return 1; }
  template <class T> static T db(T, T, T) { return 1; }
};
struct Sub {
  template <class T> static T f(T a, T b) { return a - b; }
  template <class T> static T da(T, T, T) { return 1; }
  template <class T> static T db(T, T, T) { return -1; }
};
struct Mul {
  template <class T> static T f(T a, T b) { return a * b; }
  template <class T> static T da(T, T b, T) { return b; }
  template <class T> static T db(T a, T, T) { return a; }
};
struct Div {
  template <class T> static T f(T a, T b) { return a / b; }
  template <class T> static T da(T, T b, T) { return 1 / b; }
  template <class T> static T db(T a, T b, T) { return -a / (b * b); }
};
struct Maximum {  // ties go to a
  template <class T> static T f(T a, T b) { return a >= b ? a : b; }
  template <class T> static T da(T a, T b, T) { return a >= b ? 1 : 0; }
  template <class T> static T db(T a, T b, T) { return a >= b ? 0 : 1; }
};
struct Pow {
  template <class T> static T f(T a, T b) { return std::pow(a, b); }
  template <class T> static T da(T a, T b, T) { return b * std::pow(a, b - 1); }
  // NB: d/db a^b = a^b ln a is undefined for a <= 0; the exponent then gets no gradient.
  template <class T> static T db(T a, T, T y) { return a > 0 ? y * std::log(a) : 0; }
};

template <class Op, class T>
void binary_backward(Tape& t, const Node& n) {
  const Node& a = input(t, n, 0);
  const Node& b = input(t, n, 1);
  const T *av = a.values<T>(), *bv = b.values<T>(), *y = n.values<T>(), *g = n.grads<T>();
  // NB: same shapes skip the broadcast plan (a rank-6 plan costs more than a 4-element op).
  if (a.shape == n.shape && b.shape == n.shape) {  // __restrict: the loops vectorise
    const T *__restrict ar = av, *__restrict br = bv, *__restrict yr = y, *__restrict gr = g;
    const int64_t size = n.numel();
    if (T* __restrict ga = a.grads<T>())
      for (int64_t o = 0; o < size; ++o) ga[o] += gr[o] * Op::da(ar[o], br[o], yr[o]);
    if (T* __restrict gb = b.grads<T>())
      for (int64_t o = 0; o < size; ++o) gb[o] += gr[o] * Op::db(ar[o], br[o], yr[o]);
    return;
  }
  const auto bc = make_broadcast(n.shape, {a.shape, b.shape});
  if (T* ga = a.grads<T>()) {
    for_each_broadcast(bc, [&](int64_t o, int64_t i, int64_t j, int64_t) {
      ga[i] += g[o] * Op::da(av[i], bv[j], y[o]);
    });
  }
  if (T* gb = b.grads<T>()) {
    for_each_broadcast(bc, [&](int64_t o, int64_t i, int64_t j, int64_t) {
      gb[j] += g[o] * Op::db(av[i], bv[j], y[o]);
    });
  }
}

template <class Op, class T>
Var binary_typed(const char* name, Var a, Var b) {
  Tape& t = a.tape();
  const Shape out = detail::broadcast_shapes(name, a.shape(), b.shape());
  Node& n = t.record(name, out, {a, b}, &binary_backward<Op, T>);
  const Node& x = input(t, n, 0);
  const Node& z = input(t, n, 1);
  const T *__restrict xv = x.values<T>(), *__restrict zv = z.values<T>();
  T* __restrict y = n.values<T>();
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

// One body per op, compiled for double and float; the dtype is looked at once, here.
template <class Op>
Var binary(const char* name, Var a, Var b) {
  return dispatch_float(a.dtype(), name, [&]<class T>() { return binary_typed<Op, T>(name, a, b); });
}

// C is the condition's element type: T, or int64 (a mask of ids).
template <class T, class C>
void where_backward(Tape& t, const Node& n) {
  const Node& c = input(t, n, 0);
  const Node& a = input(t, n, 1);
  const Node& b = input(t, n, 2);
  const auto bc = make_broadcast(n.shape, {c.shape, a.shape, b.shape});
  const C* cv = c.values<C>();
  const T* g = n.grads<T>();
  T *ga = a.grads<T>(), *gb = b.grads<T>();
  for_each_broadcast(bc, [&](int64_t o, int64_t k, int64_t i, int64_t j) {
    if (cv[k] != 0) {
      if (ga) ga[i] += g[o];
    } else if (gb) {
      gb[j] += g[o];
    }
  });
}

template <class T, class C>
Var where_typed(Var cond, Var a, Var b) {
  Tape& t = a.tape();
  const Shape ab = detail::broadcast_shapes("where", a.shape(), b.shape());
  const Shape out = detail::broadcast_shapes("where", cond.shape(), ab);
  // NB: the value's dtype is a's (the condition may be int64).
  Node& n = t.record("where", out, {cond, a, b}, &where_backward<T, C>, dtype_of<T>());
  const Node& c = input(t, n, 0);
  const Node& x = input(t, n, 1);
  const Node& z = input(t, n, 2);
  const C* cv = c.values<C>();
  const T *xv = x.values<T>(), *zv = z.values<T>();
  T* y = n.values<T>();
  for_each_broadcast(make_broadcast(out, {c.shape, x.shape, z.shape}),
                     [&](int64_t o, int64_t k, int64_t i, int64_t j) { y[o] = cv[k] != 0 ? xv[i] : zv[j]; });
  t.finish(n);
  return t.var(n);
}

}  // namespace

Var add(Var a, Var b) { return binary<Add>("add", a, b); }
Var sub(Var a, Var b) { return binary<Sub>("sub", a, b); }
Var mul(Var a, Var b) { return binary<Mul>("mul", a, b); }
Var div(Var a, Var b) { return binary<Div>("div", a, b); }
Var maximum(Var a, Var b) { return binary<Maximum>("maximum", a, b); }
Var pow(Var a, Var b) { return binary<Pow>("pow", a, b); }

// cond: a's dtype, or int64; a and b share a dtype.
Var where(Var cond, Var a, Var b) {
  return dispatch_float(a.dtype(), "where", [&]<class T>() {
    if (cond.dtype() == DType::int64) return where_typed<T, int64_t>(cond, a, b);
    return where_typed<T, T>(cond, a, b);
  });
}

}  // namespace gradlab::ops
