// rnn, lstm, gru: PyTorch's parameter names, shapes and default initialisation; one and two steps
// of each cell against the formulas worked by hand on one unit; the output shapes; the error for
// an input that is not a sequence.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::build_or_error;
using test::make_layer;

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// Builds `yaml` on [2, 1] sequences (two steps of one feature), sets weight_ih, weight_hh,
// bias_ih and bias_hh (one unit: G values each) and returns every step's hidden state for the
// sequence x0, x1.
std::vector<double> two_steps(const std::string& yaml, const std::vector<std::vector<double>>& weights, double x0,
                              double x1) {
  auto layer = make_layer(yaml);
  Rng rng(1);
  layer->build(Shape{2, 1}, rng);
  auto params = layer->parameters();
  EXPECT_EQ(params.size(), 4u);
  for (size_t k = 0; k < params.size(); ++k) {
    EXPECT_EQ(params[k]->value.numel(), static_cast<int64_t>(weights[k].size()));
    for (size_t j = 0; j < weights[k].size(); ++j) params[k]->value[static_cast<int64_t>(j)] = weights[k][j];
  }
  Tape tape;
  ForwardContext ctx{tape, true};
  Var y = layer->forward(tape.constant(Tensor(Shape{1, 2, 1}, {x0, x1})), ctx);
  EXPECT_EQ(y.shape().str(), "[1,2,1]");
  return {y.value()[0], y.value()[1]};
}

TEST(Recurrent, ParametersFollowPyTorchsNamesShapesAndInitialisation) {
  for (auto [type, gates] : {std::pair{"rnn", 1}, {"lstm", 4}, {"gru", 3}}) {
    SCOPED_TRACE(type);
    auto layer = make_layer(std::string("{type: ") + type + ", units: 16}");
    Rng rng(3);
    EXPECT_EQ(layer->build(Shape{7, 5}, rng).str(), "[16]");
    auto p = layer->parameters();
    ASSERT_EQ(p.size(), 4u);
    const int64_t rows = gates * 16;
    EXPECT_EQ(p[0]->name, "weight_ih");
    EXPECT_EQ(p[0]->value.shape(), (Shape{rows, 5}));
    EXPECT_EQ(p[1]->name, "weight_hh");
    EXPECT_EQ(p[1]->value.shape(), (Shape{rows, 16}));
    EXPECT_EQ(p[2]->name, "bias_ih");
    EXPECT_EQ(p[2]->value.shape(), (Shape{rows}));
    EXPECT_EQ(p[3]->name, "bias_hh");
    EXPECT_EQ(p[3]->value.shape(), (Shape{rows}));
    // U(-1/sqrt(16), 1/sqrt(16)) = U(-0.25, 0.25): within the bound, and spread over it.
    for (Parameter* q : p) {
      double lo = 1, hi = -1;
      for (double v : q->value.span()) lo = std::min(lo, v), hi = std::max(hi, v);
      EXPECT_GE(lo, -0.25);
      EXPECT_LE(hi, 0.25);
      EXPECT_GT(hi - lo, 0.3);
    }
  }
}

TEST(Recurrent, ReturnSequencesGivesEveryStep) {
  EXPECT_EQ(build_or_error("{type: gru, units: 4}", Shape{28, 28}), "[4]");
  EXPECT_EQ(build_or_error("{type: gru, units: 4, return_sequences: true}", Shape{28, 28}), "[28,4]");
  EXPECT_EQ(build_or_error("{type: lstm, units: 3, return_sequences: true}", Shape{5, 2}), "[5,3]");
  EXPECT_EQ(build_or_error("{type: rnn, units: 2}", Shape{5, 2}), "[2]");
}

TEST(Recurrent, AFlatInputIsNotASequence) {
  EXPECT_EQ(build_or_error("{type: gru, units: 4}", Shape{9}),
            "gru1 (gru): expects [steps, features] sequences, got [9]");
  EXPECT_EQ(build_or_error("{type: lstm, units: 4}", Shape{1, 28, 28}),
            "lstm1 (lstm): expects [steps, features] sequences, got [1,28,28]");
}

TEST(Recurrent, RnnStepsByHand) {
  const double wi = 0.5, wh = -0.3, bi = 0.1, bh = 0.2;
  auto h = two_steps("{type: rnn, units: 1, return_sequences: true}", {{wi}, {wh}, {bi}, {bh}}, 1.0, 2.0);
  const double h0 = std::tanh(wi * 1.0 + bi + bh);  // h_{-1} = 0
  const double h1 = std::tanh(wi * 2.0 + bi + wh * h0 + bh);
  EXPECT_NEAR(h[0], h0, 1e-15);
  EXPECT_NEAR(h[1], h1, 1e-15);
  auto r = two_steps("{type: rnn, units: 1, activation: relu, return_sequences: true}", {{wi}, {wh}, {bi}, {bh}},
                     1.0, -2.0);
  EXPECT_NEAR(r[0], 0.8, 1e-15);
  EXPECT_EQ(r[1], 0.0);  // relu(-1 + 0.1 - 0.24 + 0.2) = relu(-0.94)
}

TEST(Recurrent, LstmStepsByHand) {
  // Gates in PyTorch's order i, f, g, o.
  const double wi[4] = {0.1, 0.2, 0.3, 0.4}, wh[4] = {-0.1, 0.5, 0.2, -0.3};
  const double bi[4] = {0.0, 0.1, -0.1, 0.2}, bh[4] = {0.05, 0.0, 0.0, 0.05};
  auto h = two_steps("{type: lstm, units: 1, return_sequences: true}",
                     {{wi, wi + 4}, {wh, wh + 4}, {bi, bi + 4}, {bh, bh + 4}}, 1.5, -0.7);
  double hp = 0, c = 0, expect[2];
  const double xs[2] = {1.5, -0.7};
  for (int t = 0; t < 2; ++t) {
    auto pre = [&](int k) { return wi[k] * xs[t] + bi[k] + wh[k] * hp + bh[k]; };
    const double i = sigmoid(pre(0)), f = sigmoid(pre(1)), g = std::tanh(pre(2)), o = sigmoid(pre(3));
    c = f * c + i * g;
    hp = expect[t] = o * std::tanh(c);
  }
  EXPECT_NEAR(h[0], expect[0], 1e-15);
  EXPECT_NEAR(h[1], expect[1], 1e-15);
}

TEST(Recurrent, GruStepsByHandWithPyTorchsResetGate) {
  // Gates in PyTorch's order r, z, n; r multiplies (W_hn h + b_hn).
  const double wi[3] = {0.3, -0.2, 0.6}, wh[3] = {0.4, 0.1, -0.5};
  const double bi[3] = {0.1, 0.0, -0.2}, bh[3] = {-0.1, 0.2, 0.3};
  auto h = two_steps("{type: gru, units: 1, return_sequences: true}",
                     {{wi, wi + 3}, {wh, wh + 3}, {bi, bi + 3}, {bh, bh + 3}}, 0.8, 1.9);
  double hp = 0, expect[2];
  const double xs[2] = {0.8, 1.9};
  for (int t = 0; t < 2; ++t) {
    const double r = sigmoid(wi[0] * xs[t] + bi[0] + wh[0] * hp + bh[0]);
    const double z = sigmoid(wi[1] * xs[t] + bi[1] + wh[1] * hp + bh[1]);
    const double n = std::tanh(wi[2] * xs[t] + bi[2] + r * (wh[2] * hp + bh[2]));
    hp = expect[t] = (1 - z) * n + z * hp;
  }
  EXPECT_NEAR(h[0], expect[0], 1e-15);
  EXPECT_NEAR(h[1], expect[1], 1e-15);
}

TEST(Recurrent, TheLastStateIsTheLastOfTheSequence) {
  for (const char* type : {"rnn", "lstm", "gru"}) {
    SCOPED_TRACE(type);
    auto all = make_layer(std::string("{type: ") + type + ", units: 3, return_sequences: true}");
    auto last = make_layer(std::string("{type: ") + type + ", units: 3}");
    Rng a(9), b(9), data(4);
    all->build(Shape{5, 2}, a);
    last->build(Shape{5, 2}, b);
    Tensor x = test::random_batch(2, Shape{5, 2}, data);
    Tape tape;
    ForwardContext ctx{tape, true};
    Tensor ys = all->forward(tape.constant(x), ctx).value(), y = last->forward(tape.constant(x), ctx).value();
    ASSERT_EQ(y.shape(), (Shape{2, 3}));
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t u = 0; u < 3; ++u) EXPECT_EQ(y[n * 3 + u], ys[n * 15 + 4 * 3 + u]);
  }
}

}  // namespace
}  // namespace gradlab
