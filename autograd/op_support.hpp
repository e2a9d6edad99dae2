// Internal helpers shared by the ops_*.cpp files (not part of the public API): broadcasting
// iteration over up to three operands, axis splitting, and the record-then-compute boilerplate.
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "autograd/ops.hpp"

namespace gradlab::detail {

// numpy rule: align trailing dims; a dim of 1 stretches. Throws ShapeError
// "<op>: lhs [2,3] vs rhs [4]" when the shapes disagree.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// Iteration plan over an output shape for up to 3 operands that broadcast to it (rank <=
// Shape::kMaxRank, padded on the left; a stretched dim has stride 0).
struct Broadcast {
  static constexpr int kRank = Shape::kMaxRank;
  std::array<int64_t, kRank> dims{1, 1, 1, 1, 1, 1};
  std::array<std::array<int64_t, kRank>, 3> strides{};
  bool all_same = true;  // every operand has the output's shape: one flat loop
  int64_t numel = 1;
};
Broadcast make_broadcast(const Shape& out, std::initializer_list<Shape> operands);

// Calls f(out_index, index0, index1, index2) for every output element, in row-major order.
// NB: an odometer over the outer dims and a plain loop over the last one: as fast as the nested
// loops it replaced at rank <= 4, and any rank up to kRank.
template <class F>
void for_each_broadcast(const Broadcast& bc, F&& f) {
  if (bc.all_same) {
    for (int64_t o = 0; o < bc.numel; ++o) f(o, o, o, o);
    return;
  }
  constexpr int R = Broadcast::kRank;
  const auto& s = bc.strides;
  const int64_t last = bc.dims[R - 1];
  if (bc.numel == 0) return;
  std::array<int64_t, R> idx{};
  int64_t b0 = 0, b1 = 0, b2 = 0;
  for (int64_t o = 0; o < bc.numel;) {
    for (int64_t d = 0; d < last; ++d, ++o) f(o, b0 + d * s[0][R - 1], b1 + d * s[1][R - 1], b2 + d * s[2][R - 1]);
    for (int ax = R - 2; ax >= 0; --ax) {  // advance the outer index, carrying leftwards
      const auto a = static_cast<size_t>(ax);
      if (++idx[a] < bc.dims[a]) {
        b0 += s[0][a], b1 += s[1][a], b2 += s[2][a];
        break;
      }
      idx[a] = 0;
      b0 -= (bc.dims[a] - 1) * s[0][a], b1 -= (bc.dims[a] - 1) * s[1][a], b2 -= (bc.dims[a] - 1) * s[2][a];
    }
  }
}

// Row-major strides of a shape (the last axis has stride 1).
std::array<int64_t, Shape::kMaxRank> strides_of(const Shape& s);

// Calls f(k, off) for every element k (row-major) of `shape`, with off = sum_d idx_d strides[d]:
// a strided view walked in order (permute's source, pad's interior).
template <class F>
void for_each_strided(const Shape& shape, const std::array<int64_t, Shape::kMaxRank>& strides, F&& f) {
  const int64_t numel = shape.numel();
  if (numel == 0) return;
  const int r = shape.rank();
  const int64_t last = r ? shape[r - 1] : 1, step = r ? strides[static_cast<size_t>(r - 1)] : 0;
  std::array<int64_t, Shape::kMaxRank> idx{};
  int64_t base = 0;
  for (int64_t k = 0; k < numel;) {
    for (int64_t d = 0; d < last; ++d, ++k) f(k, base + d * step);
    for (int ax = r - 2; ax >= 0; --ax) {  // advance the outer index, carrying leftwards
      const auto a = static_cast<size_t>(ax);
      if (++idx[a] < shape[ax]) {
        base += strides[a];
        break;
      }
      idx[a] = 0;
      base -= (shape[ax] - 1) * strides[a];
    }
  }
}

// A shape seen as [outer, len, inner] around one axis (for reductions, softmax, slice, concat).
struct AxisSplit {
  int64_t outer = 1, len = 1, inner = 1;
};
AxisSplit split_at(const Shape& s, int axis);

// The shape with `axis` removed (keepdim = false) or set to 1 (keepdim = true).
Shape reduced_shape(const Shape& s, int axis, bool keepdim);

// Value of an input node of `n` (k-th input); valid as long as the tape is not reset.
inline const Node& input(const Tape& t, const Node& n, int k) {
  return t.node(n.inputs[static_cast<size_t>(k)]);
}

// The shape's dims [begin, end) as a Shape (batch dims, a sub-shape).
Shape sub_shape(const Shape& s, int begin, int end);

// Throws IndexError "<op>: index 7 at position 3 out of range [0,5)" for the first bad index.
void check_indices(const char* op, std::span<const int64_t> idx, int64_t range);

// Shapes of `pred` and `target` equal once size-1 dims are dropped ([n] vs [n,1]); losses use it
// to refuse the silent [n]x[n,1] -> [n,n] broadcast. Throws "<op>: pred [..] vs target [..]".
void check_same_elements(const char* op, const Shape& pred, const Shape& target);

}  // namespace gradlab::detail

namespace gradlab::detail {

// y = log_softmax(x) along the middle axis of s (stable: shifts by the max first), for T = double
// or float. The sum of exponentials accumulates in double; y = x - lse is rounded once to T.
template <class T>
void log_softmax_into(const T* x, T* y, const AxisSplit& s) {
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) {
      const T* xs = x + o * s.len * s.inner + k;
      T* ys = y + o * s.len * s.inner + k;
      T mx = xs[0];
      for (int64_t l = 1; l < s.len; ++l) mx = std::max(mx, xs[l * s.inner]);
      double z = 0;
      for (int64_t l = 0; l < s.len; ++l) z += std::exp(xs[l * s.inner] - mx);
      const double lse = mx + std::log(z);
      for (int64_t l = 0; l < s.len; ++l) ys[l * s.inner] = static_cast<T>(xs[l * s.inner] - lse);
    }
}

}  // namespace gradlab::detail
