// softmax and log_softmax along an axis: primitives, so that their backward stays stable
// (the composed exp / sum / div form overflows for large logits).
#include <cmath>

#include "autograd/op_support.hpp"

namespace gradlab {
namespace detail {

void log_softmax_into(const double* x, double* y, const AxisSplit& s) {
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) {
      const double* xs = x + o * s.len * s.inner + k;
      double* ys = y + o * s.len * s.inner + k;
      double mx = xs[0];
      for (int64_t l = 1; l < s.len; ++l) mx = std::max(mx, xs[l * s.inner]);
      double z = 0;
      for (int64_t l = 0; l < s.len; ++l) z += std::exp(xs[l * s.inner] - mx);
      const double lse = mx + std::log(z);
      for (int64_t l = 0; l < s.len; ++l) ys[l * s.inner] = xs[l * s.inner] - lse;
    }
}

}  // namespace detail

namespace ops {
namespace {

using detail::input;

// Calls f(offset) with the offset of each softmax column (o, k); elements are offset + l*inner.
template <class F>
void for_each_column(const detail::AxisSplit& s, F&& f) {
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) f(o * s.len * s.inner + k);
}

// dx = y * (g - sum(g * y))
void softmax_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.grad) return;
  const auto s = detail::split_at(n.shape, static_cast<int>(n.i[0]));
  for_each_column(s, [&](int64_t base) {
    double dot = 0;
    for (int64_t l = 0; l < s.len; ++l) dot += n.grad[base + l * s.inner] * n.value[base + l * s.inner];
    for (int64_t l = 0; l < s.len; ++l) {
      const int64_t e = base + l * s.inner;
      in.grad[e] += n.value[e] * (n.grad[e] - dot);
    }
  });
}

// dx = g - exp(y) * sum(g)
void log_softmax_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.grad) return;
  const auto s = detail::split_at(n.shape, static_cast<int>(n.i[0]));
  for_each_column(s, [&](int64_t base) {
    double total = 0;
    for (int64_t l = 0; l < s.len; ++l) total += n.grad[base + l * s.inner];
    for (int64_t l = 0; l < s.len; ++l) {
      const int64_t e = base + l * s.inner;
      in.grad[e] += n.grad[e] - std::exp(n.value[e]) * total;
    }
  });
}

Var softmax_family(const char* name, Var a, int axis, BackwardFn backward, bool exponentiate) {
  Tape& t = a.tape();
  const Shape shape = a.shape();
  const int ax = shape.normalize_axis(axis, name);
  Node& n = t.record(name, shape, {a}, backward);
  n.i[0] = ax;
  detail::log_softmax_into(input(t, n, 0).value, n.value, detail::split_at(shape, ax));
  if (exponentiate)
    for (int64_t e = 0; e < n.numel(); ++e) n.value[e] = std::exp(n.value[e]);
  t.finish(n);
  return t.var(n);
}

}  // namespace

Var softmax(Var a, int axis) { return softmax_family("softmax", a, axis, &softmax_backward, true); }
Var log_softmax(Var a, int axis) {
  return softmax_family("log_softmax", a, axis, &log_softmax_backward, false);
}

}  // namespace ops
}  // namespace gradlab
