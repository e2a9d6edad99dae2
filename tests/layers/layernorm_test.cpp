// layernorm: each sample normalized over its features, the same in training and evaluation.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

TEST(Layernorm, NormalizesEachSampleOverItsFeatures) {
  auto ln = test::make_layer("{type: layernorm, eps: 1e-300}");
  Rng rng(1);
  ln->build(Shape{4}, rng);
  ASSERT_EQ(ln->parameters().size(), 2u);
  EXPECT_EQ(ln->parameters()[0]->value.shape(), (Shape{4}));
  Tape tape;
  // Row 0: mean 2.5, var 1.25. Row 1: mean 0, var 2 (values -2, 0, 0, 2... as below).
  Tensor x = Tensor::matrix({{1, 2, 3, 4}, {-2, 0, 0, 2}});
  for (bool training : {true, false}) {
    ForwardContext ctx{tape, training};
    Tensor y = ln->forward(tape.constant(x), ctx).value();
    EXPECT_DOUBLE_EQ(y.at(0, 0), -1.5 / std::sqrt(1.25));
    EXPECT_DOUBLE_EQ(y.at(0, 3), 1.5 / std::sqrt(1.25));
    EXPECT_DOUBLE_EQ(y.at(1, 0), -2 / std::sqrt(2.0));
    EXPECT_DOUBLE_EQ(y.at(1, 1), 0.0);
  }
}

}  // namespace
}  // namespace gradlab
