// DType names and the errors of a wrong dtype.
#include "autograd/dtype.hpp"

#include <fmt/format.h>

namespace gradlab {

std::optional<DType> parse_dtype(std::string_view name) {
  for (DType t : {DType::float64, DType::float32, DType::int64})
    if (name == name_of(t)) return t;
  return std::nullopt;
}

void throw_dtype_mismatch(const char* what, DType got, DType expected) {
  throw DTypeError(fmt::format("{}: {} where {} was expected", what, name_of(got), name_of(expected)));
}

void throw_not_floating(const char* what, DType got) {
  throw DTypeError(fmt::format("{}: {} is not a floating dtype (float32 or float64)", what, name_of(got)));
}

}  // namespace gradlab
