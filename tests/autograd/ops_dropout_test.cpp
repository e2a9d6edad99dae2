// Inverted dropout: mask values 0 or 1/(1-p), the kept fraction, reproducibility from the seed.
#include "test_util.hpp"

namespace gradlab {
namespace {

TEST(Dropout, ScalesKeptUnitsAndPassesTheMaskAsGradient) {
  Tape tape;
  Parameter x("x", Tensor(Shape{100, 100}, 3.0));
  Rng rng(42);
  Var y = ops::dropout(tape.param(x), 0.25, rng);
  tape.backward(ops::sum(y));
  int64_t kept = 0;
  const Tensor v = y.value();
  for (int64_t k = 0; k < v.numel(); ++k) {
    ASSERT_TRUE(v[k] == 0 || v[k] == 4.0) << v[k];  // 3 / (1 - 0.25)
    EXPECT_DOUBLE_EQ(x.grad[k], v[k] / 3.0);
    kept += v[k] != 0;
  }
  EXPECT_NEAR(static_cast<double>(kept) / 10000, 0.75, 0.02);
}

TEST(Dropout, SameSeedSameMask) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{50}, 1.0));
  Rng r1(5), r2(5);
  const Tensor a = ops::dropout(x, 0.5, r1).value(), b = ops::dropout(x, 0.5, r2).value();
  for (int64_t k = 0; k < 50; ++k) EXPECT_EQ(a[k], b[k]);
}

TEST(Dropout, EdgeRates) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{4}, 1.0));
  Rng rng(1);
  EXPECT_EQ(ops::dropout(x, 0, rng).id(), x.id());  // p = 0: the input itself
  testing::expect_near_all(ops::dropout(x, 1, rng).value(), {0, 0, 0, 0});
  EXPECT_EQ(GRADLAB_THROW_TEXT(ShapeError, ops::dropout(x, 1.5, rng)), "dropout: p = 1.5 is not in [0,1]");
}

}  // namespace
}  // namespace gradlab
