// bce after a sigmoid layer and cross_entropy after a softmax layer are computed from the layer's
// input (the logits), as Keras does: the gradient w.r.t. the logits is (p - y)/N even where the
// activation saturates, and the value is the unfused one wherever it does not.
#include <gtest/gtest.h>

#include <cmath>

#include "layer_test_util.hpp"
#include "layers/loss.hpp"

namespace gradlab {
namespace {

using test::make_layer;
using test::yaml;

// -log(1 - p) for p = 1 clipped to 1 - 1e-15 (not exactly representable).
const double kClippedLoss = -std::log(1 - (1 - 1e-15));

double sigmoid(double z) {
  return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
}

// d loss / d z of `loss` applied to `activation` layer(z), and the loss's value.
struct Through {
  double value;
  Tensor grad;
};
Through through(const char* activation, const char* loss_yaml, const Tensor& z, const Tensor& y) {
  auto layer = make_layer(activation);
  auto loss = Registry::instance().create<Loss>(yaml(loss_yaml));
  Tape tape;
  Parameter logits("z", z);
  ForwardContext ctx{tape, true, nullptr};
  Var l = (*loss)(layer->forward(tape.param(logits), ctx), tape.constant(y));
  tape.backward(l);
  return {l.item(), logits.grad};
}

TEST(BceAfterSigmoid, SaturatedGradientIsOutputMinusTargetOverN) {
  const Tensor z = Tensor::matrix({{40}, {-40}, {800}, {-1000}, {0.5}});
  const Tensor y = Tensor::matrix({{0}, {1}, {0}, {0}, {1}});
  ASSERT_EQ(sigmoid(40), 1.0);  // saturated in float64: its own derivative is exactly 0
  const Through t = through("sigmoid", "bce", z, y);
  for (int64_t k = 0; k < z.numel(); ++k)
    EXPECT_DOUBLE_EQ(t.grad[k], (sigmoid(z[k]) - y[k]) / 5.0) << "z = " << z[k];
  EXPECT_TRUE(std::isfinite(t.value));
  EXPECT_GT(t.value, 800.0 / 5);  // from the logits: not clipped at -log(eps) per sample
}

TEST(BceAfterSigmoid, ValueUnchangedWhereNotSaturated) {
  const Tensor z = Tensor::matrix({{0.3}, {-1.2}, {2.0}, {-4.5}});
  const Tensor y = Tensor::matrix({{1}, {0}, {0}, {1}});
  double clipped = 0;
  for (int64_t k = 0; k < z.numel(); ++k) {
    const double p = sigmoid(z[k]);
    clipped -= (y[k] * std::log(p) + (1 - y[k]) * std::log(1 - p)) / 4;
  }
  EXPECT_NEAR(through("sigmoid", "bce", z, y).value, clipped, 1e-15 * clipped);
  EXPECT_NEAR(through("sigmoid", "{type: bce, fuse_sigmoid: false}", z, y).value, clipped,
              1e-15 * clipped);
}

TEST(BceAfterSigmoid, UnfusedSaturatedSigmoidPassesNoGradient) {
  const Tensor z = Tensor::matrix({{40}, {-40}});
  const Tensor y = Tensor::matrix({{0}, {1}});
  const Through t = through("sigmoid", "{type: bce, fuse_sigmoid: false}", z, y);
  EXPECT_EQ(t.grad[0], 0.0);
  EXPECT_EQ(t.grad[1], 0.0);
  EXPECT_DOUBLE_EQ(t.value, (kClippedLoss - std::log(1e-15)) / 2);  // clipped
}

TEST(BceAfterSigmoid, ProbabilitiesFromElsewhereStayClipped) {
  auto loss = Registry::instance().create<Loss>(yaml("bce"));
  Tape tape;
  Var l = (*loss)(tape.constant(Tensor::matrix({{1.0}})), tape.constant(Tensor::matrix({{0.0}})));
  EXPECT_DOUBLE_EQ(l.item(), kClippedLoss);
}

TEST(CrossEntropyAfterSoftmax, TakesTheSoftmaxInputAsLogits) {
  const Tensor z = Tensor::matrix({{300, -200, 0}, {0.2, -1.0, 0.5}});  // row 0 saturates
  const Tensor y = Tensor::vector({1, 2});
  const Through t = through("softmax", "cross_entropy", z, y);
  const double lse1 = std::log(std::exp(0.2) + std::exp(-1.0) + std::exp(0.5));
  EXPECT_NEAR(t.value, (300 - -200 + lse1 - 0.5) / 2, 1e-12);  // -mean(log softmax(z)[y])
  EXPECT_DOUBLE_EQ(t.grad[0], 1.0 / 2);                        // (softmax(z) - onehot(y))/N
  EXPECT_DOUBLE_EQ(t.grad[1], -1.0 / 2);
  EXPECT_DOUBLE_EQ(t.grad[5], (std::exp(0.5 - lse1) - 1) / 2);
}

}  // namespace
}  // namespace gradlab
