// all_finite (autograd/finite.hpp), the check behind check_numerics: every position of every
// length across its vector lanes and its scalar tail, with every kind of non-finite number; the
// same for the exponent-bit test that replaces it under -ffinite-math-only.
#include "autograd/finite.hpp"

#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace gradlab {
namespace {

// The exponent-bit test that -ffinite-math-only builds use instead.
bool bits_finite(const double* x, int64_t n) { return all_finite_bits<double, uint64_t, 0x7ff0000000000000ull>(x, n); }
bool bits_finite(const float* x, int64_t n) { return all_finite_bits<float, uint32_t, 0x7f800000u>(x, n); }

template <class T>
void expect_every_position_found() {
  using L = std::numeric_limits<T>;
  const T finite[] = {T(-0.0), T(0), L::max(), L::lowest(), L::denorm_min(), L::min(), T(1.5)};
  const T bad[] = {L::infinity(), -L::infinity(), L::quiet_NaN(), -L::quiet_NaN()};
  for (int64_t n = 1; n <= 100; ++n) {
    for (T fill : finite) {
      std::vector<T> x(static_cast<size_t>(n), fill);
      ASSERT_TRUE(all_finite(x.data(), n)) << "n " << n << " fill " << fill;
      ASSERT_TRUE(bits_finite(x.data(), n)) << "n " << n << " fill " << fill;
      for (int64_t k = 0; k < n; ++k)
        for (T b : bad) {
          x[static_cast<size_t>(k)] = b;
          ASSERT_FALSE(all_finite(x.data(), n)) << "n " << n << ", " << b << " at " << k;
          ASSERT_FALSE(bits_finite(x.data(), n)) << "n " << n << ", " << b << " at " << k;
          x[static_cast<size_t>(k)] = fill;
        }
    }
  }
  EXPECT_TRUE(all_finite(static_cast<const T*>(nullptr), 0));
}

TEST(Finite, FindsEveryInfAndNanAtEveryPositionInDouble) { expect_every_position_found<double>(); }
TEST(Finite, FindsEveryInfAndNanAtEveryPositionInFloat) { expect_every_position_found<float>(); }

TEST(Finite, IntegersAreAlwaysFinite) {
  const int64_t ids[] = {0, -1, std::numeric_limits<int64_t>::max()};
  EXPECT_TRUE(all_finite(DType::int64, ids, 3));
}

}  // namespace
}  // namespace gradlab
