// Reductions: sum (all or along an axis) and max along an axis are primitives; mean is composed.
#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

void sum_all_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.grad) return;
  const double g = n.grad[0];
  const int64_t size = in.numel();
  for (int64_t k = 0; k < size; ++k) in.grad[k] += g;
}

// n.i = {axis}: the input is [outer, len, inner], the output [outer, inner].
void sum_axis_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.grad) return;
  const auto s = detail::split_at(in.shape, static_cast<int>(n.i[0]));
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t l = 0; l < s.len; ++l) {
      double* gi = in.grad + (o * s.len + l) * s.inner;
      const double* go = n.grad + o * s.inner;
      for (int64_t k = 0; k < s.inner; ++k) gi[k] += go[k];
    }
}

// Index (along the axis) of the first maximum of column (o, k); shared by forward and backward.
int64_t argmax_at(const double* x, const detail::AxisSplit& s, int64_t o, int64_t k) {
  const double* base = x + o * s.len * s.inner + k;
  int64_t best = 0;
  for (int64_t l = 1; l < s.len; ++l)
    if (base[l * s.inner] > base[best * s.inner]) best = l;
  return best;
}

void max_axis_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.grad) return;
  const auto s = detail::split_at(in.shape, static_cast<int>(n.i[0]));
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) {
      const int64_t l = argmax_at(in.value, s, o, k);
      in.grad[(o * s.len + l) * s.inner + k] += n.grad[o * s.inner + k];
    }
}

}  // namespace

Var sum(Var a) {
  Tape& t = a.tape();
  Node& n = t.record("sum", Shape{}, {a}, &sum_all_backward);
  const Node& in = input(t, n, 0);
  double acc = 0;
  const int64_t size = in.numel();
  for (int64_t k = 0; k < size; ++k) acc += in.value[k];
  n.value[0] = acc;
  t.finish(n);
  return t.var(n);
}

Var sum(Var a, int axis, bool keepdim) {
  Tape& t = a.tape();
  const Shape in_shape = a.shape();
  const int ax = in_shape.normalize_axis(axis, "sum");
  Node& n = t.record("sum_axis", detail::reduced_shape(in_shape, ax, keepdim), {a}, &sum_axis_backward);
  n.i[0] = ax;
  const auto s = detail::split_at(in_shape, ax);
  const double* x = input(t, n, 0).value;
  std::fill(n.value, n.value + n.numel(), 0.0);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t l = 0; l < s.len; ++l) {
      const double* xi = x + (o * s.len + l) * s.inner;
      double* yo = n.value + o * s.inner;
      for (int64_t k = 0; k < s.inner; ++k) yo[k] += xi[k];
    }
  t.finish(n);
  return t.var(n);
}

Var max(Var a, int axis, bool keepdim) {
  Tape& t = a.tape();
  const Shape in_shape = a.shape();
  const int ax = in_shape.normalize_axis(axis, "max");
  if (in_shape[ax] == 0) throw ShapeError("max: empty axis in " + in_shape.str());
  Node& n = t.record("max", detail::reduced_shape(in_shape, ax, keepdim), {a}, &max_axis_backward);
  n.i[0] = ax;
  const auto s = detail::split_at(in_shape, ax);
  const double* x = input(t, n, 0).value;
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k)
      n.value[o * s.inner + k] = x[(o * s.len + argmax_at(x, s, o, k)) * s.inner + k];
  t.finish(n);
  return t.var(n);
}

Var mean(Var a) { return mul_scalar(sum(a), 1.0 / static_cast<double>(a.numel())); }

Var mean(Var a, int axis, bool keepdim) {
  const int ax = a.shape().normalize_axis(axis, "mean");
  return mul_scalar(sum(a, ax, keepdim), 1.0 / static_cast<double>(a.shape()[ax]));
}

}  // namespace gradlab::ops
