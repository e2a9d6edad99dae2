// The chain form of `model:`: a list of layers in which {repeat: N, layers: [...]} blocks (nested
// to any depth) are unrolled, so that a 30-layer network is five lines of YAML.
#include <fmt/format.h>

#include "experiments/config/config_util.hpp"
#include "experiments/model/model_builder.hpp"

namespace gradlab::detail {
namespace {

const Schema& repeat_schema() {
  static const Schema s = {
      Param::integer("repeat", "", "how many times to repeat the block")
          .at_least(1)
          .at_most(static_cast<double>(kMaxLayers)),
      Param::list("layers", "", "the layers of the block"),
  };
  return s;
}

// Unrolls `layers` into `out`, and returns the list with every layer resolved (blocks kept).
Config unroll(const Config& layers, std::vector<LayerDecl>& out) {
  require_list(layers);
  if (layers.size() == 0) layers.fail("expected at least one layer, got an empty list");
  std::vector<Config> resolved_items;
  for (size_t i = 0; i < layers.size(); ++i) {
    const Config entry = layers[i];
    if (entry.is_map() && entry.has("repeat")) {
      Config block = validate(entry, repeat_schema());
      const int64_t n = block.get_int("repeat");
      std::vector<LayerDecl> inner;
      Config inner_resolved = unroll(entry["layers"], inner);
      if (out.size() + inner.size() * static_cast<size_t>(n) > kMaxLayers)
        entry.fail(fmt::format("the model would have more than {} layers", kMaxLayers));
      for (int64_t r = 0; r < n; ++r) out.insert(out.end(), inner.begin(), inner.end());
      resolved_items.push_back(with(block, "layers", inner_resolved));
      continue;
    }
    LayerDecl d;
    d.entry = entry;
    d.resolved = resolve_layer(entry);
    d.type = d.resolved.type_name();
    if (entry.is_map() && entry.has("name")) d.name = entry.get_string("name");
    if (out.size() + 1 > kMaxLayers)
      entry.fail(fmt::format("the model would have more than {} layers", kMaxLayers));
    out.push_back(d);
    resolved_items.push_back(d.resolved);
  }
  return list_of(resolved_items, layers.file());
}

}  // namespace

std::vector<LayerDecl> chain_declarations(const Config& layers, Config& resolved_layers) {
  std::vector<LayerDecl> decls;
  resolved_layers = unroll(layers, decls);
  for (size_t i = 0; i < decls.size(); ++i) decls[i].inputs = {static_cast<int>(i) - 1};
  assign_names(decls);
  return decls;
}

}  // namespace gradlab::detail
