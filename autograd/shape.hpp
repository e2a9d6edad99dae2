// Shape: the dimensions of a Tensor, stored inline (rank <= 6) so that recording an op never
// allocates for its shape.
#pragma once
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "autograd/export.hpp"

namespace gradlab {

class GRADLAB_API Shape {
 public:
  // NB: 6 covers N,C,H,W and attention's [N, heads, T, T] with room for a permuted or batched view.
  static constexpr int kMaxRank = 6;

  Shape() = default;
  Shape(std::initializer_list<int64_t> dims);  // throws std::invalid_argument past kMaxRank or < 0

  int rank() const { return rank_; }
  int64_t operator[](int axis) const { return dims_[axis]; }
  int64_t& operator[](int axis) { return dims_[axis]; }
  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < rank_; ++i) n *= dims_[i];
    return n;
  }
  void push_back(int64_t d);
  // Python-style axis: -1 is the last. Throws std::out_of_range naming `op` when out of range.
  int normalize_axis(int axis, const char* op) const;

  bool operator==(const Shape& o) const {
    if (rank_ != o.rank_) return false;
    for (int i = 0; i < rank_; ++i)
      if (dims_[i] != o.dims_[i]) return false;
    return true;
  }
  std::string str() const;  // "[3,4]"; a scalar is "[]"

 private:
  std::array<int64_t, kMaxRank> dims_{};
  int rank_ = 0;
};

}  // namespace gradlab
