// matmul, transpose and the fused linear op: hand-computed products, Eigen path against a naive
// triple loop, and the shape errors.
#include "test_util.hpp"

namespace gradlab {
namespace {

using testing::expect_near_all;

TEST(Linalg, MatmulAndItsGradients) {
  Tape tape;
  Parameter a("a", Tensor::matrix({{1, 2}, {3, 4}})), b("b", Tensor::matrix({{5, 6}, {7, 8}}));
  Var y = ops::matmul(tape.param(a), tape.param(b));
  expect_near_all(y.value(), {19, 22, 43, 50});
  tape.backward(ops::sum(y));
  expect_near_all(a.grad, {11, 15, 11, 15});  // G B^T: row sums of B
  expect_near_all(b.grad, {4, 4, 6, 6});      // A^T G: column sums of A
}

// Sizes past the small-matrix threshold go through Eigen; check it against plain loops.
TEST(Linalg, LargeMatmulMatchesNaiveLoops) {
  Tape tape;
  Rng rng(7);
  const int64_t m = 20, k = 30, n = 10;
  Tensor a(Shape{m, k}), b(Shape{k, n}), g(Shape{m, n});
  for (auto* t : {&a, &b, &g})
    for (int64_t e = 0; e < t->numel(); ++e) (*t)[e] = rng.uniform(-1, 1);
  Parameter pa("a", a), pb("b", b);
  Var y = ops::matmul(tape.param(pa), tape.param(pb));
  tape.backward(ops::sum(ops::mul(y, tape.constant(g))));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double want = 0;
      for (int64_t p = 0; p < k; ++p) want += a.at(i, p) * b.at(p, j);
      EXPECT_NEAR(y.value().at(i, j), want, 1e-12);
    }
  for (int64_t p = 0; p < k; ++p)
    for (int64_t j = 0; j < n; ++j) {
      double want = 0;  // (A^T G)[p, j]
      for (int64_t i = 0; i < m; ++i) want += a.at(i, p) * g.at(i, j);
      EXPECT_NEAR(pb.grad.at(p, j), want, 1e-12);
    }
}

TEST(Linalg, Transpose) {
  Tape tape;
  Parameter a("a", Tensor::matrix({{1, 2, 3}, {4, 5, 6}}));
  Var t = ops::transpose(tape.param(a));
  EXPECT_EQ(t.shape().str(), "[3,2]");
  expect_near_all(t.value(), {1, 4, 2, 5, 3, 6});
  tape.backward(ops::sum(ops::mul(t, tape.constant(Tensor::matrix({{1, 2}, {3, 4}, {5, 6}})))));
  expect_near_all(a.grad, {1, 3, 5, 2, 4, 6});
}

TEST(Linalg, LinearIsXTimesWTransposedPlusB) {
  Tape tape;
  Parameter x("x", Tensor::matrix({{1, 2}})), w("w", Tensor::matrix({{1, 0}, {0, 1}, {1, 1}})),
      b("b", Tensor::vector({0.5, 0, -1}));
  Var y = ops::linear(tape.param(x), tape.param(w), tape.param(b));
  EXPECT_EQ(y.shape().str(), "[1,3]");
  expect_near_all(y.value(), {1.5, 2, 2});
  tape.backward(ops::sum(y));
  expect_near_all(x.grad, {2, 2});                // sum of W's rows
  expect_near_all(w.grad, {1, 2, 1, 2, 1, 2});    // G^T x
  expect_near_all(b.grad, {1, 1, 1});
  EXPECT_EQ(tape.node(y.id()).num_inputs(), 3);     // one fused node
}

TEST(Linalg, LinearWithoutBiasAndOnAVector) {
  Tape tape;
  Var w = tape.constant(Tensor::matrix({{1, 0}, {0, 1}, {1, 1}}));
  Var y = ops::linear(tape.constant(Tensor::vector({3, 4})), w, Var{});
  EXPECT_EQ(y.shape().str(), "[3]");
  expect_near_all(y.value(), {3, 4, 7});
}

TEST(Linalg, ShapeErrorsNameTheOpAndBothShapes) {
  Tape tape;
  Var a = tape.constant(Tensor(Shape{3, 4})), b = tape.constant(Tensor(Shape{5, 2}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::matmul(a, b)), "matmul: lhs [3,4] vs rhs [5,2]");
  Var x = tape.constant(Tensor(Shape{1, 3})), w = tape.constant(Tensor(Shape{3, 2}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::linear(x, w, Var{})), "linear: input [1,3] vs weight [3,2]");
  Var x2 = tape.constant(Tensor(Shape{1, 2})), bias = tape.constant(Tensor(Shape{2}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::linear(x2, w, bias)), "linear: bias [2] vs weight [3,2]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::transpose(bias)), "transpose: input [2] is not a matrix");
}

// Batched products against one rank-2 matmul per batch, on the same tape.
TEST(Linalg, BatchedMatmulIsOneProductPerBatchWithBroadcasting) {
  Rng rng(5);
  auto rand = [&](const Shape& s) {
    Tensor t(s);
    for (int64_t k = 0; k < t.numel(); ++k) t[k] = rng.uniform(-1, 1);
    return t;
  };
  Tape tape;
  Parameter a("a", rand(Shape{2, 1, 3, 4})), b("b", rand(Shape{3, 4, 2}));
  Var y = ops::matmul(tape.param(a), tape.param(b));
  ASSERT_EQ(y.shape().str(), "[2,3,3,2]");
  const Tensor v = y.value();
  tape.backward(ops::sum(y));
  const Tensor ga = a.grad, gb = b.grad;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {  // a's batch i stretched over j, b's batch j over i
      Tape t;
      Var ai = ops::reshape(ops::slice(t.constant(a.value), 0, i, i + 1), Shape{3, 4});
      Var bj = ops::reshape(ops::slice(t.constant(b.value), 0, j, j + 1), Shape{4, 2});
      const Tensor want = ops::matmul(ai, bj).value();
      for (int64_t k = 0; k < 6; ++k) EXPECT_NEAR(v[(i * 3 + j) * 6 + k], want[k], 1e-14);
    }
  // d sum / d a[i,0,r,c] = sum over b's 3 batches of row sums of b_j[c,:]; likewise for b.
  for (int i = 0; i < 2; ++i)
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) {
        double want = 0;
        for (int j = 0; j < 3; ++j) want += b.value[(j * 4 + c) * 2] + b.value[(j * 4 + c) * 2 + 1];
        EXPECT_NEAR(ga[(i * 3 + r) * 4 + c], want, 1e-14);
      }
  for (int j = 0; j < 3; ++j)
    for (int c = 0; c < 4; ++c) {
      double want = 0;
      for (int i = 0; i < 2; ++i)
        for (int r = 0; r < 3; ++r) want += a.value[(i * 3 + r) * 4 + c];
      EXPECT_NEAR(gb[(j * 4 + c) * 2], want, 1e-14);
      EXPECT_NEAR(gb[(j * 4 + c) * 2 + 1], want, 1e-14);
    }
}

TEST(Linalg, BatchedMatmulErrors) {
  Tape tape;
  Var a = tape.constant(Tensor(Shape{2, 3, 4})), b = tape.constant(Tensor(Shape{3, 4, 5}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::matmul(a, b)),
            "matmul: lhs [2,3,4] vs rhs [3,4,5]: batch dims [2] vs [3]");
  Var c = tape.constant(Tensor(Shape{2, 5, 4}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::matmul(a, c)), "matmul: lhs [2,3,4] vs rhs [2,5,4]");
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::matmul(a, tape.constant(Tensor(Shape{4})))),
            "matmul: lhs [2,3,4] vs rhs [4]");
}

TEST(Linalg, LinearOverTheLastAxisOfAnyRank) {
  Tape tape;
  Parameter x("x", Tensor(Shape{2, 1, 2}, std::vector<double>{1, 2, 3, 4}));
  Var w = tape.constant(Tensor::matrix({{1, 0}, {0, 1}, {1, 1}}));
  Var y = ops::linear(tape.param(x), w, tape.constant(Tensor::vector({0.5, 0, -1})));
  EXPECT_EQ(y.shape().str(), "[2,1,3]");
  expect_near_all(y.value(), {1.5, 2, 2, 3.5, 4, 6});
  tape.backward(ops::sum(y));
  expect_near_all(x.grad, {2, 2, 2, 2});
}

}  // namespace
}  // namespace gradlab
