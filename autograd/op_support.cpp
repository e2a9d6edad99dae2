// Shape helpers shared by the ops: numpy broadcasting plans, axis splits, loss shape checks.
#include "autograd/op_support.hpp"

#include <fmt/format.h>

namespace gradlab::detail {

Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
  if (a == b) return a;
  const int rank = std::max(a.rank(), b.rank());
  Shape out;
  for (int d = 0; d < rank; ++d) {
    const int da = d - (rank - a.rank()), db = d - (rank - b.rank());
    const int64_t x = da >= 0 ? a[da] : 1, y = db >= 0 ? b[db] : 1;
    if (x != y && x != 1 && y != 1)
      throw ShapeError(fmt::format("{}: lhs {} vs rhs {}", op, a.str(), b.str()));
    out.push_back(x == 1 ? y : x);
  }
  return out;
}

Broadcast make_broadcast(const Shape& out, std::initializer_list<Shape> operands) {
  Broadcast bc;
  bc.numel = out.numel();
  for (const Shape& s : operands) bc.all_same &= s == out;
  if (bc.all_same) return bc;  // NB: the flat loop reads no strides; most ops take this path
  const int pad = Shape::kMaxRank - out.rank();
  for (int d = 0; d < out.rank(); ++d) bc.dims[static_cast<size_t>(pad + d)] = out[d];
  size_t k = 0;
  for (const Shape& s : operands) {
    int64_t stride = 1;
    for (int d = s.rank() - 1; d >= 0; --d) {
      const size_t pd = static_cast<size_t>(Shape::kMaxRank - s.rank() + d);
      bc.strides[k][pd] = s[d] == 1 ? 0 : stride;  // a stretched (or size-1) dim does not advance
      stride *= s[d];
    }
    ++k;
  }
  return bc;
}

AxisSplit split_at(const Shape& s, int axis) {
  AxisSplit r;
  for (int d = 0; d < axis; ++d) r.outer *= s[d];
  r.len = s[axis];
  for (int d = axis + 1; d < s.rank(); ++d) r.inner *= s[d];
  return r;
}

Shape reduced_shape(const Shape& s, int axis, bool keepdim) {
  Shape out;
  for (int d = 0; d < s.rank(); ++d) {
    if (d != axis) out.push_back(s[d]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}

std::array<int64_t, Shape::kMaxRank> strides_of(const Shape& s) {
  std::array<int64_t, Shape::kMaxRank> st{};
  int64_t stride = 1;
  for (int d = s.rank() - 1; d >= 0; --d) {
    st[static_cast<size_t>(d)] = stride;
    stride *= s[d];
  }
  return st;
}

Shape sub_shape(const Shape& s, int begin, int end) {
  Shape out;
  for (int d = begin; d < end; ++d) out.push_back(s[d]);
  return out;
}

void check_indices(const char* op, std::span<const int64_t> idx, int64_t range) {
  for (size_t k = 0; k < idx.size(); ++k)
    if (idx[k] < 0 || idx[k] >= range) [[unlikely]]
      throw IndexError(fmt::format("{}: index {} at position {} out of range [0,{})", op, idx[k], k, range));
}

void check_same_elements(const char* op, const Shape& pred, const Shape& target) {
  Shape a, b;
  for (int d = 0; d < pred.rank(); ++d)
    if (pred[d] != 1) a.push_back(pred[d]);
  for (int d = 0; d < target.rank(); ++d)
    if (target[d] != 1) b.push_back(target[d]);
  if (!(a == b)) throw ShapeError(fmt::format("{}: pred {} vs target {}", op, pred.str(), target.str()));
}

}  // namespace gradlab::detail
