// The run's dtype (see run_dtype.hpp).
#include "experiments/run/run_dtype.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "experiments/datasets/dataset.hpp"
#include "experiments/model/model.hpp"

namespace gradlab {

DType model_dtype(const Model& model) {
  for (const ModelNode& n : model.nodes()) {
    for (const Parameter* p : n.layer->parameters()) return p->value.dtype();
    for (const auto& [name, t] : n.layer->buffers()) return t->dtype();
  }
  return DType::float64;
}

namespace {

void copy_as_float64(const Shape& shape, DType dtype, const void* src, Tensor& dst) {
  if (dst.dtype() != DType::float64) dst = Tensor(shape);
  dst.resize(shape);
  visit_dtype(dtype, [&]<class T>() {
    const T* from = static_cast<const T*>(src);
    std::copy(from, from + dst.numel(), dst.data());
  });
}

}  // namespace

void copy_as_float64(const Tensor& src, Tensor& dst) { copy_as_float64(src.shape(), src.dtype(), src.raw(), dst); }

void copy_as_float64(const Var& src, Tensor& dst) {
  visit_dtype(src.dtype(), [&]<class T>() { copy_as_float64(src.shape(), src.dtype(), src.data<T>(), dst); });
}

std::string summary_with_dtype(const std::string& summary, DType dtype) {
  const std::string line = fmt::format("Dtype: {} ({} bytes a value)\n", name_of(dtype), size_of(dtype));
  // The summary ends with its closing rule "____\n": the line goes just above it.
  const size_t rule = summary.size() >= 2 ? summary.rfind('\n', summary.size() - 2) : std::string::npos;
  if (rule == std::string::npos) return summary + line;
  return summary.substr(0, rule + 1) + line + summary.substr(rule + 1);
}

Tensor batch_tensor(DType dtype) { return Tensor(Shape{0}, dtype); }

DType target_dtype(const Dataset& d, DType run_dtype) {
  return d.target_dtype() == DType::int64 ? DType::int64 : run_dtype;
}

}  // namespace gradlab
