// Builds the Model that an experiment's `model:` section declares, through the registry:
//   model: {input: 9, layers: [{type: dense, units: 20}, {repeat: 3, layers: [...]}, ...]}
//   model: {input: 9, graph: [{name: h1, type: dense, units: 8, inputs: [input]}, ...]}
// Layers are named <type><k> in model order unless they carry `name:`. Every problem (unknown
// layer, bad parameter, shapes that do not fit, unknown input, a cycle) is a ConfigError at the
// layer's line.
#pragma once
#include <string>
#include <vector>

#include "autograd/rng.hpp"
#include "experiments/model/model.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

struct BuiltModel {
  Model model;
  Config resolved;  // the section with every layer's defaults filled in
};

const Schema& model_schema();
BuiltModel build_model(const Config& model_cfg, Rng& init_rng);

// Largest model after unrolling `repeat:` blocks (a typo like `repeat: 1000000` is an error,
// not an hour of building).
inline constexpr size_t kMaxLayers = 10000;

namespace detail {

// One layer as declared, before building: its entry, resolved config, name and inputs.
struct LayerDecl {
  Config entry;      // the YAML entry (errors point here)
  Config resolved;   // defaults filled in
  std::string name, type;
  std::vector<int> inputs;  // indices into the declaration list; -1 = model input
};

// Resolves one layer entry through the registry; `own_keys` are keys the builder reads itself
// (`inputs` in a graph).
Config resolve_layer(const Config& entry, const std::vector<std::string>& own_keys = {});
// Gives `<type><k>` names to the declarations that have none, checks every name is unique.
void assign_names(std::vector<LayerDecl>& decls);

std::vector<LayerDecl> chain_declarations(const Config& layers, Config& resolved_layers);
// Returns the declarations in topological order (inputs refer to earlier entries).
std::vector<LayerDecl> graph_declarations(const Config& graph, const Config& output,
                                          Config& resolved_graph);

}  // namespace detail
}  // namespace gradlab
