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

TEST(TensorDtype, Float32AndInt64HoldTheirOwnElementType) {
  Tensor f(Shape{2, 2}, DType::float32, 0.1);
  EXPECT_EQ(f.dtype(), DType::float32);
  EXPECT_EQ(f.data<float>()[3], 0.1f);  // rounded once to float
  EXPECT_EQ(f.get(3), static_cast<double>(0.1f));
  f.set(0, 1.0 / 3);
  EXPECT_EQ(f.data<float>()[0], 1.0f / 3);
  const Tensor i(Shape{3}, std::vector<int64_t>{4, -1, 7});
  EXPECT_EQ(i.dtype(), DType::int64);
  EXPECT_EQ(i.get(2), 7.0);
  const Tensor v(Shape{2}, std::vector<float>{1.5f, -2.0f});
  EXPECT_EQ(v.dtype(), DType::float32);
  EXPECT_EQ(GRADLAB_THROW_TEXT(std::invalid_argument, Tensor(Shape{3}, std::vector<float>{1.0f})),
            "Tensor: shape [3] needs 3 values, got 1");
}

TEST(TensorDtype, TheDoubleAccessorsRefuseAnotherDtype) {
  Tensor f(Shape{2}, DType::float32);
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, f.data()), "Tensor: float32 where float64 was expected");
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, f.data<int64_t>()), "Tensor: float32 where int64 was expected");
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, (void)f[0]), "Tensor: float32 where float64 was expected");
}

TEST(TensorDtype, ToConvertsEveryElementAndKeepsTheShape) {
  const Tensor d = Tensor::matrix({{0.1, -2.5}, {1e10, 3}});
  const Tensor f = d.to(DType::float32);
  EXPECT_EQ(f.shape().str(), "[2,2]");
  for (int64_t k = 0; k < 4; ++k) EXPECT_EQ(f.data<float>()[k], static_cast<float>(d[k]));
  const Tensor back = f.to(DType::float64);
  EXPECT_EQ(back[0], static_cast<double>(0.1f));  // float32 rounding kept, nothing invented
  EXPECT_EQ(d.to(DType::int64).data<int64_t>()[1], -2);  // truncation, as static_cast
  Tensor same = d.to(DType::float64);
  same[0] = 7;  // a copy: the original is untouched
  EXPECT_EQ(d[0], 0.1);
}

TEST(TensorDtype, ResizeAndFillKeepTheDtype) {
  Tensor f(Shape{4}, DType::float32, 2.0);
  f.resize(Shape{2, 3});
  EXPECT_EQ(f.dtype(), DType::float32);
  EXPECT_EQ(f.numel(), 6);
  f.fill(0.5);
  EXPECT_EQ(f.data<float>()[5], 0.5f);
}

TEST(TensorDtype, NamesParseBackAndSizes) {
  for (DType t : {DType::float64, DType::float32, DType::int64}) EXPECT_EQ(parse_dtype(name_of(t)), t);
  EXPECT_FALSE(parse_dtype("float16").has_value());
  EXPECT_EQ(size_of(DType::float32), 4u);
  EXPECT_EQ(size_of(DType::float64), 8u);
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, dispatch_float(DType::int64, "exp", []<class T>() { return 0; })),
            "exp: int64 is not a floating dtype (float32 or float64)");
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
