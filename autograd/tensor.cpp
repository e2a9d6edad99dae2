// Tensor: construction, checked element access and capacity-keeping resize.
#include "autograd/tensor.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace gradlab {

Tensor::Tensor(const Shape& shape, double fill)
    : shape_(shape), data_(static_cast<size_t>(shape.numel()), fill) {}

Tensor::Tensor(const Shape& shape, std::vector<double> data) : shape_(shape), data_(std::move(data)) {
  if (static_cast<int64_t>(data_.size()) != shape.numel())
    throw std::invalid_argument(fmt::format("Tensor: shape {} needs {} values, got {}", shape.str(),
                                            shape.numel(), data_.size()));
}

Tensor Tensor::scalar(double v) { return Tensor(Shape{}, v); }

Tensor Tensor::matrix(std::initializer_list<std::initializer_list<double>> rows) {
  const int64_t n = static_cast<int64_t>(rows.size());
  const int64_t m = n ? static_cast<int64_t>(rows.begin()->size()) : 0;
  std::vector<double> data;
  data.reserve(static_cast<size_t>(n * m));
  int64_t r = 0;
  for (const auto& row : rows) {
    if (static_cast<int64_t>(row.size()) != m)
      throw std::invalid_argument(
          fmt::format("Tensor::matrix: row {} has {} values, row 0 has {}", r, row.size(), m));
    data.insert(data.end(), row.begin(), row.end());
    ++r;
  }
  return Tensor(Shape{n, m}, std::move(data));
}

Tensor Tensor::vector(std::initializer_list<double> values) {
  return Tensor(Shape{static_cast<int64_t>(values.size())}, std::vector<double>(values));
}

double Tensor::item() const {
  if (data_.size() != 1)
    throw std::invalid_argument(
        fmt::format("item: tensor of shape {} has {} elements, expected 1", shape_.str(), data_.size()));
  return data_[0];
}

void Tensor::resize(const Shape& shape) {
  shape_ = shape;
  data_.resize(static_cast<size_t>(shape.numel()));
}

void Tensor::fill(double v) { std::fill(data_.begin(), data_.end(), v); }

}  // namespace gradlab
