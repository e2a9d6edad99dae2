// multi_head_attention: values against PyTorch's nn.MultiheadAttention, the causal mask, its
// weights' layout and initialization, and the inputs it refuses.
#include <gtest/gtest.h>

#include <cmath>

#include "autograd/gradcheck.hpp"
#include "layers/attention_weights.hpp"
#include "tests/autograd/test_util.hpp"
#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

constexpr int64_t T = 3, D = 4;

// The weights and input of tests/layers/attention_reference.py, by the same formulas.
void set_reference_weights(Layer& layer) {
  auto p = layer.parameters();
  ASSERT_EQ(p.size(), 4u);
  for (int64_t i = 0; i < 3 * D; ++i)
    for (int64_t j = 0; j < D; ++j) p[0]->value[i * D + j] = static_cast<double>((i * D + j) % 7 - 3) * 0.3;
  for (int64_t i = 0; i < 3 * D; ++i) p[1]->value[i] = static_cast<double>(i % 5 - 2) * 0.05;
  for (int64_t i = 0; i < D; ++i)
    for (int64_t j = 0; j < D; ++j) p[2]->value[i * D + j] = static_cast<double>((i + 2 * j) % 5 - 2) * 0.2;
  for (int64_t i = 0; i < D; ++i) p[3]->value[i] = 0.1 * static_cast<double>(i) - 0.1;
}

Tensor reference_input() {
  Tensor x(Shape{1, T, D});
  for (int64_t t = 0; t < T; ++t)
    for (int64_t d = 0; d < D; ++d)
      x[t * D + d] = static_cast<double>((t * D + d) % 5 - 2) * 1.5 + 0.5 * static_cast<double>(t);
  return x;
}

struct Outputs {
  Tensor y, weights;
};

Outputs run_reference(bool causal) {
  auto layer = test::make_layer(causal ? "{type: multi_head_attention, heads: 2, causal: true}"
                                       : "{type: multi_head_attention, heads: 2}");
  Rng rng(1);
  EXPECT_EQ(layer->build(Shape{T, D}, rng), (Shape{T, D}));
  set_reference_weights(*layer);
  Tape tape;
  ForwardContext ctx{tape, false};
  Outputs r;
  r.y = layer->forward(tape.constant(reference_input()), ctx).value();
  r.weights = dynamic_cast<AttentionWeights&>(*layer).last_attention_weights().value();
  return r;
}

TEST(MultiHeadAttention, MatchesPyTorch) {
  Outputs r = run_reference(false);
  EXPECT_EQ(r.y.shape(), (Shape{1, T, D}));
  expect_near_all(r.y, {4.3194173433575793, -1.6594554627183249, -0.53970711705512697, -2.219940266016732,
                        -0.89910595492689294, 0.045546786052935363, -0.1918563728893887, 1.018761146143673,
                        -1.4159889681680695, 1.7856330545799928, 0.83725507894171936, 0.99573940463132204});
  EXPECT_EQ(r.weights.shape(), (Shape{1, 2, T, T}));
  expect_near_all(r.weights, {0.99999666569035883, 2.624967573032513e-11, 3.3342833915694331e-06, 0.23453248046015759,
                              0.00019639725499379771, 0.76527112228484862, 1.7982528461915155e-08, 0.99584096901157027,
                              0.0041590130059011967, 5.2751032830591888e-09, 0.00020426502459067514,
                              0.99979572970030606, 0.49735544690690964, 0.39804549958806212, 0.10459905350502824,
                              0.99999999964140818, 3.5859165621152929e-10, 1.4106420799690077e-16});
}

TEST(MultiHeadAttention, CausalMatchesPyTorch) {
  Outputs r = run_reference(true);
  expect_near_all(r.y, {-0.86999999999999977, 2.8399999999999999, 2.3999999999999999, -0.84000000000000019,
                        0.18311847197373612, 2.0389415004008109, 1.7452144447654481, -1.3452494874658774,
                        -1.4159889681680695, 1.7856330545799928, 0.83725507894171936, 0.99573940463132204});
  expect_near_all(r.weights,
                  {1, 0, 0, 0.99916330169127232, 0.00083669830872761203, 0, 1.7982528461915155e-08, 0.99584096901157027,
                   0.0041590130059011967, 1, 0, 0, 0.55545557423609737, 0.44454442576390263, 0, 0.99999999964140818,
                   3.5859165621152929e-10, 1.4106420799690077e-16});
}

// By hand: one head, D = 1, weights 1 and biases 0: q = k = v = x, scores x_q x_k.
TEST(MultiHeadAttention, OneHeadByHand) {
  auto layer = test::make_layer("{type: multi_head_attention, heads: 1}");
  Rng rng(1);
  layer->build(Shape{2, 1}, rng);
  for (Parameter* p : layer->parameters())
    for (double& v : p->value.span()) v = p->name.find("bias") == std::string::npos ? 1.0 : 0.0;
  Tape tape;
  ForwardContext ctx{tape, false};
  Tensor y = layer->forward(tape.constant(Tensor(Shape{1, 2, 1}, std::vector<double>{1, 2})), ctx).value();
  // Query 1: scores 1, 2 -> weights e/(e+e^2), e^2/(e+e^2); query 2: scores 2, 4.
  const double a = 1 / (1 + std::exp(1.0)), b = 1 / (1 + std::exp(2.0));
  expect_near_all(y, {a * 1 + (1 - a) * 2, b * 1 + (1 - b) * 2});
}

TEST(MultiHeadAttention, CausalWeightsAreZeroAboveTheDiagonal) {
  auto layer = test::make_layer("{type: multi_head_attention, heads: 3, causal: true}");
  Rng rng(4);
  layer->build(Shape{5, 6}, rng);
  Tape tape;
  ForwardContext ctx{tape, true};
  layer->forward(tape.constant(test::random_batch(2, Shape{5, 6}, rng)), ctx);
  Tensor w = dynamic_cast<AttentionWeights&>(*layer).last_attention_weights().value();
  ASSERT_EQ(w.shape(), (Shape{2, 3, 5, 5}));
  for (int64_t m = 0; m < 2 * 3; ++m)
    for (int64_t q = 0; q < 5; ++q) {
      double sum = 0;
      for (int64_t k = 0; k < 5; ++k) {
        const double v = w[(m * 5 + q) * 5 + k];
        sum += v;
        if (k > q)
          EXPECT_EQ(v, 0.0) << "matrix " << m << " query " << q << " key " << k;
        else
          EXPECT_GT(v, 0.0);
      }
      EXPECT_NEAR(sum, 1.0, 1e-12);
    }
}

TEST(MultiHeadAttention, CausalGradientsMatchFiniteDifferences) {
  auto layer = test::make_layer("{type: multi_head_attention, heads: 2, causal: true}");
  Rng rng(9);
  layer->build(Shape{4, 4}, rng);
  auto params = layer->parameters();
  auto f = [&](Tape& tape, std::span<const Var> in) {
    ForwardContext ctx{tape, true};
    return layer->forward(in, ctx);
  };
  GradcheckResult r = gradcheck(f, {test::random_batch(2, Shape{4, 4}, rng)}, {}, params);
  EXPECT_TRUE(r.passed) << r.worst;
}

TEST(MultiHeadAttention, InitializesAsPyTorch) {
  auto layer = test::make_layer("{type: multi_head_attention, heads: 4}");
  Rng rng(2);
  layer->build(Shape{10, 64}, rng);
  auto p = layer->parameters();
  ASSERT_EQ(p.size(), 4u);
  const char* names[] = {"in_proj_weight", "in_proj_bias", "out_proj_weight", "out_proj_bias"};
  const Shape shapes[] = {Shape{192, 64}, Shape{192}, Shape{64, 64}, Shape{64}};
  // xavier_uniform over [3D, D]: sqrt(6 / (D + 3D)); out_proj as nn.Linear: 1 / sqrt(D).
  const double limits[] = {std::sqrt(6.0 / 256), 0, 1.0 / 8, 0};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(p[i]->name, names[i]);
    EXPECT_EQ(p[i]->value.shape(), shapes[i]) << names[i];
    double largest = 0;
    for (double v : p[i]->value.span()) largest = std::max(largest, std::abs(v));
    EXPECT_LE(largest, limits[i]) << names[i];
    EXPECT_GE(largest, 0.99 * limits[i]) << names[i];  // uniform over the whole range
  }
}

TEST(MultiHeadAttention, RefusesHeadsThatDoNotDivideTheFeaturesAndFlatInputs) {
  EXPECT_EQ(test::build_or_error("{type: multi_head_attention, heads: 3}", Shape{5, 8}),
            "multi_head_attention1 (multi_head_attention): 3 heads do not divide the 8 features of its input [5,8]");
  EXPECT_EQ(test::build_or_error("{type: multi_head_attention, heads: 2}", Shape{8}),
            "multi_head_attention1 (multi_head_attention): expects [steps, features] sequences, got [8]");
  EXPECT_EQ(test::build_or_error("{type: multi_head_attention, heads: 2}", Shape{5, 8}), "[5,8]");
}

}  // namespace
}  // namespace gradlab
