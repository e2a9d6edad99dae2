// Tensor: construction, dtype conversion, checked element access and capacity-keeping resize.
#include "autograd/tensor.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace gradlab {
namespace {

void check_count(const Shape& shape, size_t got) {
  if (static_cast<int64_t>(got) != shape.numel())
    throw std::invalid_argument(fmt::format("Tensor: shape {} needs {} values, got {}", shape.str(),
                                            shape.numel(), got));
}

}  // namespace

Tensor::Tensor(const Shape& shape, DType dtype, double fill)
    : shape_(shape), numel_(shape.numel()), dtype_(dtype),
      bytes_(static_cast<size_t>(numel_) * size_of(dtype)) {
  if (fill != 0.0) this->fill(fill);
}

Tensor::Tensor(const Shape& shape, double fill) : Tensor(shape, DType::float64, fill) {}

Tensor::Tensor(const Shape& shape, std::vector<double> data) : Tensor(shape, DType::float64) {
  copy_in(data.data(), data.size());
}

void Tensor::copy_in(const void* src, size_t count) {
  check_count(shape_, count);
  if (!bytes_.empty()) std::memcpy(bytes_.data(), src, bytes_.size());  // NB: an empty src may be null
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

double Tensor::get(int64_t i) const {
  return visit_dtype(dtype_, [&]<class T>() { return static_cast<double>(data<T>()[i]); });
}

void Tensor::set(int64_t i, double v) {
  visit_dtype(dtype_, [&]<class T>() { data<T>()[i] = static_cast<T>(v); });
}

double Tensor::item() const {
  if (numel_ != 1)
    throw std::invalid_argument(
        fmt::format("item: tensor of shape {} has {} elements, expected 1", shape_.str(), numel_));
  return get(0);
}

Tensor Tensor::to(DType dtype) const {
  Tensor out(shape_, dtype);
  visit_dtype(dtype_, [&]<class S>() {
    visit_dtype(dtype, [&]<class D>() {
      std::transform(data<S>(), data<S>() + numel_, out.data<D>(), [](S v) { return static_cast<D>(v); });
    });
  });
  return out;
}

void Tensor::resize(const Shape& shape) {
  shape_ = shape;
  numel_ = shape.numel();
  bytes_.resize(static_cast<size_t>(numel_) * size_of(dtype_));
}

void Tensor::fill(double v) {
  visit_dtype(dtype_, [&]<class T>() { std::fill(data<T>(), data<T>() + numel_, static_cast<T>(v)); });
}

}  // namespace gradlab
