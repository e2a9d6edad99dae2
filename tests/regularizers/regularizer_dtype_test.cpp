// Regularizers on float32 parameters: the max_norm constraint and each penalty (value and
// gradient) agree with float64 on the same weights to float32's precision.
#include <gtest/gtest.h>

#include <cmath>

#include "autograd/rng.hpp"
#include "tests/regularizers/regularizer_test_util.hpp"

namespace gradlab {
namespace {

Tensor weights(Rng& rng) {
  Tensor t(Shape{4, 3});
  for (double& v : t.span()) v = 2 * rng.normal();
  return t;
}

TEST(RegularizerDtype, MaxNormRescalesFloat32RowsAsFloat64) {
  Rng rng(9);
  const Tensor w0 = weights(rng);
  auto reg = test::make_regularizer("{type: max_norm, max: 1.5}");
  Parameter w64("weight", w0), w32("weight", w0.to(DType::float32));
  std::vector<Parameter*> p64{&w64}, p32{&w32};
  reg->constrain(test::selected(*reg, p64));
  reg->constrain(test::selected(*reg, p32));
  ASSERT_EQ(w32.value.dtype(), DType::float32);
  int rescaled = 0;
  for (int64_t i = 0; i < w0.numel(); ++i) {
    EXPECT_NEAR(w32.value.get(i), w64.value.get(i), 1e-6 * std::abs(w64.value.get(i)) + 1e-7) << i;
    rescaled += w64.value.get(i) != w0.get(i);
  }
  EXPECT_GT(rescaled, 0);  // the check saw at least one row above the limit
}

TEST(RegularizerDtype, PenaltiesInFloat32AsInFloat64) {
  for (const char* yaml : {"{type: l1, lambda: 0.1}", "{type: l2, lambda: 0.1}",
                           "{type: elastic_net, l1: 0.05, l2: 0.2}"}) {
    SCOPED_TRACE(yaml);
    auto reg = test::make_regularizer(yaml);
    Rng rng(4);
    const Tensor w0 = weights(rng);
    Parameter w64("weight", w0), w32("weight", w0.to(DType::float32));
    auto penalty = [&](Parameter& w) {
      Tape tape;
      std::vector<Parameter*> params{&w};
      Var p = reg->penalty(tape, test::selected(*reg, params));
      tape.backward(p);
      return p.item();
    };
    const double v64 = penalty(w64);
    const double v32 = penalty(w32);
    EXPECT_NEAR(v32, v64, 1e-6 * v64);
    for (int64_t i = 0; i < w0.numel(); ++i)
      EXPECT_NEAR(w32.grad.get(i), w64.grad.get(i), 1e-6 * std::abs(w64.grad.get(i)) + 1e-7) << i;
  }
}

}  // namespace
}  // namespace gradlab
