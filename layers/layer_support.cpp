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

void require_rank(const Layer& layer, const Shape& features, int rank, const char* what) {
  if (features.rank() != rank)
    throw ShapeError(fmt::format("{}: expects {}, got {}", describe(layer), what, features.str()));
}

}  // namespace gradlab
