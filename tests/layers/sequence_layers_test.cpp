// The sequence layers around attention: embedding, positional_encoding, sequence_pool, and dense
// acting on each step of a sequence. Values by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "layers/token_ids.hpp"
#include "tests/autograd/test_util.hpp"
#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

Tensor forward(Layer& layer, const Tensor& x, Tape& tape) {
  ForwardContext ctx{tape, true};
  return layer.forward(tape.constant(x), ctx).value();
}

TEST(Embedding, LooksUpRowsAndSendsGradientsToThem) {
  auto emb = test::make_layer("{type: embedding, vocab_size: 4, dim: 2}");
  Rng rng(1);
  EXPECT_EQ(emb->build(Shape{3}, rng), (Shape{3, 2}));
  EXPECT_EQ(input_id_range(*emb), 4);
  Parameter& w = *emb->parameters()[0];
  EXPECT_EQ(w.name, "weight");
  w.value = Tensor::matrix({{0, 1}, {10, 11}, {20, 21}, {30, 31}});
  w.grad = Tensor(Shape{4, 2}, 0.0);
  Tape tape;
  ForwardContext ctx{tape, true};
  Var y = emb->forward(tape.constant(Tensor::matrix({{3, 1, 3}, {0, 0, 2}})), ctx);
  expect_near_all(y.value(), {30, 31, 10, 11, 30, 31, 0, 1, 0, 1, 20, 21});
  tape.backward(ops::sum(y));
  expect_near_all(w.grad, {2, 2, 1, 1, 1, 1, 2, 2});  // row 3 and row 0 were picked twice
}

TEST(Embedding, NamesTheLayerAndThePositionOfABadId) {
  auto emb = test::make_layer("{type: embedding, vocab_size: 10, dim: 2}");
  Rng rng(1);
  emb->build(Shape{6}, rng);
  Tape tape;
  Tensor ids(Shape{4, 6}, 1.0);
  ids[3 * 6 + 5] = 12;
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, forward(*emb, ids, tape)),
            "embedding1: token id 12 at [3, 5] is outside [0, 10)");
  ids[3 * 6 + 5] = -1;
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, forward(*emb, ids, tape)),
            "embedding1: token id -1 at [3, 5] is outside [0, 10)");
  ids[3 * 6 + 5] = 1;
  ids[2] = 2.5;
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, forward(*emb, ids, tape)),
            "embedding1: token id 2.5 at [0, 2] is not a whole number");
  ids[2] = NAN;
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, forward(*emb, ids, tape)),
            "embedding1: token id nan at [0, 2] is not a whole number");
}

TEST(Embedding, InitializesAsPyTorchWithStandardNormalRows) {
  auto emb = test::make_layer("{type: embedding, vocab_size: 200, dim: 50}");
  Rng rng(5);
  emb->build(Shape{3}, rng);
  double s = 0, s2 = 0;
  for (double v : emb->parameters()[0]->value.span()) s += v, s2 += v * v;
  EXPECT_NEAR(s / 10000, 0.0, 0.03);
  EXPECT_NEAR(std::sqrt(s2 / 10000), 1.0, 0.03);
}

// PE[t, 2i] = sin(t / 10000^(2i/D)), PE[t, 2i+1] = cos(t / 10000^(2i/D)); D = 5 (odd): column 4 is a sine.
TEST(PositionalEncoding, SinusoidalValues) {
  auto pe = test::make_layer("{type: positional_encoding}");
  Rng rng(1);
  EXPECT_EQ(pe->build(Shape{3, 5}, rng), (Shape{3, 5}));
  EXPECT_TRUE(pe->parameters().empty());
  Tape tape;
  Tensor y = forward(*pe, Tensor(Shape{2, 3, 5}, 0.0), tape);
  const double f1 = std::pow(10000.0, -2.0 / 5), f2 = std::pow(10000.0, -4.0 / 5);
  std::vector<double> want;
  for (int t = 0; t < 3; ++t)
    for (double v : {std::sin(t), std::cos(t), std::sin(t * f1), std::cos(t * f1), std::sin(t * f2)}) want.push_back(v);
  std::vector<double> both = want;
  both.insert(both.end(), want.begin(), want.end());  // the same for every example of the batch
  expect_near_all(y, both);
  EXPECT_NEAR(y[5 + 3], std::cos(0.025118864315095794), 1e-15);  // t = 1, d = 3: 10000^(-2/5) by hand
}

TEST(PositionalEncoding, LearnedAddsTheFirstRowsOfItsWeight) {
  auto pe = test::make_layer("{type: positional_encoding, kind: learned, max_length: 4}");
  Rng rng(1);
  pe->build(Shape{2, 3}, rng);
  ASSERT_EQ(pe->parameters().size(), 1u);
  Parameter& w = *pe->parameters()[0];
  EXPECT_EQ(w.value.shape(), (Shape{4, 3}));
  for (int64_t k = 0; k < 12; ++k) w.value[k] = static_cast<double>(k);
  Tape tape;
  expect_near_all(forward(*pe, Tensor(Shape{1, 2, 3}, 0.5), tape), {0.5, 1.5, 2.5, 3.5, 4.5, 5.5});
}

TEST(PositionalEncoding, RefusesSequencesLongerThanMaxLength) {
  EXPECT_EQ(test::build_or_error("{type: positional_encoding, max_length: 20}", Shape{28, 8}),
            "positional_encoding1 (positional_encoding): sequences of 28 steps are longer than its max_length 20");
  EXPECT_EQ(test::build_or_error("{type: positional_encoding}", Shape{8}),
            "positional_encoding1 (positional_encoding): expects [steps, features] sequences, got [8]");
  EXPECT_EQ(test::config_error("{type: positional_encoding, kind: fixed}").rfind("test.yaml:1:", 0), 0u);
}

TEST(SequencePool, EveryMode) {
  // One example, T = 3 steps of F = 2 features.
  const Tensor x(Shape{1, 3, 2}, std::vector<double>{1, -4, 5, 2, 0, 3});
  const std::pair<const char*, std::vector<double>> cases[] = {
      {"last", {0, 3}}, {"mean", {2, 1.0 / 3}}, {"max", {5, 3}}};
  for (const auto& [mode, want] : cases) {
    auto pool = test::make_layer(std::string("{type: sequence_pool, mode: ") + mode + "}");
    Rng rng(1);
    EXPECT_EQ(pool->build(Shape{3, 2}, rng), (Shape{2})) << mode;
    Tape tape;
    Parameter leaf("x", x);
    ForwardContext ctx{tape, true};
    Var y = pool->forward(tape.param(leaf), ctx);
    expect_near_all(y.value(), want);
    tape.backward(ops::sum(y));
    const std::vector<double> grads = std::string(mode) == "last"   ? std::vector<double>{0, 0, 0, 0, 1, 1}
                                      : std::string(mode) == "mean" ? std::vector<double>(6, 1.0 / 3)
                                                                    : std::vector<double>{0, 0, 1, 0, 0, 1};
    expect_near_all(leaf.grad, grads);
  }
  EXPECT_EQ(test::build_or_error("{type: sequence_pool}", Shape{4}),
            "sequence_pool1 (sequence_pool): expects [steps, features] sequences, got [4]");
}

TEST(Dense, MapsEveryStepOfASequenceWithTheSameWeights) {
  auto dense = test::make_layer("{type: dense, units: 2}");
  Rng rng(1);
  EXPECT_EQ(dense->build(Shape{3, 2}, rng), (Shape{3, 2}));
  auto p = dense->parameters();
  p[0]->value = Tensor::matrix({{1, 2}, {-1, 0.5}});
  p[1]->value = Tensor::vector({0.5, -1});
  Tape tape;
  // Steps (1, 0), (0, 1), (2, 2): W x + b = (1.5, -2), (2.5, -0.5), (6.5, -2).
  expect_near_all(forward(*dense, Tensor(Shape{1, 3, 2}, std::vector<double>{1, 0, 0, 1, 2, 2}), tape),
                  {1.5, -2, 2.5, -0.5, 6.5, -2});
}

}  // namespace
}  // namespace gradlab
