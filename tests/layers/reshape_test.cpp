// reshape: a new feature shape of as many elements (one size inferred from -1), the batch axis
// kept, values in row-major order; and its shape and config errors.
#include <gtest/gtest.h>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::build_or_error;
using test::config_error;
using test::make_layer;

TEST(Reshape, FlatRowsBecomeImages) {
  auto layer = make_layer("{type: reshape, shape: [1, 2, -1]}");
  Rng rng(1);
  EXPECT_EQ(layer->build(Shape{6}, rng).str(), "[1,2,3]");
  Tape tape;
  ForwardContext ctx{tape, true};
  Tensor x(Shape{2, 6}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  Var y = layer->forward(tape.constant(x), ctx);
  EXPECT_EQ(y.shape().str(), "[2,1,2,3]");
  for (int64_t i = 0; i < 12; ++i) EXPECT_EQ(y.value()[i], double(i));
}

TEST(Reshape, SizesAndInference) {
  EXPECT_EQ(build_or_error("{type: reshape, shape: [1, 8, 8]}", Shape{64}), "[1,8,8]");
  EXPECT_EQ(build_or_error("{type: reshape, shape: [-1]}", Shape{2, 3, 4}), "[24]");
  EXPECT_EQ(build_or_error("{type: reshape, shape: [4, -1, 2]}", Shape{16}), "[4,2,2]");
  EXPECT_EQ(build_or_error("{type: reshape, shape: [1, 8, 9]}", Shape{64}),
            "reshape1 (reshape): cannot reshape [64] (64 elements) into [1,8,9] (72 elements)");
  EXPECT_EQ(build_or_error("{type: reshape, shape: [4294967296, 4294967296, -1]}", Shape{64}),
            "reshape1 (reshape): cannot reshape [64] (64 elements) into [4294967296,4294967296,-1] (more than "
            "9223372036854775807 elements)");
  EXPECT_EQ(build_or_error("{type: reshape, shape: [3, -1]}", Shape{64}),
            "reshape1 (reshape): cannot reshape [64] (64 elements) into [3,-1]: 64 is not a multiple of 3");
}

TEST(Reshape, ConfigErrorsNameTheSize) {
  EXPECT_EQ(config_error("{type: reshape, shape: [-1, 2, -1]}"), "test.yaml:1:32: shape[2]: only one size may be -1");
  EXPECT_EQ(config_error("{type: reshape, shape: [4, 0]}"),
            "test.yaml:1:28: shape[1]: expected a size >= 1 or -1, got 0");
  EXPECT_EQ(config_error("{type: reshape, shape: [4, x]}"),
            "test.yaml:1:28: shape[1]: expected a size >= 1 or -1, got \"x\"");
  EXPECT_EQ(config_error("{type: reshape, shape: []}"), "test.yaml:1:24: shape: expected 1 to 5 sizes, got 0");
  EXPECT_NE(config_error("{type: reshape}").find("missing required key 'shape'"), std::string::npos);
}

}  // namespace
}  // namespace gradlab
