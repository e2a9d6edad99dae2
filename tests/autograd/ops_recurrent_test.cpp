// The fused GRU step against the same step composed of primitives (PyTorch's nn.GRU cell), in
// float64 and float32: values and the gradients of all four inputs.
#include <array>
#include <vector>

#include "test_util.hpp"

namespace gradlab {
namespace {

// The cell as gru.cpp composed it before the fused op: split, linear, sigmoid, tanh, mul, add.
Var composed_gru(Var x_proj, Var h, Var w_hh, Var b_hh) {
  const int64_t units = h.shape()[1];
  std::array<Var, 3> xs, hs;
  const int64_t sizes[3] = {units, units, units};
  ops::split(x_proj, 1, sizes, xs);
  ops::split(ops::linear(h, w_hh, b_hh), 1, sizes, hs);
  Var r = ops::sigmoid(xs[0] + hs[0]), z = ops::sigmoid(xs[1] + hs[1]);
  Var n = ops::tanh(xs[2] + r * hs[2]);
  return n + z * (h - n);
}

struct Step {
  Tensor y;
  std::array<Tensor, 4> grads;
};

Var fused_gru(Var x_proj, Var h, Var w_hh, Var b_hh) { return ops::gru_cell(x_proj, h, w_hh, b_hh); }

// One step of `cell` from fixed inputs in `dtype`; the loss weighs every output differently.
// NB: 11 units in float32 take one 8-wide SIMD block of the gates and a 3-unit scalar tail.
template <class Cell>
Step run(Cell cell, DType dtype, int64_t units = 4) {
  const int64_t n = 3;
  Rng rng(11);
  auto random = [&](Shape s, double scale) {
    Tensor t(s);
    for (int64_t k = 0; k < t.numel(); ++k) t[k] = scale * rng.uniform(-1, 1);
    return t.to(dtype);
  };
  std::array<Parameter, 4> p{Parameter("x", random(Shape{n, 3 * units}, 2)), Parameter("h", random(Shape{n, units}, 1)),
                             Parameter("w", random(Shape{3 * units, units}, 1)), Parameter("b", random(Shape{3 * units}, 1))};
  Tape tape;
  Var y = cell(tape.param(p[0]), tape.param(p[1]), tape.param(p[2]), tape.param(p[3]));
  tape.backward(ops::sum(y * tape.constant(random(y.shape(), 1))));
  Step s{y.value().to(DType::float64), {}};
  for (size_t k = 0; k < 4; ++k) s.grads[k] = p[k].grad.to(DType::float64);
  return s;
}

void expect_same_step(const Step& got, const Step& want, double tol) {
  auto values = [](const Tensor& t) { return std::vector<double>(t.span().begin(), t.span().end()); };
  testing::expect_near_all(got.y, values(want.y), tol);
  for (size_t k = 0; k < 4; ++k) testing::expect_near_all(got.grads[k], values(want.grads[k]), tol);
}

TEST(GruCell, EqualsTheComposedCellInFloat64) {
  expect_same_step(run(fused_gru, DType::float64), run(composed_gru, DType::float64), 1e-14);
  expect_same_step(run(fused_gru, DType::float64, 11), run(composed_gru, DType::float64, 11), 1e-14);
}

TEST(GruCell, Float32AgreesWithFloat64) {
  expect_same_step(run(fused_gru, DType::float32), run(fused_gru, DType::float64), 1e-5);
  expect_same_step(run(fused_gru, DType::float32, 11), run(fused_gru, DType::float64, 11), 1e-5);
  expect_same_step(run(fused_gru, DType::float32, 11), run(composed_gru, DType::float32, 11), 1e-5);
}

// Step t of a [T, N, 3H] projection read in place equals the step's rows given as [N, 3H]; the
// projection's gradient is that step's rows' gradient and zero elsewhere.
TEST(GruCell, ReadsOneStepOfEveryStepsProjectionInPlace) {
  for (DType dtype : {DType::float64, DType::float32}) {
    const int64_t steps = 3, n = 2, units = 9, t = 1, rows = n * 3 * units;
    Rng rng(5);
    Tensor all(Shape{steps, n, 3 * units});
    for (int64_t k = 0; k < all.numel(); ++k) all[k] = rng.uniform(-2, 2);
    Tensor one(Shape{n, 3 * units});
    for (int64_t k = 0; k < rows; ++k) one[k] = all[t * rows + k];
    Tensor h0(Shape{n, units}), w(Shape{3 * units, units}), b(Shape{3 * units});
    for (Tensor* p : {&h0, &w, &b})
      for (int64_t k = 0; k < p->numel(); ++k) (*p)[k] = rng.uniform(-1, 1);
    Parameter pa("all", all.to(dtype)), po("one", one.to(dtype));
    Tape tape;
    const Var h = tape.constant(h0.to(dtype)), wv = tape.constant(w.to(dtype)), bv = tape.constant(b.to(dtype));
    Var ya = ops::gru_cell(tape.param(pa), h, wv, bv, t), yo = ops::gru_cell(tape.param(po), h, wv, bv);
    tape.backward(ops::sum(ya * ya) + ops::sum(yo * yo));
    const Tensor ga = pa.grad.to(DType::float64), go = po.grad.to(DType::float64);
    const Tensor va = ya.value().to(DType::float64), vo = yo.value().to(DType::float64);
    for (int64_t k = 0; k < va.numel(); ++k) EXPECT_EQ(va[k], vo[k]);
    for (int64_t k = 0; k < ga.numel(); ++k)
      EXPECT_EQ(ga[k], k / rows == t ? go[k % rows] : 0.0) << "element " << k;
  }
}

TEST(GruCell, ShapesThatDoNotFitAreNamed) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{2, 9})), h = tape.constant(Tensor(Shape{2, 3}));
  Var w = tape.constant(Tensor(Shape{9, 2})), b = tape.constant(Tensor(Shape{9}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::gru_cell(x, h, w, b)),
            "gru_cell: x_proj [2,9] (step 0) h [2,3] weight_hh [9,2] bias_hh [9] (want [N,3H] at step 0 or "
            "[T,N,3H] at a step in [0, T), [N,H] [3H,H] [3H])");
  Var all = tape.constant(Tensor(Shape{4, 2, 9}));
  w = tape.constant(Tensor(Shape{9, 3}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::gru_cell(all, h, w, b, 4)),
            "gru_cell: x_proj [4,2,9] (step 4) h [2,3] weight_hh [9,3] bias_hh [9] (want [N,3H] at step 0 or "
            "[T,N,3H] at a step in [0, T), [N,H] [3H,H] [3H])");
}

}  // namespace
}  // namespace gradlab
