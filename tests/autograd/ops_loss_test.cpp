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
