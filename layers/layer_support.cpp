// The helpers of layer_support.hpp.
#include "layers/layer_support.hpp"

#include <fmt/format.h>

#include "plugins/registry.hpp"

namespace gradlab {

std::string describe(const Layer& layer) {
  if (layer.name().empty()) return layer.type();
  return fmt::format("{} ({})", layer.name(), layer.type());
}

Param init_param(std::string name, std::string default_name, std::string doc) {
  return Param::component(std::move(name), Initializer::kind, std::move(default_name),
                          std::move(doc));
}

std::unique_ptr<Initializer> make_initializer(const Config& cfg) {
  return Registry::instance().create<Initializer>(cfg);
}

Parameter make_parameter(std::string name, const Shape& shape, const Initializer& init,
                         int64_t fan_in, int64_t fan_out, Rng& rng) {
  Tensor value(shape);
  init.fill(value, fan_in, fan_out, rng);
  return Parameter(std::move(name), std::move(value));
}

void convert_layer(Layer& layer, DType dtype) {
  for (Parameter* p : layer.parameters()) {
    if (p->value.dtype() != dtype) p->value = p->value.to(dtype);
    if (p->grad.dtype() != dtype) p->grad = p->grad.to(dtype);
  }
  for (auto& [name, t] : layer.buffers())
    if (t->dtype() != dtype) *t = t->to(dtype);
}

const Tensor& in_dtype(const Tensor& master, DType dtype, Tensor& cache) {
  if (dtype == master.dtype()) return master;
  if (cache.dtype() != dtype || cache.shape() != master.shape()) cache = master.to(dtype);
  return cache;
}

void require_rank(const Layer& layer, const Shape& features, int rank, const char* what) {
  if (features.rank() != rank)
    throw ShapeError(fmt::format("{}: expects {}, got {}", describe(layer), what, features.str()));
}

}  // namespace gradlab
