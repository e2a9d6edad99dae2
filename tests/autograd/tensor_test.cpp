// Tensor and Shape: construction, element access, resize keeping capacity, and their errors.
#include "test_util.hpp"

namespace gradlab {
namespace {

TEST(Tensor, MatrixVectorScalar) {
  const Tensor m = Tensor::matrix({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(m.shape().str(), "[2,3]");
  EXPECT_EQ(m.numel(), 6);
  EXPECT_DOUBLE_EQ(m.at(1, 2), 6);
  EXPECT_EQ(Tensor::vector({1, 2}).shape().str(), "[2]");
  const Tensor s = Tensor::scalar(4.5);
  EXPECT_EQ(s.shape().str(), "[]");
  EXPECT_DOUBLE_EQ(s.item(), 4.5);
  EXPECT_DOUBLE_EQ(Tensor(Shape{2, 2}, 3.0)[3], 3.0);
}

TEST(Tensor, Errors) {
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::invalid_argument, Tensor::matrix({{1, 2}, {3}})),
            "Tensor::matrix: row 1 has 1 values, row 0 has 2");
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::invalid_argument, Tensor(Shape{2, 3}, std::vector<double>(5))),
            "Tensor: shape [2,3] needs 6 values, got 5");
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::invalid_argument, Tensor::vector({1, 2}).item()),
            "item: tensor of shape [2] has 2 elements, expected 1");
}

TEST(Tensor, ResizeKeepsCapacityWhenShrinking) {
  Tensor t(Shape{4, 4}, 1.0);
  const double* before = t.data();
  t.resize(Shape{2, 3});
  EXPECT_EQ(t.shape().str(), "[2,3]");
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.data(), before);
  t.fill(2.0);
  EXPECT_DOUBLE_EQ(t[5], 2.0);
}

TEST(Shape, RankAndAxes) {
  Shape s{2, 3, 4};
  EXPECT_EQ(s.rank(), 3);
  EXPECT_EQ(s.numel(), 24);
  EXPECT_EQ(Shape{}.numel(), 1);
  EXPECT_EQ(s.normalize_axis(-1, "op"), 2);
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::out_of_range, s.normalize_axis(3, "softmax")),
            "softmax: axis 3 out of range for shape [2,3,4]");
  EXPECT_EQ((Shape{1, 2, 3, 4, 5, 6}).numel(), 720);  // rank 6: batched attention maps, permuted
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::invalid_argument, (Shape{1, 2, 3, 4, 5, 6, 7})),
            "Shape: rank above 6 is not supported");
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::invalid_argument, (Shape{-1})), "Shape: negative dimension -1");
  EXPECT_TRUE((Shape{2, 3} == Shape{2, 3}));
  EXPECT_FALSE((Shape{2, 3} == Shape{3, 2}));
  EXPECT_FALSE((Shape{6} == Shape{6, 1}));
}

}  // namespace
}  // namespace gradlab
