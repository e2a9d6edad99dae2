// Helpers for the layer tests: a layer from a YAML snippet, built and named as a model would.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "layers/layer.hpp"
#include "plugins/config.hpp"
#include "plugins/registry.hpp"

namespace gradlab::test {

inline Config yaml(const std::string& text) { return Config::parse(text, "test.yaml"); }

inline std::unique_ptr<Layer> make_layer(const std::string& text) {
  Config cfg = yaml(text);
  auto layer = Registry::instance().create<Layer>(cfg);
  const std::string type = cfg.type_name();
  layer->set_type(type);
  layer->set_name(type + "1");
  return layer;
}

// A [rows, ...features] tensor of standard normal draws.
inline Tensor random_batch(int64_t rows, const Shape& features, Rng& rng) {
  Shape s{rows};
  for (int d = 0; d < features.rank(); ++d) s.push_back(features[d]);
  Tensor t(s);
  for (double& v : t.span()) v = rng.normal();
  return t;
}

}  // namespace gradlab::test
