// Linear algebra primitives: matmul, transpose and the fused linear layer x W^T + b.
// Every product goes through detail::gemm_acc (gemm.hpp): loops, Eigen or OpenBLAS by size.
#include <fmt/format.h>

#include "autograd/gemm.hpp"
#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;
using detail::gemm_acc;

void matmul_backward(Tape& t, const Node& n) {
  const Node& a = input(t, n, 0);
  const Node& b = input(t, n, 1);
  const int64_t m = a.shape[0], k = a.shape[1], nn = b.shape[1];
  if (a.grad) gemm_acc(false, true, m, k, nn, n.grad, b.value, a.grad);   // G B^T
  if (b.grad) gemm_acc(true, false, k, nn, m, a.value, n.grad, b.grad);   // A^T G
}

void transpose_backward(Tape& t, const Node& n) {
  const Node& a = input(t, n, 0);
  if (!a.grad) return;
  const int64_t rows = a.shape[0], cols = a.shape[1];
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) a.grad[i * cols + j] += n.grad[j * rows + i];
}

// x is [rows, in] (or [in]), w [out, in], optional bias b [out].
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
  if (sa.rank() != 2 || sb.rank() != 2 || sa[1] != sb[0])
    throw ShapeError(fmt::format("matmul: lhs {} vs rhs {}", sa.str(), sb.str()));
  Node& n = t.record("matmul", Shape{sa[0], sb[1]}, {a, b}, &matmul_backward);
  std::fill(n.value, n.value + n.numel(), 0.0);
  gemm_acc(false, false, sa[0], sb[1], sa[1], input(t, n, 0).value, input(t, n, 1).value, n.value);
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
  if (sw.rank() != 2 || sx.rank() < 1 || sx.rank() > 2 || sx[sx.rank() - 1] != sw[1])
    throw ShapeError(fmt::format("linear: input {} vs weight {}", sx.str(), sw.str()));
  const int64_t out = sw[0], in = sw[1], rows = sx.rank() == 2 ? sx[0] : 1;
  if (b.valid() && !(b.shape() == Shape{out}))
    throw ShapeError(fmt::format("linear: bias {} vs weight {}", b.shape().str(), sw.str()));
  const Shape ys = sx.rank() == 2 ? Shape{rows, out} : Shape{out};
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
