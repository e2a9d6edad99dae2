// Shape primitives: reshape, broadcast_to, slice, concat (two parts; more fold over it).
// flatten is composed from reshape.
#include <algorithm>

#include <fmt/format.h>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

void copy_backward(Tape& t, const Node& n) {  // reshape: same elements, same order
  const Node& in = input(t, n, 0);
  if (!in.grad) return;
  const int64_t size = n.numel();
  for (int64_t k = 0; k < size; ++k) in.grad[k] += n.grad[k];
}

void broadcast_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.grad) return;
  double* gi = in.grad;
  const double* g = n.grad;
  detail::for_each_broadcast(detail::make_broadcast(n.shape, {in.shape}),
                             [&](int64_t o, int64_t i, int64_t, int64_t) { gi[i] += g[o]; });
}

// Copies a block [outer, len, inner] of `src` into `dst` rows of length dst_len at offset
// `at` along the axis; `add` accumulates instead (backward). Shared by slice and concat.
void move_block(const double* src, int64_t src_len, int64_t src_at, double* dst, int64_t dst_len,
                int64_t dst_at, int64_t len, const detail::AxisSplit& s, bool add) {
  const int64_t run = len * s.inner;
  for (int64_t o = 0; o < s.outer; ++o) {
    const double* from = src + (o * src_len + src_at) * s.inner;
    double* to = dst + (o * dst_len + dst_at) * s.inner;
    if (add)
      for (int64_t k = 0; k < run; ++k) to[k] += from[k];
    else
      std::copy(from, from + run, to);
  }
}

// n.i = {axis, start}
void slice_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.grad) return;
  const int axis = static_cast<int>(n.i[0]);
  const auto s = detail::split_at(in.shape, axis);
  move_block(n.grad, n.shape[axis], 0, in.grad, s.len, n.i[1], n.shape[axis], s, true);
}

// n.i = {axis}
void concat_backward(Tape& t, const Node& n) {
  const int axis = static_cast<int>(n.i[0]);
  const auto s = detail::split_at(n.shape, axis);
  const Node& a = input(t, n, 0);
  const Node& b = input(t, n, 1);
  const int64_t la = a.shape[axis], lb = b.shape[axis];
  if (a.grad) move_block(n.grad, s.len, 0, a.grad, la, 0, la, s, true);
  if (b.grad) move_block(n.grad, s.len, la, b.grad, lb, 0, lb, s, true);
}

Var concat2(Var a, Var b, int axis) {
  Tape& t = a.tape();
  const Shape sa = a.shape(), sb = b.shape();
  bool ok = sa.rank() == sb.rank();
  for (int d = 0; ok && d < sa.rank(); ++d) ok = d == axis || sa[d] == sb[d];
  if (!ok)
    throw ShapeError(fmt::format("concat: lhs {} vs rhs {} along axis {}", sa.str(), sb.str(), axis));
  Shape out = sa;
  out[axis] = sa[axis] + sb[axis];
  Node& n = t.record("concat", out, {a, b}, &concat_backward);
  n.i[0] = axis;
  const auto s = detail::split_at(out, axis);
  move_block(input(t, n, 0).value, sa[axis], 0, n.value, s.len, 0, sa[axis], s, false);
  move_block(input(t, n, 1).value, sb[axis], 0, n.value, s.len, sa[axis], sb[axis], s, false);
  t.finish(n);
  return t.var(n);
}

}  // namespace

Var reshape(Var a, const Shape& shape) {
  Tape& t = a.tape();
  if (shape.numel() != a.numel())
    throw ShapeError(fmt::format("reshape: input {} vs shape {}", a.shape().str(), shape.str()));
  Node& n = t.record("reshape", shape, {a}, &copy_backward);
  const Node& in = input(t, n, 0);
  std::copy(in.value, in.value + in.numel(), n.value);
  t.finish(n);
  return t.var(n);
}

Var reshape(Var a, std::initializer_list<int64_t> dims) {
  std::string asked = "[";  // the requested dims as written, -1 included, for error messages
  for (int64_t v : dims) {
    if (asked.size() > 1) asked += ',';
    asked += std::to_string(v);
  }
  asked += "]";
  Shape shape;
  int64_t known = 1;
  int infer = -1, d = 0;
  for (int64_t v : dims) {
    if (v < -1 || (v == -1 && infer >= 0) || d >= Shape::kMaxRank)
      throw ShapeError(fmt::format("reshape: input {} vs shape {}", a.shape().str(), asked));
    if (v == -1) infer = d;
    shape.push_back(v == -1 ? 1 : v);
    known *= v == -1 ? 1 : v;
    ++d;
  }
  if (infer >= 0) {
    if (known == 0 || a.numel() % known != 0)
      throw ShapeError(fmt::format("reshape: input {} vs shape {}", a.shape().str(), asked));
    shape[infer] = a.numel() / known;
  }
  if (shape.numel() != a.numel())
    throw ShapeError(fmt::format("reshape: input {} vs shape {}", a.shape().str(), asked));
  return reshape(a, shape);
}

Var flatten(Var a) {
  const Shape& s = a.shape();
  if (s.rank() == 0) throw ShapeError("flatten: input [] has no batch axis");
  return reshape(a, Shape{s[0], s[0] == 0 ? 0 : a.numel() / s[0]});
}

Var broadcast_to(Var a, const Shape& shape) {
  Tape& t = a.tape();
  const Shape in_shape = a.shape();
  // Each input dim (aligned on the right) must equal the target's or be 1.
  bool ok = in_shape.rank() <= shape.rank();
  for (int d = 0; ok && d < in_shape.rank(); ++d) {
    const int64_t have = in_shape[d], want = shape[shape.rank() - in_shape.rank() + d];
    ok = have == want || have == 1;
  }
  if (!ok)
    throw ShapeError(fmt::format("broadcast_to: input {} vs shape {}", in_shape.str(), shape.str()));
  Node& n = t.record("broadcast_to", shape, {a}, &broadcast_backward);
  const double* x = input(t, n, 0).value;
  double* y = n.value;
  detail::for_each_broadcast(detail::make_broadcast(shape, {in_shape}),
                             [&](int64_t o, int64_t i, int64_t, int64_t) { y[o] = x[i]; });
  t.finish(n);
  return t.var(n);
}

Var slice(Var a, int axis, int64_t start, int64_t stop) {
  Tape& t = a.tape();
  const Shape in_shape = a.shape();
  const int ax = in_shape.normalize_axis(axis, "slice");
  if (start < 0 || stop < start || stop > in_shape[ax])
    throw ShapeError(fmt::format("slice: range [{},{}) out of bounds for axis {} of {}", start, stop,
                                 ax, in_shape.str()));
  Shape out = in_shape;
  out[ax] = stop - start;
  Node& n = t.record("slice", out, {a}, &slice_backward);
  n.i = {ax, start, stop};
  const auto s = detail::split_at(in_shape, ax);
  move_block(input(t, n, 0).value, s.len, start, n.value, stop - start, 0, stop - start, s, false);
  t.finish(n);
  return t.var(n);
}

Var concat(std::span<const Var> parts, int axis) {
  if (parts.empty()) throw ShapeError("concat: no parts");
  const int ax = parts[0].shape().normalize_axis(axis, "concat");
  Var out = parts[0];
  for (size_t k = 1; k < parts.size(); ++k) out = concat2(out, parts[k], ax);
  return out;
}

}  // namespace gradlab::ops
