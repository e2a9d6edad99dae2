// Linear algebra primitives: matmul (batched, batch dims broadcast), transpose and the fused
// linear layer x W^T + b over the last axis.
// Every product goes through detail::gemm_acc (gemm.hpp): loops, Eigen or OpenBLAS by size.
#include <type_traits>

#include <fmt/format.h>

#include "autograd/gemm.hpp"
#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;
using detail::gemm_acc;
using detail::gemm_into;

// The product's batch loop: calls f(out_batch, a_batch, b_batch) for each batch of the output
// (an operand stretched over a batch dim repeats its index). NB: a fixed order, so a stretched
// operand's gradient sums its batches the same way on any thread count.
struct MatmulPlan {
  int64_t m, k, n;
  Shape batch;  // the output's batch dims
  detail::Broadcast bc;
  bool fold;    // b has no batch dims: a's batches fold into its rows (one GEMM)
};
MatmulPlan matmul_plan(const Shape& sa, const Shape& sb) {
  const int ra = sa.rank(), rb = sb.rank();
  MatmulPlan p{sa[ra - 2], sa[ra - 1], sb[rb - 1], {}, {}, rb == 2};
  const Shape ba = detail::sub_shape(sa, 0, ra - 2), bb = detail::sub_shape(sb, 0, rb - 2);
  try {
    p.batch = detail::broadcast_shapes("matmul", ba, bb);
  } catch (const ShapeError&) {
    throw ShapeError(fmt::format("matmul: lhs {} vs rhs {}: batch dims {} vs {}", sa.str(), sb.str(),
                                 ba.str(), bb.str()));
  }
  p.bc = detail::make_broadcast(p.batch, {ba, bb});
  return p;
}

template <class T>
void matmul_backward_impl(const Node& n, const Node& a, const Node& b) {
  const T *g = n.grads<T>(), *av = a.values<T>(), *bv = b.values<T>();
  T *ga = a.grads<T>(), *gb = b.grads<T>();
  if (a.shape.rank() == 2 && b.shape.rank() == 2) {
    const int64_t m = a.shape[0], k = a.shape[1], nn = b.shape[1];
    if (ga) gemm_acc(false, true, m, k, nn, g, bv, ga);   // G B^T
    if (gb) gemm_acc(true, false, k, nn, m, av, g, gb);   // A^T G
    return;
  }
  const MatmulPlan p = matmul_plan(a.shape, b.shape);
  if (p.fold) {  // [B*m, k] x [k, n]
    const int64_t rows = p.batch.numel() * p.m;
    if (ga) gemm_acc(false, true, rows, p.k, p.n, g, bv, ga);
    if (gb) gemm_acc(true, false, p.k, p.n, rows, av, g, gb);
    return;
  }
  const int64_t sa = p.m * p.k, sb = p.k * p.n, so = p.m * p.n;
  detail::for_each_broadcast(p.bc, [&](int64_t o, int64_t i, int64_t j, int64_t) {
    if (ga) gemm_acc(false, true, p.m, p.k, p.n, g + o * so, bv + j * sb, ga + i * sa);
    if (gb) gemm_acc(true, false, p.k, p.n, p.m, av + i * sa, g + o * so, gb + j * sb);
  });
}

void matmul_backward(Tape& t, const Node& n) {
  dispatch_float(n.dtype, "matmul", [&]<class T>() { matmul_backward_impl<T>(n, input(t, n, 0), input(t, n, 1)); });
}

void transpose_backward(Tape& t, const Node& n) {
  const Node& a = input(t, n, 0);
  if (!a.has_grad()) return;
  const int64_t rows = a.shape[0], cols = a.shape[1];
  dispatch_float(n.dtype, "transpose", [&]<class T>() {
    T* ga = a.grads<T>();
    const T* g = n.grads<T>();
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) ga[i * cols + j] += g[j * rows + i];
  });
}

// db[j] += sum over rows of G[r, j], or db[j] = 0 + that when `unwritten` (db holds stale numbers).
// float32 sums each column in double and rounds once (a scratch row of doubles); float64 adds in
// place, as it always has.
template <class T>
void bias_grad(Tape& t, const T* g, T* db, int64_t rows, int64_t out, bool unwritten) {
  if (unwritten) std::fill(db, db + out, T(0));  // NB: one row; the sums below read rows of them
  if constexpr (std::is_same_v<T, double>) {
    // NB: columns in blocks of 8 held in registers down all rows, the same additions in the same
    // order as row by row into db, which waited on db's store of the previous row.
    constexpr int64_t kBlock = 8;
    int64_t j = 0;
    for (; j + kBlock <= out; j += kBlock) {
      T acc[kBlock];
      for (int64_t l = 0; l < kBlock; ++l) acc[l] = db[j + l];
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t l = 0; l < kBlock; ++l) acc[l] += g[r * out + j + l];
      for (int64_t l = 0; l < kBlock; ++l) db[j + l] = acc[l];
    }
    for (; j < out; ++j)
      for (int64_t r = 0; r < rows; ++r) db[j] += g[r * out + j];
  } else {
    double* acc = t.scratch<double>(0, static_cast<size_t>(out));
    std::fill(acc, acc + out, 0.0);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < out; ++j) acc[j] += static_cast<double>(g[r * out + j]);
    for (int64_t j = 0; j < out; ++j) db[j] = static_cast<T>(static_cast<double>(db[j]) + acc[j]);
  }
}

// x is [..., in] (rows = its numel / in), w [out, in], optional bias b [out].
void linear_backward(Tape& t, const Node& n) {
  const Node& x = input(t, n, 0);
  const Node& w = input(t, n, 1);
  const int64_t out = w.shape[0], in = w.shape[1], rows = x.numel() / in;
  dispatch_float(n.dtype, "linear", [&]<class T>() {
    const T* g = n.grads<T>();
    if (x.has_grad()) {  // G W, assigned (0 + G W) when no other rule wrote x's gradient yet
      T* gx = x.grads<T>();
      const T* wv = w.values<T>();
      if (t.claim_unwritten_grad(x)) gemm_into(false, false, rows, in, out, g, wv, nullptr, 0, gx);
      else gemm_acc(false, false, rows, in, out, g, wv, gx);
    }
    if (w.has_grad()) {  // G^T X, the same way
      const T* xv = x.values<T>();
      T* gw = w.grads<T>();
      if (t.claim_unwritten_grad(w)) gemm_into(true, false, out, in, rows, g, xv, nullptr, 0, gw);
      else gemm_acc(true, false, out, in, rows, g, xv, gw);
    }
    if (n.num_inputs() == 3 && input(t, n, 2).has_grad()) {
      const Node& b = input(t, n, 2);
      bias_grad(t, g, b.grads<T>(), rows, out, t.claim_unwritten_grad(b));
    }
  });
}

// The forward products into y (as if zeroed first): one GEMM, the folded batch, or one per batch.
template <class T>
void matmul_forward(const MatmulPlan* p, const Shape& sa, const Shape& sb, const T* av, const T* bv,
                    T* y) {
  if (!p) return gemm_into(false, false, sa[0], sb[1], sa[1], av, bv, nullptr, 0, y);
  if (p->fold)
    return gemm_into(false, false, p->batch.numel() * p->m, p->n, p->k, av, bv, nullptr, 0, y);
  const int64_t sa_ = p->m * p->k, sb_ = p->k * p->n, so = p->m * p->n;
  detail::for_each_broadcast(p->bc, [&](int64_t o, int64_t i, int64_t j, int64_t) {
    gemm_into(false, false, p->m, p->n, p->k, av + i * sa_, bv + j * sb_, nullptr, 0, y + o * so);
  });
}

}  // namespace

Var matmul(Var a, Var b) {
  Tape& t = a.tape();
  const Shape sa = a.shape(), sb = b.shape();
  if (sa.rank() < 2 || sb.rank() < 2 || sa[sa.rank() - 1] != sb[sb.rank() - 2])
    throw ShapeError(fmt::format("matmul: lhs {} vs rhs {}", sa.str(), sb.str()));
  const bool plain = sa.rank() == 2 && sb.rank() == 2;  // NB: the MLP's path, kept free of the batch plan
  MatmulPlan plan{};
  Shape out{sa[0], sb[1]};
  if (!plain) {
    plan = matmul_plan(sa, sb);
    out = plan.batch;
    out.push_back(plan.m);
    out.push_back(plan.n);
  }
  Node& n = t.record("matmul", out, {a, b}, &matmul_backward);
  dispatch_float(n.dtype, "matmul", [&]<class T>() {
    matmul_forward<T>(plain ? nullptr : &plan, sa, sb, input(t, n, 0).values<T>(), input(t, n, 1).values<T>(),
                      n.values<T>());
  });
  t.finish(n);
  return t.var(n);
}

Var transpose(Var a) {
  Tape& t = a.tape();
  const Shape s = a.shape();
  if (s.rank() != 2) throw ShapeError(fmt::format("transpose: input {} is not a matrix", s.str()));
  Node& n = t.record("transpose", Shape{s[1], s[0]}, {a}, &transpose_backward);
  dispatch_float(n.dtype, "transpose", [&]<class T>() {
    const T* x = input(t, n, 0).values<T>();
    T* y = n.values<T>();
    for (int64_t i = 0; i < s[0]; ++i)
      for (int64_t j = 0; j < s[1]; ++j) y[j * s[0] + i] = x[i * s[1] + j];
  });
  t.finish(n);
  return t.var(n);
}

Var linear(Var x, Var w, Var b) {
  Tape& t = x.tape();
  const Shape sx = x.shape(), sw = w.shape();
  if (sw.rank() != 2 || sx.rank() < 1 || sx[sx.rank() - 1] != sw[1])
    throw ShapeError(fmt::format("linear: input {} vs weight {}", sx.str(), sw.str()));
  const int64_t out = sw[0], in = sw[1], rows = in == 0 ? 0 : sx.numel() / in;
  if (b.valid() && !(b.shape() == Shape{out}))
    throw ShapeError(fmt::format("linear: bias {} vs weight {}", b.shape().str(), sw.str()));
  Shape ys = sx;  // [..., in] -> [..., out]: every leading axis is a row
  ys[sx.rank() - 1] = out;
  Node& n = b.valid() ? t.record("linear", ys, {x, w, b}, &linear_backward)
                      : t.record("linear", ys, {x, w}, &linear_backward);
  n.assigns_grads = 0b111;  // x's, w's and b's: see linear_backward
  dispatch_float(n.dtype, "linear", [&]<class T>() {
    // y = b (every row) + x W^T, or 0 + x W^T
    const T* bv = b.valid() ? input(t, n, 2).values<T>() : nullptr;
    const T *xv = input(t, n, 0).values<T>(), *wv = input(t, n, 1).values<T>();
    gemm_into(false, true, rows, out, in, xv, wv, bv, 0, n.values<T>());
  });
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops
