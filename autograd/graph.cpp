// The tape as a boost::adjacency_list (vertex per node, edge input -> consumer), written as DOT.
#include "autograd/graph.hpp"

#include <sstream>

// NB: GCC 12 reports a false -Wmaybe-uninitialized inside Boost.Graph's edge iterator.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>

namespace gradlab {
namespace {

struct VertexInfo {
  std::string label;
  bool bold = false;
};
using TapeGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexInfo>;

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

TapeGraph build_graph(const Tape& tape) {
  TapeGraph g(tape.size());
  for (size_t id = 0; id < tape.size(); ++id) {
    const Node& n = tape.node(static_cast<NodeId>(id));
    g[id].label = (n.param ? n.param->name : std::string(n.op)) + " " + n.shape.str();
    g[id].bold = n.requires_grad;
    for (NodeId in : n.inputs) boost::add_edge(static_cast<size_t>(in), id, g);
  }
  return g;
}

}  // namespace

std::string tape_to_dot(const Tape& tape, const std::string& graph_name) {
  const TapeGraph g = build_graph(tape);
  std::ostringstream os;
  auto vertex_writer = [&g](std::ostream& out, size_t v) {
    out << "[label=\"" << dot_escape(g[v].label) << "\"" << (g[v].bold ? ", style=bold" : "") << "]";
  };
  auto graph_writer = [](std::ostream& out) { out << "rankdir=LR;\n"; };
  boost::write_graphviz(os, g, vertex_writer, boost::default_writer(), graph_writer);
  // NB: write_graphviz always names the graph G; give it the caller's name.
  std::string dot = os.str();
  const std::string header = "digraph G {";
  if (dot.rfind(header, 0) == 0)
    dot.replace(0, header.size(), "digraph \"" + dot_escape(graph_name) + "\" {");
  return dot;
}

}  // namespace gradlab
