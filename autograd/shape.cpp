#include "autograd/shape.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace gradlab {

Shape::Shape(std::initializer_list<int64_t> dims) {
  for (int64_t d : dims) push_back(d);
}

void Shape::push_back(int64_t d) {
  if (rank_ == kMaxRank)
    throw std::invalid_argument(fmt::format("Shape: rank above {} is not supported", kMaxRank));
  if (d < 0) throw std::invalid_argument(fmt::format("Shape: negative dimension {}", d));
  dims_[rank_++] = d;
}

int Shape::normalize_axis(int axis, const char* op) const {
  int a = axis < 0 ? axis + rank_ : axis;
  if (a < 0 || a >= rank_)
    throw std::out_of_range(fmt::format("{}: axis {} out of range for shape {}", op, axis, str()));
  return a;
}

std::string Shape::str() const {
  std::string s = "[";
  for (int i = 0; i < rank_; ++i) {
    if (i) s += ',';
    s += std::to_string(dims_[i]);
  }
  return s + "]";
}

}  // namespace gradlab
