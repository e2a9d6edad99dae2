// add and concat: the merge layers of a DAG model.
#include <gtest/gtest.h>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

TEST(MergeLayers, AddSumsItsInputs) {
  auto add = test::make_layer("add");
  Rng rng(1);
  std::vector<Shape> shapes{Shape{2}, Shape{2}, Shape{2}};
  EXPECT_EQ(add->build(shapes, rng), (Shape{2}));
  Tape tape;
  ForwardContext ctx{tape};
  std::vector<Var> in{tape.constant(Tensor::matrix({{1, 2}})),
                      tape.constant(Tensor::matrix({{10, 20}})),
                      tape.constant(Tensor::matrix({{100, 200}}))};
  Tensor y = add->forward(in, ctx).value();
  EXPECT_EQ(y.at(0, 0), 111);
  EXPECT_EQ(y.at(0, 1), 222);
}

TEST(MergeLayers, AddRejectsDifferentShapes) {
  auto add = test::make_layer("add");
  Rng rng(1);
  std::vector<Shape> shapes{Shape{2}, Shape{3}};
  try {
    add->build(shapes, rng);
    FAIL() << "expected a ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(e.what(), "add1 (add): input 0 [2] vs input 1 [3]");
  }
}

TEST(MergeLayers, ConcatJoinsFeatures) {
  auto cat = test::make_layer("concat");
  Rng rng(1);
  std::vector<Shape> shapes{Shape{2}, Shape{1}};
  EXPECT_EQ(cat->build(shapes, rng), (Shape{3}));
  Tape tape;
  ForwardContext ctx{tape};
  std::vector<Var> in{tape.constant(Tensor::matrix({{1, 2}, {3, 4}})),
                      tape.constant(Tensor::matrix({{5}, {6}}))};
  Tensor y = cat->forward(in, ctx).value();
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(y.at(0, 2), 5);
  EXPECT_EQ(y.at(1, 0), 3);
  EXPECT_EQ(y.at(1, 2), 6);
}

TEST(MergeLayers, NeedTwoInputs) {
  auto cat = test::make_layer("concat");
  Rng rng(1);
  try {
    cat->build(Shape{2}, rng);
    FAIL() << "expected a ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(e.what(), "concat1 (concat): takes two or more inputs, got 1");
  }
}

}  // namespace
}  // namespace gradlab
