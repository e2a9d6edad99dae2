// Integer indexing and masking: index_select (numpy take; embedding lookup), gather (torch's),
// masked_fill. Indices are int64 copied into the node's aux buffer (the caller's buffer may be
// gone by backward), checked against their range before anything is recorded.
#include <fmt/format.h>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

// n.i = {axis, count}; aux = the count indices. y is a seen as [outer, count, inner].
template <class T>
void take_rows(const T* x, T* y, const int64_t* idx, int64_t count, const detail::AxisSplit& s,
               bool backward) {
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t j = 0; j < count; ++j) {
      const int64_t from = (o * s.len + idx[j]) * s.inner, to = (o * count + j) * s.inner;
      if (backward)  // x is the output gradient, y the input's: scatter-add
        for (int64_t k = 0; k < s.inner; ++k) y[from + k] += x[to + k];
      else
        std::copy(x + from, x + from + s.inner, y + to);
    }
}

void index_select_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const auto s = detail::split_at(in.shape, static_cast<int>(n.i[0]));
  dispatch_float(n.dtype, "index_select", [&]<class T>() {
    take_rows(n.grads<T>(), in.grads<T>(), n.aux<int64_t>(), n.i[1], s, true);
  });
}

// a's offset of every output element of gather: the index replaces the coordinate along axis.
template <class F>
void for_each_gathered(const Node& n, const Shape& a, F&& f) {
  const int axis = static_cast<int>(n.i[0]);
  auto st = detail::strides_of(a);
  const int64_t axis_stride = st[static_cast<size_t>(axis)];
  st[static_cast<size_t>(axis)] = 0;
  const int64_t* idx = n.aux<int64_t>();
  detail::for_each_strided(n.shape, st, [&](int64_t k, int64_t off) { f(k, off + idx[k] * axis_stride); });
}

void gather_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  dispatch_float(n.dtype, "gather", [&]<class T>() {
    T* gx = in.grads<T>();
    const T* g = n.grads<T>();
    for_each_gathered(n, in.shape, [&](int64_t k, int64_t off) { gx[off] += g[k]; });
  });
}

void masked_fill_backward(Tape& t, const Node& n) {
  const Node& x = input(t, n, 0);
  const Node& mask = input(t, n, 1);
  if (!x.has_grad()) return;
  const auto bc = detail::make_broadcast(n.shape, {x.shape, mask.shape});
  dispatch_float(n.dtype, "masked_fill", [&]<class T>() {
    T* gx = x.grads<T>();
    const T* g = n.grads<T>();
    visit_dtype(mask.dtype, [&]<class M>() {  // the mask: x's dtype or int64
      const M* m = mask.values<M>();
      detail::for_each_broadcast(bc, [&](int64_t o, int64_t, int64_t j, int64_t) {
        if (m[j] == 0) gx[o] += g[o];
      });
    });
  });
}

}  // namespace

Var index_select(Var a, int axis, std::span<const int64_t> indices, const Shape& index_shape) {
  Tape& t = a.tape();
  const Shape in = a.shape();
  const int ax = in.normalize_axis(axis, "index_select");
  const auto count = static_cast<int64_t>(indices.size());
  if (index_shape.numel() != count || in.rank() - 1 + index_shape.rank() > Shape::kMaxRank)
    throw ShapeError(fmt::format("index_select: input {} vs indices {} ({} values)", in.str(),
                                 index_shape.str(), count));
  detail::check_indices("index_select", indices, in[ax]);
  Shape out = detail::sub_shape(in, 0, ax);
  for (int d = 0; d < index_shape.rank(); ++d) out.push_back(index_shape[d]);
  for (int d = ax + 1; d < in.rank(); ++d) out.push_back(in[d]);
  Node& n = t.record("index_select", out, {a}, &index_select_backward);
  n.i[0] = ax;
  n.i[1] = count;
  int64_t* idx = n.aux<int64_t>(indices.size());
  std::copy(indices.begin(), indices.end(), idx);
  dispatch_float(n.dtype, "index_select", [&]<class T>() {
    take_rows(input(t, n, 0).values<T>(), n.values<T>(), idx, count, detail::split_at(in, ax), false);
  });
  t.finish(n);
  return t.var(n);
}

Var index_select(Var a, int axis, std::span<const int64_t> indices) {
  return index_select(a, axis, indices, Shape{static_cast<int64_t>(indices.size())});
}

Var gather(Var a, int axis, std::span<const int64_t> indices, const Shape& index_shape) {
  Tape& t = a.tape();
  const Shape in = a.shape();
  const int ax = in.normalize_axis(axis, "gather");
  bool ok = index_shape.rank() == in.rank() && index_shape.numel() == static_cast<int64_t>(indices.size());
  for (int d = 0; ok && d < in.rank(); ++d) ok = d == ax || index_shape[d] <= in[d];
  if (!ok)
    throw ShapeError(fmt::format("gather: input {} vs indices {} ({} values) along axis {}", in.str(),
                                 index_shape.str(), indices.size(), ax));
  detail::check_indices("gather", indices, in[ax]);
  Node& n = t.record("gather", index_shape, {a}, &gather_backward);
  n.i[0] = ax;
  std::copy(indices.begin(), indices.end(), n.aux<int64_t>(indices.size()));
  dispatch_float(n.dtype, "gather", [&]<class T>() {
    const T* x = input(t, n, 0).values<T>();
    T* y = n.values<T>();
    for_each_gathered(n, in, [&](int64_t k, int64_t off) { y[k] = x[off]; });
  });
  t.finish(n);
  return t.var(n);
}

Var masked_fill(Var x, Var mask, double value) {
  Tape& t = x.tape();
  const Shape sx = x.shape(), sm = mask.shape();
  bool ok = sm.rank() <= sx.rank();
  for (int d = 0; ok && d < sm.rank(); ++d) {
    const int64_t m = sm[d], want = sx[sx.rank() - sm.rank() + d];
    ok = m == want || m == 1;
  }
  if (!ok) throw ShapeError(fmt::format("masked_fill: input {} vs mask {}", sx.str(), sm.str()));
  Node& n = t.record("masked_fill", sx, {x, mask}, &masked_fill_backward);
  n.f[0] = value;
  const auto bc = detail::make_broadcast(sx, {sx, sm});
  dispatch_float(n.dtype, "masked_fill", [&]<class T>() {
    const T* xv = input(t, n, 0).values<T>();
    T* y = n.values<T>();
    const T fill = static_cast<T>(value);
    visit_dtype(input(t, n, 1).dtype, [&]<class M>() {  // the mask: x's dtype or int64
      const M* m = input(t, n, 1).values<M>();
      detail::for_each_broadcast(bc, [&](int64_t o, int64_t, int64_t j, int64_t) { y[o] = m[j] != 0 ? fill : xv[o]; });
    });
  });
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops
