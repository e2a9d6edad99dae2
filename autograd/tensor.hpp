// Tensor: a contiguous row-major N-d array of one dtype (float64 unless asked) that owns its data.
//   Tensor t({2, 3}, 0.0);  t.at(1, 2) = 5;  t.shape().str() == "[2,3]"
//   Tensor f({2, 3}, DType::float32);  f.data<float>()[0] = 1.5f;  f.to(DType::float64)
// The double accessors (data(), span(), operator[], at) are float64's: on another dtype they
// throw DTypeError; data<T>() and span<T>() take the dtype's own type; get/set convert any.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <span>
#include <type_traits>
#include <vector>

#include "autograd/cache_line.hpp"
#include "autograd/dtype.hpp"
#include "autograd/export.hpp"
#include "autograd/shape.hpp"

namespace gradlab {

class GRADLAB_API Tensor {
 public:
  Tensor() = default;
  explicit Tensor(const Shape& shape, double fill = 0.0);
  Tensor(const Shape& shape, DType dtype, double fill = 0.0);
  Tensor(const Shape& shape, std::vector<double> data);  // throws if sizes disagree
  // Tensor(shape, std::vector<float>{...}) is float32; std::vector<int64_t> is int64.
  template <class T>
    requires std::is_same_v<T, float> || std::is_same_v<T, int64_t>
  Tensor(const Shape& shape, const std::vector<T>& data) : Tensor(shape, dtype_of<T>()) {
    copy_in(data.data(), data.size());
  }
  static Tensor scalar(double v);
  // Tensor::matrix({{1, 2}, {3, 4}}) is a [2,2] tensor; ragged rows throw.
  static Tensor matrix(std::initializer_list<std::initializer_list<double>> rows);
  static Tensor vector(std::initializer_list<double> values);

  const Shape& shape() const { return shape_; }
  DType dtype() const { return dtype_; }
  int64_t numel() const { return numel_; }
  void* raw() { return bytes_.data(); }
  const void* raw() const { return bytes_.data(); }

  template <class T>
  T* data() {
    check(dtype_of<T>());
    return reinterpret_cast<T*>(bytes_.data());
  }
  template <class T>
  const T* data() const {
    check(dtype_of<T>());
    return reinterpret_cast<const T*>(bytes_.data());
  }
  template <class T>
  std::span<T> span() { return {data<T>(), static_cast<size_t>(numel_)}; }
  template <class T>
  std::span<const T> span() const { return {data<T>(), static_cast<size_t>(numel_)}; }
  double* data() { return data<double>(); }
  const double* data() const { return data<double>(); }
  std::span<double> span() { return span<double>(); }
  std::span<const double> span() const { return span<double>(); }

  double& operator[](int64_t i) { return data()[i]; }
  double operator[](int64_t i) const { return data()[i]; }
  double& at(int64_t i, int64_t j) { return data()[i * shape_[1] + j]; }
  double at(int64_t i, int64_t j) const { return data()[i * shape_[1] + j]; }
  double get(int64_t i) const;        // element i as a double, whatever the dtype
  void set(int64_t i, double v);      // element i from a double (rounded to float32, truncated to int64)
  double item() const;  // the one value of a 1-element tensor; throws otherwise

  Tensor to(DType dtype) const;       // a converted copy (a plain copy when the dtype is the same)
  // Changes the shape; keeps the buffer's capacity (no allocation when it shrinks or stays).
  void resize(const Shape& shape);
  void fill(double v);

 private:
  void copy_in(const void* src, size_t count);  // throws if count != numel
  void check(DType wanted) const {
    if (wanted != dtype_) [[unlikely]]
      throw_dtype_mismatch("Tensor", dtype_, wanted);
  }
  Shape shape_;
  int64_t numel_ = 0;
  DType dtype_ = DType::float64;
  std::vector<std::byte, CacheLineAllocator<std::byte>> bytes_;  // numel_ * size_of(dtype_)
};

// Calls f.template operator()<T>() with the tensor's element type (double, float or int64_t).
template <class F>
decltype(auto) visit_dtype(DType t, F&& f) {
  switch (t) {
    case DType::float32: return f.template operator()<float>();
    case DType::int64: return f.template operator()<int64_t>();
    case DType::float64: break;
  }
  return f.template operator()<double>();
}

}  // namespace gradlab
