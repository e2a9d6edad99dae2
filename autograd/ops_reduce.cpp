// Reductions: sum (all or along an axis) and max along an axis are primitives; mean is composed.
// NB: each body is a template on the element type T; sums accumulate in double and round once to
// T (for T = double that is the arithmetic it always did).
#include <algorithm>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

template <class T>
void sum_all_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const T g = n.grads<T>()[0];
  T* gi = in.grads<T>();
  const int64_t size = in.numel();
  for (int64_t k = 0; k < size; ++k) gi[k] += g;
}

// n.i = {axis}: the input is [outer, len, inner], the output [outer, inner].
template <class T>
void sum_axis_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const auto s = detail::split_at(in.shape, static_cast<int>(n.i[0]));
  T* grad_in = in.grads<T>();
  const T* grad_out = n.grads<T>();
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t l = 0; l < s.len; ++l) {
      T* gi = grad_in + (o * s.len + l) * s.inner;
      const T* go = grad_out + o * s.inner;
      for (int64_t k = 0; k < s.inner; ++k) gi[k] += go[k];
    }
}

// Index (along the axis) of the first maximum of column (o, k); shared by forward and backward.
template <class T>
int64_t argmax_at(const T* x, const detail::AxisSplit& s, int64_t o, int64_t k) {
  const T* base = x + o * s.len * s.inner + k;
  int64_t best = 0;
  for (int64_t l = 1; l < s.len; ++l)
    if (base[l * s.inner] > base[best * s.inner]) best = l;
  return best;
}

template <class T>
void max_axis_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const auto s = detail::split_at(in.shape, static_cast<int>(n.i[0]));
  const T* x = in.values<T>();
  const T* go = n.grads<T>();
  T* gi = in.grads<T>();
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) {
      const int64_t l = argmax_at(x, s, o, k);
      gi[(o * s.len + l) * s.inner + k] += go[o * s.inner + k];
    }
}

template <class T>
Var sum_all(Var a) {
  Tape& t = a.tape();
  Node& n = t.record("sum", Shape{}, {a}, &sum_all_backward<T>);
  const Node& in = input(t, n, 0);
  const T* x = in.values<T>();
  double acc = 0;
  const int64_t size = in.numel();
  for (int64_t k = 0; k < size; ++k) acc += x[k];
  n.values<T>()[0] = static_cast<T>(acc);
  t.finish(n);
  return t.var(n);
}

template <class T>
Var sum_axis(Var a, int ax, bool keepdim) {
  Tape& t = a.tape();
  const Shape in_shape = a.shape();
  Node& n = t.record("sum_axis", detail::reduced_shape(in_shape, ax, keepdim), {a}, &sum_axis_backward<T>);
  n.i[0] = ax;
  const auto s = detail::split_at(in_shape, ax);
  const T* x = input(t, n, 0).values<T>();
  T* y = n.values<T>();
  const int64_t size = n.numel();
  // The sums run in double: in the output itself for T = double, in a scratch buffer otherwise.
  double* acc;
  if constexpr (std::is_same_v<T, double>)
    acc = y;
  else
    acc = t.scratch<double>(0, static_cast<size_t>(size));
  std::fill(acc, acc + size, 0.0);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t l = 0; l < s.len; ++l) {
      const T* xi = x + (o * s.len + l) * s.inner;
      double* yo = acc + o * s.inner;
      for (int64_t k = 0; k < s.inner; ++k) yo[k] += xi[k];
    }
  if constexpr (!std::is_same_v<T, double>)
    for (int64_t k = 0; k < size; ++k) y[k] = static_cast<T>(acc[k]);
  t.finish(n);
  return t.var(n);
}

template <class T>
Var max_axis(Var a, int ax, bool keepdim) {
  Tape& t = a.tape();
  const Shape in_shape = a.shape();
  Node& n = t.record("max", detail::reduced_shape(in_shape, ax, keepdim), {a}, &max_axis_backward<T>);
  n.i[0] = ax;
  const auto s = detail::split_at(in_shape, ax);
  const T* x = input(t, n, 0).values<T>();
  T* y = n.values<T>();
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) y[o * s.inner + k] = x[(o * s.len + argmax_at(x, s, o, k)) * s.inner + k];
  t.finish(n);
  return t.var(n);
}

}  // namespace

Var sum(Var a) {
  return dispatch_float(a.dtype(), "sum", [&]<class T>() { return sum_all<T>(a); });
}

Var sum(Var a, int axis, bool keepdim) {
  const int ax = a.shape().normalize_axis(axis, "sum");
  return dispatch_float(a.dtype(), "sum_axis", [&]<class T>() { return sum_axis<T>(a, ax, keepdim); });
}

Var max(Var a, int axis, bool keepdim) {
  const Shape& in_shape = a.shape();
  const int ax = in_shape.normalize_axis(axis, "max");
  if (in_shape[ax] == 0) throw ShapeError("max: empty axis in " + in_shape.str());
  return dispatch_float(a.dtype(), "max", [&]<class T>() { return max_axis<T>(a, ax, keepdim); });
}

Var mean(Var a) { return mul_scalar(sum(a), 1.0 / static_cast<double>(a.numel())); }

Var mean(Var a, int axis, bool keepdim) {
  const int ax = a.shape().normalize_axis(axis, "mean");
  return mul_scalar(sum(a, ax, keepdim), 1.0 / static_cast<double>(a.shape()[ax]));
}

}  // namespace gradlab::ops
