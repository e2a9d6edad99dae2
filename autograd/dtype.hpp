// DType: the element type of a Tensor or a tape node, chosen when it is made, never per element.
// float64 is the default (the course's numbers); float32 is for speed; int64 holds indices and
// class labels (never differentiated).
//   dispatch_float(node.dtype, "relu", [&]<class T>() { kernel<T>(...); });
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "autograd/export.hpp"

namespace gradlab {

enum class DType : uint8_t { float64, float32, int64 };

// Thrown when an op gets a dtype it cannot take (an int64 input to exp, float32 with float64).
struct GRADLAB_API DTypeError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

constexpr size_t size_of(DType t) { return t == DType::float32 ? 4 : 8; }
constexpr bool is_floating(DType t) { return t != DType::int64; }
constexpr const char* name_of(DType t) {
  return t == DType::float64 ? "float64" : t == DType::float32 ? "float32" : "int64";
}
// "float32" -> float32; else nullopt
GRADLAB_API std::optional<DType> parse_dtype(std::string_view name);

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<double>() { return DType::float64; }
template <>
constexpr DType dtype_of<float>() { return DType::float32; }
template <>
constexpr DType dtype_of<int64_t>() { return DType::int64; }

// "<what>: float32 where float64 was expected"
[[noreturn]] GRADLAB_API void throw_dtype_mismatch(const char* what, DType got, DType expected);
// "<what>: int64 is not a floating dtype"
[[noreturn]] GRADLAB_API void throw_not_floating(const char* what, DType got);

// Calls f.template operator()<T>() with T = double or float for a floating dtype: one body,
// compiled for both. int64 throws DTypeError naming `what` (the op).
template <class F>
decltype(auto) dispatch_float(DType t, const char* what, F&& f) {
  switch (t) {
    case DType::float64: return f.template operator()<double>();
    case DType::float32: return f.template operator()<float>();
    case DType::int64: break;
  }
  throw_not_floating(what, t);
}

}  // namespace gradlab
