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
  layer->set_name(type + "1");
  return layer;
}

// The output feature shape of `yaml` built on `input` ("[2,3]"), or the ShapeError's text.
inline std::string build_or_error(const std::string& yaml, const Shape& input) {
  auto layer = make_layer(yaml);
  Rng rng(1);
  try {
    return layer->build(input, rng).str();
  } catch (const ShapeError& e) {
    return e.what();
  }
}

// The ConfigError's text for a layer config its constructor refuses, or "(accepted)".
inline std::string config_error(const std::string& yaml) {
  try {
    make_layer(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(accepted)";
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
