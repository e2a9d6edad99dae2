// Losses: bce (clipped), bce_with_logits, mse, cross_entropy with index, [n,1] and soft targets.
#include <cmath>

#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

TEST(Losses, BceAveragesOverTheBatch) {
  Tape tape;
  Parameter p("p", Tensor::matrix({{0.8}, {0.4}}));
  Var loss = ops::bce(tape.param(p), tape.constant(Tensor::matrix({{1}, {0}})));
  EXPECT_NEAR(loss.item(), -(std::log(0.8) + std::log(0.6)) / 2, 1e-12);
  tape.backward(loss);
  expect_near_all(p.grad, {-1 / 0.8 / 2, 1 / 0.6 / 2});
}

TEST(Losses, BceClipsAndGivesNoGradientWhereClipped) {
  Tape tape;
  Parameter p("p", Tensor::vector({0, 1, 0.5}));
  Var loss = ops::bce(tape.param(p), tape.constant(Tensor::vector({1, 0, 1})), 1e-7);
  EXPECT_NEAR(loss.item(), (-std::log(1e-7) * 2 - std::log(0.5)) / 3, 1e-6);  // 1-(1-eps) rounds
  tape.backward(loss);
  expect_near_all(p.grad, {0, 0, -1 / 0.5 / 3});
}

TEST(Losses, BceWithLogits) {
  Tape tape;
  Parameter z("z", Tensor::vector({0, 2}));
  Var loss = ops::bce_with_logits(tape.param(z), tape.constant(Tensor::vector({1, 0})));
  EXPECT_NEAR(loss.item(), (std::log(2.0) + 2 + std::log1p(std::exp(-2.0))) / 2, 1e-12);
  tape.backward(loss);
  const double sig2 = 1 / (1 + std::exp(-2.0));
  expect_near_all(z.grad, {(0.5 - 1) / 2, sig2 / 2});
}

TEST(Losses, BceWithLogitsIsStableForHugeLogits) {
  Tape tape;
  Var loss = ops::bce_with_logits(tape.constant(Tensor::vector({1000, -1000})),
                                  tape.constant(Tensor::vector({0, 0})));
  EXPECT_NEAR(loss.item(), 500, 1e-9);
}

TEST(Losses, MseAlignsAColumnTargetInsteadOfBroadcasting) {
  Tape tape;
  Parameter p("p", Tensor::vector({1, 2, 3}));
  Var loss = ops::mse(tape.param(p), tape.constant(Tensor::matrix({{1}, {2}, {5}})));
  EXPECT_NEAR(loss.item(), 4.0 / 3, 1e-12);
  tape.backward(loss);
  expect_near_all(p.grad, {0, 0, -4.0 / 3});
}

TEST(Losses, CrossEntropyAcceptsIndicesColumnsAndOneHot) {
  // row 0: logits [0,0], class 0 -> ln 2; row 1: [ln 3, 0], class 1 -> ln 4
  const Tensor logits = Tensor::matrix({{0, 0}, {std::log(3.0), 0}});
  for (const Tensor& target : {Tensor::vector({0, 1}), Tensor::matrix({{0}, {1}}), Tensor::matrix({{1, 0}, {0, 1}})}) {
    Tape tape;
    Parameter z("z", logits);
    Var loss = ops::cross_entropy(tape.param(z), tape.constant(target));
    EXPECT_NEAR(loss.item(), 1.5 * std::log(2.0), 1e-12) << target.shape().str();
    tape.backward(loss);
    expect_near_all(z.grad, {-0.25, 0.25, 0.375, -0.375});  // (softmax - onehot) / n
  }
}

TEST(Losses, CrossEntropySoftTargets) {
  Tape tape;
  Var loss = ops::cross_entropy(tape.constant(Tensor::matrix({{0, 0}})), tape.constant(Tensor::matrix({{0.5, 0.5}})));
  EXPECT_NEAR(loss.item(), std::log(2.0), 1e-12);
}

Tensor ids(const Shape& s, std::vector<int64_t> v) { return Tensor(s, v); }

// [N, T, C] = [1, 3, 2]; rows: [0,0] class 0 -> ln 2; [ln 3, 0] class 1 -> ln 4; [5, 1] ignored.
// The mean is over the 2 rows that count: 1.5 ln 2; the ignored row gets no gradient.
TEST(Losses, CrossEntropyInt64IdsOverNTCWithIgnoreIndex) {
  Tape tape;
  Parameter z("z", Tensor(Shape{1, 3, 2}, std::vector<double>{0, 0, std::log(3.0), 0, 5, 1}));
  Var loss = ops::cross_entropy(tape.param(z), tape.constant(ids(Shape{1, 3}, {0, 1, -100})));
  EXPECT_NEAR(loss.item(), 1.5 * std::log(2.0), 1e-12);
  tape.backward(loss);
  expect_near_all(z.grad, {-0.25, 0.25, 0.375, -0.375, 0, 0});  // (softmax - onehot) / 2
}

TEST(Losses, CrossEntropyIdsEqualFloatIndicesBitForBit) {
  const Tensor logits(Shape{2, 2, 3}, std::vector<double>{0.3, -1.2, 2.0, 0.7, 0.1, -0.4, 1.5, 1.5, -2.2, 0.0, 0.9, 0.2});
  auto run = [&](const Tensor& target) {
    Tape tape;
    Parameter z("z", logits);
    Var loss = ops::cross_entropy(tape.param(z), tape.constant(target));
    const double value = loss.item();
    tape.backward(loss);
    return std::make_pair(value, z.grad);
  };
  const auto [v_ids, g_ids] = run(ids(Shape{2, 2}, {2, -100, 0, 1}));
  const auto [v_float, g_float] = run(Tensor::matrix({{2, -100}, {0, 1}}));
  EXPECT_EQ(v_ids, v_float);
  for (int64_t k = 0; k < g_ids.numel(); ++k) EXPECT_EQ(g_ids[k], g_float[k]) << k;
  // Without ignored rows, [N, T, C] is the same loss as its rows flattened to [N*T, C].
  const auto [v_nt, g_nt] = run(ids(Shape{2, 2}, {2, 0, 0, 1}));
  Tape tape;
  Var flat = ops::cross_entropy(tape.constant(Tensor(Shape{4, 3}, std::vector<double>(logits.span().begin(), logits.span().end()))), tape.constant(ids(Shape{4}, {2, 0, 0, 1})));
  EXPECT_EQ(v_nt, flat.item());
}

TEST(Losses, CrossEntropyAllIgnoredIsZeroWithZeroGradient) {
  Tape tape;
  Parameter z("z", Tensor::matrix({{1, 2}, {3, -4}}));
  Var loss = ops::cross_entropy(tape.param(z), tape.constant(ids(Shape{2}, {-100, -100})));
  EXPECT_EQ(loss.item(), 0.0);
  tape.backward(loss);
  expect_near_all(z.grad, {0, 0, 0, 0}, 0);
}

TEST(Losses, CrossEntropyCustomIgnoreIndex) {
  // ignore_index 1: only row 0 (class 0 of [0, 0]) counts -> ln 2
  Tape tape;
  Var loss = ops::cross_entropy(tape.constant(Tensor::matrix({{0, 0}, {std::log(3.0), 0}})),
                                tape.constant(ids(Shape{2}, {0, 1})), 1);
  EXPECT_NEAR(loss.item(), std::log(2.0), 1e-12);
}

TEST(Losses, CrossEntropyClassIdOutOfRangeNamesIdPositionAndRange) {
  Tape tape;
  Var logits = tape.constant(Tensor(Shape{2, 3, 4}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, ops::cross_entropy(logits, tape.constant(ids(Shape{2, 3}, {0, 1, 2, 3, 4, -100})))),
            "cross_entropy: class id 4 at target position [1,1] out of range [0,4)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, ops::cross_entropy(logits, tape.constant(ids(Shape{2, 3}, {0, -1, 2, 3, 0, 0})))),
            "cross_entropy: class id -1 at target position [0,1] out of range [0,4)");
  // -100 is only ignored while it is the ignore_index.
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, ops::cross_entropy(logits, tape.constant(ids(Shape{2, 3}, {0, 1, 2, 3, 0, -100})), 3)),
            "cross_entropy: class id -100 at target position [1,2] out of range [0,4)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::cross_entropy(logits, tape.constant(ids(Shape{2, 4}, std::vector<int64_t>(8))))),
            "cross_entropy: logits [2,3,4] vs target [2,4]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::cross_entropy(logits, tape.constant(ids(Shape{2, 3, 4}, std::vector<int64_t>(24))))),
            "cross_entropy: logits [2,3,4] vs target [2,3,4]");
}

TEST(Losses, ShapeErrors) {
  Tape tape;
  Var logits = tape.constant(Tensor(Shape{2, 2}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::cross_entropy(logits, tape.constant(Tensor(Shape{3})))),
            "cross_entropy: logits [2,2] vs target [3]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::cross_entropy(logits, tape.constant(Tensor::vector({2, 0})))),
            "cross_entropy: target 2 at row 0 is not a class index in [0,2)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::mse(tape.constant(Tensor(Shape{3})), tape.constant(Tensor(Shape{2})))),
            "mse: pred [3] vs target [2]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::bce(tape.constant(Tensor(Shape{2, 3})), tape.constant(Tensor(Shape{3, 2})))),
            "bce: pred [2,3] vs target [3,2]");
}

}  // namespace
}  // namespace gradlab
