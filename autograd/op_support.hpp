// Internal helpers shared by the ops_*.cpp files (not part of the public API): broadcasting
// iteration over up to three operands, axis splitting, and the record-then-compute boilerplate.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>

#include "autograd/ops.hpp"

namespace gradlab::detail {

// numpy rule: align trailing dims; a dim of 1 stretches. Throws ShapeError
// "<op>: lhs [2,3] vs rhs [4]" when the shapes disagree.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// Iteration plan over an output shape for up to 3 operands that broadcast to it (rank <= 4,
// padded on the left; a stretched dim has stride 0).
struct Broadcast {
  std::array<int64_t, 4> dims{1, 1, 1, 1};
  std::array<std::array<int64_t, 4>, 3> strides{};
  bool all_same = true;  // every operand has the output's shape: one flat loop
  int64_t numel = 1;
};
Broadcast make_broadcast(const Shape& out, std::initializer_list<Shape> operands);

// Calls f(out_index, index0, index1, index2) for every output element, in row-major order.
template <class F>
void for_each_broadcast(const Broadcast& bc, F&& f) {
  if (bc.all_same) {
    for (int64_t o = 0; o < bc.numel; ++o) f(o, o, o, o);
    return;
  }
  const auto& s = bc.strides;
  int64_t o = 0;
  for (int64_t d0 = 0; d0 < bc.dims[0]; ++d0)
    for (int64_t d1 = 0; d1 < bc.dims[1]; ++d1)
      for (int64_t d2 = 0; d2 < bc.dims[2]; ++d2) {
        int64_t b0 = d0 * s[0][0] + d1 * s[0][1] + d2 * s[0][2];
        int64_t b1 = d0 * s[1][0] + d1 * s[1][1] + d2 * s[1][2];
        int64_t b2 = d0 * s[2][0] + d1 * s[2][1] + d2 * s[2][2];
        for (int64_t d3 = 0; d3 < bc.dims[3]; ++d3, ++o)
          f(o, b0 + d3 * s[0][3], b1 + d3 * s[1][3], b2 + d3 * s[2][3]);
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

// Shapes of `pred` and `target` equal once size-1 dims are dropped ([n] vs [n,1]); losses use it
// to refuse the silent [n]x[n,1] -> [n,n] broadcast. Throws "<op>: pred [..] vs target [..]".
void check_same_elements(const char* op, const Shape& pred, const Shape& target);

}  // namespace gradlab::detail

namespace gradlab::detail {

// y = log_softmax(x) along the middle axis of s (stable: shifts by the max first).
void log_softmax_into(const double* x, double* y, const AxisSplit& s);

}  // namespace gradlab::detail
