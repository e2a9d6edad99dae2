// detail::gemm_eigen_order against Eigen itself, bit for bit: every shape of the Eigen tier it takes
// must round exactly as Eigen does (the course's golden numbers were made with Eigen's kernels).
// The sweep crosses each of Eigen's paths: 3-, 2- and 1-width panels (the last with its even/odd
// split), groups of 4 rows and single rows, k below, at and above a multiple of 8, and k long
// enough to be cut into blocks (which the kernel must decline).
#include "autograd/gemm_eigen_order.hpp"

#include <Eigen/Core>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "autograd/gemm.hpp"
#include "autograd/rng.hpp"

namespace gradlab {
namespace {

template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class T>
std::vector<T> random_values(int64_t count, Rng& rng) {
  std::vector<T> v(static_cast<size_t>(count));
  for (T& x : v) x = static_cast<T>(rng.uniform(-1, 1));
  return v;
}

// C += op(A) op(B) by Eigen, as gemm_acc's Eigen tier writes it.
template <class T>
std::vector<T> eigen_product(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const std::vector<T>& A,
                             const std::vector<T>& B, std::vector<T> C) {
  Eigen::Map<const RowMat<T>> a(A.data(), ta ? k : m, ta ? m : k);
  Eigen::Map<const RowMat<T>> b(B.data(), tb ? n : k, tb ? k : n);
  Eigen::Map<RowMat<T>> c(C.data(), m, n);
  if (ta && tb) c.noalias() += a.transpose() * b.transpose();
  else if (ta) c.noalias() += a.transpose() * b;
  else if (tb) c.noalias() += a * b.transpose();
  else c.noalias() += a * b;
  return C;
}

struct Sweep {
  int taken = 0, declined = 0;
};

// What the kernel adds the product to, in turn from shape to shape: C itself, one bias row
// repeated (ldc_in = 0), or zeros (a null c_in).
enum class Into { accumulate, bias_row, zeros };

template <class T>
Sweep compare_with_eigen() {
  Rng rng(5);
  Sweep s;
  int shape = 0;
  for (int t = 0; t < 4; ++t)
    for (const int64_t m : {2, 3, 4, 5, 8, 13, 32})
      for (int64_t n = 2; n <= 100; ++n)
        for (const int64_t k : {1, 2, 7, 8, 9, 16, 17, 33, 100, 377, 1000}) {
          const int64_t macs = m * n * k;
          if (macs < 8 * 8 * 8 || macs >= 64 * 64 * 64) continue;  // gemm_acc's Eigen tier
          const bool ta = t & 1, tb = t & 2;
          const auto A = random_values<T>(m * k, rng), B = random_values<T>(k * n, rng);
          const auto C0 = random_values<T>(m * n, rng), bias = random_values<T>(n, rng);
          const auto into = static_cast<Into>(shape++ % 3);
          std::vector<T> got = C0, start = C0;  // start: C as Eigen finds it
          const T* c_in = got.data();
          int64_t ldc_in = n;
          if (into == Into::bias_row) {
            c_in = bias.data(), ldc_in = 0;
            for (int64_t i = 0; i < m; ++i) std::copy(bias.begin(), bias.end(), start.begin() + i * n);
          } else if (into == Into::zeros) {
            c_in = nullptr, ldc_in = 0;
            std::fill(start.begin(), start.end(), T(0));
          }
          if (!detail::gemm_eigen_order(ta, tb, m, n, k, A.data(), B.data(), c_in, ldc_in, got.data())) {
            ++s.declined;
            EXPECT_EQ(got, C0) << "a declined shape must leave C alone";
            continue;
          }
          ++s.taken;
          const auto want = eigen_product(ta, tb, m, n, k, A, B, start);
          EXPECT_EQ(std::memcmp(got.data(), want.data(), want.size() * sizeof(T)), 0)
              << m << "x" << n << "x" << k << " ta=" << ta << " tb=" << tb << " into=" << static_cast<int>(into);
          if (::testing::Test::HasFailure()) return s;
        }
  return s;
}

#if defined(__AVX2__) && defined(__FMA__)
// Both ways where the CPU has AVX-512: its plain panels in 512-bit registers, and the AVX2 tiles
// alone (what a CPU without it runs).
class GemmEigenOrderIsa : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (!detail::set_avx512_enabled(GetParam()) && GetParam()) GTEST_SKIP() << "this CPU has no AVX-512F";
  }
  void TearDown() override { detail::set_avx512_enabled(true); }
};

TEST_P(GemmEigenOrderIsa, RoundsEveryShapeItTakesExactlyAsEigen) {
  const Sweep d = compare_with_eigen<double>();
  const Sweep f = compare_with_eigen<float>();
  // n must be a multiple of the SIMD width (4 doubles, 8 floats): about a quarter and an eighth.
  EXPECT_GT(d.taken, 1000);
  EXPECT_GT(f.taken, 500);
  EXPECT_GT(d.declined, 0);
}
INSTANTIATE_TEST_SUITE_P(Avx512, GemmEigenOrderIsa, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "Used" : "Off"; });

TEST(GemmEigenOrder, TakesTheDeepNetsProductsAndDeclinesVectorsAndBlockedK) {
  std::vector<double> A(64 * 1000, 0.5), B(64 * 1000, 0.25), C(64 * 64, 0.0);
  for (int t = 0; t < 4; ++t)
    EXPECT_TRUE(detail::gemm_eigen_order(t & 1, t & 2, 32, 32, 32, A.data(), B.data(), C.data(), 32, C.data())) << t;
  const double *a = A.data(), *b = B.data();
  double* c = C.data();
  EXPECT_FALSE(detail::gemm_eigen_order(false, false, 1, 32, 32, a, b, c, 32, c));   // a GEMV
  EXPECT_FALSE(detail::gemm_eigen_order(false, false, 32, 9, 32, a, b, c, 9, c));    // 9 % 4
  EXPECT_FALSE(detail::gemm_eigen_order(false, false, 4, 8, 1000, a, b, c, 8, c));   // k blocks
}
#endif

// gemm_acc's Eigen tier goes through the kernel and still equals Eigen bit for bit.
TEST(GemmEigenOrder, GemmAccsEigenTierEqualsEigen) {
  Rng rng(9);
  const int64_t m = 13, n = 28, k = 17;  // panels of 12, 12 and 4 columns; 3 groups of 4 rows and 1
  for (int t = 0; t < 4; ++t) {
    const bool ta = t & 1, tb = t & 2;
    const auto A = random_values<double>(m * k, rng), B = random_values<double>(k * n, rng);
    const auto C0 = random_values<double>(m * n, rng);
    std::vector<double> got = C0;
    detail::gemm_acc(ta, tb, m, n, k, A.data(), B.data(), got.data());
    const auto want = eigen_product(ta, tb, m, n, k, A, B, C0);
    EXPECT_EQ(std::memcmp(got.data(), want.data(), want.size() * sizeof(double)), 0) << "ta=" << ta << " tb=" << tb;
  }
}

}  // namespace
}  // namespace gradlab
