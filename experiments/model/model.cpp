// Model: forward through the nodes in their (topological) order, parameter naming and DOT export.
#include "experiments/model/model.hpp"

#include <fmt/format.h>

#include "layers/layer_support.hpp"
#include "plugins/config.hpp"

namespace gradlab {

void Model::add_node(ModelNode node) {
  for (int in : node.inputs)
    if (in >= static_cast<int>(nodes_.size()))
      throw std::logic_error(fmt::format("Model::add_node: {} takes input {} that comes later",
                                         node.name, in));
  nodes_.push_back(std::move(node));
}

int Model::find(const std::string& name) const {
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return static_cast<int>(i);
  return -1;
}

void Model::index_parameters() {
  params_.clear();
  int depth = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    ModelNode& n = nodes_[i];
    auto ps = n.layer->parameters();
    n.depth = ps.empty() ? 0 : ++depth;
    for (Parameter* p : ps) params_.push_back({n.name, p->name, p, static_cast<int>(i)});
  }
}

std::vector<Parameter*> Model::parameter_pointers() const {
  std::vector<Parameter*> out;
  out.reserve(params_.size());
  for (const auto& p : params_) out.push_back(p.param);
  return out;
}

void Model::to(DType dtype) {
  if (!is_floating(dtype)) throw_not_floating("Model::to", dtype);
  for (ModelNode& n : nodes_) convert_layer(*n.layer, dtype);
}

std::vector<std::pair<std::string, Tensor*>> Model::named_tensors() {
  std::vector<std::pair<std::string, Tensor*>> out;
  for (ModelNode& n : nodes_) {
    for (Parameter* p : n.layer->parameters()) out.emplace_back(n.name + "." + p->name, &p->value);
    for (auto& [name, t] : n.layer->buffers()) out.emplace_back(n.name + "." + name, t);
  }
  return out;
}

namespace {

void check_output(const ModelNode& n, const Shape& got) {
  bool fits = got.rank() == n.output_shape.rank() + 1;
  for (int a = 0; fits && a < n.output_shape.rank(); ++a) fits = got[a + 1] == n.output_shape[a];
  if (fits) return;
  Shape want{got.rank() ? got[0] : 1};
  for (int a = 0; a < n.output_shape.rank(); ++a) want.push_back(n.output_shape[a]);
  throw LayerOutputError(fmt::format("{}: {}: layer '{}' ({}) declared the output {} per example, but its forward "
                                     "returned {} (expected {})",
                                     n.where, n.key, n.name, n.type, n.output_shape.str(), got.str(), want.str()));
}

}  // namespace

Var Model::forward(Var x, ForwardContext& ctx) {
  if (nodes_.empty()) return x;
  outputs_.resize(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    ModelNode& n = nodes_[i];
    scratch_.clear();
    for (int in : n.inputs) scratch_.push_back(in < 0 ? x : outputs_[static_cast<size_t>(in)]);
    // NB: the owner tag lets check_numerics name the layer whose op made the first NaN.
    ctx.tape.set_owner(static_cast<int32_t>(i));
    try {
      outputs_[i] = n.layer->forward(std::span<const Var>(scratch_), ctx);
    } catch (const IndexError& ex) {  // bad data the layer found (a token id outside the vocabulary): exit 2
      throw ConfigError(fmt::format("{}: {}: {}", n.where, n.key, ex.what()));
    }
    check_output(n, outputs_[i].shape());
  }
  ctx.tape.set_owner(-1);
  return outputs_.back();
}

static std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '\\';  // NB: backslashes pass through: labels use DOT's "\n"
    out += c;
  }
  return out + "\"";
}

std::string Model::to_dot() const {
  std::string dot = "digraph model {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  dot += fmt::format("  {} [label={}, shape=ellipse];\n", quoted("input"),
                     quoted("input " + input_shape.str()));
  for (const ModelNode& n : nodes_) {
    size_t nparams = 0;
    for (Parameter* p : n.layer->parameters()) nparams += static_cast<size_t>(p->value.numel());
    std::string label = n.name == n.type ? n.name : n.name + " (" + n.type + ")";
    label += "\\n-> " + n.output_shape.str();
    if (nparams) label += fmt::format("\\n{} parameters", nparams);
    dot += fmt::format("  {} [label={}];\n", quoted(n.name), quoted(label));
  }
  for (const ModelNode& n : nodes_)
    for (int in : n.inputs)
      dot += fmt::format("  {} -> {};\n", quoted(in < 0 ? "input" : nodes_[static_cast<size_t>(in)].name),
                         quoted(n.name));
  return dot + "}\n";
}

}  // namespace gradlab
