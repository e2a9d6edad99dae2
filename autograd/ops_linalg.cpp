// Linear algebra primitives: matmul (batched, batch dims broadcast), transpose and the fused
// linear layer x W^T + b over the last axis.
// Every product goes through detail::gemm_acc (gemm.hpp): loops, Eigen or OpenBLAS by size.
#include <fmt/format.h>

#include "autograd/gemm.hpp"
#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;
using detail::gemm_acc;

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

void matmul_backward(Tape& t, const Node& n) {
  const Node& a = input(t, n, 0);
  const Node& b = input(t, n, 1);
  if (a.shape.rank() == 2 && b.shape.rank() == 2) {
    const int64_t m = a.shape[0], k = a.shape[1], nn = b.shape[1];
    if (a.grad) gemm_acc(false, true, m, k, nn, n.grad, b.value, a.grad);   // G B^T
    if (b.grad) gemm_acc(true, false, k, nn, m, a.value, n.grad, b.grad);   // A^T G
    return;
  }
  const MatmulPlan p = matmul_plan(a.shape, b.shape);
  if (p.fold) {  // [B*m, k] x [k, n]
    const int64_t rows = p.batch.numel() * p.m;
    if (a.grad) gemm_acc(false, true, rows, p.k, p.n, n.grad, b.value, a.grad);
    if (b.grad) gemm_acc(true, false, p.k, p.n, rows, a.value, n.grad, b.grad);
    return;
  }
  const int64_t sa = p.m * p.k, sb = p.k * p.n, so = p.m * p.n;
  detail::for_each_broadcast(p.bc, [&](int64_t o, int64_t i, int64_t j, int64_t) {
    if (a.grad) gemm_acc(false, true, p.m, p.k, p.n, n.grad + o * so, b.value + j * sb, a.grad + i * sa);
    if (b.grad) gemm_acc(true, false, p.k, p.n, p.m, a.value + i * sa, n.grad + o * so, b.grad + j * sb);
  });
}

void transpose_backward(Tape& t, const Node& n) {
  const Node& a = input(t, n, 0);
  if (!a.grad) return;
  const int64_t rows = a.shape[0], cols = a.shape[1];
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) a.grad[i * cols + j] += n.grad[j * rows + i];
}

// x is [..., in] (rows = its numel / in), w [out, in], optional bias b [out].
void linear_backward(Tape& t, const Node& n) {
  const Node& x = input(t, n, 0);
  const Node& w = input(t, n, 1);
  const int64_t out = w.shape[0], in = w.shape[1], rows = x.numel() / in;
  if (x.grad) gemm_acc(false, false, rows, in, out, n.grad, w.value, x.grad);  // G W
  if (w.grad) gemm_acc(true, false, out, in, rows, n.grad, x.value, w.grad);   // G^T X
  if (n.num_inputs() == 3) {
    const Node& b = input(t, n, 2);
    if (!b.grad) return;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < out; ++j) b.grad[j] += n.grad[r * out + j];
  }
}

}  // namespace

Var matmul(Var a, Var b) {
  Tape& t = a.tape();
  const Shape sa = a.shape(), sb = b.shape();
  if (sa.rank() < 2 || sb.rank() < 2 || sa[sa.rank() - 1] != sb[sb.rank() - 2])
    throw ShapeError(fmt::format("matmul: lhs {} vs rhs {}", sa.str(), sb.str()));
  if (sa.rank() == 2 && sb.rank() == 2) {  // NB: the MLP's path, kept free of the batch plan
    Node& n = t.record("matmul", Shape{sa[0], sb[1]}, {a, b}, &matmul_backward);
    std::fill(n.value, n.value + n.numel(), 0.0);
    gemm_acc(false, false, sa[0], sb[1], sa[1], input(t, n, 0).value, input(t, n, 1).value, n.value);
    t.finish(n);
    return t.var(n);
  }
  const MatmulPlan p = matmul_plan(sa, sb);
  Shape out = p.batch;
  out.push_back(p.m);
  out.push_back(p.n);
  Node& n = t.record("matmul", out, {a, b}, &matmul_backward);
  std::fill(n.value, n.value + n.numel(), 0.0);
  const double *av = input(t, n, 0).value, *bv = input(t, n, 1).value;
  if (p.fold) {
    gemm_acc(false, false, p.batch.numel() * p.m, p.n, p.k, av, bv, n.value);
  } else {
    const int64_t sa_ = p.m * p.k, sb_ = p.k * p.n, so = p.m * p.n;
    detail::for_each_broadcast(p.bc, [&](int64_t o, int64_t i, int64_t j, int64_t) {
      gemm_acc(false, false, p.m, p.n, p.k, av + i * sa_, bv + j * sb_, n.value + o * so);
    });
  }
  t.finish(n);
  return t.var(n);
}

Var transpose(Var a) {
  Tape& t = a.tape();
  const Shape s = a.shape();
  if (s.rank() != 2) throw ShapeError(fmt::format("transpose: input {} is not a matrix", s.str()));
  Node& n = t.record("transpose", Shape{s[1], s[0]}, {a}, &transpose_backward);
  const double* x = input(t, n, 0).value;
  for (int64_t i = 0; i < s[0]; ++i)
    for (int64_t j = 0; j < s[1]; ++j) n.value[j * s[0] + i] = x[i * s[1] + j];
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
  double* y = n.value;
  if (b.valid()) {
    const double* bv = input(t, n, 2).value;
    for (int64_t r = 0; r < rows; ++r) std::copy(bv, bv + out, y + r * out);
  } else {
    std::fill(y, y + rows * out, 0.0);
  }
  gemm_acc(false, true, rows, out, in, input(t, n, 0).value, input(t, n, 1).value, y);
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops
