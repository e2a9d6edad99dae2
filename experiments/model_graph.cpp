// The DAG form of `model:`: named nodes with `inputs:` (skip connections, merges). Boost.Graph
// sorts them topologically; a cycle is reported node by node, an unknown input with the closest
// name, an output that the input cannot reach or a node that does not feed the output at its line.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/topological_sort.hpp>
#include <map>

#include "experiments/config_util.hpp"
#include "experiments/model_builder.hpp"
#include "plugins/schema.hpp"

namespace gradlab::detail {
namespace {

// Vertex 0 is the model input, vertex k+1 is declaration k; an edge runs producer -> consumer.
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

// Records the first cycle a depth-first search meets, as the vertices along it.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::vector<Vertex>* cycle;
  void tree_edge(Edge e, const Graph& g) { (*parent)[boost::target(e, g)] = boost::source(e, g); }
  void back_edge(Edge e, const Graph& g) {
    if (!cycle->empty()) return;
    const Vertex from = boost::source(e, g), to = boost::target(e, g);
    for (Vertex v = from; v != to; v = (*parent)[v]) cycle->push_back(v);
    cycle->push_back(to);
    std::reverse(cycle->begin(), cycle->end());
  }
};

std::vector<Vertex> find_cycle(const Graph& g) {
  std::vector<Vertex> parent(boost::num_vertices(g)), cycle;
  CycleFinder finder;
  finder.parent = &parent;
  finder.cycle = &cycle;
  boost::depth_first_search(g, boost::visitor(finder));
  return cycle;
}

// Vertices reachable from `start` following edges (forward) or against them (backward).
template <class G>
std::vector<bool> reachable(const G& g, Vertex start) {
  std::vector<bool> seen(boost::num_vertices(g), false);
  struct Mark : boost::default_bfs_visitor {
    std::vector<bool>* seen;
    void discover_vertex(Vertex v, const G&) { (*seen)[v] = true; }
  } mark;
  mark.seen = &seen;
  boost::breadth_first_search(g, start, boost::visitor(mark));
  return seen;
}

}  // namespace

std::vector<LayerDecl> graph_declarations(const Config& graph, const Config& output,
                                          Config& resolved_graph) {
  require_list(graph);
  if (graph.size() == 0) graph.fail("expected at least one node, got an empty list");
  if (graph.size() > kMaxLayers) graph.fail(fmt::format("more than {} nodes", kMaxLayers));
  std::vector<LayerDecl> decls;
  std::vector<Config> resolved_items;
  for (size_t i = 0; i < graph.size(); ++i) {
    const Config entry = graph[i];
    require_map(entry);
    if (!entry.has("name")) entry.fail("missing key 'name' (graph nodes are named)");
    LayerDecl d;
    d.entry = entry;
    d.name = entry.get_string("name");
    d.resolved = resolve_layer(entry, {"inputs"});
    d.type = d.resolved.type_name();
    decls.push_back(d);
  }
  assign_names(decls);

  std::map<std::string, int> index{{"input", -1}};
  std::vector<std::string> names{"input"};
  for (size_t i = 0; i < decls.size(); ++i) {
    index[decls[i].name] = static_cast<int>(i);
    names.push_back(decls[i].name);
  }
  Graph g(decls.size() + 1);
  for (size_t i = 0; i < decls.size(); ++i) {
    const Config inputs = decls[i].entry["inputs"];
    if (!inputs.defined()) {  // NB: like a chain, a node without `inputs:` takes the previous one
      decls[i].inputs = {static_cast<int>(i) - 1};
    } else {
      require_list(inputs);
      for (size_t k = 0; k < inputs.size(); ++k) {
        const std::string in = inputs[k].as_string();
        auto it = index.find(in);
        if (it == index.end()) {
          std::string hint = closest(in, names);
          inputs[k].fail(fmt::format("unknown node '{}'{}; known: {}", in,
                                     hint.empty() ? "" : " (did you mean '" + hint + "'?)",
                                     fmt::join(names, ", ")));
        }
        decls[i].inputs.push_back(it->second);
      }
    }
    for (int in : decls[i].inputs) boost::add_edge(static_cast<Vertex>(in + 1), i + 1, g);
  }

  if (std::vector<Vertex> cycle = find_cycle(g); !cycle.empty()) {
    std::string text;
    for (Vertex v : cycle) text += decls[v - 1].name + " -> ";
    decls[cycle.front() - 1].entry.fail("cycle: " + text + decls[cycle.front() - 1].name);
  }

  size_t out = decls.size() - 1;
  if (output.defined()) {
    auto it = index.find(output.as_string());
    if (it == index.end() || it->second < 0)
      output.fail(fmt::format("unknown node '{}'; known: {}", output.as_string(),
                              fmt::join(names.begin() + 1, names.end(), ", ")));
    out = static_cast<size_t>(it->second);
  }
  const std::vector<bool> from_input = reachable(g, 0);
  if (!from_input[out + 1])
    decls[out].entry.fail(fmt::format("output '{}' is not reachable from the input", decls[out].name));
  const std::vector<bool> feeds_output = reachable(boost::make_reverse_graph(g), out + 1);
  for (size_t i = 0; i < decls.size(); ++i)
    if (!feeds_output[i + 1])
      decls[i].entry.fail(fmt::format("node '{}' does not feed the output '{}'", decls[i].name,
                                      decls[out].name));

  // Topological order (Boost gives it reversed); inputs are renumbered to the new positions.
  std::vector<Vertex> order;
  boost::topological_sort(g, std::back_inserter(order));
  std::reverse(order.begin(), order.end());
  std::vector<int> position(decls.size() + 1, -1);
  std::vector<LayerDecl> sorted;
  for (Vertex v : order) {
    if (v == 0) continue;
    position[v] = static_cast<int>(sorted.size());
    sorted.push_back(decls[v - 1]);
  }
  for (const LayerDecl& d : decls) {  // the resolved file names every node's inputs
    std::vector<std::string> in_names;
    for (int in : d.inputs) in_names.push_back(in < 0 ? "input" : decls[static_cast<size_t>(in)].name);
    resolved_items.push_back(with(d.resolved, "inputs",
                                  Config::parse(fmt::format("[{}]", fmt::join(in_names, ", ")),
                                                graph.file())));
  }
  for (LayerDecl& d : sorted)
    for (int& in : d.inputs) in = in < 0 ? -1 : position[static_cast<size_t>(in) + 1];
  resolved_graph = list_of(resolved_items, graph.file());
  return sorted;
}

}  // namespace gradlab::detail
