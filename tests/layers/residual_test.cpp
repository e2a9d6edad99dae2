// residual: y = x + f(x) with f built through the registry; inner names and shape errors.
#include <gtest/gtest.h>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

TEST(Residual, OutputIsInputPlusBlock) {
  auto res = test::make_layer(
      "{type: residual, layers: [{type: dense, units: 2, init: {type: constant, value: 1}}, "
      "relu]}");
  Rng rng(1);
  EXPECT_EQ(res->build(Shape{2}, rng), (Shape{2}));
  Tape tape;
  ForwardContext ctx{tape};
  // f(x) = relu(x W^T + 0) with W all ones: relu(x0 + x1) in both columns.
  Tensor y = res->forward(tape.constant(Tensor::matrix({{1, 2}, {-3, 1}})), ctx).value();
  EXPECT_DOUBLE_EQ(y.at(0, 0), 4.0);
  EXPECT_DOUBLE_EQ(y.at(0, 1), 5.0);
  EXPECT_DOUBLE_EQ(y.at(1, 0), -3.0);
  EXPECT_DOUBLE_EQ(y.at(1, 1), 1.0);
}

TEST(Residual, InnerLayersAreNamedByTypeWithinTheBlock) {
  auto res = test::make_layer(
      "{type: residual, layers: [{type: dense, units: 3}, {type: relu}, {type: dense, units: 2}]}");
  Rng rng(1);
  res->build(Shape{2}, rng);
  auto kids = res->children();
  ASSERT_EQ(kids.size(), 3u);
  EXPECT_EQ(kids[0]->name(), "dense1");
  EXPECT_EQ(kids[1]->name(), "relu1");
  EXPECT_EQ(kids[2]->name(), "dense2");
  std::vector<std::string> names;
  for (Parameter* p : res->parameters()) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{"dense1.weight", "dense1.bias", "dense2.weight",
                                             "dense2.bias"}));
}

TEST(Residual, BlockMustKeepTheShape) {
  auto res = test::make_layer("{type: residual, layers: [{type: dense, units: 3}]}");
  Rng rng(1);
  try {
    res->build(Shape{2}, rng);
    FAIL() << "expected a ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(e.what(),
                 "residual1 (residual): the block must keep the shape for x + f(x): input [2] vs "
                 "block output [3]");
  }
}

TEST(Residual, InnerConfigErrorsPointIntoTheList) {
  try {
    test::make_layer("{type: residual, layers: [{type: dense, unit: 3}]}");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("layers[0]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(test::make_layer("{type: residual, layers: []}"), ConfigError);
}

}  // namespace
}  // namespace gradlab
