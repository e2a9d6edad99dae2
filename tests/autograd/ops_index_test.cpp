// Integer indexing and masking: index_select (embedding lookup), gather, masked_fill; values,
// scatter-add gradients and the errors for bad indices and shapes.
#include <limits>

#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

TEST(Index, EmbeddingLookupAndScatterAdd) {
  Tape tape;
  Parameter w("w", Tensor::matrix({{0, 1}, {10, 11}, {20, 21}}));  // vocabulary 3, dim 2
  const int64_t ids[] = {2, 0, 2, 1};
  Var e = ops::index_select(tape.param(w), 0, ids, Shape{2, 2});
  EXPECT_EQ(e.shape().str(), "[2,2,2]");
  expect_near_all(e.value(), {20, 21, 0, 1, 20, 21, 10, 11});
  Tensor g(Shape{2, 2, 2});
  for (int64_t k = 0; k < 8; ++k) g[k] = static_cast<double>(k + 1);
  tape.backward(ops::sum(ops::mul(e, tape.constant(g))));
  expect_near_all(w.grad, {3, 4, 7, 8, 1 + 5, 2 + 6});  // row 2 was picked twice: both gradients
}

TEST(Index, IndexSelectAlongAMiddleAxis) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{2, 3, 2}, std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
  const int64_t ids[] = {2, 2, 0};
  Var y = ops::index_select(x, 1, ids);
  EXPECT_EQ(y.shape().str(), "[2,3,2]");
  expect_near_all(y.value(), {4, 5, 4, 5, 0, 1, 10, 11, 10, 11, 6, 7});
}

TEST(Index, GatherPicksOnePerPosition) {
  Tape tape;
  Parameter x("x", Tensor::matrix({{1, 2}, {3, 4}}));
  const int64_t ids[] = {1, 0, 0, 0};
  Var y = ops::gather(tape.param(x), 1, ids, Shape{2, 2});
  expect_near_all(y.value(), {2, 1, 3, 3});
  tape.backward(ops::sum(y));
  expect_near_all(x.grad, {1, 1, 2, 0});
  const int64_t rows[] = {1, 0};  // axis 0, one row of indices narrower than x
  expect_near_all(ops::gather(tape.constant(x.value), 0, rows, Shape{1, 2}).value(), {3, 2});
}

TEST(Index, OutOfRangeIndicesNameTheOpTheIndexAndTheRange) {
  Tape tape;
  Var w = tape.constant(Tensor(Shape{5, 4}));
  const int64_t bad[] = {0, 1, 2, 7};
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, ops::index_select(w, 0, bad)),
            "index_select: index 7 at position 3 out of range [0,5)");
  const int64_t negative[] = {-1};
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, ops::index_select(w, 1, negative)),
            "index_select: index -1 at position 0 out of range [0,4)");
  const int64_t g[] = {0, 4, 1, 1};
  EXPECT_EQ(GRADLAB_THROW_TEXT(IndexError, ops::gather(w, 1, g, Shape{2, 2})),
            "gather: index 4 at position 1 out of range [0,4)");
  EXPECT_EQ(tape.size(), 1u);  // nothing recorded by the failed ops
}

TEST(Index, ShapeErrors) {
  Tape tape;
  Var w = tape.constant(Tensor(Shape{5, 4}));
  const int64_t ids[] = {0, 1, 2};
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::index_select(w, 0, ids, Shape{2, 2})),
            "index_select: input [5,4] vs indices [2,2] (3 values)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::gather(w, 1, ids, Shape{3})),
            "gather: input [5,4] vs indices [3] (3 values) along axis 1");
  Var mask = tape.constant(Tensor(Shape{3}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::masked_fill(w, mask, 0)),
            "masked_fill: input [5,4] vs mask [3]");
}

TEST(Index, MaskedFillIsACausalMask) {
  Tape tape;
  Parameter s("scores", Tensor(Shape{2, 2, 2}, std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8}));
  Var causal = tape.constant(Tensor::matrix({{0, 1}, {0, 0}}));  // broadcast over the batch
  const double inf = std::numeric_limits<double>::infinity();
  Var y = ops::masked_fill(tape.param(s), causal, -inf);
  const Tensor v = y.value();
  EXPECT_EQ(v[1], -inf);
  EXPECT_EQ(v[5], -inf);
  expect_near_all(ops::softmax(y).value(), {1, 0, 0.2689414213699951, 0.7310585786300049,  //
                                            1, 0, 0.2689414213699951, 0.7310585786300049});
  tape.backward(ops::sum(ops::mul_scalar(ops::masked_fill(tape.param(s), causal, 0.0), 2.0)));
  expect_near_all(s.grad, {2, 0, 2, 2, 2, 0, 2, 2});  // no gradient through the filled cells
}

}  // namespace
}  // namespace gradlab
