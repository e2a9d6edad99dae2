// Shape ops: reshape (with -1), broadcast_to, slice, concat, flatten; values, gradients, errors.
#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

struct ShapeOps : ::testing::Test {
  Tape tape;
  Parameter a{"a", Tensor::matrix({{1, 2, 3}, {4, 5, 6}})};
};

TEST_F(ShapeOps, ReshapeInfersOneDimension) {
  Var r = ops::reshape(tape.param(a), {-1, 2});
  EXPECT_EQ(r.shape().str(), "[3,2]");
  expect_near_all(r.value(), {1, 2, 3, 4, 5, 6});
  Var w = tape.constant(Tensor::matrix({{1, 2}, {3, 4}, {5, 6}}));
  tape.backward(ops::sum(ops::mul(r, w)));
  expect_near_all(a.grad, {1, 2, 3, 4, 5, 6});  // same element order
}

TEST_F(ShapeOps, ReshapeErrors) {
  Var x = tape.param(a);
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::reshape(x, Shape{4})), "reshape: input [2,3] vs shape [4]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::reshape(x, {-1, 4})),
            "reshape: input [2,3] vs shape [-1,4]");
}

TEST_F(ShapeOps, FlattenKeepsTheBatchAxis) {
  Var f = ops::flatten(tape.constant(Tensor(Shape{2, 2, 3})));
  EXPECT_EQ(f.shape().str(), "[2,6]");
}

TEST_F(ShapeOps, BroadcastToSumsTheStretchedAxesBackward) {
  Parameter row("row", Tensor::vector({1, 2, 3}));
  Var b = ops::broadcast_to(tape.param(row), Shape{2, 3});
  expect_near_all(b.value(), {1, 2, 3, 1, 2, 3});
  Var w = tape.constant(Tensor::matrix({{1, 2, 3}, {10, 20, 30}}));
  tape.backward(ops::sum(ops::mul(b, w)));
  expect_near_all(row.grad, {11, 22, 33});
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::broadcast_to(tape.param(row), Shape{2, 4})),
            "broadcast_to: input [3] vs shape [2,4]");
}

TEST_F(ShapeOps, SliceAlongAnAxis) {
  Var s = ops::slice(tape.param(a), 1, 1, 3);
  EXPECT_EQ(s.shape().str(), "[2,2]");
  expect_near_all(s.value(), {2, 3, 5, 6});
  tape.backward(ops::sum(s));
  expect_near_all(a.grad, {0, 1, 1, 0, 1, 1});
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::slice(tape.constant(a.value), 0, 1, 3)),
            "slice: range [1,3) out of bounds for axis 0 of [2,3]");
}

TEST_F(ShapeOps, ConcatThreePartsAlongEachAxis) {
  Parameter b("b", Tensor::matrix({{7, 8, 9}})), c("c", Tensor::matrix({{0, 0, 1}}));
  std::vector<Var> rows{tape.param(a), tape.param(b), tape.param(c)};
  Var cat0 = ops::concat(rows, 0);
  EXPECT_EQ(cat0.shape().str(), "[4,3]");
  expect_near_all(cat0.value(), {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 1});
  Tensor w(Shape{4, 3});
  for (int k = 0; k < 12; ++k) w[k] = k;
  tape.backward(ops::sum(ops::mul(cat0, tape.constant(w))));
  expect_near_all(a.grad, {0, 1, 2, 3, 4, 5});
  expect_near_all(b.grad, {6, 7, 8});
  expect_near_all(c.grad, {9, 10, 11});

  tape.reset();
  Parameter d("d", Tensor::matrix({{-1}, {-2}}));
  std::vector<Var> cols{tape.param(d), tape.param(a)};
  Var cat1 = ops::concat(cols, -1);
  expect_near_all(cat1.value(), {-1, 1, 2, 3, -2, 4, 5, 6});
}

TEST_F(ShapeOps, ConcatMismatchNamesBothShapes) {
  std::vector<Var> parts{tape.constant(Tensor(Shape{2, 3})), tape.constant(Tensor(Shape{2, 4}))};
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::concat(parts, 0)), "concat: part 0 [2,3] vs part 1 [2,4] along axis 0");
}

TEST_F(ShapeOps, ConcatOfManyPartsIsOneNode) {
  std::vector<Var> parts;
  std::vector<Parameter> ps;
  ps.reserve(5);
  for (int k = 0; k < 5; ++k) ps.emplace_back("p", Tensor::matrix({{double(k)}, {double(10 + k)}}));
  for (Parameter& p : ps) parts.push_back(tape.param(p));
  Var c = ops::concat(parts, 1);
  EXPECT_EQ(c.shape().str(), "[2,5]");
  expect_near_all(c.value(), {0, 1, 2, 3, 4, 10, 11, 12, 13, 14});
  EXPECT_EQ(tape.size(), 6u);  // five leaves and one concat node with five inputs
  EXPECT_EQ(c.node().num_inputs(), 5);
  Tensor w(Shape{2, 5});
  for (int64_t k = 0; k < 10; ++k) w[k] = static_cast<double>(k);
  tape.backward(ops::sum(ops::mul(c, tape.constant(w))));
  for (int k = 0; k < 5; ++k) expect_near_all(ps[static_cast<size_t>(k)].grad, {double(k), double(5 + k)});
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::concat(std::vector<Var>{parts[0], parts[1], tape.constant(a.value)}, 0)),
            "concat: part 0 [2,1] vs part 2 [2,3] along axis 0");
}

TEST_F(ShapeOps, StackAddsAnAxis) {
  Parameter b("b", Tensor::matrix({{7, 8, 9}, {10, 11, 12}}));
  const Var parts[] = {tape.param(a), tape.param(b)};
  Var s = ops::stack(parts, 1);
  EXPECT_EQ(s.shape().str(), "[2,2,3]");
  expect_near_all(s.value(), {1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12});
  EXPECT_EQ(ops::stack(parts, 0).shape().str(), "[2,2,3]");
  EXPECT_EQ(ops::stack(parts, -1).shape().str(), "[2,3,2]");
  tape.backward(ops::sum(ops::mul(s, tape.constant(Tensor(Shape{2, 2, 3}, std::vector<double>{
                                                     1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4})))));
  expect_near_all(a.grad, {1, 1, 1, 3, 3, 3});
  expect_near_all(b.grad, {2, 2, 2, 4, 4, 4});
  const Var bad[] = {parts[0], tape.constant(Tensor(Shape{3, 2}))};
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::stack(bad, 0)), "stack: part 0 [2,3] vs part 1 [3,2]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::stack(parts, 3)), "stack: axis 3 out of range for parts [2,3]");
}

// split is one op with several outputs: one node each, the first carrying the backward rule.
TEST_F(ShapeOps, SplitHasOneNodePerOutputAndOneRule) {
  std::array<Var, 2> out;
  const int64_t sizes[] = {1, 2};
  ops::split(tape.param(a), 1, sizes, out);
  expect_near_all(out[0].value(), {1, 4});
  expect_near_all(out[1].value(), {2, 3, 5, 6});
  EXPECT_EQ(out[1].id(), out[0].id() + 1);
  EXPECT_EQ(out[0].node().num_outputs, 2);
  EXPECT_EQ(out[1].node().output, 1);
  EXPECT_EQ(out[1].node().backward, nullptr);  // the leader's rule moves both gradients
  Var loss = ops::add(ops::sum(ops::mul_scalar(out[0], 10)), ops::sum(out[1]));
  tape.backward(loss);
  expect_near_all(a.grad, {10, 1, 1, 10, 1, 1});
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::split(tape.param(a), 1, std::span<const int64_t>(sizes, 1),
                                                      std::span<Var>(out.data(), 1))),
            "split: input [2,3] axis 1 vs 1 sizes summing to 1 (1 outputs, at most 16)");
}

}  // namespace
}  // namespace gradlab
