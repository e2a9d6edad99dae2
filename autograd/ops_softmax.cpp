// softmax and log_softmax along an axis: primitives, so that their backward stays stable
// (the composed exp / sum / div form overflows for large logits).
#include <cmath>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

// Calls f(offset) with the offset of each softmax column (o, k); elements are offset + l*inner.
template <class F>
void for_each_column(const detail::AxisSplit& s, F&& f) {
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) f(o * s.len * s.inner + k);
}

// NB: the bodies are templates on the element type T; the column sums accumulate in double and
// are rounded once to T (for T = double, the arithmetic it always did).

// dx = y * (g - sum(g * y))
template <class T>
void softmax_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const auto s = detail::split_at(n.shape, static_cast<int>(n.i[0]));
  const T *g = n.grads<T>(), *y = n.values<T>();
  T* gi = in.grads<T>();
  for_each_column(s, [&](int64_t base) {
    double acc = 0;
    for (int64_t l = 0; l < s.len; ++l) acc += g[base + l * s.inner] * y[base + l * s.inner];
    const T dot = static_cast<T>(acc);
    for (int64_t l = 0; l < s.len; ++l) {
      const int64_t e = base + l * s.inner;
      gi[e] += y[e] * (g[e] - dot);
    }
  });
}

// dx = g - exp(y) * sum(g)
template <class T>
void log_softmax_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const auto s = detail::split_at(n.shape, static_cast<int>(n.i[0]));
  const T *g = n.grads<T>(), *y = n.values<T>();
  T* gi = in.grads<T>();
  for_each_column(s, [&](int64_t base) {
    double acc = 0;
    for (int64_t l = 0; l < s.len; ++l) acc += g[base + l * s.inner];
    const T total = static_cast<T>(acc);
    for (int64_t l = 0; l < s.len; ++l) {
      const int64_t e = base + l * s.inner;
      gi[e] += g[e] - std::exp(y[e]) * total;
    }
  });
}

template <class T>
Var softmax_typed(const char* name, Var a, int ax, bool exponentiate) {
  Tape& t = a.tape();
  const Shape shape = a.shape();
  Node& n = t.record(name, shape, {a}, exponentiate ? &softmax_backward<T> : &log_softmax_backward<T>);
  n.i[0] = ax;
  T* y = n.values<T>();
  detail::log_softmax_into(input(t, n, 0).values<T>(), y, detail::split_at(shape, ax));
  if (exponentiate)
    for (int64_t e = 0; e < n.numel(); ++e) y[e] = std::exp(y[e]);
  t.finish(n);
  return t.var(n);
}

// exponentiate: softmax (its own backward rule); otherwise log_softmax.
Var softmax_family(const char* name, Var a, int axis, bool exponentiate) {
  const int ax = a.shape().normalize_axis(axis, name);
  return dispatch_float(a.dtype(), name, [&]<class T>() { return softmax_typed<T>(name, a, ax, exponentiate); });
}

}  // namespace

Var softmax(Var a, int axis) { return softmax_family("softmax", a, axis, true); }
Var log_softmax(Var a, int axis) { return softmax_family("log_softmax", a, axis, false); }

}  // namespace gradlab::ops
