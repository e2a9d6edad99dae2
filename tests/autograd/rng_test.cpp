// Rng: reproducible streams, derived streams independent of each other, and the moments of
// uniform, normal and below().
#include <cmath>
#include <set>

#include "test_util.hpp"

namespace gradlab {
namespace {

TEST(Rng, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(42), b(42), c(43);
  for (int k = 0; k < 100; ++k) {
    const uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    EXPECT_NE(x, c.next());
  }
}

TEST(Rng, KnownFirstOutputForSeedZero) {
  // splitmix64(0) seeds xoshiro256**; this pins the stream so checkpoints stay reproducible.
  Rng r(0);
  const Rng::State s = r.state();
  EXPECT_EQ(s[0], 0xe220a8397b1dcdafULL);  // splitmix64's first output for seed 0
  Rng copy(7);
  copy.set_state(r.state());
  EXPECT_EQ(copy.next(), r.next());
}

TEST(Rng, DerivedStreamsDifferByPurposeAndAreReproducible) {
  const Rng base(5);
  Rng init = base.derive("init"), shuffle = base.derive("shuffle"), init2 = base.derive("init");
  const uint64_t x = init.next();
  EXPECT_EQ(x, init2.next());
  EXPECT_NE(x, shuffle.next());
  Rng other(6);
  EXPECT_NE(other.derive("init").next(), x);
}

TEST(Rng, UniformAndNormalMoments) {
  Rng r(9);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0, lo = 1, hi = 0;
  for (int k = 0; k < n; ++k) {
    const double u = r.uniform();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    su += u;
    const double z = r.normal(1.0, 2.0);
    sn += z;
    sn2 += z * z;
  }
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_NEAR(su / n, 0.5, 0.005);
  const double mean = sn / n, var = sn2 / n - mean * mean;
  EXPECT_NEAR(mean, 1.0, 0.02);
  EXPECT_NEAR(var, 4.0, 0.06);
  const double v = r.uniform(-3, -2);
  EXPECT_TRUE(v >= -3 && v < -2);
}

TEST(Rng, BelowCoversTheRangeUniformly) {
  Rng r(3);
  std::array<int, 7> counts{};
  for (int k = 0; k < 70000; ++k) {
    const int64_t v = r.below(7);
    ASSERT_TRUE(v >= 0 && v < 7);
    ++counts[static_cast<size_t>(v)];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);
  EXPECT_EQ(r.below(1), 0);
}

}  // namespace
}  // namespace gradlab
