// conv2d against a naive direct convolution (forward, and the three gradients of sum(y * G)) at
// several stride / padding / dilation settings; bit-identical results at 1 and 2 threads; errors.
#include <cstring>

#include "autograd/threads.hpp"
#include "test_util.hpp"

namespace gradlab {
namespace {

struct Geometry {
  Shape x, w;
  ops::Conv2dOptions opt;
};

Tensor random(const Shape& s, Rng& rng) {
  Tensor t(s);
  for (int64_t k = 0; k < t.numel(); ++k) t[k] = rng.uniform(-1, 1);
  return t;
}

// The direct sum y[n,f,i,j] = b[f] + sum w[f,c,p,q] x[n,c,i s - pad + p d, j s - pad + q d], and
// its adjoint for an upstream gradient g: dx, dw, db, accumulated cell by cell.
struct Naive {
  Tensor y, dx, dw, db;
  Naive(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& g, const ops::Conv2dOptions& o)
      : dx(x.shape()), dw(w.shape()), db(b.shape()) {
    const Shape& sx = x.shape();
    const Shape& sw = w.shape();
    const int64_t oh = (sx[2] + 2 * o.padding[0] - o.dilation[0] * (sw[2] - 1) - 1) / o.stride[0] + 1;
    const int64_t ow = (sx[3] + 2 * o.padding[1] - o.dilation[1] * (sw[3] - 1) - 1) / o.stride[1] + 1;
    y = Tensor(Shape{sx[0], sw[0], oh, ow});
    for (int64_t n = 0; n < sx[0]; ++n)
      for (int64_t f = 0; f < sw[0]; ++f)
        for (int64_t i = 0; i < oh; ++i)
          for (int64_t j = 0; j < ow; ++j) {
            const int64_t out = ((n * sw[0] + f) * oh + i) * ow + j;
            double acc = b[f];
            db[f] += g[out];
            for (int64_t c = 0; c < sx[1]; ++c)
              for (int64_t p = 0; p < sw[2]; ++p)
                for (int64_t q = 0; q < sw[3]; ++q) {
                  const int64_t r = i * o.stride[0] - o.padding[0] + p * o.dilation[0];
                  const int64_t s = j * o.stride[1] - o.padding[1] + q * o.dilation[1];
                  if (r < 0 || r >= sx[2] || s < 0 || s >= sx[3]) continue;
                  const int64_t xi = ((n * sx[1] + c) * sx[2] + r) * sx[3] + s;
                  const int64_t wi = ((f * sw[1] + c) * sw[2] + p) * sw[3] + q;
                  acc += w[wi] * x[xi];
                  dx[xi] += w[wi] * g[out];
                  dw[wi] += x[xi] * g[out];
                }
            y[out] = acc;
          }
  }
};

void expect_close(const Tensor& got, const Tensor& want, const char* what) {
  ASSERT_EQ(got.shape().str(), want.shape().str()) << what;
  for (int64_t k = 0; k < got.numel(); ++k) EXPECT_NEAR(got[k], want[k], 1e-12) << what << " element " << k;
}

class ConvAgainstNaive : public ::testing::TestWithParam<Geometry> {};

TEST_P(ConvAgainstNaive, ValueAndGradients) {
  const Geometry& geo = GetParam();
  Rng rng(7);
  Parameter x("x", random(geo.x, rng)), w("w", random(geo.w, rng)), b("b", random(Shape{geo.w[0]}, rng));
  Tape tape;
  Var y = ops::conv2d(tape.param(x), tape.param(w), tape.param(b), geo.opt);
  const Tensor g = random(y.shape(), rng);
  const Naive ref(x.value, w.value, b.value, g, geo.opt);
  expect_close(y.value(), ref.y, "y");
  tape.backward(ops::sum(ops::mul(y, tape.constant(g))));
  expect_close(x.grad, ref.dx, "dx");
  expect_close(w.grad, ref.dw, "dw");
  expect_close(b.grad, ref.db, "db");
}

INSTANTIATE_TEST_SUITE_P(
    Settings, ConvAgainstNaive,
    ::testing::Values(Geometry{Shape{2, 3, 6, 6}, Shape{4, 3, 3, 3}, {}},
                      Geometry{Shape{3, 1, 8, 8}, Shape{2, 1, 3, 3}, {{1, 1}, {1, 1}, {1, 1}}},   // "same"
                      Geometry{Shape{2, 2, 9, 7}, Shape{3, 2, 3, 2}, {{2, 3}, {1, 0}, {1, 1}}},   // strides
                      Geometry{Shape{1, 2, 9, 9}, Shape{2, 2, 3, 3}, {{1, 1}, {2, 2}, {2, 3}}},   // dilation
                      Geometry{Shape{5, 2, 5, 6}, Shape{3, 2, 1, 1}, {{2, 1}, {0, 1}, {1, 1}}},   // 1x1, chunks
                      Geometry{Shape{9, 4, 12, 10}, Shape{6, 4, 5, 3}, {{2, 1}, {2, 1}, {1, 2}}},  // GEMM tiers
                      // "same" width with dilation, and with shifts wider than the plane (im2col's
                      // one-copy path for stride 1)
                      Geometry{Shape{2, 2, 7, 8}, Shape{3, 2, 3, 3}, {{1, 1}, {2, 3}, {2, 3}}},
                      Geometry{Shape{1, 1, 3, 2}, Shape{1, 1, 7, 7}, {{1, 1}, {3, 3}, {1, 1}}}));

TEST(Conv2d, BitIdenticalOnOneAndTwoThreads) {
  Rng rng(3);
  // The W6 second layer's shape, with a smaller batch: large enough for blocked GEMMs and chunks.
  Parameter x("x", random(Shape{6, 16, 14, 14}, rng)), w("w", random(Shape{32, 16, 3, 3}, rng)),
      b("b", random(Shape{32}, rng));
  auto run = [&](int threads) {
    set_num_threads(threads);
    for (Parameter* p : {&x, &w, &b}) p->zero_grad();
    Tape tape;
    Var y = ops::conv2d(tape.param(x), tape.param(w), tape.param(b), {{1, 1}, {1, 1}, {1, 1}});
    tape.backward(ops::sum(ops::square(y)));
    std::vector<Tensor> out{y.value(), x.grad, w.grad, b.grad};
    return out;
  };
  const auto one = run(1), two = run(2);
  set_num_threads(0);
  for (size_t k = 0; k < one.size(); ++k)
    for (int64_t e = 0; e < one[k].numel(); ++e) ASSERT_EQ(one[k][e], two[k][e]) << "tensor " << k << " element " << e;
}

// The fused relu against conv2d then relu, in both dtypes, with and without a bias: the output
// and every gradient bit for bit (the upstream gradient differs from cell to cell, and about half
// of the outputs are negative).
TEST(Conv2d, FusedReluHasTheBitsOfConvThenRelu) {
  for (DType dtype : {DType::float64, DType::float32})
    for (bool bias : {true, false}) {
      Rng rng(11);
      Parameter x("x", random(Shape{5, 3, 9, 8}, rng).to(dtype)), w("w", random(Shape{4, 3, 3, 3}, rng).to(dtype)),
          b("b", random(Shape{4}, rng).to(dtype));
      const Tensor g = random(Shape{5, 4, 9, 8}, rng).to(dtype);
      auto run = [&](bool fused) {
        for (Parameter* p : {&x, &w, &b}) p->zero_grad();
        Tape tape;
        ops::Conv2dOptions opt{{1, 1}, {1, 1}, {1, 1}, fused};
        Var y = ops::conv2d(tape.param(x), tape.param(w), bias ? tape.param(b) : Var{}, opt);
        if (!fused) y = ops::relu(y);
        tape.backward(ops::sum(ops::mul(y, tape.constant(g))));
        return std::vector<Tensor>{y.value(), x.grad, w.grad, b.grad};
      };
      const auto fused = run(true), separate = run(false);
      int64_t negative = 0;
      for (int64_t k = 0; k < fused[0].numel(); ++k) negative += fused[0].get(k) == 0;
      EXPECT_GT(negative, fused[0].numel() / 4);
      for (size_t k = 0; k < fused.size(); ++k)
        EXPECT_EQ(0, std::memcmp(fused[k].raw(), separate[k].raw(), static_cast<size_t>(fused[k].numel()) * size_of(dtype)))
            << name_of(dtype) << (bias ? " with" : " without") << " bias, tensor " << k;
    }
}

TEST(Conv2d, WithoutBiasAndWithoutGradForTheInput) {
  Tape tape;
  Parameter w("w", Tensor(Shape{1, 1, 2, 2}, std::vector<double>{1, 2, 3, 4}));
  Var x = tape.constant(Tensor(Shape{1, 1, 2, 3}, std::vector<double>{1, 0, 2, 0, 1, 0}));
  Var y = ops::conv2d(x, tape.param(w), Var{});
  testing::expect_near_all(y.value(), {1 + 4, 4 + 3});  // [[1,0,2],[0,1,0]] * [[1,2],[3,4]]
  tape.backward(ops::sum(y));
  testing::expect_near_all(w.grad, {1, 2, 1, 1});  // sum of each kernel cell's two inputs
}

TEST(Conv2d, ErrorsNameTheOpAndBothShapes) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{2, 3, 8, 8})), w = tape.constant(Tensor(Shape{4, 2, 3, 3}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::conv2d(x, w, Var{})),
            "conv2d: input [2,3,8,8] vs weight [4,2,3,3]: channels 3 vs 2");
  Var x3 = tape.constant(Tensor(Shape{3, 8, 8})), w3 = tape.constant(Tensor(Shape{4, 3, 3, 3}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::conv2d(x3, w3, Var{})),
            "conv2d: input [3,8,8] vs weight [4,3,3,3]: input must be [N,C,H,W] and weight [F,C,kh,kw]");
  Var small = tape.constant(Tensor(Shape{1, 3, 4, 4}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::conv2d(small, w3, Var{}, {{1, 1}, {0, 0}, {2, 2}})),
            "conv2d: input [1,3,4,4] vs weight [4,3,3,3]: the 3x3 kernel (dilation 2x2) is larger than the "
            "4x4 input padded by 0x0");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::conv2d(small, w3, Var{}, {{0, 1}, {0, 0}, {1, 1}})),
            "conv2d: input [1,3,4,4] vs weight [4,3,3,3]: stride 0x1, padding 0x0, dilation 1x1: stride and "
            "dilation must be >= 1, padding >= 0");
  Var bias = tape.constant(Tensor(Shape{3}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::conv2d(small, w3, bias)), "conv2d: bias [3] vs weight [4,3,3,3]");
}

}  // namespace
}  // namespace gradlab
