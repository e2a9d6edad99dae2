// The differentiable ops. Primitives (with a backward rule) are implemented one family per file,
// ops_<family>.cpp (the sections below: binary, unary, reduce, shape, ...).
// Composites (marked "composite") are written in terms of primitives and have no backward code.
// Every op checks its inputs and throws ShapeError naming itself and both shapes:
//   ops::matmul(a, b)  ->  "matmul: lhs [3,4] vs rhs [5,2]"
#pragma once
#include <array>
#include <span>
#include <stdexcept>
#include <vector>

#include "autograd/export.hpp"
#include "autograd/rng.hpp"
#include "autograd/tape.hpp"

GRADLAB_API_BEGIN  // every declaration below is exported (autograd/export.hpp)
namespace gradlab {

struct GRADLAB_API ShapeError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
// An integer index outside its range (gather, index_select): names the op, the index, the range.
struct GRADLAB_API IndexError : std::out_of_range {
  using std::out_of_range::out_of_range;
};

namespace ops {

// ---- elementwise binary, numpy broadcasting (trailing dims aligned; 1 stretches) ----
Var add(Var a, Var b);
Var sub(Var a, Var b);
Var mul(Var a, Var b);
Var div(Var a, Var b);
Var maximum(Var a, Var b);          // d/da where a >= b (ties go to a), d/db elsewhere
Var pow(Var a, Var b);              // a^b elementwise (a > 0 where b is not an integer)
// cond is a constant mask (nonzero = take a); a, b and cond broadcast together.
Var where(Var cond, Var a, Var b);

// ---- scalar forms (no constant node) ----
Var add_scalar(Var a, double s);
Var mul_scalar(Var a, double s);
Var pow_scalar(Var a, double exponent);   // x^p

// ---- elementwise unary ----
Var neg(Var a);
Var exp(Var a);
Var log(Var a);
Var sqrt(Var a);
Var abs(Var a);                     // d = sign(x), 0 at 0
Var square(Var a);
Var clamp(Var a, double lo, double hi);   // gradient passes only strictly inside (lo, hi)
Var tanh(Var a);
Var sigmoid(Var a);                 // 1/(1+e^-x), stable for large |x|
Var relu(Var a);                    // d = 1 for x > 0
Var leaky_relu(Var a, double slope = 0.01);
Var elu(Var a, double alpha = 1.0);
Var softplus(Var a);                // log(1+e^x), stable
Var gelu(Var a);                    // exact: x * Phi(x)

// ---- linear algebra (every product through gemm.hpp) ----
// [m,k] x [k,n] -> [m,n]; batched: [..., m, k] x [..., k, n] -> [..., m, n], the batch dims
// broadcast (numpy): [2,3,4] x [4,5] -> [2,3,5]; [2,1,3,4] x [5,4,6] -> [2,5,3,6].
// dA_b = G_b B_b^T, dB_b = A_b^T G_b, summed over the batches an operand was stretched across.
Var matmul(Var a, Var b);
Var transpose(Var a);               // rank 2: [m,n] -> [n,m]
// Fused y = x W^T + b over the last axis: x [..., in], W [out,in], b [out] -> [..., out]
// (b may be an invalid Var: no bias).  linear([2,7,3], [4,3], [4]) -> [2,7,4].
Var linear(Var x, Var w, Var b);

// ---- reductions ----
Var sum(Var a);                                   // all elements -> scalar [] (rank 0)
Var sum(Var a, int axis, bool keepdim = false);
Var mean(Var a);                                  // composite: sum / n
Var mean(Var a, int axis, bool keepdim = false);  // composite
Var max(Var a, int axis, bool keepdim = false);   // gradient to the first maximum

// ---- shape ----
Var reshape(Var a, const Shape& shape);           // same numel
Var reshape(Var a, std::initializer_list<int64_t> dims);  // reshape(x, {-1, 4}): one dim may be -1
Var broadcast_to(Var a, const Shape& shape);      // "expand"; backward sums the stretched axes
Var slice(Var a, int axis, int64_t start, int64_t stop);   // [start, stop) along axis
Var concat(std::span<const Var> parts, int axis);  // one node, any number of parts
// New axis `axis` (0..rank) of size parts.size(): stack([3,4] x 5, 1) -> [3,5,4]. One node.
Var stack(std::span<const Var> parts, int axis);
Var flatten(Var a);                               // [n, ...] -> [n, prod(...)]
// Several outputs, one node each (a multi-output op): pieces of `sizes` along axis, in order.
// split([4,6], 1, {2,4}, out) -> out = {[4,2], [4,4]}; an LSTM's gates: split(z, -1, {h,h,h,h}).
void split(Var a, int axis, std::span<const int64_t> sizes, std::span<Var> outputs);
// A copy converted to `to`: float32 <-> float64 (a node even when x already has that dtype);
// backward converts the gradient back to x's dtype. To or from int64 (labels -> float, or
// truncating float -> int64) converts the values but carries no gradient.
Var cast(Var x, DType to);

// ---- layout: permute and pad ----
// y = x with axes reordered: y.shape[d] = x.shape[perm[d]]; permute([2,3,4], {2,0,1}) -> [4,2,3].
// Backward applies the inverse permutation.
Var permute(Var a, std::span<const int> perm);
Var permute(Var a, std::initializer_list<int> perm);
// Constant padding, numpy style: one {before, after} pair per axis (>= 0).
//   pad([2,3], {{0,0},{1,2}}, 0.5) -> [2,6], rows [0.5, x0, x1, x2, 0.5, 0.5]. dx = dy's interior.
Var pad(Var a, std::span<const std::array<int64_t, 2>> widths, double value = 0.0);
Var pad(Var a, std::initializer_list<std::array<int64_t, 2>> widths, double value = 0.0);

// ---- integer indexing and masking (indices are int64, never doubles) ----
// numpy take: y = a with axis replaced by the index shape; y[.., i.., ..] = a[.., idx[i..], ..].
// Embedding lookup: index_select(weight [V,D], 0, ids, Shape{N,T}) -> [N,T,D]. dx scatter-adds
// (a row picked twice gets both gradients). An index outside [0, a.shape[axis]) throws
// IndexError "index_select: index 7 at position 3 out of range [0,5)".
Var index_select(Var a, int axis, std::span<const int64_t> indices, const Shape& index_shape);
Var index_select(Var a, int axis, std::span<const int64_t> indices);  // 1-D indices
// torch.gather: index has a's rank; y[i,j] = a[idx[i,j], j] (axis 0) or a[i, idx[i,j]] (axis 1).
//   gather([[1,2],[3,4]], 1, {1,0, 0,0}, [2,2]) -> [[2,1],[3,3]]. dx scatter-adds.
Var gather(Var a, int axis, std::span<const int64_t> indices, const Shape& index_shape);
// y = mask != 0 ? value : x; mask (a constant) broadcasts to x's shape. dx = dy where mask == 0.
//   masked_fill(scores [N,T,T], causal [T,T], -1e9): attention's causal mask.
// NB: a -inf fill works with softmax but trips check_numerics (which flags every Inf).
Var masked_fill(Var x, Var mask, double value);

// ---- convolution and pooling, NCHW ----
struct Conv2dOptions {
  std::array<int64_t, 2> stride{1, 1}, padding{0, 0}, dilation{1, 1};  // {height, width}
  // relu(conv2d(...)) as one node, the same bits as the two ops: each image's output is rectified
  // while still in cache, and the backward masks dy per image (no separate relu pass over memory).
  bool relu = false;
};
// x [N,C,H,W], w [F,C,kh,kw], optional b [F] (invalid Var: none) -> [N,F,OH,OW] with
// OH = (H + 2 pad - dil (kh-1) - 1) / stride + 1 (floor), the same for OW:
//   y[n,f,i,j] = b[f] + sum_{c,p,q} w[f,c,p,q] x[n, c, i s - pad + p dil, j s - pad + q dil]
// (x is 0 outside). im2col + GEMM: dW = G col^T, dcol = W^T G, dx = col2im(dcol), db = sum G.
//   conv2d([64,1,28,28], [16,1,3,3], b, {.padding = {1,1}}) -> [64,16,28,28]
Var conv2d(Var x, Var w, Var b, const Conv2dOptions& opt = {});
struct Pool2dOptions {
  std::array<int64_t, 2> kernel{2, 2};
  std::array<int64_t, 2> stride{0, 0};   // 0: the kernel size (PyTorch's default)
  std::array<int64_t, 2> padding{0, 0};  // at most half the kernel
};
// y[n,c,i,j] = max over the window (padding never wins); backward routes dy to the first
// maximum's position, kept in the node's aux buffer.  max_pool2d([1,1,4,4]) -> [1,1,2,2].
Var max_pool2d(Var x, const Pool2dOptions& opt = {});
// y = mean over the window; padded cells count as zeros (PyTorch's count_include_pad).
Var avg_pool2d(Var x, const Pool2dOptions& opt = {});

// ---- fused recurrent cells (one node per time step) ----
// PyTorch's nn.GRU step, gates r, z, n: x_proj [N,3H] = W_ih x_t + b_ih (projected for every step
// at once), h [N,H], w_hh [3H,H], b_hh [3H] -> h_t [N,H]:
//   r = sigmoid(x_r + W_hr h + b_hr), z = sigmoid(x_z + W_hz h + b_hz),
//   n = tanh(x_n + r * (W_hn h + b_hn)),  h_t = (1 - z) n + z h.
// x_proj may also be every step's projection [T,N,3H]: the cell reads step `step` of it in place
// (no slice and reshape nodes per step; backward adds into that step's rows).
Var gru_cell(Var x_proj, Var h, Var w_hh, Var b_hh, int64_t step = 0);

// ---- activations over an axis (any axis of any rank) ----
// y = e^x / sum_axis e^x (shifted by the max); dx = y (g - sum_axis(g y)).
Var softmax(Var a, int axis = -1);
// y = x - logsumexp_axis(x); dx = g - e^y sum_axis(g).
Var log_softmax(Var a, int axis = -1);

// ---- dropout: mask drawn from rng, scaled by 1/(1-p) (inverted dropout) ----
Var dropout(Var a, double p, Rng& rng);

// ---- losses (mean over the batch, as in PyTorch and Keras) ----
// On probabilities p: clipped to [eps, 1-eps] first, as the course does.
Var bce(Var p, Var target, double eps = 1e-15);
// On logits z: max(z,0) - z*y + log(1+e^-|z|), stable for any z.
Var bce_with_logits(Var z, Var target);
Var mse(Var pred, Var target);                    // composite: mean((pred-target)^2)
// Mean over the rows of -log softmax(logits)[target], with the class axis last: logits [N, C] or
// [N, T, C]; target either int64 class ids [N] / [N, T] (the preferred form), float class indices
// of the same shape ([N, 1] too), or one-hot / soft targets of the logits' shape. A class index
// equal to ignore_index (PyTorch's default -100) contributes nothing, and the mean is over the
// rows that are not ignored; when every row is ignored the loss is 0 and the gradient is zero
// (PyTorch gives NaN). Another id outside [0, C) throws IndexError (int64) or ShapeError (float).
Var cross_entropy(Var logits, Var target, int64_t ignore_index = -100);

}  // namespace ops

// Operators for readability in composites and plugins: a + b, a * b, -a, ...
inline Var operator+(Var a, Var b) { return ops::add(a, b); }
inline Var operator-(Var a, Var b) { return ops::sub(a, b); }
inline Var operator*(Var a, Var b) { return ops::mul(a, b); }
inline Var operator/(Var a, Var b) { return ops::div(a, b); }
inline Var operator-(Var a) { return ops::neg(a); }
inline Var operator+(Var a, double s) { return ops::add_scalar(a, s); }
inline Var operator*(Var a, double s) { return ops::mul_scalar(a, s); }
inline Var operator*(double s, Var a) { return ops::mul_scalar(a, s); }

}  // namespace gradlab
GRADLAB_API_END
