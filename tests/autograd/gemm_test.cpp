// detail::gemm_acc against a plain triple loop, in every transposition and every size tier
// (loops, Eigen, OpenBLAS, parallel panels), and bit-identical on 1 and 2 threads; the float
// (sgemm) path against the double one on the same inputs, and bit-identical on 1 and 2 threads.
#include "autograd/gemm.hpp"

#include <Eigen/Core>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

#include "autograd/rng.hpp"
#include "autograd/threads.hpp"

namespace gradlab {
namespace {

struct Case {
  int64_t m, n, k;
};

std::vector<double> random_values(int64_t count, Rng& rng) {
  std::vector<double> v(static_cast<size_t>(count));
  for (double& x : v) x = rng.uniform(-1, 1);
  return v;
}

// C[i,j] += sum_p op(A)[i,p] op(B)[p,j], the definition, in long double.
std::vector<double> reference(bool ta, bool tb, const Case& c, const std::vector<double>& A,
                              const std::vector<double>& B, std::vector<double> C) {
  for (int64_t i = 0; i < c.m; ++i)
    for (int64_t j = 0; j < c.n; ++j) {
      long double acc = C[static_cast<size_t>(i * c.n + j)];
      for (int64_t p = 0; p < c.k; ++p) {
        const double a = ta ? A[static_cast<size_t>(p * c.m + i)] : A[static_cast<size_t>(i * c.k + p)];
        const double b = tb ? B[static_cast<size_t>(j * c.k + p)] : B[static_cast<size_t>(p * c.n + j)];
        acc += static_cast<long double>(a) * b;
      }
      C[static_cast<size_t>(i * c.n + j)] = static_cast<double>(acc);
    }
  return C;
}

template <class T>
std::vector<T> run(bool ta, bool tb, const Case& c, const std::vector<T>& A, const std::vector<T>& B,
                   std::vector<T> C) {
  detail::gemm_acc(ta, tb, c.m, c.n, c.k, A.data(), B.data(), C.data());
  return C;
}

// Random floats, and the same values as doubles (exact: every float is a double).
struct FloatInputs {
  std::vector<float> f;
  std::vector<double> d;
};
FloatInputs random_floats(int64_t count, Rng& rng) {
  FloatInputs v;
  for (int64_t e = 0; e < count; ++e) {
    v.f.push_back(static_cast<float>(rng.uniform(-1, 1)));
    v.d.push_back(static_cast<double>(v.f.back()));
  }
  return v;
}

// |C0| + sum_p |op(A)[i,p] op(B)[p,j]| for every element: the scale of float32's rounding error.
std::vector<double> magnitude(bool ta, bool tb, const Case& c, const std::vector<double>& A,
                              const std::vector<double>& B, const std::vector<double>& C) {
  std::vector<double> abs_a(A.size()), abs_b(B.size()), abs_c(C.size());
  for (size_t e = 0; e < A.size(); ++e) abs_a[e] = std::fabs(A[e]);
  for (size_t e = 0; e < B.size(); ++e) abs_b[e] = std::fabs(B[e]);
  for (size_t e = 0; e < C.size(); ++e) abs_c[e] = std::fabs(C[e]);
  return reference(ta, tb, c, abs_a, abs_b, abs_c);
}

// 3x4x2: loops; 12x10x9: Eigen; 70x65x66: OpenBLAS; 150x130x70: two parallel panels along m;
// 40x200x140: two panels along n.
const Case kCases[] = {{3, 4, 2}, {12, 10, 9}, {70, 65, 66}, {150, 130, 70}, {40, 200, 140}};

TEST(Gemm, MatchesTheDefinitionInEveryTierAndTransposition) {
  Rng rng(11);
  for (const Case& c : kCases)
    for (int t = 0; t < 4; ++t) {
      const bool ta = t & 1, tb = t & 2;
      const auto A = random_values(c.m * c.k, rng), B = random_values(c.k * c.n, rng);
      const auto C0 = random_values(c.m * c.n, rng);  // accumulates into what is there
      const auto want = reference(ta, tb, c, A, B, C0), got = run(ta, tb, c, A, B, C0);
      for (size_t e = 0; e < want.size(); ++e)
        ASSERT_NEAR(got[e], want[e], 1e-12 * static_cast<double>(c.k))
            << c.m << "x" << c.n << "x" << c.k << " ta=" << ta << " tb=" << tb << " at " << e;
    }
}

// gemm_into writes the bits of filling C with its start (one bias row, zeros or a full matrix),
// then gemm_acc: in every tier, also the Eigen tier's shapes that its tiles take (12x12x9, 32x32x32)
// and decline (12x10x9: n is no multiple of 4; 1x32x32: a row vector).
TEST(Gemm, IntoEqualsFillingCThenAccumulatingInEveryTier) {
  Rng rng(17);
  const Case cases[] = {{3, 4, 2}, {12, 10, 9}, {12, 12, 9}, {32, 32, 32}, {1, 32, 32}, {70, 65, 66}, {150, 130, 70}};
  for (const Case& c : cases)
    for (int t = 0; t < 4; ++t)
      for (int start = 0; start < 3; ++start) {
        const bool ta = t & 1, tb = t & 2;
        const auto A = random_values(c.m * c.k, rng), B = random_values(c.k * c.n, rng);
        const auto full = random_values(c.m * c.n, rng), bias = random_values(c.n, rng);
        const double* c_in = start == 0 ? bias.data() : start == 1 ? nullptr : full.data();
        const int64_t ld = start == 2 ? c.n : 0;
        std::vector<double> C0(static_cast<size_t>(c.m * c.n), 0.0);
        for (int64_t i = 0; i < c.m; ++i)
          for (int64_t j = 0; j < c.n; ++j) C0[static_cast<size_t>(i * c.n + j)] = c_in ? c_in[i * ld + j] : 0.0;
        const auto want = run(ta, tb, c, A, B, C0);
        std::vector<double> got(want.size(), std::nan(""));  // what C held before is never read
        detail::gemm_into(ta, tb, c.m, c.n, c.k, A.data(), B.data(), c_in, ld, got.data());
        ASSERT_EQ(std::memcmp(got.data(), want.data(), want.size() * sizeof(double)), 0)
            << c.m << "x" << c.n << "x" << c.k << " ta=" << ta << " tb=" << tb << " start=" << start;
      }
}

// sgemm against dgemm on the same values, every tier and transposition: within the classic bound
// of a k-term float sum, (k + 1) 2^-24 (|C0| + sum |a b|), which a wrong transposition, stride
// or panel offset exceeds by orders of magnitude.
TEST(Gemm, FloatMatchesDoubleInEveryTierAndTransposition) {
  Rng rng(14);
  for (const Case& c : kCases)
    for (int t = 0; t < 4; ++t) {
      const bool ta = t & 1, tb = t & 2;
      const auto A = random_floats(c.m * c.k, rng), B = random_floats(c.k * c.n, rng);
      const auto C0 = random_floats(c.m * c.n, rng);
      const auto want = run(ta, tb, c, A.d, B.d, C0.d);
      const auto got = run(ta, tb, c, A.f, B.f, C0.f);
      const auto scale = magnitude(ta, tb, c, A.d, B.d, C0.d);
      const double u = std::ldexp(1.0, -24) * static_cast<double>(c.k + 1);
      for (size_t e = 0; e < want.size(); ++e)
        ASSERT_NEAR(got[e], want[e], u * scale[e])
            << c.m << "x" << c.n << "x" << c.k << " ta=" << ta << " tb=" << tb << " at " << e;
    }
}

TEST(Gemm, FloatBitIdenticalOnOneAndTwoThreads) {
  Rng rng(15);
  for (const Case& c : kCases)
    for (int t = 0; t < 4; ++t) {
      const bool ta = t & 1, tb = t & 2;
      const auto A = random_floats(c.m * c.k, rng), B = random_floats(c.k * c.n, rng);
      const auto C0 = random_floats(c.m * c.n, rng);
      set_num_threads(1);
      const auto one = run(ta, tb, c, A.f, B.f, C0.f);
      set_num_threads(2);
      const auto two = run(ta, tb, c, A.f, B.f, C0.f);
      set_num_threads(0);
      EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(float)))
          << c.m << "x" << c.n << "x" << c.k << " ta=" << ta << " tb=" << tb;
    }
}

TEST(Gemm, BitIdenticalOnOneAndTwoThreads) {
  Rng rng(12);
  for (const Case& c : kCases)
    for (int t = 0; t < 4; ++t) {
      const bool ta = t & 1, tb = t & 2;
      const auto A = random_values(c.m * c.k, rng), B = random_values(c.k * c.n, rng);
      const auto C0 = random_values(c.m * c.n, rng);
      set_num_threads(1);
      const auto one = run(ta, tb, c, A, B, C0);
      set_num_threads(2);
      const auto two = run(ta, tb, c, A, B, C0);
      set_num_threads(0);
      EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(double)))
          << c.m << "x" << c.n << "x" << c.k << " ta=" << ta << " tb=" << tb;
    }
}

// Products computed at once from several threads (the panels of one product, or the runs of a
// `sweep --jobs N`) must not share BLAS scratch buffers: each equals the same product run alone.
// NB: the concurrent calls come first, as in a training run: a BLAS library that is not safe for
// concurrent callers handed one scratch buffer to two threads on its first calls (CTest runs
// each test in a process of its own).
TEST(Gemm, ConcurrentProductsEqualTheSameProductsRunAlone) {
  Rng rng(13);
  const Case blas{70, 65, 66}, panels{256, 512, 512};
  const auto A = random_values(256 * 512, rng), B = random_values(512 * 512, rng);
  const std::vector<double> zeros(256 * 512, 0.0);
  std::vector<std::vector<double>> got_blas(8), got_panels(8);
  for (size_t trial = 0; trial < got_blas.size(); ++trial) {
    std::thread other([&] { got_blas[trial] = run(false, false, blas, A, B, zeros); });
    got_panels[trial] = run(false, false, panels, A, B, zeros);
    other.join();
  }
  const auto alone_blas = run(false, false, blas, A, B, zeros);
  const auto alone_panels = run(false, false, panels, A, B, zeros);
  for (size_t trial = 0; trial < got_blas.size(); ++trial) {
    EXPECT_EQ(got_blas[trial], alone_blas) << "trial " << trial;
    EXPECT_EQ(got_panels[trial], alone_panels) << "trial " << trial;
  }
}

// Eigen's product with the k-blocking that an L1 data cache of `l1` bytes gives, as gemm_acc's
// Eigen tier writes it: what a machine with that cache would compute without the pinning.
std::vector<double> eigen_product_on_a_machine_with(std::ptrdiff_t l1, const Case& c, const std::vector<double>& A,
                                                    const std::vector<double>& B, std::vector<double> C) {
  using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  std::ptrdiff_t old_l1, old_l2, old_l3;
  Eigen::internal::manage_caching_sizes(Eigen::GetAction, &old_l1, &old_l2, &old_l3);
  Eigen::setCpuCacheSizes(l1, old_l2, old_l3);
  Eigen::Map<RowMat>(C.data(), c.m, c.n).noalias() +=
      Eigen::Map<const RowMat>(A.data(), c.m, c.k) * Eigen::Map<const RowMat>(B.data(), c.k, c.n);
  Eigen::setCpuCacheSizes(old_l1, old_l2, old_l3);
  return C;
}

// Eigen sizes its k-blocks from the L1 cache it reads off the CPU (32 KiB on AMD Zen, 48 KiB on
// recent Intel): gradlab pins it, so a product with a long k rounds the same on every machine.
TEST(Gemm, RoundsTheSameWhateverTheMachinesCacheSizes) {
  Rng rng(14);
  const Case c{4, 8, 1000};  // the Eigen tier; k is cut into blocks on either machine
  const auto A = random_values(c.m * c.k, rng), B = random_values(c.k * c.n, rng);
  const auto C0 = random_values(c.m * c.n, rng);
  const auto got = run(false, false, c, A, B, C0);
  const auto zen = eigen_product_on_a_machine_with(32 * 1024, c, A, B, C0);
  const auto intel = eigen_product_on_a_machine_with(48 * 1024, c, A, B, C0);
  ASSERT_NE(zen, intel) << "the case must be one where the blocking changes the rounding";
  EXPECT_EQ(got, intel);
  EXPECT_EQ(run(false, false, c, A, B, C0), got) << "the probe must not move gradlab's setting";
}

TEST(Threads, SetAndRestoreTheDefault) {
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1);
  set_num_threads(0);
  EXPECT_GE(num_threads(), 1);
}

}  // namespace
}  // namespace gradlab
