// Shape primitives: reshape, broadcast_to, slice, concat and stack (one node for any number of
// parts), split (one op, one node per piece). flatten is composed from reshape.
#include <algorithm>

#include <fmt/format.h>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

void copy_backward(Tape& t, const Node& n) {  // reshape: same elements, same order
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const int64_t size = n.numel();
  dispatch_float(n.dtype, "reshape", [&]<class T>() {
    T* gx = in.grads<T>();
    const T* g = n.grads<T>();
    for (int64_t k = 0; k < size; ++k) gx[k] += g[k];
  });
}

void broadcast_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const auto bc = detail::make_broadcast(n.shape, {in.shape});
  dispatch_float(n.dtype, "broadcast_to", [&]<class T>() {
    T* gi = in.grads<T>();
    const T* g = n.grads<T>();
    detail::for_each_broadcast(bc, [&](int64_t o, int64_t i, int64_t, int64_t) { gi[i] += g[o]; });
  });
}

// Copies a block [outer, len, inner] of `src` into `dst` rows of length dst_len at offset
// `at` along the axis; `add` accumulates instead (backward). Shared by slice and concat.
template <class T>
void move_block(const T* src, int64_t src_len, int64_t src_at, T* dst, int64_t dst_len,
                int64_t dst_at, int64_t len, const detail::AxisSplit& s, bool add) {
  const int64_t run = len * s.inner;
  for (int64_t o = 0; o < s.outer; ++o) {
    const T* from = src + (o * src_len + src_at) * s.inner;
    T* to = dst + (o * dst_len + dst_at) * s.inner;
    if (add)
      for (int64_t k = 0; k < run; ++k) to[k] += from[k];
    else
      std::copy(from, from + run, to);
  }
}

// n.i = {axis, start}
void slice_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const int axis = static_cast<int>(n.i[0]);
  const auto s = detail::split_at(in.shape, axis);
  dispatch_float(n.dtype, "slice", [&]<class T>() {
    move_block(n.grads<T>(), n.shape[axis], 0, in.grads<T>(), s.len, n.i[1], n.shape[axis], s, true);
  });
}

// n.i = {axis}; the parts are the inputs, laid out along the axis in order. Stack records the
// same way with the parts seen as [outer, 1, inner] (a new axis of size 1 each).
void concat_backward(Tape& t, const Node& n) {
  const int axis = static_cast<int>(n.i[0]);
  const bool stacked = n.i[1] != 0;
  const auto s = detail::split_at(n.shape, axis);
  dispatch_float(n.dtype, n.op, [&]<class T>() {
    int64_t at = 0;
    for (int k = 0; k < n.num_inputs(); ++k) {
      const Node& p = input(t, n, k);
      const int64_t len = stacked ? 1 : p.shape[axis];
      if (p.has_grad()) move_block(n.grads<T>(), s.len, at, p.grads<T>(), len, 0, len, s, true);
      at += len;
    }
  });
}

// Concat (stacked = false) or stack (true) of parts already checked, into an out-shaped node.
Var join(const char* op, std::span<const Var> parts, int axis, const Shape& out, bool stacked) {
  Tape& t = parts[0].tape();
  Node& n = t.record(op, out, parts, &concat_backward);
  n.i[0] = axis;
  n.i[1] = stacked;
  const auto s = detail::split_at(out, axis);
  dispatch_float(n.dtype, op, [&]<class T>() {
    int64_t at = 0;
    for (int k = 0; k < n.num_inputs(); ++k) {
      const Node& p = input(t, n, k);
      const int64_t len = stacked ? 1 : p.shape[axis];
      move_block(p.values<T>(), len, 0, n.values<T>(), s.len, at, len, s, false);
      at += len;
    }
  });
  t.finish(n);
  return t.var(n);
}

// Every output's gradient into its piece of the input. The leader's n.i = {axis}.
void split_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const int axis = static_cast<int>(n.i[0]);
  const auto s = detail::split_at(in.shape, axis);
  dispatch_float(n.dtype, "split", [&]<class T>() {
    int64_t at = 0;
    for (int k = 0; k < n.num_outputs; ++k) {
      const Node& o = t.output(n, k);
      move_block(o.grads<T>(), o.shape[axis], 0, in.grads<T>(), s.len, at, o.shape[axis], s, true);
      at += o.shape[axis];
    }
  });
}

// dx += dy converted back to x's dtype (an int64 side never has a gradient).
void cast_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  dispatch_float(in.dtype, "cast", [&]<class From>() {
    dispatch_float(n.dtype, "cast", [&]<class To>() {
      From* gx = in.grads<From>();
      const To* g = n.grads<To>();
      for (int64_t k = 0; k < n.numel(); ++k) gx[k] += static_cast<From>(g[k]);
    });
  });
}

}  // namespace

Var reshape(Var a, const Shape& shape) {
  Tape& t = a.tape();
  if (shape.numel() != a.numel())
    throw ShapeError(fmt::format("reshape: input {} vs shape {}", a.shape().str(), shape.str()));
  Node& n = t.record("reshape", shape, {a}, &copy_backward);
  const Node& in = input(t, n, 0);
  dispatch_float(n.dtype, "reshape", [&]<class T>() {
    std::copy(in.values<T>(), in.values<T>() + in.numel(), n.values<T>());
  });
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
  const auto bc = detail::make_broadcast(shape, {in_shape});
  dispatch_float(n.dtype, "broadcast_to", [&]<class T>() {
    const T* x = input(t, n, 0).values<T>();
    T* y = n.values<T>();
    detail::for_each_broadcast(bc, [&](int64_t o, int64_t i, int64_t, int64_t) { y[o] = x[i]; });
  });
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
  dispatch_float(n.dtype, "slice", [&]<class T>() {
    move_block(input(t, n, 0).values<T>(), s.len, start, n.values<T>(), stop - start, 0, stop - start, s, false);
  });
  t.finish(n);
  return t.var(n);
}

Var concat(std::span<const Var> parts, int axis) {
  if (parts.empty()) throw ShapeError("concat: no parts");
  const Shape first = parts[0].shape();
  const int ax = first.normalize_axis(axis, "concat");
  Shape out = first;
  for (size_t k = 1; k < parts.size(); ++k) {
    const Shape sk = parts[k].shape();
    bool ok = sk.rank() == first.rank();
    for (int d = 0; ok && d < first.rank(); ++d) ok = d == ax || sk[d] == first[d];
    if (!ok)
      throw ShapeError(fmt::format("concat: part 0 {} vs part {} {} along axis {}", first.str(), k,
                                   sk.str(), ax));
    out[ax] += sk[ax];
  }
  return join("concat", parts, ax, out, false);
}

Var stack(std::span<const Var> parts, int axis) {
  if (parts.empty()) throw ShapeError("stack: no parts");
  const Shape first = parts[0].shape();
  const int ax = axis < 0 ? axis + first.rank() + 1 : axis;
  if (ax < 0 || ax > first.rank() || first.rank() == Shape::kMaxRank)
    throw ShapeError(fmt::format("stack: axis {} out of range for parts {}", axis, first.str()));
  for (size_t k = 1; k < parts.size(); ++k)
    if (!(parts[k].shape() == first))
      throw ShapeError(fmt::format("stack: part 0 {} vs part {} {}", first.str(), k, parts[k].shape().str()));
  Shape out;
  for (int d = 0; d <= first.rank(); ++d) {
    if (d == ax) out.push_back(static_cast<int64_t>(parts.size()));
    if (d < first.rank()) out.push_back(first[d]);
  }
  return join("stack", parts, ax, out, true);
}

void split(Var a, int axis, std::span<const int64_t> sizes, std::span<Var> outputs) {
  Tape& t = a.tape();
  const Shape in = a.shape();
  const int ax = in.normalize_axis(axis, "split");
  int64_t total = 0;
  bool ok = !sizes.empty() && sizes.size() == outputs.size() && sizes.size() <= 16;
  for (int64_t len : sizes) {
    ok = ok && len >= 0;
    total += len;
  }
  if (!ok || total != in[ax])
    throw ShapeError(fmt::format("split: input {} axis {} vs {} sizes summing to {} ({} outputs, at most 16)",
                                 in.str(), ax, sizes.size(), total, outputs.size()));
  std::array<Shape, 16> shapes;  // NB: inline, so that a split allocates nothing
  for (size_t k = 0; k < sizes.size(); ++k) {
    shapes[k] = in;
    shapes[k][ax] = sizes[k];
  }
  const Node& lead = t.record_outputs("split", std::span<const Shape>(shapes.data(), sizes.size()),
                                      std::span<const Var>(&a, 1), &split_backward);
  const NodeId first = t.id_of(lead);
  t.mutable_node(first).i[0] = ax;
  const auto s = detail::split_at(in, ax);
  dispatch_float(t.node(first).dtype, "split", [&]<class T>() {
    const T* x = input(t, t.node(first), 0).values<T>();
    int64_t at = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
      Node& o = t.mutable_node(first + static_cast<NodeId>(k));
      move_block(x, s.len, at, o.values<T>(), sizes[k], 0, sizes[k], s, false);
      at += sizes[k];
      t.finish(o);
      outputs[k] = t.var(o);
    }
  });
}

Var cast(Var x, DType to) {
  Tape& t = x.tape();
  Node& n = t.record("cast", x.shape(), {x}, &cast_backward, to);  // int64 `to`: no gradient
  const Node& in = input(t, n, 0);
  visit_dtype(in.dtype, [&]<class From>() {
    visit_dtype(to, [&]<class To>() {
      const From* xv = in.values<From>();
      To* y = n.values<To>();
      for (int64_t k = 0; k < n.numel(); ++k) y[k] = static_cast<To>(xv[k]);
    });
  });
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops
