// DOT export of a recorded tape: one vertex per node with "op [shape]" labels, parameter names,
// bold for nodes that require grad, and an edge from each input to its consumer.
#include <algorithm>
#include <regex>
#include <set>

#include "autograd/graph.hpp"
#include "test_util.hpp"

namespace gradlab {
namespace {

TEST(Graph, TapeToDotHasVerticesEdgesAndLabels) {
  Tape tape;
  Parameter w("dense1.weight", Tensor::vector({1, 2}));
  Var c = tape.constant(Tensor::vector({3, 4}));
  Var p = tape.param(w);
  tape.backward(ops::sum(ops::mul(c, p)));
  const std::string dot = tape_to_dot(tape, "step");

  EXPECT_EQ(dot.rfind("digraph \"step\" {", 0), 0u) << dot;
  EXPECT_NE(dot.find("0[label=\"constant [2]\"];"), std::string::npos) << dot;
  EXPECT_NE(dot.find("1[label=\"dense1.weight [2]\", style=bold];"), std::string::npos) << dot;
  EXPECT_NE(dot.find("2[label=\"mul [2]\", style=bold];"), std::string::npos) << dot;
  EXPECT_NE(dot.find("3[label=\"sum []\", style=bold];"), std::string::npos) << dot;

  std::set<std::string> edges;
  const std::regex edge(R"((\d+)->(\d+))");
  for (auto it = std::sregex_iterator(dot.begin(), dot.end(), edge); it != std::sregex_iterator(); ++it)
    edges.insert(it->str());
  EXPECT_EQ(edges, (std::set<std::string>{"0->2", "1->2", "2->3"}));
  EXPECT_EQ(std::count(dot.begin(), dot.end(), '\n'), 1 + 1 + 4 + 3 + 1) << dot;  // header, rankdir, 4 v, 3 e, }
}

TEST(Graph, EmptyTapeIsAnEmptyGraph) {
  Tape tape;
  EXPECT_EQ(tape_to_dot(tape), "digraph \"tape\" {\nrankdir=LR;\n}\n");
}

}  // namespace
}  // namespace gradlab
