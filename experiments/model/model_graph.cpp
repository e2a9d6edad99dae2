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

#include "experiments/config/config_util.hpp"
#include "experiments/model/model_builder.hpp"
#include "plugins/closest.hpp"
#include "plugins/config_tree.hpp"  // make_scalar: names written into the resolved file

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

// Reads and names the nodes, in file order; `inputs` are linked later by link_inputs.
std::vector<LayerDecl> read_nodes(const Config& graph) {
  require_list(graph);
  if (graph.size() == 0) graph.fail("expected at least one node, got an empty list");
  if (graph.size() > kMaxLayers) graph.fail(fmt::format("more than {} nodes", kMaxLayers));
  std::vector<LayerDecl> decls;
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
  return decls;
}

// The names a node may take as input: "input" (-1), then every node by its declaration index.
struct NodeNames {
  std::map<std::string, int> index{{"input", -1}};
  std::vector<std::string> names{"input"};
};

NodeNames node_names(const std::vector<LayerDecl>& decls) {
  NodeNames n;
  for (size_t i = 0; i < decls.size(); ++i) {
    n.index[decls[i].name] = static_cast<int>(i);
    n.names.push_back(decls[i].name);
  }
  return n;
}

// Fills every declaration's `inputs` and returns the graph of them.
Graph link_inputs(std::vector<LayerDecl>& decls, const NodeNames& known) {
  Graph g(decls.size() + 1);
  for (size_t i = 0; i < decls.size(); ++i) {
    const Config inputs = decls[i].entry["inputs"];
    if (!inputs.defined()) {  // NB: like a chain, a node without `inputs:` takes the previous one
      decls[i].inputs = {static_cast<int>(i) - 1};
    } else {
      require_list(inputs);
      for (size_t k = 0; k < inputs.size(); ++k) {
        const std::string in = inputs[k].as_string();
        auto it = known.index.find(in);
        if (it == known.index.end()) {
          inputs[k].fail(fmt::format("unknown node '{}'{}; known: {}", in, did_you_mean(in, known.names),
                                     fmt::join(known.names, ", ")));
        }
        decls[i].inputs.push_back(it->second);
      }
    }
    for (int in : decls[i].inputs) boost::add_edge(static_cast<Vertex>(in + 1), i + 1, g);
  }
  return g;
}

// Refuses a cycle, an unknown output, an output the input cannot reach and a node that does not
// feed the output.
void check_flow(const Graph& g, const std::vector<LayerDecl>& decls, const NodeNames& known,
                  const Config& output) {
  if (std::vector<Vertex> cycle = find_cycle(g); !cycle.empty()) {
    std::string text;
    for (Vertex v : cycle) text += decls[v - 1].name + " -> ";
    decls[cycle.front() - 1].entry.fail("cycle: " + text + decls[cycle.front() - 1].name);
  }
  size_t out = decls.size() - 1;
  if (output.defined()) {
    auto it = known.index.find(output.as_string());
    if (it == known.index.end() || it->second < 0)
      output.fail(fmt::format("unknown node '{}'; known: {}", output.as_string(),
                              fmt::join(known.names.begin() + 1, known.names.end(), ", ")));
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
}

// A plain string value placed at `where` (a name gradlab writes into the resolved file).
Config scalar_at(const std::string& text, const Config& where) {
  const Config::Impl& at = *where.impl();
  const detail::Place& place = at.node ? at.node->place : at.parent->place;
  return Config(std::make_shared<Config::Impl>(Config::Impl{detail::make_scalar(text, place), nullptr, "", ""}));
}

// The nodes as the resolved file lists them: in file order, each naming all of its inputs.
Config resolved_nodes(const std::vector<LayerDecl>& decls, const std::string& file) {
  std::vector<Config> items;
  for (const LayerDecl& d : decls) {
    std::vector<Config> in_names;
    for (int in : d.inputs)
      in_names.push_back(scalar_at(in < 0 ? "input" : decls[static_cast<size_t>(in)].name, d.entry));
    items.push_back(with(d.resolved, "inputs", list_of(in_names, file)));
  }
  return list_of(items, file);
}

// The declarations in topological order (Boost gives it reversed), inputs renumbered to match.
std::vector<LayerDecl> sorted_nodes(const Graph& g, const std::vector<LayerDecl>& decls) {
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
  for (LayerDecl& d : sorted)
    for (int& in : d.inputs) in = in < 0 ? -1 : position[static_cast<size_t>(in) + 1];
  return sorted;
}

}  // namespace

std::vector<LayerDecl> graph_declarations(const Config& graph, const Config& output,
                                          Config& resolved_graph) {
  std::vector<LayerDecl> decls = read_nodes(graph);
  const NodeNames known = node_names(decls);
  const Graph g = link_inputs(decls, known);
  check_flow(g, decls, known, output);
  resolved_graph = resolved_nodes(decls, graph.file());
  return sorted_nodes(g, decls);
}

}  // namespace gradlab::detail
