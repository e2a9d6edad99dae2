// Layout primitives: permute (axes reordered, any rank) and constant pad (any axes). Both are a
// strided walk over one side (detail::for_each_strided), templated on the element type.
#include <fmt/format.h>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;
using Strides = std::array<int64_t, Shape::kMaxRank>;

// Input strides seen from the output's axes: axis d of y walks axis perm[d] of x.
Strides permuted_strides(const Shape& in, const Node& n) {
  const Strides st = detail::strides_of(in);
  Strides out{};
  for (int d = 0; d < in.rank(); ++d) out[static_cast<size_t>(d)] = st[static_cast<size_t>(n.i[static_cast<size_t>(d)])];
  return out;
}

template <class T>
void permute_backward_impl(const T* gy, T* gx, const Shape& out, const Strides& src) {
  detail::for_each_strided(out, src, [&](int64_t k, int64_t off) { gx[off] += gy[k]; });
}

// n.i[0..rank) = perm
void permute_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  dispatch_float(n.dtype, "permute", [&]<class T>() {
    permute_backward_impl(n.grads<T>(), in.grads<T>(), n.shape, permuted_strides(in.shape, n));
  });
}

// The interior's offset in the padded output. n.i[d] = the padding before axis d (the padding
// after it is implied by the two shapes).
int64_t interior_offset(const Node& n, const Strides& out_strides) {
  int64_t off = 0;
  for (int d = 0; d < n.shape.rank(); ++d) off += n.i[static_cast<size_t>(d)] * out_strides[static_cast<size_t>(d)];
  return off;
}

void pad_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const Strides st = detail::strides_of(n.shape);
  dispatch_float(n.dtype, "pad", [&]<class T>() {
    const T* g = n.grads<T>() + interior_offset(n, st);
    T* gx = in.grads<T>();
    detail::for_each_strided(in.shape, st, [&](int64_t k, int64_t off) { gx[k] += g[off]; });
  });
}

std::string perm_str(std::span<const int> perm) {
  std::string s = "{";
  for (size_t k = 0; k < perm.size(); ++k) {
    if (k) s += ',';
    s += std::to_string(perm[k]);
  }
  return s + "}";
}

}  // namespace

Var permute(Var a, std::span<const int> perm) {
  Tape& t = a.tape();
  const Shape in = a.shape();
  bool ok = static_cast<int>(perm.size()) == in.rank();
  std::array<bool, Shape::kMaxRank> seen{};
  for (size_t d = 0; ok && d < perm.size(); ++d) {
    ok = perm[d] >= 0 && perm[d] < in.rank() && !seen[static_cast<size_t>(perm[d])];
    if (ok) seen[static_cast<size_t>(perm[d])] = true;
  }
  if (!ok)
    throw ShapeError(fmt::format("permute: input {} vs permutation {}", in.str(), perm_str(perm)));
  Shape out;
  for (int p : perm) out.push_back(in[p]);
  Node& n = t.record("permute", out, {a}, &permute_backward);
  for (size_t d = 0; d < perm.size(); ++d) n.i[d] = perm[d];
  const Strides src = permuted_strides(in, n);
  dispatch_float(n.dtype, "permute", [&]<class T>() {
    const T* x = input(t, n, 0).values<T>();
    T* y = n.values<T>();
    detail::for_each_strided(out, src, [&](int64_t k, int64_t off) { y[k] = x[off]; });
  });
  t.finish(n);
  return t.var(n);
}

Var permute(Var a, std::initializer_list<int> perm) {
  return permute(a, std::span<const int>(perm.begin(), perm.size()));
}

Var pad(Var a, std::span<const std::array<int64_t, 2>> widths, double value) {
  Tape& t = a.tape();
  const Shape in = a.shape();
  bool ok = static_cast<int>(widths.size()) == in.rank();
  for (const auto& w : widths) ok = ok && w[0] >= 0 && w[1] >= 0;
  if (!ok) {
    std::string ws;
    for (const auto& w : widths) ws += fmt::format("{}{{{},{}}}", ws.empty() ? "" : ",", w[0], w[1]);
    throw ShapeError(fmt::format("pad: input {} vs widths {{{}}}: one non-negative {{before,after}} per axis",
                                 in.str(), ws));
  }
  Shape out = in;
  for (int d = 0; d < in.rank(); ++d) out[d] += widths[static_cast<size_t>(d)][0] + widths[static_cast<size_t>(d)][1];
  Node& n = t.record("pad", out, {a}, &pad_backward);
  for (int d = 0; d < in.rank(); ++d) n.i[static_cast<size_t>(d)] = widths[static_cast<size_t>(d)][0];
  n.f[0] = value;
  const Strides st = detail::strides_of(out);
  dispatch_float(n.dtype, "pad", [&]<class T>() {
    std::fill(n.values<T>(), n.values<T>() + n.numel(), static_cast<T>(value));
    T* y = n.values<T>() + interior_offset(n, st);
    const T* x = input(t, n, 0).values<T>();
    detail::for_each_strided(in, st, [&](int64_t k, int64_t off) { y[off] = x[k]; });
  });
  t.finish(n);
  return t.var(n);
}

Var pad(Var a, std::initializer_list<std::array<int64_t, 2>> widths, double value) {
  return pad(a, std::span<const std::array<int64_t, 2>>(widths.begin(), widths.size()), value);
}

}  // namespace gradlab::ops
