// build_model: the `model:` section's own keys, then layer creation and shape inference shared by
// the chain and graph forms (model_chain.cpp, model_graph.cpp).
#include "experiments/model/model_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <new>
#include <stdexcept>

#include "experiments/config/config_util.hpp"
#include "experiments/model/model_memory.hpp"
#include "plugins/loader.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

const Schema& model_schema() {
  static const Schema s = {
      Param{"input", ParamType::Any, "", "input features: an integer, or a list for images [3, 3]",
            {}, {}, false, false, {}, "", false, ""},
      Param::list("layers", "", "a chain of layers; {repeat: N, layers: [...]} repeats a block")
          .opt(),
      Param::list("graph", "", "a DAG: [{name, type, inputs: [...], ...}]; `input` is the input")
          .opt(),
      Param::string("output", "", "graph only: the output node (default: the last node)").opt(),
  };
  return s;
}

namespace {

Shape input_shape(const Config& input) {
  Shape shape;
  if (input.is_list()) {
    if (input.size() == 0 || static_cast<int>(input.size()) > Shape::kMaxRank)
      input.fail(fmt::format("expected 1 to {} dimensions, got {}", Shape::kMaxRank, input.size()));
    for (size_t i = 0; i < input.size(); ++i) {
      int64_t d = input[i].as_int();
      if (d < 1 || d > 1000000) input[i].fail(fmt::format("expected a size in [1, 1000000], got {}", d));
      shape.push_back(d);
    }
    return shape;
  }
  int64_t d = input.as_int();
  if (d < 1 || d > 1000000) input.fail(fmt::format("expected a size in [1, 1000000], got {}", d));
  shape.push_back(d);
  return shape;
}

}  // namespace

namespace detail {

Config resolve_layer(const Config& entry, const std::vector<std::string>& own_keys) {
  if (!entry.is_map() && !entry.is_scalar())
    entry.fail(std::string("expected a layer: a name or {type: ..., ...}, got ") + kind_text(entry));
  const Registry& reg = Registry::instance();
  if (own_keys.empty()) return reg.resolve("layer", entry);
  const Entry& e = reg.lookup("layer", entry);
  std::vector<std::string> extra = e.extra_keys;
  extra.insert(extra.end(), own_keys.begin(), own_keys.end());
  Config resolved = validate(entry, e.schema, extra);
  for (const auto& k : own_keys) resolved.erase(k);
  return resolved;
}

void assign_names(std::vector<LayerDecl>& decls) {
  std::map<std::string, const Config*> taken;
  for (auto& d : decls) {
    if (d.name.empty()) continue;
    const Config name = d.entry["name"];
    if (!is_identifier(d.name) || d.name == "input")
      name.fail(fmt::format("'{}' is not a usable layer name (letters, digits, _; not 'input')", d.name));
    if (auto it = taken.find(d.name); it != taken.end())
      name.fail(fmt::format("name '{}' is used twice (first at {})", d.name, it->second->where()));
    taken[d.name] = &d.entry;
  }
  std::map<std::string, int> count;
  for (auto& d : decls) {
    int k = ++count[d.type];
    if (!d.name.empty()) continue;
    d.name = fmt::format("{}{}", d.type, k);
    if (auto it = taken.find(d.name); it != taken.end())
      d.entry.fail(fmt::format("automatic name '{}' is already used by the layer at {}", d.name,
                               it->second->where()));
    taken[d.name] = &d.entry;
  }
}

}  // namespace detail

namespace {

// Constructs one layer; a plugin's constructor that throws is refused at the layer's place.
Layer* make_layer(const Entry& e, const detail::LayerDecl& d) {
  try {
    return e.make_as<Layer>(d.resolved).release();
  } catch (const PluginError& ex) {
    d.entry.fail(ex.what());
  }
}

// What building the parameters may use: a quarter of the available memory goes to their values,
// since training adds a gradient and up to two optimizer slots for each (kParameterCopies).
struct BuildMemory {
  std::uint64_t available = available_memory();
  std::uint64_t budget = available / kParameterCopies;
  std::uint64_t used = 0;  // parameter bytes of the layers built so far
  AllocationCap cap{budget};
};

// Builds one layer for its input shapes; a shape that does not fit, or parameters that do not fit
// in memory, are refused at the layer's place.
Shape build_layer(Layer& layer, const detail::LayerDecl& d, const std::vector<Shape>& in_shapes, Rng& rng,
                  BuildMemory& memory) {
  const auto too_big = [&](const std::string& need) {
    d.entry.fail(fmt::format("layer '{}' ({}) does not fit in memory: {}; training holds {} copies of every "
                             "parameter (value, gradient, optimizer state) in the {} available",
                             d.name, d.type, need, kParameterCopies, bytes_text(memory.available)));
  };
  Shape out;
  try {
    out = layer.build(std::span<const Shape>(in_shapes), rng);
  } catch (const std::invalid_argument& e) {  // ShapeError: the layer does not fit its inputs
    d.entry.fail(e.what());
  } catch (const std::bad_alloc&) {  // larger than AllocationCap lets it be: nothing was filled
    too_big(fmt::format("its parameters need more than the {} left for them",
                        bytes_text(memory.budget - std::min(memory.budget, memory.used))));
  }
  for (Parameter* p : layer.parameters()) memory.used += static_cast<std::uint64_t>(p->value.numel()) * sizeof(double);
  if (memory.used > memory.budget)
    too_big(fmt::format("the model's parameters reach {} with it, over the {} they may take", bytes_text(memory.used),
                        bytes_text(memory.budget)));
  return out;
}

}  // namespace

BuiltModel build_model(const Config& model_cfg, Rng& init_rng) {
  require_map(model_cfg);
  Config cfg = validate(model_cfg, model_schema());
  const bool chain = model_cfg.has("layers"), graph = model_cfg.has("graph");
  if (chain == graph)
    model_cfg.fail(chain ? "give either `layers:` (a chain) or `graph:` (a DAG), not both"
                         : "missing `layers:` (a chain) or `graph:` (a DAG)");
  if (chain && model_cfg.has("output")) model_cfg["output"].fail("`output:` is for `graph:` models only");

  BuiltModel built;
  built.model.input_shape = input_shape(model_cfg["input"]);
  Config resolved_list;
  std::vector<detail::LayerDecl> decls =
      chain ? detail::chain_declarations(model_cfg["layers"], resolved_list)
            : detail::graph_declarations(model_cfg["graph"], model_cfg["output"], resolved_list);
  built.resolved = with(cfg, chain ? "layers" : "graph", resolved_list);

  const Registry& reg = Registry::instance();
  BuildMemory memory;
  for (size_t i = 0; i < decls.size(); ++i) {
    detail::LayerDecl& d = decls[i];
    ModelNode node;
    node.name = d.name;
    node.type = d.type;
    node.inputs = d.inputs;
    node.where = d.entry.where();
    node.key = d.entry.path();
    node.layer.reset(make_layer(reg.lookup("layer", d.resolved), d));
    node.layer->set_name(d.name);
    std::vector<Shape> in_shapes;
    for (int in : d.inputs)
      in_shapes.push_back(in < 0 ? built.model.input_shape
                                 : built.model.nodes()[static_cast<size_t>(in)].output_shape);
    node.output_shape = build_layer(*node.layer, d, in_shapes, init_rng, memory);
    built.model.add_node(std::move(node));
  }
  built.model.index_parameters();
  return built;
}

}  // namespace gradlab
