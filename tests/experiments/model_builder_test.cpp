// Model assembly: chain names and repeat blocks, a DAG with a skip connection, and the located
// errors of graphs (unknown input, cycle, a node that does not feed the output).
#include "experiments/model/model_builder.hpp"

#include <gtest/gtest.h>

#include "plugins/config.hpp"

namespace gradlab {
namespace {

BuiltModel build(const std::string& yaml) {
  Rng rng(1);
  return build_model(Config::parse(yaml, "m.yaml"), rng);
}

std::string error_of(const std::string& yaml) {
  try {
    build(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<std::string> names(const Model& m) {
  std::vector<std::string> out;
  for (const auto& n : m.nodes()) out.push_back(n.name);
  return out;
}

TEST(ModelBuilder, ChainNamesLayersByTypeInModelOrderAndUnrollsNestedRepeats) {
  BuiltModel b = build(
      "input: 3\n"
      "layers:\n"
      "  - {type: dense, units: 5}\n"
      "  - repeat: 2\n"
      "    layers:\n"
      "      - {type: dense, units: 4}\n"
      "      - repeat: 2\n"
      "        layers: [{type: relu}]\n"
      "  - {type: dense, units: 1, name: head}\n");
  EXPECT_EQ(names(b.model), (std::vector<std::string>{"dense1", "dense2", "relu1", "relu2", "dense3",
                                                      "relu3", "relu4", "head"}));
  EXPECT_EQ(b.model.nodes().back().output_shape, (Shape{1}));
  EXPECT_EQ(b.model.nodes()[1].inputs, std::vector<int>{0});
  ASSERT_EQ(b.model.parameters().size(), 8u);
  EXPECT_EQ(b.model.parameters()[0].layer + "." + b.model.parameters()[0].name, "dense1.weight");
  EXPECT_EQ(b.model.nodes()[4].depth, 3);
  EXPECT_EQ(b.model.nodes()[2].depth, 0);
  // The resolved section keeps the block and fills each layer's defaults.
  EXPECT_NE(b.resolved.dump().find("repeat: 2"), std::string::npos);
  EXPECT_NE(b.resolved.dump().find("init: he_normal"), std::string::npos);
}

TEST(ModelBuilder, ForwardTagsTapeNodesWithTheLayerAndKeepsOutputs) {
  BuiltModel b = build("input: 3\nlayers: [{type: dense, units: 2}, {type: sigmoid}]\n");
  Tape tape;
  ForwardContext ctx{tape, false, nullptr};
  Var y = b.model.forward(tape.constant(Tensor::matrix({{1, 2, 3}, {0, 0, 0}})), ctx);
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  ASSERT_EQ(b.model.outputs().size(), 2u);
  EXPECT_EQ(b.model.outputs()[1].id(), y.id());
  EXPECT_EQ(tape.node(y.id()).owner, 1);
  EXPECT_EQ(tape.node(b.model.outputs()[0].id()).owner, 0);
  EXPECT_EQ(tape.owner(), -1);
  // sigmoid of the second row is sigmoid(bias) = sigmoid(0) = 0.5 with zero-initialised biases.
  EXPECT_DOUBLE_EQ(y.value().at(1, 0), 0.5);
}

TEST(ModelBuilder, RepeatedNameIsAnErrorAtItsLine) {
  EXPECT_EQ(error_of("input: 3\nlayers:\n  - repeat: 2\n    layers: [{type: relu, name: r}]\n"),
                     "m.yaml:4:33: layers[0].layers[0].name: name 'r' is used twice (first at m.yaml:4:14)");
}

TEST(ModelBuilder, ShapesThatDoNotFitAreErrorsAtTheLayer) {
  const std::string err = error_of(
      "input: 3\ngraph:\n  - {name: a, type: dense, units: 4, inputs: [input]}\n"
      "  - {name: s, type: add, inputs: [a, input]}\n");
  EXPECT_EQ(err.rfind("m.yaml:4:5: graph[1]: ", 0), 0u) << err;
}

const char* kSkip =
    "input: 9\n"
    "graph:\n"
    "  - {name: h1, type: dense, units: 8, inputs: [input]}\n"
    "  - {name: a1, type: relu, inputs: [h1]}\n"
    "  - {name: h2, type: dense, units: 8, inputs: [a1]}\n"
    "  - {name: sum, type: add, inputs: [h2, h1]}\n"
    "  - {name: out, type: dense, units: 1, inputs: [sum]}\n";

TEST(ModelBuilder, GraphWithASkipConnectionIsSortedAndWired) {
  BuiltModel b = build(kSkip);
  EXPECT_EQ(names(b.model), (std::vector<std::string>{"h1", "a1", "h2", "sum", "out"}));
  EXPECT_EQ(b.model.nodes()[3].inputs, (std::vector<int>{2, 0}));
  EXPECT_EQ(b.model.nodes()[0].inputs, std::vector<int>{-1});
  const std::string dot = b.model.to_dot();
  EXPECT_NE(dot.find("\"h1\" -> \"sum\";"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"input\" -> \"h1\";"), std::string::npos) << dot;
  // d(out)/d(h1) flows along both paths: the skip edge carries gradient too.
  Tape tape;
  ForwardContext ctx{tape, true, nullptr};
  Var y = b.model.forward(tape.constant(Tensor(Shape{2, 9}, 0.5)), ctx);
  tape.backward(ops::sum(y));
  double g = 0;
  for (double v : b.model.parameters()[0].param->grad.span()) g += std::abs(v);
  EXPECT_GT(g, 0);
}

TEST(ModelBuilder, GraphOrderInTheFileDoesNotMatter) {
  BuiltModel b = build(
      "input: 2\ngraph:\n  - {name: out, type: add, inputs: [a, b]}\n"
      "  - {name: a, type: dense, units: 2, inputs: [input]}\n"
      "  - {name: b, type: relu, inputs: [input]}\n"
      "output: out\n");
  EXPECT_EQ(b.model.nodes().back().name, "out");
}

TEST(ModelBuilder, UnknownInputIsAnErrorWithTheClosestName) {
  EXPECT_EQ(error_of("input: 9\ngraph:\n  - {name: h1, type: dense, units: 8, inputs: [inptu]}\n"),
            "m.yaml:3:48: graph[0].inputs[0]: unknown node 'inptu' (did you mean 'input'?); known: input, h1");
}

TEST(ModelBuilder, CycleIsNamedNodeByNode) {
  EXPECT_EQ(error_of("input: 4\ngraph:\n"
                     "  - {name: a, type: dense, units: 4, inputs: [input]}\n"
                     "  - {name: b, type: add, inputs: [a, d]}\n"
                     "  - {name: c, type: relu, inputs: [b]}\n"
                     "  - {name: d, type: relu, inputs: [c]}\n"
                     "  - {name: out, type: dense, units: 1, inputs: [d]}\n"),
            "m.yaml:4:5: graph[1]: cycle: b -> c -> d -> b");
  EXPECT_EQ(error_of("input: 4\ngraph:\n  - {name: a, type: relu, inputs: [a]}\n"),
            "m.yaml:3:5: graph[0]: cycle: a -> a");
}

TEST(ModelBuilder, NodesThatDoNotFeedTheOutputAndUnreachableOutputsAreErrors) {
  EXPECT_EQ(error_of("input: 4\ngraph:\n"
                     "  - {name: a, type: relu, inputs: [input]}\n"
                     "  - {name: b, type: relu, inputs: [input]}\n"
                     "  - {name: out, type: dense, units: 1, inputs: [a]}\n"),
            "m.yaml:4:5: graph[1]: node 'b' does not feed the output 'out'");
  EXPECT_EQ(error_of("input: 4\ngraph:\n  - {name: a, type: relu, inputs: []}\n"),
            "m.yaml:3:5: graph[0]: output 'a' is not reachable from the input");
  EXPECT_EQ(error_of("input: 4\ngraph:\n  - {name: a, type: relu}\noutput: z\n"),
            "m.yaml:4:9: output: unknown node 'z'; known: a");
  EXPECT_EQ(error_of("input: 4\nlayers: [{type: relu}]\noutput: z\n"),
            "m.yaml:3:9: output: `output:` is for `graph:` models only");
}

TEST(ModelBuilder, HugeRepeatIsRefusedBeforeBuilding) {
  EXPECT_EQ(error_of("input: 4\nlayers:\n  - repeat: 10000\n    layers: [{type: relu}, {type: relu}]\n"),
            "m.yaml:3:5: layers[0]: the model would have more than 10000 layers");
}

TEST(ModelBuilder, EitherLayersOrGraph) {
  EXPECT_EQ(error_of("input: 4\n"), "m.yaml:1:1: missing `layers:` (a chain) or `graph:` (a DAG)");
}

}  // namespace
}  // namespace gradlab
