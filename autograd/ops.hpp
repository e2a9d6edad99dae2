// The differentiable ops. Primitives (with a backward rule) are implemented one family per file:
// ops_binary.cpp, ops_unary.cpp, ops_reduce.cpp, ops_shape.cpp, ops_linalg.cpp, ops_loss.cpp.
// Composites (marked "composite") are written in terms of primitives and have no backward code.
// Every op checks its inputs and throws ShapeError naming itself and both shapes:
//   ops::matmul(a, b)  ->  "matmul: lhs [3,4] vs rhs [5,2]"
#pragma once
#include <span>
#include <stdexcept>
#include <vector>

#include "autograd/rng.hpp"
#include "autograd/tape.hpp"

namespace gradlab {

struct ShapeError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
// An integer index outside its range (gather, index_select): names the op, the index, the range.
struct IndexError : std::out_of_range {
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

// ---- linear algebra (Eigen on the tensors' memory) ----
Var matmul(Var a, Var b);           // [m,k] x [k,n] -> [m,n]
Var transpose(Var a);               // rank 2: [m,n] -> [n,m]
// Fused y = x W^T + b for x [n,in], W [out,in], b [out] (b may be invalid Var: no bias).
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
Var concat(std::span<const Var> parts, int axis);
Var flatten(Var a);                               // [n, ...] -> [n, prod(...)]

// ---- activations over an axis ----
Var softmax(Var a, int axis = -1);
Var log_softmax(Var a, int axis = -1);

// ---- dropout: mask drawn from rng, scaled by 1/(1-p) (inverted dropout) ----
Var dropout(Var a, double p, Rng& rng);

// ---- losses (mean over the batch, as in PyTorch and Keras) ----
// On probabilities p: clipped to [eps, 1-eps] first, as the course does.
Var bce(Var p, Var target, double eps = 1e-15);
// On logits z: max(z,0) - z*y + log(1+e^-|z|), stable for any z.
Var bce_with_logits(Var z, Var target);
Var mse(Var pred, Var target);                    // composite: mean((pred-target)^2)
// logits [n,c]; target either class indices [n] / [n,1] or a one-hot / soft [n,c].
Var cross_entropy(Var logits, Var target);

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
