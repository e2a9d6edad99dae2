// conv2d: values against a 3x3 convolution worked by hand and against a direct loop over the
// definition (strides, dilation, `same` padding with an even kernel), weight layout and fans,
// gradients, and the shape and config errors a learner meets.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "autograd/gradcheck.hpp"
#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::build_or_error;
using test::config_error;
using test::make_layer;

struct Pads {
  int64_t top, left, bottom, right;
};

// y[n,f,i,j] = b[f] + sum_{c,p,q} w[f,c,p,q] x[n, c, i sh - top + p dh, j sw - left + q dw], with
// x = 0 outside: the definition, one loop per index.
Tensor conv_reference(const Tensor& x, const Tensor& w, const Tensor* b, std::array<int64_t, 2> s,
                      std::array<int64_t, 2> d, Pads pad) {
  const Shape xs = x.shape(), ws = w.shape();
  const int64_t n = xs[0], c = xs[1], h = xs[2], wd = xs[3], f = ws[0], kh = ws[2], kw = ws[3];
  const int64_t oh = (h + pad.top + pad.bottom - d[0] * (kh - 1) - 1) / s[0] + 1;
  const int64_t ow = (wd + pad.left + pad.right - d[1] * (kw - 1) - 1) / s[1] + 1;
  Tensor y(Shape{n, f, oh, ow});
  for (int64_t a = 0; a < n; ++a)
    for (int64_t o = 0; o < f; ++o)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double acc = b ? (*b)[o] : 0.0;
          for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t p = 0; p < kh; ++p)
              for (int64_t q = 0; q < kw; ++q) {
                const int64_t yy = i * s[0] - pad.top + p * d[0], xx = j * s[1] - pad.left + q * d[1];
                if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                acc += w[((o * c + ch) * kh + p) * kw + q] * x[((a * c + ch) * h + yy) * wd + xx];
              }
          y[((a * f + o) * oh + i) * ow + j] = acc;
        }
  return y;
}

void expect_near(const Tensor& got, const Tensor& want) {
  ASSERT_EQ(got.shape().str(), want.shape().str());
  for (int64_t i = 0; i < got.numel(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "element " << i;
}

Tensor forward(Layer& layer, const Tensor& x) {
  Tape tape;
  ForwardContext ctx{tape, true};
  return layer.forward(tape.constant(x), ctx).value();
}

Tensor random(const Shape& s, Rng& rng) {
  Tensor t(s);
  for (double& v : t.span()) v = rng.normal();
  return t;
}

TEST(Conv2d, A3x3KernelWithSamePaddingByHand) {
  // The plus-shaped kernel sums each pixel and its 4 neighbours (zeros outside), bias 0.5.
  auto conv =
      make_layer("{type: conv2d, filters: 1, kernel_size: 3, padding: same, bias_init: {type: constant, value: 0.5}}");
  Rng rng(1);
  EXPECT_EQ(conv->build(Shape{1, 3, 3}, rng).str(), "[1,3,3]");
  auto params = conv->parameters();
  ASSERT_EQ(params.size(), 2u);
  params[0]->value = Tensor(Shape{1, 1, 3, 3}, {0, 1, 0, 1, 1, 1, 0, 1, 0});
  Tensor x(Shape{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor y = forward(*conv, x);
  const std::vector<double> want{7, 11, 11, 17, 25, 23, 19, 29, 23};
  ASSERT_EQ(y.shape().str(), "[1,1,3,3]");
  for (int i = 0; i < 9; ++i) EXPECT_DOUBLE_EQ(y[i], want[static_cast<size_t>(i)] + 0.5) << i;
}

TEST(Conv2d, A2x2KernelWithoutPaddingByHand) {
  auto conv = make_layer("{type: conv2d, filters: 1, kernel_size: 2, use_bias: false}");
  Rng rng(1);
  EXPECT_EQ(conv->build(Shape{1, 3, 3}, rng).str(), "[1,2,2]");
  ASSERT_EQ(conv->parameters().size(), 1u);
  conv->parameters()[0]->value = Tensor(Shape{1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor y = forward(*conv, Tensor(Shape{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
  // 1*1 + 2*2 + 3*4 + 4*5 = 37, then 47, 67, 77.
  EXPECT_EQ(y.span().size(), 4u);
  EXPECT_DOUBLE_EQ(y[0], 37);
  EXPECT_DOUBLE_EQ(y[1], 47);
  EXPECT_DOUBLE_EQ(y[2], 67);
  EXPECT_DOUBLE_EQ(y[3], 77);
}

TEST(Conv2d, WeightAndBiasUsePyTorchsLayoutAndNames) {
  auto conv = make_layer("{type: conv2d, filters: 4, kernel_size: [3, 2]}");
  Rng rng(1);
  EXPECT_EQ(conv->build(Shape{2, 6, 5}, rng).str(), "[4,4,4]");
  auto params = conv->parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0]->name, "weight");
  EXPECT_EQ(params[0]->value.shape().str(), "[4,2,3,2]");
  EXPECT_EQ(params[1]->name, "bias");
  EXPECT_EQ(params[1]->value.shape().str(), "[4]");
  for (double v : params[1]->value.span()) EXPECT_EQ(v, 0.0);  // bias_init: zeros
}

struct SameCase {
  Shape input;
  const char* yaml;
  const char* out;
  Pads pads;  // what PyTorch (stride 1) and TensorFlow pad
  int64_t stride, dilation;
};

TEST(Conv2d, SamePaddingKeepsTheSizeAndPutsTheExtraAtTheBottomRight) {
  const SameCase cases[] = {
      {Shape{2, 5, 7}, "{type: conv2d, filters: 3, kernel_size: 3, padding: same}", "[3,5,7]", {1, 1, 1, 1}, 1, 1},
      {Shape{2, 5, 7}, "{type: conv2d, filters: 3, kernel_size: 4, padding: same}", "[3,5,7]", {1, 1, 2, 2}, 1, 1},
      {Shape{1, 6, 6}, "{type: conv2d, filters: 2, kernel_size: 2, padding: same}", "[2,6,6]", {0, 0, 1, 1}, 1, 1},
      {Shape{1, 6, 6},
       "{type: conv2d, filters: 2, kernel_size: 3, dilation: 2, padding: same}",
       "[2,6,6]",
       {2, 2, 2, 2},
       1,
       2},
      // stride 2: ceil(7 / 2) = 4 columns, ceil(5 / 2) = 3 rows (TensorFlow's rule).
      {Shape{2, 5, 7},
       "{type: conv2d, filters: 3, kernel_size: 3, stride: 2, padding: same}",
       "[3,3,4]",
       {1, 1, 1, 1},
       2,
       1},
      {Shape{1, 6, 6},
       "{type: conv2d, filters: 2, kernel_size: 3, stride: 2, padding: same}",
       "[2,3,3]",
       {0, 0, 1, 1},
       2,
       1},
      {Shape{1, 6, 6}, "{type: conv2d, filters: 2, kernel_size: 3, padding: valid}", "[2,4,4]", {0, 0, 0, 0}, 1, 1},
  };
  for (const SameCase& c : cases) {
    SCOPED_TRACE(c.yaml);
    auto conv = make_layer(c.yaml);
    Rng rng(3);
    EXPECT_EQ(conv->build(c.input, rng).str(), c.out);
    Shape batch{2};
    for (int a = 0; a < 3; ++a) batch.push_back(c.input[a]);
    Tensor x = random(batch, rng);
    expect_near(forward(*conv, x), conv_reference(x, conv->parameters()[0]->value, &conv->parameters()[1]->value,
                                                  {c.stride, c.stride}, {c.dilation, c.dilation}, c.pads));
  }
}

TEST(Conv2d, StridesDilationAndPairsMatchTheDefinition) {
  auto conv = make_layer(
      "{type: conv2d, filters: 3, kernel_size: [2, 3], stride: [2, 1], padding: [1, 2], dilation: [2, 1], "
      "bias_init: {type: normal}}");
  Rng rng(5);
  // rows: (7 + 2 - 3) / 2 + 1 = 4; columns: (6 + 4 - 3) / 1 + 1 = 8
  EXPECT_EQ(conv->build(Shape{2, 7, 6}, rng).str(), "[3,4,8]");
  Tensor x = random(Shape{3, 2, 7, 6}, rng);
  expect_near(forward(*conv, x), conv_reference(x, conv->parameters()[0]->value, &conv->parameters()[1]->value, {2, 1},
                                                {2, 1}, {1, 2, 1, 2}));
}

TEST(Conv2d, GradientsMatchFiniteDifferences) {
  for (const char* yaml : {"{type: conv2d, filters: 2, kernel_size: 2, padding: same, bias_init: {type: normal}}",
                           "{type: conv2d, filters: 2, kernel_size: 3, stride: 2, padding: same}",
                           "{type: conv2d, filters: 2, kernel_size: 2, dilation: 2, use_bias: false}"}) {
    SCOPED_TRACE(yaml);
    auto conv = make_layer(yaml);
    Rng rng(9);
    conv->build(Shape{2, 5, 4}, rng);
    auto params = conv->parameters();
    GradcheckResult r = gradcheck(
        [&](Tape& t, std::span<const Var> in) {
          ForwardContext ctx{t, true};
          return conv->forward(in[0], ctx);
        },
        {random(Shape{2, 2, 5, 4}, rng)}, {}, params);
    EXPECT_TRUE(r.passed) << r.worst;
  }
}

double stddev(const Tensor& t) {
  double s = 0, s2 = 0;
  for (double v : t.span()) s += v, s2 += v * v;
  const double n = double(t.numel()), mean = s / n;
  return std::sqrt(s2 / n - mean * mean);
}

TEST(Conv2d, InitializersSeeTheFansOfAConvolution) {
  // fan_in = in_channels kh kw = 16 * 9 = 144; fan_out = filters kh kw = 64 * 9 = 576 (PyTorch's
  // _calculate_fan_in_and_fan_out, Keras's compute_fans).
  Rng rng(2);
  auto he = make_layer("{type: conv2d, filters: 64, kernel_size: 3}");
  he->build(Shape{16, 8, 8}, rng);
  EXPECT_NEAR(stddev(he->parameters()[0]->value), std::sqrt(2.0 / 144), 0.03 * std::sqrt(2.0 / 144));
  auto xavier = make_layer("{type: conv2d, filters: 64, kernel_size: 3, init: xavier_normal}");
  xavier->build(Shape{16, 8, 8}, rng);
  EXPECT_NEAR(stddev(xavier->parameters()[0]->value), std::sqrt(2.0 / (144 + 576)), 0.03 * std::sqrt(2.0 / 720));
}

TEST(Conv2d, ActivationReluRectifiesTheOutputOfTheSameWeights) {
  auto plain = make_layer("{type: conv2d, filters: 3, kernel_size: 3, padding: same}");
  auto fused = make_layer("{type: conv2d, filters: 3, kernel_size: 3, padding: same, activation: relu}");
  Rng rng(4), same_rng(4);
  plain->build(Shape{2, 5, 4}, rng);
  fused->build(Shape{2, 5, 4}, same_rng);
  const Tensor x = random(Shape{2, 2, 5, 4}, rng);
  const Tensor y = forward(*plain, x), r = forward(*fused, x);
  ASSERT_EQ(r.shape().str(), y.shape().str());
  int64_t rectified = 0;
  for (int64_t k = 0; k < y.numel(); ++k) {
    EXPECT_EQ(r[k], y[k] > 0 ? y[k] : 0.0) << "element " << k;
    rectified += y[k] < 0;
  }
  EXPECT_GT(rectified, 0);
}

TEST(Conv2d, ShapeErrorsNameTheLayer) {
  EXPECT_EQ(build_or_error("{type: conv2d, filters: 2, kernel_size: 3}", Shape{9}),
            "conv2d1 (conv2d): expects [channels, height, width] input, got [9]");
  EXPECT_EQ(build_or_error("{type: conv2d, filters: 2, kernel_size: 4}", Shape{1, 3, 3}),
            "conv2d1 (conv2d): kernel 4 larger than its 3x3 input");
  EXPECT_EQ(build_or_error("{type: conv2d, filters: 2, kernel_size: [2, 5], padding: 1}", Shape{1, 3, 2}),
            "conv2d1 (conv2d): kernel 2x5 larger than its 3x2 input (padded: 5x4)");
  EXPECT_EQ(build_or_error("{type: conv2d, filters: 2, kernel_size: 2, dilation: 3}", Shape{1, 3, 3}),
            "conv2d1 (conv2d): kernel 2 (dilation 3: spans 4x4) larger than its 3x3 input");
  // `same` never fails for lack of room: it pads what the kernel needs.
  EXPECT_EQ(build_or_error("{type: conv2d, filters: 2, kernel_size: 5, padding: same}", Shape{1, 2, 2}), "[2,2,2]");
}

TEST(Conv2d, ConfigErrorsNameTheKey) {
  EXPECT_EQ(config_error("{type: conv2d, filters: 2, kernel_size: [3]}"),
            "test.yaml:1:41: kernel_size: expected an integer >= 1 or a pair [height, width], got a list of 1");
  EXPECT_EQ(config_error("{type: conv2d, filters: 2, kernel_size: 0}"),
            "test.yaml:1:41: kernel_size: expected an integer >= 1 or a pair [height, width], got 0");
  EXPECT_EQ(config_error("{type: conv2d, filters: 2, kernel_size: 3, padding: full}"),
            "test.yaml:1:53: padding: expected same, valid, an integer >= 0 or a pair [height, width], got "
            "\"full\"");
  EXPECT_EQ(config_error("{type: conv2d, filters: 2, kernel_size: 3, stride: [1, -2]}"),
            "test.yaml:1:56: stride[1]: expected an integer >= 1 or a pair [height, width], got -2");
  EXPECT_EQ(config_error("{type: conv2d, filters: 2, kernel_size: [3, 4000000000]}"),
            "test.yaml:1:45: kernel_size[1]: 4000000000 is larger than 1000000, the largest window size");
  EXPECT_NE(config_error("{type: conv2d, kernel_size: 3}").find("missing required key 'filters'"), std::string::npos);
  EXPECT_EQ(config_error("{type: conv2d, filters: 2, kernel_size: 3, activation: tanh}"),
            "test.yaml:1:56: activation: expected one of: none, relu, got \"tanh\"");
}

}  // namespace
}  // namespace gradlab
