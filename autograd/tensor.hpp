// Tensor: a contiguous row-major float64 N-d array that owns its data.
//   Tensor t({2, 3}, 0.0);  t.at(1, 2) = 5;  t.shape().str() == "[2,3]"
#pragma once
#include <initializer_list>
#include <span>
#include <vector>

#include "autograd/shape.hpp"

namespace gradlab {

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(const Shape& shape, double fill = 0.0);
  Tensor(const Shape& shape, std::vector<double> data);  // throws if sizes disagree
  static Tensor scalar(double v);
  // Tensor::matrix({{1, 2}, {3, 4}}) is a [2,2] tensor; ragged rows throw.
  static Tensor matrix(std::initializer_list<std::initializer_list<double>> rows);
  static Tensor vector(std::initializer_list<double> values);

  const Shape& shape() const { return shape_; }
  int64_t numel() const { return static_cast<int64_t>(data_.size()); }
  double* data() { return data_.data(); }
  const double* data() const { return data_.data(); }
  std::span<double> span() { return data_; }
  std::span<const double> span() const { return data_; }

  double& operator[](int64_t i) { return data_[i]; }
  double operator[](int64_t i) const { return data_[i]; }
  double& at(int64_t i, int64_t j) { return data_[i * shape_[1] + j]; }
  double at(int64_t i, int64_t j) const { return data_[i * shape_[1] + j]; }
  double item() const;  // the one value of a 1-element tensor; throws otherwise

  // Changes the shape; keeps the buffer's capacity (no allocation when it shrinks or stays).
  void resize(const Shape& shape);
  void fill(double v);

 private:
  Shape shape_;
  std::vector<double> data_;
};

}  // namespace gradlab
